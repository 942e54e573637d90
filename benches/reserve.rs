//! Node capacity math cost (issue 5: tke-reserve).
//!
//! Targets, on one core of the development machine:
//! - at least 20 million node allocatable computations per second (`allocatable/*`,
//!   `plan_node/*`: one element = one node shape; no allocation on that path);
//! - at least 5 million super-node spec selections per second (`supernode/select_for_totals`:
//!   one element = one pod's totals matched against the tables).
//!
//! Also measured: the whole pipeline from a `k8s-openapi` `Pod` (quantity parsing, totals,
//! matching) and the quantity parser alone.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use k8s_openapi::api::core::v1::Pod;
use tke_reserve::supernode::{
    PodTotals, SpecAnnotations, SpecTables, match_cpu_spec, select_for_totals, select_pod_spec,
};
use tke_reserve::{
    EniAttachment, GIB, NetworkMode, NodeResources, NodeShape, ParsedQuantity,
    ReservationAlgorithm, ReservationConfig, allocatable, plan_node,
};

/// A batch of realistic node shapes (cores, GiB): the CVM catalogue's usual ratios.
fn shapes() -> Vec<NodeResources> {
    let mut v = Vec::new();
    for cores in [1u32, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256] {
        for ratio in [1u32, 2, 4, 8] {
            v.push(NodeResources::from_cores_gib(cores, cores * ratio));
        }
    }
    v
}

fn bench_allocatable(c: &mut Criterion) {
    let shapes = shapes();
    let cfg = ReservationConfig::default();
    let mut g = c.benchmark_group("allocatable");
    g.throughput(Throughput::Elements(shapes.len() as u64));
    for (name, algo) in [
        ("old", ReservationAlgorithm::Old),
        ("new", ReservationAlgorithm::New),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut sum = 0u64;
                for &s in black_box(&shapes) {
                    if let Ok(a) = allocatable(algo, s, black_box(110), &cfg) {
                        sum = sum.wrapping_add(a.cpu_millis ^ a.memory_bytes);
                    }
                }
                sum
            });
        });
    }
    g.finish();

    let mut g = c.benchmark_group("plan_node");
    g.throughput(Throughput::Elements(shapes.len() as u64));
    let networks = [
        (
            "global_router",
            NetworkMode::GlobalRouter {
                max_pods_per_node: 64,
            },
        ),
        (
            "vpc_cni_shared",
            NetworkMode::VpcCniShared {
                eni: EniAttachment::Multi,
                static_ip: false,
            },
        ),
    ];
    for (name, network) in networks {
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut sum = 0u64;
                for &capacity in black_box(&shapes) {
                    let shape = NodeShape::new(capacity, ReservationAlgorithm::New, network);
                    if let Ok(p) = plan_node(&shape, &cfg, None) {
                        sum = sum.wrapping_add(p.allocatable.memory_bytes);
                    }
                }
                sum
            });
        });
    }
    g.finish();
}

/// Pod totals spread over the Intel table (millicores, bytes).
fn totals() -> Vec<PodTotals> {
    let mut v = Vec::new();
    for cpu in [
        0u64, 250, 500, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12000, 16000, 24000, 32000,
        48000, 64000,
    ] {
        for mem_gib in [0u64, 1, 2, 3, 6, 8, 12, 24, 48, 100, 200, 400] {
            v.push(PodTotals {
                cpu_millis: cpu,
                memory_bytes: mem_gib * GIB,
                gpus: 0,
                defaulted: false,
            });
        }
    }
    v
}

fn example_pod() -> Pod {
    serde_json::from_value(serde_json::json!({
        "spec": {"containers": [
            {"name": "c1", "resources": {"limits": {"cpu": "4", "memory": "4Gi"},
                                         "requests": {"cpu": "2", "memory": "4Gi"}}},
            {"name": "c2", "resources": {"limits": {"cpu": "1", "memory": "2Gi"},
                                         "requests": {"cpu": "1", "memory": "2Gi"}}}
        ]}
    }))
    .expect("valid pod")
}

fn bench_supernode(c: &mut Criterion) {
    let tables = SpecTables::default();
    let totals = totals();
    let ann = SpecAnnotations::default();
    let mut g = c.benchmark_group("supernode");
    g.throughput(Throughput::Elements(totals.len() as u64));
    g.bench_function("select_for_totals", |b| {
        b.iter(|| {
            let mut sum = 0u32;
            for t in black_box(&totals) {
                if let Ok(s) = select_for_totals(t, &ann, &tables) {
                    sum = sum.wrapping_add(s.spec.memory_mib);
                }
            }
            sum
        });
    });
    g.bench_function("match_cpu_spec", |b| {
        b.iter(|| {
            let mut sum = 0u32;
            for t in black_box(&totals) {
                if let Ok((_, m)) = match_cpu_spec(&tables.intel, t.cpu_millis, t.memory_mib_ceil())
                {
                    sum = sum.wrapping_add(m);
                }
            }
            sum
        });
    });
    g.throughput(Throughput::Elements(1));
    let pod = example_pod();
    g.bench_function("select_pod_spec_from_pod", |b| {
        b.iter(|| select_pod_spec(black_box(&pod), &tables).map(|s| s.spec.memory_mib))
    });
    g.finish();

    let mut g = c.benchmark_group("quantity");
    let inputs = ["100m", "2", "1.5Gi", "512Mi", "0.25", "1e3", "16Gi", "250m"];
    g.throughput(Throughput::Elements(inputs.len() as u64));
    g.bench_function("parse", |b| {
        b.iter(|| {
            let mut sum = 0i128;
            for s in black_box(&inputs) {
                if let Ok(q) = ParsedQuantity::parse("q", s) {
                    sum = sum.wrapping_add(q.nanos());
                }
            }
            sum
        });
    });
    g.finish();
}

criterion_group!(benches, bench_allocatable, bench_supernode);
criterion_main!(benches);
