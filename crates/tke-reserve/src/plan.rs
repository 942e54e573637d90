//! One call for capacity planners: max pods and allocatable of a node shape.

use crate::allocatable::{Allocatable, ReservationConfig, allocatable};
use crate::error::Error;
use crate::max_pods::{MaxPods, NetworkMode, PodLimitTable, max_pods};
use crate::reservation::ReservationAlgorithm;
use crate::units::NodeResources;

/// What a planner knows about a node type. All plain values; cheap to copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeShape<'a> {
    /// CPU (millicores) and memory (bytes).
    pub capacity: NodeResources,
    /// Which reservation algorithm the node runs (see [`crate::select_algorithm`]).
    pub algorithm: ReservationAlgorithm,
    /// The container network mode.
    pub network: NetworkMode,
    /// The CVM instance type (e.g. `SA2.12XLARGE96`), for exclusive-ENI defaults and
    /// user tables.
    pub instance_type: Option<&'a str>,
    /// kubelet `--max-pods`, when set lower than the network allows.
    pub kubelet_max_pods: Option<u32>,
}

impl<'a> NodeShape<'a> {
    /// A shape with no instance type and no kubelet max-pods.
    #[must_use]
    pub const fn new(
        capacity: NodeResources,
        algorithm: ReservationAlgorithm,
        network: NetworkMode,
    ) -> Self {
        NodeShape {
            capacity,
            algorithm,
            network,
            instance_type: None,
            kubelet_max_pods: None,
        }
    }
}

/// Max pods and allocatable of one node shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodePlan {
    /// Max pods (the effective value is the node's pod capacity).
    pub max_pods: MaxPods,
    /// Allocatable resources; the new memory rule used `max_pods.effective` unless
    /// `config` overrides the pod count.
    pub allocatable: Allocatable,
}

/// Max pods, then allocatable, for one node shape. No allocation on success.
///
/// ```
/// use tke_reserve::*;
/// let shape = NodeShape::new(
///     NodeResources::from_cores_gib(32, 64),
///     ReservationAlgorithm::New,
///     NetworkMode::VpcCniShared { eni: EniAttachment::Multi, static_ip: false },
/// );
/// let plan = plan_node(&shape, &ReservationConfig::default(), None)?;
/// assert_eq!(plan.max_pods.effective, 203);
/// assert_eq!(plan.allocatable.cpu_millis, 31_850);
/// // min(5611.52 MiB, 20 MiB x 203 + 256 MiB = 4316 MiB)
/// assert_eq!(plan.allocatable.reserved_memory_bytes, 4316 * MIB);
/// # Ok::<(), tke_reserve::Error>(())
/// ```
#[inline]
pub fn plan_node(
    shape: &NodeShape<'_>,
    config: &ReservationConfig,
    table: Option<&PodLimitTable>,
) -> Result<NodePlan, Error> {
    let max_pods = max_pods(
        shape.network,
        shape.capacity.cpu_millis,
        shape.instance_type,
        shape.kubelet_max_pods,
        table,
    )?;
    let allocatable = allocatable(shape.algorithm, shape.capacity, max_pods.effective, config)?;
    Ok(NodePlan {
        max_pods,
        allocatable,
    })
}
