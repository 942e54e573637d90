//! Placement behaviour: policies, limits, whole cards, mixing, release, diagnosis.

#![allow(clippy::unwrap_used)] // tests may unwrap (project standard)

use tke_qgpu::{
    AppClass, GpuCard, GpuNode, NodeId, PlacementEngine, PodRequest, QgpuError, RawValues, Reason,
    SchedulerPolicy, Search, Share,
};

fn fleet(nodes: usize, cards: usize, memory_gib: u32) -> Vec<GpuNode> {
    (0..nodes)
        .map(|i| {
            let card = GpuCard::new("V100", memory_gib * 1024).unwrap();
            GpuNode::new(format!("node-{i}"), vec![card; cards]).unwrap()
        })
        .collect()
}

fn engines(nodes: &[GpuNode], policy: SchedulerPolicy) -> [PlacementEngine; 2] {
    [
        PlacementEngine::with_search(nodes, policy, Search::Indexed).unwrap(),
        PlacementEngine::with_search(nodes, policy, Search::ReferenceScan).unwrap(),
    ]
}

fn frac(core: u64, mem: u64) -> PodRequest {
    PodRequest::fraction("ns/p", core, mem).unwrap()
}

#[test]
fn spread_puts_replicas_on_different_nodes_then_cards() {
    for mut engine in engines(&fleet(3, 2, 32), SchedulerPolicy::Spread) {
        let got: Vec<(u32, u8)> = (0..6)
            .map(|_| {
                let p = engine.place(&frac(20, 4)).unwrap();
                (p.node.0, p.assignments[0].gpu)
            })
            .collect();
        assert_eq!(got, [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2, 1)]);
        // Then the card with most free memory: everything equal again, same order.
        let p = engine.place(&frac(20, 4)).unwrap();
        assert_eq!((p.node.0, p.assignments[0].gpu), (0, 0));
    }
}

#[test]
fn binpack_fills_one_card_then_one_node() {
    for mut engine in engines(&fleet(3, 2, 32), SchedulerPolicy::Binpack) {
        let got: Vec<(u32, u8)> = (0..6)
            .map(|_| {
                let p = engine.place(&frac(50, 4)).unwrap();
                (p.node.0, p.assignments[0].gpu)
            })
            .collect();
        assert_eq!(got, [(0, 0), (0, 0), (0, 1), (0, 1), (1, 0), (1, 0)]);
        let stats = engine.stats();
        assert_eq!((stats.nodes_in_use, stats.cards_in_use), (2, 3));
    }
}

#[test]
fn binpack_is_best_fit_by_memory() {
    for mut engine in engines(&fleet(2, 1, 16), SchedulerPolicy::Binpack) {
        let a = engine.place(&frac(10, 10)).unwrap(); // node 0: 6 left
        let b = engine.place(&frac(10, 10)).unwrap(); // does not fit node 0 -> node 1: 6 left
        assert_eq!((a.node.0, b.node.0), (0, 1));
        engine.release(a.handle).unwrap(); // node 0: 16 free, node 1: 6 free
        let c = engine.place(&frac(10, 5)).unwrap();
        assert_eq!(c.node, NodeId(1), "tightest fit");
    }
}

#[test]
fn compute_is_limited_to_100_per_card() {
    for policy in [SchedulerPolicy::Spread, SchedulerPolicy::Binpack] {
        for mut engine in engines(&fleet(1, 1, 32), policy) {
            for _ in 0..3 {
                engine.place(&frac(30, 1)).unwrap();
            }
            let err = engine.place(&frac(15, 1)).unwrap_err();
            let QgpuError::Unschedulable { pod, diagnosis } = err else {
                panic!("{err}")
            };
            assert_eq!(pod, "ns/p");
            assert_eq!(diagnosis.count(Reason::InsufficientCore), 1);
            assert_eq!(
                diagnosis.to_string(),
                "0/1 nodes are available: 1 Insufficient tke.cloud.tencent.com/qgpu-core."
            );
            engine.place(&frac(10, 1)).unwrap();
            assert_eq!(engine.gpu_usage(NodeId(0), 0).unwrap().core_free, 0);
        }
    }
}

#[test]
fn at_most_16_devices_per_gpu() {
    for mut engine in engines(&fleet(1, 1, 32), SchedulerPolicy::Binpack) {
        for _ in 0..16 {
            engine.place(&frac(5, 1)).unwrap();
        }
        let usage = engine.gpu_usage(NodeId(0), 0).unwrap();
        assert_eq!(
            (usage.devices, usage.core_free, usage.memory_free),
            (16, 20, 16)
        );
        let QgpuError::Unschedulable { diagnosis, .. } = engine.place(&frac(5, 1)).unwrap_err()
        else {
            panic!()
        };
        assert_eq!(
            diagnosis.to_string(),
            "0/1 nodes are available: 1 node(s) reached the qGPU device limit (16 per GPU)."
        );
    }
}

#[test]
fn memory_limit_and_card_size() {
    for mut engine in engines(&fleet(2, 1, 16), SchedulerPolicy::Spread) {
        let QgpuError::Unschedulable { diagnosis, .. } = engine.place(&frac(10, 17)).unwrap_err()
        else {
            panic!()
        };
        assert_eq!(diagnosis.count(Reason::InsufficientMemory), 2);
        engine.place(&frac(10, 16)).unwrap();
    }
}

#[test]
fn compute_and_memory_on_different_cards_is_fragmentation() {
    for mut engine in engines(&fleet(1, 2, 16), SchedulerPolicy::Binpack) {
        engine.place(&frac(90, 1)).unwrap(); // gpu 0: 10 core, 15 mem
        engine.place(&frac(5, 14)).unwrap(); // tightest memory fit: gpu 0 -> 5 core, 1 mem
        let p = engine.place(&frac(10, 15)).unwrap(); // gpu 1
        assert_eq!(p.assignments[0].gpu, 1); // gpu 1: 90 core, 1 mem
        // 50 core exists on gpu 1, 1 mem on both: ask for 50 core + 2 mem -> no single GPU? no:
        // memory 2 exists nowhere, so memory is short.
        let QgpuError::Unschedulable { diagnosis, .. } = engine.place(&frac(50, 2)).unwrap_err()
        else {
            panic!()
        };
        assert_eq!(diagnosis.count(Reason::InsufficientMemory), 1);
        engine.release(p.handle).unwrap(); // gpu 1 empty again
        engine.place(&frac(95, 1)).unwrap(); // gpu 1 has 5 core, 15 mem
        // 10 core + 2 mem: gpu 0 has core 5 (no), gpu 1 has core 5. Core short.
        // 5 core + 2 mem: gpu 1 fits.
        engine.place(&frac(5, 2)).unwrap();
        // Now gpu0: 5 core, 1 mem; gpu1: 0 core, 13 mem. 5 core + 2 mem: core on gpu0, mem on gpu1.
        let QgpuError::Unschedulable { diagnosis, .. } = engine.place(&frac(5, 2)).unwrap_err()
        else {
            panic!()
        };
        assert_eq!(
            diagnosis.to_string(),
            "0/1 nodes are available: 1 node(s) had no single GPU with enough compute and memory together."
        );
    }
}

#[test]
fn whole_cards_need_untouched_cards_on_one_node() {
    for policy in [SchedulerPolicy::Spread, SchedulerPolicy::Binpack] {
        for mut engine in engines(&fleet(2, 4, 32), policy) {
            engine.place(&frac(5, 1)).unwrap(); // touches node 0 gpu 0 (both policies)
            let whole = PodRequest::whole_cards("ns/train", 4).unwrap();
            let p = engine.place(&whole).unwrap();
            assert_eq!(p.node, NodeId(1));
            assert_eq!(p.assignments.len(), 4);
            assert!(p.assignments.iter().all(|a| a.share == Share::WholeCard));
            let usage = engine.gpu_usage(NodeId(1), 3).unwrap();
            assert!(usage.whole && usage.memory_free == 0 && usage.core_free == 0);
            // A whole card takes the card: no slice can join it.
            let err = engine.place(&whole).unwrap_err();
            let QgpuError::Unschedulable { diagnosis, .. } = err else {
                panic!()
            };
            assert_eq!(diagnosis.count(Reason::NotEnoughWholeGpus), 2);
            let three = PodRequest::whole_cards("ns/t3", 3).unwrap();
            let p3 = engine.place(&three).unwrap();
            assert_eq!(p3.node, NodeId(0));
            let gpus: Vec<u8> = p3.assignments.iter().map(|a| a.gpu).collect();
            assert_eq!(gpus, [1, 2, 3]);
            engine.release(p.handle).unwrap();
            assert!(!engine.gpu_usage(NodeId(1), 3).unwrap().whole);
            assert!(engine.index_is_consistent());
        }
    }
}

#[test]
fn whole_card_spread_prefers_most_untouched_binpack_fewest() {
    let nodes = fleet(2, 4, 32);
    let mut spread = PlacementEngine::new(&nodes, SchedulerPolicy::Spread).unwrap();
    let mut binpack = PlacementEngine::new(&nodes, SchedulerPolicy::Binpack).unwrap();
    for e in [&mut spread, &mut binpack] {
        e.place(&frac(5, 1)).unwrap(); // node 0 gpu 0
    }
    let one = PodRequest::whole_cards("ns/w", 1).unwrap();
    assert_eq!(spread.place(&one).unwrap().node, NodeId(1)); // 4 untouched > 3
    assert_eq!(binpack.place(&one).unwrap().node, NodeId(0)); // 3 untouched suffice
}

#[test]
fn multi_container_pods_stay_on_one_node() {
    let two = PodRequest::from_values(
        "ns/pair",
        AppClass::Normal,
        &[
            RawValues {
                core: Some(60),
                memory: Some(10),
                greedy: None,
            },
            RawValues {
                core: Some(60),
                memory: Some(10),
                greedy: None,
            },
        ],
    )
    .unwrap();
    for policy in [SchedulerPolicy::Spread, SchedulerPolicy::Binpack] {
        let nodes = fleet(2, 2, 32);
        let [mut indexed, mut reference] = engines(&nodes, policy);
        for e in [&mut indexed, &mut reference] {
            // Leave node 0 with one free card only.
            e.place(&PodRequest::whole_cards("ns/w", 1).unwrap())
                .unwrap();
        }
        let a = indexed.place(&two).unwrap();
        let b = reference.place(&two).unwrap();
        assert_eq!(a.assignments, b.assignments);
        assert_eq!(a.node, b.node);
        assert_eq!(
            a.node,
            NodeId(1),
            "{policy:?}: two 60% slices need two cards"
        );
        let gpus: Vec<u8> = a.assignments.iter().map(|x| x.gpu).collect();
        assert_eq!(gpus.len(), 2);
        assert_ne!(gpus[0], gpus[1]);
        // No node can take another pair: node 0 has one card, node 1 has 40% + 40%.
        let err = indexed.place(&two).unwrap_err();
        let QgpuError::Unschedulable { diagnosis, .. } = err else {
            panic!()
        };
        assert_eq!(diagnosis.count(Reason::PodDoesNotFit), 1);
        assert_eq!(diagnosis.count(Reason::InsufficientCore), 1);
    }
}

fn mixing_fleet() -> Vec<GpuNode> {
    vec![
        GpuNode::new("plain", vec![GpuCard::new("T4", 16 * 1024).unwrap()]).unwrap(),
        GpuNode::new("mixed", vec![GpuCard::new("T4", 16 * 1024).unwrap()])
            .unwrap()
            .with_mixing(true),
    ]
}

#[test]
fn online_and_offline_share_a_card_on_mixing_nodes() {
    for mut engine in engines(&mixing_fleet(), SchedulerPolicy::Binpack) {
        let online = PodRequest::online("ns/on", 6).unwrap();
        let offline = PodRequest::offline("ns/off", 80, 6).unwrap();
        let a = engine.place(&online).unwrap();
        let b = engine.place(&offline).unwrap();
        assert_eq!((a.node, b.node), (NodeId(1), NodeId(1)));
        // Offline compute comes from the greedy pool; normal compute is untouched.
        let usage = engine.gpu_usage(NodeId(1), 0).unwrap();
        assert_eq!(
            (
                usage.core_free,
                usage.greedy_free,
                usage.memory_free,
                usage.devices
            ),
            (100, 20, 4, 2)
        );
        // A normal pod can still take qgpu-core there (memory is statically partitioned).
        // Binpack: the mixing card's 4 units left are the tightest fit.
        let normal = engine.place(&frac(50, 4)).unwrap();
        assert_eq!(normal.node, NodeId(1));
        let usage = engine.gpu_usage(NodeId(1), 0).unwrap();
        assert_eq!(
            (
                usage.core_free,
                usage.greedy_free,
                usage.memory_free,
                usage.devices
            ),
            (50, 20, 0, 3)
        );
    }
}

#[test]
fn offline_and_online_need_a_mixing_node() {
    let nodes = vec![GpuNode::new("plain", vec![GpuCard::new("T4", 16 * 1024).unwrap()]).unwrap()];
    for mut engine in engines(&nodes, SchedulerPolicy::Spread) {
        let err = engine
            .place(&PodRequest::offline("ns/off", 10, 5).unwrap())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "pod ns/off: 0/1 nodes are available: 1 node(s) did not support online/offline mixing."
        );
        assert!(
            engine
                .place(&PodRequest::online("ns/on", 5).unwrap())
                .is_err()
        );
    }
}

#[test]
fn offline_containers_share_one_card() {
    let nodes = vec![
        GpuNode::new("mixed", vec![GpuCard::new("T4", 16 * 1024).unwrap(); 2])
            .unwrap()
            .with_mixing(true),
    ];
    let c = RawValues {
        core: None,
        memory: Some(5),
        greedy: Some(40),
    };
    let pod = PodRequest::from_values("ns/off", AppClass::Offline, &[c, c]).unwrap();
    for mut engine in engines(&nodes, SchedulerPolicy::Spread) {
        let p = engine.place(&pod).unwrap();
        assert_eq!(p.assignments.len(), 2);
        assert_eq!(p.assignments[0].gpu, p.assignments[1].gpu);
        let usage = engine.gpu_usage(NodeId(0), 0).unwrap();
        assert_eq!(
            (usage.greedy_free, usage.memory_free, usage.devices),
            (20, 6, 2)
        );
    }
}

#[test]
fn unusable_nodes_are_skipped_and_reported() {
    let card = GpuCard::new("T4", 16 * 1024).unwrap();
    let nodes = vec![
        GpuNode::new("cordoned", vec![card.clone()])
            .unwrap()
            .with_schedulable(false),
        GpuNode::new("nvidia", vec![card.clone()])
            .unwrap()
            .with_qgpu_enabled(false),
        GpuNode::new("ok", vec![card]).unwrap(),
    ];
    for mut engine in engines(&nodes, SchedulerPolicy::Spread) {
        let p = engine.place(&frac(50, 10)).unwrap();
        assert_eq!(engine.node_name(p.node), Some("ok"));
        let err = engine.place(&frac(60, 1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "pod ns/p: 0/3 nodes are available: 1 Insufficient tke.cloud.tencent.com/qgpu-core, 1 node(s) did not have qGPU enabled, 1 node(s) were unschedulable."
        );
        assert_eq!(engine.stats().nodes, 1);
    }
}

#[test]
fn diagnosis_counts_like_kube_scheduler_at_scale() {
    // 5 nodes: 3 short of memory, 2 at the device limit.
    let nodes = fleet(5, 1, 16);
    let mut engine = PlacementEngine::new(&nodes, SchedulerPolicy::Binpack).unwrap();
    for _ in 0..3 {
        engine.place(&frac(50, 15)).unwrap();
    }
    // Best fit: the 1G left on nodes 0-2 first, then 16 devices on each of nodes 3 and 4.
    for _ in 0..35 {
        engine.place(&frac(5, 1)).unwrap();
    }
    let err = engine.place(&frac(5, 2)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "pod ns/p: 0/5 nodes are available: 3 Insufficient tke.cloud.tencent.com/qgpu-memory, 2 node(s) reached the qGPU device limit (16 per GPU)."
    );
}

#[test]
fn release_restores_and_rejects_unknown_handles() {
    let nodes = fleet(2, 2, 32);
    let mut engine = PlacementEngine::new(&nodes, SchedulerPolicy::Spread).unwrap();
    let fresh = engine.clone();
    let p = engine.place(&frac(25, 7)).unwrap();
    assert!(!engine.same_state(&fresh));
    assert_eq!(
        engine.assignments(p.handle).unwrap().1,
        p.assignments.as_slice()
    );
    engine.release(p.handle).unwrap();
    assert!(engine.same_state(&fresh));
    assert!(engine.index_is_consistent());
    assert_eq!(
        engine.release(p.handle).unwrap_err(),
        QgpuError::UnknownPod { handle: p.handle.0 }
    );
    assert!(engine.release(tke_qgpu::PodHandle(99)).is_err());
    assert!(engine.assignments(p.handle).is_none());
}

#[test]
fn stats_report_utilisation_and_fragmentation() {
    let nodes = fleet(2, 2, 20);
    let mut engine = PlacementEngine::new(&nodes, SchedulerPolicy::Binpack).unwrap();
    let s = engine.stats();
    assert_eq!(
        (s.nodes, s.cards, s.core_capacity, s.memory_capacity),
        (2, 4, 400, 80)
    );
    assert_eq!(s.fragmentation(), 0.0);
    engine.place(&frac(50, 10)).unwrap();
    engine
        .place(&PodRequest::whole_cards("ns/w", 1).unwrap())
        .unwrap();
    let s = engine.stats();
    assert_eq!(
        (s.pods, s.nodes_in_use, s.cards_in_use, s.whole_cards),
        (2, 1, 2, 1)
    );
    assert_eq!(
        (s.core_allocated, s.memory_allocated, s.devices),
        (150, 30, 2)
    );
    assert!((s.core_utilisation() - 0.375).abs() < 1e-12);
    assert!((s.memory_utilisation() - 0.375).abs() < 1e-12);
    // 250 free core: 50 on the partly used card.
    assert!((s.fragmentation() - 50.0 / 250.0).abs() < 1e-12);
}

#[test]
fn duplicate_node_names_are_rejected() {
    let mut nodes = fleet(2, 1, 16);
    nodes.push(nodes[0].clone());
    assert_eq!(
        PlacementEngine::new(&nodes, SchedulerPolicy::Spread).unwrap_err(),
        QgpuError::DuplicateNode {
            node: "node-0".into()
        }
    );
}

/// A card with one free device slot cannot take a two-container offline pod, so it must not
/// pull its node ahead in the candidate order: indexed and reference agree on the next node.
#[test]
fn multi_device_offline_pods_respect_the_device_limit_in_order() {
    let big = GpuCard::new("V100", 32 * 1024).unwrap();
    let small = GpuCard::new("T4", 2 * 1024).unwrap();
    let mid = GpuCard::new("T4", 10 * 1024).unwrap();
    let nodes = vec![
        GpuNode::new("x", vec![big, small])
            .unwrap()
            .with_mixing(true),
        GpuNode::new("y", vec![mid]).unwrap().with_mixing(true),
    ];
    let c = RawValues {
        core: None,
        memory: Some(1),
        greedy: Some(5),
    };
    let pair = PodRequest::from_values("ns/pair", AppClass::Offline, &[c, c]).unwrap();
    let [mut indexed, mut reference] = engines(&nodes, SchedulerPolicy::Spread);
    for e in [&mut indexed, &mut reference] {
        // Spread: x/GPU 0 keeps the most free memory, so it takes all 15 (17G left).
        for _ in 0..15 {
            let p = e.place(&PodRequest::online("ns/o", 1).unwrap()).unwrap();
            assert_eq!((p.node, p.assignments[0].gpu), (NodeId(0), 0));
        }
    }
    // Order by free memory: x/0 (17G, one slot: too few), y/0 (10G), x/1 (2G).
    let a = indexed.place(&pair).unwrap();
    let b = reference.place(&pair).unwrap();
    assert_eq!((a.node, &a.assignments), (b.node, &b.assignments));
    assert_eq!(
        (a.node, a.assignments[0].gpu, a.assignments[1].gpu),
        (NodeId(1), 0, 0)
    );
}
