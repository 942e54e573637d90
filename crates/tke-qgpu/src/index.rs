//! Candidate index: ordered sets of card keys bucketed by free compute, so that finding the best
//! fitting card costs at most one ordered-set lookup per compute bucket (21 buckets of 5%),
//! i.e. O(log n) in the fleet size instead of a scan of every card.
//!
//! Within a bucket every card has the same free compute, so "fits" reduces to "free memory at
//! least m", which is a range of the key order (memory is the key's most significant field).
//! Buckets below the requested compute are skipped with a bit mask.

use std::collections::BTreeSet;
use std::collections::btree_set::Range;

use crate::fleet::{CardState, FleetState, Pool, Slice};
use crate::inventory::{CORE_PER_GPU, MAX_DEVICES_PER_GPU};
use crate::order::{SchedulerPolicy, better, card_key, memory_floor, node_key};

const STEP: u8 = 5;
const BUCKETS: usize = (CORE_PER_GPU / STEP) as usize + 1;

/// Cards bucketed by the free compute of one pool.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Buckets {
    sets: Vec<BTreeSet<u64>>,
    /// Bit b set when bucket b is non-empty.
    mask: u32,
}

impl Buckets {
    fn new() -> Buckets {
        Buckets {
            sets: vec![BTreeSet::new(); BUCKETS],
            mask: 0,
        }
    }

    fn insert(&mut self, free: u8, key: u64) {
        let b = usize::from(free / STEP);
        self.sets[b].insert(key);
        self.mask |= 1 << b;
    }

    fn remove(&mut self, free: u8, key: u64) {
        let b = usize::from(free / STEP);
        self.sets[b].remove(&key);
        if self.sets[b].is_empty() {
            self.mask &= !(1 << b);
        }
    }

    /// Non-empty buckets with free compute >= `compute`.
    fn eligible(&self, compute: u8) -> impl Iterator<Item = &BTreeSet<u64>> {
        let first = u32::from(compute.div_ceil(STEP));
        let mut mask = self.mask & !((1u32 << first) - 1);
        std::iter::from_fn(move || {
            if mask == 0 {
                return None;
            }
            let b = mask.trailing_zeros();
            mask &= mask - 1;
            Some(b as usize)
        })
        .map(|b| &self.sets[b])
    }
}

/// The engine's capacity index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CapacityIndex {
    policy: SchedulerPolicy,
    core: Buckets,
    greedy: Buckets,
    online: BTreeSet<u64>,
    /// Node keys (untouched-card count) of usable nodes with at least one untouched card.
    whole: BTreeSet<u64>,
}

/// Best key in one ordered set for a memory floor, in the policy's direction.
#[inline]
fn best_in(policy: SchedulerPolicy, set: &BTreeSet<u64>, floor: u64) -> Option<u64> {
    match policy {
        SchedulerPolicy::Spread => set.last().copied().filter(|k| *k >= floor),
        SchedulerPolicy::Binpack => set.range(floor..).next().copied(),
    }
}

impl CapacityIndex {
    pub(crate) fn build(policy: SchedulerPolicy, fleet: &FleetState) -> CapacityIndex {
        let mut index = CapacityIndex {
            policy,
            core: Buckets::new(),
            greedy: Buckets::new(),
            online: BTreeSet::new(),
            whole: BTreeSet::new(),
        };
        for (n, node) in fleet.nodes.iter().enumerate() {
            for (gpu, card) in fleet.cards[node.cards()].iter().enumerate() {
                index.insert_card(card, n as u32, gpu as u8);
            }
            index.insert_node(node.usable(), node.empty_cards, n as u32);
        }
        index
    }

    /// Adds a card under its current state (call after a change).
    pub(crate) fn insert_card(&mut self, card: &CardState, node: u32, gpu: u8) {
        self.update_card(card, node, gpu, true);
    }

    /// Removes a card under its current state (call before a change).
    pub(crate) fn remove_card(&mut self, card: &CardState, node: u32, gpu: u8) {
        self.update_card(card, node, gpu, false);
    }

    /// Inserts or removes every entry a card has: one per compute pool it can still serve.
    fn update_card(&mut self, card: &CardState, node: u32, gpu: u8, insert: bool) {
        let full = card.whole || card.devices >= MAX_DEVICES_PER_GPU || card.memory_free == 0;
        if !card.usable || full {
            return;
        }
        let policy = self.policy;
        let pool = |buckets: &mut Buckets, free: u8| {
            if free > 0 {
                let key = card_key(policy, card.memory_free, free, node, gpu);
                if insert {
                    buckets.insert(free, key);
                } else {
                    buckets.remove(free, key);
                }
            }
        };
        pool(&mut self.core, card.core_free);
        if card.mixing {
            pool(&mut self.greedy, card.greedy_free);
            let key = card_key(policy, card.memory_free, 0, node, gpu);
            if insert {
                self.online.insert(key);
            } else {
                self.online.remove(&key);
            }
        }
    }

    pub(crate) fn insert_node(&mut self, usable: bool, empty: u8, node: u32) {
        if usable && empty > 0 {
            self.whole.insert(node_key(self.policy, empty, node));
        }
    }

    pub(crate) fn remove_node(&mut self, usable: bool, empty: u8, node: u32) {
        if usable && empty > 0 {
            self.whole.remove(&node_key(self.policy, empty, node));
        }
    }

    /// The best card key for a single slice, or `None` if no card fits.
    pub(crate) fn best_slice(&self, slice: &Slice) -> Option<u64> {
        let policy = self.policy;
        let floor = memory_floor(slice.memory);
        let buckets = match slice.pool {
            Pool::Online => return best_in(policy, &self.online, floor),
            Pool::Core => &self.core,
            Pool::Greedy => &self.greedy,
        };
        let mut best: Option<u64> = None;
        for set in buckets.eligible(slice.compute) {
            if let Some(key) = best_in(policy, set, floor)
                && best.is_none_or(|b| better(policy, key, b))
            {
                best = Some(key);
            }
        }
        best
    }

    /// All card keys that may fit `slice` (free compute and memory suffice, a device is free),
    /// best first: a k-way merge of the eligible buckets.
    pub(crate) fn slice_candidates<'a>(&'a self, slice: &Slice) -> impl Iterator<Item = u64> + 'a {
        let floor = memory_floor(slice.memory);
        let sets: Vec<&BTreeSet<u64>> = match slice.pool {
            Pool::Online => vec![&self.online],
            Pool::Core => self.core.eligible(slice.compute).collect(),
            Pool::Greedy => self.greedy.eligible(slice.compute).collect(),
        };
        Merge::new(
            self.policy,
            sets.into_iter().map(|s| s.range(floor..)).collect(),
        )
    }

    /// Node keys with at least `cards` untouched cards, best first.
    pub(crate) fn whole_candidates(&self, cards: u8) -> Box<dyn Iterator<Item = u64> + '_> {
        let floor = u64::from(cards) << 32;
        match self.policy {
            SchedulerPolicy::Spread => Box::new(self.whole.range(floor..).rev().copied()),
            SchedulerPolicy::Binpack => Box::new(self.whole.range(floor..).copied()),
        }
    }
}

/// K-way merge of ordered ranges in the policy's direction.
struct Merge<'a> {
    policy: SchedulerPolicy,
    heads: Vec<(Option<u64>, Range<'a, u64>)>,
}

impl<'a> Merge<'a> {
    fn new(policy: SchedulerPolicy, ranges: Vec<Range<'a, u64>>) -> Merge<'a> {
        let heads = ranges
            .into_iter()
            .map(|mut r| (Self::step(policy, &mut r), r))
            .collect();
        Merge { policy, heads }
    }

    fn step(policy: SchedulerPolicy, range: &mut Range<'a, u64>) -> Option<u64> {
        match policy {
            SchedulerPolicy::Spread => range.next_back().copied(),
            SchedulerPolicy::Binpack => range.next().copied(),
        }
    }
}

impl Iterator for Merge<'_> {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        let policy = self.policy;
        let mut best: Option<(u64, usize)> = None;
        for (i, (head, _)) in self.heads.iter().enumerate() {
            if let Some(key) = *head
                && best.is_none_or(|(b, _)| better(policy, key, b))
            {
                best = Some((key, i));
            }
        }
        let (key, i) = best?;
        let (head, range) = &mut self.heads[i];
        *head = Self::step(policy, range);
        Some(key)
    }
}
