//! Super-node pod spec selection: every example of the document (qGPU spec B.6.4 and the
//! annotation examples of B.5), the rules' edge cases, and bad input.

use k8s_openapi::api::core::v1::Pod;
use serde_json::{Value, json};
use tke_reserve::supernode::*;
use tke_reserve::{Error, Resource};

fn pod(spec: Value) -> Pod {
    serde_json::from_value(spec).expect("valid pod JSON")
}

fn res(req: Value, lim: Value) -> Value {
    json!({"requests": req, "limits": lim})
}

fn containers(list: Vec<(&str, Value)>) -> Value {
    Value::Array(
        list.into_iter()
            .map(|(n, r)| json!({"name": n, "resources": r}))
            .collect(),
    )
}

fn select(p: &Pod) -> String {
    let tables = SpecTables::default();
    select_pod_spec(p, &tables)
        .expect("selectable pod")
        .spec
        .to_string()
}

#[test]
fn cpu_example_1_one_container_1c2gi() {
    // L14592-14601
    let p = pod(json!({"spec": {"containers": containers(vec![
        ("c", res(json!({"cpu": "1", "memory": "2Gi"}), json!({"cpu": "1", "memory": "2Gi"}))),
    ])}}));
    assert_eq!(select(&p), "1C2GiB");
}

#[test]
fn cpu_example_2_4c6gi_becomes_4c8gi() {
    // L14603-14660
    let p = pod(json!({"spec": {"containers": containers(vec![
        ("c1", res(json!({"cpu": "2", "memory": "4Gi"}), json!({"cpu": "4", "memory": "4Gi"}))),
        ("c2", res(json!({"cpu": "1", "memory": "2Gi"}), json!({"cpu": "1", "memory": "2Gi"}))),
    ])}}));
    let t = pod_totals(&p).unwrap();
    assert_eq!((t.cpu_millis, t.memory_bytes), (4000, 6 << 30));
    let tables = SpecTables::default();
    let s = select_pod_spec(&p, &tables).unwrap();
    assert_eq!(s.spec.to_string(), "4C8GiB");
    assert_eq!(s.spec.source, SpecSource::Computed);
    assert_eq!(s.spec.cpu_vendor, Some(CpuVendor::Intel));
    assert_eq!(s.spec.cpu_quantity().0, "4");
    assert_eq!(s.spec.memory_quantity().0, "8Gi");
}

#[test]
fn rule_examples_defaults_and_zero_cpu() {
    // No container sets request/limit -> 1C2GiB.
    let p = pod(json!({"spec": {"containers": [{"name": "c"}]}}));
    let tables = SpecTables::default();
    let s = select_pod_spec(&p, &tables).unwrap();
    assert_eq!(
        (s.spec.to_string(), s.spec.source),
        ("1C2GiB".to_owned(), SpecSource::Default)
    );
    // CPU total 0, memory total 8GiB -> 1C8GiB.
    let p = pod(json!({"spec": {"containers": containers(vec![
        ("c", res(json!({"memory": "8Gi"}), json!({}))),
    ])}}));
    assert_eq!(select(&p), "1C8GiB");
    // CPU total 0 and memory total 0 -> 1C2GiB.
    assert_eq!(
        match_cpu_spec(&CpuSpecTable::intel(), 0, 0).unwrap(),
        (1000, 2048)
    );
    // Explicit zero requests count as declared zeros: still 1C2GiB.
    let p = pod(json!({"spec": {"containers": containers(vec![
        ("c", res(json!({"cpu": "0", "memory": "0"}), json!({}))),
    ])}}));
    assert_eq!(select(&p), "1C2GiB");
}

#[test]
fn gpu_example_1_v100_8c32gi_becomes_8c40gi() {
    // L14735-14790
    let p = pod(json!({
        "metadata": {"annotations": {"eks.tke.cloud.tencent.com/gpu-type": "V100"}},
        "spec": {"containers": containers(vec![
            ("c", res(json!({"cpu": "4", "memory": "16Gi", "nvidia.com/gpu": "1"}),
                      json!({"cpu": "8", "memory": "32Gi", "nvidia.com/gpu": "1"}))),
        ])}
    }));
    let t = pod_totals(&p).unwrap();
    assert_eq!((t.gpus, t.cpu_millis, t.memory_bytes), (1, 8000, 32 << 30));
    assert_eq!(select(&p), "8C40GiB 1*V100");
}

#[test]
fn gpu_example_2_two_containers_become_36c160gi_4xv100() {
    // L14750-14887
    let p = pod(json!({
        "metadata": {"annotations": {"eks.tke.cloud.tencent.com/gpu-type": "V100"}},
        "spec": {"containers": containers(vec![
            ("c1", res(json!({"cpu": "4", "memory": "16Gi", "nvidia.com/gpu": "1"}),
                       json!({"cpu": "8", "memory": "32Gi", "nvidia.com/gpu": "1"}))),
            ("c2", res(json!({"cpu": "16", "memory": "64Gi", "nvidia.com/gpu": "1"}),
                       json!({"cpu": "32", "memory": "128Gi", "nvidia.com/gpu": "1"}))),
        ])}
    }));
    let t = pod_totals(&p).unwrap();
    assert_eq!(
        (t.gpus, t.cpu_millis, t.memory_bytes),
        (2, 32_000, 128 << 30)
    );
    assert_eq!(select(&p), "36C160GiB 4*V100");
}

#[test]
fn annotation_examples() {
    // L13997-13999: cpu '8', mem '16Gi' -> 8C16GiB, requests ignored.
    let p = pod(json!({
        "metadata": {"annotations": {"eks.tke.cloud.tencent.com/cpu": "8",
                                     "eks.tke.cloud.tencent.com/mem": "16Gi"}},
        "spec": {"containers": containers(vec![("c", res(json!({"cpu": "60"}), json!({})))])}
    }));
    let tables = SpecTables::default();
    let s = select_pod_spec(&p, &tables).unwrap();
    assert_eq!(
        (s.spec.to_string(), s.spec.source),
        ("8C16GiB".to_owned(), SpecSource::Annotation)
    );
    assert!(s.totals.is_none());
    // L14039-14045: gpu-type V100, count '1', cpu '8', mem '40' (no unit: GiB).
    let p = pod(json!({
        "metadata": {"annotations": {"eks.tke.cloud.tencent.com/gpu-type": "V100",
                                     "eks.tke.cloud.tencent.com/count": "1",
                                     "eks.tke.cloud.tencent.com/cpu": "8",
                                     "eks.tke.cloud.tencent.com/mem": "40"}},
        "spec": {"containers": [{"name": "c"}]}
    }));
    assert_eq!(select(&p), "8C40GiB 1*V100");
    // L13548 units: 512Mi, 0.5Gi.
    for mem in ["512Mi", "0.5Gi"] {
        let p = pod(json!({
            "metadata": {"annotations": {"eks.tke.cloud.tencent.com/cpu": "0.25",
                                         "eks.tke.cloud.tencent.com/mem": mem}},
            "spec": {"containers": [{"name": "c"}]}
        }));
        assert_eq!(select(&p), "0.25C0.5GiB", "{mem}");
    }
}

#[test]
fn bad_annotations_are_errors_naming_the_annotation() {
    let tables = SpecTables::default();
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"eks.tke.cloud.tencent.com/cpu": "8"}),
            "eks.tke.cloud.tencent.com/cpu",
        ),
        (
            json!({"eks.tke.cloud.tencent.com/mem": "16Gi"}),
            "eks.tke.cloud.tencent.com/mem",
        ),
        (
            json!({"eks.tke.cloud.tencent.com/cpu": "8", "eks.tke.cloud.tencent.com/mem": "16G"}),
            "eks.tke.cloud.tencent.com/mem",
        ),
        (
            json!({"eks.tke.cloud.tencent.com/cpu": "8c", "eks.tke.cloud.tencent.com/mem": "16Gi"}),
            "eks.tke.cloud.tencent.com/cpu",
        ),
        (
            json!({"eks.tke.cloud.tencent.com/cpu": "0", "eks.tke.cloud.tencent.com/mem": "16Gi"}),
            "eks.tke.cloud.tencent.com/cpu",
        ),
        // 8 cores / 100 GiB is no spec (Intel 8C: 16-64, AMD 8C: 8-32 and 64).
        (
            json!({"eks.tke.cloud.tencent.com/cpu": "8", "eks.tke.cloud.tencent.com/mem": "100Gi"}),
            "eks.tke.cloud.tencent.com/cpu",
        ),
        (
            json!({"eks.tke.cloud.tencent.com/gpu-count": "1"}),
            "eks.tke.cloud.tencent.com/gpu-count",
        ),
        (
            json!({"eks.tke.cloud.tencent.com/gpu-type": "A10"}),
            "eks.tke.cloud.tencent.com/gpu-type",
        ),
        (
            json!({"eks.tke.cloud.tencent.com/gpu-type": "T4,T4"}),
            "eks.tke.cloud.tencent.com/gpu-type",
        ),
        (
            json!({"eks.tke.cloud.tencent.com/gpu-type": "T4,"}),
            "eks.tke.cloud.tencent.com/gpu-type",
        ),
        (
            json!({"eks.tke.cloud.tencent.com/cpu-type": "arm"}),
            "eks.tke.cloud.tencent.com/cpu-type",
        ),
        (
            json!({"eks.tke.cloud.tencent.com/cpu-type": "amd,intel", "eks.tke.cloud.tencent.com/gpu-type": "T4"}),
            "eks.tke.cloud.tencent.com/cpu-type",
        ),
        (
            json!({"eks.tke.cloud.tencent.com/gpu-type": "V100", "eks.tke.cloud.tencent.com/gpu-count": "1",
                "eks.tke.cloud.tencent.com/count": "2"}),
            "eks.tke.cloud.tencent.com/count",
        ),
        (
            json!({"eks.tke.cloud.tencent.com/gpu-type": "V100", "eks.tke.cloud.tencent.com/gpu-count": "-1"}),
            "eks.tke.cloud.tencent.com/gpu-count",
        ),
        // V100 has 1, 2, 4, 8 card specs only.
        (
            json!({"eks.tke.cloud.tencent.com/gpu-type": "V100", "eks.tke.cloud.tencent.com/gpu-count": "3"}),
            "eks.tke.cloud.tencent.com/gpu-count",
        ),
        // Pinned GPU cpu/mem must equal a row exactly.
        (
            json!({"eks.tke.cloud.tencent.com/gpu-type": "V100", "eks.tke.cloud.tencent.com/cpu": "8",
                "eks.tke.cloud.tencent.com/mem": "32Gi"}),
            "eks.tke.cloud.tencent.com/cpu",
        ),
        (
            json!({"eks.tke.cloud.tencent.com/spec-auto-upgrade": "yes"}),
            "eks.tke.cloud.tencent.com/spec-auto-upgrade",
        ),
    ];
    for (ann, key) in cases {
        let p =
            pod(json!({"metadata": {"annotations": ann}, "spec": {"containers": [{"name": "c"}]}}));
        let err = select_pod_spec(&p, &tables).unwrap_err();
        assert!(err.to_string().contains(key), "{ann}: {err}");
    }
}

#[test]
fn bad_quantities_are_errors_naming_container_and_field() {
    let tables = SpecTables::default();
    let cases = [
        (
            json!({"cpu": "1K"}),
            "spec.containers[app].resources.requests.cpu",
            "1K",
        ),
        (
            json!({"memory": "-1Gi"}),
            "spec.containers[app].resources.requests.memory",
            "-1Gi",
        ),
        (
            json!({"memory": "1 Gi"}),
            "spec.containers[app].resources.requests.memory",
            "1 Gi",
        ),
        (
            json!({"nvidia.com/gpu": "0.5"}),
            "spec.containers[app].resources.requests.nvidia.com/gpu",
            "0.5",
        ),
    ];
    for (req, field, value) in cases {
        let p = pod(
            json!({"spec": {"containers": containers(vec![("app", res(req.clone(), json!({})))])}}),
        );
        let err = select_pod_spec(&p, &tables).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(field) && msg.contains(value), "{req}: {msg}");
    }
    let p = pod(json!({"spec": {"containers": [{"name": "app"}],
        "initContainers": containers(vec![("init", res(json!({}), json!({"cpu": "x"})))])}}));
    let msg = select_pod_spec(&p, &tables).unwrap_err().to_string();
    assert!(
        msg.contains("spec.initContainers[init].resources.limits.cpu"),
        "{msg}"
    );
}

#[test]
fn exceeding_the_largest_spec_names_the_resource() {
    let tables = SpecTables::default();
    let p = pod(json!({"spec": {"containers": containers(vec![
        ("c", res(json!({"cpu": "65", "memory": "8Gi"}), json!({}))),
    ])}}));
    let err = select_pod_spec(&p, &tables).unwrap_err();
    assert!(
        matches!(
            err,
            Error::SpecExceeded {
                resource: Resource::Cpu,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("65 cores"), "{err}");
    let p = pod(json!({"spec": {"containers": containers(vec![
        ("c", res(json!({"cpu": "4", "memory": "513Gi"}), json!({}))),
    ])}}));
    let err = select_pod_spec(&p, &tables).unwrap_err();
    assert!(
        matches!(
            err,
            Error::SpecExceeded {
                resource: Resource::Memory,
                ..
            }
        ),
        "{err}"
    );
    // A limit alone above the largest spec is also a total above it.
    let p = pod(json!({"spec": {"containers": containers(vec![
        ("c", res(json!({"cpu": "1"}), json!({"cpu": "128"}))),
    ])}}));
    assert!(select_pod_spec(&p, &tables).is_err());
    // 9 x V100 does not exist.
    let p = pod(json!({
        "metadata": {"annotations": {"eks.tke.cloud.tencent.com/gpu-type": "V100"}},
        "spec": {"containers": containers(vec![("c", res(json!({"nvidia.com/gpu": "9"}), json!({})))])}
    }));
    let err = select_pod_spec(&p, &tables).unwrap_err();
    assert!(
        matches!(
            err,
            Error::SpecExceeded {
                resource: Resource::Gpu,
                ..
            }
        ),
        "{err}"
    );
    // GPU requests without gpu-type cannot be placed.
    let p = pod(
        json!({"spec": {"containers": containers(vec![("c", res(json!({"nvidia.com/gpu": "1"}), json!({})))])}}),
    );
    let err = select_pod_spec(&p, &tables).unwrap_err();
    assert!(err.to_string().contains("gpu-type"), "{err}");
}

#[test]
fn cpu_matching_steps() {
    let intel = CpuSpecTable::intel();
    // (cpu m, mem MiB) -> (cpu m, mem MiB)
    let cases = [
        ((250, 100), (250, 512)),               // below A's minimum -> A's minimum
        ((250, 1500), (250, 2048)),             // inside A's discrete set -> next value
        ((300, 700), (500, 1024)),              // 0.5C row: {0.5, 1..4}
        ((2000, 3 * 1024), (2000, 4096)),       // 2C: {2} ∪ {4..16}: 3 -> 4
        ((2000, 17 * 1024), (4000, 17 * 1024)), // above A's max -> row B (4C, 8-32)
        ((12_000, 100 * 1024), (16_000, 100 * 1024)),
        ((32_000, 100 * 1024), (32_000, 128 * 1024)),
        ((33_000, 1024), (64_000, 128 * 1024)),
        ((64_000, 300 * 1024), (64_000, 512 * 1024)),
        ((4000, 0), (4000, 8 * 1024)), // memory zero -> A's minimum
        ((0, 8 * 1024 + 1), (2000, 9 * 1024)), // 1C tops out at 8 GiB: 9 GiB on 2C
        ((0, 300 * 1024), (64_000, 512 * 1024)),
    ];
    for ((cpu, mem), want) in cases {
        let got = match_cpu_spec(&intel, cpu, mem).unwrap();
        assert!(intel.allows(got.0, got.1), "{cpu}/{mem} -> {got:?}");
        assert_eq!(got, want, "{cpu}m/{mem}Mi");
    }
}

#[test]
fn cpu_type_priority_list_and_vendor_tables() {
    let tables = SpecTables::default();
    // The CPU example 2 pod with cpu-type amd,intel: AMD's 4C row allows 6 GiB.
    let p = pod(json!({
        "metadata": {"annotations": {"eks.tke.cloud.tencent.com/cpu-type": "amd,intel"}},
        "spec": {"containers": containers(vec![
            ("c1", res(json!({"cpu": "2", "memory": "4Gi"}), json!({"cpu": "4", "memory": "4Gi"}))),
            ("c2", res(json!({"cpu": "1", "memory": "2Gi"}), json!({"cpu": "1", "memory": "2Gi"}))),
        ])}
    }));
    let s = select_pod_spec(&p, &tables).unwrap();
    assert_eq!(
        (s.spec.to_string(), s.spec.cpu_vendor),
        ("4C6GiB".to_owned(), Some(CpuVendor::Amd))
    );
    assert_eq!(s.fallbacks.len(), 1);
    assert_eq!(
        (s.fallbacks[0].to_string(), s.fallbacks[0].cpu_vendor),
        ("4C8GiB".to_owned(), Some(CpuVendor::Intel))
    );
    // A pinned spec only AMD offers (4C6GiB) without cpu-type: AMD.
    let p = pod(json!({
        "metadata": {"annotations": {"eks.tke.cloud.tencent.com/cpu": "4", "eks.tke.cloud.tencent.com/mem": "6Gi"}},
        "spec": {"containers": [{"name": "c"}]}
    }));
    let s = select_pod_spec(&p, &tables).unwrap();
    assert_eq!(s.spec.cpu_vendor, Some(CpuVendor::Amd));
    // A pinned spec both offer: Intel preferred, AMD as fallback.
    let p = pod(json!({
        "metadata": {"annotations": {"eks.tke.cloud.tencent.com/cpu": "8", "eks.tke.cloud.tencent.com/mem": "16Gi"}},
        "spec": {"containers": [{"name": "c"}]}
    }));
    let s = select_pod_spec(&p, &tables).unwrap();
    assert_eq!(s.spec.cpu_vendor, Some(CpuVendor::Intel));
    assert_eq!(s.fallbacks[0].cpu_vendor, Some(CpuVendor::Amd));
}

#[test]
fn gpu_priority_list_and_t4_rows() {
    let tables = SpecTables::default();
    // T4 first: 1 card, 16 cores / 64 GiB -> the 20C80GiB 1-card row (nearest larger).
    let p = pod(json!({
        "metadata": {"annotations": {"eks.tke.cloud.tencent.com/gpu-type": "T4,V100"}},
        "spec": {"containers": containers(vec![
            ("c", res(json!({"cpu": "16", "memory": "64Gi", "nvidia.com/gpu": "1"}), json!({}))),
        ])}
    }));
    let s = select_pod_spec(&p, &tables).unwrap();
    assert_eq!(s.spec.to_string(), "20C80GiB 1*T4");
    assert_eq!(s.fallbacks[0].to_string(), "18C80GiB 2*V100");
    // GPU total 3 -> the 4-card row.
    let p = pod(json!({
        "metadata": {"annotations": {"eks.tke.cloud.tencent.com/gpu-type": "A10*PNV4"}},
        "spec": {"containers": containers(vec![("c", res(json!({"nvidia.com/gpu": "3"}), json!({})))])}
    }));
    assert_eq!(select(&p), "112C466GiB 4*A10*PNV4");
    // Beyond the CPU table (72 cores): the raw totals are compared with the GPU rows (E-B14).
    let p = pod(json!({
        "metadata": {"annotations": {"eks.tke.cloud.tencent.com/gpu-type": "V100"}},
        "spec": {"containers": containers(vec![
            ("c", res(json!({"cpu": "70", "memory": "300Gi", "nvidia.com/gpu": "1"}), json!({}))),
        ])}
    }));
    assert_eq!(select(&p), "72C320GiB 8*V100");
    // 257 GiB rounds to 64C512GiB on the CPU table, beyond every V100 row; the raw totals
    // still fit the 8-card row.
    let row = match_gpu_spec(&tables.gpu, &tables.intel, "V100", 1, 0, 257 * 1024).unwrap();
    assert_eq!(
        (row.gpus, row.cpu_millis, row.memory_mib),
        (8, 72_000, 320 * 1024)
    );
    // gpu-count instead of requests.
    let p = pod(json!({
        "metadata": {"annotations": {"eks.tke.cloud.tencent.com/gpu-type": "V100",
                                     "eks.tke.cloud.tencent.com/gpu-count": "2"}},
        "spec": {"containers": [{"name": "c"}]}
    }));
    assert_eq!(select(&p), "18C80GiB 2*V100");
    // A gpu-type without GPU requests: the smallest row of the type.
    let p = pod(json!({
        "metadata": {"annotations": {"eks.tke.cloud.tencent.com/gpu-type": "1/4*T4"}},
        "spec": {"containers": [{"name": "c"}]}
    }));
    assert_eq!(select(&p), "4C16GiB 1*1/4*T4");
}

#[test]
fn init_containers_and_sidecars() {
    let tables = SpecTables::default();
    // Init containers each on their own; the larger of init and business wins per resource.
    let p = pod(json!({"spec": {
        "initContainers": containers(vec![
            ("i1", res(json!({"cpu": "2"}), json!({"cpu": "3", "memory": "1Gi"}))),
            ("i2", res(json!({"memory": "12Gi"}), json!({}))),
        ]),
        "containers": containers(vec![("c", res(json!({"cpu": "1", "memory": "2Gi"}), json!({})))]),
    }}));
    let t = pod_totals(&p).unwrap();
    assert_eq!((t.cpu_millis, t.memory_bytes), (3000, 12 << 30));
    assert_eq!(
        select_pod_spec(&p, &tables).unwrap().spec.to_string(),
        "4C12GiB"
    );
    // An init container declaring nothing counts as 1C2GiB.
    let p = pod(json!({"spec": {
        "initContainers": [{"name": "i"}],
        "containers": containers(vec![("c", res(json!({"cpu": "0.5", "memory": "1Gi"}), json!({})))]),
    }}));
    let t = pod_totals(&p).unwrap();
    assert_eq!((t.cpu_millis, t.memory_bytes), (1000, 2 << 30));
    // Business containers declaring nothing count as 1C2GiB when an init container declares.
    let p = pod(json!({"spec": {
        "initContainers": containers(vec![("i", res(json!({"cpu": "250m", "memory": "512Mi"}), json!({})))]),
        "containers": [{"name": "c"}],
    }}));
    let t = pod_totals(&p).unwrap();
    assert_eq!(
        (t.cpu_millis, t.memory_bytes, t.defaulted),
        (1000, 2 << 30, false)
    );
    // A native sidecar (restartPolicy Always) adds to the business sum.
    let p = pod(json!({"spec": {
        "initContainers": [{"name": "s", "restartPolicy": "Always",
            "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}],
        "containers": containers(vec![("c", res(json!({"cpu": "1", "memory": "1Gi"}), json!({})))]),
    }}));
    let t = pod_totals(&p).unwrap();
    assert_eq!((t.cpu_millis, t.memory_bytes), (2000, 2 << 30));
    // A limit alone defaults the request.
    let p = pod(json!({"spec": {"containers": containers(vec![
        ("a", res(json!({}), json!({"cpu": "2", "memory": "2Gi"}))),
        ("b", res(json!({}), json!({"cpu": "2", "memory": "2Gi"}))),
    ])}}));
    let t = pod_totals(&p).unwrap();
    assert_eq!((t.cpu_millis, t.memory_bytes), (4000, 4 << 30));
}

#[test]
fn auto_upgrade_once_by_cpu() {
    let tables = SpecTables::default();
    let p = pod(json!({
        "metadata": {"annotations": {"eks.tke.cloud.tencent.com/spec-auto-upgrade": "true"}},
        "spec": {"containers": containers(vec![("c", res(json!({"cpu": "4", "memory": "8Gi"}), json!({})))])}
    }));
    let s = select_pod_spec(&p, &tables).unwrap();
    assert!(s.auto_upgrade);
    let up = upgrade_once(&s.spec, &tables).unwrap();
    assert_eq!(up.to_string(), "8C16GiB");
    let top = PodSpec {
        cpu_millis: 64_000,
        memory_mib: 512 * 1024,
        cpu_vendor: Some(CpuVendor::Intel),
        gpu: None,
        source: SpecSource::Computed,
    };
    assert!(upgrade_once(&top, &tables).is_none());
}

#[test]
fn tables_are_replaceable_values() {
    // Monthly super nodes (Table M): 4C6GiB -> 4C8GiB; 16 cores exceed the table.
    let tables = SpecTables {
        intel: CpuSpecTable::monthly(),
        ..SpecTables::default()
    };
    assert_eq!(
        match_cpu_spec(&tables.intel, 4000, 6 * 1024).unwrap(),
        (4000, 8 * 1024)
    );
    assert!(match_cpu_spec(&tables.intel, 16_000, 1024).is_err());
    let monthly = SpecTables::monthly();
    assert_eq!(monthly.amd.vendor(), CpuVendor::Amd);
    assert_eq!(monthly.amd.rows(), monthly.intel.rows());
    assert_eq!(SpecTables::on_demand().intel.max_memory_mib(), 512 * 1024);
    // On-demand (Table P): 2C has no 2 GiB.
    assert_eq!(
        match_cpu_spec(&CpuSpecTable::on_demand(), 2000, 2048).unwrap(),
        (2000, 4096)
    );
    // A custom table.
    let custom = CpuSpecTable::new(
        CpuVendor::Intel,
        vec![
            CpuSpecRow {
                cpu_millis: 1000,
                memory: vec![MemoryChoice::gib_range(1, 2)],
            },
            CpuSpecRow {
                cpu_millis: 3000,
                memory: vec![MemoryChoice::gib(6)],
            },
        ],
    )
    .unwrap();
    assert_eq!(match_cpu_spec(&custom, 1500, 1024).unwrap(), (3000, 6144));
    // Invalid tables are rejected.
    assert!(CpuSpecTable::new(CpuVendor::Amd, vec![]).is_err());
    assert!(
        CpuSpecTable::new(
            CpuVendor::Amd,
            vec![
                CpuSpecRow {
                    cpu_millis: 2000,
                    memory: vec![MemoryChoice::gib(2)]
                },
                CpuSpecRow {
                    cpu_millis: 1000,
                    memory: vec![MemoryChoice::gib(2)]
                },
            ]
        )
        .is_err()
    );
    let gpu = GpuSpecTable::new(vec![
        GpuSpecRow {
            gpu_type: "H20".into(),
            gpus: 2,
            cpu_millis: 32_000,
            memory_mib: 256 * 1024,
        },
        GpuSpecRow {
            gpu_type: "H20".into(),
            gpus: 1,
            cpu_millis: 16_000,
            memory_mib: 128 * 1024,
        },
    ])
    .unwrap();
    let row = match_gpu_spec(&gpu, &CpuSpecTable::intel(), "H20", 1, 8000, 32 * 1024).unwrap();
    assert_eq!(row.gpus, 1);
    assert_eq!(GpuSpecTable::builtin().rows().len(), 19);
}
