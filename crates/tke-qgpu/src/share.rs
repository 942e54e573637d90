//! Compute-share model: the effective compute each pod on one card gets under load, per node
//! isolation policy (spec A.6) and online/offline priority (spec A.8).
//!
//! Model (the documentation describes behaviour, not a formula; this is its direct reading):
//! 1. Online (high-priority) pods preempt everything else absolutely and share the card among
//!    themselves by contention whatever the policy: max-min fair split of 100.
//! 2. The rest (normal and offline pods) share what online pods leave, by policy:
//!    * best-effort: contention, max-min fair split (N saturated pods get 1/N each);
//!    * fixed-share: each pod at most its quota (qgpu-core, or qgpu-core-greedy for offline);
//!    * burst-share: each pod first gets up to its quota, then idle compute (not used by
//!      anybody) is split max-min fair among pods that want more.
//!
//! When quotas oversubscribe what is left after online pods (only possible with online pods),
//! the quota-capped demands are split max-min fair.

use crate::error::{QgpuError, Result};
use crate::inventory::IsolationPolicy;

/// Total compute of one card, percent.
const CARD: f64 = 100.0;

/// A pod's priority class and quota on a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareClass {
    /// A normal pod with its qgpu-core quota.
    Normal {
        /// qgpu-core, percent.
        quota: u8,
    },
    /// An online (high-priority) pod.
    Online,
    /// An offline (low-priority) pod with its qgpu-core-greedy quota.
    Offline {
        /// qgpu-core-greedy, percent.
        quota: u8,
    },
}

/// One pod's load on a card.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PodLoad {
    /// Priority class and quota.
    pub class: ShareClass,
    /// Compute the pod would use alone, percent 0..=100 (0 = idle, 100 = saturating).
    pub demand: f64,
}

/// Effective compute (percent of the card) of each pod, in input order.
///
/// ```
/// use tke_qgpu::{IsolationPolicy, share::{effective_shares, PodLoad, ShareClass}};
/// // best-effort: three saturated pods get a third each
/// let busy = PodLoad { class: ShareClass::Normal { quota: 30 }, demand: 100.0 };
/// let shares = effective_shares(IsolationPolicy::BestEffort, &[busy; 3]).unwrap();
/// assert!(shares.iter().all(|s| (s - 100.0 / 3.0).abs() < 1e-9));
/// ```
pub fn effective_shares(policy: IsolationPolicy, pods: &[PodLoad]) -> Result<Vec<f64>> {
    for (index, pod) in pods.iter().enumerate() {
        if !pod.demand.is_finite() || !(0.0..=CARD).contains(&pod.demand) {
            return Err(QgpuError::InvalidLoad {
                index,
                field: "demand".into(),
                value: pod.demand.to_string(),
                reason: "must be a percentage between 0 and 100".into(),
            });
        }
        if let ShareClass::Normal { quota } | ShareClass::Offline { quota } = pod.class
            && quota > 100
        {
            return Err(QgpuError::InvalidLoad {
                index,
                field: "quota".into(),
                value: quota.to_string(),
                reason: "must be at most 100".into(),
            });
        }
    }
    let mut shares = vec![0.0; pods.len()];
    // 1. Online pods: contention among themselves, absolute priority over the rest.
    let online: Vec<usize> = (0..pods.len())
        .filter(|&i| pods[i].class == ShareClass::Online)
        .collect();
    let online_demands: Vec<f64> = online.iter().map(|&i| pods[i].demand).collect();
    let online_alloc = water_fill(CARD, &online_demands);
    for (k, &i) in online.iter().enumerate() {
        shares[i] = online_alloc[k];
    }
    let left = (CARD - online_alloc.iter().sum::<f64>()).max(0.0);
    // 2. Everyone else, by policy.
    let rest: Vec<usize> = (0..pods.len())
        .filter(|&i| pods[i].class != ShareClass::Online)
        .collect();
    let demand = |i: usize| pods[i].demand;
    let quota = |i: usize| match pods[i].class {
        ShareClass::Normal { quota } | ShareClass::Offline { quota } => f64::from(quota),
        ShareClass::Online => CARD,
    };
    let alloc = match policy {
        IsolationPolicy::BestEffort => {
            let d: Vec<f64> = rest.iter().map(|&i| demand(i)).collect();
            water_fill(left, &d)
        }
        IsolationPolicy::FixedShare => {
            let capped: Vec<f64> = rest.iter().map(|&i| demand(i).min(quota(i))).collect();
            water_fill(left, &capped)
        }
        IsolationPolicy::BurstShare => {
            let capped: Vec<f64> = rest.iter().map(|&i| demand(i).min(quota(i))).collect();
            let guaranteed = water_fill(left, &capped);
            let idle = (left - guaranteed.iter().sum::<f64>()).max(0.0);
            let wants: Vec<f64> = rest
                .iter()
                .zip(&guaranteed)
                .map(|(&i, g)| (demand(i) - g).max(0.0))
                .collect();
            let extra = water_fill(idle, &wants);
            guaranteed.iter().zip(extra).map(|(g, e)| g + e).collect()
        }
    };
    for (k, &i) in rest.iter().enumerate() {
        shares[i] = alloc[k];
    }
    Ok(shares)
}

/// Max-min fair division of `capacity` among `demands` (each gets at most its demand).
fn water_fill(capacity: f64, demands: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..demands.len()).collect();
    order.sort_by(|&a, &b| demands[a].total_cmp(&demands[b]));
    let mut out = vec![0.0; demands.len()];
    let mut left = capacity;
    for (k, &i) in order.iter().enumerate() {
        let fair = left / (order.len() - k) as f64;
        let give = demands[i].min(fair);
        out[i] = give;
        left -= give;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normal(quota: u8, demand: f64) -> PodLoad {
        PodLoad {
            class: ShareClass::Normal { quota },
            demand,
        }
    }
    fn offline(quota: u8, demand: f64) -> PodLoad {
        PodLoad {
            class: ShareClass::Offline { quota },
            demand,
        }
    }
    fn online(demand: f64) -> PodLoad {
        PodLoad {
            class: ShareClass::Online,
            demand,
        }
    }

    fn assert_shares(policy: IsolationPolicy, pods: &[PodLoad], expected: &[f64]) {
        let got = effective_shares(policy, pods).unwrap();
        assert_eq!(got.len(), expected.len());
        for (g, e) in got.iter().zip(expected) {
            assert!(
                (g - e).abs() < 1e-9,
                "{policy:?} {pods:?}: got {got:?}, want {expected:?}"
            );
        }
    }

    /// Documented behaviour (seed L18052–18070 and L18180–18230) as a table.
    #[test]
    fn documented_examples() {
        use IsolationPolicy::*;
        let cases: Vec<(&str, IsolationPolicy, Vec<PodLoad>, Vec<f64>)> = vec![
            // be: "N heavy pods each end up with 1/N"
            (
                "be N=2",
                BestEffort,
                vec![normal(30, 100.0); 2],
                vec![50.0, 50.0],
            ),
            (
                "be N=4",
                BestEffort,
                vec![normal(10, 100.0); 4],
                vec![25.0; 4],
            ),
            // be: "any pod may use whatever compute remains on the card"
            (
                "be alone",
                BestEffort,
                vec![normal(30, 100.0), normal(30, 0.0)],
                vec![100.0, 0.0],
            ),
            // fs: "cannot exceed the quota even when the GPU has idle compute"
            ("fs alone", FixedShare, vec![normal(30, 100.0)], vec![30.0]),
            (
                "fs two",
                FixedShare,
                vec![normal(30, 100.0), normal(50, 100.0)],
                vec![30.0, 50.0],
            ),
            (
                "fs under quota",
                FixedShare,
                vec![normal(30, 10.0)],
                vec![10.0],
            ),
            // bs: quota plus idle compute
            (
                "bs alone",
                BurstShare,
                vec![normal(30, 100.0), normal(70, 0.0)],
                vec![100.0, 0.0],
            ),
            // bs: when the idle compute is allocated again, the pod falls back to its quota
            (
                "bs contended",
                BurstShare,
                vec![normal(30, 100.0), normal(70, 100.0)],
                vec![30.0, 70.0],
            ),
            (
                "bs partial",
                BurstShare,
                vec![normal(30, 100.0), normal(50, 40.0)],
                vec![60.0, 40.0],
            ),
            // mixing: offline uses 100% of idle compute
            (
                "offline idle online",
                BestEffort,
                vec![online(0.0), offline(10, 100.0)],
                vec![0.0, 100.0],
            ),
            // mixing: online preempts 100%, regardless of policy
            (
                "online busy",
                FixedShare,
                vec![online(100.0), offline(10, 100.0)],
                vec![100.0, 0.0],
            ),
            // mixing: online pods contend among themselves, whatever the policy
            (
                "two online",
                FixedShare,
                vec![online(100.0), online(100.0), offline(50, 100.0)],
                vec![50.0, 50.0, 0.0],
            ),
            // mixing: offline pods share by policy what online leaves
            (
                "offline by be",
                BestEffort,
                vec![online(40.0), offline(10, 100.0), offline(10, 100.0)],
                vec![40.0, 30.0, 30.0],
            ),
            (
                "offline by fs",
                FixedShare,
                vec![online(40.0), offline(10, 100.0), offline(20, 100.0)],
                vec![40.0, 10.0, 20.0],
            ),
            (
                "offline by bs",
                BurstShare,
                vec![online(40.0), offline(10, 100.0), offline(20, 100.0)],
                vec![40.0, 25.0, 35.0],
            ),
        ];
        for (name, policy, pods, expected) in cases {
            let got = effective_shares(policy, &pods).unwrap();
            for (g, e) in got.iter().zip(&expected) {
                assert!(
                    (g - e).abs() < 1e-9,
                    "{name}: got {got:?}, want {expected:?}"
                );
            }
        }
        assert_shares(BestEffort, &[normal(5, 100.0); 3], &[100.0 / 3.0; 3]);
    }

    #[test]
    fn rejects_bad_loads() {
        for demand in [f64::NAN, -1.0, 100.5, f64::INFINITY] {
            let err = effective_shares(IsolationPolicy::BestEffort, &[normal(30, demand)]);
            assert!(
                matches!(err, Err(QgpuError::InvalidLoad { index: 0, .. })),
                "{demand}"
            );
        }
        let err = effective_shares(
            IsolationPolicy::FixedShare,
            &[normal(30, 1.0), normal(101, 1.0)],
        );
        assert!(matches!(err, Err(QgpuError::InvalidLoad { index: 1, .. })));
    }
}
