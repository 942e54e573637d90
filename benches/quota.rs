//! `tke-quota` hot paths.
//!
//! Targets (issue 6):
//! * planning 1,000,000 pods across 5 node types: **< 1 s** on one core (pods are grouped by
//!   request, so the cost follows the number of distinct shapes and node layouts);
//! * level selection and GlobalRouter CIDR planning (forward and reverse): **well under 1 µs**.
//!
//! The packing ratio (nodes / per-resource lower bound) of the planning scenarios is printed to
//! stderr once before measuring.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tke_quota::tke_reserve::{NetworkMode, ReservationAlgorithm};
use tke_quota::*;

const MI: u64 = 1 << 20;

fn node_types() -> Vec<NodeType> {
    [
        ("S5.LARGE8", 4, 8, "0.32"),
        ("S5.2XLARGE16", 8, 16, "0.64"),
        ("S5.4XLARGE32", 16, 32, "1.28"),
        ("M5.4XLARGE128", 16, 128, "2.40"),
        ("S5.8XLARGE64", 32, 64, "2.56"),
    ]
    .into_iter()
    .map(|(name, cores, gib, price)| {
        NodeType::new(name, cores, gib).with_price(price.parse().expect("price"))
    })
    .collect()
}

/// A deterministic mix: `shapes` distinct requests (50m-2s CPU, 64Mi-4Gi memory), 1,000,000
/// pods in total, given as `shapes` workloads (or one workload per pod).
fn workloads(shapes: u64, one_per_pod: bool) -> Vec<Workload> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let reqs: Vec<(u64, u64)> = (0..shapes)
        .map(|_| (50 + next() % 1_950, (64 + next() % 4_032) * MI))
        .collect();
    let per = 1_000_000 / shapes;
    if one_per_pod {
        (0..1_000_000u64)
            .map(|i| {
                let (c, m) = reqs[(i % shapes) as usize];
                Workload::new(format!("pod-{i}"), c, m, 1)
            })
            .collect()
    } else {
        reqs.iter()
            .enumerate()
            .map(|(i, &(c, m))| Workload::new(format!("w{i}"), c, m, per))
            .collect()
    }
}

fn planning(c: &mut Criterion) {
    let types = node_types();
    let src = TkeReserve::new(
        ReservationAlgorithm::New,
        NetworkMode::GlobalRouter {
            max_pods_per_node: 128,
        },
    );
    let planner = CapacityPlanner::default().with_network(NetworkPlanning::default());
    let mut group = c.benchmark_group("plan_1m_pods_5_types");
    group.sample_size(10);
    for (label, ws) in [
        ("200_workloads", workloads(200, false)),
        ("1000_workloads", workloads(1_000, false)),
        ("1m_single_pods_200_shapes", workloads(200, true)),
    ] {
        let plan = planner.plan(&ws, &types, &src).expect("plan");
        eprintln!(
            "{label}: {} pods on {} nodes {:?}, lower bound {}, packing ratio {:.4}, {} layouts",
            plan.pods,
            plan.nodes,
            plan.node_counts
                .iter()
                .map(|n| (n.node_type.as_str(), n.nodes))
                .collect::<Vec<_>>(),
            plan.lower_bound,
            plan.packing_ratio(),
            plan.layouts.len()
        );
        group.bench_function(label, |b| {
            b.iter(|| planner.plan(black_box(&ws), &types, &src).expect("plan"))
        });
    }
    group.finish();
}

fn levels_and_cidr(c: &mut Criterion) {
    let table = LevelTable::tke_default();
    let plan = ClusterPlan {
        nodes: 50,
        pods: 2_000,
        replicasets: 5_000,
        configmaps: 900,
        crds: 300,
        other_per_kind: 2_000,
    };
    c.bench_function("choose_level", |b| {
        b.iter(|| table.choose_level(black_box(&plan)).expect("level").index)
    });
    let policy = GrPolicy::default();
    let opts = GrOptions::parse("172.16.0.0/16", 64, 256).expect("cidr");
    c.bench_function("gr_plan_forward", |b| {
        b.iter(|| policy.plan(black_box(&opts)).expect("plan").max_nodes)
    });
    let req = GrRequirement {
        nodes: 1_000,
        pods_per_node: 61,
        services: 251,
    };
    c.bench_function("gr_size_reverse", |b| {
        b.iter(|| policy.size_for(black_box(&req)).expect("size").prefix_len)
    });
    let vpc: ipnet::Ipv4Net = "172.16.0.0/16".parse().expect("vpc");
    let sizing = policy.size_for(&req).expect("size");
    c.bench_function("gr_place_avoiding_vpc", |b| {
        b.iter(|| sizing.place(black_box(&[vpc])).expect("place"))
    });
}

criterion_group!(benches, planning, levels_and_cidr);
criterion_main!(benches);
