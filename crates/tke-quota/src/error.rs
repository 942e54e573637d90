//! The crate's single error type.

use crate::level::Dimension;

/// Everything that can go wrong in `tke-quota`.
///
/// Messages name the offending field (or key, or object) and its value, so a caller can show them
/// to a user as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QuotaError {
    /// A level table is not usable (empty, duplicate names, or a column that shrinks).
    #[error("invalid level table: {reason}")]
    InvalidLevelTable {
        /// What is wrong with the table.
        reason: String,
    },

    /// No level with this name exists in the table.
    #[error("unknown cluster level `{name}`")]
    UnknownLevel {
        /// The name that was looked up.
        name: String,
    },

    /// The level has no hard-quota row (e.g. a level built from `DescribeClusterLevelAttribute`
    /// results that TKE's documented tables do not know).
    #[error("cluster level `{level}` has no hard quota data")]
    NoHardQuota {
        /// The level's name.
        level: String,
    },

    /// The plan exceeds the largest (enabled) level in this dimension.
    #[error("{dimension} = {planned} exceeds the largest level `{largest}` (limit {limit})")]
    ExceedsLargestLevel {
        /// The dimension that no level holds.
        dimension: Dimension,
        /// The planned value.
        planned: u64,
        /// The largest level's name.
        largest: String,
        /// The largest level's limit in that dimension.
        limit: u64,
    },

    /// A value in the `tke-quota-config` ConfigMap is not an integer percentage.
    #[error(
        "tke-quota-config: value of key `{key}` is {value:?}, expected an integer percentage 0-100"
    )]
    MalformedPercentage {
        /// The `data` key (a namespace name).
        key: String,
        /// The raw value.
        value: String,
    },

    /// A ConfigMap given to a parser is not the one it expects.
    #[error("ConfigMap {field} is {found:?}, expected {expected:?}")]
    WrongConfigMap {
        /// `metadata.name` or `metadata.namespace`.
        field: &'static str,
        /// What the ConfigMap has.
        found: String,
        /// What the parser expects.
        expected: &'static str,
    },

    /// A CIDR string does not parse as an IPv4 network.
    #[error("{field}: {value:?} is not an IPv4 CIDR ({reason})")]
    InvalidCidr {
        /// The field being parsed.
        field: &'static str,
        /// The raw value.
        value: String,
        /// Why it does not parse.
        reason: String,
    },

    /// A CIDR has host bits set.
    #[error("{field}: {value} has host bits set; the network is {normalized}")]
    CidrNotNormalized {
        /// The field being checked.
        field: &'static str,
        /// The given CIDR.
        value: String,
        /// The normalized form.
        normalized: String,
    },

    /// A container CIDR lies outside the private ranges 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16.
    #[error("{field}: {value} is not inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16")]
    NotPrivate {
        /// The field being checked.
        field: &'static str,
        /// The given CIDR.
        value: String,
    },

    /// A numeric option is outside its allowed range.
    #[error("{field} = {value} is outside the allowed range {min}..={max}")]
    OutOfRange {
        /// The option's name.
        field: &'static str,
        /// The given value.
        value: u64,
        /// Smallest allowed value.
        min: u64,
        /// Largest allowed value.
        max: u64,
    },

    /// A GlobalRouter configuration leaves no room for a single node.
    #[error(
        "container CIDR {cidr} ({addresses} addresses) holds no node: service block {service_block}, per-node block {node_block}"
    )]
    NoNodeFits {
        /// The container CIDR.
        cidr: String,
        /// Its address count.
        addresses: u64,
        /// The rounded service block size.
        service_block: u64,
        /// The rounded per-node block size.
        node_block: u64,
    },

    /// A container CIDR is smaller than the policy's minimum size.
    #[error("container CIDR {cidr} has {addresses} addresses, the policy requires at least {min}")]
    CidrTooSmall {
        /// The container CIDR.
        cidr: String,
        /// Its address count.
        addresses: u64,
        /// The policy minimum.
        min: u64,
    },

    /// No private range is large enough for the requested cluster.
    #[error(
        "a cluster of {nodes} nodes needs {addresses} container addresses; more than a /8 holds"
    )]
    ClusterTooLargeForCidr {
        /// Requested node count.
        nodes: u64,
        /// Addresses needed.
        addresses: u64,
    },

    /// DNS autoscaler parameters are invalid.
    #[error("dns autoscaler {field}: {reason}")]
    InvalidDnsParams {
        /// The parameter (or ConfigMap key).
        field: String,
        /// What is wrong.
        reason: String,
    },

    /// A Kubernetes resource quantity does not parse.
    #[error("{object}: {field} = {value:?} is not a valid quantity ({reason})")]
    InvalidQuantity {
        /// The object (workload name) it belongs to.
        object: String,
        /// The field (e.g. `containers[app].requests.cpu`).
        field: String,
        /// The raw value.
        value: String,
        /// Why it does not parse.
        reason: String,
    },

    /// An input to the capacity planner is invalid.
    #[error("{object}: {field} = {value} ({reason})")]
    InvalidPlanInput {
        /// The object (workload or node type name).
        object: String,
        /// The offending field.
        field: &'static str,
        /// Its value.
        value: String,
        /// Why it is invalid.
        reason: &'static str,
    },

    /// The allocatable source could not compute a node type's allocatable resources.
    #[error("node type `{node_type}`: allocatable unavailable ({reason})")]
    Allocatable {
        /// The node type's name.
        node_type: String,
        /// The underlying reason.
        reason: String,
    },
}
