//! The crate's single error type.

use crate::object::{ObjectList, ObjectRef};

/// Everything that can be wrong with the inputs, the merged desired state or a plan.
///
/// Messages name the offending object, annotation or field and its value. Certificate IDs and other
/// Secret contents never appear in messages; only Secret *names* do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum ClbError {
    /// An annotation value could not be parsed or is out of range.
    #[error("{object}: annotation `{annotation}` has invalid value {value:?}: {reason}")]
    InvalidAnnotation {
        /// Object carrying the annotation.
        object: ObjectRef,
        /// Annotation key.
        annotation: String,
        /// Offending value.
        value: String,
        /// Why it is invalid.
        reason: String,
    },
    /// Two annotations that must not be combined (or one requires the other).
    #[error("{object}: annotations `{first}` and `{second}`: {reason}")]
    AnnotationConflict {
        /// Object carrying the annotations.
        object: ObjectRef,
        /// First annotation key.
        first: String,
        /// Second annotation key.
        second: String,
        /// Why the combination is invalid.
        reason: String,
    },
    /// A field of the object spec is invalid for CLB mapping.
    #[error("{object}: field `{field}` has invalid value {value:?}: {reason}")]
    InvalidField {
        /// Object.
        object: ObjectRef,
        /// Field path, e.g. `spec.ports[0].nodePort`.
        field: String,
        /// Offending value.
        value: String,
        /// Why it is invalid.
        reason: String,
    },
    /// A referenced object (Secret, TkeServiceConfig, Service) is missing or unusable.
    #[error("{object}: {target_kind} `{name}`: {reason}")]
    Reference {
        /// Referencing object.
        object: ObjectRef,
        /// Kind of the referenced object (`Secret`, `TkeServiceConfig`, `Service`).
        target_kind: String,
        /// Name of the referenced object.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A `TkeServiceConfig` value is invalid.
    #[error("TkeServiceConfig {config}: `{field}` = {value:?}: {reason}")]
    InvalidTkeServiceConfig {
        /// `namespace/name` of the config.
        config: String,
        /// Field path inside the config.
        field: String,
        /// Offending value.
        value: String,
        /// Why it is invalid.
        reason: String,
    },
    /// Several objects (or an object and the CLB's existing configuration) want incompatible things.
    #[error("CLB {clb}: {reason} (objects: {objects})")]
    Conflict {
        /// CLB ID or description of the CLB to create.
        clb: String,
        /// Objects involved.
        objects: ObjectList,
        /// What conflicts.
        reason: String,
    },
    /// A documented quota or limit is exceeded.
    #[error("CLB {clb}: {what} is {actual}, above the limit of {limit} (objects: {objects})")]
    LimitExceeded {
        /// CLB ID or description.
        clb: String,
        /// What is counted.
        what: String,
        /// The limit.
        limit: usize,
        /// The actual count.
        actual: usize,
        /// Objects contributing.
        objects: ObjectList,
    },
    /// A change the controllers forbid on a live object (spec §3.9).
    #[error("{object}: forbidden change: {reason}")]
    ForbiddenChange {
        /// Changed object.
        object: ObjectRef,
        /// Which restriction applies.
        reason: String,
    },
    /// A YAML manifest document could not be read.
    #[error("manifest document {index}: {reason}")]
    Manifest {
        /// Zero-based document index in the stream.
        index: usize,
        /// Parse error.
        reason: String,
    },
    /// The in-memory CLB simulator refused a call (what the CLB API would refuse).
    #[error("CLB {clb}: call {call} rejected: {reason}")]
    CallRejected {
        /// CLB ID.
        clb: String,
        /// Call name.
        call: String,
        /// Why.
        reason: String,
    },
}

/// Crate result alias.
pub type Result<T, E = ClbError> = std::result::Result<T, E>;
