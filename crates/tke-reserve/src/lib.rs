//! Node capacity math for Tencent Kubernetes Engine: what a node (or a super-node pod)
//! really gives your workloads, computed exactly as TKE documents it.
//!
//! ```
//! use tke_reserve::*;
//!
//! // An 8-core / 16 GiB normal node on Kubernetes 1.30, GlobalRouter with 64 pods per node.
//! let algorithm = select_algorithm(
//!     NodeKind::Normal,
//!     "v1.30.0-tke.5".parse()?,
//!     time::macros::date!(2025 - 01 - 10),
//! )?;
//! assert_eq!(algorithm, ReservationAlgorithm::New);
//!
//! let shape = NodeShape::new(
//!     NodeResources::from_cores_gib(8, 16),
//!     algorithm,
//!     NetworkMode::GlobalRouter { max_pods_per_node: 64 },
//! );
//! let plan = plan_node(&shape, &ReservationConfig::default(), None)?;
//! assert_eq!(plan.max_pods.effective, 61); // 64-address block minus 3
//! let a = plan.allocatable;
//! assert_eq!(a.reserved_cpu_millis, 90);
//! assert_eq!(a.cpu_quantity().0, "7910m");
//! // min(2662.4 MiB, 20 MiB x 61 + 256 MiB = 1476 MiB), minus the 100 MiB eviction threshold
//! assert_eq!(a.memory_quantity().0, "14808Mi");
//! assert_eq!(a.kube_reserved_flag(), "--kube-reserved=cpu=90m,memory=1476Mi");
//! # Ok::<(), tke_reserve::Error>(())
//! ```
//!
//! # What is inside
//!
//! * [`reserved_cpu`] / [`reserved_memory`]: the two documented reservation algorithms, exact
//!   (nanocores, centibytes).
//! * [`allocatable`]: capacity - reservation - eviction threshold with user overrides and a
//!   documented rounding policy ([`ReservationConfig`]).
//! * [`max_pods`]: GlobalRouter blocks and VPC-CNI ENI limits, with a user table in the shape
//!   of `DescribeVpcCniPodLimits` ([`PodLimitTable`]).
//! * [`plan_node`]: both at once for capacity planners (no allocation).
//! * [`select_algorithm`]: which algorithm a node runs.
//!
//! # Rounding policy
//!
//! Arithmetic is exact. Rounding happens only when a reservation becomes a kubelet value:
//! CPU up to whole millicores, memory down to whole MiB (what the document prints:
//! 12 GiB -> 2252 MiB, 320 GiB -> 13475 MiB). Both are configurable.
#![forbid(unsafe_code)]

mod allocatable;
mod error;
mod kubelet;
mod max_pods;
mod plan;
mod quantity;
mod reservation;
mod select;
pub mod supernode;
mod units;

pub use allocatable::{
    Allocatable, DEFAULT_EVICTION_HARD_MEMORY_BYTES, EvictionThreshold, ReservationConfig,
    allocatable,
};
pub use error::{Error, Resource};
pub use kubelet::{KubeletConfigFields, cpu_quantity, memory_quantity};
pub use max_pods::{
    DescribeVpcCniPodLimitsResponse, EniAttachment, GLOBAL_ROUTER_MAX_PODS_RANGE,
    GLOBAL_ROUTER_RESERVED_PER_NODE, MaxPods, NetworkMode, PodLimitSource, PodLimitTable,
    PodLimitsByType, PodLimitsInstance, exclusive_eni_default_limit, global_router_block, max_pods,
    shared_eni_default_limit,
};
pub use plan::{NodePlan, NodeShape, plan_node};
pub use quantity::ParsedQuantity;
pub use reservation::{
    CpuReservation, MemoryReservation, MemoryTerm, ReservationAlgorithm, reserved_cpu,
    reserved_memory,
};
pub use select::{
    KubeVersion, NodeKind, OLD_ALGORITHM_AFTER, select_algorithm, select_algorithm_at,
};
pub use units::{
    GIB, KIB, MAX_CPU_MILLIS, MAX_MEMORY_BYTES, MIB, NANOS_PER_MILLI, NodeResources, Rounding, TIB,
};
