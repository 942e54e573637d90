//! Cluster sizing for Tencent Kubernetes Engine: "what cluster do I need for this workload, and
//! will it fit?", answered the way TKE sizes clusters. Pure computation, no I/O.
//!
//! ```
//! use tke_quota::{ClusterPlan, Dimension, GrOptions, GrPolicy, LevelTable};
//!
//! // 50 nodes but 2 000 pods need L100, not L50 (the TKE documentation's example).
//! let levels = LevelTable::tke_default();
//! let choice = levels.choose_level(&ClusterPlan { nodes: 50, pods: 2_000, ..Default::default() })?;
//! assert_eq!(choice.level.name, "L100");
//! assert_eq!(choice.deciding, Dimension::Pods);
//!
//! // A GlobalRouter container CIDR: 172.16.0.0/16, 64 pods per node, 256 services.
//! let gr = GrPolicy::default().plan(&GrOptions::parse("172.16.0.0/16", 64, 256)?)?;
//! assert_eq!(gr.max_nodes, 1020);
//! assert_eq!(gr.service_cidr.to_string(), "172.16.255.0/24");
//! # Ok::<(), tke_quota::QuotaError>(())
//! ```
//!
//! Modules:
//! * [`level`] – the levels as replaceable data (recommended limits, hard quotas, fees);
//! * [`select`] – level choice with the deciding dimension and headroom, hard-quota checks;
//! * [`upgrade`] – auto-upgrade triggers;
//! * [`split`] – the `tke-quota-config` namespace split;
//! * [`gr`] and [`overlap`] – GlobalRouter CIDR planning (forward and reverse) and overlap checks;
//! * [`dns`] – the DNS autoscaler formulas;
//! * [`workload`], [`allocatable`] and [`plan`] – capacity planning (bin packing with its lower
//!   bound, infeasible pods, then the level and the container CIDR);
//! * [`money`] – exact CNY amounts.

#![forbid(unsafe_code)]

pub mod allocatable;
pub mod dns;
mod error;
pub mod gr;
pub mod level;
pub mod money;
pub mod overlap;
mod pack;
pub mod plan;
pub mod select;
pub mod split;
pub mod upgrade;
pub mod workload;

pub use allocatable::{
    AllocatableSource, CapacityIsAllocatable, KUBELET_DEFAULT_MAX_PODS, NodeAllocatable, NodeType,
    TkeReserve,
};
pub use dns::{DnsAutoscaler, LadderParams, LinearParams};
pub use error::QuotaError;
pub use gr::{GrOptions, GrPlan, GrPolicy, GrRequirement, GrSizing};
pub use level::{
    ClusterLevelAttribute, Dimension, HardQuota, LevelSpec, LevelTable, RecommendedLimits,
};
pub use money::Cny;
pub use overlap::{Conflict, NamedRange, RangeRole, check_network};
pub use plan::{
    CapacityPlan, CapacityPlanner, Infeasible, NetworkPlanning, NodeCount, NodeLayout, PodShape,
    TypeBound,
};
pub use select::{
    ClusterPlan, HardQuotaReport, HardQuotaUsage, Headroom, LevelChoice, QuotaResource,
    QuotaViolation,
};
pub use split::{QuotaSplit, SplitConfig, SplitWarning};
/// Re-exported so callers can configure [`TkeReserve`] without a direct dependency.
pub use tke_reserve;
pub use upgrade::{
    Component, ControlPlaneObservation, PerComponent, Pressure, Trigger, UpgradeDecision,
};
pub use workload::{PodRequest, Workload, pod_request};
