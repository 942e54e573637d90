//! Invariants of the issue, property-tested.

use proptest::prelude::*;
use tke_reserve::supernode::{
    CpuSpecTable, GpuSpecTable, MemoryChoice, PodTotals, SpecAnnotations, SpecTables,
    match_cpu_spec, match_gpu_spec, select_for_totals,
};
use tke_reserve::*;

fn algorithm() -> impl Strategy<Value = ReservationAlgorithm> {
    prop_oneof![
        Just(ReservationAlgorithm::Old),
        Just(ReservationAlgorithm::New)
    ]
}

fn rounding() -> impl Strategy<Value = Rounding> {
    prop_oneof![
        Just(Rounding::Floor),
        Just(Rounding::Ceil),
        Just(Rounding::HalfUp)
    ]
}

fn cpu_millis() -> impl Strategy<Value = u64> {
    prop_oneof![1_000u64..=512_000, 1_000u64..=MAX_CPU_MILLIS]
}

fn memory_bytes() -> impl Strategy<Value = u64> {
    prop_oneof![GIB..=1024 * GIB, GIB..=MAX_MEMORY_BYTES]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Allocatable never exceeds capacity and never goes negative (an error instead).
    #[test]
    fn allocatable_is_within_capacity(
        algo in algorithm(),
        cpu in cpu_millis(),
        mem in memory_bytes(),
        pods in 1u32..=5000,
        cpu_round in rounding(),
        mem_round in rounding(),
        cpu_override in proptest::option::of(0u64..=2 * MAX_CPU_MILLIS),
        mem_override in proptest::option::of(0u64..=2 * MAX_MEMORY_BYTES),
        eviction in prop_oneof![
            (0u64..=4 * GIB).prop_map(EvictionThreshold::Bytes),
            (0u32..=10_000).prop_map(EvictionThreshold::BasisPoints),
        ],
    ) {
        let mut cfg = ReservationConfig::default()
            .with_cpu_rounding(cpu_round)
            .with_memory_rounding(mem_round)
            .with_eviction_hard_memory(eviction);
        if let Some(c) = cpu_override { cfg = cfg.with_kube_reserved_cpu_millis(c); }
        if let Some(m) = mem_override { cfg = cfg.with_kube_reserved_memory_bytes(m); }
        match allocatable(algo, NodeResources::new(cpu, mem), pods, &cfg) {
            Ok(a) => {
                prop_assert!(a.cpu_millis <= cpu);
                prop_assert!(a.memory_bytes <= mem);
                prop_assert_eq!(a.cpu_millis + a.reserved_cpu_millis, cpu);
                prop_assert_eq!(a.memory_bytes + a.reserved_memory_bytes + a.eviction_memory_bytes, mem);
            }
            Err(Error::NegativeAllocatable { capacity, reserved, eviction, .. }) => {
                prop_assert!(reserved.saturating_add(eviction) > capacity);
            }
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    /// Without overrides, the documented rules always leave something allocatable on nodes
    /// of at least 1 core / 1 GiB.
    #[test]
    fn default_rules_never_fail_in_domain(algo in algorithm(), cpu in cpu_millis(), mem in memory_bytes(), pods in 1u32..=5000) {
        let a = allocatable(algo, NodeResources::new(cpu, mem), pods, &ReservationConfig::default());
        prop_assert!(a.is_ok(), "{:?}", a);
    }

    /// Reserved resources never decrease as capacity grows (exact and rounded).
    #[test]
    fn reservation_is_monotone(
        algo in algorithm(),
        c1 in cpu_millis(), c2 in cpu_millis(),
        m1 in memory_bytes(), m2 in memory_bytes(),
        pods in 0u32..=5000,
        r in rounding(),
    ) {
        let (clo, chi) = (c1.min(c2), c1.max(c2));
        let (lo, hi) = (reserved_cpu(algo, clo).unwrap(), reserved_cpu(algo, chi).unwrap());
        prop_assert!(lo.nanos <= hi.nanos);
        prop_assert!(lo.millis(r) <= hi.millis(r));
        let (mlo, mhi) = (m1.min(m2), m1.max(m2));
        let (lo, hi) = (reserved_memory(algo, mlo, pods).unwrap(), reserved_memory(algo, mhi, pods).unwrap());
        prop_assert!(lo.centibytes <= hi.centibytes);
        prop_assert!(lo.mib(r) <= hi.mib(r));
    }

    /// More pods never reserve less memory under the new rule.
    #[test]
    fn new_memory_is_monotone_in_pods(mem in memory_bytes(), p1 in 0u32..=100_000, p2 in 0u32..=100_000) {
        let a = reserved_memory(ReservationAlgorithm::New, mem, p1.min(p2)).unwrap();
        let b = reserved_memory(ReservationAlgorithm::New, mem, p1.max(p2)).unwrap();
        prop_assert!(a.centibytes <= b.centibytes);
    }

    /// The new memory reservation never exceeds the old; the new CPU one neither.
    #[test]
    fn new_never_exceeds_old(cpu in cpu_millis(), mem in memory_bytes(), pods in 0u32..=u32::MAX) {
        let old = reserved_memory(ReservationAlgorithm::Old, mem, pods).unwrap();
        let new = reserved_memory(ReservationAlgorithm::New, mem, pods).unwrap();
        prop_assert!(new.centibytes <= old.centibytes);
        if new.term == MemoryTerm::Tiered {
            prop_assert_eq!(new.centibytes, old.centibytes);
        }
        let old = reserved_cpu(ReservationAlgorithm::Old, cpu).unwrap();
        let new = reserved_cpu(ReservationAlgorithm::New, cpu).unwrap();
        prop_assert!(new.nanos <= old.nanos);
    }

    /// The chosen CPU spec is a spec of the table and covers the totals; totals fit iff
    /// they are within the table's maxima.
    #[test]
    fn cpu_spec_covers_totals(
        cpu in prop_oneof![Just(0u64), 0u64..=70_000],
        mem in prop_oneof![Just(0u64), 0u64..=600 * 1024],
        which in 0usize..4,
    ) {
        let table = [CpuSpecTable::intel(), CpuSpecTable::amd(), CpuSpecTable::monthly(), CpuSpecTable::on_demand()][which].clone();
        match match_cpu_spec(&table, cpu, mem) {
            Ok((c, m)) => {
                prop_assert!(table.allows(c, m), "{c}/{m} not in table");
                prop_assert!(u64::from(c) >= cpu && u64::from(m) >= mem);
            }
            Err(Error::SpecExceeded { .. }) => {
                prop_assert!(cpu > u64::from(table.max_cpu_millis()) || mem > u64::from(table.max_memory_mib()));
            }
            Err(e) => prop_assert!(false, "unexpected {e}"),
        }
    }

    /// The chosen GPU spec covers GPUs, CPU and memory, or the totals exceed the type.
    #[test]
    fn gpu_spec_covers_totals(
        ty in 0usize..9,
        gpus in 0u64..=9,
        cpu in 0u64..=240_000,
        mem in 0u64..=1000 * 1024,
    ) {
        let table = GpuSpecTable::builtin();
        let mut types: Vec<&str> = table.rows().iter().map(|r| r.gpu_type.as_str()).collect();
        types.dedup();
        let ty = types[ty % types.len()];
        match match_gpu_spec(&table, &CpuSpecTable::intel(), ty, gpus, cpu, mem) {
            Ok(row) => {
                prop_assert_eq!(row.gpu_type.as_str(), ty);
                prop_assert!(u64::from(row.gpus) >= gpus);
                prop_assert!(u64::from(row.cpu_millis) >= cpu && u64::from(row.memory_mib) >= mem);
            }
            Err(Error::SpecExceeded { .. }) => {
                // No row of the type holds the GPUs, CPU and memory.
                let fits = table.rows_of(ty).any(|r| u64::from(r.gpus) >= gpus
                    && u64::from(r.cpu_millis) >= cpu && u64::from(r.memory_mib) >= mem);
                prop_assert!(!fits);
            }
            Err(e) => prop_assert!(false, "unexpected {e}"),
        }
    }

    /// The full selection from totals covers them.
    #[test]
    fn selection_covers_totals(cpu in 0u64..=64_000, mem in 0u64..=512 * GIB) {
        let tables = SpecTables::default();
        let totals = PodTotals { cpu_millis: cpu, memory_bytes: mem, gpus: 0, defaulted: false };
        let s = select_for_totals(&totals, &SpecAnnotations::default(), &tables).unwrap();
        prop_assert!(s.spec.covers(&totals));
    }

    /// Quantities produced by this crate parse back to the same value.
    #[test]
    fn quantity_round_trip(millis in 0u64..=u64::from(u32::MAX) * 1000, bytes in 0u64..=1u64 << 62) {
        let q = cpu_quantity(millis);
        prop_assert_eq!(ParsedQuantity::parse("cpu", &q.0).unwrap().milli_ceil(), i128::from(millis));
        let q = memory_quantity(bytes);
        prop_assert_eq!(ParsedQuantity::parse("memory", &q.0).unwrap().value_ceil(), i128::from(bytes));
    }

    /// `<integer><suffix>` parses to the exact product; `<int>.<frac><suffix>` too.
    #[test]
    fn quantity_suffixes_are_exact(
        int in 0u64..=1_000_000,
        frac in 0u32..1000,
        suffix in prop::sample::select(vec![
            ("n", 1i128, 1i128), ("u", 1_000, 1), ("m", 1_000_000, 1), ("", 1_000_000_000, 1),
            ("k", 1_000_000_000_000, 1), ("M", 1_000_000_000_000_000, 1),
            ("Ki", 1_000_000_000 * 1024, 1), ("Mi", 1_000_000_000 * (1 << 20), 1),
            ("Gi", 1_000_000_000 * (1 << 30), 1), ("e3", 1_000_000_000_000, 1), ("e-3", 1_000_000, 1),
        ]),
        sign in prop::sample::select(vec!["", "+", "-"]),
    ) {
        let (s, mult, _) = suffix;
        let text = format!("{sign}{int}.{frac:03}{s}");
        let got = ParsedQuantity::parse("q", &text).unwrap().nanos();
        // exact value x 1000 = (int*1000 + frac) * mult; nanos = ceil(that / 1000) away from 0
        let x = (i128::from(int) * 1000 + i128::from(frac)) * mult;
        let mag = (x + 999) / 1000;
        let want = if sign == "-" { -mag } else { mag };
        prop_assert_eq!(got, want, "{}", text);
    }

    /// The fast path agrees with the general path (`"{n}{s}"` vs a zero-padded 40-digit form).
    #[test]
    fn quantity_fast_path_matches_general_path(
        int in prop_oneof![0u64..=10_000, 0u64..=999_999_999_999_999_999],
        suffix in prop::sample::select(vec![
            "n", "u", "m", "", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
            "e-9", "e-3", "e0", "e6", "e18", "e-10", "e19",
        ]),
    ) {
        let fast = ParsedQuantity::parse("q", &format!("{int}{suffix}")).map(ParsedQuantity::nanos).ok();
        // 19+ digits always take the general path.
        let slow = ParsedQuantity::parse("q", &format!("{int:019}.00000000000000000000{suffix}"))
            .map(ParsedQuantity::nanos).ok();
        prop_assert_eq!(fast, slow);
    }

    /// Arbitrary strings never panic the parser.
    #[test]
    fn quantity_parser_never_panics(s in "\\PC{0,40}", t in "[-+.0-9eEinumkKMGTP]{0,30}") {
        let _ = ParsedQuantity::parse("q", &s);
        let _ = ParsedQuantity::parse("q", &t);
    }
}

#[test]
fn memory_choice_constructors() {
    assert_eq!(MemoryChoice::gib(2).min_mib, 2048);
    assert_eq!(MemoryChoice::half_gib().max_mib, 512);
}
