//! Cluster levels (L5 … L5000) as replaceable data: the recommended configuration, the hard
//! quotas and the hourly management fee of each level (capacity spec §4.1-§4.3, misc spec §2.1).

use std::fmt;

use serde::Deserialize;

use crate::error::QuotaError;
use crate::money::Cny;

/// The per-cluster node cap of a Tencent Cloud account (capacity spec §4.7, S:805-833).
pub const ACCOUNT_MAX_NODES_PER_CLUSTER: u64 = 5_000;

/// A planned or observed cluster dimension that a level limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    /// Normal and native nodes (super nodes are not counted).
    Nodes,
    /// Pods in all namespaces and states, excluding system-component pods.
    Pods,
    /// ReplicaSets.
    ReplicaSets,
    /// ConfigMaps.
    ConfigMaps,
    /// Custom-resource objects of all CRD types together.
    Crds,
    /// Objects of the largest other kind (Service, ClusterRole, Endpoints, …), each kind separately.
    OtherPerKind,
}

impl Dimension {
    /// All dimensions, in the order reports list them.
    pub const ALL: [Dimension; 6] = [
        Dimension::Nodes,
        Dimension::Pods,
        Dimension::ReplicaSets,
        Dimension::ConfigMaps,
        Dimension::Crds,
        Dimension::OtherPerKind,
    ];

    /// A stable lower-case name (`nodes`, `pods`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            Dimension::Nodes => "nodes",
            Dimension::Pods => "pods",
            Dimension::ReplicaSets => "replicasets",
            Dimension::ConfigMaps => "configmaps",
            Dimension::Crds => "crds",
            Dimension::OtherPerKind => "other_per_kind",
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The recommended ("推荐配置") limits of a level (S:234-270). Level choice uses these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecommendedLimits {
    /// Max managed nodes.
    pub nodes: u64,
    /// Max pods.
    pub pods: u64,
    /// Max ReplicaSets.
    pub replicasets: u64,
    /// Max ConfigMaps.
    pub configmaps: u64,
    /// Max custom-resource objects (all CRD types together).
    pub crds: u64,
    /// Max objects of each other kind.
    pub other_per_kind: u64,
}

impl RecommendedLimits {
    /// The limit in one dimension.
    pub const fn get(&self, d: Dimension) -> u64 {
        match d {
            Dimension::Nodes => self.nodes,
            Dimension::Pods => self.pods,
            Dimension::ReplicaSets => self.replicasets,
            Dimension::ConfigMaps => self.configmaps,
            Dimension::Crds => self.crds,
            Dimension::OtherPerKind => self.other_per_kind,
        }
    }
}

/// The hard quotas of a level (S:867-937), enforced through the `tke-default-quota`
/// ResourceQuota. The hard table has no node and no ReplicaSet column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HardQuota {
    /// Pod limit.
    pub pods: u64,
    /// ConfigMap limit.
    pub configmaps: u64,
    /// Limit on the sum of custom-resource objects over all CRD types.
    pub crds: u64,
    /// Limit on each other kind separately (every kind except Pod, Node, ConfigMap).
    pub other_per_kind: u64,
}

/// One cluster level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelSpec {
    /// Level name, e.g. `L100`.
    pub name: String,
    /// Display alias (from `DescribeClusterLevelAttribute`), if any.
    pub alias: Option<String>,
    /// Recommended limits.
    pub recommended: RecommendedLimits,
    /// Hard quotas, when known.
    pub hard: Option<HardQuota>,
    /// Hourly management fee (managed clusters), when known.
    pub hourly_fee: Option<Cny>,
    /// Whether the level can be chosen (`Enable` in the API).
    pub enabled: bool,
}

impl LevelSpec {
    /// The management fee for `hours` hours, if the fee is known.
    pub fn fee_for_hours(&self, hours: u64) -> Option<Cny> {
        self.hourly_fee.map(|fee| fee.times(hours))
    }
}

/// One row of the `DescribeClusterLevelAttribute` response (`ClusterLevelAttribute`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct ClusterLevelAttribute {
    pub name: String,
    #[serde(default)]
    pub alias: Option<String>,
    pub node_count: u64,
    pub pod_count: u64,
    pub config_map_count: u64,
    #[serde(rename = "CRDCount")]
    pub crd_count: u64,
    pub other_count: u64,
    #[serde(rename = "RSCount")]
    pub rs_count: u64,
    #[serde(default = "enabled_by_default")]
    pub enable: bool,
}

fn enabled_by_default() -> bool {
    true
}

/// The documented levels: (name, recommended nodes, pods, RS, ConfigMaps, CRD/other,
/// hard pods, hard ConfigMaps, hard CRD/other, fee in fen).
const TKE_LEVELS: [(&str, [u64; 5], [u64; 3], u64); 9] = [
    ("L5", [5, 150, 900, 128, 150], [600, 256, 1_250], 13),
    ("L20", [20, 600, 3_600, 256, 600], [1_500, 512, 2_500], 40),
    (
        "L50",
        [50, 1_500, 9_000, 512, 1_250],
        [3_000, 1_024, 5_000],
        73,
    ),
    (
        "L100",
        [100, 3_000, 18_000, 1_024, 2_500],
        [6_000, 2_048, 10_000],
        122,
    ),
    (
        "L200",
        [200, 6_000, 36_000, 2_048, 5_000],
        [15_000, 4_096, 20_000],
        255,
    ),
    (
        "L500",
        [500, 15_000, 90_000, 4_096, 10_000],
        [30_000, 6_144, 50_000],
        511,
    ),
    (
        "L1000",
        [1_000, 30_000, 180_000, 6_144, 20_000],
        [90_000, 8_192, 100_000],
        938,
    ),
    (
        "L3000",
        [3_000, 90_000, 540_000, 8_192, 50_000],
        [150_000, 10_240, 150_000],
        1_560,
    ),
    (
        "L5000",
        [5_000, 150_000, 900_000, 10_240, 100_000],
        [200_000, 20_480, 200_000],
        2_804,
    ),
];

/// An ordered set of levels, smallest first.
///
/// Invariants checked by [`LevelTable::new`]: at least one level, unique names, and every
/// recommended and hard column non-decreasing from one level to the next (so "the smallest level
/// that holds the plan" is well defined and monotone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelTable {
    levels: Vec<LevelSpec>,
    max_nodes_per_cluster: u64,
}

impl LevelTable {
    /// TKE's documented levels with both tables and the fees (pages updated 2024-11-27,
    /// 2025-06-13 and 2024-08-16).
    pub fn tke_default() -> Self {
        let levels = TKE_LEVELS
            .iter()
            .map(|&(name, rec, hard, fen)| LevelSpec {
                name: name.to_owned(),
                alias: None,
                recommended: RecommendedLimits {
                    nodes: rec[0],
                    pods: rec[1],
                    replicasets: rec[2],
                    configmaps: rec[3],
                    crds: rec[4],
                    other_per_kind: rec[4],
                },
                hard: Some(HardQuota {
                    pods: hard[0],
                    configmaps: hard[1],
                    crds: hard[2],
                    other_per_kind: hard[2],
                }),
                hourly_fee: Some(Cny::from_cents(fen)),
                enabled: true,
            })
            .collect();
        LevelTable {
            levels,
            max_nodes_per_cluster: ACCOUNT_MAX_NODES_PER_CLUSTER,
        }
    }

    /// A table from caller-supplied levels (smallest first).
    pub fn new(levels: Vec<LevelSpec>) -> Result<Self, QuotaError> {
        let invalid = |reason: String| QuotaError::InvalidLevelTable { reason };
        if levels.is_empty() {
            return Err(invalid("no levels".to_owned()));
        }
        for (i, pair) in levels.windows(2).enumerate() {
            let (a, b) = (&pair[0], &pair[1]);
            if levels[..=i].iter().any(|l| l.name == b.name) {
                return Err(invalid(format!("duplicate level name `{}`", b.name)));
            }
            for d in Dimension::ALL {
                if b.recommended.get(d) < a.recommended.get(d) {
                    return Err(invalid(format!(
                        "recommended {d} shrinks from {} ({}) to {} ({})",
                        a.recommended.get(d),
                        a.name,
                        b.recommended.get(d),
                        b.name
                    )));
                }
            }
            if let (Some(ha), Some(hb)) = (a.hard, b.hard) {
                let cols = [
                    ("pods", ha.pods, hb.pods),
                    ("configmaps", ha.configmaps, hb.configmaps),
                    ("crds", ha.crds, hb.crds),
                    ("other_per_kind", ha.other_per_kind, hb.other_per_kind),
                ];
                if let Some((col, x, y)) = cols.into_iter().find(|&(_, x, y)| y < x) {
                    return Err(invalid(format!(
                        "hard {col} shrinks from {x} ({}) to {y} ({})",
                        a.name, b.name
                    )));
                }
            }
        }
        Ok(LevelTable {
            levels,
            max_nodes_per_cluster: ACCOUNT_MAX_NODES_PER_CLUSTER,
        })
    }

    /// A table from `DescribeClusterLevelAttribute` rows (sorted by node count). Hard quotas and
    /// fees are not part of that API: they are taken from the documented table for levels with a
    /// documented name and left empty otherwise. (The API reference's own sample response, "L5"
    /// with 500 nodes, is a placeholder that contradicts the tables, A-L7; it is not used as data.)
    pub fn from_api(rows: &[ClusterLevelAttribute]) -> Result<Self, QuotaError> {
        let documented = LevelTable::tke_default();
        let mut rows: Vec<&ClusterLevelAttribute> = rows.iter().collect();
        rows.sort_by_key(|r| r.node_count);
        let levels = rows
            .into_iter()
            .map(|r| {
                let known = documented.get(&r.name).ok();
                LevelSpec {
                    name: r.name.clone(),
                    alias: r.alias.clone(),
                    recommended: RecommendedLimits {
                        nodes: r.node_count,
                        pods: r.pod_count,
                        replicasets: r.rs_count,
                        configmaps: r.config_map_count,
                        crds: r.crd_count,
                        other_per_kind: r.other_count,
                    },
                    hard: known.and_then(|l| l.hard),
                    hourly_fee: known.and_then(|l| l.hourly_fee),
                    enabled: r.enable,
                }
            })
            .collect();
        LevelTable::new(levels)
    }

    /// Replaces the per-cluster node cap used by the hard-quota check (default 5 000).
    #[must_use]
    pub fn with_max_nodes_per_cluster(mut self, max: u64) -> Self {
        self.max_nodes_per_cluster = max;
        self
    }

    /// The per-cluster node cap used by the hard-quota check.
    pub fn max_nodes_per_cluster(&self) -> u64 {
        self.max_nodes_per_cluster
    }

    /// The levels, smallest first.
    pub fn levels(&self) -> &[LevelSpec] {
        &self.levels
    }

    /// The level with this name.
    pub fn get(&self, name: &str) -> Result<&LevelSpec, QuotaError> {
        self.levels
            .iter()
            .find(|l| l.name == name)
            .ok_or_else(|| QuotaError::UnknownLevel {
                name: name.to_owned(),
            })
    }

    /// Position of the level with this name.
    pub fn position(&self, name: &str) -> Result<usize, QuotaError> {
        self.levels
            .iter()
            .position(|l| l.name == name)
            .ok_or_else(|| QuotaError::UnknownLevel {
                name: name.to_owned(),
            })
    }

    /// The next enabled level above `name`, or `None` at the top.
    pub fn next_level(&self, name: &str) -> Result<Option<&LevelSpec>, QuotaError> {
        let i = self.position(name)?;
        Ok(self.levels[i + 1..].iter().find(|l| l.enabled))
    }
}

impl Default for LevelTable {
    fn default() -> Self {
        LevelTable::tke_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_tables_are_consistent() {
        let t = LevelTable::tke_default();
        // Re-validate the built-in data through the public constructor.
        LevelTable::new(t.levels().to_vec()).unwrap();
        for l in t.levels() {
            // S:234-270: pods = 30 × nodes and ReplicaSets = 6 × pods in every row.
            assert_eq!(l.recommended.pods, 30 * l.recommended.nodes, "{}", l.name);
            assert_eq!(
                l.recommended.replicasets,
                6 * l.recommended.pods,
                "{}",
                l.name
            );
        }
    }

    #[test]
    fn fee_vectors() {
        // misc spec §2.1: L5 for 24 h = 3.12; L100 for 720 h = 878.40; L5000 for 1 h = 28.04.
        let t = LevelTable::tke_default();
        let fee = |n: &str, h| t.get(n).unwrap().fee_for_hours(h).unwrap().to_string();
        assert_eq!(fee("L5", 24), "3.12");
        assert_eq!(fee("L100", 720), "878.40");
        assert_eq!(fee("L5000", 1), "28.04");
    }

    #[test]
    fn rejects_bad_tables() {
        let t = LevelTable::tke_default();
        assert!(LevelTable::new(vec![]).is_err());
        let mut swapped = t.levels().to_vec();
        swapped.swap(0, 1);
        let err = LevelTable::new(swapped).unwrap_err().to_string();
        assert!(err.contains("recommended nodes shrinks"), "{err}");
        let mut dup = t.levels().to_vec();
        dup[1].name = "L5".into();
        assert!(
            LevelTable::new(dup)
                .unwrap_err()
                .to_string()
                .contains("duplicate")
        );
    }

    #[test]
    fn table_from_describe_cluster_level_attribute() {
        // Rows in the API's shape (out of order); documented names get hard quotas and fees.
        let json = r#"[
            {"Name":"L20","Alias":"20节点","NodeCount":20,"PodCount":600,"ConfigMapCount":256,
             "CRDCount":600,"OtherCount":600,"RSCount":3600,"Enable":true},
            {"Name":"L5","Alias":"5节点","NodeCount":5,"PodCount":150,"ConfigMapCount":128,
             "CRDCount":150,"OtherCount":150,"RSCount":900,"Enable":false},
            {"Name":"LX","NodeCount":40,"PodCount":1200,"ConfigMapCount":300,
             "CRDCount":900,"OtherCount":800,"RSCount":7200}
        ]"#;
        let rows: Vec<ClusterLevelAttribute> = serde_json::from_str(json).unwrap();
        let t = LevelTable::from_api(&rows).unwrap();
        let names: Vec<&str> = t.levels().iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["L5", "L20", "LX"]);
        assert!(!t.levels()[0].enabled);
        assert_eq!(t.get("L20").unwrap().hard.unwrap().pods, 1_500);
        assert_eq!(t.get("L20").unwrap().alias.as_deref(), Some("20节点"));
        let lx = t.get("LX").unwrap();
        assert_eq!(
            (lx.hard, lx.hourly_fee, lx.recommended.other_per_kind),
            (None, None, 800)
        );
        // L5 is disabled, so a tiny plan lands on L20.
        let plan = crate::ClusterPlan {
            nodes: 1,
            ..Default::default()
        };
        assert_eq!(t.choose_level(&plan).unwrap().level.name, "L20");
        assert!(matches!(
            t.check_hard_quota("LX", &Default::default()),
            Err(QuotaError::NoHardQuota { .. })
        ));
    }

    #[test]
    fn next_level_skips_disabled() {
        let mut levels = LevelTable::tke_default().levels().to_vec();
        levels[1].enabled = false;
        let t = LevelTable::new(levels).unwrap();
        assert_eq!(t.next_level("L5").unwrap().unwrap().name, "L50");
        assert!(t.next_level("L5000").unwrap().is_none());
        assert!(t.next_level("L7").is_err());
    }
}
