//! Multi-resource bin packing of grouped pods onto one node type.
//!
//! Pods are grouped by shape (CPU, memory); a node's content is built greedily and then
//! **replicated** over as many nodes as the remaining counts allow, so the work depends on the
//! number of shapes and distinct node layouts, not on the number of pods.
//!
//! Building one node: start from every shape's proportional share of one node (its remaining
//! count divided by the remaining demand in nodes, rounded down), so all shapes are spread
//! evenly over the nodes and complementary shapes meet; then repeatedly pick the shape with the largest *weighted dot product* between
//! its size and the node's free capacity (both as fractions of the node), where each resource is
//! weighted by how much of it the remaining pods still need (in nodes). Large shapes that fit the
//! free space go first, and a node short of one resource is filled with shapes that use the
//! others: CPU-heavy and memory-heavy pods end up sharing nodes. A picked shape is added in
//! halves of what fits, so the choice is re-evaluated as the node fills.
//!
//! Replication is capped at half of the estimated remaining nodes, so the layout is recomputed
//! (with fresh weights) a logarithmic number of times and the mix stays close to the global one.

/// Per-node capacity (allocatable) or usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Res {
    pub(crate) cpu: u64,
    pub(crate) mem: u64,
    pub(crate) pods: u64,
}

impl Res {
    pub(crate) fn holds(&self, need: &Res) -> bool {
        need.cpu <= self.cpu && need.mem <= self.mem && need.pods <= self.pods
    }
}

/// One pod shape (a pod needs one pod slot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    pub(crate) cpu: u64,
    pub(crate) mem: u64,
}

/// `nodes` identical nodes, each holding `contents` = (shape index, pods per node).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    pub(crate) nodes: u64,
    pub(crate) contents: Vec<(usize, u64)>,
}

impl Layout {
    /// Resources one node of this layout uses.
    pub(crate) fn usage(&self, shapes: &[Shape]) -> Res {
        let mut u = Res::default();
        for &(g, n) in &self.contents {
            u.cpu += shapes[g].cpu * n;
            u.mem += shapes[g].mem * n;
            u.pods += n;
        }
        u
    }
}

/// Packs `counts[g]` pods of `shapes[g]` onto nodes of capacity `cap`.
///
/// Every shape with a non-zero count must fit an empty node (`cap.pods ≥ 1`, CPU and memory
/// within `cap`); the caller filters the others out.
pub(crate) fn pack(shapes: &[Shape], counts: &[u64], cap: Res) -> Vec<Layout> {
    let mut rem: Vec<u64> = counts.to_vec();
    let mut active: Vec<usize> = (0..shapes.len())
        .filter(|&g| rem[g] > 0 && fits(&shapes[g], &cap))
        .collect();
    let inv = [
        1.0 / cap.cpu.max(1) as f64,
        1.0 / cap.mem.max(1) as f64,
        1.0 / cap.pods.max(1) as f64,
    ];
    let mut taken = vec![0u64; shapes.len()];
    let mut layouts = Vec::new();
    while !active.is_empty() {
        // Remaining demand per resource: exact totals for the node estimate (so the
        // proportional base below provably fits), floats for the weights.
        let mut total = [0u128; 3];
        for &g in &active {
            let n = u128::from(rem[g]);
            total[0] += n * u128::from(shapes[g].cpu);
            total[1] += n * u128::from(shapes[g].mem);
            total[2] += n;
        }
        let caps = [cap.cpu, cap.mem, cap.pods].map(|c| u128::from(c.max(1)));
        let est = (0..3)
            .map(|r| total[r].div_ceil(caps[r]))
            .max()
            .unwrap_or(1)
            .max(1);
        let est = u64::try_from(est).unwrap_or(u64::MAX);
        let est_nodes = est as f64;
        let w = [0, 1, 2].map(|r| total[r] as f64 / caps[r] as f64 / est_nodes);

        let mut free = cap;
        let mut contents: Vec<(usize, u64)> = Vec::new();
        // Proportional base: every shape's fair share of one node, rounded down. It fits because
        // `est` is at least the per-resource demand in nodes.
        for &g in &active {
            let share = rem[g] / est;
            if share > 0 {
                let s = shapes[g];
                free.cpu -= s.cpu * share;
                free.mem -= s.mem * share;
                free.pods -= share;
                contents.push((g, 0));
                taken[g] = share;
            }
        }
        loop {
            let mut best: Option<(usize, f64)> = None;
            for &g in &active {
                let s = &shapes[g];
                if taken[g] == rem[g] || !fits(s, &free) {
                    continue;
                }
                let score = w[0] * (s.cpu as f64 * inv[0]) * (free.cpu as f64 * inv[0])
                    + w[1] * (s.mem as f64 * inv[1]) * (free.mem as f64 * inv[1])
                    + w[2] * inv[2] * (free.pods as f64 * inv[2]);
                if best.is_none_or(|(_, b)| score > b) {
                    best = Some((g, score));
                }
            }
            let Some((g, _)) = best else { break };
            let s = shapes[g];
            let room = [
                free.cpu.checked_div(s.cpu).unwrap_or(u64::MAX),
                free.mem.checked_div(s.mem).unwrap_or(u64::MAX),
                free.pods,
            ]
            .into_iter()
            .min()
            .unwrap_or(0);
            let add = room.div_ceil(2).min(rem[g] - taken[g]).max(1);
            free.cpu -= s.cpu * add;
            free.mem -= s.mem * add;
            free.pods -= add;
            if taken[g] == 0 {
                contents.push((g, 0));
            }
            taken[g] += add;
        }
        // Replicate: as often as every shape in the layout allows, at most half the estimate.
        let mut copies = (est / 2).max(1);
        for (g, n) in contents.iter_mut() {
            *n = taken[*g];
            taken[*g] = 0;
            copies = copies.min(rem[*g] / *n);
        }
        for &(g, n) in &contents {
            rem[g] -= n * copies;
        }
        contents.sort_unstable();
        layouts.push(Layout {
            nodes: copies,
            contents,
        });
        active.retain(|&g| rem[g] > 0);
    }
    merge_equal(layouts)
}

/// A shape fits in `free` (and a zero-size shape still needs a pod slot).
fn fits(s: &Shape, free: &Res) -> bool {
    s.cpu <= free.cpu && s.mem <= free.mem && free.pods >= 1
}

/// Merges layouts with identical contents (rounds often rebuild the same node).
fn merge_equal(mut layouts: Vec<Layout>) -> Vec<Layout> {
    layouts.sort_by(|a, b| a.contents.cmp(&b.contents));
    let mut out: Vec<Layout> = Vec::with_capacity(layouts.len());
    for l in layouts {
        match out.last_mut() {
            Some(last) if last.contents == l.contents => last.nodes += l.nodes,
            _ => out.push(l),
        }
    }
    out
}

/// `max over resources of ceil(total demand / per-node capacity)`: no packing can use fewer
/// nodes. Returns `[cpu, memory, pods, bound]`.
pub(crate) fn lower_bound(total: &Res, cap: &Res) -> [u64; 4] {
    let per = |t: u64, c: u64| if t == 0 { 0 } else { t.div_ceil(c.max(1)) };
    let cpu = per(total.cpu, cap.cpu);
    let mem = per(total.mem, cap.mem);
    let pods = per(total.pods, cap.pods);
    [cpu, mem, pods, cpu.max(mem).max(pods)]
}

#[cfg(test)]
mod tests {
    use super::*;

    const GI: u64 = 1 << 30;

    fn check(shapes: &[Shape], counts: &[u64], cap: Res) -> (u64, u64) {
        let layouts = pack(shapes, counts, cap);
        let mut placed = vec![0u64; shapes.len()];
        let mut total = Res::default();
        for l in &layouts {
            assert!(l.nodes > 0);
            assert!(cap.holds(&l.usage(shapes)), "over capacity: {l:?}");
            for &(g, n) in &l.contents {
                placed[g] += n * l.nodes;
            }
        }
        assert_eq!(placed, counts, "every pod placed exactly once");
        for (g, &c) in counts.iter().enumerate() {
            total.cpu += shapes[g].cpu * c;
            total.mem += shapes[g].mem * c;
            total.pods += c;
        }
        let nodes = layouts.iter().map(|l| l.nodes).sum();
        (nodes, lower_bound(&total, &cap)[3])
    }

    #[test]
    fn single_shape_is_exact() {
        let cap = Res {
            cpu: 3_900,
            mem: 6_249 << 20,
            pods: 61,
        };
        let (nodes, lb) = check(
            &[Shape {
                cpu: 500,
                mem: 512 << 20,
            }],
            &[1_000],
            cap,
        );
        // 7 pods per node by CPU (3900/500 = 7.8), 12 by memory: 143 nodes is optimal; the
        // per-resource bound (129) cannot count the 400m left on every node.
        assert_eq!((nodes, lb), (143, 129));
    }

    #[test]
    fn complementary_shapes_share_nodes() {
        // CPU-heavy and memory-heavy pods: alone each wastes half a node; mixed they fill it.
        let cap = Res {
            cpu: 8_000,
            mem: 16 * GI,
            pods: 110,
        };
        let shapes = [
            Shape {
                cpu: 1_000,
                mem: GI / 2,
            },
            Shape {
                cpu: 250,
                mem: 2 * GI,
            },
        ];
        let (nodes, lb) = check(&shapes, &[10_000, 10_000], cap);
        // The best integral node is 6 + 6 pods (7.5 cores, 15 GiB): 1667 nodes is optimal.
        assert_eq!((nodes, lb), (1_667, 1_563));
        // With pods small relative to the node, the packing reaches the bound.
        let cap = Res {
            cpu: 32_000,
            mem: 64 * GI,
            pods: 253,
        };
        let shapes = [
            Shape {
                cpu: 500,
                mem: GI / 4,
            },
            Shape { cpu: 125, mem: GI },
        ];
        let (nodes, lb) = check(&shapes, &[30_000, 30_000], cap);
        assert!(nodes as f64 <= lb as f64 * 1.01, "{nodes} vs {lb}");
    }

    #[test]
    fn pod_slots_bind() {
        let cap = Res {
            cpu: 64_000,
            mem: 256 * GI,
            pods: 29,
        };
        let (nodes, lb) = check(
            &[
                Shape {
                    cpu: 10,
                    mem: 1 << 20,
                },
                Shape { cpu: 0, mem: 0 },
            ],
            &[100, 100],
            cap,
        );
        assert_eq!((nodes, lb), (7, 7));
    }
}
