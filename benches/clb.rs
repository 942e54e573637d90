//! Service/Ingress → CLB mapping and planning cost (issue 7: tke-clb).
//!
//! Targets (one core, release build):
//! - `map/full`: mapping 10,000 LoadBalancer Services and 5,000 Ingresses with 10 rules each
//!   (50,000 forwarding rules), 20 nodes, takes **< 100 ms**. The Services share 500 existing
//!   CLBs (20 Services each, distinct ports). An Ingress always gets its own CLB (the document
//!   forbids several Ingresses, or an Ingress and a Service, on one CLB), so the Ingresses add
//!   5,000 created CLBs on top of the 500.
//! - `plan/full`: planning all of them against a current state of the same size (the state
//!   converged with one node fewer, so every listener and rule needs a `RegisterTargets`) takes
//!   **< 50 ms**.
//! - cost grows linearly: `quarter`, `half` and `full` sizes are measured in the same run; the
//!   ratios full/half and half/quarter should be close to 2.
//! - results are dropped outside the timed section (`iter_with_large_drop`): freeing the caller's
//!   `Mapping`/plans is not part of mapping or planning.
//! - yardstick: `clone_inputs/<size>` deep-clones the same Kubernetes objects. The machine is shared
//!   and noisy, so absolute times are compared together with this ratio from the same run.
//!
//! Measured 2026-11-23 (shared 2-core machine, `--warm-up-time 1 --measurement-time 4`, the
//! previous and the current bench binaries run back to back; median, ratio to `clone_inputs` of
//! the same run):
//!
//! | size    | clone_inputs (before / now) | map before     | map now        | plan before    | plan now       |
//! |---------|-----------------------------|----------------|----------------|----------------|----------------|
//! | quarter | 4.8 / 4.8 ms                | 16.4 ms (3.4x) | 13.8 ms (2.9x) | 9.0 ms (1.9x)  | 6.4 ms (1.3x)  |
//! | half    | 9.4 / 9.6 ms                | 34.8 ms (3.7x) | 28.9 ms (3.0x) | 21.7 ms (2.3x) | 16.5 ms (1.7x) |
//! | full    | 17.9 / 17.4 ms              | 71.3 ms (4.0x) | 56.6 ms (3.3x) | 43.7 ms (2.4x) | 36.9 ms (2.1x) |
//!
//! Both targets are met at `full`. Growth: map full/half 1.96, half/quarter 2.10; plan full/half
//! 2.24, half/quarter 2.57 (the quarter-size current state still fits in cache; the work itself is
//! linear: one merge join per listener, rule and target list).

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use k8s_openapi::api::core::v1::{
    Node, NodeAddress, NodeCondition, NodeStatus, Service, ServicePort, ServiceSpec,
};
use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, ServiceBackendPort,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use tke_clb::state::ClbState;
use tke_clb::{ClusterOptions, Inputs, Simulator, map, plan_all};

const SERVICES_PER_CLB: usize = 20;
const RULES_PER_INGRESS: usize = 10;

fn meta(name: String, annotations: Option<BTreeMap<String, String>>) -> ObjectMeta {
    ObjectMeta {
        name: Some(name),
        namespace: Some("default".to_owned()),
        annotations,
        ..ObjectMeta::default()
    }
}

fn nodes(n: usize) -> Vec<Node> {
    (0..n)
        .map(|i| Node {
            metadata: meta(format!("node-{i}"), None),
            status: Some(NodeStatus {
                addresses: Some(vec![NodeAddress {
                    type_: "InternalIP".to_owned(),
                    address: format!("10.0.{}.{}", i / 250, i % 250 + 1),
                }]),
                conditions: Some(vec![NodeCondition {
                    type_: "Ready".to_owned(),
                    status: "True".to_owned(),
                    ..NodeCondition::default()
                }]),
                ..NodeStatus::default()
            }),
            ..Node::default()
        })
        .collect()
}

/// `services` LoadBalancer Services on `services / 20` existing CLBs and `ingresses` Ingresses with
/// 10 rules each forwarding to those Services.
fn world(services: usize, ingresses: usize, node_count: usize) -> Inputs {
    let mut inputs = Inputs::new(ClusterOptions::new("cls-bench", "vpc-bench"));
    inputs.nodes = nodes(node_count);
    for j in 0..services {
        let slot = j % SERVICES_PER_CLB;
        let mut ann = BTreeMap::new();
        ann.insert(
            "service.kubernetes.io/tke-existed-lbid".to_owned(),
            format!("lb-{:08}", j / SERVICES_PER_CLB),
        );
        inputs.services.push(Service {
            metadata: meta(format!("svc-{j}"), Some(ann)),
            spec: Some(ServiceSpec {
                type_: Some("LoadBalancer".to_owned()),
                ports: Some(vec![ServicePort {
                    name: Some("web".to_owned()),
                    port: 1000 + slot as i32,
                    node_port: Some(30000 + slot as i32),
                    protocol: Some("TCP".to_owned()),
                    ..ServicePort::default()
                }]),
                ..ServiceSpec::default()
            }),
            ..Service::default()
        });
    }
    for k in 0..ingresses {
        let rules = (0..RULES_PER_INGRESS)
            .map(|r| {
                let target = (k * 2 + r % 2) % services.max(1);
                IngressRule {
                    host: Some(format!("h{r}.ing-{k}.example.com")),
                    http: Some(HTTPIngressRuleValue {
                        paths: vec![HTTPIngressPath {
                            path: Some(format!("/p{r}")),
                            path_type: "ImplementationSpecific".to_owned(),
                            backend: IngressBackend {
                                service: Some(IngressServiceBackend {
                                    name: format!("svc-{target}"),
                                    port: Some(ServiceBackendPort {
                                        number: Some(1000 + (target % SERVICES_PER_CLB) as i32),
                                        name: None,
                                    }),
                                }),
                                resource: None,
                            },
                        }],
                    }),
                }
            })
            .collect();
        inputs.ingresses.push(Ingress {
            metadata: meta(format!("ing-{k}"), None),
            spec: Some(IngressSpec {
                rules: Some(rules),
                ..IngressSpec::default()
            }),
            ..Ingress::default()
        });
    }
    inputs
}

/// Current CLB state converged for the same objects with one node fewer.
fn current_state(services: usize, ingresses: usize) -> Vec<ClbState> {
    let inputs = world(services, ingresses, 19);
    let mut sim = Simulator::new();
    for i in 0..services.div_ceil(SERVICES_PER_CLB) {
        sim.insert(ClbState {
            id: format!("lb-{i:08}"),
            name: format!("user-{i}"),
            vips: vec![format!("1.1.{}.{}", i / 250, i % 250)],
            ..ClbState::default()
        });
    }
    let mapping = map(&inputs);
    assert!(
        mapping.errors().next().is_none(),
        "bench world must map cleanly"
    );
    for p in plan_all(&mapping, &sim.states(), &inputs.options) {
        sim.apply(&p).expect("bench plan applies");
    }
    sim.states()
}

const SIZES: [(&str, usize, usize); 3] = [
    ("quarter", 2_500, 1_250),
    ("half", 5_000, 2_500),
    ("full", 10_000, 5_000),
];

fn bench_map(c: &mut Criterion) {
    let mut g = c.benchmark_group("map");
    g.sample_size(10);
    for (name, services, ingresses) in SIZES {
        let inputs = world(services, ingresses, 20);
        g.bench_with_input(BenchmarkId::from_parameter(name), &inputs, |b, inputs| {
            b.iter_with_large_drop(|| map(black_box(inputs)))
        });
    }
    g.finish();
}

fn bench_clone(c: &mut Criterion) {
    let mut g = c.benchmark_group("clone_inputs");
    g.sample_size(10);
    for (name, services, ingresses) in SIZES {
        let inputs = world(services, ingresses, 20);
        g.bench_with_input(BenchmarkId::from_parameter(name), &inputs, |b, inputs| {
            b.iter_with_large_drop(|| black_box(inputs).clone())
        });
    }
    g.finish();
}

fn bench_plan(c: &mut Criterion) {
    let mut g = c.benchmark_group("plan");
    g.sample_size(10);
    for (name, services, ingresses) in SIZES {
        let inputs = world(services, ingresses, 20);
        let mapping = map(&inputs);
        let current = current_state(services, ingresses);
        g.bench_with_input(BenchmarkId::from_parameter(name), &current, |b, current| {
            b.iter_with_large_drop(|| plan_all(black_box(&mapping), current, &inputs.options))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_clone, bench_map, bench_plan);
criterion_main!(benches);
