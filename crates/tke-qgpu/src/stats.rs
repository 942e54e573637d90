//! Fleet utilisation and fragmentation.

use crate::fleet::FleetState;
use crate::inventory::{CORE_PER_GPU, MAX_DEVICES_PER_GPU};

/// A snapshot of how full the fleet is. Only usable (qGPU-enabled, schedulable) nodes count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FleetStats {
    /// Usable nodes.
    pub nodes: usize,
    /// Usable nodes holding at least one pod.
    pub nodes_in_use: usize,
    /// Cards on usable nodes.
    pub cards: usize,
    /// Cards holding at least one qGPU device.
    pub cards_in_use: usize,
    /// Cards allocated whole.
    pub whole_cards: usize,
    /// Placed pods.
    pub pods: usize,
    /// qgpu-core capacity (100 per card).
    pub core_capacity: u64,
    /// qgpu-core allocated (whole cards count 100).
    pub core_allocated: u64,
    /// qgpu-memory capacity in units.
    pub memory_capacity: u64,
    /// qgpu-memory allocated in units (whole cards count all their memory).
    pub memory_allocated: u64,
    /// qgpu-core-greedy capacity (100 per card of mixing nodes).
    pub greedy_capacity: u64,
    /// qgpu-core-greedy allocated.
    pub greedy_allocated: u64,
    /// qGPU devices in use (a whole card counts one).
    pub devices: u64,
    /// Free qgpu-core on cards already in use (cannot serve whole-card requests).
    pub core_free_on_used_cards: u64,
    /// Free qgpu-core that no slice can use: on cards without free memory or device slots.
    pub core_stranded: u64,
    /// Free qgpu-memory that no slice can use: on cards without free compute or device slots.
    pub memory_stranded: u64,
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

impl FleetStats {
    /// Allocated / capacity of qgpu-core, 0..=1.
    pub fn core_utilisation(&self) -> f64 {
        ratio(self.core_allocated, self.core_capacity)
    }

    /// Allocated / capacity of qgpu-memory, 0..=1.
    pub fn memory_utilisation(&self) -> f64 {
        ratio(self.memory_allocated, self.memory_capacity)
    }

    /// Allocated / capacity of qgpu-core-greedy, 0..=1.
    pub fn greedy_utilisation(&self) -> f64 {
        ratio(self.greedy_allocated, self.greedy_capacity)
    }

    /// Fragmentation, 0..=1: the share of free qgpu-core that sits on partly used cards, so
    /// it cannot serve a whole-card request. 0 when all free compute is on untouched cards.
    pub fn fragmentation(&self) -> f64 {
        ratio(
            self.core_free_on_used_cards,
            self.core_capacity - self.core_allocated,
        )
    }

    pub(crate) fn collect(fleet: &FleetState, pods: usize) -> FleetStats {
        let mut s = FleetStats {
            pods,
            ..FleetStats::default()
        };
        for node in fleet.nodes.iter().filter(|n| n.usable()) {
            s.nodes += 1;
            let mut used = false;
            for card in &fleet.cards[node.cards()] {
                s.cards += 1;
                s.core_capacity += u64::from(CORE_PER_GPU);
                s.memory_capacity += u64::from(card.memory_total);
                s.core_allocated += u64::from(CORE_PER_GPU - card.core_free);
                s.memory_allocated += u64::from(card.memory_total - card.memory_free);
                if card.mixing {
                    s.greedy_capacity += u64::from(CORE_PER_GPU);
                    // A whole card takes the greedy pool too.
                    s.greedy_allocated += u64::from(CORE_PER_GPU - card.greedy_free);
                }
                s.devices += u64::from(card.devices);
                if card.whole {
                    s.whole_cards += 1;
                }
                if !card.is_empty() {
                    used = true;
                    s.cards_in_use += 1;
                    s.core_free_on_used_cards += u64::from(card.core_free);
                    let no_slots = card.devices >= MAX_DEVICES_PER_GPU;
                    if no_slots || card.memory_free == 0 {
                        s.core_stranded += u64::from(card.core_free);
                    }
                    if no_slots || (card.core_free == 0 && !card.mixing) {
                        s.memory_stranded += u64::from(card.memory_free);
                    }
                }
            }
            if used {
                s.nodes_in_use += 1;
            }
        }
        s
    }
}
