//! Spec §8.2 worked examples T-I1 … T-I13 (Ingresses), table-driven.

#![allow(clippy::unwrap_used)] // tests may unwrap (helpers outside #[test] fns too)

mod common;

use common::*;
use tke_clb::{
    ClbKey, ClbSource, ForwardType, Network, ObjectStatus, Protocol, Scheduler, TAG_INGRESS_UUID,
    map,
};

fn backend_service(name: &str, port: u16, node_port: u16) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: default}}\nspec:\n  type: NodePort\n  selector: {{app: {name}}}\n  ports:\n  - {{name: http, port: {port}, targetPort: {port}, nodePort: {node_port}}}\n"
    )
}

/// An Ingress with `annotations` (indented lines) and `spec` (YAML under `spec:`).
fn ingress(name: &str, annotations: &str, spec: &str) -> String {
    let annotations = if annotations.is_empty() {
        " {}\n".to_owned()
    } else {
        format!("\n{annotations}")
    };
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {name}\n  namespace: default\n  uid: uid-{name}\n  annotations:{annotations}spec:\n{spec}"
    )
}

/// `spec.rules` with one path per (host, path, service, port).
fn rules(paths: &[(&str, &str, &str, u16)]) -> String {
    let mut s = "  rules:\n".to_owned();
    for (host, path, svc, port) in paths {
        if host.is_empty() {
            s.push_str("  - http:\n");
        } else {
            s.push_str(&format!("  - host: \"{host}\"\n    http:\n"));
        }
        s.push_str(&format!(
            "      paths:\n      - backend:\n          service:\n            name: {svc}\n            port:\n              number: {port}\n        path: {path}\n        pathType: ImplementationSpecific\n"
        ));
    }
    s
}

const N: &str = "[n1:30080@10 n2:30080@10 n3:30080@10]";

#[test]
fn t_i1_basic_ingress() {
    let ing = ingress(
        "my-ingress",
        "    kubernetes.io/ingress.class: qcloud\n",
        &rules(&[("localhost", "/", "non-service", 65535)]),
    );
    let nodes = standard_nodes();
    let inputs = inputs(&[&ing, &nodes]);
    let (m, lines) = mapped(&inputs, &ing_ref("my-ingress"));
    assert_eq!(
        lines,
        ["HTTP:80", "  HTTP:80 localhost / -> non-service:65535 []"]
    );
    let r = m.report(&ing_ref("my-ingress")).unwrap();
    assert_error(&r.warnings, &["Service", "non-service", "not found"]);
    let clb = m.clb_of(&ing_ref("my-ingress")).unwrap();
    assert!(matches!(&clb.source, ClbSource::Create(p) if p.network == Network::Public));
    assert_eq!(
        clb.tags.get(TAG_INGRESS_UUID).map(String::as_str),
        Some("uid-my-ingress")
    );
}

fn ing_ref(name: &str) -> tke_clb::ObjectRef {
    ing("default", name)
}

#[test]
fn t_i1_ingress_class_selection() {
    let spec = rules(&[("a.com", "/", "web", 80)]);
    let cases = [
        ("", "", true),
        ("    kubernetes.io/ingress.class: qcloud\n", "", true),
        ("    kubernetes.io/ingress.class: nginx\n", "", false),
        ("", "  ingressClassName: traefik\n", false),
        ("", "  ingressClassName: qcloud\n", true),
    ];
    for (ann, class_field, managed) in cases {
        let ing = ingress("x", ann, &format!("{class_field}{spec}"));
        let m = map(&inputs(&[&ing]));
        let status = &m.report(&ing_ref("x")).unwrap().status;
        assert_eq!(
            matches!(status, ObjectStatus::Mapped(_)),
            managed,
            "{ann}{class_field}: {status:?}"
        );
        if !managed {
            assert!(matches!(status, ObjectStatus::Ignored(_)));
        }
    }
}

#[test]
fn t_i2_existing_clb_default_domain() {
    let ing = ingress(
        "nginx-ingress",
        "    kubernetes.io/ingress.existLbId: lb-xxxxxxxx\n",
        &rules(&[("", "/", "nginx-service", 80)]),
    );
    let (svc_yaml, nodes) = (
        backend_service("nginx-service", 80, 30080),
        standard_nodes(),
    );
    let inputs = inputs(&[&ing, &svc_yaml, &nodes]);
    let (m, lines) = mapped(&inputs, &ing_ref("nginx-ingress"));
    assert_eq!(
        lines,
        [
            "HTTP:80".to_owned(),
            format!("  HTTP:80 <default domain> / -> nginx-service:80 {N}")
        ]
    );
    assert_eq!(
        m.clb_of(&ing_ref("nginx-ingress")).unwrap().key,
        ClbKey::Existing("lb-xxxxxxxx".into())
    );
    // A Service on the same existing CLB: the later object is rejected.
    let svc_on_lb = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  creationTimestamp: \"2030-01-01T00:00:00Z\"\n  annotations: {service.kubernetes.io/tke-existed-lbid: lb-xxxxxxxx}\nspec:\n  type: LoadBalancer\n  ports: [{port: 8080, nodePort: 30088}]\n";
    let ing_early = ing.replace(
        "  uid: uid-nginx-ingress\n",
        "  uid: uid-nginx-ingress\n  creationTimestamp: \"2020-01-01T00:00:00Z\"\n",
    );
    let inputs = common::inputs(&[&ing_early, svc_on_lb, &svc_yaml, &nodes]);
    assert_error(
        &rejected(&inputs, &svc("default", "s")),
        &["lb-xxxxxxxx", "Ingress cannot share"],
    );
}

const T_I3: &str = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  annotations:
    kubernetes.io/ingress.rule-mix: "true"
    kubernetes.io/ingress.http-rules: '[{"path":"/health","backend":{"serviceName":"jetty-service","servicePort":"80"}}]'
    kubernetes.io/ingress.https-rules: '[{"path":"/","backend":{"serviceName":"jetty-service","servicePort":"443","host":"sample.tencent.com"}}]'
    ingress.cloud.tencent.com/tke-service-config: jetty-ingress-config
  name: jetty-ingress
  namespace: default
spec:
  rules:
  - http:
      paths:
      - backend:
          service:
            name: jetty-service
            port:
              number: 80
        path: /health
        pathType: ImplementationSpecific
  - host: "sample.tencent.com"
    http:
      paths:
      - backend:
          service:
            name: jetty-service
            port:
              number: 80
        path: /
        pathType: ImplementationSpecific
  tls:
  - secretName: jetty-cert-secret
---
apiVersion: cloud.tencent.com/v1alpha1
kind: TkeServiceConfig
metadata:
  name: jetty-ingress-config
  namespace: default
spec:
  loadBalancer:
    l7Listeners:
    - protocol: HTTP
      port: 80
      domains:
      - domain: ""
        rules:
        - url: "/health"
          forwardType: HTTP
          healthCheck:
            enable: false
    - protocol: HTTPS
      port: 443
      defaultServer: "sample.tencent.com"
      keepaliveEnable: 1
      domains:
      - domain: "sample.tencent.com"
        http2: true
        rules:
        - url: "/"
          forwardType: HTTPS
          session:
            enable: true
            sessionExpireTime: 3600
          healthCheck:
            enable: true
            intervalTime: 10
            timeout: 5
            healthNum: 2
            unHealthNum: 2
            httpCheckPath: "/checkHealth"
            httpCheckDomain: "sample.tencent.com"
            httpCheckMethod: HEAD
            httpCode: 31
            sourceIpType: 0
            checkType: "HTTPS"
          scheduler: WRR
"#;

fn jetty_service() -> String {
    "apiVersion: v1\nkind: Service\nmetadata: {name: jetty-service, namespace: default}\nspec:\n  type: NodePort\n  selector: {app: jetty}\n  ports:\n  - {name: tcp-80-80, port: 80, targetPort: 80, nodePort: 30080}\n  - {name: tcp-443-443, port: 443, targetPort: 443, nodePort: 30443}\n".to_owned()
}

#[test]
fn t_i3_mixed_rules_with_tke_service_config() {
    // sourceIpType 0 is only valid on a CLB that is not domain-based (spec note under T-I3).
    let mut o = options();
    o.clb_domain_based = false;
    let (svc_yaml, nodes, sec) = (
        jetty_service(),
        standard_nodes(),
        secret("default", "jetty-cert-secret", "cert-jetty", None),
    );
    let inputs = inputs_with(o, &[T_I3, &svc_yaml, &nodes, &sec]);
    let (m, lines) = mapped(&inputs, &ing_ref("jetty-ingress"));
    // https-rules names port "443" with `host` inside `backend`: it matches no spec rule, so the
    // sample.tencent.com rule lands on HTTPS by the "unmatched ⇒ HTTPS" default, with port 80 from
    // spec.rules (spec §9 #15).
    assert_eq!(
        lines,
        [
            "HTTP:80".to_owned(),
            format!("  HTTP:80 <default domain> /health -> jetty-service:80 {N}"),
            "HTTPS:443 cert=jetty-cert-secret".to_owned(),
            format!("  HTTPS:443 sample.tencent.com / -> jetty-service:80 {N}"),
        ]
    );
    let clb = m.clb_of(&ing_ref("jetty-ingress")).unwrap();
    let http = clb.listener(Protocol::Http, 80).unwrap();
    let health = http.rule(None, "/health").unwrap();
    assert_eq!(health.settings.forward_type, Some(ForwardType::Http));
    assert_eq!(
        health.settings.health_check.as_ref().unwrap().enable,
        Some(false)
    );
    let https = clb.listener(Protocol::Https, 443).unwrap();
    assert_eq!(
        https.settings.default_server.as_deref(),
        Some("sample.tencent.com")
    );
    assert_eq!(https.settings.keepalive_enable, Some(1));
    let root = https.rule(Some("sample.tencent.com"), "/").unwrap();
    let s = &root.settings;
    assert_eq!(
        (s.http2, s.forward_type, s.scheduler),
        (Some(true), Some(ForwardType::Https), Some(Scheduler::Wrr))
    );
    let session = s.session.as_ref().unwrap();
    assert_eq!(
        (session.enable, session.session_expire_time),
        (Some(true), Some(3600))
    );
    let hc = s.health_check.as_ref().unwrap();
    assert_eq!(
        (
            hc.enable,
            hc.interval_time,
            hc.timeout,
            hc.health_num,
            hc.un_health_num,
            hc.http_code,
            hc.source_ip_type
        ),
        (
            Some(true),
            Some(10),
            Some(5),
            Some(2),
            Some(2),
            Some(31),
            Some(0)
        )
    );
    assert_eq!(hc.http_check_path.as_deref(), Some("/checkHealth"));
    assert_eq!(hc.http_check_domain.as_deref(), Some("sample.tencent.com"));
    assert_eq!(hc.http_check_method.as_deref(), Some("HEAD"));
    assert_eq!(hc.check_type.as_deref(), Some("HTTPS"));
    // On a domain-based CLB, sourceIpType 0 is invalid.
    let inputs = common::inputs(&[T_I3, &svc_yaml, &nodes, &sec]);
    assert_error(
        &rejected(&inputs, &ing_ref("jetty-ingress")),
        &["jetty-ingress-config", "sourceIpType", "domain-based"],
    );
}

#[test]
fn t_i3_forward_type_https_needs_https_or_tcp_check() {
    let cfg = T_I3.replace(
        "            checkType: \"HTTPS\"\n",
        "            checkType: \"HTTP\"\n",
    );
    let mut o = options();
    o.clb_domain_based = false;
    let inputs = inputs_with(
        o,
        &[
            &cfg,
            &jetty_service(),
            &secret("default", "jetty-cert-secret", "c", None),
        ],
    );
    assert_error(
        &rejected(&inputs, &ing_ref("jetty-ingress")),
        &["forwardType HTTPS requires checkType"],
    );
}

fn t_i4(annotations: &str) -> String {
    ingress(
        "sample-ingress",
        annotations,
        &format!(
            "{}  tls:\n  - secretName: tencent-com-cert\n",
            rules(&[("www.tencent.com", "/", "sample-service", 80)])
        ),
    )
}

#[test]
fn t_i4_same_rule_on_http_and_https() {
    let entry = r#"[{"host":"www.tencent.com","path":"/","backend":{"serviceName":"sample-service","servicePort":"80"}}]"#;
    let both = format!(
        "    kubernetes.io/ingress.http-rules: '{entry}'\n    kubernetes.io/ingress.https-rules: '{entry}'\n    kubernetes.io/ingress.rule-mix: \"true\"\n"
    );
    let (svc_yaml, nodes, sec) = (
        backend_service("sample-service", 80, 30080),
        standard_nodes(),
        secret("default", "tencent-com-cert", "cert-t", None),
    );
    let cases = [
        (
            both.as_str(),
            vec![
                "HTTP:80".to_owned(),
                format!("  HTTP:80 www.tencent.com / -> sample-service:80 {N}"),
                "HTTPS:443 cert=tencent-com-cert".to_owned(),
                format!("  HTTPS:443 www.tencent.com / -> sample-service:80 {N}"),
            ],
        ),
        // rule-mix removed: TLS present ⇒ only HTTPS.
        (
            "",
            vec![
                "HTTPS:443 cert=tencent-com-cert".to_owned(),
                format!("  HTTPS:443 www.tencent.com / -> sample-service:80 {N}"),
            ],
        ),
        // rule-mix with empty annotations ⇒ HTTPS.
        (
            "    kubernetes.io/ingress.rule-mix: \"true\"\n",
            vec![
                "HTTPS:443 cert=tencent-com-cert".to_owned(),
                format!("  HTTPS:443 www.tencent.com / -> sample-service:80 {N}"),
            ],
        ),
    ];
    for (ann, want) in cases {
        let ing = t_i4(ann);
        let inputs = inputs(&[&ing, &svc_yaml, &nodes, &sec]);
        let (_, lines) = mapped(&inputs, &ing_ref("sample-ingress"));
        assert_eq!(lines, want, "{ann}");
    }
}

#[test]
fn t_i5_auto_redirect() {
    let ann = "    ingress.cloud.tencent.com/auto-rewrite: 'true'\n    ingress.cloud.tencent.com/rewrite-support: \"true\"\n";
    let r = rules(&[("example.com", "/", "example", 80)]);
    let (svc_yaml, nodes, sec) = (
        backend_service("example", 80, 30080),
        standard_nodes(),
        secret("default", "s", "cert-s", None),
    );
    // As documented (no tls): HTTP only, nothing to redirect (spec §9 #17).
    let doc = ingress("example", ann, &r);
    let (_, lines) = mapped(&inputs(&[&doc, &svc_yaml, &nodes]), &ing_ref("example"));
    assert_eq!(
        lines,
        [
            "HTTP:80".to_owned(),
            format!("  HTTP:80 example.com / -> example:80 {N}")
        ]
    );
    // With tls added (constructed): HTTPS rule + HTTP redirect to it.
    let with_tls = ingress("example", ann, &format!("{r}  tls:\n  - secretName: s\n"));
    let inputs = inputs(&[&with_tls, &svc_yaml, &nodes, &sec]);
    let (_, lines) = mapped(&inputs, &ing_ref("example"));
    assert_eq!(
        lines,
        [
            "HTTP:80".to_owned(),
            "  HTTP:80 example.com / => 443 example.com /".to_owned(),
            "HTTPS:443 cert=s".to_owned(),
            format!("  HTTPS:443 example.com / -> example:80 {N}"),
        ]
    );
    // listen-ports without HTTP:80: auto-rewrite has no effect (warning).
    let ports = format!(
        "{ann}    ingress.cloud.tencent.com/listen-ports: '[{{\"HTTP\": 8080}}, {{\"HTTPS\": 443}}]'\n"
    );
    let ing = ingress(
        "example",
        &ports,
        &format!("{r}  tls:\n  - secretName: s\n"),
    );
    let inputs = common::inputs(&[&ing, &svc_yaml, &nodes, &sec]);
    let (m, lines) = mapped(&inputs, &ing_ref("example"));
    assert_eq!(
        lines,
        [
            "HTTPS:443 cert=s".to_owned(),
            format!("  HTTPS:443 example.com / -> example:80 {N}")
        ]
    );
    assert_error(
        &m.report(&ing_ref("example")).unwrap().warnings,
        &["auto-rewrite", "HTTP:80 and HTTPS:443"],
    );
}

fn t_i6(http_rules: &str) -> String {
    let ann = format!(
        "    description: test\n    ingress.cloud.tencent.com/rewrite-support: \"true\"\n    kubernetes.io/ingress.class: qcloud\n    kubernetes.io/ingress.http-rules: '{http_rules}'\n    kubernetes.io/ingress.https-rules: \"null\"\n    kubernetes.io/ingress.rule-mix: \"true\"\n"
    );
    ingress(
        "test",
        &ann,
        &rules(&[("", "/path1", "path1", 80), ("", "/path2", "path2", 80)]),
    )
}

const T_I6_RULES: &str = r#"{"path":"/path1","backend":{"serviceName":"path1","servicePort":"80"}},{"path":"/path2","backend":{"serviceName":"path2","servicePort":"80"}},{"path":"/v1/path1","rewrite":{"port":80,"path":"/path1"}},{"path":"/v2/path2","rewrite":{"port":80,"path":"/path2"}}"#;

#[test]
fn t_i6_manual_redirect() {
    let ing = t_i6(&format!("[{T_I6_RULES}]"));
    let nodes = standard_nodes();
    let (p1, p2) = (
        backend_service("path1", 80, 30080),
        backend_service("path2", 80, 30080),
    );
    let inputs = inputs(&[&ing, &p1, &p2, &nodes]);
    let (_, lines) = mapped(&inputs, &ing_ref("test"));
    assert_eq!(
        lines,
        [
            "HTTP:80".to_owned(),
            format!("  HTTP:80 <default domain> /path1 -> path1:80 {N}"),
            format!("  HTTP:80 <default domain> /path2 -> path2:80 {N}"),
            "  HTTP:80 <default domain> /v1/path1 => 80 <default domain> /path1".to_owned(),
            "  HTTP:80 <default domain> /v2/path2 => 80 <default domain> /path2".to_owned(),
        ]
    );
    // Negative variants (constructed): A→A; redirecting a redirect target; target not a rule.
    let cases = [
        (
            r#",{"path":"/path1","rewrite":{"port":80,"path":"/path1"}}"#,
            "both forwards and redirects",
        ),
        (
            r#",{"path":"/x","rewrite":{"port":80,"path":"/x"}}"#,
            "redirects to itself",
        ),
        (
            r#",{"path":"/x","rewrite":{"port":80,"path":"/v1/path1"}}"#,
            "itself redirected",
        ),
        (
            r#",{"path":"/x","rewrite":{"port":80,"path":"/nowhere"}}"#,
            "not a forwarding rule",
        ),
        (
            r#",{"path":"/v1/path1","rewrite":{"port":80,"path":"/path2"}}"#,
            "redirected twice",
        ),
        (
            r#",{"path":"/x","rewrite":{"port":8443,"path":"/path1"}}"#,
            "no listener",
        ),
    ];
    for (extra, why) in cases {
        let ing = t_i6(&format!("[{T_I6_RULES}{extra}]"));
        let inputs = common::inputs(&[&ing, &p1, &p2]);
        assert_error(
            &rejected(&inputs, &ing_ref("test")),
            &["Ingress default/test", why],
        );
    }
    // Redirect entries need rewrite-support.
    let no_support = t_i6(&format!("[{T_I6_RULES}]")).replace(
        "    ingress.cloud.tencent.com/rewrite-support: \"true\"\n",
        "",
    );
    assert_error(
        &rejected(&common::inputs(&[&no_support]), &ing_ref("test")),
        &["rewrite-support"],
    );
}

#[test]
fn t_i7_rule_mix_reference_example() {
    let ann = r#"    kubernetes.io/ingress.rule-mix: 'true'
    kubernetes.io/ingress.http-rules: '[{"host":"kateway.tke-demo.cn","path":"/both","backend":{"serviceName":"anyserver","servicePort":"7000"}},{"host":"kateway.tke-demo.cn","path":"/only-http","backend":{"serviceName":"anyserver","servicePort":"7000"}}]'
    kubernetes.io/ingress.https-rules: '[{"host":"kateway.tke-demo.cn","path":"/both","backend":{"serviceName":"anyserver","servicePort":"7000"}}]'
"#;
    // tls added (constructed) so the HTTPS listener has a certificate.
    let ing = ingress(
        "example",
        ann,
        &format!(
            "{}  tls:\n  - secretName: s\n",
            rules(&[("example.com", "/", "example", 80)])
        ),
    );
    let (ex, any, nodes, sec) = (
        backend_service("example", 80, 30080),
        backend_service("anyserver", 7000, 30070),
        standard_nodes(),
        secret("default", "s", "c", None),
    );
    let inputs = inputs(&[&ing, &ex, &any, &nodes, &sec]);
    let (m, lines) = mapped(&inputs, &ing_ref("example"));
    assert_eq!(
        lines,
        [
            "HTTPS:443 cert=s".to_owned(),
            format!("  HTTPS:443 example.com / -> example:80 {N}")
        ]
    );
    assert_error(
        &m.report(&ing_ref("example")).unwrap().warnings,
        &[
            "kateway.tke-demo.cn /only-http",
            "no spec.rules counterpart",
        ],
    );
    // Flagged option: annotation-only entries create rules.
    let mut o = options();
    o.policy.annotation_only_rules = true;
    let inputs = inputs_with(o, &[&ing, &ex, &any, &nodes, &sec]);
    let (_, lines) = mapped(&inputs, &ing_ref("example"));
    let a = "[n1:30070@10 n2:30070@10 n3:30070@10]";
    assert_eq!(
        lines,
        [
            "HTTP:80".to_owned(),
            format!("  HTTP:80 kateway.tke-demo.cn /both -> anyserver:7000 {a}"),
            format!("  HTTP:80 kateway.tke-demo.cn /only-http -> anyserver:7000 {a}"),
            "HTTPS:443 cert=s".to_owned(),
            format!("  HTTPS:443 example.com / -> example:80 {N}"),
            format!("  HTTPS:443 kateway.tke-demo.cn /both -> anyserver:7000 {a}"),
        ]
    );
}

#[test]
fn t_i8_certificates() {
    let r = rules(&[
        ("www.abc.com", "/", "web", 80),
        ("api.abc.com", "/", "web", 80),
        ("a.b.abc.com", "/", "web", 80),
    ]);
    let two = rules(&[
        ("www.abc.com", "/", "web", 80),
        ("api.abc.com", "/", "web", 80),
    ]);
    let secrets = ["secret-tls", "secret-tls-1", "secret-tls-2"]
        .map(|s| secret("default", s, &format!("id-{s}"), None))
        .join("---\n");
    let (web, nodes) = (backend_service("web", 80, 30080), standard_nodes());
    let tls_a = "  tls:\n  - hosts:\n    - www.abc.com\n    secretName: secret-tls-2\n";
    let tls_b = "  tls:\n  - secretName: secret-tls\n";
    let tls_c = "  tls:\n  - hosts:\n    - \"*.abc.com\"\n    secretName: secret-tls\n";
    let tls_d = "  tls:\n  - hosts:\n    - \"*.abc.com\"\n    secretName: secret-tls-1\n  - hosts:\n    - www.abc.com\n    secretName: secret-tls-2\n";
    // (spec, expected lines or None = rejected with message fragment)
    let cases: Vec<(String, Result<Vec<String>, &str>)> = vec![
        (format!("{r}{tls_a}"), Err("api.abc.com")),
        (
            format!("{r}{tls_b}"),
            Ok(vec![
                "HTTPS:443 cert=secret-tls".into(),
                format!("  HTTPS:443 a.b.abc.com / -> web:80 {N}"),
                format!("  HTTPS:443 api.abc.com / -> web:80 {N}"),
                format!("  HTTPS:443 www.abc.com / -> web:80 {N}"),
            ]),
        ),
        (format!("{r}{tls_c}"), Err("a.b.abc.com")),
        (
            format!("{two}{tls_c}"),
            Ok(vec![
                "HTTPS:443 sni".into(),
                format!("  HTTPS:443 api.abc.com / -> web:80 {N} cert=secret-tls"),
                format!("  HTTPS:443 www.abc.com / -> web:80 {N} cert=secret-tls"),
            ]),
        ),
        (
            format!("{two}{tls_d}"),
            Ok(vec![
                "HTTPS:443 sni".into(),
                format!("  HTTPS:443 api.abc.com / -> web:80 {N} cert=secret-tls-1"),
                format!("  HTTPS:443 www.abc.com / -> web:80 {N} cert=secret-tls-2"),
            ]),
        ),
    ];
    for (spec, want) in cases {
        let ing = ingress("certs", "", &spec);
        let inputs = inputs(&[&ing, &secrets, &web, &nodes]);
        match want {
            Ok(want) => assert_eq!(mapped(&inputs, &ing_ref("certs")).1, want, "{spec}"),
            Err(host) => assert_error(
                &rejected(&inputs, &ing_ref("certs")),
                &[host, "no matching certificate"],
            ),
        }
    }
    // Mutual TLS: the CA certificate is carried (SSL mode MUTUAL).
    let mtls = secret("default", "tencent-com-cert", "Xcert", Some("Xca"));
    let ing = ingress(
        "certs",
        "",
        &format!("{two}  tls:\n  - secretName: tencent-com-cert\n"),
    );
    let m = map(&inputs(&[&ing, &mtls]));
    let cert = m
        .clb_of(&ing_ref("certs"))
        .unwrap()
        .listener(Protocol::Https, 443)
        .unwrap()
        .certificate
        .clone()
        .unwrap();
    assert_eq!(
        (
            cert.cert_ids.clone(),
            cert.ca_cert_id.as_deref(),
            cert.ssl_mode()
        ),
        (vec!["Xcert".to_owned()], Some("Xca"), "MUTUAL")
    );
}

#[test]
fn t_i9_dual_algorithm_certificate() {
    let spec = format!(
        "{}  tls:\n  - hosts:\n    - nginx.example.com\n    secretName: kateway-cert\n",
        rules(&[("nginx.example.com", "/", "nginx", 80)])
    );
    let ing = ingress("nginx", "", &spec);
    let two = secret("default", "kateway-cert", "CertID1,CertID2", None);
    let m = map(&inputs(&[&ing, &two]));
    let l = m
        .clb_of(&ing_ref("nginx"))
        .unwrap()
        .listener(Protocol::Https, 443)
        .unwrap()
        .clone();
    assert!(l.sni);
    assert_eq!(
        l.rules[0].certificate.as_ref().unwrap().cert_ids,
        ["CertID1", "CertID2"]
    );
    let three = secret("default", "kateway-cert", "CertID1,CertID2,CertID3", None);
    assert_error(
        &rejected(&inputs(&[&ing, &three]), &ing_ref("nginx")),
        &["kateway-cert", "at most 2"],
    );
    // Not supported on Service special-protocol listeners.
    let svc_yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    service.cloud.tencent.com/specify-protocol: '{\"80\":{\"protocol\":[\"TCP_SSL\"],\"tls\":\"kateway-cert\"}}'\nspec:\n  type: LoadBalancer\n  ports: [{port: 80, nodePort: 30080}]\n";
    assert_error(
        &rejected(&inputs(&[svc_yaml, &two]), &svc("default", "s")),
        &["kateway-cert", "dual-algorithm"],
    );
    // Secret of another type.
    let tls_type = two.replace("type: Opaque", "type: kubernetes.io/tls");
    assert_error(
        &rejected(&inputs(&[&ing, &tls_type]), &ing_ref("nginx")),
        &["kateway-cert", "Opaque"],
    );
}

#[test]
fn t_i10_custom_listen_ports() {
    let ann = "    ingress.cloud.tencent.com/listen-ports: '[{\"HTTP\": 80}, {\"HTTPS\": 443}, {\"HTTP\": 8080}, {\"HTTPS\": 8443}]'\n";
    let ing = ingress(
        "example",
        ann,
        &rules(&[("example.com", "/", "example", 80)]),
    );
    let (ex, nodes) = (backend_service("example", 80, 30080), standard_nodes());
    let (_, lines) = mapped(&inputs(&[&ing, &ex, &nodes]), &ing_ref("example"));
    assert_eq!(
        lines,
        [
            "HTTP:80".to_owned(),
            format!("  HTTP:80 example.com / -> example:80 {N}"),
            "HTTP:8080".to_owned(),
            format!("  HTTP:8080 example.com / -> example:80 {N}"),
        ]
    );
    for bad in [
        r#"[{"TCP": 80}]"#,
        r#"[{"HTTP": 0}]"#,
        r#"[{"HTTP": 80, "HTTPS": 443}]"#,
        r#"[{"HTTP": 80}, {"HTTPS": 80}]"#,
        "nope",
    ] {
        let ing = ingress(
            "example",
            &format!("    ingress.cloud.tencent.com/listen-ports: '{bad}'\n"),
            &rules(&[("example.com", "/", "example", 80)]),
        );
        assert_error(
            &rejected(&inputs(&[&ing]), &ing_ref("example")),
            &["listen-ports"],
        );
    }
    // HTTP rules but only HTTPS ports listed.
    let ing = ingress(
        "example",
        "    ingress.cloud.tencent.com/listen-ports: '[{\"HTTPS\": 443}]'\n",
        &rules(&[("example.com", "/", "example", 80)]),
    );
    assert_error(
        &rejected(&inputs(&[&ing]), &ing_ref("example")),
        &["no HTTP port"],
    );
    // Older controllers ignore listen-ports (needs v2.4.1).
    let mut o = options();
    o.ingress_controller_version = tke_clb::ControllerVersion::parse("v2.4.0");
    let ing = ingress(
        "example",
        ann,
        &rules(&[("example.com", "/", "example", 80)]),
    );
    let (m, lines) = mapped(&inputs_with(o, &[&ing, &ex, &nodes]), &ing_ref("example"));
    assert_eq!(
        lines,
        [
            "HTTP:80".to_owned(),
            format!("  HTTP:80 example.com / -> example:80 {N}")
        ]
    );
    assert_error(
        &m.report(&ing_ref("example")).unwrap().warnings,
        &["listen-ports", "v2.4.1"],
    );
}

const T_I11: &str = r#"
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata:
  annotations:
    kubernetes.io/ingress.class: qcloud
    ingress.cloud.tencent.com/hybrid-type: CCN
    ingress.cloud.tencent.com/snat-pro-info: '{"snatIps": [{"subnetId":"subnet-xxxxxx"}]}'
  name: nginx-ingress
  namespace: default
spec:
  rules:
  - host: foo.bar.com
    http:
      paths:
      - backend:
          serviceName: nginx-svc
          servicePort: 80
        path: /
"#;

#[test]
fn t_i11_registered_nodes_v1beta1() {
    let reg = ("node.tke.cloud.tencent.com/registered", "true");
    let nodes = [
        node("n1", "10.0.0.11", &[], true, false),
        node("idc1", "192.168.10.1", &[reg], true, false),
    ]
    .join("---\n");
    let nginx = backend_service("nginx-svc", 80, 30080);
    let inputs = inputs(&[T_I11, &nodes, &nginx]);
    let (m, lines) = mapped(&inputs, &ing_ref("nginx-ingress"));
    assert_eq!(
        lines,
        [
            "HTTP:80",
            "  HTTP:80 foo.bar.com / -> nginx-svc:80 [idc1:30080@10 n1:30080@10]"
        ]
    );
    assert_eq!(
        m.clb_of(&ing_ref("nginx-ingress")).unwrap().snat_ips[0].subnet_id,
        "subnet-xxxxxx"
    );
}

#[test]
fn t_i12_cross_region_ingress() {
    let r = rules(&[("example.com", "/", "example", 80)]);
    let create = ingress(
        "x",
        "    ingress.cloud.tencent.com/cross-region-id: \"ap-guangzhou\"\n    ingress.cloud.tencent.com/cross-vpc-id: \"vpc-646vhcjj\"\n",
        &r,
    );
    let existing = ingress(
        "x",
        "    ingress.cloud.tencent.com/cross-region-id: \"ap-guangzhou\"\n    kubernetes.io/ingress.existLbId: \"lb-342wppll\"\n",
        &r,
    );
    let zone = ingress(
        "x",
        "    kubernetes.io/ingress.extensiveParameters: '{\"ZoneId\":\"ap-guangzhou-1\"}'\n",
        &r,
    );
    let m = map(&inputs(&[&create]));
    assert!(
        matches!(&m.clb_of(&ing_ref("x")).unwrap().source, ClbSource::Create(p) if p.region.as_deref() == Some("ap-guangzhou") && p.vpc_id.as_deref() == Some("vpc-646vhcjj"))
    );
    let m = map(&inputs(&[&existing]));
    assert_eq!(
        m.clb_of(&ing_ref("x")).unwrap().source,
        ClbSource::Existing {
            id: "lb-342wppll".into(),
            region: Some("ap-guangzhou".into())
        }
    );
    let m = map(&inputs(&[&zone]));
    assert!(
        matches!(&m.clb_of(&ing_ref("x")).unwrap().source, ClbSource::Create(p) if p.extensive_parameters["ZoneId"] == "ap-guangzhou-1")
    );
}

#[test]
fn t_i13_annotation_reference_examples() {
    let r = rules(&[("example.com", "/", "example", 80)]);
    let (ex, nodes) = (backend_service("example", 80, 30080), standard_nodes());
    let pods = slice(
        "default",
        "example",
        &[("http", 80, "TCP")],
        &[
            ("example-0", "172.16.5.1", "n1", true, false),
            ("example-1", "172.16.5.2", "n2", false, false),
        ],
    );
    type Check = fn(&tke_clb::DesiredClb);
    let cases: Vec<(&str, Check)> = vec![
        (
            "    kubernetes.io/ingress.internetChargeType: 'BANDWIDTH_POSTPAID_BY_HOUR'\n    kubernetes.io/ingress.internetMaxBandwidthOut: '10'\n",
            |c| {
                assert!(
                    matches!(&c.source, ClbSource::Create(p) if p.charge_type == Some(tke_clb::ChargeType::BandwidthPostpaidByHour) && p.bandwidth_out == Some(10))
                )
            },
        ),
        (
            "    kubernetes.io/ingress.internetChargeType: 'TRAFFIC_POSTPAID_BY_HOUR'\n    kubernetes.io/ingress.internetMaxBandwidthOut: '10'\n",
            |c| {
                assert!(
                    matches!(&c.source, ClbSource::Create(p) if p.charge_type == Some(tke_clb::ChargeType::TrafficPostpaidByHour))
                )
            },
        ),
        (
            "    kubernetes.io/ingress.extensiveParameters: '{\"VipIsp\":\"CTCC\"}'\n",
            |c| {
                assert!(
                    matches!(&c.source, ClbSource::Create(p) if p.extensive_parameters["VipIsp"] == "CTCC")
                )
            },
        ),
        (
            "    ingress.cloud.tencent.com/security-groups: 'sg-xxxxx,sg-yyyyy,sg-zzzzz'\n",
            |c| assert_eq!(c.security_groups.as_ref().unwrap().len(), 3),
        ),
        (
            "    ingress.cloud.tencent.com/security-groups: 'sg-xxxxx'\n",
            |c| {
                assert_eq!(
                    c.security_groups.as_deref(),
                    Some(&["sg-xxxxx".to_owned()][..])
                )
            },
        ),
        ("    ingress.cloud.tencent.com/security-groups: ''\n", |c| {
            assert_eq!(c.security_groups.as_deref(), Some(&[][..]))
        }),
        (
            "    ingress.cloud.tencent.com/modification-protection: 'true'\n",
            |c| assert_eq!(c.modification_protection, Some(true)),
        ),
        (
            "    ingress.cloud.tencent.com/pass-to-target: 'true'\n",
            |c| assert_eq!(c.pass_to_target, Some(true)),
        ),
        (
            "    ingress.cloud.tencent.com/direct-access: 'true'\n",
            |c| {
                let RuleAction::Forward { targets, .. } = &c.listeners[0].rules[0].action else {
                    panic!()
                };
                assert_eq!(
                    targets
                        .iter()
                        .map(|t| (t.ip.to_string(), t.port, t.weight))
                        .collect::<Vec<_>>(),
                    [("172.16.5.1".into(), 80, 10), ("172.16.5.2".into(), 80, 0)]
                );
            },
        ),
        (
            "    ingress.cloud.tencent.com/direct-access: 'true'\n    ingress.cloud.tencent.com/lb-rs-weight: '{\"defaultWeight\":7,\"groups\":[{\"key\":{\"proto\":\"TCP\",\"port\":80},\"statefulSets\":[{\"name\":\"example\",\"weights\":[{\"weight\":3,\"podIndexes\":[0]}]}]}]}'\n",
            // HTTP:80 matches the documented "proto":"TCP" key by protocol family (spec §9 #33).
            |c| {
                let RuleAction::Forward { targets, .. } = &c.listeners[0].rules[0].action else {
                    panic!()
                };
                assert_eq!(targets.iter().map(|t| t.weight).collect::<Vec<_>>(), [3, 0]);
            },
        ),
    ];
    for (ann, check) in cases {
        let ing = ingress("example", ann, &r);
        let m = map(&inputs(&[&ing, &ex, &nodes, &pods]));
        let clb = m
            .clb_of(&ing_ref("example"))
            .unwrap_or_else(|| panic!("{ann}: {:?}", m.report(&ing_ref("example"))));
        check(clb);
    }
    // Ingress bandwidth range (spec §9 #5: 2048 from the annotation reference).
    let ing = ingress(
        "example",
        "    kubernetes.io/ingress.internetMaxBandwidthOut: '2049'\n",
        &r,
    );
    assert_error(
        &rejected(&inputs(&[&ing]), &ing_ref("example")),
        &["internetMaxBandwidthOut", "2049"],
    );
    let mut o = options();
    o.policy.max_bandwidth_ingress = 2000;
    let ing = ingress(
        "example",
        "    kubernetes.io/ingress.internetMaxBandwidthOut: '2010'\n",
        &r,
    );
    assert_error(
        &rejected(&inputs_with(o, &[&ing]), &ing_ref("example")),
        &["internetMaxBandwidthOut"],
    );
    // Security groups on an existing CLB: unsupported, ignored with a warning.
    let ing = ingress(
        "example",
        "    kubernetes.io/ingress.existLbId: lb-1\n    ingress.cloud.tencent.com/security-groups: 'sg-1'\n",
        &r,
    );
    let m = map(&inputs(&[&ing]));
    assert_eq!(m.clb_of(&ing_ref("example")).unwrap().security_groups, None);
    assert_error(
        &m.report(&ing_ref("example")).unwrap().warnings,
        &["security-groups", "existing CLB"],
    );
}

use tke_clb::RuleAction;

#[test]
fn rule_quota_is_checked() {
    let paths: Vec<(String, String)> = (0..51)
        .map(|i| (format!("h{i}.example.com"), "/".to_owned()))
        .collect();
    let refs: Vec<(&str, &str, &str, u16)> = paths
        .iter()
        .map(|(h, p)| (h.as_str(), p.as_str(), "example", 80))
        .collect();
    let ing = ingress("many", "", &rules(&refs));
    let m = map(&inputs(&[&ing]));
    let clb = m.clb_of(&ing_ref("many")).unwrap();
    assert_error(
        &clb.violations,
        &["forwarding rule count is 51", "limit of 50"],
    );
    assert_error(
        &m.report(&ing_ref("many")).unwrap().warnings,
        &["forwarding rule count"],
    );
}

#[test]
fn ipv6_clb_has_no_default_domain() {
    let ing = ingress(
        "v6",
        "    kubernetes.io/ingress.extensiveParameters: '{\"AddressIPVersion\":\"IPV6FullChain\"}'\n",
        &rules(&[("", "/", "example", 80)]),
    );
    assert_error(&rejected(&inputs(&[&ing]), &ing_ref("v6")), &["IPv6"]);
}
