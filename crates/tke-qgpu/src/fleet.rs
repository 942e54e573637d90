//! Mutable fleet state shared by the indexed engine and the reference scan: per-card free
//! resources, fit tests, the demand a pod puts on a node and the per-node planner.

use crate::inventory::{CORE_PER_GPU, GpuNode, IsolationPolicy, MAX_DEVICES_PER_GPU};
use crate::order::{SchedulerPolicy, better, card_key};
use crate::request::{AppClass, ContainerRequest, PodRequest};

/// Compute pool a slice draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pool {
    /// qgpu-core (normal pods).
    Core,
    /// qgpu-core-greedy (offline pods).
    Greedy,
    /// No compute accounting (online pods); needs a mixing node.
    Online,
}

/// What one placement unit needs from a single card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Slice {
    pub(crate) pool: Pool,
    pub(crate) compute: u8,
    pub(crate) memory: u32,
    pub(crate) devices: u8,
}

/// A unit of placement: a slice of one card or N untouched cards of one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Slice(Slice),
    Whole(u8),
}

/// What a pod's containers receive on one card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Share {
    /// The whole card (all compute and memory, one device).
    WholeCard,
    /// A slice of qgpu-core and qgpu-memory.
    Fraction {
        /// Compute, percent of the card.
        core: u8,
        /// Memory units.
        memory: u32,
    },
    /// An online slice: memory only.
    Online {
        /// Memory units.
        memory: u32,
    },
    /// An offline slice: greedy compute and memory.
    Offline {
        /// Greedy compute, percent of the card.
        greedy: u8,
        /// Memory units.
        memory: u32,
    },
}

/// One container's share on one GPU of the chosen node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Assignment {
    /// Index into [`PodRequest::containers`].
    pub container: usize,
    /// GPU index on the node.
    pub gpu: u8,
    /// What the container gets there.
    pub share: Share,
}

/// Free resources of one card (plus node flags copied in so fit tests stay card-local).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CardState {
    pub(crate) core_free: u8,
    pub(crate) greedy_free: u8,
    pub(crate) devices: u8,
    pub(crate) whole: bool,
    pub(crate) memory_free: u32,
    pub(crate) memory_total: u32,
    /// Node accepts pods (qGPU enabled and not cordoned).
    pub(crate) usable: bool,
    /// Node runs online/offline mixing (has a greedy pool).
    pub(crate) mixing: bool,
}

impl CardState {
    fn new(memory_total: u32, usable: bool, mixing: bool) -> CardState {
        CardState {
            core_free: CORE_PER_GPU,
            greedy_free: if mixing { CORE_PER_GPU } else { 0 },
            devices: 0,
            whole: false,
            memory_free: memory_total,
            memory_total,
            usable,
            mixing,
        }
    }

    /// Untouched: no device at all.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.devices == 0
    }

    /// Free compute of a pool.
    #[inline]
    pub(crate) fn pool_free(&self, pool: Pool) -> u8 {
        match pool {
            Pool::Core => self.core_free,
            Pool::Greedy => self.greedy_free,
            Pool::Online => 0,
        }
    }

    /// Whether `slice` fits on this card now.
    #[inline]
    pub(crate) fn fits(&self, slice: &Slice) -> bool {
        self.usable
            && !self.whole
            && self.devices + slice.devices <= MAX_DEVICES_PER_GPU
            && self.memory_free >= slice.memory
            && match slice.pool {
                Pool::Core => self.core_free >= slice.compute,
                Pool::Greedy => self.mixing && self.greedy_free >= slice.compute,
                Pool::Online => self.mixing,
            }
    }

    pub(crate) fn apply(&mut self, share: Share) {
        match share {
            Share::WholeCard => {
                self.whole = true;
                self.devices = 1;
                self.core_free = 0;
                self.greedy_free = 0;
                self.memory_free = 0;
            }
            Share::Fraction { core, memory } => {
                self.core_free -= core;
                self.memory_free -= memory;
                self.devices += 1;
            }
            Share::Online { memory } => {
                self.memory_free -= memory;
                self.devices += 1;
            }
            Share::Offline { greedy, memory } => {
                self.greedy_free -= greedy;
                self.memory_free -= memory;
                self.devices += 1;
            }
        }
    }

    pub(crate) fn revert(&mut self, share: Share) {
        match share {
            Share::WholeCard => {
                *self = CardState::new(self.memory_total, self.usable, self.mixing);
            }
            Share::Fraction { core, memory } => {
                self.core_free += core;
                self.memory_free += memory;
                self.devices -= 1;
            }
            Share::Online { memory } => {
                self.memory_free += memory;
                self.devices -= 1;
            }
            Share::Offline { greedy, memory } => {
                self.greedy_free += greedy;
                self.memory_free += memory;
                self.devices -= 1;
            }
        }
    }
}

/// Static facts and the untouched-card count of a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NodeState {
    pub(crate) name: String,
    pub(crate) first_card: u32,
    pub(crate) card_count: u8,
    pub(crate) empty_cards: u8,
    pub(crate) schedulable: bool,
    pub(crate) qgpu_enabled: bool,
    pub(crate) mixing: bool,
    pub(crate) isolation: IsolationPolicy,
}

impl NodeState {
    pub(crate) fn usable(&self) -> bool {
        self.schedulable && self.qgpu_enabled
    }
    pub(crate) fn cards(&self) -> std::ops::Range<usize> {
        let first = self.first_card as usize;
        first..first + usize::from(self.card_count)
    }
}

/// The whole fleet's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FleetState {
    pub(crate) nodes: Vec<NodeState>,
    pub(crate) cards: Vec<CardState>,
}

impl FleetState {
    pub(crate) fn new(nodes: &[GpuNode]) -> FleetState {
        let mut states = Vec::with_capacity(nodes.len());
        let mut cards = Vec::new();
        for node in nodes {
            let usable = node.qgpu_enabled() && node.schedulable();
            let first_card = cards.len() as u32;
            for i in 0..node.cards().len() {
                let memory = node.card_memory_units(i).unwrap_or(0);
                cards.push(CardState::new(memory, usable, node.mixing()));
            }
            states.push(NodeState {
                name: node.name().to_owned(),
                first_card,
                card_count: node.cards().len() as u8,
                empty_cards: node.cards().len() as u8,
                schedulable: node.schedulable(),
                qgpu_enabled: node.qgpu_enabled(),
                mixing: node.mixing(),
                isolation: node.isolation(),
            });
        }
        FleetState {
            nodes: states,
            cards,
        }
    }

    /// Policy key of `card` for `slice`.
    #[inline]
    pub(crate) fn key(
        &self,
        policy: SchedulerPolicy,
        card: usize,
        node: u32,
        slice: &Slice,
    ) -> u64 {
        let state = &self.cards[card];
        let gpu = (card - self.nodes[node as usize].first_card as usize) as u8;
        card_key(
            policy,
            state.memory_free,
            state.pool_free(slice.pool),
            node,
            gpu,
        )
    }

    /// Places every unit of `demand` on `node`, or returns `None` if they do not all fit.
    ///
    /// Units go in demand order (primary first). A slice takes the node's best fitting card by
    /// the policy order; whole cards take the lowest-indexed untouched cards.
    pub(crate) fn plan_on_node(
        &self,
        policy: SchedulerPolicy,
        node: u32,
        demand: &Demand<'_>,
        out: &mut Vec<Assignment>,
    ) -> bool {
        out.clear();
        let state = &self.nodes[node as usize];
        if !state.usable() {
            return false;
        }
        let range = state.cards();
        let mut cards: Vec<CardState> = self.cards[range.clone()].to_vec();
        for (unit, container) in demand.units() {
            match unit {
                Unit::Whole(n) => {
                    let mut taken = 0;
                    for (gpu, card) in cards.iter_mut().enumerate() {
                        if taken == n {
                            break;
                        }
                        if card.usable && card.is_empty() {
                            card.apply(Share::WholeCard);
                            out.push(Assignment {
                                container,
                                gpu: gpu as u8,
                                share: Share::WholeCard,
                            });
                            taken += 1;
                        }
                    }
                    if taken < n {
                        return false;
                    }
                }
                Unit::Slice(slice) => {
                    let mut best: Option<(u64, usize)> = None;
                    for (gpu, card) in cards.iter().enumerate() {
                        if !card.fits(&slice) {
                            continue;
                        }
                        let key = card_key(
                            policy,
                            card.memory_free,
                            card.pool_free(slice.pool),
                            node,
                            gpu as u8,
                        );
                        if best.is_none_or(|(b, _)| better(policy, key, b)) {
                            best = Some((key, gpu));
                        }
                    }
                    let Some((_, gpu)) = best else {
                        return false;
                    };
                    for share in demand.shares_of(container) {
                        cards[gpu].apply(share.1);
                        out.push(Assignment {
                            container: share.0,
                            gpu: gpu as u8,
                            share: share.1,
                        });
                    }
                }
            }
        }
        true
    }
}

/// Marker for a unit that stands for all containers of an offline pod.
const ALL_CONTAINERS: usize = usize::MAX;

/// The placement units of a pod, primary (the one used for the index search) first.
#[derive(Debug, Clone)]
pub(crate) struct Demand<'a> {
    request: &'a PodRequest,
    /// (unit, container index or [`ALL_CONTAINERS`]) of the primary unit.
    first: (Unit, usize),
    /// The other units, largest first (empty, so allocation-free, for one-unit pods).
    rest: Vec<(Unit, usize)>,
}

impl<'a> Demand<'a> {
    pub(crate) fn new(request: &'a PodRequest) -> Demand<'a> {
        let containers = request.containers();
        if request.class() == AppClass::Offline {
            // Offline pods cannot span cards: all their containers form one slice.
            let (mut compute, mut memory) = (0u8, 0u32);
            for (_, c) in containers {
                if let ContainerRequest::Offline { greedy, memory: m } = c {
                    compute = compute.saturating_add(*greedy);
                    memory = memory.saturating_add(*m);
                }
            }
            let slice = Slice {
                pool: Pool::Greedy,
                compute,
                memory,
                devices: containers.len().min(usize::from(u8::MAX)) as u8,
            };
            return Demand {
                request,
                first: (Unit::Slice(slice), ALL_CONTAINERS),
                rest: Vec::new(),
            };
        }
        if let [(_, only)] = containers {
            return Demand {
                request,
                first: (unit_of(only), 0),
                rest: Vec::new(),
            };
        }
        let mut units: Vec<(Unit, usize)> = containers
            .iter()
            .enumerate()
            .map(|(i, (_, c))| (unit_of(c), i))
            .collect();
        // Largest first: whole cards (most cards first), then slices by memory, compute.
        // The sort is stable, so equal units keep container order.
        units.sort_by_key(|(unit, _)| match unit {
            Unit::Whole(n) => (0u8, u8::MAX - n, u32::MAX, u8::MAX),
            Unit::Slice(s) => (1u8, 0, u32::MAX - s.memory, u8::MAX - s.compute),
        });
        // A validated request has at least one container.
        let first = units.first().copied().unwrap_or((Unit::Whole(0), 0));
        let rest = units.split_off(1.min(units.len()));
        Demand {
            request,
            first,
            rest,
        }
    }

    /// The unit searched for in the index.
    pub(crate) fn primary(&self) -> Unit {
        self.first.0
    }

    /// Container index (or [`ALL_CONTAINERS`]) of the primary unit.
    pub(crate) fn primary_container(&self) -> usize {
        self.first.1
    }

    /// Whether the whole demand is one single-device unit (the fast path).
    pub(crate) fn is_simple(&self) -> bool {
        self.rest.is_empty()
            && match self.first.0 {
                Unit::Slice(s) => s.devices == 1,
                Unit::Whole(_) => true,
            }
    }

    pub(crate) fn units(&self) -> impl Iterator<Item = (Unit, usize)> + '_ {
        std::iter::once(self.first).chain(self.rest.iter().copied())
    }

    /// (container index, share) pairs a slice unit stands for.
    pub(crate) fn shares_of(&self, container: usize) -> impl Iterator<Item = (usize, Share)> + '_ {
        let containers = self.request.containers();
        let range = if container == ALL_CONTAINERS {
            0..containers.len()
        } else {
            container..container + 1
        };
        range.map(move |i| (i, slice_share(&containers[i].1)))
    }
}

fn unit_of(request: &ContainerRequest) -> Unit {
    match *request {
        ContainerRequest::WholeCards { cards, .. } => Unit::Whole(cards),
        ContainerRequest::Fraction { core, memory } => Unit::Slice(Slice {
            pool: Pool::Core,
            compute: core,
            memory,
            devices: 1,
        }),
        ContainerRequest::Online { memory } => Unit::Slice(Slice {
            pool: Pool::Online,
            compute: 0,
            memory,
            devices: 1,
        }),
        ContainerRequest::Offline { greedy, memory } => Unit::Slice(Slice {
            pool: Pool::Greedy,
            compute: greedy,
            memory,
            devices: 1,
        }),
    }
}

fn slice_share(request: &ContainerRequest) -> Share {
    match *request {
        ContainerRequest::Fraction { core, memory } => Share::Fraction { core, memory },
        ContainerRequest::Online { memory } => Share::Online { memory },
        ContainerRequest::Offline { greedy, memory } => Share::Offline { greedy, memory },
        ContainerRequest::WholeCards { .. } => Share::WholeCard,
    }
}
