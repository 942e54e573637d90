//! CLB Ingress (`qcloud` class) → HTTP/HTTPS listeners, forwarding rules, redirects and
//! certificates (spec §4).

use crate::annotations::{Reader, ingress as ik};
use crate::backends::{self, BackendOptions};
use crate::certs;
use crate::common::{Contribution, INGRESS_KEYS, load_config, parse_common};
use crate::desired::{
    BackendRef, Certificate, ClbSource, Domain, Listener, ListenerKey, Protocol, Rule, RuleAction,
    RuleKey, Targets, listener_name,
};
use crate::error::ClbError;
use crate::fast::FastMap;
use crate::inputs::Index;
use crate::mapping::{ObjectReport, ObjectStatus};
use crate::object::{ObjectKind, ObjectRef};
use crate::service::field_error;
use k8s_openapi::api::networking::v1::Ingress;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// The Ingress class TKE's CLB controller manages.
pub const QCLOUD_CLASS: &str = "qcloud";

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum StrOrInt {
    Int(i64),
    Str(String),
}

impl fmt::Display for StrOrInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StrOrInt::Int(i) => write!(f, "{i}"),
            StrOrInt::Str(s) => f.write_str(s.trim()),
        }
    }
}

/// One `http-rules` / `https-rules` entry (spec §2.4.3).
#[derive(Debug, Clone, Deserialize)]
struct RuleEntry {
    #[serde(default)]
    host: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    backend: Option<EntryBackend>,
    #[serde(default)]
    rewrite: Option<Rewrite>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct EntryBackend {
    service_name: String,
    service_port: StrOrInt,
}

#[derive(Debug, Clone, Deserialize)]
struct Rewrite {
    port: StrOrInt,
    #[serde(default)]
    host: Option<String>,
    path: String,
}

/// A path of `spec.rules`, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SpecRule {
    key: RuleKey,
    backend: BackendRef,
}

#[derive(Debug, Clone)]
struct Redirect {
    from: RuleKey,
    to_port: u16,
    to: RuleKey,
}

/// Rules destined for one protocol.
#[derive(Debug, Default, Clone)]
struct ProtocolRules {
    forwards: Vec<SpecRule>,
    redirects: Vec<Redirect>,
}

impl ProtocolRules {
    fn add_forward(&mut self, r: SpecRule) {
        if !self.forwards.iter().any(|f| f.key == r.key) {
            self.forwards.push(r);
        }
    }
}

/// Whether TKE's CLB controller manages the Ingress (class annotation or field absent or `qcloud`).
pub fn is_managed(ing: &Ingress) -> bool {
    let ann = ing
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(ik::CLASS))
        .map(String::as_str);
    let field = ing
        .spec
        .as_ref()
        .and_then(|s| s.ingress_class_name.as_deref());
    match (ann, field) {
        (None, None) => true,
        (a, f) => a == Some(QCLOUD_CLASS) || f == Some(QCLOUD_CLASS),
    }
}

fn domain_config_key(d: &Domain) -> &str {
    d.host().unwrap_or("")
}

fn entry_key(e: &RuleEntry) -> RuleKey {
    RuleKey {
        domain: Domain::from_host(e.host.as_deref()),
        url: e
            .path
            .as_deref()
            .filter(|p| !p.is_empty())
            .unwrap_or("/")
            .into(),
    }
}

/// Map one Ingress. Ingresses of other classes are reported as ignored.
pub(crate) fn map_ingress(idx: &Index<'_>, ing: &Ingress) -> (ObjectReport, Option<Contribution>) {
    let object = ObjectRef::from_meta(ObjectKind::Ingress, &ing.metadata);
    let mut report = ObjectReport::new(object.clone());
    if !is_managed(ing) {
        report.status = ObjectStatus::Ignored("ingress class is not qcloud".to_owned());
        return (report, None);
    }
    let options = idx.options;
    let policy = &options.policy;
    let version = options.ingress_controller_version;
    let mut r = Reader::new(&object, ing.metadata.annotations.as_ref(), version);
    let mut common = parse_common(
        &mut r,
        &INGRESS_KEYS,
        options,
        version,
        policy.max_bandwidth_ingress,
    );
    let rule_mix = r.flag(ik::RULE_MIX);
    let rewrite_support = r.flag(ik::REWRITE_SUPPORT);
    let auto_rewrite = r.flag(ik::AUTO_REWRITE);
    let http_raw = r.raw(ik::HTTP_RULES).unwrap_or_default();
    let https_raw = r.raw(ik::HTTPS_RULES).unwrap_or_default();
    let http_entries: Vec<RuleEntry> = r
        .json::<Option<Vec<RuleEntry>>>(ik::HTTP_RULES)
        .flatten()
        .unwrap_or_default();
    let https_entries: Vec<RuleEntry> = r
        .json::<Option<Vec<RuleEntry>>>(ik::HTTPS_RULES)
        .flatten()
        .unwrap_or_default();
    let listen_ports = parse_listen_ports(&mut r);
    if matches!(common.source, ClbSource::Existing { .. })
        && let Some(v) = r.raw(ik::SECURITY_GROUPS)
    {
        r.warnings.push(r.error(
            ik::SECURITY_GROUPS,
            v,
            "ignored: not supported when the Ingress uses an existing CLB",
        ));
        common.security_groups = None;
    }
    if common.security_groups.as_ref().is_some_and(Vec::is_empty)
        && version.is_some_and(|v| v < crate::options::ControllerVersion(2, 5, 2))
    {
        r.warnings.push(r.error(
            ik::SECURITY_GROUPS,
            "",
            "unbinding all security groups needs ingress-controller v2.5.2; ignored",
        ));
        common.security_groups = None;
    }
    let mut errors = std::mem::take(&mut r.errors);
    let mut warnings = std::mem::take(&mut r.warnings);
    let cfg = load_config(idx, &object, &common, &mut errors, &mut warnings);
    let mut contribution = Contribution::new(object.clone(), &ing.metadata, &common, options);

    // spec.rules → normalised rules.
    let spec = ing.spec.as_ref();
    let mut spec_rules = Vec::new();
    for (ri, rule) in spec
        .and_then(|s| s.rules.as_deref())
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let domain = Domain::from_host(rule.host.as_deref());
        for (pi, p) in rule
            .http
            .as_ref()
            .map(|h| h.paths.as_slice())
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            // Formatted only when reporting a problem (one per path otherwise).
            let field = || format!("spec.rules[{ri}].http.paths[{pi}]");
            let Some(svc) = &p.backend.service else {
                errors.push(field_error(
                    &object,
                    &format!("{}.backend", field()),
                    "resource",
                    "only Service backends are supported by CLB Ingress",
                ));
                continue;
            };
            let port = match svc.port.as_ref() {
                Some(bp) => match (bp.number, bp.name.as_deref()) {
                    (Some(n), _) => n.to_string(),
                    (None, Some(n)) => n.to_owned(),
                    (None, None) => String::new(),
                },
                None => String::new(),
            };
            if port.is_empty() {
                errors.push(field_error(
                    &object,
                    &format!("{}.backend.service.port", field()),
                    "",
                    "needs a port number or name",
                ));
                continue;
            }
            if p.path_type != "ImplementationSpecific" {
                warnings.push(field_error(
                    &object,
                    &format!("{}.pathType", field()),
                    &p.path_type,
                    "semantics not documented for CLB; the path is used unchanged as the CLB URL",
                ));
            }
            let url = p
                .path
                .as_deref()
                .filter(|x| !x.is_empty())
                .unwrap_or("/")
                .into();
            spec_rules.push(SpecRule {
                key: RuleKey {
                    domain: domain.clone(),
                    url,
                },
                backend: BackendRef {
                    service: svc.name.clone(),
                    port,
                },
            });
        }
    }
    if spec.and_then(|s| s.default_backend.as_ref()).is_some() {
        warnings.push(field_error(
            &object,
            "spec.defaultBackend",
            "set",
            "not documented for CLB Ingress; ignored",
        ));
    }

    // Protocol assignment (spec §4.3).
    let tls = spec.and_then(|s| s.tls.as_deref()).unwrap_or_default();
    let mut http = ProtocolRules::default();
    let mut https = ProtocolRules::default();
    if !rule_mix {
        if !http_entries.is_empty() || !https_entries.is_empty() {
            warnings.push(annotation(
                &object,
                ik::HTTP_RULES,
                http_raw,
                "ignored without kubernetes.io/ingress.rule-mix: \"true\"",
            ));
        }
        let target = if tls.is_empty() {
            &mut http
        } else {
            &mut https
        };
        for sr in spec_rules {
            target.add_forward(sr);
        }
    } else {
        let matches = |e: &RuleEntry, sr: &SpecRule| {
            e.backend.as_ref().is_some_and(|b| {
                b.service_name == sr.backend.service
                    && b.service_port.to_string() == sr.backend.port
            }) && entry_key(e) == sr.key
        };
        for sr in &spec_rules {
            let in_http = http_entries.iter().any(|e| matches(e, sr));
            let in_https = https_entries.iter().any(|e| matches(e, sr));
            if in_http {
                http.add_forward(sr.clone());
            }
            if in_https || !in_http {
                https.add_forward(sr.clone());
            }
        }
        for (entries, raw, key, target) in [
            (&http_entries, http_raw, ik::HTTP_RULES, &mut http),
            (&https_entries, https_raw, ik::HTTPS_RULES, &mut https),
        ] {
            for e in entries.iter() {
                match (&e.backend, &e.rewrite) {
                    (Some(_), Some(_)) => errors.push(annotation(
                        &object,
                        key,
                        raw,
                        "an entry has both `backend` and `rewrite`",
                    )),
                    (None, None) => errors.push(annotation(
                        &object,
                        key,
                        raw,
                        "an entry needs `backend` or `rewrite`",
                    )),
                    (None, Some(rw)) => {
                        if !rewrite_support {
                            errors.push(ClbError::AnnotationConflict {
                                object: object.clone(),
                                first: key.to_owned(),
                                second: ik::REWRITE_SUPPORT.to_owned(),
                                reason: "redirect entries need rewrite-support: \"true\""
                                    .to_owned(),
                            });
                            continue;
                        }
                        let from = entry_key(e);
                        let Some(to_port) =
                            rw.port.to_string().parse::<u16>().ok().filter(|p| *p > 0)
                        else {
                            errors.push(annotation(
                                &object,
                                key,
                                raw,
                                &format!("rewrite port {} is not a port", rw.port),
                            ));
                            continue;
                        };
                        let to = RuleKey {
                            domain: match rw.host.as_deref() {
                                None | Some("") => from.domain.clone(),
                                Some(h) => Domain::Host(h.into()),
                            },
                            url: rw.path.as_str().into(),
                        };
                        target.redirects.push(Redirect { from, to_port, to });
                    }
                    (Some(b), None) => {
                        let known = spec_rules.iter().any(|sr| matches(e, sr));
                        if !known {
                            if policy.annotation_only_rules {
                                target.add_forward(SpecRule {
                                    key: entry_key(e),
                                    backend: BackendRef {
                                        service: b.service_name.clone(),
                                        port: b.service_port.to_string(),
                                    },
                                });
                            } else {
                                warnings.push(annotation(
                                    &object,
                                    key,
                                    raw,
                                    &format!(
                                        "entry {} → {}:{} has no spec.rules counterpart; ignored",
                                        entry_key(e),
                                        b.service_name,
                                        b.service_port
                                    ),
                                ));
                            }
                        }
                    }
                }
            }
        }
    }

    // Listener ports.
    let ports_of = |p: Protocol| -> Vec<u16> {
        match &listen_ports {
            Some(lp) => lp
                .iter()
                .filter(|(q, _)| *q == p)
                .map(|(_, port)| *port)
                .collect(),
            None => vec![if p == Protocol::Http { 80 } else { 443 }],
        }
    };
    let http_ports = ports_of(Protocol::Http);
    let https_ports = ports_of(Protocol::Https);

    // Automatic HTTP→HTTPS redirect (spec §4.5).
    if rewrite_support && auto_rewrite && !https.forwards.is_empty() {
        let both =
            listen_ports.is_none() || (http_ports.contains(&80) && https_ports.contains(&443));
        if both {
            for f in &https.forwards {
                if http.forwards.iter().any(|h| h.key == f.key) {
                    warnings.push(annotation(
                        &object,
                        ik::AUTO_REWRITE,
                        "true",
                        &format!(
                            "HTTP rule {} forwards explicitly; no redirect created",
                            f.key
                        ),
                    ));
                } else if !http.redirects.iter().any(|r| r.from == f.key) {
                    http.redirects.push(Redirect {
                        from: f.key.clone(),
                        to_port: 443,
                        to: f.key.clone(),
                    });
                }
            }
        } else {
            warnings.push(annotation(
                &object,
                ik::AUTO_REWRITE,
                "true",
                "no effect: needs both HTTP:80 and HTTPS:443 listeners",
            ));
        }
    } else if auto_rewrite && !rewrite_support {
        warnings.push(ClbError::AnnotationConflict {
            object: object.clone(),
            first: ik::AUTO_REWRITE.to_owned(),
            second: ik::REWRITE_SUPPORT.to_owned(),
            reason: "auto-rewrite needs rewrite-support: \"true\"; ignored".to_owned(),
        });
    }

    // (listener, 0 = HTTP rules / 1 = HTTPS rules)
    let mut layout: Vec<(ListenerKey, usize)> = Vec::new();
    for (proto, ports, rules, set) in [
        (Protocol::Http, &http_ports, &http, 0usize),
        (Protocol::Https, &https_ports, &https, 1),
    ] {
        if rules.forwards.is_empty() && rules.redirects.is_empty() {
            continue;
        }
        if ports.is_empty() {
            errors.push(annotation(
                &object,
                ik::LISTEN_PORTS,
                "",
                &format!("{proto} rules exist but no {proto} port is listed"),
            ));
        }
        for port in ports {
            layout.push((
                ListenerKey {
                    protocol: proto,
                    port: *port,
                },
                set,
            ));
        }
    }
    let refs: Vec<(ListenerKey, &ProtocolRules)> = layout
        .iter()
        .map(|(k, set)| (*k, if *set == 0 { &http } else { &https }))
        .collect();
    validate_redirects(&object, &refs, &mut errors);

    // IPv6 CLBs have no default domain (spec §4.3).
    if let ClbSource::Create(p) = &common.source {
        let v6 = p
            .extensive_parameters
            .get("AddressIPVersion")
            .and_then(|v| v.as_str())
            .is_some_and(|v| {
                v.to_ascii_uppercase().starts_with("IPV6")
                    && !v.to_ascii_uppercase().contains("NAT64")
            });
        let default_rule = refs
            .iter()
            .any(|(_, r)| r.forwards.iter().any(|f| f.key.domain == Domain::Default));
        if v6 && default_rule {
            errors.push(field_error(
                &object,
                "spec.rules[].host",
                "",
                "an IPv6 CLB has no default domain; every rule needs a host",
            ));
        }
    }
    drop(refs);

    // Build listeners.
    let backend_options = BackendOptions {
        direct: common.direct,
        selector: None,
        hybrid: common.hybrid,
        local: None,
        weights: common.rs_weight.as_ref(),
        grace_shutdown: common.grace_shutdown,
        grace_tkex: common.grace_tkex,
    };
    let per_listener_weights = common
        .rs_weight
        .as_ref()
        .is_some_and(|w| !w.groups.is_empty());
    // Few distinct backends per Ingress: a linear cache avoids allocating lookup keys.
    let mut target_cache: Vec<(String, String, Option<ListenerKey>, Targets)> = Vec::new();
    let mut cert_cache: FastMap<String, Option<Certificate>> = FastMap::default();
    let has_tls_hosts = tls
        .iter()
        .any(|t| t.hosts.as_ref().is_some_and(|h| !h.is_empty()));
    // The last listener of a protocol takes its rules by value; earlier ones (several listen-ports)
    // get a copy.
    let mut sets = [http, https];
    let mut remaining = [0usize; 2];
    for (_, set) in &layout {
        remaining[*set] += 1;
    }
    for (key, set) in &layout {
        let key = *key;
        remaining[*set] -= 1;
        let rules = if remaining[*set] == 0 {
            std::mem::take(&mut sets[*set])
        } else {
            sets[*set].clone()
        };
        let l7 = cfg.and_then(|c| c.l7(key.protocol, key.port));
        let mut listener = Listener {
            key,
            name: listener_name(&options.cluster_id, &object, key),
            owner: object.clone(),
            certificate: None,
            sni: false,
            settings: l7.map(|f| f.settings()).unwrap_or_default(),
            targets: Arc::from(Vec::new()),
            rules: Vec::with_capacity(rules.forwards.len() + rules.redirects.len()),
            manages_redirects: rewrite_support,
            create_parameters: None,
        };
        let mut resolve = |secret: &str, errors: &mut Vec<ClbError>| -> Option<Certificate> {
            if let Some(c) = cert_cache.get(secret) {
                return c.clone();
            }
            let c = match certs::resolve(idx, &object.namespace, secret, true) {
                Ok(c) => Some(c),
                Err(reason) => {
                    errors.push(ClbError::Reference {
                        object: object.clone(),
                        target_kind: "Secret".to_owned(),
                        name: secret.to_owned(),
                        reason,
                    });
                    None
                }
            };
            cert_cache.insert(secret.to_owned(), c.clone());
            c
        };
        if key.protocol == Protocol::Https && !has_tls_hosts {
            match tls.iter().find_map(|t| t.secret_name.as_deref()) {
                Some(s) => listener.certificate = resolve(s, &mut errors),
                None => errors.push(field_error(
                    &object,
                    "spec.tls",
                    "[]",
                    &format!("HTTPS listener {key} needs a certificate"),
                )),
            }
        }
        let ProtocolRules {
            forwards,
            redirects,
        } = rules;
        let items = forwards.into_iter().map(|f| (f.key, Ok(f.backend))).chain(
            redirects
                .into_iter()
                .map(|r| (r.from, Err((r.to_port, r.to)))),
        );
        for (rk, what) in items {
            let action = match what {
                Ok(b) => {
                    let lk = per_listener_weights.then_some(key);
                    let hit = target_cache
                        .iter()
                        .find(|(s, p, k, _)| *s == b.service && *p == b.port && *k == lk)
                        .map(|c| c.3.clone());
                    let targets = match hit {
                        Some(t) => t,
                        None => {
                            let t: Targets = Arc::from(rule_targets(
                                idx,
                                &object,
                                &b,
                                key,
                                &backend_options,
                                &mut warnings,
                            ));
                            target_cache.push((b.service.clone(), b.port.clone(), lk, t.clone()));
                            t
                        }
                    };
                    RuleAction::Forward {
                        backend: b,
                        targets,
                    }
                }
                Err((to_port, to)) => RuleAction::Redirect { to_port, to },
            };
            let settings = l7
                .and_then(|f| f.rule_settings(domain_config_key(&rk.domain), &rk.url))
                .unwrap_or_default();
            let mut rule = Rule {
                key: rk,
                action,
                certificate: None,
                settings,
            };
            if key.protocol == Protocol::Https && has_tls_hosts {
                listener.sni = true;
                match certs::choose(tls, rule.key.domain.host()) {
                    Some((t, ambiguous)) => {
                        if ambiguous {
                            warnings.push(field_error(&object, "spec.tls", &rule.key.domain.to_string(), "several TLS entries with different Secrets match this host; the first is used"));
                        }
                        match t.secret_name.as_deref() {
                            Some(s) => rule.certificate = resolve(s, &mut errors),
                            None => errors.push(field_error(
                                &object,
                                "spec.tls[].secretName",
                                "",
                                "missing",
                            )),
                        }
                    }
                    None => errors.push(field_error(
                        &object,
                        "spec.tls",
                        &rule.key.domain.to_string(),
                        "HTTPS domain has no matching certificate",
                    )),
                }
            }
            listener.rules.push(rule);
        }
        listener.rules.sort_by(|a, b| a.key.cmp(&b.key));
        contribution.listeners.push(listener);
    }
    report.finish(errors, warnings, contribution)
}

fn annotation(object: &ObjectRef, key: &str, value: &str, reason: &str) -> ClbError {
    ClbError::InvalidAnnotation {
        object: object.clone(),
        annotation: key.to_owned(),
        value: value.to_owned(),
        reason: reason.to_owned(),
    }
}

/// `listen-ports`: `[{"HTTP": 80}, {"HTTPS": 443}, ...]`.
fn parse_listen_ports(r: &mut Reader<'_>) -> Option<Vec<(Protocol, u16)>> {
    let raw = r.raw(ik::LISTEN_PORTS)?;
    let entries: Vec<BTreeMap<String, i64>> = r.json(ik::LISTEN_PORTS)?;
    let mut out: Vec<(Protocol, u16)> = Vec::new();
    for e in entries {
        let mut it = e.into_iter();
        let (Some((proto, port)), None) = (it.next(), it.next()) else {
            r.invalid(
                ik::LISTEN_PORTS,
                raw,
                "every entry must have exactly one key, HTTP or HTTPS",
            );
            return None;
        };
        let p = match proto.as_str() {
            "HTTP" => Protocol::Http,
            "HTTPS" => Protocol::Https,
            other => {
                r.invalid(
                    ik::LISTEN_PORTS,
                    raw,
                    &format!("unknown protocol {other:?}; HTTP or HTTPS"),
                );
                return None;
            }
        };
        let Some(port) = u16::try_from(port).ok().filter(|p| *p > 0) else {
            r.invalid(
                ik::LISTEN_PORTS,
                raw,
                &format!("port {port} outside 1..=65535"),
            );
            return None;
        };
        if out.iter().any(|(_, q)| *q == port) {
            r.invalid(
                ik::LISTEN_PORTS,
                raw,
                &format!("port {port} is listed twice"),
            );
            return None;
        }
        out.push((p, port));
    }
    Some(out)
}

/// Redirect constraints (spec §4.5): target is an existing forwarding rule, no A→A, a redirect
/// target is not itself redirected, one target per source.
fn validate_redirects(
    object: &ObjectRef,
    layout: &[(ListenerKey, &ProtocolRules)],
    errors: &mut Vec<ClbError>,
) {
    let mut err = |reason: String| {
        errors.push(ClbError::InvalidAnnotation {
            object: object.clone(),
            annotation: ik::REWRITE_SUPPORT.to_owned(),
            value: "true".to_owned(),
            reason,
        })
    };
    for (key, rules) in layout {
        for (i, r) in rules.redirects.iter().enumerate() {
            if rules.redirects[..i].iter().any(|o| o.from == r.from) {
                err(format!(
                    "{key} {} is redirected twice; delete the old relation first",
                    r.from
                ));
                continue;
            }
            if rules.forwards.iter().any(|f| f.key == r.from) {
                err(format!("{key} {} both forwards and redirects", r.from));
                continue;
            }
            if r.to_port == key.port && r.to == r.from {
                err(format!("{key} {} redirects to itself", r.from));
                continue;
            }
            let Some((_, target)) = layout.iter().find(|(k, _)| k.port == r.to_port) else {
                err(format!(
                    "{key} {} redirects to port {}, which has no listener",
                    r.from, r.to_port
                ));
                continue;
            };
            if target.redirects.iter().any(|t| t.from == r.to) {
                err(format!(
                    "{key} {} redirects to {}, which is itself redirected",
                    r.from, r.to
                ));
            } else if !target.forwards.iter().any(|f| f.key == r.to) {
                err(format!(
                    "{key} {} redirects to {} on port {}, which is not a forwarding rule",
                    r.from, r.to, r.to_port
                ));
            }
        }
    }
}

fn rule_targets(
    idx: &Index<'_>,
    object: &ObjectRef,
    b: &BackendRef,
    key: ListenerKey,
    o: &BackendOptions<'_>,
    warnings: &mut Vec<ClbError>,
) -> Vec<crate::desired::Target> {
    let reference = |reason: &str| ClbError::Reference {
        object: object.clone(),
        target_kind: "Service".to_owned(),
        name: b.service.clone(),
        reason: reason.to_owned(),
    };
    let Some(svc) = idx
        .services
        .get(&(object.namespace.as_str(), b.service.as_str()))
    else {
        warnings.push(reference("not found; the rule has no targets"));
        return Vec::new();
    };
    let ports = svc
        .spec
        .as_ref()
        .and_then(|s| s.ports.as_deref())
        .unwrap_or_default();
    let sp = ports
        .iter()
        .find(|p| p.port.to_string() == b.port || p.name.as_deref() == Some(b.port.as_str()));
    let Some(sp) = sp else {
        warnings.push(reference(&format!(
            "has no port {}; the rule has no targets",
            b.port
        )));
        return Vec::new();
    };
    let (targets, warn) = backends::targets(idx, svc, sp, key, o);
    if let Some(w) = warn {
        warnings.push(reference(&w));
    }
    targets
}
