//! Inventory: supported models/drivers, isolation labels, nodes from k8s `Node` objects.

#![allow(clippy::unwrap_used)] // tests may unwrap (project standard)

use k8s_openapi::api::core::v1::Node;
use tke_qgpu::inventory::{DEFAULT_MEMORY_UNIT_MIB, SCHEDULE_POLICY_LABEL};
use tke_qgpu::{
    CardInventory, GpuCard, GpuModel, GpuNode, IsolationPolicy, QgpuError, SUPPORTED_DRIVERS,
    SUPPORTED_MODELS,
};

#[test]
fn supported_models_and_drivers_are_the_documented_ones() {
    let models: Vec<(&str, &str)> = SUPPORTED_MODELS
        .iter()
        .map(|m| (m.name, m.instance_family))
        .collect();
    assert_eq!(
        models,
        [
            ("V100", "Gn10x"),
            ("T4", "Gn7"),
            ("A100", "GT4"),
            ("A10", "Pnv4"),
            ("L20", "Pnv5b"),
            ("L40", "Pnv5i"),
            ("L40s", "Pnv5")
        ]
    );
    assert_eq!(
        SUPPORTED_DRIVERS,
        [
            "450.102.04",
            "470.82.01",
            "515.65.01",
            "525.105.17",
            "535.154.05"
        ]
    );
    // "v100" is how L6343 writes it.
    assert_eq!(GpuModel::find("v100").map(|m| m.name), Some("V100"));
    assert!(GpuModel::find("H100").is_none());
    assert!(GpuCard::new("P40", 24 * 1024).is_none());
}

#[test]
fn isolation_label_values() {
    let cases = [
        (None, Some(IsolationPolicy::BestEffort)),
        (Some("best-effort"), Some(IsolationPolicy::BestEffort)),
        (Some("be"), Some(IsolationPolicy::BestEffort)),
        (Some("fixed-share"), Some(IsolationPolicy::FixedShare)),
        (Some("fs"), Some(IsolationPolicy::FixedShare)),
        (Some("burst-share"), Some(IsolationPolicy::BurstShare)),
        (Some("bs"), Some(IsolationPolicy::BurstShare)),
        (Some("Fixed-Share"), None),
        (Some(""), None),
    ];
    for (label, expected) in cases {
        assert_eq!(IsolationPolicy::from_label(label), expected, "{label:?}");
    }
}

fn node(yaml: &str) -> Node {
    serde_norway::from_str(yaml).expect("valid Node")
}

fn t4s(n: usize) -> CardInventory {
    CardInventory {
        cards: vec![GpuCard::new("T4", 16 * 1024).unwrap(); n],
        ..CardInventory::default()
    }
}

#[test]
fn node_from_k8s() {
    let n = node(
        r#"
metadata:
  name: 10.0.66.4
  labels: {tke.cloud.tencent.com/qgpu-schedule-policy: fs}
status:
  allocatable:
    tke.cloud.tencent.com/qgpu-core: "200"
    tke.cloud.tencent.com/qgpu-memory: "32"
    tke.cloud.tencent.com/qgpu-core-greedy: "200"
"#,
    );
    let gpu = GpuNode::from_k8s_node(&n, t4s(2)).unwrap();
    assert_eq!(gpu.name(), "10.0.66.4");
    assert_eq!(gpu.isolation(), IsolationPolicy::FixedShare);
    assert!(gpu.qgpu_enabled() && gpu.mixing() && gpu.schedulable());
    assert_eq!(gpu.memory_unit_mib(), DEFAULT_MEMORY_UNIT_MIB);
    assert_eq!(gpu.card_memory_units(0), Some(16));

    // No qGPU resources and no label: plain GPU node, qGPU disabled; cordoned.
    let n = node("metadata: {name: plain}\nspec: {unschedulable: true}\n");
    let gpu = GpuNode::from_k8s_node(&n, t4s(1)).unwrap();
    assert!(!gpu.qgpu_enabled() && !gpu.mixing() && !gpu.schedulable());
    assert_eq!(gpu.isolation(), IsolationPolicy::BestEffort);

    // The exporter's nodeSelector label enables qGPU (E-A10).
    let n = node("metadata: {name: lbl, labels: {qgpu-device-enable: enable}}\n");
    assert!(GpuNode::from_k8s_node(&n, t4s(1)).unwrap().qgpu_enabled());
}

#[test]
fn node_errors_name_node_field_and_value() {
    let n = node(&format!(
        "metadata: {{name: n1, labels: {{{SCHEDULE_POLICY_LABEL}: exclusive}}}}\n"
    ));
    assert_eq!(
        GpuNode::from_k8s_node(&n, t4s(1)).unwrap_err().to_string(),
        "node n1: label tke.cloud.tencent.com/qgpu-schedule-policy = \"exclusive\": expected best-effort/be, fixed-share/fs or burst-share/bs"
    );
    let n = node(
        "metadata: {name: n2}\nstatus: {allocatable: {tke.cloud.tencent.com/qgpu-core: \"300\"}}\n",
    );
    let err = GpuNode::from_k8s_node(&n, t4s(2)).unwrap_err();
    assert!(
        matches!(err, QgpuError::InvalidNode { ref node, ref value, .. } if node == "n2" && value == "300"),
        "{err}"
    );
    let n = node(
        "metadata: {name: n3}\nstatus: {allocatable: {tke.cloud.tencent.com/qgpu-core: \"lots\"}}\n",
    );
    assert!(matches!(
        GpuNode::from_k8s_node(&n, t4s(2)),
        Err(QgpuError::InvalidNode { .. })
    ));
    let inv = CardInventory {
        driver: Some("418.67".into()),
        ..t4s(1)
    };
    let n = node("metadata: {name: n4}\n");
    assert!(
        matches!(GpuNode::from_k8s_node(&n, inv), Err(QgpuError::InvalidNode { ref field, .. }) if field == "driver")
    );
    let inv = CardInventory {
        driver: Some("470.82.01".into()),
        memory_unit_mib: Some(128),
        ..t4s(1)
    };
    let gpu = GpuNode::from_k8s_node(&n, inv).unwrap();
    assert_eq!(gpu.card_memory_units(0), Some(128)); // 16 GiB in 128 MiB units (E-A1)
    assert!(GpuNode::new("", vec![]).is_err());
    assert!(
        GpuNode::new("x", vec![])
            .unwrap()
            .with_memory_unit_mib(0)
            .is_err()
    );
}

#[test]
fn kubernetes_versions() {
    use tke_qgpu::inventory::kubernetes_version_supported as ok;
    let cases: &[(&str, Result<bool, &str>)] = &[
        ("v1.14.3-tke.1", Ok(false)), // qGPU page says >= 1.14, native nodes need 1.16 (E-A4)
        ("v1.16.3-tke.28", Ok(true)),
        ("v1.16.3-tke.27", Ok(false)),
        ("v1.16.4", Ok(true)),
        ("v1.18.4-tke.26", Ok(true)),
        ("v1.18.4-tke.25", Ok(false)),
        ("v1.18.3-tke.99", Ok(false)),
        ("v1.20.6-tke.21", Ok(true)),
        ("v1.20.6-tke.20", Ok(false)),
        ("v1.22.5-tke.1", Ok(true)),
        ("1.30", Ok(true)),
        ("v1.15.9", Ok(false)),
        ("v2.0.0", Ok(true)),
        ("v1", Err("malformed minor version")),
        ("v1.x", Err("malformed minor version")),
        ("v1.18.4-tke.x", Err("malformed tke revision")),
        ("v1.18.4.1", Err("too many version components")),
        ("", Err("malformed major version")),
    ];
    for (v, expected) in cases {
        assert_eq!(ok(v), *expected, "{v}");
    }
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn arbitrary_node_labels_and_allocatable(policy in ".{0,12}", core in ".{0,8}", greedy in ".{0,8}", version in ".{0,16}") {
            let mut n = Node::default();
            n.metadata.name = Some("n".into());
            n.metadata.labels = Some([(SCHEDULE_POLICY_LABEL.to_owned(), policy)].into());
            n.status = Some(k8s_openapi::api::core::v1::NodeStatus {
                allocatable: Some([
                    ("tke.cloud.tencent.com/qgpu-core".to_owned(), k8s_openapi::apimachinery::pkg::api::resource::Quantity(core)),
                    ("tke.cloud.tencent.com/qgpu-core-greedy".to_owned(), k8s_openapi::apimachinery::pkg::api::resource::Quantity(greedy)),
                ].into()),
                ..Default::default()
            });
            let _ = GpuNode::from_k8s_node(&n, t4s(2));
            let _ = tke_qgpu::inventory::kubernetes_version_supported(&version);
        }
    }
}
