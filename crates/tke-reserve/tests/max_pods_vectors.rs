//! Max pods per node: GlobalRouter blocks, VPC-CNI default tables (V1-V3), user tables,
//! and the combined planner.

use tke_reserve::*;

#[test]
fn global_router_blocks() {
    // (requested, block, usable): G1-G9 per-node columns of the capacity spec (§3.1.3).
    for (requested, block, usable) in [
        (64, 64, 61),
        (256, 256, 253),
        (128, 128, 125),
        (32, 32, 29),
        (100, 128, 125),
        (16, 16, 13),
        (4, 4, 1),
    ] {
        assert_eq!(
            global_router_block(requested).unwrap(),
            (block, usable),
            "{requested}"
        );
        let m = max_pods(
            NetworkMode::GlobalRouter {
                max_pods_per_node: requested,
            },
            8000,
            None,
            None,
            None,
        )
        .unwrap();
        assert_eq!(m.network_limit, usable);
        assert_eq!(m.effective, usable);
        assert_eq!(
            m.source,
            PodLimitSource::GlobalRouterBlock { block_size: block }
        );
    }
    for bad in [0, 3, 257, 1024] {
        let err = global_router_block(bad).unwrap_err();
        assert!(
            err.to_string().contains("network.max_pods_per_node"),
            "{err}"
        );
    }
}

#[test]
fn kubelet_max_pods_lowers_the_network_limit() {
    let gr = NetworkMode::GlobalRouter {
        max_pods_per_node: 128,
    };
    assert_eq!(
        max_pods(gr, 8000, None, Some(110), None).unwrap().effective,
        110
    );
    assert_eq!(
        max_pods(gr, 8000, None, Some(200), None).unwrap().effective,
        125
    );
    assert!(max_pods(gr, 8000, None, Some(0), None).is_err());
}

#[test]
fn v1_shared_eni_default_table() {
    // S:49735-49747: cores -> (multi, single)
    let cases: [(u32, u32, u32); 12] = [
        (1, 5, 5),
        (2, 27, 9),
        (4, 27, 9),
        (6, 27, 9),
        (8, 95, 19),
        (10, 95, 19),
        (12, 203, 29),
        (16, 203, 29),
        (48, 203, 29),
        (96, 203, 29),
        (128, 203, 29),
        (256, 203, 29),
    ];
    for (cores, multi, single) in cases {
        assert_eq!(
            shared_eni_default_limit(cores),
            Some((multi, single)),
            "{cores}"
        );
        for (eni, want) in [
            (EniAttachment::Multi, multi),
            (EniAttachment::Single, single),
        ] {
            let m = max_pods(
                NetworkMode::VpcCniShared {
                    eni,
                    static_ip: false,
                },
                u64::from(cores) * 1000,
                None,
                None,
                None,
            )
            .unwrap();
            assert_eq!(
                (m.effective, m.source),
                (want, PodLimitSource::DefaultTable)
            );
        }
    }
    // Not in the table: 0, 7, 11 cores; fractional cores.
    for cores in [0, 7, 11] {
        assert_eq!(shared_eni_default_limit(cores), None);
    }
    let shared = NetworkMode::VpcCniShared {
        eni: EniAttachment::Multi,
        static_ip: false,
    };
    for millis in [7000, 11000, 1500, 0] {
        let err = max_pods(shared, millis, None, None, None).unwrap_err();
        assert!(err.to_string().contains("capacity.cpu_millis"), "{err}");
    }
}

#[test]
fn v2_v3_exclusive_eni_default_table() {
    // S:49751-49765: family -> [1, 2, 4, >=8, >=128] cores
    let rows = [
        ("S5", [4, 9, 19, 39, 23]),
        ("SA2", [4, 9, 19, 39, 23]),
        ("IT5", [4, 9, 19, 39, 23]),
        ("SA3", [4, 9, 15, 15, 15]),
    ];
    for (family, values) in rows {
        for (cores, want) in [
            (1, values[0]),
            (2, values[1]),
            (4, values[2]),
            (8, values[3]),
            (64, values[3]),
            (127, values[3]),
            (128, values[4]),
            (192, values[4]),
        ] {
            assert_eq!(
                exclusive_eni_default_limit(family, cores),
                Some(want),
                "{family} {cores}"
            );
        }
        // 3, 5, 6, 7 cores are not in the table.
        for cores in [3, 5, 6, 7] {
            assert_eq!(exclusive_eni_default_limit(family, cores), None);
        }
    }
    // An instance type resolves to its family; case-insensitive.
    let m = max_pods(
        NetworkMode::VpcCniExclusive,
        8000,
        Some("S5.2XLARGE16"),
        None,
        None,
    )
    .unwrap();
    assert_eq!(m.effective, 39);
    assert_eq!(exclusive_eni_default_limit("sa3.large8", 2), Some(9));
    // Unknown family or missing instance type: an error naming the field.
    for t in [Some("S6.LARGE8"), None] {
        let err = max_pods(NetworkMode::VpcCniExclusive, 8000, t, None, None).unwrap_err();
        assert!(err.to_string().contains("instance_type"), "{err}");
    }
}

#[test]
fn user_table_in_describe_vpc_cni_pod_limits_shape_wins() {
    let json = r#"{
        "TotalCount": 2,
        "PodLimitsInstanceSet": [
          {"Zone": "ap-guangzhou-3", "InstanceFamily": "SA2", "InstanceType": "SA2.12XLARGE96",
           "PodLimits": {"TKERouteENINonStaticIP": 273, "TKERouteENIStaticIP": 270,
                         "TKEDirectENI": 47, "TKESubENI": 0}},
          {"Zone": "ap-guangzhou-3", "InstanceFamily": "S5", "InstanceType": "S5.LARGE8",
           "PodLimits": {"TKERouteENINonStaticIP": 20, "TKERouteENIStaticIP": 19,
                         "TKEDirectENI": 0, "TKESubENI": null}}
        ]
    }"#;
    let resp: DescribeVpcCniPodLimitsResponse = serde_json::from_str(json).unwrap();
    let table = PodLimitTable::from_response(resp);
    let shared = |static_ip| NetworkMode::VpcCniShared {
        eni: EniAttachment::Multi,
        static_ip,
    };

    // SA2.12XLARGE96 (48 cores): the API's 273, not the table's 203.
    let m = max_pods(
        shared(false),
        48_000,
        Some("SA2.12XLARGE96"),
        None,
        Some(&table),
    )
    .unwrap();
    assert_eq!((m.effective, m.source), (273, PodLimitSource::UserTable));
    let m = max_pods(
        shared(true),
        48_000,
        Some("SA2.12XLARGE96"),
        None,
        Some(&table),
    )
    .unwrap();
    assert_eq!(m.effective, 270);
    let m = max_pods(
        NetworkMode::VpcCniExclusive,
        48_000,
        Some("SA2.12XLARGE96"),
        None,
        Some(&table),
    )
    .unwrap();
    assert_eq!(m.effective, 47);
    // A zero entry means "not given": fall back to the default table (S5, 2 cores -> 9).
    let m = max_pods(
        NetworkMode::VpcCniExclusive,
        2_000,
        Some("S5.LARGE8"),
        None,
        Some(&table),
    )
    .unwrap();
    assert_eq!((m.effective, m.source), (9, PodLimitSource::DefaultTable));
    // Types missing from the table use the defaults.
    let m = max_pods(
        shared(false),
        8_000,
        Some("S6.2XLARGE16"),
        None,
        Some(&table),
    )
    .unwrap();
    assert_eq!((m.effective, m.source), (95, PodLimitSource::DefaultTable));
    // Single-ENI has no API figure: always the default table.
    let single = NetworkMode::VpcCniShared {
        eni: EniAttachment::Single,
        static_ip: false,
    };
    let m = max_pods(single, 48_000, Some("SA2.12XLARGE96"), None, Some(&table)).unwrap();
    assert_eq!(m.effective, 29);
}

#[test]
fn planner_uses_effective_max_pods_for_the_new_memory_rule() {
    let shape = NodeShape {
        capacity: NodeResources::from_cores_gib(16, 64),
        algorithm: ReservationAlgorithm::New,
        network: NetworkMode::GlobalRouter {
            max_pods_per_node: 64,
        },
        instance_type: None,
        kubelet_max_pods: None,
    };
    let plan = plan_node(&shape, &ReservationConfig::default(), None).unwrap();
    assert_eq!(plan.max_pods.effective, 61);
    // min(5611.52 MiB, 20 x 61 + 256 = 1476 MiB)
    assert_eq!(plan.allocatable.reserved_memory_bytes, 1476 * MIB);
    assert_eq!(
        plan.allocatable.memory_bytes,
        64 * GIB - 1476 * MIB - 100 * MIB
    );
    assert_eq!(plan.allocatable.reserved_cpu_millis, 110);
    assert_eq!(plan.allocatable.pods, 61);

    let shape = NodeShape {
        kubelet_max_pods: Some(32),
        ..shape
    };
    let plan = plan_node(&shape, &ReservationConfig::default(), None).unwrap();
    assert_eq!(plan.allocatable.reserved_memory_bytes, 896 * MIB);
}
