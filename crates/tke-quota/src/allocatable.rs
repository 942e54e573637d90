//! Candidate node types and where their allocatable resources come from.

use tke_reserve::{
    NetworkMode, NodeResources, NodeShape, PodLimitTable, ReservationAlgorithm, ReservationConfig,
    plan_node,
};

use crate::error::QuotaError;
use crate::money::Cny;

/// A node type the planner may buy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeType {
    /// Name (instance type, e.g. `SA2.2XLARGE16`).
    pub name: String,
    /// CPU capacity in millicores.
    pub cpu_millis: u64,
    /// Memory capacity in bytes.
    pub memory_bytes: u64,
    /// kubelet `max-pods`, when set; otherwise the network's limit (with [`TkeReserve`]) or
    /// kubelet's default of 110 (with [`CapacityIsAllocatable`]).
    pub max_pods: Option<u32>,
    /// Hourly price, when known.
    pub hourly_price: Option<Cny>,
}

impl NodeType {
    /// A node type from whole cores and GiB. The name should be the CVM instance type (e.g.
    /// `S5.2XLARGE16`): [`TkeReserve`] looks VPC-CNI pod limits up by it.
    pub fn new(name: impl Into<String>, cores: u64, memory_gib: u64) -> Self {
        NodeType {
            name: name.into(),
            cpu_millis: cores.saturating_mul(1_000),
            memory_bytes: memory_gib.saturating_mul(1 << 30),
            max_pods: None,
            hourly_price: None,
        }
    }

    /// Sets kubelet `max-pods`.
    #[must_use]
    pub fn with_max_pods(mut self, max_pods: u32) -> Self {
        self.max_pods = Some(max_pods);
        self
    }

    /// Sets the hourly price.
    #[must_use]
    pub fn with_price(mut self, price: Cny) -> Self {
        self.hourly_price = Some(price);
        self
    }
}

/// What pods can use on one node of a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NodeAllocatable {
    /// Allocatable CPU in millicores.
    pub cpu_millis: u64,
    /// Allocatable memory in bytes.
    pub memory_bytes: u64,
    /// Pods the node can run.
    pub pods: u64,
}

/// Node type → allocatable CPU, memory and pods. [`TkeReserve`] (TKE's reservation algorithms
/// and max-pods rules from `tke-reserve`) is the normal implementation; closures and
/// [`CapacityIsAllocatable`] serve callers that already know the numbers (e.g. from
/// `kubectl get node -o yaml`).
pub trait AllocatableSource {
    /// Allocatable resources of one node of `node`.
    fn allocatable(&self, node: &NodeType) -> Result<NodeAllocatable, QuotaError>;
}

impl<F> AllocatableSource for F
where
    F: Fn(&NodeType) -> Result<NodeAllocatable, QuotaError>,
{
    fn allocatable(&self, node: &NodeType) -> Result<NodeAllocatable, QuotaError> {
        self(node)
    }
}

/// Uses the node type's capacity as allocatable (no reservation): for node types whose numbers
/// already are allocatable values.
#[derive(Debug, Clone, Copy, Default)]
pub struct CapacityIsAllocatable;

impl AllocatableSource for CapacityIsAllocatable {
    fn allocatable(&self, node: &NodeType) -> Result<NodeAllocatable, QuotaError> {
        Ok(NodeAllocatable {
            cpu_millis: node.cpu_millis,
            memory_bytes: node.memory_bytes,
            pods: u64::from(node.max_pods.unwrap_or(KUBELET_DEFAULT_MAX_PODS)),
        })
    }
}

/// kubelet's default `--max-pods`.
pub const KUBELET_DEFAULT_MAX_PODS: u32 = 110;

/// Allocatable resources as TKE computes them: `tke-reserve`'s max pods for the network mode
/// (capped by the node type's kubelet `max-pods`), then capacity minus the reservation of the
/// chosen algorithm minus the eviction threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TkeReserve {
    /// Reservation algorithm of the planned nodes.
    pub algorithm: ReservationAlgorithm,
    /// Container network mode.
    pub network: NetworkMode,
    /// Overrides and rounding.
    pub config: ReservationConfig,
    /// Per-instance-type VPC-CNI pod limits (`DescribeVpcCniPodLimits`), if known.
    pub pod_limits: Option<PodLimitTable>,
}

impl TkeReserve {
    /// Default configuration for `algorithm` and `network`.
    pub fn new(algorithm: ReservationAlgorithm, network: NetworkMode) -> Self {
        TkeReserve {
            algorithm,
            network,
            config: ReservationConfig::default(),
            pod_limits: None,
        }
    }
}

impl AllocatableSource for TkeReserve {
    fn allocatable(&self, node: &NodeType) -> Result<NodeAllocatable, QuotaError> {
        let shape = NodeShape {
            capacity: NodeResources::new(node.cpu_millis, node.memory_bytes),
            algorithm: self.algorithm,
            network: self.network,
            instance_type: Some(&node.name),
            kubelet_max_pods: node.max_pods,
        };
        let plan = plan_node(&shape, &self.config, self.pod_limits.as_ref()).map_err(|e| {
            QuotaError::Allocatable {
                node_type: node.name.clone(),
                reason: e.to_string(),
            }
        })?;
        Ok(NodeAllocatable {
            cpu_millis: plan.allocatable.cpu_millis,
            memory_bytes: plan.allocatable.memory_bytes,
            pods: u64::from(plan.allocatable.pods),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tke_reserve::MIB;

    /// The allocatable examples of capacity spec §2.10, through `tke-reserve`.
    #[test]
    fn reserve_source_matches_the_spec_examples() {
        let gr = |p| NetworkMode::GlobalRouter {
            max_pods_per_node: p,
        };
        // 8c/16GiB, new algorithm, 64 pods → 7910m, 16384 − 1536 − 100 MiB.
        let src = TkeReserve::new(ReservationAlgorithm::New, gr(64));
        let node = NodeType::new("S5.2XLARGE16", 8, 16).with_max_pods(64);
        let a = src.allocatable(&node).unwrap();
        // kubelet max-pods 64 but a 64-address block holds 61 pods: the memory rule uses 61.
        assert_eq!(a.pods, 61);
        assert_eq!(a.cpu_millis, 7_910);
        assert_eq!(a.memory_bytes, (16_384 - (20 * 61 + 256) - 100) * MIB);
        // 4c/8GiB, old algorithm → 3900m, 8192 − 1843 − 100 MiB.
        let src = TkeReserve::new(ReservationAlgorithm::Old, gr(128));
        let a = src.allocatable(&NodeType::new("S5.LARGE8", 4, 8)).unwrap();
        assert_eq!(
            (a.cpu_millis, a.memory_bytes, a.pods),
            (3_900, 6_249 * MIB, 125)
        );
        // Errors name the node type.
        let err = src.allocatable(&NodeType::new("tiny", 0, 1)).unwrap_err();
        assert!(err.to_string().contains("tiny"), "{err}");
    }

    #[test]
    fn capacity_as_allocatable_defaults_to_110_pods() {
        let a = CapacityIsAllocatable
            .allocatable(&NodeType::new("n", 2, 4))
            .unwrap();
        assert_eq!(
            (a.cpu_millis, a.memory_bytes, a.pods),
            (2_000, 4 << 30, 110)
        );
    }
}
