//! The crate's single error type.

use crate::diagnosis::Unschedulable;

/// Everything that can go wrong in `tke-qgpu`.
///
/// Every variant names the offending object (pod or node), the field (container, resource, label)
/// and the value, so a message can be shown to a user as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QgpuError {
    /// A container's qGPU resource value breaks a documented rule.
    #[error("pod {pod}: container {container}: {resource} = {value:?}: {reason}")]
    InvalidResource {
        /// `namespace/name` of the pod (or the name given to a plain request).
        pod: String,
        /// Container name (`#<index>` for unnamed plain requests).
        container: String,
        /// Resource key, e.g. `tke.cloud.tencent.com/qgpu-core`.
        resource: String,
        /// The value as written (or the request/limit pair).
        value: String,
        /// Which rule the value breaks.
        reason: String,
    },
    /// The `tke.cloud.tencent.com/app-class` annotation has an unknown value.
    #[error(
        "pod {pod}: annotation {annotation} = {value:?}: expected \"online\", \"offline\" or no annotation"
    )]
    InvalidAppClass {
        /// `namespace/name` of the pod.
        pod: String,
        /// The annotation key.
        annotation: String,
        /// The value found.
        value: String,
    },
    /// A pod-level rule is broken (no qGPU request at all, too many devices on one card, ...).
    #[error("pod {pod}: {reason}")]
    InvalidPod {
        /// `namespace/name` of the pod.
        pod: String,
        /// Which rule is broken.
        reason: String,
    },
    /// A node field or label of the inventory is invalid.
    #[error("node {node}: {field} = {value:?}: {reason}")]
    InvalidNode {
        /// Node name.
        node: String,
        /// Label key, resource key or inventory field.
        field: String,
        /// The value found.
        value: String,
        /// Which rule the value breaks.
        reason: String,
    },
    /// Two nodes of one fleet share a name.
    #[error("node {node}: duplicate node name in the fleet")]
    DuplicateNode {
        /// The repeated name.
        node: String,
    },
    /// A compute-share load description is invalid.
    #[error("card load #{index}: {field} = {value}: {reason}")]
    InvalidLoad {
        /// Index of the pod load in the input slice.
        index: usize,
        /// Field name (`demand`, `quota`).
        field: String,
        /// The value found.
        value: String,
        /// Which rule the value breaks.
        reason: String,
    },
    /// The pod fits on no node; the diagnosis is phrased like kube-scheduler's.
    #[error("pod {pod}: {diagnosis}")]
    Unschedulable {
        /// `namespace/name` of the pod.
        pod: String,
        /// Per-reason node counts.
        diagnosis: Unschedulable,
    },
    /// `release` was called with a handle that is not (or no longer) placed.
    #[error("pod handle {handle}: no such placed pod")]
    UnknownPod {
        /// The handle value.
        handle: u64,
    },
}

/// Shorthand for results of this crate.
pub type Result<T, E = QgpuError> = std::result::Result<T, E>;
