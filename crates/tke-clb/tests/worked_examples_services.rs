//! Spec §8.1 worked examples T-S1 … T-S15 (Services), table-driven: YAML in, listeners and targets out.
//! Node sets and pod placements marked *(constructed)* in the spec are the fixtures of `common`.

#![allow(clippy::unwrap_used)] // tests may unwrap (helpers outside #[test] fns too)

mod common;

use common::*;
use tke_clb::lifecycle::{check_lifecycle_change, may_kubelet_delete};
use tke_clb::{
    ChargeType, ClbKey, ClbSource, Network, ObjectStatus, Protocol, Scheduler, TAG_CLUSTER_ID,
    TAG_CREATED_BY, map,
};

const T_S1: &str = r#"
kind: Service
apiVersion: v1
metadata:
  name: my-service
spec:
  selector:
    app: MyApp
  ports:
  - protocol: TCP
    port: 80
    targetPort: 9376
    nodePort: 30080
  type: LoadBalancer
"#;

#[test]
fn t_s1_basic_public_service() {
    // nodePort 30080 stands for "<allocated nodePort>" of the document.
    let nodes = standard_nodes();
    let inputs = inputs(&[T_S1, &nodes]);
    let (m, lines) = mapped(&inputs, &svc("default", "my-service"));
    assert_eq!(lines, ["TCP:80 [n1:30080@10 n2:30080@10 n3:30080@10]"]); // master m1 excluded
    let clb = m.clb_of(&svc("default", "my-service")).unwrap();
    match &clb.source {
        ClbSource::Create(p) => assert_eq!(p.network, Network::Public),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        clb.tags.get(TAG_CREATED_BY).map(String::as_str),
        Some("yes")
    );
    assert_eq!(
        clb.tags.get(TAG_CLUSTER_ID).map(String::as_str),
        Some(CLUSTER)
    );
}

#[test]
fn t_s1_without_allocated_node_port_has_no_targets_yet() {
    let yaml = T_S1.replace("    nodePort: 30080\n", "");
    let nodes = standard_nodes();
    let inputs = inputs(&[&yaml, &nodes]);
    let (m, lines) = mapped(&inputs, &svc("default", "my-service"));
    assert_eq!(lines, ["TCP:80 []"]);
    assert_error(
        &m.report(&svc("default", "my-service")).unwrap().warnings,
        &["no nodePort allocated"],
    );
}

#[test]
fn t_s1b_internal_service() {
    let yaml = T_S1.replace(
        "  name: my-service\n",
        "  name: my-service\n  annotations:\n    service.kubernetes.io/qcloud-loadbalancer-internal-subnetid: subnet-xxxxxxxx\n",
    );
    let nodes = standard_nodes();
    let inputs = inputs(&[&yaml, &nodes]);
    let (m, lines) = mapped(&inputs, &svc("default", "my-service"));
    assert_eq!(lines, ["TCP:80 [n1:30080@10 n2:30080@10 n3:30080@10]"]);
    match &m.clb_of(&svc("default", "my-service")).unwrap().source {
        ClbSource::Create(p) => assert_eq!(
            p.network,
            Network::Internal {
                subnet_id: "subnet-xxxxxxxx".into()
            }
        ),
        other => panic!("{other:?}"),
    }
}

const T_S2: &str = r#"
apiVersion: v1
kind: Service
metadata:
  annotations:
    service.cloud.tencent.com/tke-service-config: jetty-service-config
  name: jetty-service
  namespace: default
spec:
  ports:
  - name: tcp-80-80
    port: 80
    protocol: TCP
    targetPort: 80
    nodePort: 31338
  - name: tcp-443-443
    port: 443
    protocol: TCP
    targetPort: 443
    nodePort: 32373
  selector:
    app: jetty
  type: LoadBalancer
---
apiVersion: cloud.tencent.com/v1alpha1
kind: TkeServiceConfig
metadata:
  name: jetty-service-config
  namespace: default
spec:
  loadBalancer:
    l4Listeners:
    - protocol: TCP
      port: 80
      deregisterTargetRst: true
      healthCheck:
        enable: false
    - protocol: TCP
      port: 443
      session:
        enable: true
        sessionExpireTime: 3600
      healthCheck:
        enable: true
        intervalTime: 10
        healthNum: 2
        unHealthNum: 2
        timeout: 5
      scheduler: WRR
"#;

fn assert_jetty_settings(m: &tke_clb::Mapping) {
    let clb = m.clb_of(&svc("default", "jetty-service")).unwrap();
    let l80 = clb.listener(Protocol::Tcp, 80).unwrap();
    assert_eq!(l80.settings.deregister_target_rst, Some(true));
    let hc80 = l80.settings.health_check.as_ref().unwrap();
    assert_eq!(hc80.enable, Some(false));
    assert_eq!(hc80.interval_time, None, "untouched fields stay None");
    assert_eq!(l80.settings.session, None);
    assert_eq!(l80.settings.scheduler, None);
    let l443 = clb.listener(Protocol::Tcp, 443).unwrap();
    let hc = l443.settings.health_check.as_ref().unwrap();
    assert_eq!(
        (
            hc.enable,
            hc.interval_time,
            hc.health_num,
            hc.un_health_num,
            hc.timeout
        ),
        (Some(true), Some(10), Some(2), Some(2), Some(5))
    );
    let s = l443.settings.session.as_ref().unwrap();
    assert_eq!((s.enable, s.session_expire_time), (Some(true), Some(3600)));
    assert_eq!(l443.settings.scheduler, Some(Scheduler::Wrr));
    assert_eq!(l443.settings.deregister_target_rst, None);
}

#[test]
fn t_s2_service_with_tke_service_config() {
    let nodes = standard_nodes();
    let inputs = inputs(&[T_S2, &nodes]);
    let (m, lines) = mapped(&inputs, &svc("default", "jetty-service"));
    assert_eq!(
        lines,
        [
            "TCP:80 [n1:31338@10 n2:31338@10 n3:31338@10]",
            "TCP:443 [n1:32373@10 n2:32373@10 n3:32373@10]"
        ]
    );
    assert_jetty_settings(&m);
}

#[test]
fn t_s2b_auto_config() {
    let yaml = T_S2
        .replace(
            "service.cloud.tencent.com/tke-service-config: jetty-service-config",
            "service.cloud.tencent.com/tke-service-config-auto: \"true\"",
        )
        .replace(
            "name: jetty-service-config",
            "name: jetty-service-auto-service-config",
        );
    let nodes = standard_nodes();
    let inputs = inputs(&[&yaml, &nodes]);
    let (m, _) = mapped(&inputs, &svc("default", "jetty-service"));
    assert_jetty_settings(&m);
    // Not created yet: no warning, listeners untouched.
    let only_service = yaml.split("---").next().unwrap();
    let inputs = common::inputs(&[only_service, &nodes]);
    let m = map(&inputs);
    let r = m.report(&svc("default", "jetty-service")).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(
        m.clb_of(&svc("default", "jetty-service"))
            .unwrap()
            .listeners[0]
            .settings,
        Default::default()
    );
}

#[test]
fn t_s2_config_in_other_namespace_is_not_applied() {
    let yaml = T_S2.replacen(
        "  namespace: default\nspec:\n  loadBalancer",
        "  namespace: other\nspec:\n  loadBalancer",
        1,
    );
    let nodes = standard_nodes();
    let inputs = inputs(&[&yaml, &nodes]);
    let (m, _) = mapped(&inputs, &svc("default", "jetty-service"));
    let clb = m.clb_of(&svc("default", "jetty-service")).unwrap();
    assert_eq!(
        clb.listener(Protocol::Tcp, 443)
            .unwrap()
            .settings
            .health_check,
        None
    );
    assert_error(
        &m.report(&svc("default", "jetty-service")).unwrap().warnings,
        &["TkeServiceConfig", "jetty-service-config", "not found"],
    );
}

const T_S3: &str = r#"
apiVersion: v1
kind: Service
metadata:
  annotations:
    service.kubernetes.io/tke-existed-lbid: lb-6swtxxxx
  name: nginx-service
spec:
  ports:
  - name: 80-80-no
    port: 80
    protocol: TCP
    targetPort: 80
    nodePort: 30001
  selector:
    app: nginx
  type: LoadBalancer
"#;

#[test]
fn t_s3_existing_clb() {
    let nodes = standard_nodes();
    let inputs = inputs(&[T_S3, &nodes]);
    let (m, lines) = mapped(&inputs, &svc("default", "nginx-service"));
    assert_eq!(lines, ["TCP:80 [n1:30001@10 n2:30001@10 n3:30001@10]"]);
    let clb = m.clb_of(&svc("default", "nginx-service")).unwrap();
    assert_eq!(clb.key, ClbKey::Existing("lb-6swtxxxx".into()));
    assert!(!clb.tags.contains_key(TAG_CREATED_BY));
    assert_eq!(
        clb.tags.get(TAG_CLUSTER_ID).map(String::as_str),
        Some(CLUSTER)
    );
}

fn game(name: &str, proto: &str, extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  annotations:\n    service.kubernetes.io/tke-existed-lbid: lb-6swtxxxx\n  name: {name}\nspec:\n{extra}  ports:\n  - name: 80-80-x\n    port: 80\n    protocol: {proto}\n    targetPort: 80\n    nodePort: {}\n  selector:\n    app: game\n  type: LoadBalancer\n",
        match name {
            "game-service-a" => 30010,
            "game-service-b" => 30011,
            _ => 30012,
        }
    )
}

#[test]
fn t_s4_tcp_and_udp_on_one_port_via_two_services() {
    let (a, b) = (
        game("game-service-a", "TCP", ""),
        game("game-service-b", "UDP", ""),
    );
    let nodes = standard_nodes();
    let inputs = inputs(&[&a, &b, &nodes]);
    let (m, lines) = mapped(&inputs, &svc("default", "game-service-a"));
    assert_eq!(
        lines,
        [
            "TCP:80 [n1:30010@10 n2:30010@10 n3:30010@10]",
            "UDP:80 [n1:30011@10 n2:30011@10 n3:30011@10]"
        ]
    );
    assert_eq!(
        m.clb_of(&svc("default", "game-service-b"))
            .unwrap()
            .owners
            .len(),
        2
    );
}

#[test]
fn t_s4n_port_conflict_rejects_the_later_service() {
    let (a, b, c) = (
        game("game-service-a", "TCP", ""),
        game("game-service-b", "UDP", ""),
        game("game-service-c", "TCP", ""),
    );
    let nodes = standard_nodes();
    let inputs = inputs(&[&a, &b, &c, &nodes]);
    let errors = rejected(&inputs, &svc("default", "game-service-c"));
    assert_error(
        &errors,
        &["lb-6swtxxxx", "TCP:80", "game-service-a", "game-service-c"],
    );
    // The others still map (one bad object never hides the rest).
    let m = map(&inputs);
    assert_eq!(
        m.clb_of(&svc("default", "game-service-a"))
            .unwrap()
            .listeners
            .len(),
        2
    );
}

#[test]
fn t_s4l_local_on_shared_clb_is_rejected() {
    let (a, b) = (
        game("game-service-a", "TCP", "  externalTrafficPolicy: Local\n"),
        game("game-service-b", "UDP", ""),
    );
    let nodes = standard_nodes();
    let inputs = inputs(&[&a, &b, &nodes]);
    assert_error(
        &rejected(&inputs, &svc("default", "game-service-a")),
        &["Local", "shared"],
    );
    let m = map(&inputs);
    assert!(matches!(
        m.report(&svc("default", "game-service-b")).unwrap().status,
        ObjectStatus::Mapped(_)
    ));
}

#[test]
fn t_s4_sharing_disabled_or_share_annotation_required() {
    let (a, b) = (
        game("game-service-a", "TCP", ""),
        game("game-service-b", "UDP", ""),
    );
    let nodes = standard_nodes();
    let mut o = options();
    o.sharing_enabled = false;
    let inputs = inputs_with(o, &[&a, &b, &nodes]);
    assert_error(
        &rejected(&inputs, &svc("default", "game-service-b")),
        &["sharing is not enabled"],
    );
    let mut o = options();
    o.policy.require_share_annotation = true;
    let inputs = inputs_with(o.clone(), &[&a, &b, &nodes]);
    assert_error(
        &rejected(&inputs, &svc("default", "game-service-b")),
        &["qcloud-share-existed-lb"],
    );
    let share = |s: &str| {
        s.replace(
            "lb-6swtxxxx\n",
            "lb-6swtxxxx\n    service.kubernetes.io/qcloud-share-existed-lb: \"true\"\n",
        )
    };
    let inputs = inputs_with(o, &[&share(&a), &share(&b), &nodes]);
    assert!(map(&inputs).errors().next().is_none());
}

const T_S5: &str = r#"
apiVersion: v1
kind: Service
metadata:
  annotations:
    service.kubernetes.io/qcloud-loadbalancer-backends-label: "group=access-layer"
  name: nginx-service
spec:
  ports:
  - name: 80-80-no
    port: 80
    protocol: TCP
    targetPort: 80
    nodePort: 30005
  selector:
    app: nginx
  type: LoadBalancer
"#;

fn t_s5_nodes() -> String {
    let g = [("group", "access-layer")];
    [
        node(
            "m1",
            "10.0.0.1",
            &[
                ("node-role.kubernetes.io/master", ""),
                ("group", "access-layer"),
            ],
            true,
            false,
        ),
        node("n1", "10.0.0.11", &g, true, false),
        node("n2", "10.0.0.12", &g, false, false),
        node("n3", "10.0.0.13", &[], true, false),
        node("n4", "10.0.0.14", &g, true, true),
        node(
            "n5",
            "10.0.0.15",
            &[
                ("group", "access-layer"),
                (
                    "node.kubernetes.io/exclude-from-external-load-balancers",
                    "true",
                ),
            ],
            true,
            false,
        ),
    ]
    .join("---\n")
}

#[test]
fn t_s5_backend_node_selection() {
    let nodes = t_s5_nodes();
    // Table: (policy.bind_unschedulable_nodes, selector, expected targets).
    let cases = [
        (
            true,
            "group=access-layer",
            "TCP:80 [n1:30005@10 n4:30005@10]",
        ),
        (false, "group=access-layer", "TCP:80 [n1:30005@10]"),
        (true, "group=nobody", "TCP:80 []"),
        (
            true,
            "group in (access-layer),!missing",
            "TCP:80 [n1:30005@10 n4:30005@10]",
        ),
    ];
    for (bind_unschedulable, selector, want) in cases {
        let mut o = options();
        o.policy.bind_unschedulable_nodes = bind_unschedulable;
        let yaml = T_S5.replace("group=access-layer", selector);
        let inputs = inputs_with(o, &[&yaml, &nodes]);
        let (_, lines) = mapped(&inputs, &svc("default", "nginx-service"));
        assert_eq!(
            lines,
            [want],
            "{selector} bind_unschedulable={bind_unschedulable}"
        );
    }
}

#[test]
fn t_s5_invalid_selector_is_rejected() {
    let yaml = T_S5.replace("group=access-layer", "group in access-layer");
    let inputs = inputs(&[&yaml]);
    assert_error(
        &rejected(&inputs, &svc("default", "nginx-service")),
        &["backends-label", "group in access-layer"],
    );
}

const T_S6: &str = r#"
apiVersion: v1
kind: Service
metadata:
  name: nginx-service
  annotations: {}
spec:
  externalTrafficPolicy: Local
  ports:
  - name: 80-80-no
    port: 80
    protocol: TCP
    targetPort: 80
    nodePort: 30006
  selector:
    app: nginx
  type: LoadBalancer
"#;

fn t_s6_slice() -> String {
    slice(
        "default",
        "nginx-service",
        &[("80-80-no", 80, "TCP")],
        &[
            ("nginx-a", "172.16.0.1", "n1", true, false),
            ("nginx-b", "172.16.0.2", "n1", true, false),
            ("nginx-c", "172.16.0.3", "n2", true, false),
        ],
    )
}

#[test]
fn t_s6_local_modes() {
    let nodes = standard_nodes();
    let sl = t_s6_slice();
    let only = "service.kubernetes.io/local-svc-only-bind-node-with-pod: \"true\"";
    let weighted = "service.cloud.tencent.com/local-svc-weighted-balance: \"true\"";
    let cases: [(&[&str], &str); 3] = [
        (&[], "TCP:80 [n1:30006@10 n2:30006@10 n3:30006@10]"),
        (&[only], "TCP:80 [n1:30006@10 n2:30006@10]"),
        (&[only, weighted], "TCP:80 [n1:30006@2 n2:30006@1]"),
    ];
    for (anns, want) in cases {
        let anns: String = anns.iter().map(|a| format!("\n    {a}")).collect();
        let yaml = T_S6.replace(
            "  annotations: {}",
            &format!(
                "  annotations:{}",
                if anns.is_empty() { " {}".into() } else { anns }
            ),
        );
        let inputs = inputs(&[&yaml, &nodes, &sl]);
        let (_, lines) = mapped(&inputs, &svc("default", "nginx-service"));
        assert_eq!(lines, [want]);
    }
}

#[test]
fn t_s6_weighted_without_only_bind_is_rejected() {
    let yaml = T_S6.replace(
        "  annotations: {}",
        "  annotations:\n    service.cloud.tencent.com/local-svc-weighted-balance: \"true\"",
    );
    let inputs = inputs(&[&yaml]);
    assert_error(
        &rejected(&inputs, &svc("default", "nginx-service")),
        &[
            "local-svc-weighted-balance",
            "local-svc-only-bind-node-with-pod",
        ],
    );
}

#[test]
fn t_s6_local_with_backends_label_is_rejected() {
    let yaml = T_S6.replace(
        "  annotations: {}",
        "  annotations:\n    service.kubernetes.io/qcloud-loadbalancer-backends-label: a=b",
    );
    let inputs = inputs(&[&yaml]);
    assert_error(
        &rejected(&inputs, &svc("default", "nginx-service")),
        &["backends-label", "Local"],
    );
}

fn t_s7_service(specify: &str, proto: &str, direct: bool) -> String {
    let direct = if direct {
        "\n    service.cloud.tencent.com/direct-access: \"true\""
    } else {
        ""
    };
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: example\n  annotations:\n    service.cloud.tencent.com/specify-protocol: '{specify}'{direct}\nspec:\n  ports:\n  - name: http\n    port: 80\n    targetPort: 80\n    nodePort: 30007\n    protocol: {proto}\n  selector:\n    app: example\n  type: LoadBalancer\n"
    )
}

#[test]
fn t_s7_specify_protocol_table() {
    let nodes = standard_nodes();
    let secrets = [
        secret("default", "cert-secret", "cert-1", None),
        secret("default", "cert-secret-a", "cert-a", None),
        secret("default", "cert-secret-b", "cert-b", None),
    ]
    .join("---\n");
    let pods = slice(
        "default",
        "example",
        &[("http", 80, "TCP")],
        &[("example-0", "172.16.0.10", "n1", true, false)],
    );
    let n = "[n1:30007@10 n2:30007@10 n3:30007@10]";
    // (#, annotation, declared protocol, direct, expected lines or None for rejection)
    type Case<'a> = (&'a str, &'a str, &'a str, bool, Option<Vec<String>>);
    let cases: Vec<Case<'_>> = vec![
        (
            "a",
            r#"{"80":{"protocol":["TCP_SSL"],"tls":"cert-secret"}}"#,
            "TCP",
            false,
            Some(vec![format!("TCP_SSL:80 cert=cert-secret {n}")]),
        ),
        (
            "b",
            r#"{"80":{"protocol":["HTTP"],"hosts":{"a.tencent.com":{},"b.tencent.com":{}}}}"#,
            "TCP",
            false,
            Some(vec![
                "HTTP:80".into(),
                format!("  HTTP:80 a.tencent.com / -> example:80 {n}"),
                format!("  HTTP:80 b.tencent.com / -> example:80 {n}"),
            ]),
        ),
        (
            "c",
            r#"{"80":{"protocol":["HTTPS"],"hosts":{"a.tencent.com":{"tls":"cert-secret-a"},"b.tencent.com":{"tls":"cert-secret-b"}}}}"#,
            "TCP",
            false,
            Some(vec![
                "HTTPS:80 sni".into(),
                format!("  HTTPS:80 a.tencent.com / -> example:80 {n} cert=cert-secret-a"),
                format!("  HTTPS:80 b.tencent.com / -> example:80 {n} cert=cert-secret-b"),
            ]),
        ),
        (
            "d-tcp",
            r#"{"80":{"protocol":["QUIC"],"tls":"cert-secret"}}"#,
            "TCP",
            false,
            None,
        ),
        (
            "d-udp",
            r#"{"80":{"protocol":["QUIC"],"tls":"cert-secret"}}"#,
            "UDP",
            false,
            Some(vec![format!("QUIC:80 cert=cert-secret {n}")]),
        ),
        (
            "e-nodeport",
            r#"{"80":{"protocol":["TCP","UDP"]}}"#,
            "TCP",
            false,
            None,
        ),
        (
            "e-direct",
            r#"{"80":{"protocol":["TCP","UDP"]}}"#,
            "TCP",
            true,
            Some(vec![
                "TCP:80 [example-0:80@10]".into(),
                "UDP:80 [example-0:80@10]".into(),
            ]),
        ),
        (
            "f-nodeport",
            r#"{"80":{"protocol":["TCP_SSL","UDP"],"tls":"cert-secret"}}"#,
            "TCP",
            false,
            None,
        ),
        (
            "f-direct",
            r#"{"80":{"protocol":["TCP_SSL","UDP"],"tls":"cert-secret"}}"#,
            "TCP",
            true,
            // Listeners are ordered by protocol (TCP, UDP, TCP_SSL, HTTP, HTTPS, QUIC), then port.
            Some(vec![
                "UDP:80 [example-0:80@10]".into(),
                "TCP_SSL:80 cert=cert-secret [example-0:80@10]".into(),
            ]),
        ),
        (
            "g",
            r#"{"8080":{"protocol":["UDP"]}}"#,
            "TCP",
            false,
            Some(vec![format!("TCP:80 {n}")]),
        ),
        (
            "tls-missing",
            r#"{"80":{"protocol":["TCP_SSL"]}}"#,
            "TCP",
            false,
            None,
        ),
        (
            "unknown-proto",
            r#"{"80":{"protocol":["SCTP"]}}"#,
            "TCP",
            false,
            None,
        ),
        (
            "tcp+tcp_ssl",
            r#"{"80":{"protocol":["TCP","TCP_SSL"],"tls":"cert-secret"}}"#,
            "TCP",
            true,
            None,
        ),
        ("bad-json", r#"{"80":"#, "TCP", false, None),
    ];
    for (id, ann, proto, direct, want) in cases {
        let yaml = t_s7_service(ann, proto, direct);
        let inputs = inputs(&[&yaml, &nodes, &secrets, &pods]);
        match want {
            Some(want) => {
                let (_, lines) = mapped(&inputs, &svc("default", "example"));
                assert_eq!(lines, want, "case {id}");
            }
            None => assert_error(
                &rejected(&inputs, &svc("default", "example")),
                &["specify-protocol"],
            ),
        }
    }
}

#[test]
fn t_s7_certificate_comes_from_the_secret() {
    let yaml = t_s7_service(
        r#"{"80":{"protocol":["TCP_SSL"],"tls":"cert-secret"}}"#,
        "TCP",
        false,
    );
    let sec = secret("default", "cert-secret", "cert-1", None);
    let inputs = inputs(&[&yaml, &sec]);
    let m = map(&inputs);
    let l = m
        .clb_of(&svc("default", "example"))
        .unwrap()
        .listener(Protocol::TcpSsl, 80)
        .unwrap();
    assert_eq!(l.certificate.as_ref().unwrap().cert_ids, ["cert-1"]);
    // Missing Secret: rejected, naming the Secret.
    let inputs = common::inputs(&[&yaml]);
    assert_error(
        &rejected(&inputs, &svc("default", "example")),
        &["Secret", "cert-secret", "not found"],
    );
}

const T_S8: &str = r#"
apiVersion: v1
kind: Service
metadata:
  annotations:
    service.cloud.tencent.com/direct-access: "true"
    service.cloud.tencent.com/specify-protocol: '{"80":{"protocol":["TCP"]},"8080":{"protocol":["UDP"]}}'
  name: nginx
spec:
  externalTrafficPolicy: Cluster
  ports:
  - name: tcp-80-80
    nodePort: 32150
    port: 80
    protocol: TCP
    targetPort: 80
  - name: udp-8080-8080
    nodePort: 31082
    port: 8080
    protocol: TCP
    targetPort: 8080
  selector:
    k8s-app: nginx
    qcloud-app: nginx
  sessionAffinity: None
  type: LoadBalancer
"#;

#[test]
fn t_s8_mixed_tcp_udp_direct() {
    let pods = slice(
        "default",
        "nginx",
        &[("tcp-80-80", 80, "TCP"), ("udp-8080-8080", 8080, "TCP")],
        &[
            ("nginx-1", "172.16.1.1", "n1", true, false),
            ("nginx-2", "172.16.1.2", "n2", true, false),
        ],
    );
    let nodes = standard_nodes();
    let inputs = inputs(&[T_S8, &nodes, &pods]);
    let (_, lines) = mapped(&inputs, &svc("default", "nginx"));
    assert_eq!(
        lines,
        [
            "TCP:80 [nginx-1:80@10 nginx-2:80@10]",
            "UDP:8080 [nginx-1:8080@10 nginx-2:8080@10]"
        ]
    );
    // Without direct access the UDP override crosses protocol families.
    let yaml = T_S8.replace(
        "    service.cloud.tencent.com/direct-access: \"true\"\n",
        "",
    );
    let inputs = common::inputs(&[&yaml, &nodes, &pods]);
    assert_error(
        &rejected(&inputs, &svc("default", "nginx")),
        &["specify-protocol", "8080", "UDP"],
    );
}

#[test]
fn t_s8_direct_needs_a_capable_network() {
    let mut o = options();
    o.network_mode = tke_clb::NetworkMode::GlobalRouter {
        direct_access: false,
    };
    let inputs = inputs_with(o, &[T_S8]);
    assert_error(
        &rejected(&inputs, &svc("default", "nginx")),
        &["direct-access", "GlobalRouteDirectAccess"],
    );
}

fn service_with(annotations: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: echo-server-service\n  namespace: default\n  annotations:\n{annotations}spec:\n  ports:\n  - port: 80\n    targetPort: 80\n    nodePort: 30090\n  type: LoadBalancer\n"
    )
}

#[test]
fn t_s9_cross_region() {
    let cases = [
        (
            "    service.cloud.tencent.com/cross-region-id: \"ap-chongqing\"\n    service.cloud.tencent.com/cross-vpc-id: \"vpc-mjekzyps\"\n",
            "create",
        ),
        (
            "    service.cloud.tencent.com/cross-region-id: \"ap-chongqing\"\n    service.kubernetes.io/tke-existed-lbid: \"lb-o8ugf2wb\"\n",
            "existing",
        ),
        (
            "    service.kubernetes.io/service.extensiveParameters: '{\"ZoneId\":\"ap-guangzhou-1\"}'\n",
            "zone",
        ),
    ];
    for (ann, kind) in cases {
        let inputs = inputs(&[&service_with(ann)]);
        let m = map(&inputs);
        let clb = m.clb_of(&svc("default", "echo-server-service")).unwrap();
        match (kind, &clb.source) {
            ("create", ClbSource::Create(p)) => {
                assert_eq!(p.region.as_deref(), Some("ap-chongqing"));
                assert_eq!(p.vpc_id.as_deref(), Some("vpc-mjekzyps"));
                assert_eq!(p.network, Network::Public);
            }
            ("existing", ClbSource::Existing { id, region }) => {
                assert_eq!(id, "lb-o8ugf2wb");
                assert_eq!(region.as_deref(), Some("ap-chongqing"));
            }
            ("zone", ClbSource::Create(p)) => {
                assert_eq!(p.extensive_parameters["ZoneId"], "ap-guangzhou-1")
            }
            (k, s) => panic!("{k}: {s:?}"),
        }
    }
}

#[test]
fn t_s10_creation_parameters() {
    let ct = "service.kubernetes.io/qcloud-loadbalancer-internet-charge-type";
    let bw = "service.kubernetes.io/qcloud-loadbalancer-internet-max-bandwidth-out";
    let cases = [
        (
            format!("    {ct}: 'BANDWIDTH_POSTPAID_BY_HOUR'\n    {bw}: '10'\n"),
            Some((Some(ChargeType::BandwidthPostpaidByHour), Some(10))),
        ),
        (
            format!("    {ct}: 'TRAFFIC_POSTPAID_BY_HOUR'\n    {bw}: '10'\n"),
            Some((Some(ChargeType::TrafficPostpaidByHour), Some(10))),
        ),
        (format!("    {bw}: '2048'\n"), Some((None, Some(2048)))),
        (format!("    {bw}: '0'\n"), None),
        (format!("    {bw}: '2049'\n"), None),
        (format!("    {bw}: 'ten'\n"), None),
        (format!("    {ct}: 'MONTHLY'\n"), None),
    ];
    for (ann, want) in cases {
        let inputs = inputs(&[&service_with(&ann)]);
        match want {
            Some((charge, bandwidth)) => {
                let m = map(&inputs);
                match &m
                    .clb_of(&svc("default", "echo-server-service"))
                    .unwrap()
                    .source
                {
                    ClbSource::Create(p) => assert_eq!(
                        (p.charge_type, p.bandwidth_out),
                        (charge, bandwidth),
                        "{ann}"
                    ),
                    other => panic!("{other:?}"),
                }
            }
            None => assert_error(
                &rejected(&inputs, &svc("default", "echo-server-service")),
                &["echo-server-service", "qcloud-loadbalancer-internet"],
            ),
        }
    }
    let ext = "    service.kubernetes.io/service.extensiveParameters: '{\"AddressIPVersion\":\"IPV4\",\"InternetAccessible\":{\"InternetChargeType\":\"TRAFFIC_POSTPAID_BY_HOUR\",\"InternetMaxBandwidthOut\":10}}'\n";
    let m = map(&inputs(&[&service_with(ext)]));
    match &m
        .clb_of(&svc("default", "echo-server-service"))
        .unwrap()
        .source
    {
        ClbSource::Create(p) => {
            assert_eq!(p.extensive_parameters["AddressIPVersion"], "IPV4");
            assert_eq!(
                p.extensive_parameters["InternetAccessible"]["InternetMaxBandwidthOut"],
                10
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn t_s11_security_groups_parsing() {
    let key = "service.cloud.tencent.com/security-groups";
    let cases: [(&str, Option<&[&str]>); 4] = [
        (
            "'sg-xxxxx,sg-yyyyy,sg-zzzzz'",
            Some(&["sg-xxxxx", "sg-yyyyy", "sg-zzzzz"]),
        ),
        ("'sg-xxxxx'", Some(&["sg-xxxxx"])),
        ("''", Some(&[])),
        ("'sg-1,sg-2,sg-3,sg-4,sg-5,sg-6'", None),
    ];
    for (v, want) in cases {
        let inputs = inputs(&[&service_with(&format!("    {key}: {v}\n"))]);
        match want {
            Some(w) => {
                let m = map(&inputs);
                let got = m
                    .clb_of(&svc("default", "echo-server-service"))
                    .unwrap()
                    .security_groups
                    .clone()
                    .unwrap();
                assert_eq!(got, w.iter().map(|s| s.to_string()).collect::<Vec<_>>());
            }
            None => assert_error(
                &rejected(&inputs, &svc("default", "echo-server-service")),
                &[key, "at most 5"],
            ),
        }
    }
}

#[test]
fn t_s12_custom_weights_direct() {
    let ann = r#"{"defaultWeight":10,"groups":[{"key":{"proto":"TCP","port":80},"statefulSets":[{"name":"ti-ai-gateway-gz-shared-st-v1","weights":[{"weight":0,"podIndexes":[0]}]},{"name":"ti-ai-gateway-gz-shared-st-v2","weights":[{"weight":10,"podIndexes":[0]}]}]}]}"#;
    let yaml = format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: gw\n  annotations:\n    service.cloud.tencent.com/direct-access: \"true\"\n    service.cloud.tencent.com/lb-rs-weight: '{ann}'\nspec:\n  ports:\n  - {{name: p, port: 80, targetPort: 8080, protocol: TCP}}\n  type: LoadBalancer\n"
    );
    let pods = slice(
        "default",
        "gw",
        &[("p", 8080, "TCP")],
        &[
            (
                "ti-ai-gateway-gz-shared-st-v1-0",
                "172.16.2.1",
                "n1",
                true,
                false,
            ),
            (
                "ti-ai-gateway-gz-shared-st-v1-1",
                "172.16.2.2",
                "n1",
                true,
                false,
            ),
            (
                "ti-ai-gateway-gz-shared-st-v2-0",
                "172.16.2.3",
                "n2",
                true,
                false,
            ),
            ("other-deploy-abc12", "172.16.2.4", "n2", true, false),
        ],
    );
    let inputs = inputs(&[&yaml, &pods]);
    let (_, lines) = mapped(&inputs, &svc("default", "gw"));
    assert_eq!(
        lines,
        [
            "TCP:80 [other-deploy-abc12:8080@10 ti-ai-gateway-gz-shared-st-v1-0:8080@0 ti-ai-gateway-gz-shared-st-v1-1:8080@10 ti-ai-gateway-gz-shared-st-v2-0:8080@10]"
        ]
    );
    let bad = yaml.replace("\"defaultWeight\":10", "\"defaultWeight\":101");
    assert_error(
        &rejected(&common::inputs(&[&bad]), &svc("default", "gw")),
        &["lb-rs-weight", "defaultWeight 101"],
    );
}

#[test]
fn t_s13_graceful_shutdown_direct() {
    let yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: my-service\n  annotations:\n    service.cloud.tencent.com/direct-access: \"true\"\n    service.cloud.tencent.com/enable-grace-shutdown: \"true\"\nspec:\n  selector:\n    app: MyApp\n  ports:\n  - {name: web, port: 80, targetPort: 80}\n  type: LoadBalancer\n";
    let pods = slice(
        "default",
        "my-service",
        &[("web", 80, "TCP")],
        &[
            ("p1", "172.16.3.1", "n1", true, false),
            ("p2", "172.16.3.2", "n1", false, true),
            ("p3", "172.16.3.3", "n2", false, false),
        ],
    );
    let inputs = inputs(&[yaml, &pods]);
    let (_, lines) = mapped(&inputs, &svc("default", "my-service"));
    assert_eq!(lines, ["TCP:80 [p1:80@10 p2:80@0 p3:80@0]"]);
    // Before v2.2.0 the behaviour needs the annotations: without them not-ready/terminating pods are unbound.
    let mut o = options();
    o.service_controller_version = tke_clb::ControllerVersion::parse("v2.1.0");
    let plain = yaml.replace(
        "    service.cloud.tencent.com/enable-grace-shutdown: \"true\"\n",
        "",
    );
    let inputs = inputs_with(o, &[&plain, &pods]);
    let (_, lines) = mapped(&inputs, &svc("default", "my-service"));
    assert_eq!(lines, ["TCP:80 [p1:80@10]"]);
    // enable-grace-deletion: kubelet waits until the CLB shows weight 0.
    assert!(!may_kubelet_delete(true, &[10]));
    assert!(may_kubelet_delete(true, &[0, 0]));
    assert!(may_kubelet_delete(false, &[10]));
}

const T_S14: &str = r#"
apiVersion: v1
kind: Service
metadata:
  annotations:
    service.cloud.tencent.com/hybrid-type: CCN
    service.cloud.tencent.com/snat-pro-info: '{"snatIps": [{"subnetId":"xxxxxxxx"}]}'
  name: nginx-svc
spec:
  ports:
  - port: 80
    targetPort: 80
    nodePort: 30014
  selector:
    k8s-app: nginx
  sessionAffinity: None
  externalTrafficPolicy: Local
  type: LoadBalancer
"#;

#[test]
fn t_s14_registered_idc_nodes() {
    let reg = ("node.tke.cloud.tencent.com/registered", "true");
    let nodes = [
        node("n1", "10.0.0.11", &[], true, false),
        node("idc1", "192.168.10.1", &[reg], true, false),
    ]
    .join("---\n");
    let inputs = inputs(&[T_S14, &nodes]);
    let (m, lines) = mapped(&inputs, &svc("default", "nginx-svc"));
    assert_eq!(lines, ["TCP:80 [idc1:30014@10 n1:30014@10]"]);
    let clb = m.clb_of(&svc("default", "nginx-svc")).unwrap();
    assert_eq!(clb.snat_ips.len(), 1);
    assert_eq!(clb.snat_ips[0].subnet_id, "xxxxxxxx");
    assert_eq!(clb.snat_ips[0].ip, None);
    let plain = T_S14.replace("    service.cloud.tencent.com/hybrid-type: CCN\n", "").replace(
        "    service.cloud.tencent.com/snat-pro-info: '{\"snatIps\": [{\"subnetId\":\"xxxxxxxx\"}]}'\n",
        "    {}\n",
    );
    let plain = plain.replace("  annotations:\n    {}\n", "");
    let inputs = common::inputs(&[&plain, &nodes]);
    let (_, lines) = mapped(&inputs, &svc("default", "nginx-svc"));
    assert_eq!(lines, ["TCP:80 [n1:30014@10]"]);
    let eleven: Vec<String> = (0..11)
        .map(|i| format!("{{\"subnetId\":\"subnet-{i}\"}}"))
        .collect();
    let too_many = T_S14.replace(
        r#"[{"subnetId":"xxxxxxxx"}]"#,
        &format!("[{}]", eleven.join(",")),
    );
    assert_error(
        &rejected(&common::inputs(&[&too_many]), &svc("default", "nginx-svc")),
        &["snat-pro-info", "at most 10"],
    );
}

#[test]
fn t_s15_negative_annotation_combinations() {
    let base = "    service.cloud.tencent.com/tke-service-config: a\n    service.cloud.tencent.com/tke-service-config-auto: \"true\"\n";
    assert_error(
        &rejected(
            &inputs(&[&service_with(base)]),
            &svc("default", "echo-server-service"),
        ),
        &["mutually exclusive"],
    );
    let reserved = "    service.cloud.tencent.com/tke-service-config: my-auto-service-config\n";
    assert_error(
        &rejected(
            &inputs(&[&service_with(reserved)]),
            &svc("default", "echo-server-service"),
        ),
        &["my-auto-service-config", "reserved"],
    );
    let boolean = "    service.cloud.tencent.com/direct-access: \"yes\"\n";
    assert_error(
        &rejected(
            &inputs(&[&service_with(boolean)]),
            &svc("default", "echo-server-service"),
        ),
        &["direct-access", "\"yes\""],
    );

    // TkeServiceConfig fragments.
    let cfg = |fragment: &str| {
        format!(
            "apiVersion: cloud.tencent.com/v1alpha1\nkind: TkeServiceConfig\nmetadata: {{name: c, namespace: default}}\nspec:\n  loadBalancer:\n    l4Listeners:\n{fragment}"
        )
    };
    let with_cfg = service_with("    service.cloud.tencent.com/tke-service-config: c\n");
    let cases = [
        (
            "    - {protocol: TCP, port: 80, healthCheck: {enable: true, intervalTime: 5, timeout: 5}}\n",
            "timeout",
        ),
        (
            "    - {protocol: UDP, port: 53, healthCheck: {enable: true, checkType: TCP}}\n",
            "CUSTOM",
        ),
        (
            "    - {protocol: TCP, port: 80, session: {enable: true, sessionExpireTime: 10}}\n",
            "sessionExpireTime",
        ),
        ("    - {protocol: HTTP, port: 80}\n", "protocol"),
        (
            "    - {protocol: TCP, port: 80, healthCheck: {enable: true, checkType: HTTP}}\n",
            "httpVersion",
        ),
        (
            "    - {protocol: TCP, port: 80, scheduler: IP_HASH}\n",
            "scheduler",
        ),
        (
            "    - {protocol: TCP, port: 80, healthCheck: {enable: true, sourceIpType: 0}}\n",
            "domain-based",
        ),
    ];
    for (fragment, what) in cases {
        let inputs = inputs(&[&with_cfg, &cfg(fragment)]);
        assert_error(
            &rejected(&inputs, &svc("default", "echo-server-service")),
            &["TkeServiceConfig default/c", what],
        );
    }
}

#[test]
fn t_s15_lifecycle_restrictions() {
    let parse = |yaml: &str| -> k8s_openapi::api::core::v1::Service {
        match tke_clb::parse_manifest(yaml).remove(0).unwrap() {
            tke_clb::Object::Service(s) => *s,
            _ => unreachable!(),
        }
    };
    let public = parse(&service_with("    {}\n").replace("  annotations:\n    {}\n", ""));
    let internal_a = parse(&service_with(
        "    service.kubernetes.io/qcloud-loadbalancer-internal-subnetid: subnet-a\n",
    ));
    let internal_b = parse(&service_with(
        "    service.kubernetes.io/qcloud-loadbalancer-internal-subnetid: subnet-b\n",
    ));
    let existing_a = parse(&service_with(
        "    service.kubernetes.io/tke-existed-lbid: lb-a\n",
    ));
    let existing_b = parse(&service_with(
        "    service.kubernetes.io/tke-existed-lbid: lb-b\n",
    ));
    let zone = parse(&service_with(
        "    service.kubernetes.io/service.extensiveParameters: '{\"ZoneId\":\"ap-guangzhou-1\"}'\n",
    ));
    let mut cluster_ip = public.clone();
    cluster_ip.spec.as_mut().unwrap().type_ = Some("ClusterIP".into());
    let o = options();
    let cases = [
        (&internal_a, &internal_b, Some("subnet")),
        (&public, &internal_a, Some("public and internal")),
        (&internal_a, &public, Some("public and internal")),
        (&public, &existing_a, Some("auto-created and an existing")),
        (&existing_a, &existing_b, Some("another existing")),
        (&public, &zone, Some("zone")),
        (&public, &cluster_ip, None),
        (&cluster_ip, &internal_a, None),
        (&internal_a, &internal_a, None),
    ];
    for (old, new, want) in cases {
        let r = check_lifecycle_change(old, new, &o);
        match want {
            Some(frag) => assert!(
                r.as_ref().is_err_and(|e| e.to_string().contains(frag)),
                "{frag}: {r:?}"
            ),
            None => assert!(r.is_ok(), "{r:?}"),
        }
    }
    let mut lenient = options();
    lenient.policy.forbid_auto_existing_switch = false;
    assert!(check_lifecycle_change(&public, &existing_a, &lenient).is_ok());
}

#[test]
fn non_load_balancer_services_get_no_clb() {
    for ty in ["ClusterIP", "NodePort", "ExternalName"] {
        let yaml = T_S1.replace("type: LoadBalancer", &format!("type: {ty}"));
        let m = map(&inputs(&[&yaml]));
        assert_eq!(
            m.report(&svc("default", "my-service")).unwrap().status,
            ObjectStatus::NoLoadBalancer
        );
        assert!(m.clbs.is_empty());
    }
}

#[test]
fn copied_service_with_the_same_client_token_is_rejected() {
    let a = service_with("    service.cloud.tencent.com/client-token: tok-1\n");
    let b = a.replace("name: echo-server-service", "name: echo-copy");
    let m = map(&inputs(&[&a, &b]));
    assert!(matches!(
        m.report(&svc("default", "echo-server-service"))
            .unwrap()
            .status,
        ObjectStatus::Mapped(_)
    ));
    assert_error(
        &rejected(&inputs(&[&a, &b]), &svc("default", "echo-copy")),
        &["client-token", "tok-1", "echo-server-service"],
    );
}
