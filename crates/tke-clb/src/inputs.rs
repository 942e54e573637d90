//! Everything the mapping reads, and the lookup indexes built from it once per run.

use crate::fast::FastMap;
use crate::options::ClusterOptions;
use crate::tke_service_config::TkeServiceConfig;
use k8s_openapi::api::core::v1::{Node, Secret, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::Ingress;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// The Kubernetes objects and cluster facts a mapping run works on.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Cluster facts and policy.
    pub options: ClusterOptions,
    /// Services (all types; only `LoadBalancer` ones get a CLB).
    pub services: Vec<Service>,
    /// Ingresses (`networking.k8s.io/v1`; v1beta1 manifests are converted by the loader).
    pub ingresses: Vec<Ingress>,
    /// Nodes.
    pub nodes: Vec<Node>,
    /// EndpointSlices (Pod IPs for direct mode, pod placement for Local mode).
    pub endpoint_slices: Vec<EndpointSlice>,
    /// Secrets holding certificate IDs.
    pub secrets: Vec<Secret>,
    /// TkeServiceConfig objects.
    pub tke_service_configs: Vec<TkeServiceConfig>,
}

impl Inputs {
    /// Empty inputs for a cluster.
    pub fn new(options: ClusterOptions) -> Self {
        Inputs {
            options,
            services: Vec::new(),
            ingresses: Vec::new(),
            nodes: Vec::new(),
            endpoint_slices: Vec::new(),
            secrets: Vec::new(),
            tke_service_configs: Vec::new(),
        }
    }
}

/// A node as the backend selection sees it.
#[derive(Debug, Clone)]
pub(crate) struct NodeInfo<'a> {
    pub(crate) ip: IpAddr,
    pub(crate) name: &'a str,
    pub(crate) labels: Option<&'a BTreeMap<String, String>>,
    pub(crate) ready: bool,
    pub(crate) unschedulable: bool,
    pub(crate) master: bool,
    pub(crate) registered: bool,
    pub(crate) excluded: bool,
}

type NsName<'a> = (&'a str, &'a str);

fn ns(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> &str {
    meta.namespace.as_deref().unwrap_or("default")
}

fn name(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> &str {
    meta.name.as_deref().unwrap_or_default()
}

/// Lookup tables over [`Inputs`].
pub(crate) struct Index<'a> {
    pub(crate) options: &'a ClusterOptions,
    pub(crate) nodes: Vec<NodeInfo<'a>>,
    pub(crate) services: FastMap<NsName<'a>, &'a Service>,
    pub(crate) slices: FastMap<NsName<'a>, Vec<&'a EndpointSlice>>,
    pub(crate) secrets: FastMap<NsName<'a>, &'a Secret>,
    pub(crate) configs: FastMap<NsName<'a>, &'a TkeServiceConfig>,
    /// Problems with inputs that belong to no Service/Ingress (e.g. a node without an IP).
    pub(crate) warnings: Vec<String>,
}

impl<'a> Index<'a> {
    pub(crate) fn new(inputs: &'a Inputs) -> Self {
        let options = &inputs.options;
        let mut warnings = Vec::new();
        let (reg_key, reg_val) = &options.policy.registered_node_label;
        let mut nodes = Vec::with_capacity(inputs.nodes.len());
        for n in &inputs.nodes {
            let node_name = name(&n.metadata);
            let labels = n.metadata.labels.as_ref();
            let status = n.status.as_ref();
            let ip = status
                .and_then(|s| s.addresses.as_ref())
                .and_then(|a| a.iter().find(|a| a.type_ == "InternalIP"))
                .and_then(|a| a.address.parse::<IpAddr>().ok());
            let Some(ip) = ip else {
                warnings.push(format!(
                    "Node {node_name}: no parsable InternalIP address; not bound"
                ));
                continue;
            };
            let ready = status
                .and_then(|s| s.conditions.as_ref())
                .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
                .is_some_and(|c| c.status == "True");
            let has = |k: &str| labels.is_some_and(|l| l.contains_key(k));
            nodes.push(NodeInfo {
                ip,
                name: node_name,
                labels,
                ready,
                unschedulable: n
                    .spec
                    .as_ref()
                    .and_then(|s| s.unschedulable)
                    .unwrap_or(false),
                master: has("node-role.kubernetes.io/master")
                    || has("node-role.kubernetes.io/control-plane"),
                registered: labels
                    .and_then(|l| l.get(reg_key))
                    .is_some_and(|v| v == reg_val),
                excluded: has(crate::annotations::EXCLUDE_FROM_LB_LABEL),
            });
        }
        let mut slices: FastMap<NsName<'a>, Vec<&'a EndpointSlice>> = FastMap::default();
        for s in &inputs.endpoint_slices {
            if let Some(svc) = s
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get("kubernetes.io/service-name"))
            {
                slices
                    .entry((ns(&s.metadata), svc.as_str()))
                    .or_default()
                    .push(s);
            }
        }
        Index {
            options,
            nodes,
            services: inputs
                .services
                .iter()
                .map(|s| ((ns(&s.metadata), name(&s.metadata)), s))
                .collect(),
            slices,
            secrets: inputs
                .secrets
                .iter()
                .map(|s| ((ns(&s.metadata), name(&s.metadata)), s))
                .collect(),
            configs: inputs
                .tke_service_configs
                .iter()
                .map(|c| ((ns(&c.metadata), name(&c.metadata)), c))
                .collect(),
            warnings,
        }
    }
}
