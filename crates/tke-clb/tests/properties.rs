//! Property tests: mapping never panics on arbitrary annotation values and names the object in
//! every error; plans converge (apply, then replan is empty) and never touch unowned listeners.
#![allow(clippy::unwrap_used)] // tests may unwrap (helpers outside #[test] fns too)

mod common;

use common::*;
use proptest::prelude::*;
use tke_clb::annotations::{ingress as ik, service as sk};
use tke_clb::state::{ClbState, ListenerState};
use tke_clb::{Inputs, ListenerKey, ObjectStatus, Protocol, Simulator, Target, map, plan_all};

const SERVICE_KEYS: &[&str] = &[
    sk::EXISTED_LBID,
    sk::SHARE_EXISTED_LB,
    sk::INTERNAL_SUBNET,
    sk::CHARGE_TYPE,
    sk::BANDWIDTH_OUT,
    sk::EXTENSIVE_PARAMETERS,
    sk::LISTENER_PARAMETERS,
    sk::PASS_TO_TARGET,
    sk::SECURITY_GROUPS,
    sk::MODIFICATION_PROTECTION,
    sk::TKE_SERVICE_CONFIG,
    sk::TKE_SERVICE_CONFIG_AUTO,
    sk::SPECIFY_PROTOCOL,
    sk::PREVENT_LOOPBACK,
    sk::DIRECT_ACCESS,
    sk::BACKENDS_LABEL,
    sk::LOCAL_ONLY_BIND_WITH_POD,
    sk::LOCAL_WEIGHTED_BALANCE,
    sk::LB_RS_WEIGHT,
    sk::READINESS_GATE_SKIP,
    sk::GRACE_SHUTDOWN,
    sk::GRACE_SHUTDOWN_TKEX,
    sk::GRACE_DELETION,
    sk::CROSS_REGION_ID,
    sk::CROSS_VPC_ID,
    sk::CLIENT_TOKEN,
    sk::HYBRID_TYPE,
    sk::SNAT_PRO_INFO,
    sk::DISCARD_LOADBALANCER_IP,
    sk::LOADBALANCE_ID,
];

const INGRESS_KEYS: &[&str] = &[
    ik::CLASS,
    ik::EXIST_LB_ID,
    ik::SUBNET_ID,
    ik::CHARGE_TYPE,
    ik::BANDWIDTH_OUT,
    ik::EXTENSIVE_PARAMETERS,
    ik::PASS_TO_TARGET,
    ik::SECURITY_GROUPS,
    ik::MODIFICATION_PROTECTION,
    ik::LISTEN_PORTS,
    ik::TKE_SERVICE_CONFIG,
    ik::TKE_SERVICE_CONFIG_AUTO,
    ik::REWRITE_SUPPORT,
    ik::AUTO_REWRITE,
    ik::RULE_MIX,
    ik::HTTP_RULES,
    ik::HTTPS_RULES,
    ik::DIRECT_ACCESS,
    ik::GRACE_SHUTDOWN,
    ik::GRACE_SHUTDOWN_TKEX,
    ik::GRACE_DELETION,
    ik::LB_RS_WEIGHT,
    ik::CROSS_REGION_ID,
    ik::CROSS_VPC_ID,
    ik::HYBRID_TYPE,
    ik::SNAT_PRO_INFO,
    ik::LOADBALANCE_ID,
];

/// Values that exercise the parsers: free text, numbers, booleans, JSON fragments of each schema.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,40}",
        Just("true".to_owned()),
        Just("false".to_owned()),
        Just("null".to_owned()),
        Just("".to_owned()),
        (-5i64..5000).prop_map(|n| n.to_string()),
        Just(r#"{"80":{"protocol":["TCP_SSL","UDP","HTTP","HTTPS","QUIC"],"tls":"s","hosts":{"a":{"tls":"s"}}}}"#.to_owned()),
        Just(r#"{"defaultWeight":-1,"groups":[{"key":{"proto":"X","port":99999},"statefulSets":[{"name":"a","weights":[{"weight":500,"podIndexes":[-1]}]}]}]}"#.to_owned()),
        Just(r#"[{"HTTP": 80}, {"HTTPS": 80}, {"FTP": 21}]"#.to_owned()),
        Just(r#"[{"path":"/x","rewrite":{"port":"abc","path":"/y"}},{"host":"","backend":{"serviceName":"s","servicePort":80}}]"#.to_owned()),
        Just(r#"{"snatIps":[{"subnetId":""},{"subnetId":"s","ip":"1"}]}"#.to_owned()),
        Just("sg-1,sg-2,,sg-3, x".to_owned()),
        Just("a in (b,c),!d,e!=f".to_owned()),
        Just(r#"{"80":"#.to_owned()),
    ]
}

fn yaml_quote(s: &str) -> String {
    serde_json::to_string(s).unwrap() // JSON strings are valid YAML double-quoted scalars
}

fn annotated(keys: &'static [&'static str]) -> impl Strategy<Value = Vec<(&'static str, String)>> {
    prop::collection::vec((prop::sample::select(keys), value()), 0..8)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn mapping_never_panics_and_errors_name_the_object(
        svc_anns in annotated(SERVICE_KEYS),
        ing_anns in annotated(INGRESS_KEYS),
        port in 0i32..70000,
        proto in prop::sample::select(vec!["TCP", "UDP", "SCTP", "tcp"]),
        policy in prop::sample::select(vec!["Cluster", "Local"]),
    ) {
        let anns = |a: &[(&str, String)]| -> String {
            a.iter().map(|(k, v)| format!("\n    {k}: {}", yaml_quote(v))).collect()
        };
        let s = format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: fuzz\n  annotations: {{}}{}\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: {policy}\n  ports:\n  - {{name: p, port: {port}, protocol: {proto}, nodePort: 30000}}\n",
            anns(&svc_anns)
        ).replace("  annotations: {}\n    ", "  annotations:\n    ");
        let i = format!(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: fuzz\n  annotations: {{}}{}\nspec:\n  tls: [{{secretName: s}}]\n  rules:\n  - host: a.com\n    http:\n      paths:\n      - {{path: /, pathType: Prefix, backend: {{service: {{name: fuzz, port: {{number: {port}}}}}}}}}\n",
            anns(&ing_anns)
        ).replace("  annotations: {}\n    ", "  annotations:\n    ");
        let nodes = standard_nodes();
        let mut inputs = Inputs::new(options());
        // Duplicate keys in the generated YAML are a manifest error, not a panic.
        let errs = inputs.add_manifest(&format!("{s}---\n{i}---\n{nodes}"));
        prop_assume!(errs.is_empty());
        let m = map(&inputs);
        prop_assert_eq!(m.reports.len(), 2);
        for r in &m.reports {
            match &r.status {
                ObjectStatus::Rejected => prop_assert!(!r.errors.is_empty()),
                ObjectStatus::Mapped(k) => prop_assert!(m.clb(k).is_some()),
                _ => {}
            }
            for e in &r.errors {
                let msg = e.to_string();
                prop_assert!(msg.contains("fuzz"), "error does not name the object: {}", msg);
            }
        }
    }
}

/// (clb choice 0=create 1=lb-a 2=lb-b, ports as (port, udp), Local policy).
type ServiceSpec = (u8, Vec<(u16, bool)>, bool);

/// A random world: Services on created or existing CLBs with random ports, nodes with random
/// readiness, an Ingress with random rules.
#[derive(Debug, Clone)]
struct World {
    ready: Vec<bool>,
    services: Vec<ServiceSpec>,
    ingress_paths: Vec<(u8, u8)>, // (host index, path index)
    ingress_tls: bool,
}

fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(any::<bool>(), 1..5),
        prop::collection::vec(
            (
                0u8..3,
                prop::collection::vec(
                    (
                        prop::sample::select(vec![80u16, 443, 8080, 53]),
                        any::<bool>(),
                    ),
                    1..3,
                ),
                prop::bool::weighted(0.1),
            ),
            0..6,
        ),
        prop::collection::vec((0u8..3, 0u8..3), 0..5),
        any::<bool>(),
    )
        .prop_map(|(ready, services, ingress_paths, ingress_tls)| World {
            ready,
            services,
            ingress_paths,
            ingress_tls,
        })
}

fn docs(w: &World) -> Vec<String> {
    let mut d = Vec::new();
    for (i, r) in w.ready.iter().enumerate() {
        d.push(node(
            &format!("n{i}"),
            &format!("10.0.1.{}", i + 1),
            &[],
            *r,
            false,
        ));
    }
    for (i, (clb, ports, local)) in w.services.iter().enumerate() {
        let ann = match clb {
            1 => "\n    service.kubernetes.io/tke-existed-lbid: lb-a",
            2 => "\n    service.kubernetes.io/tke-existed-lbid: lb-b",
            _ => " {}",
        };
        let mut seen = std::collections::HashSet::new();
        let ports: String = ports
            .iter()
            .filter(|p| seen.insert(p.0))
            .enumerate()
            .map(|(j, (port, udp))| {
                format!(
                    "\n  - {{name: p{j}, port: {port}, protocol: {}, nodePort: {}}}",
                    if *udp { "UDP" } else { "TCP" },
                    30000 + i * 10 + j
                )
            })
            .collect();
        let policy = if *local { "Local" } else { "Cluster" };
        d.push(format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}\n  annotations:{ann}\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: {policy}\n  ports:{ports}\n"));
    }
    if !w.ingress_paths.is_empty() {
        let rules: String = w
            .ingress_paths
            .iter()
            .map(|(h, p)| format!("\n  - host: h{h}.com\n    http:\n      paths:\n      - {{path: /p{p}, pathType: ImplementationSpecific, backend: {{service: {{name: web, port: {{number: 80}}}}}}}}"))
            .collect();
        let tls = if w.ingress_tls {
            "\n  tls: [{secretName: cert}]"
        } else {
            ""
        };
        d.push(format!("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ing\nspec:{tls}\n  rules:{rules}\n"));
        d.push("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: NodePort, ports: [{port: 80, nodePort: 31000}]}\n".to_owned());
        d.push(secret("default", "cert", "cert-1", None));
    }
    d
}

fn inputs_of(w: &World) -> Inputs {
    let docs = docs(w);
    let refs: Vec<&str> = docs.iter().map(String::as_str).collect();
    inputs(&refs)
}

/// Existing user CLBs with listeners the cluster does not own.
fn user_clbs() -> Vec<ClbState> {
    let l = |proto, port, name: &str| ListenerState {
        id: format!("lbl-{name}"),
        name: name.to_owned(),
        key: ListenerKey {
            protocol: proto,
            port,
        },
        certificate: None,
        sni: false,
        settings: Default::default(),
        targets: vec![Target {
            ip: "10.8.8.8".parse().unwrap(),
            port: 9000,
            weight: 5,
        }],
        rules: vec![],
    };
    let mut a = ClbState {
        id: "lb-a".into(),
        name: "a".into(),
        vips: vec!["1.1.1.1".into()],
        ..ClbState::default()
    };
    a.listeners.push(l(Protocol::Tcp, 8080, "user-8080"));
    let mut b = ClbState {
        id: "lb-b".into(),
        name: "b".into(),
        vips: vec!["2.2.2.2".into()],
        ..ClbState::default()
    };
    b.listeners.push(l(Protocol::Udp, 53, "user-53"));
    b.listeners.push(l(
        Protocol::Tcp,
        9999,
        "tke_other-cluster_svc_default_x_TCP_9999",
    ));
    vec![a, b]
}

fn unowned(states: &[ClbState]) -> Vec<ListenerState> {
    let mut v: Vec<ListenerState> = states
        .iter()
        .flat_map(|s| s.listeners.iter())
        .filter(|l| !l.name.starts_with(&format!("tke_{CLUSTER}_")))
        .cloned()
        .collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn plans_converge_and_never_touch_unowned_listeners(a in world(), b in world()) {
        let mut sim = Simulator::new();
        for c in user_clbs() {
            sim.insert(c);
        }
        let before = unowned(&sim.states());
        for w in [&a, &b] {
            let inputs = inputs_of(w);
            let m = map(&inputs);
            let plans = plan_all(&m, &sim.states(), &inputs.options);
            for p in &plans {
                sim.apply(p).map_err(|e| TestCaseError::fail(format!("{e}\n{p:#?}")))?;
                // Within one plan nothing is removed before everything is added.
                let first_removal = p.calls.iter().position(|c| c.is_removal()).unwrap_or(p.calls.len());
                let last_register = p.calls.iter().rposition(|c| c.name() == "RegisterTargets").unwrap_or(0);
                let early = p.calls.iter().take(last_register).filter(|c| c.is_removal()).all(|c| c.name() == "DeleteListener");
                prop_assert!(first_removal >= last_register || early, "removal before registration: {:?}", p.calls.iter().map(|c| c.name()).collect::<Vec<_>>());
            }
            let again = plan_all(&m, &sim.states(), &inputs.options);
            for p in &again {
                prop_assert!(p.calls.is_empty(), "replan not empty: {:#?}", p);
            }
            prop_assert_eq!(&unowned(&sim.states()), &before, "an unowned listener changed");
        }
    }
}
