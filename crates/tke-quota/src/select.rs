//! Choosing a level for a planned cluster (recommended limits, capacity spec §4.4) and checking
//! usage against a level's hard quotas (§4.3).

use std::cmp::Ordering;

use crate::error::QuotaError;
use crate::level::{Dimension, LevelSpec, LevelTable};

/// A planned cluster. Dimensions left at 0 never constrain the choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClusterPlan {
    /// Normal and native nodes.
    pub nodes: u64,
    /// Pods (all namespaces and states, without system-component pods).
    pub pods: u64,
    /// ReplicaSets.
    pub replicasets: u64,
    /// ConfigMaps.
    pub configmaps: u64,
    /// Custom-resource objects of all CRD types together.
    pub crds: u64,
    /// Objects of the most numerous other kind (Services, ClusterRoles, …).
    pub other_per_kind: u64,
}

impl ClusterPlan {
    /// The planned value in one dimension.
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

/// The room left in one dimension at the chosen level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headroom {
    /// The dimension.
    pub dimension: Dimension,
    /// The planned value.
    pub planned: u64,
    /// The chosen level's recommended limit.
    pub limit: u64,
    /// `limit − planned`.
    pub remaining: u64,
}

impl Headroom {
    /// `planned / limit` (0 when the limit is 0).
    pub fn utilization(&self) -> f64 {
        if self.limit == 0 {
            0.0
        } else {
            self.planned as f64 / self.limit as f64
        }
    }

    /// Compares utilizations exactly (cross-multiplication), higher first = `Greater`.
    fn cmp_utilization(&self, other: &Headroom) -> Ordering {
        let a = u128::from(self.planned) * u128::from(other.limit.max(1));
        let b = u128::from(other.planned) * u128::from(self.limit.max(1));
        a.cmp(&b)
    }
}

/// The answer to "which level does this plan need?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelChoice<'t> {
    /// The chosen level.
    pub level: &'t LevelSpec,
    /// Its position in the table.
    pub index: usize,
    /// The dimension that decided it: the one whose own smallest sufficient level is the chosen
    /// one (ties: the one with the highest utilization at the chosen level, then the order of
    /// [`Dimension::ALL`]). For the C1 example (50 nodes, 2 000 pods) this is `Pods`.
    pub deciding: Dimension,
    /// Headroom in every dimension, in the order of [`Dimension::ALL`].
    pub headroom: [Headroom; 6],
}

impl LevelChoice<'_> {
    /// The headroom in one dimension.
    pub fn headroom_of(&self, d: Dimension) -> Headroom {
        // `Dimension::ALL` lists the variants in declaration order.
        self.headroom[d as usize]
    }
}

impl LevelTable {
    /// The smallest enabled level whose recommended limits hold every dimension of `plan`
    /// (all comparisons `≤`, S:192-194).
    pub fn choose_level(&self, plan: &ClusterPlan) -> Result<LevelChoice<'_>, QuotaError> {
        let levels = self.levels();
        // Per dimension, the first enabled level that holds it; the chosen level is the latest of
        // these because the columns never shrink (checked by `LevelTable::new`).
        let mut own_min = [0usize; 6];
        for (slot, d) in own_min.iter_mut().zip(Dimension::ALL) {
            let planned = plan.get(d);
            *slot = levels
                .iter()
                .position(|l| l.enabled && planned <= l.recommended.get(d))
                .ok_or_else(|| self.too_large(d, planned))?;
        }
        let index = own_min.iter().copied().max().unwrap_or(0);
        let level = &levels[index];
        let headroom = Dimension::ALL.map(|d| {
            let planned = plan.get(d);
            let limit = level.recommended.get(d);
            Headroom {
                dimension: d,
                planned,
                limit,
                remaining: limit - planned,
            }
        });
        let mut deciding = 0;
        for i in 1..6 {
            let better = match own_min[i].cmp(&own_min[deciding]) {
                Ordering::Greater => true,
                Ordering::Less => false,
                Ordering::Equal => headroom[i].cmp_utilization(&headroom[deciding]).is_gt(),
            };
            if better {
                deciding = i;
            }
        }
        Ok(LevelChoice {
            level,
            index,
            deciding: Dimension::ALL[deciding],
            headroom,
        })
    }

    fn too_large(&self, dimension: Dimension, planned: u64) -> QuotaError {
        let largest = self
            .levels()
            .iter()
            .rev()
            .find(|l| l.enabled)
            .unwrap_or(&self.levels()[self.levels().len() - 1]);
        QuotaError::ExceedsLargestLevel {
            dimension,
            planned,
            largest: largest.name.clone(),
            limit: largest.recommended.get(dimension),
        }
    }

    /// Checks cluster-wide usage (counted after the intended creation) against the hard quotas of
    /// `level` and the account's per-cluster node cap. The report lists everything TKE would
    /// refuse.
    pub fn check_hard_quota(
        &self,
        level: &str,
        usage: &HardQuotaUsage,
    ) -> Result<HardQuotaReport, QuotaError> {
        let spec = self.get(level)?;
        let hard = spec.hard.ok_or_else(|| QuotaError::NoHardQuota {
            level: spec.name.clone(),
        })?;
        let mut violations = Vec::new();
        let mut check = |resource: QuotaResource, used: u64, limit: u64| {
            if used > limit {
                violations.push(QuotaViolation {
                    resource,
                    used,
                    limit,
                });
            }
        };
        check(
            QuotaResource::Nodes,
            usage.nodes,
            self.max_nodes_per_cluster(),
        );
        check(QuotaResource::Pods, usage.pods, hard.pods);
        check(QuotaResource::ConfigMaps, usage.configmaps, hard.configmaps);
        check(QuotaResource::CrdObjects, usage.crd_objects, hard.crds);
        for (kind, &used) in &usage.other_kinds {
            check(
                QuotaResource::Other(kind.clone()),
                used,
                hard.other_per_kind,
            );
        }
        Ok(HardQuotaReport { violations })
    }
}

/// Cluster-wide object counts for the hard-quota check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HardQuotaUsage {
    /// Normal and native nodes (checked against the account cap, not the level).
    pub nodes: u64,
    /// Pods.
    pub pods: u64,
    /// ConfigMaps.
    pub configmaps: u64,
    /// Custom-resource objects of all CRD types together (one shared pool, A-L3).
    pub crd_objects: u64,
    /// Every other kind by name (Service, ClusterRole, ReplicaSet, …), each checked separately.
    /// ReplicaSets belong here: the hard table exempts only Pod, Node and ConfigMap (S:913).
    pub other_kinds: std::collections::BTreeMap<String, u64>,
}

/// A quota-limited resource.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum QuotaResource {
    /// Nodes per cluster (account quota).
    Nodes,
    /// Pods.
    Pods,
    /// ConfigMaps.
    ConfigMaps,
    /// Custom-resource objects (all CRD types).
    CrdObjects,
    /// One other kind, by name.
    Other(String),
}

/// One quota that the usage exceeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaViolation {
    /// What is over quota.
    pub resource: QuotaResource,
    /// The usage.
    pub used: u64,
    /// The limit.
    pub limit: u64,
}

/// Result of [`LevelTable::check_hard_quota`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HardQuotaReport {
    /// Every exceeded quota (empty when everything fits).
    pub violations: Vec<QuotaViolation>,
}

impl HardQuotaReport {
    /// Whether the usage fits every quota.
    pub fn fits(&self) -> bool {
        self.violations.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(nodes: u64, pods: u64) -> ClusterPlan {
        ClusterPlan {
            nodes,
            pods,
            ..ClusterPlan::default()
        }
    }

    /// Capacity spec §4.4, C1-C8.
    #[test]
    fn level_vectors() {
        let t = LevelTable::tke_default();
        let cases: [(&str, ClusterPlan, &str, Dimension); 7] = [
            ("C1", plan(50, 2_000), "L100", Dimension::Pods),
            ("C2", plan(5, 150), "L5", Dimension::Nodes),
            ("C3", plan(6, 10), "L20", Dimension::Nodes),
            ("C4", plan(5, 151), "L20", Dimension::Pods),
            (
                "C5",
                ClusterPlan {
                    configmaps: 200,
                    ..plan(1, 0)
                },
                "L20",
                Dimension::ConfigMaps,
            ),
            (
                "C6",
                ClusterPlan {
                    configmaps: 1_025,
                    ..plan(100, 3_000)
                },
                "L200",
                Dimension::ConfigMaps,
            ),
            (
                "C7",
                ClusterPlan {
                    crds: 1_300,
                    ..plan(10, 0)
                },
                "L100",
                Dimension::Crds,
            ),
        ];
        for (id, p, want, deciding) in cases {
            let c = t.choose_level(&p).unwrap();
            assert_eq!(c.level.name, want, "{id}");
            assert_eq!(c.deciding, deciding, "{id}");
        }
        let c1 = t.choose_level(&plan(50, 2_000)).unwrap();
        let pods = c1.headroom_of(Dimension::Pods);
        assert_eq!(
            (pods.planned, pods.limit, pods.remaining),
            (2_000, 3_000, 1_000)
        );
        assert_eq!(c1.headroom_of(Dimension::Nodes).remaining, 50);
        // C8: 5 001 nodes fit no level.
        let err = t.choose_level(&plan(5_001, 0)).unwrap_err();
        assert!(matches!(
            err,
            QuotaError::ExceedsLargestLevel {
                dimension: Dimension::Nodes,
                planned: 5_001,
                limit: 5_000,
                ..
            }
        ));
    }

    /// C9, C10 and the node cap.
    #[test]
    fn hard_quota_vectors() {
        let t = LevelTable::tke_default();
        let usage = |pods| HardQuotaUsage {
            pods,
            ..HardQuotaUsage::default()
        };
        assert!(t.check_hard_quota("L100", &usage(6_000)).unwrap().fits());
        let r = t.check_hard_quota("L100", &usage(6_001)).unwrap();
        assert_eq!(
            r.violations,
            vec![QuotaViolation {
                resource: QuotaResource::Pods,
                used: 6_001,
                limit: 6_000
            }]
        );
        let mut u = usage(0);
        u.other_kinds.insert("Service".into(), 10_001);
        u.other_kinds.insert("ClusterRole".into(), 10_000);
        u.nodes = 5_001;
        let r = t.check_hard_quota("L100", &u).unwrap();
        let resources: Vec<_> = r.violations.iter().map(|v| v.resource.clone()).collect();
        assert_eq!(
            resources,
            vec![QuotaResource::Nodes, QuotaResource::Other("Service".into())]
        );
        assert!(t.check_hard_quota("L9", &u).is_err());
    }
}
