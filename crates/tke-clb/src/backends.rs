//! Targets of a Service port: Node IP + NodePort (default) or Pod IP + target port (direct).
//! Spec §3.3.

use crate::annotations::LabelSelector;
use crate::desired::{ListenerKey, Protocol, Target};
use crate::fast::FastMap;
use crate::inputs::Index;
use k8s_openapi::api::core::v1::{Service, ServicePort};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Deserialize;
use std::net::IpAddr;

/// `EndpointSlice.endpoints` is a `Vec` in some Kubernetes versions of k8s-openapi and an
/// `Option<Vec>` in others; this reads both, so the crate works with any version feature.
trait Items<T> {
    fn as_items(&self) -> &[T];
}

impl<T> Items<T> for Vec<T> {
    fn as_items(&self) -> &[T] {
        self
    }
}

impl<T> Items<T> for Option<Vec<T>> {
    fn as_items(&self) -> &[T] {
        self.as_deref().unwrap_or_default()
    }
}

/// `lb-rs-weight` annotation (spec §2.4.2).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RsWeight {
    #[serde(default)]
    pub(crate) default_weight: Option<i64>,
    #[serde(default)]
    pub(crate) groups: Vec<RsGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RsGroup {
    pub(crate) key: RsKey,
    #[serde(default)]
    pub(crate) stateful_sets: Vec<RsStatefulSet>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct RsKey {
    pub(crate) proto: String,
    pub(crate) port: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RsStatefulSet {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) weights: Vec<RsPodWeight>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RsPodWeight {
    pub(crate) weight: i64,
    #[serde(default)]
    pub(crate) pod_indexes: Vec<i64>,
}

impl RsWeight {
    /// Problems with the values (weights outside `0..=max`, unknown protocol, bad port).
    pub(crate) fn problems(&self, max_weight: u32) -> Vec<String> {
        let mut out = Vec::new();
        let max = i64::from(max_weight);
        if let Some(w) = self.default_weight.filter(|w| !(0..=max).contains(w)) {
            out.push(format!("defaultWeight {w} outside 0..={max}"));
        }
        for g in &self.groups {
            if Protocol::parse(&g.key.proto).is_none() {
                out.push(format!("unknown protocol {:?} in group key", g.key.proto));
            }
            if !(1..=65535).contains(&g.key.port) {
                out.push(format!("port {} outside 1..=65535", g.key.port));
            }
            for s in &g.stateful_sets {
                for w in &s.weights {
                    if !(0..=max).contains(&w.weight) {
                        out.push(format!(
                            "weight {} for {} outside 0..={max}",
                            w.weight, s.name
                        ));
                    }
                    if let Some(i) = w.pod_indexes.iter().find(|i| **i < 0) {
                        out.push(format!("negative pod index {i} for {}", s.name));
                    }
                }
            }
        }
        out
    }

    /// Weight for a pod on a listener. Groups match on port and protocol *family* so the
    /// documented Ingress example (`"proto":"TCP"` for an HTTP listener, spec §9 #33) applies.
    fn weight_for(&self, listener: ListenerKey, pod: Option<&str>, default: u32) -> u32 {
        let base = self
            .default_weight
            .and_then(|w| u32::try_from(w).ok())
            .unwrap_or(default);
        let Some((sts, index)) = pod.and_then(|p| p.rsplit_once('-')) else {
            return base;
        };
        let Ok(index) = index.parse::<i64>() else {
            return base;
        };
        self.groups
            .iter()
            .filter(|g| {
                i64::from(listener.port) == g.key.port
                    && Protocol::parse(&g.key.proto)
                        .is_some_and(|p| p.family() == listener.protocol.family())
            })
            .flat_map(|g| g.stateful_sets.iter().filter(|s| s.name == sts))
            .flat_map(|s| s.weights.iter())
            .find(|w| w.pod_indexes.contains(&index))
            .and_then(|w| u32::try_from(w.weight).ok())
            .unwrap_or(base)
    }
}

/// `externalTrafficPolicy: Local` variants (spec §3.3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LocalMode {
    pub(crate) only_nodes_with_pods: bool,
    pub(crate) weighted: bool,
}

/// How to pick targets for one Service port.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BackendOptions<'a> {
    pub(crate) direct: bool,
    pub(crate) selector: Option<&'a LabelSelector>,
    pub(crate) hybrid: bool,
    pub(crate) local: Option<LocalMode>,
    pub(crate) weights: Option<&'a RsWeight>,
    /// Terminating pods stay bound with weight 0.
    pub(crate) grace_shutdown: bool,
    /// Not-ready endpoints stay bound with weight 0.
    pub(crate) grace_tkex: bool,
}

struct Endpoint<'a> {
    ip: IpAddr,
    port: Option<u16>,
    ready: bool,
    terminating: bool,
    node: Option<&'a str>,
    pod: Option<&'a str>,
}

fn endpoints<'a>(
    idx: &Index<'a>,
    namespace: &str,
    svc: &str,
    sp: &ServicePort,
) -> Vec<Endpoint<'a>> {
    let mut out = Vec::new();
    let Some(slices) = idx.slices.get(&(namespace, svc)) else {
        return out;
    };
    let want = sp.name.as_deref().unwrap_or("");
    let fallback = match &sp.target_port {
        Some(IntOrString::Int(p)) => u16::try_from(*p).ok(),
        None => u16::try_from(sp.port).ok(),
        Some(IntOrString::String(_)) => None,
    };
    for s in slices {
        let port = s
            .ports
            .as_ref()
            .and_then(|ps| ps.iter().find(|p| p.name.as_deref().unwrap_or("") == want))
            .and_then(|p| p.port)
            .and_then(|p| u16::try_from(p).ok())
            .or(fallback);
        for e in s.endpoints.as_items() {
            let Some(ip) = e.addresses.first().and_then(|a| a.parse::<IpAddr>().ok()) else {
                continue;
            };
            let c = e.conditions.as_ref();
            out.push(Endpoint {
                ip,
                port,
                ready: c.and_then(|c| c.ready).unwrap_or(true),
                terminating: c.and_then(|c| c.terminating).unwrap_or(false),
                node: e.node_name.as_deref(),
                pod: e.target_ref.as_ref().and_then(|r| r.name.as_deref()),
            });
        }
    }
    out
}

/// Targets of Service port `sp` for listener `listener`. The second value is a warning (e.g. no
/// NodePort allocated yet); missing data gives fewer targets, never a panic.
pub(crate) fn targets(
    idx: &Index<'_>,
    svc: &Service,
    sp: &ServicePort,
    listener: ListenerKey,
    o: &BackendOptions<'_>,
) -> (Vec<Target>, Option<String>) {
    let namespace = svc.metadata.namespace.as_deref().unwrap_or("default");
    let svc_name = svc.metadata.name.as_deref().unwrap_or_default();
    let policy = &idx.options.policy;
    let weight_of = |pod: Option<&str>| match o.weights {
        Some(w) => w.weight_for(listener, pod, policy.default_weight),
        None => policy.default_weight,
    };
    let mut out = Vec::new();
    let mut warning = None;
    if o.direct {
        for e in endpoints(idx, namespace, svc_name, sp) {
            let Some(port) = e.port else {
                warning = Some(format!(
                    "port {:?} of Service {namespace}/{svc_name} is not resolved on every endpoint",
                    sp.name
                ));
                continue;
            };
            let weight = if e.terminating {
                if !o.grace_shutdown {
                    continue;
                }
                0
            } else if !e.ready {
                if !o.grace_tkex {
                    continue;
                }
                0
            } else {
                weight_of(e.pod)
            };
            out.push(Target {
                ip: e.ip,
                port,
                weight,
            });
        }
    } else {
        let Some(port) = sp
            .node_port
            .and_then(|p| u16::try_from(p).ok())
            .filter(|p| *p > 0)
        else {
            return (
                Vec::new(),
                Some(format!(
                    "Service {namespace}/{svc_name} port {} has no nodePort allocated yet; no targets",
                    sp.port
                )),
            );
        };
        let pods_per_node: FastMap<&str, u32> = match o.local {
            Some(_) => {
                let mut m = FastMap::default();
                for e in endpoints(idx, namespace, svc_name, sp) {
                    if let (Some(n), true, false) = (e.node, e.ready, e.terminating) {
                        *m.entry(n).or_insert(0) += 1;
                    }
                }
                m
            }
            None => FastMap::default(),
        };
        out.reserve_exact(idx.nodes.len()); // at most one target per node: no regrowth
        for n in &idx.nodes {
            let eligible = !n.master
                && n.ready
                && !n.excluded
                && (policy.bind_unschedulable_nodes || !n.unschedulable)
                && (o.hybrid || !n.registered)
                && o.selector.is_none_or(|s| s.matches(n.labels));
            if !eligible {
                continue;
            }
            let pods = pods_per_node.get(n.name).copied().unwrap_or(0);
            let weight = match o.local {
                Some(l) if l.only_nodes_with_pods && pods == 0 => continue,
                Some(l) if l.weighted => pods.min(policy.max_weight),
                _ => weight_of(None),
            };
            out.push(Target {
                ip: n.ip,
                port,
                weight,
            });
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.ip == b.ip && a.port == b.port);
    (out, warning)
}
