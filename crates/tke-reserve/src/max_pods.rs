//! Max pods per node: GlobalRouter per-node CIDR blocks and VPC-CNI ENI limits
//! (capacity spec §3.1-3.3, S:49720-49765).
//!
//! The documented VPC-CNI tables are defaults only: real limits vary per instance type
//! (A-N4). A [`PodLimitTable`] in the shape of TKE's `DescribeVpcCniPodLimits` response is
//! preferred when it has the instance type.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// How many ENIs a shared-ENI (多 Pod 共享网卡) node may attach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EniAttachment {
    /// Several secondary ENIs (component >= v3.3 non-static, >= v3.4 static IP).
    Multi,
    /// One secondary ENI (older components).
    Single,
}

/// The container network mode of the node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NetworkMode {
    /// GlobalRouter (and Cilium-Overlay, same carving): each node gets a CIDR block sized
    /// for the requested max pods per node (the cluster's `MaxNodePodNum`).
    GlobalRouter {
        /// Requested max pods per node, 4..=256; rounded up to a power of two.
        max_pods_per_node: u32,
    },
    /// VPC-CNI with pods sharing ENIs (secondary IPs).
    VpcCniShared {
        /// Multi- or single-ENI.
        eni: EniAttachment,
        /// Static pod IP mode (selects `TKERouteENIStaticIP` in a user table).
        static_ip: bool,
    },
    /// VPC-CNI with one exclusive ENI per pod.
    VpcCniExclusive,
}

/// Where a network pod limit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PodLimitSource {
    /// GlobalRouter: a per-node block of `block_size` addresses, `block_size - 3` usable
    /// (network, broadcast and gateway addresses are not assignable).
    GlobalRouterBlock {
        /// The per-node block size (a power of two).
        block_size: u32,
    },
    /// The document's default table.
    DefaultTable,
    /// The caller's per-instance-type table.
    UserTable,
}

/// Max pods of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MaxPods {
    /// `min(kubelet max-pods, network limit)`: use this as the node's pod capacity.
    pub effective: u32,
    /// What the network allows.
    pub network_limit: u32,
    /// Where `network_limit` came from.
    pub source: PodLimitSource,
}

/// Per-type pod limits as returned by `DescribeVpcCniPodLimits` (`PodLimits`).
/// `None` or a value <= 0 means the mode is not available on that type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct PodLimitsByType {
    /// Shared ENI, non-static IP.
    #[serde(rename = "TKERouteENINonStaticIP", default)]
    pub tke_route_eni_non_static_ip: Option<i64>,
    /// Shared ENI, static IP.
    #[serde(rename = "TKERouteENIStaticIP", default)]
    pub tke_route_eni_static_ip: Option<i64>,
    /// Exclusive ENI.
    #[serde(rename = "TKEDirectENI", default)]
    pub tke_direct_eni: Option<i64>,
    /// Trunking sub-ENI (not used by [`NetworkMode`] yet; kept so the table round-trips).
    #[serde(rename = "TKESubENI", default)]
    pub tke_sub_eni: Option<i64>,
}

/// One element of `PodLimitsInstanceSet`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PodLimitsInstance {
    /// Availability zone, e.g. `ap-guangzhou-3`.
    #[serde(default)]
    pub zone: Option<String>,
    /// Instance family, e.g. `SA2`.
    #[serde(default)]
    pub instance_family: Option<String>,
    /// Instance type, e.g. `SA2.12XLARGE96`.
    pub instance_type: String,
    /// The limits.
    pub pod_limits: PodLimitsByType,
}

/// The `DescribeVpcCniPodLimits` response body (the object inside `Response`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeVpcCniPodLimitsResponse {
    /// Number of entries.
    #[serde(default)]
    pub total_count: Option<u64>,
    /// The entries.
    #[serde(default)]
    pub pod_limits_instance_set: Vec<PodLimitsInstance>,
}

/// A caller-supplied table of per-instance-type limits, keyed by instance type.
/// Zones are ignored: the first entry for a type wins.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PodLimitTable {
    by_type: HashMap<String, PodLimitsByType>,
}

impl PodLimitTable {
    /// Builds the table from `DescribeVpcCniPodLimits` entries.
    pub fn from_instances(instances: impl IntoIterator<Item = PodLimitsInstance>) -> Self {
        let mut by_type = HashMap::new();
        for i in instances {
            by_type.entry(i.instance_type).or_insert(i.pod_limits);
        }
        PodLimitTable { by_type }
    }

    /// Builds the table from a decoded response.
    #[must_use]
    pub fn from_response(response: DescribeVpcCniPodLimitsResponse) -> Self {
        Self::from_instances(response.pod_limits_instance_set)
    }

    /// Adds or replaces one instance type.
    pub fn insert(&mut self, instance_type: impl Into<String>, limits: PodLimitsByType) {
        self.by_type.insert(instance_type.into(), limits);
    }

    /// The limits of one instance type.
    #[must_use]
    pub fn get(&self, instance_type: &str) -> Option<&PodLimitsByType> {
        self.by_type.get(instance_type)
    }
}

/// Smallest and largest accepted GlobalRouter max-pods-per-node request. The TKE API says
/// 16-256 today and 4-256 in older releases; the wider range is accepted (A-N1).
pub const GLOBAL_ROUTER_MAX_PODS_RANGE: (u32, u32) = (4, 256);
/// Addresses of a GlobalRouter node block that pods cannot use.
pub const GLOBAL_ROUTER_RESERVED_PER_NODE: u32 = 3;

/// GlobalRouter: block size and usable pod IPs for a requested max pods per node.
pub fn global_router_block(max_pods_per_node: u32) -> Result<(u32, u32), Error> {
    let (lo, hi) = GLOBAL_ROUTER_MAX_PODS_RANGE;
    if !(lo..=hi).contains(&max_pods_per_node) {
        return Err(Error::OutOfRange {
            field: "network.max_pods_per_node",
            value: u64::from(max_pods_per_node),
            reason: "GlobalRouter max pods per node must be between 4 and 256",
        });
    }
    let block = max_pods_per_node.next_power_of_two();
    Ok((block, block - GLOBAL_ROUTER_RESERVED_PER_NODE))
}

/// Shared-ENI default table (S:49735-49747): (multi-ENI, single-ENI) pod IP limits.
pub fn shared_eni_default_limit(cores: u32) -> Option<(u32, u32)> {
    match cores {
        1 => Some((5, 5)),
        2..=6 => Some((27, 9)),
        8..=10 => Some((95, 19)),
        12.. => Some((203, 29)),
        _ => None, // 0, 7 and 11 cores are not in the table (A-N4).
    }
}

/// Exclusive-ENI default table (S:49751-49765) by instance family (`S5`, `SA2`, `IT5`,
/// `SA3`; an instance type such as `S5.2XLARGE16` works too) and cores. The overlapping
/// headers "≥8" and "≥128" are read as 8..=127 and >= 128 (A-N4).
pub fn exclusive_eni_default_limit(instance: &str, cores: u32) -> Option<u32> {
    let family = instance.split('.').next().unwrap_or(instance);
    let row: [u32; 5] = if ["S5", "SA2", "IT5"]
        .iter()
        .any(|f| f.eq_ignore_ascii_case(family))
    {
        [4, 9, 19, 39, 23]
    } else if family.eq_ignore_ascii_case("SA3") {
        [4, 9, 15, 15, 15]
    } else {
        return None;
    };
    match cores {
        1 => Some(row[0]),
        2 => Some(row[1]),
        4 => Some(row[2]),
        8..=127 => Some(row[3]),
        128.. => Some(row[4]),
        _ => None,
    }
}

fn whole_cores(cpu_millis: u64) -> Result<u32, Error> {
    if cpu_millis == 0
        || !cpu_millis.is_multiple_of(1000)
        || cpu_millis / 1000 > u64::from(u32::MAX)
    {
        return Err(Error::OutOfRange {
            field: "capacity.cpu_millis",
            value: cpu_millis,
            reason: "VPC-CNI limit tables are indexed by a whole, non-zero number of cores",
        });
    }
    Ok((cpu_millis / 1000) as u32)
}

fn positive(v: Option<i64>) -> Option<u32> {
    v.filter(|&n| n > 0)
        .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
}

/// Max pods of one node.
///
/// * GlobalRouter: block = next power of two of the request, usable = block - 3.
/// * VPC-CNI: the caller's `table` entry for `instance_type` when present (multi-ENI shared
///   uses `TKERouteENINonStaticIP` / `TKERouteENIStaticIP`, exclusive uses `TKEDirectENI`;
///   single-ENI always uses the default table, the API has no single-ENI figure), otherwise
///   the default tables by core count.
/// * `effective = min(kubelet_max_pods, network limit)`; `None` means kubelet does not lower it.
///   The VPC-CNI limit counts pods that need a pod IP (host-network pods need none).
pub fn max_pods(
    network: NetworkMode,
    cpu_millis: u64,
    instance_type: Option<&str>,
    kubelet_max_pods: Option<u32>,
    table: Option<&PodLimitTable>,
) -> Result<MaxPods, Error> {
    let user = instance_type.and_then(|t| table.and_then(|tab| tab.get(t)));
    let (network_limit, source) = match network {
        NetworkMode::GlobalRouter { max_pods_per_node } => {
            let (block_size, usable) = global_router_block(max_pods_per_node)?;
            (usable, PodLimitSource::GlobalRouterBlock { block_size })
        }
        NetworkMode::VpcCniShared { eni, static_ip } => {
            let from_user = match eni {
                EniAttachment::Multi => user.and_then(|u| {
                    positive(if static_ip {
                        u.tke_route_eni_static_ip
                    } else {
                        u.tke_route_eni_non_static_ip
                    })
                }),
                EniAttachment::Single => None,
            };
            match from_user {
                Some(n) => (n, PodLimitSource::UserTable),
                None => {
                    let cores = whole_cores(cpu_millis)?;
                    let (multi, single) =
                        shared_eni_default_limit(cores).ok_or(Error::OutOfRange {
                            field: "capacity.cpu_millis",
                            value: cpu_millis,
                            reason: "the default shared-ENI table lists 1, 2-6, 8-10 and >= 12 \
                                     cores; supply a PodLimitTable for this instance type",
                        })?;
                    let n = match eni {
                        EniAttachment::Multi => multi,
                        EniAttachment::Single => single,
                    };
                    (n, PodLimitSource::DefaultTable)
                }
            }
        }
        NetworkMode::VpcCniExclusive => match user.and_then(|u| positive(u.tke_direct_eni)) {
            Some(n) => (n, PodLimitSource::UserTable),
            None => {
                let cores = whole_cores(cpu_millis)?;
                let instance = instance_type.ok_or_else(|| Error::Unsupported {
                    field: "instance_type",
                    value: "<none>".to_owned(),
                    reason: "exclusive-ENI limits depend on the instance family; pass it",
                })?;
                let n = exclusive_eni_default_limit(instance, cores).ok_or_else(|| {
                    Error::Unsupported {
                        field: "instance_type",
                        value: format!("{instance} with {cores} cores"),
                        reason: "the default exclusive-ENI table covers S5, SA2, IT5 and SA3 \
                                 with 1, 2, 4 or >= 8 cores; supply a PodLimitTable",
                    }
                })?;
                (n, PodLimitSource::DefaultTable)
            }
        },
    };
    if kubelet_max_pods == Some(0) {
        return Err(Error::OutOfRange {
            field: "kubelet_max_pods",
            value: 0,
            reason: "kubelet max-pods must be at least 1",
        });
    }
    let effective = kubelet_max_pods.map_or(network_limit, |k| k.min(network_limit));
    Ok(MaxPods {
        effective,
        network_limit,
        source,
    })
}
