//! Algorithm selection and the kubelet edge (quantities, flags, KubeletConfiguration).

use time::macros::date;
use tke_reserve::*;

#[test]
fn selector_follows_the_documented_applicability() {
    let v = |s: &str| s.parse::<KubeVersion>().unwrap();
    let after = date!(2022 - 06 - 25);
    let on = date!(2022 - 06 - 24);
    let cases = [
        (NodeKind::Normal, "1.30", on, Ok(ReservationAlgorithm::New)),
        (
            NodeKind::Native,
            "v1.32.1-tke.2",
            after,
            Ok(ReservationAlgorithm::New),
        ),
        (
            NodeKind::Normal,
            "1.28.3",
            after,
            Ok(ReservationAlgorithm::Old),
        ),
        (
            NodeKind::Native,
            "v1.16.3-tke.28",
            after,
            Ok(ReservationAlgorithm::Old),
        ),
        (NodeKind::Normal, "1.28", on, Err("node_added_on")),
        (NodeKind::Normal, "1.14", after, Err("kubernetes_version")),
        (NodeKind::Super, "1.30", after, Err("node_kind")),
        (NodeKind::Registered, "1.30", after, Err("node_kind")),
        (NodeKind::Edge, "1.22", after, Err("node_kind")),
    ];
    for (kind, version, added, want) in cases {
        let got = select_algorithm(kind, v(version), added);
        match want {
            Ok(algo) => assert_eq!(got.unwrap(), algo, "{kind} {version}"),
            Err(field) => {
                let err = got.unwrap_err();
                assert!(matches!(err, Error::Unsupported { .. }), "{err}");
                assert!(err.to_string().contains(field), "{err}");
            }
        }
    }
}

#[test]
fn kube_version_parsing() {
    assert_eq!(
        "1.30".parse::<KubeVersion>().unwrap(),
        KubeVersion::new(1, 30)
    );
    assert_eq!(
        "v1.30.0-tke.5".parse::<KubeVersion>().unwrap(),
        KubeVersion::new(1, 30)
    );
    for bad in ["", "1", "v1.x", "1.30.x", "1..30", "one.two", "1.99999999"] {
        let err = bad.parse::<KubeVersion>().unwrap_err();
        assert!(
            err.to_string().contains("kubernetes version"),
            "{bad}: {err}"
        );
    }
}

#[test]
fn quantities_and_kubelet_flags() {
    let a = allocatable(
        ReservationAlgorithm::Old,
        NodeResources::from_cores_gib(4, 8),
        61,
        &ReservationConfig::default(),
    )
    .unwrap();
    assert_eq!(a.cpu_quantity().0, "3900m");
    assert_eq!(a.memory_quantity().0, "6249Mi");
    assert_eq!(a.pods_quantity().0, "61");
    assert_eq!(
        a.kubelet_flags(),
        [
            "--kube-reserved=cpu=100m,memory=1843Mi".to_owned(),
            "--eviction-hard=memory.available<100Mi".to_owned(),
            "--max-pods=61".to_owned(),
        ]
    );
    let cfg = serde_json::to_value(a.kubelet_config()).unwrap();
    assert_eq!(
        cfg,
        serde_json::json!({
            "kubeReserved": {"cpu": "100m", "memory": "1843Mi"},
            "evictionHard": {"memory.available": "100Mi"},
            "maxPods": 61
        })
    );
    let list = a.to_resource_list();
    assert_eq!(list["cpu"].0, "3900m");
    assert_eq!(list["memory"].0, "6249Mi");

    assert_eq!(cpu_quantity(4000).0, "4");
    assert_eq!(cpu_quantity(0).0, "0");
    assert_eq!(memory_quantity(2 * GIB).0, "2Gi");
    assert_eq!(memory_quantity(3 * KIB).0, "3Ki");
    assert_eq!(memory_quantity(1000).0, "1000");
    assert_eq!(memory_quantity(0).0, "0");
}

#[test]
fn selector_takes_the_date_in_shanghai() {
    use time::macros::datetime;
    let v = KubeVersion::new(1, 28);
    // 2022-06-24 15:59:59 UTC is still the 24th in Shanghai: not after the boundary.
    assert!(select_algorithm_at(NodeKind::Normal, v, datetime!(2022-06-24 15:59:59 UTC)).is_err());
    // 16:00 UTC is midnight of the 25th in Shanghai.
    assert_eq!(
        select_algorithm_at(NodeKind::Normal, v, datetime!(2022-06-24 16:00:00 UTC)).unwrap(),
        ReservationAlgorithm::Old
    );
}

#[test]
fn kubelet_parameters_as_overrides() {
    let cfg = ReservationConfig::default()
        .with_kube_reserved("--kube-reserved=cpu=200m,memory=1Gi,ephemeral-storage=1Gi")
        .unwrap()
        .with_eviction_hard("memory.available<200Mi,nodefs.available<10%")
        .unwrap();
    assert_eq!(cfg.kube_reserved_cpu_millis(), Some(200));
    assert_eq!(cfg.kube_reserved_memory_bytes(), Some(GIB));
    assert_eq!(
        cfg.eviction_hard_memory(),
        EvictionThreshold::Bytes(200 * MIB)
    );
    let a = allocatable(
        ReservationAlgorithm::New,
        NodeResources::from_cores_gib(4, 8),
        110,
        &cfg,
    )
    .unwrap();
    assert_eq!(a.cpu_millis, 3800);
    assert_eq!(a.memory_bytes, 8 * GIB - GIB - 200 * MIB);
    assert_eq!(
        a.kube_reserved_flag(),
        "--kube-reserved=cpu=200m,memory=1Gi"
    );
    assert_eq!(
        a.eviction_hard_flag(),
        "--eviction-hard=memory.available<200Mi"
    );

    let cfg = ReservationConfig::default()
        .with_eviction_hard("memory.available<7.5%")
        .unwrap();
    assert_eq!(
        cfg.eviction_hard_memory(),
        EvictionThreshold::BasisPoints(750)
    );
    // Other signals only: the memory threshold stays.
    let cfg = ReservationConfig::default()
        .with_eviction_hard("nodefs.available<5%")
        .unwrap();
    assert_eq!(
        cfg.eviction_hard_memory(),
        EvictionThreshold::Bytes(100 * MIB)
    );

    for (kube_reserved, needle) in [
        ("cpu", "kube-reserved"),
        ("gpu=1", "kube-reserved"),
        ("cpu=1K", "kube-reserved.cpu"),
        ("memory=-1Gi", "kube-reserved.memory"),
    ] {
        let err = ReservationConfig::default()
            .with_kube_reserved(kube_reserved)
            .unwrap_err();
        assert!(err.to_string().contains(needle), "{kube_reserved}: {err}");
    }
    for (eviction, needle) in [
        ("memory.available=1Gi", "eviction-hard"),
        ("memory.free<1Gi", "eviction-hard"),
        ("memory.available<101%", "eviction-hard.memory.available"),
        ("memory.available<1.234%", "eviction-hard.memory.available"),
        ("memory.available<lots", "eviction-hard.memory.available"),
    ] {
        let err = ReservationConfig::default()
            .with_eviction_hard(eviction)
            .unwrap_err();
        assert!(err.to_string().contains(needle), "{eviction}: {err}");
    }
    let err = allocatable(
        ReservationAlgorithm::Old,
        NodeResources::from_cores_gib(4, 8),
        110,
        &ReservationConfig::default()
            .with_eviction_hard_memory(EvictionThreshold::BasisPoints(10_001)),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("eviction_hard.memory.available"),
        "{err}"
    );
}
