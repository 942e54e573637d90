//! The crate's single error type.

use std::fmt;

/// A node resource named in an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Resource {
    /// CPU (millicores).
    Cpu,
    /// Memory (bytes).
    Memory,
    /// Pods.
    Pods,
    /// GPUs (`nvidia.com/gpu`, cards).
    Gpu,
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Resource::Cpu => "cpu",
            Resource::Memory => "memory",
            Resource::Pods => "pods",
            Resource::Gpu => "nvidia.com/gpu",
        })
    }
}

/// Everything that can go wrong in `tke-reserve`.
///
/// Every message names the offending field (or annotation, or container) and its value.
/// Bad input never panics; it returns one of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A numeric input is outside the domain the documented rules cover
    /// (zero or absurd capacity, a core count the default tables do not list, ...).
    #[error("{field} = {value} is out of range: {reason}")]
    OutOfRange {
        /// The input field, e.g. `capacity.cpu_millis`.
        field: &'static str,
        /// The rejected value.
        value: u64,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// The input is well formed but no documented rule covers it
    /// (e.g. super, registered or edge nodes have no documented reservation rule).
    #[error("unsupported {field} = {value}: {reason}")]
    Unsupported {
        /// The input field, e.g. `node_kind`.
        field: &'static str,
        /// The rejected value.
        value: String,
        /// Why it is unsupported.
        reason: &'static str,
    },
    /// Capacity minus reservation minus eviction threshold would be negative.
    #[error(
        "allocatable {resource} would be negative: capacity {capacity} - reserved {reserved} - eviction threshold {eviction}"
    )]
    NegativeAllocatable {
        /// The resource (CPU in millicores, memory in bytes).
        resource: Resource,
        /// The capacity.
        capacity: u64,
        /// The (rounded) reservation.
        reserved: u64,
        /// The eviction threshold.
        eviction: u64,
    },
    /// A string value (quantity, version, date, list ...) could not be parsed or is not allowed.
    #[error("invalid {field}: {value:?}: {reason}")]
    InvalidValue {
        /// Where the value came from, e.g. `containers[app].resources.requests.cpu`
        /// or `annotation eks.tke.cloud.tencent.com/mem`.
        field: String,
        /// The rejected value, verbatim.
        value: String,
        /// Why it is rejected.
        reason: String,
    },
    /// A super-node pod total exceeds the largest spec in the table.
    #[error(
        "no super-node pod spec fits: {resource} total {requested} exceeds the largest supported spec ({largest})"
    )]
    SpecExceeded {
        /// The resource whose total is too large.
        resource: Resource,
        /// The requested total, human readable (e.g. `72 cores`, `600Gi`).
        requested: String,
        /// The largest spec of the table for that resource, human readable.
        largest: String,
    },
}

impl Error {
    pub(crate) fn invalid(
        field: impl Into<String>,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Error::InvalidValue {
            field: field.into(),
            value: value.into(),
            reason: reason.into(),
        }
    }
}
