//! Cluster facts and the policy for everything the documentation leaves open.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Container network mode of the cluster (decides whether direct-to-Pod access is possible).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NetworkMode {
    /// VPC-CNI (ENI): direct access available.
    VpcCni,
    /// GlobalRouter; direct access needs `GlobalRouteDirectAccess: "true"` in
    /// `kube-system/tke-service-controller-config`.
    GlobalRouter {
        /// Value of the `GlobalRouteDirectAccess` switch.
        direct_access: bool,
    },
}

/// A controller component version such as `v2.4.1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ControllerVersion(pub u32, pub u32, pub u32);

impl ControllerVersion {
    /// Parse `v1.2.3` or `1.2.3` (as stored under `VERSION` in the controller ConfigMaps).
    pub fn parse(s: &str) -> Option<ControllerVersion> {
        let s = s.trim().trim_start_matches('v');
        let mut it = s.split('.').map(|p| p.parse::<u32>().ok());
        let v = ControllerVersion(it.next()??, it.next()??, it.next().unwrap_or(Some(0))?);
        if it.next().is_some() { None } else { Some(v) }
    }
}

impl fmt::Display for ControllerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}.{}.{}", self.0, self.1, self.2)
    }
}

/// Facts about the cluster the controllers run in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterOptions {
    /// Cluster ID (`cls-xxxxxxxx`), written to the `tke-clusterId` tag and listener names.
    pub cluster_id: String,
    /// The cluster's VPC.
    pub vpc_id: String,
    /// Network mode.
    pub network_mode: NetworkMode,
    /// Serverless cluster: every Service/Ingress is direct-to-Pod.
    pub serverless: bool,
    /// Several Services may reuse one existing CLB (on for clusters created from 2025-01-02, off
    /// for 2020-08-17…2025-01-01 unless enabled by support; spec §6.2).
    pub sharing_enabled: bool,
    /// service-controller version; annotations newer than this are ignored with a warning.
    /// `None` = assume the newest controller.
    pub service_controller_version: Option<ControllerVersion>,
    /// l7-lb-controller (Ingress) version; as above.
    pub ingress_controller_version: Option<ControllerVersion>,
    /// Created CLBs use the post-2023-03-06 domain-based architecture (`sourceIpType` must be 1).
    pub clb_domain_based: bool,
    /// Behaviour where the documentation is silent or contradicts itself.
    pub policy: Policy,
}

impl ClusterOptions {
    /// Options for a VPC-CNI cluster with sharing enabled and default policy.
    pub fn new(cluster_id: impl Into<String>, vpc_id: impl Into<String>) -> Self {
        ClusterOptions {
            cluster_id: cluster_id.into(),
            vpc_id: vpc_id.into(),
            network_mode: NetworkMode::VpcCni,
            serverless: false,
            sharing_enabled: true,
            service_controller_version: None,
            ingress_controller_version: None,
            clb_domain_based: true,
            policy: Policy::default(),
        }
    }

    /// Direct-to-Pod access is possible in this cluster.
    pub fn direct_access_possible(&self) -> bool {
        self.serverless
            || matches!(
                self.network_mode,
                NetworkMode::VpcCni
                    | NetworkMode::GlobalRouter {
                        direct_access: true
                    }
            )
    }
}

/// Choices for the gaps and contradictions of the documentation (spec §9); defaults are the
/// choices the spec recommends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Bind cordoned (unschedulable) nodes (§9 #1: the Service page says yes, L23778).
    pub bind_unschedulable_nodes: bool,
    /// Weight of a target nobody set a weight for (§9 #25: CLB default 10).
    pub default_weight: u32,
    /// Largest allowed weight (§9 #25: CLB range 0–100).
    pub max_weight: u32,
    /// Sharing one existing CLB additionally needs `qcloud-share-existed-lb: "true"` on every
    /// Service (§9 #42; documented only for Serverless clusters, so off by default).
    pub require_share_annotation: bool,
    /// Reject switching between auto-created and existing CLBs (§9 #2: the newer restriction page).
    pub forbid_auto_existing_switch: bool,
    /// `http-rules`/`https-rules` entries with a backend but no `spec.rules` counterpart create
    /// rules (§9 #29; off: they are ignored with a warning).
    pub annotation_only_rules: bool,
    /// Forwarding rules per CLB (Ingress; default 50, raisable).
    pub max_rules_per_clb: usize,
    /// Listeners per CLB (`TOTAL_LISTENER_QUOTA`, not stated in the document; default 50).
    pub max_listeners_per_clb: usize,
    /// Targets per CLB in direct mode (100 or 200 by region; default 200).
    pub max_direct_targets_per_clb: usize,
    /// Upper bound of the Service bandwidth annotation (Mbps).
    pub max_bandwidth_service: u32,
    /// Upper bound of the Ingress bandwidth annotation (§9 #5: 2048 in the annotation reference,
    /// 2000 on the basic page; the reference is used).
    pub max_bandwidth_ingress: u32,
    /// Label (`key`, `value`) marking registered (IDC) nodes; the documentation names none.
    pub registered_node_label: (String, String),
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            bind_unschedulable_nodes: true,
            default_weight: 10,
            max_weight: 100,
            require_share_annotation: false,
            forbid_auto_existing_switch: true,
            annotation_only_rules: false,
            max_rules_per_clb: 50,
            max_listeners_per_clb: 50,
            max_direct_targets_per_clb: 200,
            max_bandwidth_service: 2048,
            max_bandwidth_ingress: 2048,
            registered_node_label: (
                "node.tke.cloud.tencent.com/registered".to_owned(),
                "true".to_owned(),
            ),
        }
    }
}
