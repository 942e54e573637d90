//! TKE qGPU: validate qGPU requests exactly as TKE does and place pods onto GPU nodes the way
//! the qgpu-scheduler does, fast enough to simulate a whole fleet.
//!
//! ```
//! use tke_qgpu::{GpuCard, GpuNode, PlacementEngine, PodRequest, SchedulerPolicy};
//!
//! # fn main() -> Result<(), tke_qgpu::QgpuError> {
//! // Two nodes with two 32 GiB V100 cards each.
//! let nodes: Vec<GpuNode> = ["gpu-a", "gpu-b"]
//!     .iter()
//!     .map(|name| {
//!         let card = GpuCard::new("V100", 32 * 1024).expect("V100 is supported");
//!         GpuNode::new(*name, vec![card.clone(), card])
//!     })
//!     .collect::<Result<_, _>>()?;
//! let mut engine = PlacementEngine::new(&nodes, SchedulerPolicy::Spread)?;
//!
//! // 30% of a card and 5G of memory (the documented example), twice: Spread keeps them apart.
//! let pod = PodRequest::fraction("default/infer", 30, 5)?;
//! let first = engine.place(&pod)?;
//! let second = engine.place(&pod)?;
//! assert_ne!(first.node, second.node);
//!
//! // 33% is not a multiple of 5: rejected with pod, container, resource and value.
//! let err = PodRequest::fraction("default/bad", 33, 1).unwrap_err();
//! assert!(err.to_string().contains("tke.cloud.tencent.com/qgpu-core = \"33\""));
//!
//! // Releasing gives the capacity back.
//! engine.release(first.handle)?;
//! assert_eq!(engine.stats().pods, 1);
//! # Ok(())
//! # }
//! ```
//!
//! Modules, one concept each:
//! * [`request`]: qGPU resource names and request validation from k8s `Pod`s or plain values;
//! * [`quantity`]: exact parsing of Kubernetes quantities into whole units;
//! * [`inventory`]: supported models and drivers, node isolation policy, nodes and cards;
//! * [`engine`]: the placement engine (indexed, with a reference scan), release and stats;
//! * [`diagnosis`]: kube-scheduler style "0/N nodes are available: ..." reasons;
//! * [`share`]: effective compute share per isolation policy under load;
//! * [`stats`]: utilisation and fragmentation.
//!
//! Choices the specification leaves open are documented where they are made: E-A2 (core above
//! 100) in [`request`], E-A1 (memory unit) and E-A3 (model list) in [`inventory`], E-A6 and the
//! Spread/Binpack orders on [`SchedulerPolicy`], the share formulas in [`share`].

#![forbid(unsafe_code)]

pub mod diagnosis;
pub mod engine;
pub mod error;
mod fleet;
mod index;
pub mod inventory;
mod order;
pub mod quantity;
pub mod request;
pub mod share;
pub mod stats;

pub use diagnosis::{Reason, Unschedulable};
pub use engine::{GpuUsage, NodeId, Placement, PlacementEngine, PodHandle, Search};
pub use error::{QgpuError, Result};
pub use fleet::{Assignment, Share};
pub use inventory::{
    CardInventory, GpuCard, GpuModel, GpuNode, IsolationPolicy, SUPPORTED_DRIVERS, SUPPORTED_MODELS,
};
pub use order::SchedulerPolicy;
pub use request::{AppClass, ContainerRequest, PodRequest, RawValues};
pub use stats::FleetStats;
