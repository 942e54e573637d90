//! The placement engine: places validated pods onto (node, GPU), releases them, reports stats.

use std::collections::HashSet;

use crate::diagnosis::diagnose;
use crate::error::{QgpuError, Result};
use crate::fleet::{Assignment, Demand, FleetState, Share, Unit};
use crate::index::CapacityIndex;
use crate::inventory::GpuNode;
use crate::order::{
    MAX_KEY_MEMORY, MAX_KEY_NODE, SchedulerPolicy, better, key_card, node_key_node,
};
use crate::request::PodRequest;
use crate::stats::FleetStats;

/// How the engine looks for candidates. Both give identical placements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Search {
    /// Ordered sets of cards bucketed by free compute: about O(log n) per decision.
    #[default]
    Indexed,
    /// A straightforward scan of every card per decision: O(n), kept as the reference.
    ReferenceScan,
}

/// Identifies a node of the engine's fleet (its position in the input).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// Identifies a placed pod; returned by [`PlacementEngine::place`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PodHandle(pub u64);

/// Where a pod went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// Handle for [`PlacementEngine::release`].
    pub handle: PodHandle,
    /// The chosen node.
    pub node: NodeId,
    /// One entry per container and GPU.
    pub assignments: Vec<Assignment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PlacedPod {
    node: u32,
    assignments: Stored,
}

/// A placed pod's assignments; the common single-assignment case needs no allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stored {
    One(Assignment),
    Many(Box<[Assignment]>),
}

impl Stored {
    fn new(assignments: &[Assignment]) -> Stored {
        match assignments {
            [one] => Stored::One(*one),
            many => Stored::Many(many.into()),
        }
    }

    fn as_slice(&self) -> &[Assignment] {
        match self {
            Stored::One(one) => std::slice::from_ref(one),
            Stored::Many(many) => many,
        }
    }
}

/// Places pods onto a GPU fleet with the Spread or Binpack policy.
///
/// Deterministic: the same fleet, policy and sequence of calls give the same placements.
#[derive(Debug, Clone)]
pub struct PlacementEngine {
    policy: SchedulerPolicy,
    fleet: FleetState,
    index: Option<CapacityIndex>,
    pods: Vec<Option<PlacedPod>>,
    live: usize,
}

impl PlacementEngine {
    /// An indexed engine over `nodes` (node ids are positions in `nodes`).
    pub fn new(nodes: &[GpuNode], policy: SchedulerPolicy) -> Result<PlacementEngine> {
        PlacementEngine::with_search(nodes, policy, Search::Indexed)
    }

    /// An engine with an explicit search strategy.
    pub fn with_search(
        nodes: &[GpuNode],
        policy: SchedulerPolicy,
        search: Search,
    ) -> Result<PlacementEngine> {
        let mut names = HashSet::with_capacity(nodes.len());
        for node in nodes {
            if !names.insert(node.name()) {
                return Err(QgpuError::DuplicateNode {
                    node: node.name().to_owned(),
                });
            }
            for i in 0..node.cards().len() {
                let units = node.card_memory_units(i).unwrap_or(0);
                if units > MAX_KEY_MEMORY {
                    return Err(QgpuError::InvalidNode {
                        node: node.name().to_owned(),
                        field: format!("cards[{i}].memory_mib"),
                        value: node.cards()[i].memory_mib.to_string(),
                        reason: format!("more than {MAX_KEY_MEMORY} qgpu-memory units"),
                    });
                }
            }
        }
        if nodes.len() > MAX_KEY_NODE as usize {
            return Err(QgpuError::InvalidNode {
                node: nodes
                    .last()
                    .map(|n| n.name().to_owned())
                    .unwrap_or_default(),
                field: "fleet size".into(),
                value: nodes.len().to_string(),
                reason: format!("at most {MAX_KEY_NODE} nodes per engine"),
            });
        }
        let fleet = FleetState::new(nodes);
        let index = match search {
            Search::Indexed => Some(CapacityIndex::build(policy, &fleet)),
            Search::ReferenceScan => None,
        };
        Ok(PlacementEngine {
            policy,
            fleet,
            index,
            pods: Vec::new(),
            live: 0,
        })
    }

    /// The scheduler policy.
    pub fn policy(&self) -> SchedulerPolicy {
        self.policy
    }

    /// The search strategy.
    pub fn search(&self) -> Search {
        if self.index.is_some() {
            Search::Indexed
        } else {
            Search::ReferenceScan
        }
    }

    /// Places a pod, or explains why it fits nowhere ([`QgpuError::Unschedulable`]).
    pub fn place(&mut self, pod: &PodRequest) -> Result<Placement> {
        let demand = Demand::new(pod);
        let mut assignments = Vec::with_capacity(pod.containers().len());
        let Some(node) = self.choose(&demand, &mut assignments) else {
            return Err(QgpuError::Unschedulable {
                pod: pod.name().to_owned(),
                diagnosis: diagnose(&self.fleet, self.policy, pod.class(), &demand),
            });
        };
        for a in &assignments {
            self.apply(node, a.gpu, a.share, true);
        }
        let handle = PodHandle(self.pods.len() as u64);
        self.pods.push(Some(PlacedPod {
            node,
            assignments: Stored::new(&assignments),
        }));
        self.live += 1;
        Ok(Placement {
            handle,
            node: NodeId(node),
            assignments,
        })
    }

    /// Releases a placed pod and returns its capacity to the fleet.
    pub fn release(&mut self, handle: PodHandle) -> Result<()> {
        let slot = usize::try_from(handle.0)
            .ok()
            .and_then(|i| self.pods.get_mut(i))
            .and_then(Option::take)
            .ok_or(QgpuError::UnknownPod { handle: handle.0 })?;
        for a in slot.assignments.as_slice() {
            self.apply(slot.node, a.gpu, a.share, false);
        }
        self.live -= 1;
        Ok(())
    }

    /// The assignments of a placed pod.
    pub fn assignments(&self, handle: PodHandle) -> Option<(NodeId, &[Assignment])> {
        let pod = self.pods.get(usize::try_from(handle.0).ok()?)?.as_ref()?;
        Some((NodeId(pod.node), pod.assignments.as_slice()))
    }

    /// Node name of an id.
    pub fn node_name(&self, node: NodeId) -> Option<&str> {
        self.fleet
            .nodes
            .get(node.0 as usize)
            .map(|n| n.name.as_str())
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.fleet.nodes.len()
    }

    /// Utilisation and fragmentation of the fleet now.
    pub fn stats(&self) -> FleetStats {
        FleetStats::collect(&self.fleet, self.live)
    }

    /// Current state of one GPU.
    pub fn gpu_usage(&self, node: NodeId, gpu: u8) -> Option<GpuUsage> {
        let n = self.fleet.nodes.get(node.0 as usize)?;
        if gpu >= n.card_count {
            return None;
        }
        let c = &self.fleet.cards[n.first_card as usize + usize::from(gpu)];
        Some(GpuUsage {
            core_free: c.core_free,
            greedy_free: c.greedy_free,
            memory_free: c.memory_free,
            memory_total: c.memory_total,
            devices: c.devices,
            whole: c.whole,
        })
    }

    /// Whether two engines are in the same allocation state (ignoring handles and search).
    pub fn same_state(&self, other: &PlacementEngine) -> bool {
        self.fleet == other.fleet
    }

    /// Whether the candidate index matches one rebuilt from scratch (a consistency check for
    /// tests; always true for the reference scan).
    pub fn index_is_consistent(&self) -> bool {
        self.index
            .as_ref()
            .is_none_or(|i| *i == CapacityIndex::build(self.policy, &self.fleet))
    }

    /// Chooses a node and fills `out`; `None` when nothing fits.
    fn choose(&self, demand: &Demand<'_>, out: &mut Vec<Assignment>) -> Option<u32> {
        let policy = self.policy;
        match (demand.primary(), demand.is_simple()) {
            (Unit::Slice(slice), true) => {
                let key = match &self.index {
                    Some(index) => index.best_slice(&slice)?,
                    None => self.scan_best_slice(&slice)?,
                };
                let (node, gpu) = key_card(policy, key);
                for (container, share) in demand.shares_of(demand.primary_container()) {
                    out.push(Assignment {
                        container,
                        gpu,
                        share,
                    });
                }
                Some(node)
            }
            (Unit::Slice(slice), false) => {
                let candidates: Box<dyn Iterator<Item = u64>> = match &self.index {
                    Some(index) => Box::new(index.slice_candidates(&slice)),
                    None => Box::new(self.scan_slice_candidates(&slice).into_iter()),
                };
                let mut tried = HashSet::new();
                for key in candidates {
                    let (node, gpu) = key_card(policy, key);
                    // The index only guarantees one free device slot; a multi-device slice
                    // (offline pod with several containers) must really fit this card, or the
                    // node would be tried out of the reference order.
                    let card =
                        self.fleet.nodes[node as usize].first_card as usize + usize::from(gpu);
                    if !self.fleet.cards[card].fits(&slice) {
                        continue;
                    }
                    if tried.insert(node) && self.fleet.plan_on_node(policy, node, demand, out) {
                        return Some(node);
                    }
                }
                None
            }
            (Unit::Whole(cards), _) => {
                let candidates: Box<dyn Iterator<Item = u32>> = match &self.index {
                    Some(index) => Box::new(
                        index
                            .whole_candidates(cards)
                            .map(|k| node_key_node(policy, k)),
                    ),
                    None => Box::new(self.scan_whole_candidates(cards).into_iter()),
                };
                for node in candidates {
                    if self.fleet.plan_on_node(policy, node, demand, out) {
                        return Some(node);
                    }
                }
                None
            }
        }
    }

    /// Reference: the best fitting card by a scan of every card.
    fn scan_best_slice(&self, slice: &crate::fleet::Slice) -> Option<u64> {
        let mut best: Option<u64> = None;
        for (n, node) in self.fleet.nodes.iter().enumerate() {
            for card in node.cards() {
                if self.fleet.cards[card].fits(slice) {
                    let key = self.fleet.key(self.policy, card, n as u32, slice);
                    if best.is_none_or(|b| better(self.policy, key, b)) {
                        best = Some(key);
                    }
                }
            }
        }
        best
    }

    /// Reference: every card that fits, best first.
    fn scan_slice_candidates(&self, slice: &crate::fleet::Slice) -> Vec<u64> {
        let mut keys = Vec::new();
        for (n, node) in self.fleet.nodes.iter().enumerate() {
            for card in node.cards() {
                if self.fleet.cards[card].fits(slice) {
                    keys.push(self.fleet.key(self.policy, card, n as u32, slice));
                }
            }
        }
        self.sort_best_first(&mut keys);
        keys
    }

    /// Reference: nodes with enough untouched cards, best first.
    fn scan_whole_candidates(&self, cards: u8) -> Vec<u32> {
        let mut keys: Vec<u64> = self
            .fleet
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.usable() && n.empty_cards >= cards && n.empty_cards > 0)
            .map(|(i, n)| crate::order::node_key(self.policy, n.empty_cards, i as u32))
            .collect();
        self.sort_best_first(&mut keys);
        keys.into_iter()
            .map(|k| node_key_node(self.policy, k))
            .collect()
    }

    fn sort_best_first(&self, keys: &mut [u64]) {
        match self.policy {
            SchedulerPolicy::Spread => keys.sort_unstable_by(|a, b| b.cmp(a)),
            SchedulerPolicy::Binpack => keys.sort_unstable(),
        }
    }

    /// Applies (or reverts) one share and keeps the index in step.
    fn apply(&mut self, node: u32, gpu: u8, share: Share, place: bool) {
        let n = &mut self.fleet.nodes[node as usize];
        let card_index = n.first_card as usize + usize::from(gpu);
        let card = &mut self.fleet.cards[card_index];
        let was_empty = card.is_empty();
        if let Some(index) = &mut self.index {
            index.remove_card(card, node, gpu);
        }
        if place {
            card.apply(share);
        } else {
            card.revert(share);
        }
        if let Some(index) = &mut self.index {
            index.insert_card(card, node, gpu);
        }
        if was_empty != card.is_empty() {
            let old = n.empty_cards;
            n.empty_cards = if was_empty { old - 1 } else { old + 1 };
            if let Some(index) = &mut self.index {
                index.remove_node(n.usable(), old, node);
                index.insert_node(n.usable(), n.empty_cards, node);
            }
        }
    }
}

/// The state of one GPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GpuUsage {
    /// Free qgpu-core.
    pub core_free: u8,
    /// Free qgpu-core-greedy (0 without mixing).
    pub greedy_free: u8,
    /// Free qgpu-memory units.
    pub memory_free: u32,
    /// qgpu-memory units of the card.
    pub memory_total: u32,
    /// qGPU devices on the card.
    pub devices: u8,
    /// Allocated whole.
    pub whole: bool,
}
