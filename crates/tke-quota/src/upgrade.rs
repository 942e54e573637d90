//! Auto-upgrade (自动升配) triggers, capacity spec §4.5 (S:883-897, E:113-118).
//!
//! Decisions where the source is ambiguous (A-L4), each tested below:
//! * T2 compares each component's OOM restarts separately (apiserver > 2, controller-manager > 3,
//!   scheduler > 3), not their sum.
//! * T3's "load" is the kube-apiserver's load, given as the lowest value over the last 10
//!   minutes (so "sustained above 70%" is `> 70`).
//! * T4 needs **both** CPU and memory at or above 95% (`≥`) for **more than** 10 minutes.
//! * The target is the next enabled level (the edge guide's "更高一档"); a repeated evaluation
//!   steps further. There is no automatic downgrade.

use std::fmt;

use crate::error::QuotaError;
use crate::level::{LevelSpec, LevelTable};

/// A control-plane component watched by the triggers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Component {
    /// kube-apiserver.
    ApiServer,
    /// kube-controller-manager.
    ControllerManager,
    /// kube-scheduler.
    Scheduler,
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Component::ApiServer => "kube-apiserver",
            Component::ControllerManager => "kube-controller-manager",
            Component::Scheduler => "kube-scheduler",
        })
    }
}

/// One value per control-plane component.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PerComponent<T> {
    /// kube-apiserver.
    pub apiserver: T,
    /// kube-controller-manager.
    pub controller_manager: T,
    /// kube-scheduler.
    pub scheduler: T,
}

impl<T: Copy> PerComponent<T> {
    /// `(component, value)` pairs in a fixed order.
    pub fn iter(&self) -> [(Component, T); 3] {
        [
            (Component::ApiServer, self.apiserver),
            (Component::ControllerManager, self.controller_manager),
            (Component::Scheduler, self.scheduler),
        ]
    }
}

/// A component's sustained resource pressure: CPU and memory have both stayed at or above the
/// given percentages for `minutes` consecutive minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Pressure {
    /// Lowest CPU load (percent of its limit) over the streak.
    pub cpu_percent: f64,
    /// Lowest memory load (percent of its limit) over the streak.
    pub memory_percent: f64,
    /// Length of the streak in minutes.
    pub minutes: u32,
}

/// Observed control-plane metrics (as from metrics-server).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ControlPlaneObservation {
    /// Normal and native nodes.
    pub nodes: u64,
    /// OOM restarts in the past 24 hours.
    pub oom_restarts_24h: PerComponent<u32>,
    /// kube-apiserver OOM restarts in the past 2 hours.
    pub apiserver_oom_restarts_2h: u32,
    /// kube-apiserver load: the lowest value (percent) over the last 10 minutes.
    pub apiserver_load_10m_percent: f64,
    /// Sustained CPU and memory pressure per component.
    pub pressure: PerComponent<Pressure>,
}

/// A documented trigger that fired.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trigger {
    /// T1: more nodes than the level's node scale.
    NodeCount {
        /// Observed nodes.
        nodes: u64,
        /// The level's recommended node count.
        limit: u64,
    },
    /// T2: too many OOM restarts in 1 day.
    OomRestartsInDay {
        /// The component.
        component: Component,
        /// Its restarts.
        restarts: u32,
    },
    /// T3: apiserver OOM restarts in 2 hours together with sustained load above 70%.
    OomRestartsWithLoad {
        /// Restarts in 2 hours.
        restarts: u32,
        /// Load percent over the last 10 minutes.
        load_percent: f64,
    },
    /// T4: CPU and memory at 95% for more than 10 minutes.
    SustainedPressure {
        /// The component.
        component: Component,
        /// Length of the streak in minutes.
        minutes: u32,
    },
}

impl Trigger {
    /// The spec's trigger id (`T1` … `T4`).
    pub fn id(&self) -> &'static str {
        match self {
            Trigger::NodeCount { .. } => "T1",
            Trigger::OomRestartsInDay { .. } => "T2",
            Trigger::OomRestartsWithLoad { .. } => "T3",
            Trigger::SustainedPressure { .. } => "T4",
        }
    }
}

/// Thresholds of the documented triggers.
const APISERVER_OOM_DAY: u32 = 2;
const OTHER_OOM_DAY: u32 = 3;
const APISERVER_OOM_2H: u32 = 1;
const LOAD_PERCENT: f64 = 70.0;
const PRESSURE_PERCENT: f64 = 95.0;
const PRESSURE_MINUTES: u32 = 10;

/// The outcome of an auto-upgrade evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum UpgradeDecision<'t> {
    /// No trigger fired.
    Stay,
    /// Upgrade to `target` because of `trigger` (the first that fired, in T1…T4 order).
    Upgrade {
        /// The next level.
        target: &'t LevelSpec,
        /// The first trigger that fired.
        trigger: Trigger,
        /// Every trigger that fired.
        fired: Vec<Trigger>,
    },
    /// A trigger fired, but the cluster is already at the largest level.
    AlreadyMax {
        /// The first trigger that fired.
        trigger: Trigger,
    },
}

/// Every trigger that fires for `obs` on a cluster whose level limits `level_nodes` nodes.
pub fn fired_triggers(level_nodes: u64, obs: &ControlPlaneObservation) -> Vec<Trigger> {
    let mut fired = Vec::new();
    if obs.nodes > level_nodes {
        fired.push(Trigger::NodeCount {
            nodes: obs.nodes,
            limit: level_nodes,
        });
    }
    for (component, restarts) in obs.oom_restarts_24h.iter() {
        let limit = match component {
            Component::ApiServer => APISERVER_OOM_DAY,
            _ => OTHER_OOM_DAY,
        };
        if restarts > limit {
            fired.push(Trigger::OomRestartsInDay {
                component,
                restarts,
            });
        }
    }
    if obs.apiserver_oom_restarts_2h > APISERVER_OOM_2H
        && obs.apiserver_load_10m_percent > LOAD_PERCENT
    {
        fired.push(Trigger::OomRestartsWithLoad {
            restarts: obs.apiserver_oom_restarts_2h,
            load_percent: obs.apiserver_load_10m_percent,
        });
    }
    for (component, p) in obs.pressure.iter() {
        if p.cpu_percent >= PRESSURE_PERCENT
            && p.memory_percent >= PRESSURE_PERCENT
            && p.minutes > PRESSURE_MINUTES
        {
            fired.push(Trigger::SustainedPressure {
                component,
                minutes: p.minutes,
            });
        }
    }
    fired
}

impl LevelTable {
    /// Evaluates the auto-upgrade triggers for a cluster at level `current`.
    pub fn evaluate_auto_upgrade(
        &self,
        current: &str,
        obs: &ControlPlaneObservation,
    ) -> Result<UpgradeDecision<'_>, QuotaError> {
        let level = self.get(current)?;
        let fired = fired_triggers(level.recommended.nodes, obs);
        let Some(&trigger) = fired.first() else {
            return Ok(UpgradeDecision::Stay);
        };
        Ok(match self.next_level(current)? {
            Some(target) => UpgradeDecision::Upgrade {
                target,
                trigger,
                fired,
            },
            None => UpgradeDecision::AlreadyMax { trigger },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oom_day(apiserver: u32, kcm: u32, sched: u32) -> ControlPlaneObservation {
        ControlPlaneObservation {
            oom_restarts_24h: PerComponent {
                apiserver,
                controller_manager: kcm,
                scheduler: sched,
            },
            ..Default::default()
        }
    }

    fn pressure(cpu: f64, mem: f64, minutes: u32) -> ControlPlaneObservation {
        ControlPlaneObservation {
            pressure: PerComponent {
                controller_manager: Pressure {
                    cpu_percent: cpu,
                    memory_percent: mem,
                    minutes,
                },
                ..Default::default()
            },
            ..Default::default()
        }
    }

    /// Capacity spec §4.5, U1-U9, plus the boundary choices of A-L4.
    #[test]
    fn upgrade_vectors() {
        let t = LevelTable::tke_default();
        let nodes = |n| ControlPlaneObservation {
            nodes: n,
            ..Default::default()
        };
        let load = |restarts, load| ControlPlaneObservation {
            apiserver_oom_restarts_2h: restarts,
            apiserver_load_10m_percent: load,
            ..Default::default()
        };
        // (id, level, observation, expected target or None, expected trigger id)
        let cases: Vec<(&str, &str, ControlPlaneObservation, Option<&str>, &str)> = vec![
            ("U1", "L5", nodes(6), Some("L20"), "T1"),
            ("U2", "L5", nodes(5), None, ""),
            ("U3", "L20", oom_day(3, 0, 0), Some("L50"), "T2"),
            ("U4", "L20", oom_day(2, 3, 0), None, ""),
            ("U5", "L20", oom_day(0, 0, 4), Some("L50"), "T2"),
            ("U6", "L50", load(2, 75.0), Some("L100"), "T3"),
            ("U7", "L50", load(1, 99.0), None, ""),
            ("T3 load at exactly 70%", "L50", load(2, 70.0), None, ""),
            ("U8", "L100", pressure(95.0, 96.0, 11), Some("L200"), "T4"),
            (
                "T4 needs > 10 min",
                "L100",
                pressure(99.0, 99.0, 10),
                None,
                "",
            ),
            (
                "T4 needs cpu and mem",
                "L100",
                pressure(99.0, 94.9, 30),
                None,
                "",
            ),
            (
                "T2 per component, not summed",
                "L100",
                oom_day(0, 2, 2),
                None,
                "",
            ),
        ];
        for (id, level, obs, target, trigger) in cases {
            let d = t.evaluate_auto_upgrade(level, &obs).unwrap();
            match (target, d) {
                (None, UpgradeDecision::Stay) => {}
                (
                    Some(want),
                    UpgradeDecision::Upgrade {
                        target,
                        trigger: tr,
                        ..
                    },
                ) => {
                    assert_eq!(target.name, want, "{id}");
                    assert_eq!(tr.id(), trigger, "{id}");
                }
                (want, got) => panic!("{id}: want {want:?}, got {got:?}"),
            }
        }
        // U9: the top level cannot go higher.
        let d = t.evaluate_auto_upgrade("L5000", &nodes(5_001)).unwrap();
        assert!(matches!(d, UpgradeDecision::AlreadyMax { trigger } if trigger.id() == "T1"));
        // Several triggers: the first in T1..T4 order is reported, all are listed.
        let mut obs = oom_day(3, 0, 0);
        obs.nodes = 21;
        match t.evaluate_auto_upgrade("L20", &obs).unwrap() {
            UpgradeDecision::Upgrade { trigger, fired, .. } => {
                assert_eq!(trigger.id(), "T1");
                assert_eq!(fired.len(), 2);
            }
            other => panic!("{other:?}"),
        }
    }
}
