//! Capacity planning end to end: packing against the lower bound, infeasible pods, level and
//! GlobalRouter CIDR, pod templates and `tke-reserve` allocatable.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use proptest::prelude::*;
use tke_quota::tke_reserve::{NetworkMode, ReservationAlgorithm};
use tke_quota::*;

const MI: u64 = 1 << 20;
const GI: u64 = 1 << 30;

fn node_types() -> Vec<NodeType> {
    vec![
        NodeType::new("S5.LARGE8", 4, 8).with_max_pods(61),
        NodeType::new("S5.2XLARGE16", 8, 16).with_max_pods(61),
        NodeType::new("S5.4XLARGE32", 16, 32).with_max_pods(125),
        NodeType::new("M5.4XLARGE128", 16, 128).with_max_pods(125),
        NodeType::new("S5.8XLARGE64", 32, 64).with_max_pods(253),
    ]
}

/// Every pod is placed once, no node is over its allocatable, and the counts add up.
fn check_consistent(
    plan: &CapacityPlan<'_>,
    workloads: &[Workload],
    types: &[NodeType],
    src: &dyn AllocatableSource,
) {
    let mut placed = vec![0u64; plan.shapes.len()];
    let mut nodes_by_type: BTreeMap<&str, u64> = BTreeMap::new();
    for l in &plan.layouts {
        let t = types
            .iter()
            .find(|t| t.name == l.node_type)
            .expect("layout type is a candidate");
        let a = src.allocatable(t).expect("allocatable");
        let (mut cpu, mut mem, mut pods) = (0, 0, 0);
        for &(s, n) in &l.pods {
            cpu += plan.shapes[s].request.cpu_millis * n;
            mem += plan.shapes[s].request.memory_bytes * n;
            pods += n;
            placed[s] += n * l.nodes;
        }
        assert!(
            cpu <= a.cpu_millis && mem <= a.memory_bytes && pods <= a.pods,
            "{l:?} over {a:?}"
        );
        *nodes_by_type.entry(&l.node_type).or_default() += l.nodes;
    }
    let infeasible: u64 = plan.infeasible.iter().map(|i| i.replicas).sum();
    let wanted: u64 = workloads.iter().map(|w| w.replicas).sum();
    assert_eq!(placed.iter().sum::<u64>(), plan.pods);
    assert_eq!(plan.pods + infeasible, wanted, "no pod is lost");
    for (s, shape) in plan.shapes.iter().enumerate() {
        let is_infeasible = shape.workloads.iter().any(|&w| {
            plan.infeasible
                .iter()
                .any(|i| i.workload == workloads[w].name)
        });
        if !is_infeasible {
            assert_eq!(placed[s], shape.pods, "shape {s}");
        }
    }
    assert_eq!(plan.nodes, nodes_by_type.values().sum::<u64>());
    for c in &plan.node_counts {
        assert_eq!(nodes_by_type[c.node_type.as_str()], c.nodes);
    }
    assert!(plan.nodes >= plan.lower_bound);
}

#[test]
fn infeasible_pods_are_reported_by_name() {
    let workloads = vec![
        Workload::new("default/web", 500, 512 * MI, 40),
        Workload::new("ml/trainer", 48_000, 64 * GI, 2),
        Workload::new("db/huge-mem", 1_000, 200 * GI, 1),
        Workload::new("default/api", 500, 512 * MI, 10),
    ];
    let types = node_types();
    let planner = CapacityPlanner::default();
    let plan = planner
        .plan(&workloads, &types, &CapacityIsAllocatable)
        .unwrap();
    let names: Vec<&str> = plan
        .infeasible
        .iter()
        .map(|i| i.workload.as_str())
        .collect();
    assert_eq!(names, ["ml/trainer", "db/huge-mem"]);
    assert_eq!(plan.infeasible[0].replicas, 2);
    assert_eq!(plan.pods, 50);
    // web and api share a shape.
    assert_eq!(
        plan.shapes
            .iter()
            .filter(|s| s.pods > 0 && s.workloads.len() == 2)
            .count(),
        1
    );
    check_consistent(&plan, &workloads, &types, &CapacityIsAllocatable);
}

#[test]
fn pods_that_fit_only_some_types_use_them() {
    // Memory-heavy pods fit only M5 (128 GiB); the rest go to the best general type.
    let workloads = vec![
        Workload::new("cache", 2_000, 100 * GI, 3),
        Workload::new("web", 250, 256 * MI, 2_000),
    ];
    let types = node_types();
    let planner = CapacityPlanner::default();
    let plan = planner
        .plan(&workloads, &types, &CapacityIsAllocatable)
        .unwrap();
    assert!(plan.infeasible.is_empty());
    let m5 = plan
        .node_counts
        .iter()
        .find(|c| c.node_type == "M5.4XLARGE128")
        .unwrap();
    assert!(m5.nodes >= 3);
    check_consistent(&plan, &workloads, &types, &CapacityIsAllocatable);
}

#[test]
fn cheapest_mix_with_prices() {
    // The big type is cheaper per core; the leftover fits a small node, which is cheaper still.
    let types = vec![
        NodeType::new("small", 4, 16)
            .with_max_pods(110)
            .with_price("0.50".parse().unwrap()),
        NodeType::new("big", 32, 128)
            .with_max_pods(110)
            .with_price("3.00".parse().unwrap()),
    ];
    let workloads = vec![Workload::new("app", 1_000, 2 * GI, 66)];
    let planner = CapacityPlanner::default();
    let plan = planner
        .plan(&workloads, &types, &CapacityIsAllocatable)
        .unwrap();
    // 2 × big (32 pods each) + 1 × small (2 pods): 6.50/h, cheaper than 3 big (9.00) or 17 small.
    let counts: Vec<(&str, u64)> = plan
        .node_counts
        .iter()
        .map(|c| (c.node_type.as_str(), c.nodes))
        .collect();
    assert_eq!(counts, [("small", 1), ("big", 2)]);
    assert_eq!(plan.hourly_cost.unwrap().to_string(), "6.50");
    check_consistent(&plan, &workloads, &types, &CapacityIsAllocatable);
}

#[test]
fn level_and_cidr_follow_the_plan() {
    // 2 000 pods of 1 core on 8-core nodes: 250 nodes → L500 (L200 holds 200 nodes); the
    // container CIDR must hold 250 nodes × 64-address blocks plus 256 services.
    let workloads = vec![Workload::new("batch", 1_000, GI, 2_000)];
    let types = vec![NodeType::new("S5.2XLARGE16", 8, 16).with_max_pods(61)];
    let vpc: ipnet::Ipv4Net = "172.16.0.0/16".parse().unwrap();
    let planner = CapacityPlanner::default().with_network(NetworkPlanning {
        avoid: vec![vpc],
        ..NetworkPlanning::default()
    });
    let plan = planner
        .plan(&workloads, &types, &CapacityIsAllocatable)
        .unwrap();
    assert_eq!((plan.nodes, plan.lower_bound), (250, 250));
    let level = plan.level.as_ref().unwrap();
    assert_eq!(level.level.name, "L500");
    assert_eq!(level.deciding, Dimension::Nodes);
    let gr = plan.network.as_ref().unwrap().as_ref().unwrap();
    assert!(u64::from(gr.max_nodes) >= plan.nodes);
    assert_eq!(gr.node_block_size, 64);
    assert_eq!(gr.usable_services, 251);
    // 250 × 64 + 256 = 16 256 addresses → a /18 (252 nodes), placed outside the VPC.
    assert_eq!(gr.cidr.to_string(), "172.17.0.0/18");
    assert_eq!(gr.max_nodes, 252);
    assert!(
        check_network(&[
            NamedRange::new("vpc", None, RangeRole::Vpc, vpc),
            NamedRange::new("container", Some("c"), RangeRole::ContainerCidr, gr.cidr),
            NamedRange::new("svc", Some("c"), RangeRole::ServiceCidr, gr.service_cidr),
        ])
        .is_empty()
    );
}

#[test]
fn extra_objects_can_decide_the_level() {
    let workloads = vec![Workload::new("web", 100, 128 * MI, 10)];
    let planner = CapacityPlanner::default().with_objects(ClusterPlan {
        configmaps: 1_000,
        ..Default::default()
    });
    let plan = planner
        .plan(&workloads, &node_types(), &CapacityIsAllocatable)
        .unwrap();
    let level = plan.level.as_ref().unwrap();
    assert_eq!(
        (level.level.name.as_str(), level.deciding),
        ("L100", Dimension::ConfigMaps)
    );
}

#[test]
fn too_many_nodes_for_any_level_is_reported_not_lost() {
    let workloads = vec![Workload::new("huge", 4_000, GI, 6_000)];
    let types = vec![NodeType::new("S5.LARGE8", 4, 8).with_max_pods(61)];
    let planner = CapacityPlanner::default();
    let plan = planner
        .plan(&workloads, &types, &CapacityIsAllocatable)
        .unwrap();
    assert_eq!(plan.nodes, 6_000);
    assert!(matches!(
        plan.level,
        Err(QuotaError::ExceedsLargestLevel {
            dimension: Dimension::Nodes,
            ..
        })
    ));
}

#[test]
fn pod_templates_and_tke_reserve() {
    let q = |s: &str| Quantity(s.to_owned());
    let template = PodTemplateSpec {
        spec: Some(PodSpec {
            containers: vec![Container {
                name: "app".into(),
                resources: Some(ResourceRequirements {
                    requests: Some(BTreeMap::from([
                        ("cpu".into(), q("250m")),
                        ("memory".into(), q("512Mi")),
                    ])),
                    ..Default::default()
                }),
                ..Default::default()
            }],
            ..Default::default()
        }),
        ..Default::default()
    };
    let workloads = vec![Workload::from_pod_template("default/web", &template, 100).unwrap()];
    // 8c/16GiB, new algorithm, GlobalRouter 64: 7910m, 14808 MiB, 61 pods → 28 pods per node
    // by memory (14808 / 512), 31 by CPU.
    let src = TkeReserve::new(
        ReservationAlgorithm::New,
        NetworkMode::GlobalRouter {
            max_pods_per_node: 64,
        },
    );
    let types = vec![NodeType::new("S5.2XLARGE16", 8, 16)];
    let planner = CapacityPlanner::default();
    let plan = planner.plan(&workloads, &types, &src).unwrap();
    assert_eq!(plan.nodes, 4);
    assert_eq!(plan.bounds[0].by_memory, 4);
    check_consistent(&plan, &workloads, &types, &src);
}

#[test]
fn bad_inputs_are_errors() {
    let w = vec![Workload::new("a", 1, 1, 1)];
    let p = CapacityPlanner::default();
    assert!(p.plan(&w, &[], &CapacityIsAllocatable).is_err());
    let dup = vec![NodeType::new("x", 4, 8), NodeType::new("x", 8, 16)];
    let err = p.plan(&w, &dup, &CapacityIsAllocatable).unwrap_err();
    assert!(err.to_string().contains("duplicate"), "{err}");
    let huge = vec![
        Workload::new("a", 1, 1, u64::MAX),
        Workload::new("b", 1, 1, 1),
    ];
    let err = p
        .plan(&huge, &node_types(), &CapacityIsAllocatable)
        .unwrap_err();
    assert!(err.to_string().contains("replicas"), "{err}");
    // No workloads: an empty plan on the smallest level.
    let plan = p.plan(&[], &node_types(), &CapacityIsAllocatable).unwrap();
    assert_eq!((plan.nodes, plan.pods, plan.lower_bound), (0, 0, 0));
    assert_eq!(plan.level.unwrap().level.name, "L5");
}

fn mixed_workloads() -> impl Strategy<Value = Vec<Workload>> {
    prop::collection::vec((50u64..=2_000, 64u64..=4_096, 100u64..=3_000), 3..30).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (cpu, mem_mi, n))| Workload::new(format!("w{i}"), cpu, mem_mi * MI, n))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// On mixed workloads (pods small next to the nodes) the node count stays within 5% of
    /// the per-resource lower bound; every pod is placed exactly once within allocatable.
    #[test]
    fn packing_is_within_5_percent_of_the_bound(workloads in mixed_workloads()) {
        let types = node_types();
        let planner = CapacityPlanner::default();
    let plan = planner.plan(&workloads, &types, &CapacityIsAllocatable).unwrap();
        check_consistent(&plan, &workloads, &types, &CapacityIsAllocatable);
        prop_assert!(plan.packing_ratio() <= 1.05, "{} nodes vs bound {}", plan.nodes, plan.lower_bound);
    }

    /// The same with TKE's reservation (new algorithm, GlobalRouter 128 pods per node).
    #[test]
    fn packing_with_tke_reserve(workloads in mixed_workloads()) {
        let types = node_types();
        let src = TkeReserve::new(ReservationAlgorithm::New, NetworkMode::GlobalRouter { max_pods_per_node: 128 });
        let planner = CapacityPlanner::default();
    let plan = planner.plan(&workloads, &types, &src).unwrap();
        check_consistent(&plan, &workloads, &types, &src);
        prop_assert!(plan.packing_ratio() <= 1.05, "{} nodes vs bound {}", plan.nodes, plan.lower_bound);
    }

    /// Any input, including pods as big as (or bigger than) the nodes and zero requests, gives a
    /// consistent plan: nothing over allocatable, nothing lost, never below the bound.
    #[test]
    fn any_input_gives_a_consistent_plan(
        raw in prop::collection::vec((0u64..40_000, 0u64..80, 0u64..400), 0..12),
        priced in any::<bool>(),
    ) {
        let workloads: Vec<Workload> = raw
            .iter()
            .enumerate()
            .map(|(i, &(cpu, gib, n))| Workload::new(format!("w{i}"), cpu, gib * GI / 2, n))
            .collect();
        let mut types = node_types();
        if priced {
            for (i, t) in types.iter_mut().enumerate() {
                t.hourly_price = Some(Cny::from_cents(50 + 37 * i as u64));
            }
        }
        let planner = CapacityPlanner::default().with_network(NetworkPlanning::default());
        let plan = planner.plan(&workloads, &types, &CapacityIsAllocatable).unwrap();
        check_consistent(&plan, &workloads, &types, &CapacityIsAllocatable);
        if plan.nodes > 0 {
            let gr = plan.network.as_ref().unwrap().as_ref().unwrap();
            prop_assert!(u64::from(gr.max_nodes) >= plan.nodes);
        }
    }
}
