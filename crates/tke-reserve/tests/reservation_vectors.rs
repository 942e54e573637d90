//! Every worked example and table cell of the reservation pages (capacity spec §2, vectors
//! R1-R72 and the derived tables), table-driven.

use tke_reserve::*;

const CORE: u64 = 1000;

/// Exact CPU reservation in 1/1000 millicores (micro-cores), so 1612.5m is 1_612_500.
fn cpu_micro(algorithm: ReservationAlgorithm, cores: u64) -> u64 {
    let r = reserved_cpu(algorithm, cores * CORE).expect("documented domain");
    assert_eq!(r.nanos % 1000, 0, "documented tiers are whole micro-cores");
    r.nanos / 1000
}

/// Exact memory reservation in 1/100 MiB.
fn mem_centi_mib(algorithm: ReservationAlgorithm, gib: u64, pods: u32) -> u64 {
    let r = reserved_memory(algorithm, gib * GIB, pods).expect("documented domain");
    assert_eq!(
        r.centibytes % MIB,
        0,
        "documented cells are whole 1/100 MiB"
    );
    r.centibytes / MIB
}

#[test]
fn r1_r3_old_cpu_worked_examples() {
    // (cores, expected millicores) S:5815, S:5822, S:5834
    for (cores, millis) in [(32, 800), (96, 2000), (196, 2740)] {
        assert_eq!(
            cpu_micro(ReservationAlgorithm::Old, cores),
            millis * 1000,
            "{cores}c"
        );
    }
}

#[test]
fn r4_r8_old_memory_worked_examples_print_floor_mib() {
    // (GiB, printed MB, exact 1/100 MiB) S:5842-5874
    for (gib, printed, exact) in [
        (2, 512, 51_200),
        (8, 1843, 184_320),
        (12, 2252, 225_280),
        (32, 3645, 364_544),
        (320, 13475, 1_347_584),
    ] {
        assert_eq!(
            mem_centi_mib(ReservationAlgorithm::Old, gib, 0),
            exact,
            "{gib}G exact"
        );
        let r = reserved_memory(ReservationAlgorithm::Old, gib * GIB, 0).unwrap();
        assert_eq!(r.mib(Rounding::Floor), printed, "{gib}G printed");
    }
    // The document truncates: rounding would print 2253 and 13476.
    let r = reserved_memory(ReservationAlgorithm::Old, 12 * GIB, 0).unwrap();
    assert_eq!(r.mib(Rounding::HalfUp), 2253);
}

#[test]
fn r9_r17_cpu_comparison_table() {
    // S:5949-5967: cores, old (cores), new (cores) -> in millicores
    let table: [(u64, u64, u64); 9] = [
        (1, 100, 60),
        (2, 100, 70),
        (4, 100, 80),
        (8, 200, 90),
        (16, 400, 110),
        (32, 800, 150),
        (64, 1600, 230),
        (128, 2400, 390),
        (256, 3040, 710),
    ];
    for (cores, old, new) in table {
        assert_eq!(
            cpu_micro(ReservationAlgorithm::Old, cores),
            old * 1000,
            "old {cores}c"
        );
        assert_eq!(
            cpu_micro(ReservationAlgorithm::New, cores),
            new * 1000,
            "new {cores}c"
        );
    }
}

#[test]
fn derived_cpu_vectors_with_half_millicores() {
    // capacity spec §2.7 extra vectors, micro-cores
    let table: [(u64, u64, u64); 13] = [
        (3, 100_000, 75_000),
        (5, 125_000, 82_500),
        (6, 150_000, 85_000),
        (12, 300_000, 100_000),
        (24, 600_000, 130_000),
        (48, 1_200_000, 190_000),
        (65, 1_612_500, 232_500),
        (96, 2_000_000, 310_000),
        (129, 2_405_000, 392_500),
        (192, 2_720_000, 550_000),
        (196, 2_740_000, 560_000),
        (224, 2_880_000, 630_000),
        (384, 3_680_000, 1_030_000),
    ];
    for (cores, old, new) in table {
        assert_eq!(
            cpu_micro(ReservationAlgorithm::Old, cores),
            old,
            "old {cores}c"
        );
        assert_eq!(
            cpu_micro(ReservationAlgorithm::New, cores),
            new,
            "new {cores}c"
        );
    }
    // Edge rounding of half millicores: 65c old = 1612.5m.
    let r = reserved_cpu(ReservationAlgorithm::Old, 65 * CORE).unwrap();
    assert_eq!(r.millis(Rounding::Ceil), 1613);
    assert_eq!(r.millis(Rounding::Floor), 1612);
    assert_eq!(r.millis(Rounding::HalfUp), 1613);
}

/// One row of the new-algorithm memory table (S:5969-6023): memory GiB, then for the old
/// column and 16/32/64/128/256 pods: (exact value in 1/100 MiB, value printed in the
/// document in 1/100 "GiB").
type MemRow = (u64, [(u64, u64); 6]);

const MEMORY_TABLE: [MemRow; 9] = [
    (
        1,
        [
            (25_600, 25),
            (25_600, 25),
            (25_600, 25),
            (25_600, 25),
            (25_600, 25),
            (25_600, 25),
        ],
    ),
    (
        2,
        [
            (51_200, 50),
            (51_200, 50),
            (51_200, 50),
            (51_200, 50),
            (51_200, 50),
            (51_200, 50),
        ],
    ),
    (
        4,
        [
            (102_400, 100),
            (57_600, 58),
            (89_600, 90),
            (102_400, 100),
            (102_400, 100),
            (102_400, 100),
        ],
    ),
    (
        8,
        [
            (184_320, 180),
            (57_600, 58),
            (89_600, 90),
            (153_600, 154),
            (184_320, 180),
            (184_320, 180),
        ],
    ),
    (
        16,
        [
            (266_240, 260),
            (57_600, 58),
            (89_600, 90),
            (153_600, 154),
            (266_240, 260),
            (266_240, 260),
        ],
    ),
    (
        32,
        [
            (364_544, 356),
            (57_600, 58),
            (89_600, 90),
            (153_600, 154),
            (281_600, 282),
            (364_544, 356),
        ],
    ),
    (
        64,
        [
            (561_152, 548),
            (57_600, 58),
            (89_600, 90),
            (153_600, 154),
            (281_600, 282),
            (537_600, 538),
        ],
    ),
    (
        128,
        [
            (954_368, 932),
            (57_600, 58),
            (89_600, 90),
            (153_600, 154),
            (281_600, 282),
            (537_600, 538),
        ],
    ),
    (
        256,
        [
            (1_216_512, 1188),
            (57_600, 58),
            (89_600, 90),
            (153_600, 154),
            (281_600, 282),
            (537_600, 538),
        ],
    ),
];

const PODS: [u32; 5] = [16, 32, 64, 128, 256];

/// round2(x) in hundredths, halves up, for x = centi_mib / divisor.
fn hundredths(centi_mib: u64, divisor: u64) -> u64 {
    Rounding::HalfUp.div(centi_mib, divisor)
}

#[test]
fn r18_r71_memory_comparison_table_exact_mib() {
    for (gib, cells) in MEMORY_TABLE {
        assert_eq!(
            mem_centi_mib(ReservationAlgorithm::Old, gib, 0),
            cells[0].0,
            "{gib}G old"
        );
        for (i, pods) in PODS.into_iter().enumerate() {
            assert_eq!(
                mem_centi_mib(ReservationAlgorithm::New, gib, pods),
                cells[i + 1].0,
                "{gib}G {pods} pods"
            );
        }
    }
}

/// The table labels every cell "GiB". Cells where `20 MiB x pods + 256 MiB` wins are
/// printed as MiB/1000 (576 MiB -> 0.58 although 576 MiB = 0.5625 GiB); cells where the
/// old tiers win are true GiB. This test records exactly which cells are mislabelled.
#[test]
fn memory_table_mislabelled_cells_are_exactly_the_pod_scaled_ones() {
    let mut mislabelled = Vec::new();
    for (gib, cells) in MEMORY_TABLE {
        // Old column: always true GiB.
        assert_eq!(
            hundredths(cells[0].0, 1024),
            cells[0].1,
            "{gib}G old printed"
        );
        for (i, pods) in PODS.into_iter().enumerate() {
            let (exact, printed) = cells[i + 1];
            let r = reserved_memory(ReservationAlgorithm::New, gib * GIB, pods).unwrap();
            let as_gib = hundredths(exact, 1024);
            let as_mib_over_1000 = hundredths(exact, 1000);
            match r.term {
                MemoryTerm::Tiered => assert_eq!(as_gib, printed, "{gib}G/{pods}: true GiB"),
                MemoryTerm::PodScaled => {
                    assert_eq!(as_mib_over_1000, printed, "{gib}G/{pods}: MiB/1000");
                    assert_ne!(as_gib, printed, "{gib}G/{pods}: not GiB");
                    mislabelled.push((gib, pods));
                }
            }
        }
    }
    let expected: Vec<(u64, u32)> = vec![
        (4, 16),
        (4, 32),
        (8, 16),
        (8, 32),
        (8, 64),
        (16, 16),
        (16, 32),
        (16, 64),
        (32, 16),
        (32, 32),
        (32, 64),
        (32, 128),
        (64, 16),
        (64, 32),
        (64, 64),
        (64, 128),
        (64, 256),
        (128, 16),
        (128, 32),
        (128, 64),
        (128, 128),
        (128, 256),
        (256, 16),
        (256, 32),
        (256, 64),
        (256, 128),
        (256, 256),
    ];
    assert_eq!(mislabelled, expected);
}

#[test]
fn derived_old_memory_vectors() {
    // capacity spec §2.10: GiB, exact 1/100 MiB, floor MiB
    for (gib, exact, floor) in [
        (1, 25_600, 256),
        (4, 102_400, 1024),
        (16, 266_240, 2662),
        (64, 561_152, 5611),
        (128, 954_368, 9543),
        (256, 1_216_512, 12165),
    ] {
        assert_eq!(mem_centi_mib(ReservationAlgorithm::Old, gib, 0), exact);
        let r = reserved_memory(ReservationAlgorithm::Old, gib * GIB, 0).unwrap();
        assert_eq!(r.mib(Rounding::Floor), floor);
    }
}

#[test]
fn r72_default_eviction_threshold_is_100_mib() {
    assert_eq!(DEFAULT_EVICTION_HARD_MEMORY_BYTES, 100 * MIB);
    assert_eq!(
        ReservationConfig::default().eviction_hard_memory(),
        EvictionThreshold::Bytes(100 * MIB)
    );
}

#[test]
fn derived_allocatable_examples() {
    // capacity spec §2.10 allocatable table:
    // (cores, GiB, algorithm, pods, reserved m, alloc m, reserved MiB, alloc MiB)
    let rows = [
        (4, 8, ReservationAlgorithm::Old, 110, 100, 3900, 1843, 6249),
        (
            8,
            16,
            ReservationAlgorithm::Old,
            110,
            200,
            7800,
            2662,
            13622,
        ),
        (8, 16, ReservationAlgorithm::New, 64, 90, 7910, 1536, 14748),
        (
            32,
            64,
            ReservationAlgorithm::New,
            256,
            150,
            31850,
            5376,
            60060,
        ),
        (
            96,
            320,
            ReservationAlgorithm::Old,
            110,
            2000,
            94000,
            13475,
            314105,
        ),
    ];
    for (cores, gib, algo, pods, rc, ac, rm, am) in rows {
        let a = allocatable(
            algo,
            NodeResources::from_cores_gib(cores, gib),
            pods,
            &ReservationConfig::default(),
        )
        .unwrap();
        assert_eq!(a.reserved_cpu_millis, rc, "{cores}c/{gib}G");
        assert_eq!(a.cpu_millis, ac, "{cores}c/{gib}G");
        assert_eq!(a.reserved_memory_bytes, rm * MIB, "{cores}c/{gib}G");
        assert_eq!(a.memory_bytes, am * MIB, "{cores}c/{gib}G");
        assert_eq!(a.eviction_memory_bytes, 100 * MIB);
        assert_eq!(a.pods, pods);
    }
}

#[test]
fn overrides_replace_the_computed_values() {
    let cfg = ReservationConfig::default()
        .with_kube_reserved_cpu_millis(500)
        .with_kube_reserved_memory_bytes(GIB)
        .with_eviction_hard_memory(EvictionThreshold::Bytes(200 * MIB));
    let a = allocatable(
        ReservationAlgorithm::Old,
        NodeResources::from_cores_gib(4, 8),
        110,
        &cfg,
    )
    .unwrap();
    assert_eq!(a.cpu_millis, 3500);
    assert_eq!(a.memory_bytes, 8 * GIB - GIB - 200 * MIB);
    assert_eq!(a.memory_term, None);

    // Percentage eviction threshold: 10% of 8 GiB.
    let cfg = ReservationConfig::default()
        .with_eviction_hard_memory(EvictionThreshold::BasisPoints(1000));
    let a = allocatable(
        ReservationAlgorithm::Old,
        NodeResources::from_cores_gib(4, 8),
        110,
        &cfg,
    )
    .unwrap();
    assert_eq!(a.eviction_memory_bytes, 8 * GIB / 10 + 1); // rounded up
    assert_eq!(
        a.memory_bytes,
        8 * GIB - 1843 * MIB - a.eviction_memory_bytes
    );

    // The new rule's pod count can differ from max pods.
    let cfg = ReservationConfig::default().with_memory_rule_pods(16);
    let a = allocatable(
        ReservationAlgorithm::New,
        NodeResources::from_cores_gib(8, 16),
        110,
        &cfg,
    )
    .unwrap();
    assert_eq!(a.reserved_memory_bytes, 576 * MIB);
    assert_eq!(a.pods, 110);
    assert_eq!(a.memory_term, Some(MemoryTerm::PodScaled));
}

#[test]
fn bad_capacity_is_an_error_naming_the_field() {
    let cfg = ReservationConfig::default();
    let cases = [
        (NodeResources::new(0, 8 * GIB), "capacity.cpu_millis"),
        (NodeResources::new(4000, 0), "capacity.memory_bytes"),
        (NodeResources::new(u64::MAX, 8 * GIB), "capacity.cpu_millis"),
        (NodeResources::new(4000, u64::MAX), "capacity.memory_bytes"),
        // Below the documented tiers (1 core, 1 GiB) for the old algorithm.
        (NodeResources::new(500, 8 * GIB), "capacity.cpu_millis"),
        (NodeResources::new(4000, GIB / 2), "capacity.memory_bytes"),
    ];
    for (cap, field) in cases {
        let err = allocatable(ReservationAlgorithm::Old, cap, 110, &cfg).unwrap_err();
        assert!(err.to_string().contains(field), "{err}");
    }
    let err = allocatable(
        ReservationAlgorithm::Old,
        NodeResources::from_cores_gib(4, 8),
        0,
        &cfg,
    )
    .unwrap_err();
    assert!(err.to_string().contains("max_pods"), "{err}");
    // A user override larger than capacity makes allocatable negative: an error.
    let cfg = ReservationConfig::default().with_kube_reserved_cpu_millis(5000);
    let err = allocatable(
        ReservationAlgorithm::Old,
        NodeResources::from_cores_gib(4, 8),
        110,
        &cfg,
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NegativeAllocatable {
                resource: Resource::Cpu,
                capacity: 4000,
                reserved: 5000,
                ..
            }
        ),
        "{err}"
    );
    // 1 GiB node: 256 MiB reserved + 100 MiB eviction still fit; a 1 GiB eviction does not.
    let cfg = ReservationConfig::default().with_eviction_hard_memory(EvictionThreshold::Bytes(GIB));
    let err = allocatable(
        ReservationAlgorithm::Old,
        NodeResources::from_cores_gib(1, 1),
        110,
        &cfg,
    )
    .unwrap_err();
    assert!(err.to_string().contains("allocatable memory"), "{err}");
}

#[test]
fn new_cpu_rule_accepts_fractional_cores() {
    // 6% of the first core is defined below one core; the old tiers are not.
    let r = reserved_cpu(ReservationAlgorithm::New, 500).unwrap();
    assert_eq!(r.nanos, 30 * NANOS_PER_MILLI);
    assert!(reserved_cpu(ReservationAlgorithm::Old, 999).is_err());
    assert!(reserved_cpu(ReservationAlgorithm::Old, 1000).is_ok());
}
