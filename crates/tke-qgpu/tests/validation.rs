//! Request validation against the documented examples (spec A.5, A.8, A.11) and rules.

#![allow(clippy::unwrap_used)] // tests may unwrap (project standard)

use tke_qgpu::{AppClass, ContainerRequest, PodRequest, QgpuError, RawValues};

use k8s_openapi::api::core::v1::Pod;

fn pod(yaml: &str) -> Pod {
    serde_norway::from_str(yaml).expect("test YAML is a valid Pod")
}

/// The documented YAML examples with punctuation restored (spec A.11).
#[test]
fn documented_yaml_examples_are_valid() {
    // L18113–18128: 30% of a card and 5G.
    let normal = pod(r#"
metadata: {name: app, namespace: default}
spec:
  containers:
  - name: main
    resources:
      limits:
        tke.cloud.tencent.com/qgpu-memory: "5"
        tke.cloud.tencent.com/qgpu-core: "30"
      requests:
        tke.cloud.tencent.com/qgpu-memory: "5"
        tke.cloud.tencent.com/qgpu-core: "30"
"#);
    let req = PodRequest::from_pod(&normal).unwrap();
    assert_eq!(req.name(), "default/app");
    assert_eq!(req.class(), AppClass::Normal);
    assert_eq!(
        req.containers(),
        &[(
            "main".to_owned(),
            ContainerRequest::Fraction {
                core: 30,
                memory: 5
            }
        )]
    );

    // L18288–18312: offline pod, unquoted integers as printed.
    let offline = pod(r#"
apiVersion: v1
kind: Pod
metadata:
  name: xx
  annotations:
    tke.cloud.tencent.com/app-class: offline
spec:
  containers:
  - name: offline-container
    image: xx
    resources:
      requests:
        tke.cloud.tencent.com/qgpu-core-greedy: 10
        tke.cloud.tencent.com/qgpu-memory: 5
      limits:
        tke.cloud.tencent.com/qgpu-core-greedy: 10
        tke.cloud.tencent.com/qgpu-memory: 5
"#);
    let req = PodRequest::from_pod(&offline).unwrap();
    assert_eq!(req.class(), AppClass::Offline);
    assert_eq!(
        req.containers()[0].1,
        ContainerRequest::Offline {
            greedy: 10,
            memory: 5
        }
    );

    // L18372–18390 with the annotation under metadata (E-A8): requests only, memory only.
    let online = pod(r#"
apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    tke.cloud.tencent.com/app-class: online
spec:
  containers:
  - name: online-container
    resources:
      requests:
        tke.cloud.tencent.com/qgpu-memory: "4"
"#);
    let req = PodRequest::from_pod(&online).unwrap();
    assert_eq!(req.class(), AppClass::Online);
    assert_eq!(
        req.containers()[0].1,
        ContainerRequest::Online { memory: 4 }
    );
}

/// E-A8: with the annotation at the root (as printed) it is not pod metadata, so the pod is a
/// normal pod and its memory-only request is rejected.
#[test]
fn online_annotation_at_the_root_is_not_read() {
    let printed = pod(r#"
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: online-container
    resources:
      requests:
        tke.cloud.tencent.com/qgpu-memory: "4"
"#);
    let err = PodRequest::from_pod(&printed).unwrap_err();
    assert!(
        matches!(err, QgpuError::InvalidResource { ref resource, .. } if resource == "tke.cloud.tencent.com/qgpu-core")
    );
}

fn normal(core: Option<u64>, memory: Option<u64>) -> Result<PodRequest, QgpuError> {
    PodRequest::from_values(
        "ns/p",
        AppClass::Normal,
        &[RawValues {
            core,
            memory,
            greedy: None,
        }],
    )
}

/// Derived validation vectors (spec A.11 table) plus the step/range edges.
#[test]
fn core_and_memory_vectors() {
    use ContainerRequest::*;
    let ok: &[(Option<u64>, Option<u64>, ContainerRequest)] = &[
        (
            Some(30),
            Some(5),
            Fraction {
                core: 30,
                memory: 5,
            },
        ),
        (
            Some(100),
            None,
            WholeCards {
                cards: 1,
                memory: None,
            },
        ),
        (
            Some(200),
            None,
            WholeCards {
                cards: 2,
                memory: None,
            },
        ),
        (Some(5), Some(1), Fraction { core: 5, memory: 1 }),
        (
            Some(95),
            Some(80),
            Fraction {
                core: 95,
                memory: 80,
            },
        ),
        (
            Some(800),
            Some(10),
            WholeCards {
                cards: 8,
                memory: Some(10),
            },
        ),
    ];
    for (core, memory, expected) in ok {
        let req = normal(*core, *memory).unwrap();
        assert_eq!(req.containers()[0].1, *expected, "{core:?}/{memory:?}");
    }
    let bad: &[(Option<u64>, Option<u64>, &str, &str)] = &[
        (Some(3), Some(1), "qgpu-core", "3"),
        (Some(33), Some(1), "qgpu-core", "33"),
        (Some(50), None, "qgpu-memory", "<missing>"),
        (Some(50), Some(0), "qgpu-memory", "0"),
        (Some(150), Some(4), "qgpu-core", "150"),
        (Some(0), Some(4), "qgpu-core", "0"),
        (None, Some(4), "qgpu-core", "<missing>"),
        (Some(101), None, "qgpu-core", "101"),
        (
            Some(30),
            Some(u64::from(u32::MAX) + 1),
            "qgpu-memory",
            "4294967296",
        ),
        (Some(25_600), None, "qgpu-core", "25600"),
    ];
    for (core, memory, resource, value) in bad {
        match normal(*core, *memory) {
            Err(QgpuError::InvalidResource {
                pod,
                container,
                resource: r,
                value: v,
                ..
            }) => {
                assert_eq!(pod, "ns/p");
                assert_eq!(container, "#0");
                assert_eq!(
                    r,
                    format!("tke.cloud.tencent.com/{resource}"),
                    "{core:?}/{memory:?}"
                );
                assert_eq!(v, *value);
            }
            other => panic!("{core:?}/{memory:?}: expected InvalidResource, got {other:?}"),
        }
    }
}

#[test]
fn class_rules() {
    let raw = |core, memory, greedy| RawValues {
        core,
        memory,
        greedy,
    };
    let cases: &[(AppClass, RawValues, Result<ContainerRequest, &str>)] = &[
        (
            AppClass::Offline,
            raw(None, Some(5), Some(10)),
            Ok(ContainerRequest::Offline {
                greedy: 10,
                memory: 5,
            }),
        ),
        (
            AppClass::Offline,
            raw(None, Some(5), Some(100)),
            Ok(ContainerRequest::Offline {
                greedy: 100,
                memory: 5,
            }),
        ),
        (
            AppClass::Offline,
            raw(None, Some(5), Some(200)),
            Err("qgpu-core-greedy"),
        ), // no multi-card
        (
            AppClass::Offline,
            raw(None, Some(5), Some(12)),
            Err("qgpu-core-greedy"),
        ),
        (
            AppClass::Offline,
            raw(None, Some(5), None),
            Err("qgpu-core-greedy"),
        ),
        (
            AppClass::Offline,
            raw(None, None, Some(10)),
            Err("qgpu-memory"),
        ),
        (
            AppClass::Offline,
            raw(Some(10), Some(5), Some(10)),
            Err("qgpu-core"),
        ),
        (
            AppClass::Online,
            raw(None, Some(3), None),
            Ok(ContainerRequest::Online { memory: 3 }),
        ),
        (
            AppClass::Online,
            raw(Some(30), Some(3), None),
            Err("qgpu-core"),
        ),
        (
            AppClass::Online,
            raw(None, Some(3), Some(10)),
            Err("qgpu-core-greedy"),
        ),
        (
            AppClass::Online,
            raw(None, Some(0), None),
            Err("qgpu-memory"),
        ),
        (
            AppClass::Normal,
            raw(Some(30), Some(3), Some(10)),
            Err("qgpu-core-greedy"),
        ),
    ];
    for (class, values, expected) in cases {
        let got = PodRequest::from_values("p", *class, &[*values]);
        match (got, expected) {
            (Ok(req), Ok(want)) => assert_eq!(req.containers()[0].1, *want),
            (Err(QgpuError::InvalidResource { resource, .. }), Err(want)) => {
                assert_eq!(
                    resource,
                    format!("tke.cloud.tencent.com/{want}"),
                    "{class:?} {values:?}"
                )
            }
            (got, want) => panic!("{class:?} {values:?}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn requests_must_equal_limits_and_missing_request_takes_limit() {
    let mismatch = pod(r#"
metadata: {name: p, namespace: ns}
spec:
  containers:
  - name: c
    resources:
      limits: {tke.cloud.tencent.com/qgpu-core: "30", tke.cloud.tencent.com/qgpu-memory: "5"}
      requests: {tke.cloud.tencent.com/qgpu-core: "20", tke.cloud.tencent.com/qgpu-memory: "5"}
"#);
    let err = PodRequest::from_pod(&mismatch).unwrap_err();
    assert_eq!(
        err.to_string(),
        "pod ns/p: container c: tke.cloud.tencent.com/qgpu-core = \"request 20 / limit 30\": requests and limits of qGPU resources must be equal"
    );
    // Equal values in different notation are equal.
    let same = pod(r#"
metadata: {name: p}
spec:
  containers:
  - name: c
    resources:
      limits: {tke.cloud.tencent.com/qgpu-core: "30", tke.cloud.tencent.com/qgpu-memory: "5"}
      requests: {tke.cloud.tencent.com/qgpu-core: "30000m", tke.cloud.tencent.com/qgpu-memory: "5"}
"#);
    assert!(PodRequest::from_pod(&same).is_ok());
    let limits_only = pod(r#"
metadata: {name: p}
spec:
  containers:
  - name: c
    resources:
      limits: {tke.cloud.tencent.com/qgpu-core: "40", tke.cloud.tencent.com/qgpu-memory: "2"}
"#);
    assert_eq!(
        PodRequest::from_pod(&limits_only).unwrap().containers()[0].1,
        ContainerRequest::Fraction {
            core: 40,
            memory: 2
        }
    );
}

#[test]
fn bad_quantities_are_errors_naming_the_value() {
    for value in ["2.5", "-5", "abc", "", "5Gi5", "1e400", "30 ", "0x1E"] {
        let p = pod(&format!(
            r#"
metadata: {{name: p, namespace: ns}}
spec:
  containers:
  - name: c
    resources:
      limits: {{tke.cloud.tencent.com/qgpu-core: "30", tke.cloud.tencent.com/qgpu-memory: "{value}"}}
"#
        ));
        match PodRequest::from_pod(&p) {
            Err(QgpuError::InvalidResource {
                pod,
                container,
                resource,
                value: v,
                ..
            }) => {
                assert_eq!((pod.as_str(), container.as_str()), ("ns/p", "c"));
                assert_eq!(resource, "tke.cloud.tencent.com/qgpu-memory");
                assert_eq!(v, value);
            }
            other => panic!("{value:?}: {other:?}"),
        }
    }
}

#[test]
fn pod_level_rules() {
    // Unknown app-class.
    let p = pod(r#"
metadata: {name: p, namespace: ns, annotations: {tke.cloud.tencent.com/app-class: Offline}}
spec: {containers: [{name: c}]}
"#);
    assert_eq!(
        PodRequest::from_pod(&p).unwrap_err(),
        QgpuError::InvalidAppClass {
            pod: "ns/p".into(),
            annotation: "tke.cloud.tencent.com/app-class".into(),
            value: "Offline".into()
        }
    );
    // No qGPU resource at all.
    let p = pod("metadata: {name: p}\nspec: {containers: [{name: c}]}\n");
    assert!(matches!(
        PodRequest::from_pod(&p),
        Err(QgpuError::InvalidPod { .. })
    ));
    // Init containers may not hold qGPU.
    let p = pod(r#"
metadata: {name: p}
spec:
  initContainers:
  - name: init
    resources: {limits: {tke.cloud.tencent.com/qgpu-core: "30"}}
  containers:
  - name: c
    resources: {limits: {tke.cloud.tencent.com/qgpu-core: "30", tke.cloud.tencent.com/qgpu-memory: "1"}}
"#);
    assert!(
        matches!(PodRequest::from_pod(&p), Err(QgpuError::InvalidResource { container, .. }) if container == "init")
    );
    // Offline containers share one card: greedy sums to at most 100.
    let c = RawValues {
        core: None,
        memory: Some(1),
        greedy: Some(60),
    };
    assert!(matches!(
        PodRequest::from_values("p", AppClass::Offline, &[c, c]),
        Err(QgpuError::InvalidPod { .. })
    ));
    // ... and at most 16 devices.
    let c = RawValues {
        core: None,
        memory: Some(1),
        greedy: Some(5),
    };
    assert!(PodRequest::from_values("p", AppClass::Offline, &[c; 16]).is_ok());
    let c = RawValues {
        core: None,
        memory: Some(1),
        greedy: Some(5),
    };
    assert!(PodRequest::from_values("p", AppClass::Offline, &[c; 17]).is_err());
    // Containers without qGPU (sidecars) are skipped.
    let p = pod(r#"
metadata: {name: p}
spec:
  containers:
  - name: sidecar
  - name: c
    resources: {limits: {tke.cloud.tencent.com/qgpu-core: "30", tke.cloud.tencent.com/qgpu-memory: "1"}}
"#);
    let req = PodRequest::from_pod(&p).unwrap();
    assert_eq!(req.containers().len(), 1);
    assert_eq!(req.containers()[0].0, "c");
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Arbitrary strings as quantities and annotations are errors or values, never panics.
        #[test]
        fn arbitrary_strings(core in ".{0,12}", memory in "[0-9a-zA-Z.+-]{0,10}", class in ".{0,8}") {
            let mut pod = Pod::default();
            pod.metadata.name = Some("p".into());
            pod.metadata.annotations = Some([("tke.cloud.tencent.com/app-class".to_owned(), class)].into());
            let mut container = k8s_openapi::api::core::v1::Container { name: "c".into(), ..Default::default() };
            container.resources = Some(k8s_openapi::api::core::v1::ResourceRequirements {
                limits: Some([
                    ("tke.cloud.tencent.com/qgpu-core".to_owned(), k8s_openapi::apimachinery::pkg::api::resource::Quantity(core)),
                    ("tke.cloud.tencent.com/qgpu-memory".to_owned(), k8s_openapi::apimachinery::pkg::api::resource::Quantity(memory)),
                ].into()),
                ..Default::default()
            });
            pod.spec = Some(k8s_openapi::api::core::v1::PodSpec { containers: vec![container], ..Default::default() });
            let _ = PodRequest::from_pod(&pod);
        }

        #[test]
        fn arbitrary_numbers(core in proptest::option::of(any::<u64>()), memory in proptest::option::of(any::<u64>()), greedy in proptest::option::of(any::<u64>())) {
            for class in [AppClass::Normal, AppClass::Online, AppClass::Offline] {
                if let Ok(req) = PodRequest::from_values("p", class, &[RawValues { core, memory, greedy }]) {
                    // Accepted requests obey the documented ranges.
                    match req.containers()[0].1 {
                        ContainerRequest::Fraction { core, memory } => prop_assert!((5..100).contains(&core) && core % 5 == 0 && memory >= 1),
                        ContainerRequest::WholeCards { cards, .. } => prop_assert!(cards >= 1),
                        ContainerRequest::Online { memory } => prop_assert!(memory >= 1),
                        ContainerRequest::Offline { greedy, memory } => prop_assert!((5..=100).contains(&greedy) && greedy % 5 == 0 && memory >= 1),
                    }
                }
            }
        }
    }
}
