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
//! * [`allocatable`]: capacity - reservation - eviction threshold with user overrides
//!   ([`ReservationConfig`], also from `--kube-reserved` / `--eviction-hard` values) and a
//!   documented rounding policy; results as `k8s-openapi` quantities, kubelet flags and
//!   KubeletConfiguration fields.
//! * [`max_pods`]: GlobalRouter blocks and VPC-CNI ENI limits, with a user table in the shape
//!   of `DescribeVpcCniPodLimits` ([`PodLimitTable`]).
//! * [`plan_node`]: both at once for capacity planners (plain integers, no allocation).
//! * [`select_algorithm`]: which algorithm a node runs.
//! * [`supernode`]: super-node (serverless) pod spec selection from a `Pod`.
//! * [`ParsedQuantity`]: an exact Kubernetes quantity parser.
//!
//! # Rounding policy
//!
//! Arithmetic is exact. Rounding happens only when a reservation becomes a kubelet value:
//! CPU up to whole millicores (never reserve less than the formula), memory down to whole
//! MiB (what the document prints: 12 GiB -> 2252 MiB, 320 GiB -> 13475 MiB). Both are
//! configurable ([`Rounding`]). The `min()` of the new memory rule compares exact values.
//!
//! # Decisions where the documents are silent or contradict themselves
//!
//! Reservation (capacity spec §7):
//! * A-R1: the new-algorithm memory table prints `20 MiB x pods + 256 MiB` cells as
//!   MiB/1000 under a "GiB" label (576 MiB -> "0.58"); tests compare exact MiB and record
//!   the 27 mislabelled cells. Old-term cells are true GiB.
//! * A-R2: CPU rounds up to millicores, memory down to MiB (above).
//! * A-R3: the input is whatever capacity the caller passes (nominal or kubelet-reported).
//! * A-R4: the new rule's pod count defaults to the node's effective max pods
//!   (`min(kubelet max-pods, network limit)`); [`ReservationConfig::with_memory_rule_pods`]
//!   overrides it.
//! * A-R5: [`select_algorithm`] uses the node's version; ">= 1.30" selects the new rule;
//!   "after 2022-06-24" is exclusive, in Asia/Shanghai ([`select_algorithm_at`]); older
//!   nodes and super/registered/edge nodes get [`Error::Unsupported`].
//! * A-R6: the old tiers start at 1 core / 1 GiB; smaller nodes are errors. The new CPU rule
//!   is defined below 1 core and accepted. Zero, more than 65 536 cores or 1 PiB: errors.
//! * A-R7: default eviction is `memory.available<100Mi`; CPU has no eviction term.
//! * A-R8: ephemeral storage is not computed (no documented rule).
//!
//! Max pods (§3, A-N1/A-N4): GlobalRouter requests 4..=256 (older API bound; today's
//! console minimum is 16), block = next power of two, 3 addresses unusable. VPC-CNI default
//! tables skip some core counts (7, 11 shared; 3, 5-7 exclusive): those are errors unless a
//! [`PodLimitTable`] has the type; exclusive "≥8" means 8..=127. Single-ENI always uses the
//! default table (the API has no single-ENI figure).
//!
//! Super-node specs (qGPU spec part E): see [`supernode`]; in short, the default CPU table
//! is the Intel "资源规格" table the worked examples use (E-B1; monthly/on-demand tables are
//! provided as values), `mem` needs a binary unit or is bare GiB (E-B6), `count` is an alias
//! of `gpu-count` (E-B7), a bare `A10` is rejected (E-B8), "business containers empty"
//! means "declaring nothing" (E-B10), totals combine per resource (E-B11), native sidecars
//! count as business containers (E-B12), "最相近较大" is the nearest allowed value `>=`
//! (E-B13), GPU matching uses the raw totals when they exceed the CPU table (E-B14), init
//! containers' GPU requests count like Kubernetes' effective request (E-B15), each type of
//! a priority list is matched on its own (E-B16), and auto-upgrade moves to the next CPU
//! row with the smallest memory `>=` the current one (E-B17).
//!
//! Quantities: apimachinery's grammar and round-up-to-nano behaviour, including its quirks
//! (`1.`, `+`, `.`); values above 2^63-1 units are rejected rather than silently capped.
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
