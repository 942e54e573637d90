//! Capacity planning: how many nodes of which types a set of workloads needs, the lower bound
//! next to that answer, the pods that fit nowhere, and then the cluster level and a GlobalRouter
//! container CIDR that hold the result.
//!
//! Method (decisions recorded here because the issue leaves them open):
//! * Identical pods are grouped by (CPU, memory) request and packed with the layout-replicating
//!   packer of [`crate::pack`].
//! * Objective: the lowest hourly cost when **every** candidate type has a price, otherwise the
//!   fewest nodes (ties: less total allocatable CPU, then memory).
//! * Each candidate type is tried as the *primary* type for every pod it can hold; pods it cannot
//!   hold go, recursively, to the best of the remaining types. With prices, each node layout of
//!   a candidate is moved to the cheapest type that still holds it (e.g. a half-empty last
//!   node) before the candidates are compared.
//! * The lower bound is, per node type used, `max over CPU, memory, pod slots of
//!   ceil(total requests / per-node allocatable)`, summed over the types; the packing ratio is
//!   nodes / bound.
//! * With GlobalRouter networking, a node's pod slots are capped by the largest usable block
//!   (`256 − 3 = 253` by default), and the container CIDR is sized so that every node can run
//!   its full `max pods` (not only the pods this plan puts on it), plus the requested services.

use std::collections::HashMap;

use ipnet::Ipv4Net;

use crate::allocatable::{AllocatableSource, NodeType};
use crate::error::QuotaError;
use crate::gr::{GrPlan, GrPolicy, GrRequirement};
use crate::level::LevelTable;
use crate::money::Cny;
use crate::pack::{Layout, Res, Shape, lower_bound, pack};
use crate::select::{ClusterPlan, LevelChoice};
use crate::workload::{PodRequest, Workload};

/// GlobalRouter options for the planner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkPlanning {
    /// Carving rules.
    pub policy: GrPolicy,
    /// Usable services the cluster needs (TKE's default option of 256 gives 251).
    pub services: u32,
    /// Networks the container CIDR must not overlap (the VPC, other clusters' CIDRs).
    pub avoid: Vec<Ipv4Net>,
}

impl Default for NetworkPlanning {
    fn default() -> Self {
        NetworkPlanning {
            policy: GrPolicy::default(),
            services: crate::gr::DEFAULT_MAX_SERVICES - GrPolicy::default().reserved_services,
            avoid: Vec::new(),
        }
    }
}

/// Plans clusters against a level table and, optionally, GlobalRouter networking.
///
/// ```
/// use tke_quota::tke_reserve::{NetworkMode, ReservationAlgorithm};
/// use tke_quota::*;
///
/// const MI: u64 = 1 << 20;
/// let workloads = [
///     Workload::new("default/web", 500, 512 * MI, 300),
///     Workload::new("default/cache", 250, 2_048 * MI, 120),
///     Workload::new("ml/train", 64_000, 256 * 1_024 * MI, 1), // fits no candidate
/// ];
/// let types = [
///     NodeType::new("S5.2XLARGE16", 8, 16).with_price("0.64".parse().unwrap()),
///     NodeType::new("S5.4XLARGE32", 16, 32).with_price("1.28".parse().unwrap()),
/// ];
/// // TKE's reservation (k8s >= 1.30 algorithm) on GlobalRouter nodes with 64-pod blocks.
/// let source = TkeReserve::new(
///     ReservationAlgorithm::New,
///     NetworkMode::GlobalRouter { max_pods_per_node: 64 },
/// );
/// let planner = CapacityPlanner::default().with_network(NetworkPlanning::default());
/// let plan = planner.plan(&workloads, &types, &source)?;
///
/// assert_eq!(plan.infeasible[0].workload, "ml/train");
/// assert!(plan.nodes >= plan.lower_bound && plan.packing_ratio() <= 1.1);
/// // 420 pods on about a dozen nodes: L20 (600 pods, 20 nodes).
/// assert_eq!(plan.level.as_ref().unwrap().level.name, "L20");
/// let gr = plan.network.as_ref().unwrap().as_ref().unwrap();
/// assert!(u64::from(gr.max_nodes) >= plan.nodes);
/// # Ok::<(), QuotaError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct CapacityPlanner {
    /// The levels to choose from.
    pub levels: LevelTable,
    /// GlobalRouter planning, if the cluster uses it.
    pub network: Option<NetworkPlanning>,
    /// Other planned objects (ReplicaSets, ConfigMaps, CRD objects, other kinds) for the level
    /// choice; its `nodes` and `pods` are ignored (they come from the packing).
    pub objects: ClusterPlan,
}

/// Nodes of one type in the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeCount {
    /// Node type name.
    pub node_type: String,
    /// Nodes.
    pub nodes: u64,
    /// Their hourly cost, when the type has a price.
    pub hourly_cost: Option<Cny>,
}

/// Pods grouped by identical request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodShape {
    /// The per-pod request.
    pub request: PodRequest,
    /// Indices (into the planner's `workloads` argument) of the workloads with this request.
    pub workloads: Vec<usize>,
    /// Total pods of this shape.
    pub pods: u64,
}

/// `nodes` identical nodes of one type and what each one runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeLayout {
    /// Node type name.
    pub node_type: String,
    /// Nodes with this layout.
    pub nodes: u64,
    /// (index into [`CapacityPlan::shapes`], pods per node).
    pub pods: Vec<(usize, u64)>,
}

/// The lower bound for the pods placed on one node type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeBound {
    /// Node type name.
    pub node_type: String,
    /// `ceil(total CPU requests / allocatable CPU)`.
    pub by_cpu: u64,
    /// `ceil(total memory requests / allocatable memory)`.
    pub by_memory: u64,
    /// `ceil(pods / pod slots)`.
    pub by_pods: u64,
    /// The largest of the three.
    pub bound: u64,
    /// Nodes the plan uses of this type.
    pub nodes: u64,
}

/// A workload none of whose pods fits any node type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Infeasible {
    /// Workload name.
    pub workload: String,
    /// Its pods (none placed).
    pub replicas: u64,
    /// Its per-pod request.
    pub request: PodRequest,
}

/// The answer of [`CapacityPlanner::plan`].
#[derive(Debug, Clone)]
pub struct CapacityPlan<'p> {
    /// Nodes per type (types with no node left out), in the order of the candidates.
    pub node_counts: Vec<NodeCount>,
    /// Total nodes.
    pub nodes: u64,
    /// Pods placed.
    pub pods: u64,
    /// Hourly cost of the nodes, when every used type has a price.
    pub hourly_cost: Option<Cny>,
    /// The lower bound on the node count (sum of the per-type bounds).
    pub lower_bound: u64,
    /// Per-type bounds.
    pub bounds: Vec<TypeBound>,
    /// Pod shapes (identical requests grouped).
    pub shapes: Vec<PodShape>,
    /// Node layouts.
    pub layouts: Vec<NodeLayout>,
    /// Workloads that fit no node type, by name.
    pub infeasible: Vec<Infeasible>,
    /// The level that holds the planned cluster (or why none does).
    pub level: Result<LevelChoice<'p>, QuotaError>,
    /// The GlobalRouter layout that holds it, when network planning is on.
    pub network: Option<Result<GrPlan, QuotaError>>,
}

impl CapacityPlan<'_> {
    /// `nodes / lower_bound` (1.0 when both are 0).
    pub fn packing_ratio(&self) -> f64 {
        if self.lower_bound == 0 {
            1.0
        } else {
            self.nodes as f64 / self.lower_bound as f64
        }
    }
}

/// A candidate type with its allocatable resources.
struct Candidate<'a> {
    node: &'a NodeType,
    alloc: Res,
}

/// Layouts per candidate index.
type Solution = Vec<(usize, Vec<Layout>)>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Objective {
    Cost,
    Nodes,
}

impl CapacityPlanner {
    /// A planner over `levels` without network planning.
    pub fn new(levels: LevelTable) -> Self {
        CapacityPlanner {
            levels,
            network: None,
            objects: ClusterPlan::default(),
        }
    }

    /// Turns GlobalRouter planning on.
    #[must_use]
    pub fn with_network(mut self, network: NetworkPlanning) -> Self {
        self.network = Some(network);
        self
    }

    /// Sets the other planned objects for the level choice.
    #[must_use]
    pub fn with_objects(mut self, objects: ClusterPlan) -> Self {
        self.objects = objects;
        self
    }

    /// Plans `workloads` onto `node_types`, with allocatable resources from `source`.
    pub fn plan(
        &self,
        workloads: &[Workload],
        node_types: &[NodeType],
        source: &dyn AllocatableSource,
    ) -> Result<CapacityPlan<'_>, QuotaError> {
        let candidates = self.candidates(node_types, source)?;
        let (shapes, groups) = group(workloads)?;
        let shape_sizes: Vec<Shape> = shapes
            .iter()
            .map(|s| Shape {
                cpu: s.request.cpu_millis,
                mem: s.request.memory_bytes,
            })
            .collect();
        let counts: Vec<u64> = shapes.iter().map(|s| s.pods).collect();

        let (feasible, infeasible_groups): (Vec<usize>, Vec<usize>) =
            groups.into_iter().partition(|&g| {
                candidates
                    .iter()
                    .any(|c| fits_empty(&shape_sizes[g], &c.alloc))
            });
        let objective = if node_types.iter().all(|n| n.hourly_price.is_some()) {
            Objective::Cost
        } else {
            Objective::Nodes
        };
        let ctx = Ctx {
            shapes: &shape_sizes,
            counts: &counts,
            candidates: &candidates,
            objective,
        };
        let all_types = (1u64 << candidates.len()) - 1;
        let solution = if feasible.is_empty() {
            Vec::new()
        } else {
            ctx.solve(&feasible, all_types).unwrap_or_default()
        };

        let mut infeasible = Vec::new();
        for &g in &infeasible_groups {
            for &w in &shapes[g].workloads {
                infeasible.push(Infeasible {
                    workload: workloads[w].name.clone(),
                    replicas: workloads[w].replicas,
                    request: workloads[w].request,
                });
            }
        }
        Ok(self.report(&ctx, solution, shapes, infeasible))
    }

    fn candidates<'a>(
        &self,
        node_types: &'a [NodeType],
        source: &dyn AllocatableSource,
    ) -> Result<Vec<Candidate<'a>>, QuotaError> {
        let bad = |node: &NodeType, field, value: String, reason| QuotaError::InvalidPlanInput {
            object: node.name.clone(),
            field,
            value,
            reason,
        };
        if node_types.is_empty() || node_types.len() > 32 {
            return Err(QuotaError::InvalidPlanInput {
                object: "node_types".to_owned(),
                field: "len",
                value: node_types.len().to_string(),
                reason: "between 1 and 32 candidate node types are supported",
            });
        }
        let pod_cap = self
            .network
            .as_ref()
            .map_or(u64::MAX, |n| u64::from(n.policy.max_usable_pods_per_node()));
        let mut out: Vec<Candidate<'a>> = Vec::with_capacity(node_types.len());
        for node in node_types {
            if out.iter().any(|c| c.node.name == node.name) {
                return Err(bad(node, "name", node.name.clone(), "duplicate node type"));
            }
            let a = source.allocatable(node)?;
            out.push(Candidate {
                node,
                alloc: Res {
                    cpu: a.cpu_millis,
                    mem: a.memory_bytes,
                    pods: a.pods.min(pod_cap),
                },
            });
        }
        Ok(out)
    }

    fn report<'p>(
        &'p self,
        ctx: &Ctx<'_>,
        solution: Solution,
        shapes: Vec<PodShape>,
        infeasible: Vec<Infeasible>,
    ) -> CapacityPlan<'p> {
        let mut per_type: Vec<(u64, Res)> = vec![(0, Res::default()); ctx.candidates.len()];
        let mut layouts = Vec::new();
        for (t, ls) in solution {
            for l in ls {
                let u = l.usage(ctx.shapes);
                let (nodes, total) = &mut per_type[t];
                *nodes += l.nodes;
                total.cpu = total.cpu.saturating_add(u.cpu.saturating_mul(l.nodes));
                total.mem = total.mem.saturating_add(u.mem.saturating_mul(l.nodes));
                total.pods = total.pods.saturating_add(u.pods.saturating_mul(l.nodes));
                layouts.push(NodeLayout {
                    node_type: ctx.candidates[t].node.name.clone(),
                    nodes: l.nodes,
                    pods: l.contents,
                });
            }
        }
        let mut node_counts = Vec::new();
        let mut bounds = Vec::new();
        let (mut nodes, mut pods, mut cost) = (0u64, 0u64, Some(Cny::ZERO));
        let mut max_pod_slots = 0;
        for (c, &(n, total)) in ctx.candidates.iter().zip(&per_type) {
            if n == 0 {
                continue;
            }
            let hourly_cost = c.node.hourly_price.map(|p| p.times(n));
            cost = cost.zip(hourly_cost).map(|(a, b)| a.plus(b));
            node_counts.push(NodeCount {
                node_type: c.node.name.clone(),
                nodes: n,
                hourly_cost,
            });
            let [by_cpu, by_memory, by_pods, bound] = lower_bound(&total, &c.alloc);
            bounds.push(TypeBound {
                node_type: c.node.name.clone(),
                by_cpu,
                by_memory,
                by_pods,
                bound,
                nodes: n,
            });
            nodes += n;
            pods += total.pods;
            max_pod_slots = max_pod_slots.max(c.alloc.pods);
        }
        let lower_bound = bounds.iter().map(|b| b.bound).sum();
        let plan = ClusterPlan {
            nodes,
            pods,
            ..self.objects
        };
        let level = self.levels.choose_level(&plan);
        let network = self.network.as_ref().map(|net| {
            let req = GrRequirement {
                nodes: nodes.max(1),
                pods_per_node: u32::try_from(max_pod_slots).unwrap_or(u32::MAX),
                services: net.services,
            };
            let sizing = net.policy.size_for(&req)?;
            let cidr = sizing
                .place(&net.avoid)
                .ok_or(QuotaError::ClusterTooLargeForCidr {
                    nodes,
                    addresses: 1 << (32 - u32::from(sizing.prefix_len)),
                })?;
            net.policy.plan(&sizing.options_at(cidr.network())?)
        });
        CapacityPlan {
            node_counts,
            nodes,
            pods,
            hourly_cost: if nodes == 0 { None } else { cost },
            lower_bound,
            bounds,
            shapes,
            layouts,
            infeasible,
            level,
            network,
        }
    }
}

fn fits_empty(s: &Shape, alloc: &Res) -> bool {
    s.cpu <= alloc.cpu && s.mem <= alloc.mem && alloc.pods >= 1
}

/// Most pods one plan accepts (keeps every product of counts and sizes far from overflow).
pub const MAX_PLANNED_PODS: u64 = 1 << 40;

/// Groups workloads by request; returns the shapes and the indices of shapes with pods.
fn group(workloads: &[Workload]) -> Result<(Vec<PodShape>, Vec<usize>), QuotaError> {
    let total = workloads
        .iter()
        .try_fold(0u64, |acc, w| acc.checked_add(w.replicas))
        .filter(|t| *t <= MAX_PLANNED_PODS);
    if total.is_none() {
        return Err(QuotaError::InvalidPlanInput {
            object: "workloads".to_owned(),
            field: "replicas",
            value: "sum".to_owned(),
            reason: "more than 2^40 pods in one plan",
        });
    }
    let mut index: HashMap<PodRequest, usize> = HashMap::new();
    let mut shapes: Vec<PodShape> = Vec::new();
    for (i, w) in workloads.iter().enumerate() {
        if w.replicas == 0 {
            continue;
        }
        let g = *index.entry(w.request).or_insert_with(|| {
            shapes.push(PodShape {
                request: w.request,
                workloads: Vec::new(),
                pods: 0,
            });
            shapes.len() - 1
        });
        shapes[g].workloads.push(i);
        shapes[g].pods += w.replicas;
    }
    let groups = (0..shapes.len()).collect();
    Ok((shapes, groups))
}

struct Ctx<'a> {
    shapes: &'a [Shape],
    counts: &'a [u64],
    candidates: &'a [Candidate<'a>],
    objective: Objective,
}

impl Ctx<'_> {
    /// Best solution for the shapes in `subset` using the types in the bit set `allowed`.
    fn solve(&self, subset: &[usize], allowed: u64) -> Option<Solution> {
        let mut best: Option<(Solution, [u128; 3])> = None;
        for (t, c) in self.candidates.iter().enumerate() {
            if allowed & (1 << t) == 0 {
                continue;
            }
            let (take, rest): (Vec<usize>, Vec<usize>) = subset
                .iter()
                .partition(|&&g| fits_empty(&self.shapes[g], &c.alloc));
            if take.is_empty() {
                continue;
            }
            let mut solution = if rest.is_empty() {
                Vec::new()
            } else {
                match self.solve(&rest, allowed & !(1 << t)) {
                    Some(s) => s,
                    None => continue,
                }
            };
            let mut counts = vec![0u64; self.shapes.len()];
            for &g in &take {
                counts[g] = self.counts[g];
            }
            solution.push((t, pack(self.shapes, &counts, c.alloc)));
            if self.objective == Objective::Cost {
                self.right_size(&mut solution);
            }
            let key = self.key(&solution);
            if best.as_ref().is_none_or(|(_, k)| key < *k) {
                best = Some((solution, key));
            }
        }
        best.map(|(s, _)| s)
    }

    /// Ordering key of a solution under the objective (smaller is better).
    fn key(&self, solution: &Solution) -> [u128; 3] {
        let (mut cost, mut nodes, mut cpu, mut mem) = (0u128, 0u128, 0u128, 0u128);
        for (t, layouts) in solution {
            let c = &self.candidates[*t];
            let n: u128 = layouts.iter().map(|l| u128::from(l.nodes)).sum();
            cost += n * u128::from(c.node.hourly_price.map_or(0, Cny::micros));
            nodes += n;
            cpu += n * u128::from(c.alloc.cpu);
            mem += n * u128::from(c.alloc.mem);
        }
        match self.objective {
            Objective::Cost => [cost, nodes, cpu],
            Objective::Nodes => [nodes, cpu, mem],
        }
    }

    /// Moves each layout to the cheapest type that holds it.
    fn right_size(&self, solution: &mut Solution) {
        let price = |t: usize| {
            self.candidates[t]
                .node
                .hourly_price
                .map_or(u64::MAX, Cny::micros)
        };
        let mut moved: Vec<(usize, Layout)> = Vec::new();
        for (t, layouts) in solution.iter_mut() {
            let mut keep = Vec::with_capacity(layouts.len());
            for l in layouts.drain(..) {
                let u = l.usage(self.shapes);
                let cheaper = (0..self.candidates.len())
                    .filter(|&o| price(o) < price(*t) && self.candidates[o].alloc.holds(&u))
                    .min_by_key(|&o| price(o));
                match cheaper {
                    Some(o) => moved.push((o, l)),
                    None => keep.push(l),
                }
            }
            *layouts = keep;
        }
        for (o, l) in moved {
            match solution.iter_mut().find(|(t, _)| *t == o) {
                Some((_, ls)) => ls.push(l),
                None => solution.push((o, vec![l])),
            }
        }
        solution.retain(|(_, ls)| !ls.is_empty());
    }
}
