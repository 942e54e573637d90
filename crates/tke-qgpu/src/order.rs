//! Scheduler policies and the total orders they impose on candidate cards and nodes.
//!
//! Candidates are compared through packed `u64` keys so that the indexed engine (ordered sets of
//! keys) and the reference scan (a linear search over the same keys) agree bit for bit.

/// qgpu-scheduler placement policy (spec A.7; the config spelling is not documented, E-A6).
///
/// The documentation gives the intent only; the engine makes it a total order so that
/// placement is deterministic:
///
/// * **Spread** ("spread over different nodes and different GPU cards, preferring more remaining
///   resources") takes the fitting card with the **most** free qgpu-memory, then the most free
///   compute in the requested pool, then the lowest GPU index, then the lowest node index. Ties
///   go to GPU 0 of every node before GPU 1 of any node, so replicas land on different nodes
///   first and different cards next.
/// * **Binpack** ("preferentially use the same node") is best fit: the fitting card with the
///   **least** free memory, then the least free compute, then the lowest node index, then the
///   lowest GPU index, so a card and then a node are filled before the next one is opened.
/// * Whole-card requests go by node: Spread takes the node with the most untouched cards,
///   Binpack the node with the fewest that still suffice (ties: lowest node index); the cards
///   used are the node's lowest-indexed untouched ones.
/// * Pods with several units (containers on different cards, whole cards plus slices) go to the
///   node of the first candidate, in the order above for their largest unit, on which all
///   units fit; within the node each unit takes its best card in the same order.
///
/// The card order is card-level rather than node-level ("most free node") on purpose: it keeps
/// each decision a few ordered-set lookups (see the engine) and still spreads replicas over
/// nodes and cards, or packs them, as described.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SchedulerPolicy {
    /// Spread pods over nodes and cards, preferring the most remaining resources.
    #[default]
    Spread,
    /// Pack pods onto the same node and card first.
    Binpack,
}

impl SchedulerPolicy {
    /// Parses `Spread` / `Binpack`, case-insensitively (the exact spelling is not documented).
    pub fn parse(value: &str) -> Option<SchedulerPolicy> {
        if value.eq_ignore_ascii_case("spread") {
            Some(SchedulerPolicy::Spread)
        } else if value.eq_ignore_ascii_case("binpack") {
            Some(SchedulerPolicy::Binpack)
        } else {
            None
        }
    }
}

/// Bits of a card key below the memory field.
pub(crate) const MEMORY_SHIFT: u32 = 40;
/// Largest memory (in units) a key can hold.
pub(crate) const MAX_KEY_MEMORY: u32 = (1 << (64 - MEMORY_SHIFT)) - 1;
/// Largest node index a key can hold.
pub(crate) const MAX_KEY_NODE: u32 = (1 << 24) - 1;

/// Key of a card for a slice drawing on a pool with `pool_free` free compute.
#[inline]
pub(crate) fn card_key(
    policy: SchedulerPolicy,
    memory_free: u32,
    pool_free: u8,
    node: u32,
    gpu: u8,
) -> u64 {
    let ids = match policy {
        SchedulerPolicy::Spread => u32::MAX - ((u32::from(gpu) << 24) | node),
        SchedulerPolicy::Binpack => (node << 8) | u32::from(gpu),
    };
    (u64::from(memory_free) << MEMORY_SHIFT) | (u64::from(pool_free) << 32) | u64::from(ids)
}

/// Smallest key with at least `memory` free.
#[inline]
pub(crate) fn memory_floor(memory: u32) -> u64 {
    u64::from(memory) << MEMORY_SHIFT
}

/// Free memory recorded in a card key.
#[cfg(test)]
pub(crate) fn key_memory(key: u64) -> u32 {
    (key >> MEMORY_SHIFT) as u32
}

/// (node index, GPU index) recorded in a card key.
#[inline]
pub(crate) fn key_card(policy: SchedulerPolicy, key: u64) -> (u32, u8) {
    let ids = key as u32;
    match policy {
        SchedulerPolicy::Spread => {
            let x = u32::MAX - ids;
            (x & MAX_KEY_NODE, (x >> 24) as u8)
        }
        SchedulerPolicy::Binpack => (ids >> 8, ids as u8),
    }
}

/// Key of a node for whole-card requests, from its number of untouched cards.
#[inline]
pub(crate) fn node_key(policy: SchedulerPolicy, empty_cards: u8, node: u32) -> u64 {
    let ids = match policy {
        SchedulerPolicy::Spread => u32::MAX - node,
        SchedulerPolicy::Binpack => node,
    };
    (u64::from(empty_cards) << 32) | u64::from(ids)
}

/// Node index recorded in a node key.
#[inline]
pub(crate) fn node_key_node(policy: SchedulerPolicy, key: u64) -> u32 {
    match policy {
        SchedulerPolicy::Spread => u32::MAX - key as u32,
        SchedulerPolicy::Binpack => key as u32,
    }
}

/// Whether candidate key `a` is preferred to `b`.
#[inline]
pub(crate) fn better(policy: SchedulerPolicy, a: u64, b: u64) -> bool {
    match policy {
        SchedulerPolicy::Spread => a > b,
        SchedulerPolicy::Binpack => a < b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for policy in [SchedulerPolicy::Spread, SchedulerPolicy::Binpack] {
            for (node, gpu) in [(0, 0), (4999, 7), (MAX_KEY_NODE, 255), (17, 3)] {
                let key = card_key(policy, 32, 55, node, gpu);
                assert_eq!(key_card(policy, key), (node, gpu));
                assert_eq!(key_memory(key), 32);
                assert_eq!(node_key_node(policy, node_key(policy, 3, node)), node);
            }
        }
    }

    #[test]
    fn spread_prefers_memory_then_compute_then_gpu_then_node() {
        let p = SchedulerPolicy::Spread;
        assert!(better(
            p,
            card_key(p, 10, 5, 9, 7),
            card_key(p, 9, 100, 0, 0)
        ));
        assert!(better(
            p,
            card_key(p, 10, 50, 9, 7),
            card_key(p, 10, 45, 0, 0)
        ));
        assert!(better(
            p,
            card_key(p, 10, 50, 9, 0),
            card_key(p, 10, 50, 0, 1)
        ));
        assert!(better(
            p,
            card_key(p, 10, 50, 1, 0),
            card_key(p, 10, 50, 2, 0)
        ));
    }

    #[test]
    fn binpack_prefers_least_memory_then_compute_then_node_then_gpu() {
        let p = SchedulerPolicy::Binpack;
        assert!(better(
            p,
            card_key(p, 9, 100, 9, 7),
            card_key(p, 10, 5, 0, 0)
        ));
        assert!(better(
            p,
            card_key(p, 10, 45, 9, 7),
            card_key(p, 10, 50, 0, 0)
        ));
        assert!(better(
            p,
            card_key(p, 10, 50, 0, 7),
            card_key(p, 10, 50, 1, 0)
        ));
        assert!(better(
            p,
            card_key(p, 10, 50, 1, 0),
            card_key(p, 10, 50, 1, 1)
        ));
    }

    #[test]
    fn policy_names() {
        assert_eq!(
            SchedulerPolicy::parse("Spread"),
            Some(SchedulerPolicy::Spread)
        );
        assert_eq!(
            SchedulerPolicy::parse("binpack"),
            Some(SchedulerPolicy::Binpack)
        );
        assert_eq!(SchedulerPolicy::parse("pack"), None);
    }
}
