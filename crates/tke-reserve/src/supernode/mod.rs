//! Super-node (serverless) pod specs: the billable CPU/memory/GPU size TKE gives a pod on a
//! super node or TKE Serverless (qGPU spec part B).
//!
//! ```
//! use k8s_openapi::api::core::v1::Pod;
//! use tke_reserve::supernode::{SpecTables, select_pod_spec};
//!
//! // The document's CPU example 2: totals 4 cores / 6 GiB -> 4C8GiB.
//! let pod: Pod = serde_json::from_value(serde_json::json!({
//!     "spec": {"containers": [
//!         {"name": "c1", "resources": {"limits": {"cpu": "4", "memory": "4Gi"},
//!                                      "requests": {"cpu": "2", "memory": "4Gi"}}},
//!         {"name": "c2", "resources": {"limits": {"cpu": "1", "memory": "2Gi"},
//!                                      "requests": {"cpu": "1", "memory": "2Gi"}}}
//!     ]}
//! }))?;
//! let tables = SpecTables::default();
//! let selection = select_pod_spec(&pod, &tables)?;
//! assert_eq!(selection.spec.to_string(), "4C8GiB");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod annotations;
mod matching;
mod spec;
mod tables;
mod totals;

pub use annotations::SpecAnnotations;
pub use matching::{DEFAULT_CPU_MILLIS, DEFAULT_MEMORY_MIB, match_cpu_spec, match_gpu_spec};
pub use spec::{
    PodSpec, SpecSelection, SpecSource, select_for_totals, select_pod_spec, upgrade_once,
};
pub use tables::{
    CpuSpecRow, CpuSpecTable, CpuVendor, GpuSpecRow, GpuSpecTable, MemoryChoice, SpecTables,
};
pub use totals::{GPU_RESOURCE, PodTotals, pod_totals};
