//! Helper that picks the reservation algorithm from node type, Kubernetes version and the
//! date the node was added (capacity spec §2.2). The algorithm stays an explicit parameter
//! of every computation; this is only a convenience.

use std::fmt;
use std::str::FromStr;

use time::Date;

use crate::error::Error;
use crate::reservation::ReservationAlgorithm;

/// TKE node types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NodeKind {
    /// Normal (CVM) node, 普通节点.
    Normal,
    /// Native node, 原生节点.
    Native,
    /// Super (serverless, virtual) node, 超级节点.
    Super,
    /// Registered (IDC / external) node, 注册节点.
    Registered,
    /// Edge node.
    Edge,
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NodeKind::Normal => "normal",
            NodeKind::Native => "native",
            NodeKind::Super => "super",
            NodeKind::Registered => "registered",
            NodeKind::Edge => "edge",
        })
    }
}

/// A Kubernetes `major.minor` version, parsed from forms such as `1.30`, `v1.28.3` or
/// `v1.30.0-tke.5` (patch and suffix are ignored: the rules only look at major.minor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeVersion {
    /// Major version (1).
    pub major: u16,
    /// Minor version.
    pub minor: u16,
}

impl KubeVersion {
    /// `major.minor`.
    #[must_use]
    pub const fn new(major: u16, minor: u16) -> Self {
        KubeVersion { major, minor }
    }
}

impl fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for KubeVersion {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = |reason: &str| Error::invalid("kubernetes version", s, reason);
        let rest = s.strip_prefix('v').unwrap_or(s);
        let mut parts = rest.splitn(3, '.');
        let major = parts.next().unwrap_or_default();
        let minor = parts
            .next()
            .ok_or_else(|| bad("expected major.minor, e.g. 1.30"))?;
        // The patch part may carry a suffix (`0-tke.5`); only check it starts with digits.
        if let Some(patch) = parts.next()
            && !patch.starts_with(|c: char| c.is_ascii_digit())
        {
            return Err(bad("the patch version must start with a digit"));
        }
        let num = |p: &str| {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("major and minor must be decimal numbers"));
            }
            p.parse::<u16>()
                .map_err(|_| bad("version number too large"))
        };
        Ok(KubeVersion {
            major: num(major)?,
            minor: num(minor)?,
        })
    }
}

/// The last day on which a node did **not** yet get the old algorithm: the rule applies to
/// nodes "2022年6月24日后创建" (created after 24 June 2022, S:5887).
pub const OLD_ALGORITHM_AFTER: Date = time::macros::date!(2022 - 06 - 24);

/// Picks the documented algorithm.
///
/// * Super, registered and edge nodes have no documented rule: [`Error::Unsupported`].
/// * Kubernetes >= 1.30 (the node's kubelet version; the page says both "cluster" and
///   "node", A-R5): [`ReservationAlgorithm::New`].
/// * Kubernetes >= 1.16 and `added_on` strictly after 2022-06-24 (a calendar date in
///   Asia/Shanghai, the console's time zone; "后" read as exclusive): [`ReservationAlgorithm::Old`].
/// * Anything else (older nodes or versions) used an undocumented earlier rule:
///   [`Error::Unsupported`]. Such a node gets the old rule after being removed and re-added.
pub fn select_algorithm(
    kind: NodeKind,
    version: KubeVersion,
    added_on: Date,
) -> Result<ReservationAlgorithm, Error> {
    match kind {
        NodeKind::Normal | NodeKind::Native => {}
        other => {
            return Err(Error::Unsupported {
                field: "node_kind",
                value: other.to_string(),
                reason: "TKE documents node reservation only for normal and native nodes",
            });
        }
    }
    if version >= KubeVersion::new(1, 30) {
        return Ok(ReservationAlgorithm::New);
    }
    if version < KubeVersion::new(1, 16) {
        return Err(Error::Unsupported {
            field: "kubernetes_version",
            value: version.to_string(),
            reason: "the documented reservation rules need Kubernetes 1.16 or later",
        });
    }
    if added_on > OLD_ALGORITHM_AFTER {
        Ok(ReservationAlgorithm::Old)
    } else {
        Err(Error::Unsupported {
            field: "node_added_on",
            value: added_on.to_string(),
            reason: "nodes added on or before 2022-06-24 keep an undocumented earlier rule \
                     (remove and re-add the node to get the 2022 rule)",
        })
    }
}

/// The console's time zone (Asia/Shanghai, UTC+8, no daylight saving).
const SHANGHAI: time::UtcOffset = match time::UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => time::UtcOffset::UTC,
};

/// [`select_algorithm`] from an instant (e.g. the node's `metadata.creationTimestamp`):
/// the date is taken in Asia/Shanghai, so 2022-06-24T16:00:00Z is already 2022-06-25.
pub fn select_algorithm_at(
    kind: NodeKind,
    version: KubeVersion,
    added_at: time::OffsetDateTime,
) -> Result<ReservationAlgorithm, Error> {
    select_algorithm(kind, version, added_at.to_offset(SHANGHAI).date())
}
