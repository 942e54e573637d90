//! Candidate node types and where their allocatable resources come from.

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
    /// kubelet `max-pods`.
    pub max_pods: u32,
    /// Hourly price, when known.
    pub hourly_price: Option<Cny>,
}

impl NodeType {
    /// A node type from whole cores and GiB.
    pub fn new(name: impl Into<String>, cores: u64, memory_gib: u64, max_pods: u32) -> Self {
        NodeType {
            name: name.into(),
            cpu_millis: cores.saturating_mul(1_000),
            memory_bytes: memory_gib.saturating_mul(1 << 30),
            max_pods,
            hourly_price: None,
        }
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

/// Node type → allocatable CPU, memory and pods. `tke-reserve` is the intended implementation
/// (TKE's reservation algorithms); closures and [`CapacityIsAllocatable`] serve callers that
/// already know the numbers (e.g. from `kubectl get node -o yaml`).
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
            pods: u64::from(node.max_pods),
        })
    }
}
