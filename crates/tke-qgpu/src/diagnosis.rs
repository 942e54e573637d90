//! Why a pod fits nowhere, counted per node and worded like kube-scheduler's
//! `0/5000 nodes are available: ...` event.
//!
//! Reasons are listed by descending node count, ties alphabetically by message (kube-scheduler
//! sorts its strings alphabetically only; the most frequent reason first reads better).
//! A node may contribute several reasons (e.g. both compute and memory short), as in
//! kube-scheduler.

use std::fmt;

use crate::fleet::{Demand, FleetState, Pool, Unit};
use crate::inventory::MAX_DEVICES_PER_GPU;
use crate::order::SchedulerPolicy;
use crate::request::{AppClass, QGPU_CORE, QGPU_CORE_GREEDY, QGPU_MEMORY};

/// One reason a node rejected a pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// The node is cordoned (`spec.unschedulable`).
    NodeUnschedulable,
    /// qGPU is not enabled on the node.
    QgpuDisabled,
    /// Online/offline pod on a node without mixing.
    NoMixing,
    /// No card with a free device slot has enough qgpu-core.
    InsufficientCore,
    /// No card with a free device slot has enough qgpu-core-greedy.
    InsufficientGreedy,
    /// No card with a free device slot has enough qgpu-memory.
    InsufficientMemory,
    /// Every card already holds 16 qGPU devices (or a whole-card pod).
    DeviceLimit,
    /// Compute and memory are each available, but never on the same card.
    NoSingleGpu,
    /// Fewer untouched cards than whole cards requested.
    NotEnoughWholeGpus,
    /// The primary container fits but the pod's other containers do not.
    PodDoesNotFit,
}

impl Reason {
    /// The message kube-scheduler style (without the count).
    pub fn message(self) -> String {
        match self {
            Reason::NodeUnschedulable => "node(s) were unschedulable".into(),
            Reason::QgpuDisabled => "node(s) did not have qGPU enabled".into(),
            Reason::NoMixing => "node(s) did not support online/offline mixing".into(),
            Reason::InsufficientCore => format!("Insufficient {QGPU_CORE}"),
            Reason::InsufficientGreedy => format!("Insufficient {QGPU_CORE_GREEDY}"),
            Reason::InsufficientMemory => format!("Insufficient {QGPU_MEMORY}"),
            Reason::DeviceLimit => {
                format!("node(s) reached the qGPU device limit ({MAX_DEVICES_PER_GPU} per GPU)")
            }
            Reason::NoSingleGpu => {
                "node(s) had no single GPU with enough compute and memory together".into()
            }
            Reason::NotEnoughWholeGpus => "node(s) did not have enough free whole GPUs".into(),
            Reason::PodDoesNotFit => {
                "node(s) could not fit all of the pod's qGPU containers".into()
            }
        }
    }
}

/// The per-reason node counts of a failed placement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unschedulable {
    total_nodes: usize,
    reasons: Vec<(Reason, usize)>,
}

impl Unschedulable {
    /// Number of nodes in the fleet.
    pub fn total_nodes(&self) -> usize {
        self.total_nodes
    }

    /// (reason, node count), most frequent first.
    pub fn reasons(&self) -> &[(Reason, usize)] {
        &self.reasons
    }

    /// Node count for one reason (0 if absent).
    pub fn count(&self, reason: Reason) -> usize {
        self.reasons
            .iter()
            .find(|(r, _)| *r == reason)
            .map_or(0, |(_, n)| *n)
    }
}

impl fmt::Display for Unschedulable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0/{} nodes are available", self.total_nodes)?;
        for (i, (reason, count)) in self.reasons.iter().enumerate() {
            let sep = if i == 0 { ": " } else { ", " };
            write!(f, "{sep}{count} {}", reason.message())?;
        }
        f.write_str(".")
    }
}

/// Explains why `demand` fits on no node of `fleet` (called only after a failed search).
pub(crate) fn diagnose(
    fleet: &FleetState,
    policy: SchedulerPolicy,
    class: AppClass,
    demand: &Demand<'_>,
) -> Unschedulable {
    let mut counts = [0usize; 10];
    let mut scratch = Vec::new();
    for (n, node) in fleet.nodes.iter().enumerate() {
        let mut add = |r: Reason| counts[r as usize] += 1;
        if !node.schedulable {
            add(Reason::NodeUnschedulable);
            continue;
        }
        if !node.qgpu_enabled {
            add(Reason::QgpuDisabled);
            continue;
        }
        if class != AppClass::Normal && !node.mixing {
            add(Reason::NoMixing);
            continue;
        }
        let cards = &fleet.cards[node.cards()];
        match demand.primary() {
            Unit::Whole(n) => {
                if node.empty_cards < n {
                    add(Reason::NotEnoughWholeGpus);
                    continue;
                }
            }
            Unit::Slice(slice) => {
                let open = || {
                    cards
                        .iter()
                        .filter(|c| !c.whole && c.devices + slice.devices <= MAX_DEVICES_PER_GPU)
                };
                if open().next().is_none() {
                    add(Reason::DeviceLimit);
                    continue;
                }
                let compute_ok = open().any(|c| c.pool_free(slice.pool) >= slice.compute);
                let memory_ok = open().any(|c| c.memory_free >= slice.memory);
                if !compute_ok {
                    add(match slice.pool {
                        Pool::Greedy => Reason::InsufficientGreedy,
                        _ => Reason::InsufficientCore,
                    });
                }
                if !memory_ok {
                    add(Reason::InsufficientMemory);
                }
                if !compute_ok || !memory_ok {
                    continue;
                }
                if !open().any(|c| c.fits(&slice)) {
                    add(Reason::NoSingleGpu);
                    continue;
                }
            }
        }
        if !demand.is_simple() && !fleet.plan_on_node(policy, n as u32, demand, &mut scratch) {
            add(Reason::PodDoesNotFit);
        }
    }
    const ALL: [Reason; 10] = [
        Reason::NodeUnschedulable,
        Reason::QgpuDisabled,
        Reason::NoMixing,
        Reason::InsufficientCore,
        Reason::InsufficientGreedy,
        Reason::InsufficientMemory,
        Reason::DeviceLimit,
        Reason::NoSingleGpu,
        Reason::NotEnoughWholeGpus,
        Reason::PodDoesNotFit,
    ];
    let mut reasons: Vec<(Reason, usize)> = ALL
        .iter()
        .map(|r| (*r, counts[*r as usize]))
        .filter(|(_, n)| *n > 0)
        .collect();
    reasons.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| a.0.message().cmp(&b.0.message()))
    });
    Unschedulable {
        total_nodes: fleet.nodes.len(),
        reasons,
    }
}
