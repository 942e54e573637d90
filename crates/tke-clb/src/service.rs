//! `type: LoadBalancer` Service → CLB listeners and targets (spec §3).

use crate::annotations::{LabelSelector, Reader, service as sk};
use crate::backends::{self, BackendOptions, LocalMode};
use crate::certs;
use crate::common::{Contribution, SERVICE_KEYS, load_config, parse_common};
use crate::desired::{
    BackendRef, Certificate, Domain, Listener, ListenerKey, ListenerSettings, Protocol, Rule,
    RuleAction, RuleKey, RuleSettings, Targets, listener_name,
};
use crate::error::ClbError;
use crate::inputs::Index;
use crate::mapping::{ObjectReport, ObjectStatus};
use crate::object::{ObjectKind, ObjectRef};
use k8s_openapi::api::core::v1::Service;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// One entry of `specify-protocol` (spec §2.4.1).
#[derive(Debug, Clone, Deserialize)]
struct PortSpec {
    protocol: Vec<String>,
    #[serde(default)]
    tls: Option<String>,
    #[serde(default)]
    hosts: Option<BTreeMap<String, HostSpec>>,
}

#[derive(Debug, Clone, Deserialize)]
struct HostSpec {
    #[serde(default)]
    tls: Option<String>,
}

/// Map one Service. Returns its report and, unless rejected or not a LoadBalancer, its contribution.
pub(crate) fn map_service(idx: &Index<'_>, svc: &Service) -> (ObjectReport, Option<Contribution>) {
    let object = ObjectRef::from_meta(ObjectKind::Service, &svc.metadata);
    let mut report = ObjectReport::new(object.clone());
    let spec = svc.spec.as_ref();
    let ty = spec.and_then(|s| s.type_.as_deref()).unwrap_or("ClusterIP");
    if ty != "LoadBalancer" {
        report.status = ObjectStatus::NoLoadBalancer;
        return (report, None);
    }
    let options = idx.options;
    let policy = &options.policy;
    let version = options.service_controller_version;
    let mut r = Reader::new(&object, svc.metadata.annotations.as_ref(), version);
    let common = parse_common(
        &mut r,
        &SERVICE_KEYS,
        options,
        version,
        policy.max_bandwidth_service,
    );

    let share_annotation = r.bool(sk::SHARE_EXISTED_LB);
    let listener_params: Option<serde_json::Map<String, serde_json::Value>> =
        r.json(sk::LISTENER_PARAMETERS);
    let specify_raw = r.raw(sk::SPECIFY_PROTOCOL).unwrap_or_default();
    let specify: BTreeMap<String, PortSpec> = r.json(sk::SPECIFY_PROTOCOL).unwrap_or_default();
    let prevent_loopback = r.flag(sk::PREVENT_LOOPBACK);
    let selector = match r.raw(sk::BACKENDS_LABEL) {
        Some(v) => match LabelSelector::parse(v) {
            Ok(s) => Some(s),
            Err(e) => {
                r.invalid(sk::BACKENDS_LABEL, v, &format!("not a label selector: {e}"));
                None
            }
        },
        None => None,
    };
    let only_bind = r.flag(sk::LOCAL_ONLY_BIND_WITH_POD);
    let weighted = r.flag(sk::LOCAL_WEIGHTED_BALANCE);
    // Parsed for validation only: they do not change the CLB configuration.
    let _ = r.bool(sk::READINESS_GATE_SKIP);
    let _ = r.bool(sk::DISCARD_LOADBALANCER_IP);
    if weighted && !only_bind {
        r.conflict(
            sk::LOCAL_WEIGHTED_BALANCE,
            sk::LOCAL_ONLY_BIND_WITH_POD,
            "the first must be used together with the second",
        );
    }
    let local = spec.and_then(|s| s.external_traffic_policy.as_deref()) == Some("Local");
    if local && selector.is_some() {
        r.conflict(
            sk::BACKENDS_LABEL,
            "spec.externalTrafficPolicy: Local",
            "backends-label must not be used in Local mode",
        );
    }
    if !local && (only_bind || weighted) {
        r.warnings.push(r.error(
            sk::LOCAL_ONLY_BIND_WITH_POD,
            "true",
            "ignored: only meaningful with externalTrafficPolicy: Local",
        ));
    }
    let mut errors = std::mem::take(&mut r.errors);
    let mut warnings = std::mem::take(&mut r.warnings);

    let cfg = load_config(idx, &object, &common, &mut errors, &mut warnings);
    let mut contribution = Contribution::new(object.clone(), &svc.metadata, &common, options);
    contribution.local = local;
    contribution.share_annotation = share_annotation;

    let ports = spec.and_then(|s| s.ports.as_deref()).unwrap_or_default();
    if ports.is_empty() {
        errors.push(field_error(
            &object,
            "spec.ports",
            "[]",
            "a LoadBalancer Service needs at least one port",
        ));
    }
    // Only needed to report specify-protocol keys that match no port.
    let declared_ports: BTreeSet<String> = if specify.is_empty() {
        BTreeSet::new()
    } else {
        ports.iter().map(|p| p.port.to_string()).collect()
    };
    for key in specify.keys().filter(|k| !declared_ports.contains(*k)) {
        warnings.push(annotation_error(
            &object,
            specify_raw,
            &format!("key {key:?} matches no Service port; ignored"),
        ));
    }

    let local_mode = (local && !common.direct).then_some(LocalMode {
        only_nodes_with_pods: only_bind,
        weighted,
    });
    let backend_options = BackendOptions {
        direct: common.direct,
        selector: selector.as_ref(),
        hybrid: common.hybrid,
        local: local_mode,
        weights: common.rs_weight.as_ref(),
        grace_shutdown: common.grace_shutdown,
        grace_tkex: common.grace_tkex,
    };
    let mut used: BTreeMap<(crate::desired::PortFamily, u16), Protocol> = BTreeMap::new();
    for (i, sp) in ports.iter().enumerate() {
        let Ok(port) = u16::try_from(sp.port)
            .map_err(|_| ())
            .and_then(|p| if p == 0 { Err(()) } else { Ok(p) })
        else {
            errors.push(field_error(
                &object,
                &format!("spec.ports[{i}].port"),
                &sp.port.to_string(),
                "must be within 1..=65535",
            ));
            continue;
        };
        let declared_raw = sp.protocol.as_deref().unwrap_or("TCP");
        let declared = match Protocol::parse(declared_raw) {
            Some(p @ (Protocol::Tcp | Protocol::Udp)) => p,
            _ => {
                errors.push(field_error(
                    &object,
                    &format!("spec.ports[{i}].protocol"),
                    declared_raw,
                    "CLB supports TCP and UDP Service ports",
                ));
                continue;
            }
        };
        // No key to format when no port is specified (the common case).
        let port_spec = if specify.is_empty() {
            None
        } else {
            specify.get(&port.to_string())
        };
        let protos: Vec<Protocol> = match port_spec {
            None => vec![declared],
            Some(ps) => {
                if ps.protocol.is_empty() {
                    errors.push(annotation_error(
                        &object,
                        specify_raw,
                        &format!("port {port}: `protocol` must not be empty"),
                    ));
                    continue;
                }
                let mut out = Vec::new();
                for p in &ps.protocol {
                    match Protocol::parse(p) {
                        Some(p) => out.push(p),
                        None => errors.push(annotation_error(&object, specify_raw, &format!("port {port}: unknown protocol {p:?} (TCP, UDP, TCP_SSL, HTTP, HTTPS, QUIC)"))),
                    }
                }
                out
            }
        };
        for protocol in protos {
            if !common.direct && protocol.family() != declared.family() {
                errors.push(annotation_error(
                    &object,
                    specify_raw,
                    &format!("port {port} is declared {declared}; without direct access it cannot become {protocol} (protocol family differs)"),
                ));
                continue;
            }
            if let Some(prev) = used.insert((protocol.family(), port), protocol) {
                errors.push(annotation_error(
                    &object,
                    specify_raw,
                    &format!("port {port}: {prev} and {protocol} cannot share the same port"),
                ));
                continue;
            }
            let key = ListenerKey { protocol, port };
            let (targets, warn) = backends::targets(idx, svc, sp, key, &backend_options);
            if let Some(w) = warn {
                warnings.push(field_error(
                    &object,
                    &format!("spec.ports[{i}]"),
                    &port.to_string(),
                    &w,
                ));
            }
            let targets: Targets = Arc::from(targets);
            let mut listener = Listener {
                key,
                name: listener_name(&options.cluster_id, &object, key),
                owner: object.clone(),
                certificate: None,
                sni: false,
                settings: ListenerSettings::default(),
                targets: Arc::from(Vec::new()),
                rules: Vec::new(),
                manages_redirects: false,
                create_parameters: listener_params.clone(),
            };
            let cert = |secret: &str, errors: &mut Vec<ClbError>| -> Option<Certificate> {
                match certs::resolve(idx, &object.namespace, secret, false) {
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
                }
            };
            match protocol {
                Protocol::TcpSsl | Protocol::Quic => match port_spec.and_then(|p| p.tls.as_deref())
                {
                    Some(s) => listener.certificate = cert(s, &mut errors),
                    None => errors.push(annotation_error(
                        &object,
                        specify_raw,
                        &format!(
                            "port {port}: {protocol} needs `tls` (a Secret with qcloud_cert_id)"
                        ),
                    )),
                },
                Protocol::Http | Protocol::Https => {
                    // No `hosts`: one rule on the default domain (not documented, §9 #31).
                    let hosts: Vec<(Domain, Option<&str>)> =
                        match port_spec.and_then(|p| p.hosts.as_ref()) {
                            Some(h) if !h.is_empty() => h
                                .iter()
                                .map(|(d, hs)| (Domain::Host(d.as_str().into()), hs.tls.as_deref()))
                                .collect(),
                            _ => vec![(Domain::Default, None)],
                        };
                    for (domain, host_tls) in hosts {
                        let mut rule = Rule {
                            key: RuleKey {
                                domain,
                                url: "/".into(),
                            },
                            action: RuleAction::Forward {
                                backend: BackendRef {
                                    service: object.name.clone(),
                                    port: port.to_string(),
                                },
                                targets: targets.clone(),
                            },
                            certificate: None,
                            settings: RuleSettings::default(),
                        };
                        if protocol == Protocol::Https {
                            // Per-host tls, falling back to the port's `tls` (not documented).
                            match host_tls.or(port_spec.and_then(|p| p.tls.as_deref())) {
                                Some(s) => rule.certificate = cert(s, &mut errors),
                                None => errors.push(annotation_error(
                                    &object,
                                    specify_raw,
                                    &format!(
                                        "port {port}: HTTPS host {} has no `tls`",
                                        rule.key.domain
                                    ),
                                )),
                            }
                            listener.sni = true;
                        }
                        listener.rules.push(rule);
                    }
                    listener.rules.sort_by(|a, b| a.key.cmp(&b.key));
                }
                Protocol::Tcp | Protocol::Udp => {}
            }
            if !protocol.is_layer7() {
                listener.targets = targets;
                if let Some(f) = cfg.and_then(|c| c.l4(protocol, port)) {
                    listener.settings = f.settings();
                }
                if prevent_loopback {
                    let hc = listener
                        .settings
                        .health_check
                        .get_or_insert_with(Box::default);
                    hc.source_ip_type.get_or_insert(1);
                }
            }
            contribution.listeners.push(listener);
        }
    }
    report.finish(errors, warnings, contribution)
}

fn annotation_error(object: &ObjectRef, value: &str, reason: &str) -> ClbError {
    ClbError::InvalidAnnotation {
        object: object.clone(),
        annotation: sk::SPECIFY_PROTOCOL.to_owned(),
        value: value.to_owned(),
        reason: reason.to_owned(),
    }
}

pub(crate) fn field_error(object: &ObjectRef, field: &str, value: &str, reason: &str) -> ClbError {
    ClbError::InvalidField {
        object: object.clone(),
        field: field.to_owned(),
        value: value.to_owned(),
        reason: reason.to_owned(),
    }
}
