//! Fixtures and a compact, readable rendering of desired CLBs for table-driven tests.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::collections::BTreeMap;
use tke_clb::{
    ClbError, ClusterOptions, DesiredClb, Inputs, Listener, Mapping, ObjectRef, ObjectStatus,
    RuleAction, Target, map,
};

pub const CLUSTER: &str = "cls-test";

pub fn options() -> ClusterOptions {
    ClusterOptions::new(CLUSTER, "vpc-test")
}

/// A node: `labels` as `k=v` pairs, `ready`, `unschedulable`.
pub fn node(
    name: &str,
    ip: &str,
    labels: &[(&str, &str)],
    ready: bool,
    unschedulable: bool,
) -> String {
    let labels: String = labels
        .iter()
        .map(|(k, v)| format!("\n    {k}: \"{v}\""))
        .collect();
    let labels = if labels.is_empty() {
        " {}".to_owned()
    } else {
        labels
    };
    format!(
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n  labels:{labels}\nspec:\n  unschedulable: {unschedulable}\nstatus:\n  addresses: [{{type: InternalIP, address: {ip}}}]\n  conditions: [{{type: Ready, status: \"{}\"}}]\n",
        if ready { "True" } else { "False" }
    )
}

/// Standard nodes: master m1 (10.0.0.1), Ready workers n1..n3 (10.0.0.11..13).
pub fn standard_nodes() -> String {
    [
        node(
            "m1",
            "10.0.0.1",
            &[("node-role.kubernetes.io/master", "")],
            true,
            false,
        ),
        node("n1", "10.0.0.11", &[], true, false),
        node("n2", "10.0.0.12", &[], true, false),
        node("n3", "10.0.0.13", &[], true, false),
    ]
    .join("---\n")
}

/// An endpoint: (pod name, pod IP, node, ready, terminating).
pub type Ep<'a> = (&'a str, &'a str, &'a str, bool, bool);

/// An EndpointSlice for a Service; `ports` = (name, port, protocol).
pub fn slice(ns: &str, svc: &str, ports: &[(&str, u16, &str)], eps: &[Ep<'_>]) -> String {
    let ports: String = ports
        .iter()
        .map(|(n, p, pr)| format!("\n- {{name: \"{n}\", port: {p}, protocol: {pr}}}"))
        .collect();
    let eps: String = eps
        .iter()
        .map(|(pod, ip, node, ready, term)| {
            format!("\n- addresses: [\"{ip}\"]\n  nodeName: {node}\n  targetRef: {{kind: Pod, name: {pod}, namespace: {ns}}}\n  conditions: {{ready: {ready}, terminating: {term}}}")
        })
        .collect();
    format!(
        "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\naddressType: IPv4\nmetadata:\n  name: {svc}-abc\n  namespace: {ns}\n  labels:\n    kubernetes.io/service-name: {svc}\nports:{ports}\nendpoints:{eps}\n"
    )
}

/// An Opaque Secret with certificate IDs (via stringData).
pub fn secret(ns: &str, name: &str, cert: &str, ca: Option<&str>) -> String {
    let ca = ca
        .map(|c| format!("\n  qcloud_ca_cert_id: {c}"))
        .unwrap_or_default();
    format!(
        "apiVersion: v1\nkind: Secret\ntype: Opaque\nmetadata:\n  name: {name}\n  namespace: {ns}\nstringData:\n  qcloud_cert_id: \"{cert}\"{ca}\n"
    )
}

/// Inputs from YAML documents (panics on manifest errors: fixtures must be valid).
pub fn inputs_with(options: ClusterOptions, docs: &[&str]) -> Inputs {
    let mut inputs = Inputs::new(options);
    for d in docs {
        let errors = inputs.add_manifest(d);
        assert!(errors.is_empty(), "fixture error: {errors:?}");
    }
    inputs
}

pub fn inputs(docs: &[&str]) -> Inputs {
    inputs_with(options(), docs)
}

/// Names for IPs (nodes and endpoint pods) so expectations read `n1:31338@10`.
pub fn names(inputs: &Inputs) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    for n in &inputs.nodes {
        for a in n
            .status
            .as_ref()
            .and_then(|s| s.addresses.as_ref())
            .into_iter()
            .flatten()
        {
            m.insert(
                a.address.clone(),
                n.metadata.name.clone().unwrap_or_default(),
            );
        }
    }
    for s in &inputs.endpoint_slices {
        for e in s.endpoints.iter().flatten() {
            if let (Some(ip), Some(pod)) = (
                e.addresses.first(),
                e.target_ref.as_ref().and_then(|r| r.name.clone()),
            ) {
                m.insert(ip.clone(), pod);
            }
        }
    }
    m
}

pub fn render_targets(ts: &[Target], names: &BTreeMap<String, String>) -> String {
    let mut v: Vec<String> = ts
        .iter()
        .map(|t| {
            format!(
                "{}:{}@{}",
                names
                    .get(&t.ip.to_string())
                    .cloned()
                    .unwrap_or_else(|| t.ip.to_string()),
                t.port,
                t.weight
            )
        })
        .collect();
    v.sort();
    format!("[{}]", v.join(" "))
}

/// One line per listener and per rule:
/// `TCP:80 [n1:30080@10 ...]`, `HTTPS:443 cert=s sni`, `  HTTPS:443 host /path -> svc:80 [..] cert=s`,
/// `  HTTP:80 host /a => 443 host /b` (redirect).
pub fn render_listener(l: &Listener, names: &BTreeMap<String, String>) -> Vec<String> {
    let mut head = l.key.to_string();
    if let Some(c) = &l.certificate {
        head.push_str(&format!(" cert={}", c.secret));
    }
    if l.sni {
        head.push_str(" sni");
    }
    if !l.key.protocol.is_layer7() {
        head.push(' ');
        head.push_str(&render_targets(&l.targets, names));
    }
    let mut out = vec![head];
    for r in &l.rules {
        let mut line = format!("  {} {} {}", l.key, r.key.domain, r.key.url);
        match &r.action {
            RuleAction::Forward { backend, targets } => line.push_str(&format!(
                " -> {}:{} {}",
                backend.service,
                backend.port,
                render_targets(targets, names)
            )),
            RuleAction::Redirect { to_port, to } => {
                line.push_str(&format!(" => {to_port} {} {}", to.domain, to.url))
            }
        }
        if let Some(c) = &r.certificate {
            line.push_str(&format!(" cert={}", c.secret));
        }
        out.push(line);
    }
    out
}

pub fn render(clb: &DesiredClb, names: &BTreeMap<String, String>) -> Vec<String> {
    clb.listeners
        .iter()
        .flat_map(|l| render_listener(l, names))
        .collect()
}

/// Map and render the CLB of `object`; panics with the report when it was not mapped.
pub fn mapped(inputs: &Inputs, object: &ObjectRef) -> (Mapping, Vec<String>) {
    let m = map(inputs);
    let names = names(inputs);
    let clb = m
        .clb_of(object)
        .unwrap_or_else(|| panic!("{object} not mapped: {:#?}", m.report(object)));
    let lines = render(clb, &names);
    (m, lines)
}

/// Errors of a rejected object (panics if it was mapped).
pub fn rejected(inputs: &Inputs, object: &ObjectRef) -> Vec<ClbError> {
    let m = map(inputs);
    let r = m
        .report(object)
        .unwrap_or_else(|| panic!("no report for {object}"));
    assert_eq!(
        r.status,
        ObjectStatus::Rejected,
        "{object} should be rejected: {r:#?}"
    );
    assert!(!r.errors.is_empty());
    r.errors.clone()
}

pub fn svc(ns: &str, name: &str) -> ObjectRef {
    ObjectRef::service(ns, name)
}

pub fn ing(ns: &str, name: &str) -> ObjectRef {
    ObjectRef::ingress(ns, name)
}

/// Assert some error's message contains every fragment.
pub fn assert_error(errors: &[ClbError], fragments: &[&str]) {
    let msgs: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(
        msgs.iter().any(|m| fragments.iter().all(|f| m.contains(f))),
        "no error contains {fragments:?}; errors: {msgs:#?}"
    );
}
