//! Property tests: no overcommit, release restores state, Binpack uses no more nodes than
//! Spread on identical nodes, and the indexed engine agrees with the reference scan.

#![allow(clippy::unwrap_used)] // tests may unwrap (project standard)

use proptest::prelude::*;
use tke_qgpu::{
    AppClass, Assignment, GpuCard, GpuNode, NodeId, PlacementEngine, PodHandle, PodRequest,
    RawValues, SchedulerPolicy, Search, Share,
};

/// A node description: cards' memory (GiB), mixing, usable.
#[derive(Debug, Clone)]
struct NodeSpec {
    cards: Vec<u32>,
    mixing: bool,
    usable: bool,
}

fn node_spec() -> impl Strategy<Value = NodeSpec> {
    (
        prop::collection::vec(prop::sample::select(vec![2u32, 4, 8, 16, 32]), 1..5),
        any::<bool>(),
        prop::bool::weighted(0.9),
    )
        .prop_map(|(cards, mixing, usable)| NodeSpec {
            cards,
            mixing,
            usable,
        })
}

fn build(specs: &[NodeSpec]) -> Vec<GpuNode> {
    specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let cards = s
                .cards
                .iter()
                .map(|g| GpuCard::new("T4", g * 1024).unwrap())
                .collect();
            GpuNode::new(format!("n{i}"), cards)
                .unwrap()
                .with_mixing(s.mixing)
                .with_schedulable(s.usable)
        })
        .collect()
}

fn step5() -> impl Strategy<Value = u64> {
    (1u64..=19).prop_map(|k| k * 5)
}

fn raw(core: Option<u64>, memory: Option<u64>, greedy: Option<u64>) -> RawValues {
    RawValues {
        core,
        memory,
        greedy,
    }
}

/// Valid pod requests of every shape: slices, whole cards, online, offline, multi-container.
fn pod(single_only: bool) -> impl Strategy<Value = PodRequest> {
    let fraction = (step5(), 1u64..=8).prop_map(|(c, m)| PodRequest::fraction("p", c, m).unwrap());
    let whole = (1u64..=3).prop_map(|n| PodRequest::whole_cards("p", n).unwrap());
    let online = (1u64..=6).prop_map(|m| PodRequest::online("p", m).unwrap());
    let offline = (step5(), 1u64..=6).prop_map(|(g, m)| PodRequest::offline("p", g, m).unwrap());
    let multi = prop::collection::vec((step5(), 1u64..=4), 2..4).prop_map(|cs| {
        let raws: Vec<RawValues> = cs
            .iter()
            .map(|(c, m)| raw(Some(*c), Some(*m), None))
            .collect();
        PodRequest::from_values("p", AppClass::Normal, &raws).unwrap()
    });
    let mixed_whole = (1u64..=2, step5(), 1u64..=4).prop_map(|(n, c, m)| {
        PodRequest::from_values(
            "p",
            AppClass::Normal,
            &[raw(Some(n * 100), None, None), raw(Some(c), Some(m), None)],
        )
        .unwrap()
    });
    let multi_offline = (1u64..=6, 1u64..=3, 2usize..4).prop_map(|(g, m, k)| {
        PodRequest::from_values(
            "p",
            AppClass::Offline,
            &vec![raw(None, Some(m), Some(g * 5)); k],
        )
        .unwrap()
    });
    // Tiny pods push cards to the 16-device limit.
    let tiny = prop_oneof![
        Just(PodRequest::online("p", 1).unwrap()),
        Just(PodRequest::fraction("p", 5, 1).unwrap()),
        Just(PodRequest::offline("p", 5, 1).unwrap()),
    ];
    if single_only {
        prop_oneof![4 => fraction, 1 => whole, 1 => online, 1 => offline].boxed()
    } else {
        prop_oneof![
            6 => fraction, 1 => whole, 2 => online, 2 => offline, 4 => tiny,
            1 => multi, 1 => mixed_whole, 1 => multi_offline,
        ]
        .boxed()
    }
}

#[derive(Debug, Clone)]
enum Op {
    Place(PodRequest),
    /// Release the live pod at this position (modulo the live count).
    Release(usize),
}

fn ops(len: usize) -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        prop_oneof![3 => pod(false).prop_map(Op::Place), 1 => any::<usize>().prop_map(Op::Release)],
        1..len,
    )
}

fn policy() -> impl Strategy<Value = SchedulerPolicy> {
    prop_oneof![
        Just(SchedulerPolicy::Spread),
        Just(SchedulerPolicy::Binpack)
    ]
}

/// Recomputes every card's usage from the live assignments and checks the engine and limits.
fn check_no_overcommit(
    engine: &PlacementEngine,
    specs: &[NodeSpec],
    live: &[(PodHandle, NodeId, Vec<Assignment>)],
) -> Result<(), TestCaseError> {
    for (n, spec) in specs.iter().enumerate() {
        for (g, mem_gib) in spec.cards.iter().enumerate() {
            let (mut core, mut greedy, mut mem, mut devices, mut whole) =
                (0u32, 0u32, 0u32, 0u32, 0u32);
            for (_, node, assignments) in live {
                for a in assignments
                    .iter()
                    .filter(|a| node.0 as usize == n && usize::from(a.gpu) == g)
                {
                    devices += 1;
                    match a.share {
                        Share::WholeCard => whole += 1,
                        Share::Fraction { core: c, memory } => {
                            core += u32::from(c);
                            mem += memory;
                        }
                        Share::Online { memory } => mem += memory,
                        Share::Offline { greedy: c, memory } => {
                            greedy += u32::from(c);
                            mem += memory;
                        }
                    }
                }
            }
            prop_assert!(core <= 100 && greedy <= 100 && mem <= *mem_gib && devices <= 16);
            prop_assert!(whole == 0 || devices == 1, "a whole card is exclusive");
            if !spec.mixing {
                prop_assert_eq!(greedy, 0);
            }
            let usage = engine.gpu_usage(NodeId(n as u32), g as u8).unwrap();
            prop_assert_eq!(u32::from(usage.devices), devices);
            if whole == 0 {
                prop_assert_eq!(u32::from(usage.core_free), 100 - core);
                prop_assert_eq!(usage.memory_free, mem_gib - mem);
            } else {
                prop_assert!(usage.whole && usage.memory_free == 0 && usage.core_free == 0);
            }
            if !spec.usable {
                prop_assert_eq!(devices, 0, "unusable nodes take no pods");
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    /// The indexed engine and the reference scan make identical decisions (placements and
    /// diagnoses), and neither ever overcommits a card.
    #[test]
    fn indexed_equals_reference_and_never_overcommits(
        specs in prop::collection::vec(node_spec(), 1..7),
        ops in ops(120),
        policy in policy(),
    ) {
        let nodes = build(&specs);
        let mut indexed = PlacementEngine::with_search(&nodes, policy, Search::Indexed).unwrap();
        let mut reference = PlacementEngine::with_search(&nodes, policy, Search::ReferenceScan).unwrap();
        let mut live: Vec<(PodHandle, NodeId, Vec<Assignment>)> = Vec::new();
        for op in &ops {
            match op {
                Op::Place(pod) => {
                    let a = indexed.place(pod);
                    let b = reference.place(pod);
                    prop_assert_eq!(&a, &b);
                    if let Ok(p) = a {
                        live.push((p.handle, p.node, p.assignments));
                    }
                }
                Op::Release(i) if !live.is_empty() => {
                    let (handle, _, _) = live.remove(i % live.len());
                    indexed.release(handle).unwrap();
                    reference.release(handle).unwrap();
                }
                Op::Release(_) => {}
            }
            check_no_overcommit(&indexed, &specs, &live)?;
        }
        prop_assert!(indexed.same_state(&reference));
        prop_assert!(indexed.index_is_consistent());
        prop_assert_eq!(indexed.stats(), reference.stats());
    }

    /// From any reachable state, placing a pod and releasing it restores the state exactly,
    /// and placing it again makes the same decision (determinism).
    #[test]
    fn release_then_place_restores_state(
        specs in prop::collection::vec(node_spec(), 1..6),
        warmup in prop::collection::vec(pod(false), 0..40),
        probe in pod(false),
        policy in policy(),
    ) {
        let nodes = build(&specs);
        let mut engine = PlacementEngine::new(&nodes, policy).unwrap();
        for p in &warmup {
            let _ = engine.place(p);
        }
        let before = engine.clone();
        if let Ok(first) = engine.place(&probe) {
            engine.release(first.handle).unwrap();
            prop_assert!(engine.same_state(&before));
            prop_assert!(engine.index_is_consistent());
            prop_assert_eq!(engine.stats(), before.stats());
            let again = engine.place(&probe).unwrap();
            prop_assert_eq!((again.node, again.assignments), (first.node, first.assignments));
        } else {
            prop_assert!(engine.same_state(&before), "a failed placement changes nothing");
        }
    }

    /// On identical nodes, Binpack never uses more nodes than Spread for the same stream.
    #[test]
    fn binpack_uses_no_more_nodes_than_spread(
        nodes in 1usize..8,
        cards in 1usize..5,
        memory in prop::sample::select(vec![4u32, 8, 16]),
        mixing in any::<bool>(),
        stream in prop::collection::vec(pod(true), 1..60),
    ) {
        let spec = NodeSpec { cards: vec![memory; cards], mixing, usable: true };
        let fleet = build(&vec![spec; nodes]);
        let mut spread = PlacementEngine::new(&fleet, SchedulerPolicy::Spread).unwrap();
        let mut binpack = PlacementEngine::new(&fleet, SchedulerPolicy::Binpack).unwrap();
        for p in &stream {
            let _ = spread.place(p);
            let _ = binpack.place(p);
            prop_assert!(binpack.stats().nodes_in_use <= spread.stats().nodes_in_use);
        }
    }
}
