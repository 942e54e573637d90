//! The `TkeServiceConfig` custom resource (`cloud.tencent.com/v1alpha1`): typed model,
//! validation (spec §5.4) and matching (§5.2).

use crate::desired::{
    ForwardType, HealthCheck, ListenerSettings, Protocol, RuleSettings, Scheduler, Session,
};
use crate::error::ClbError;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

/// API version of the CRD.
pub const API_VERSION: &str = "cloud.tencent.com/v1alpha1";
/// Kind of the CRD.
pub const KIND: &str = "TkeServiceConfig";
/// Reserved suffix of auto-created Service configs.
pub const AUTO_SERVICE_SUFFIX: &str = "-auto-service-config";
/// Reserved suffix of auto-created Ingress configs.
pub const AUTO_INGRESS_SUFFIX: &str = "-auto-ingress-config";

/// A `TkeServiceConfig` object.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TkeServiceConfig {
    /// `cloud.tencent.com/v1alpha1`.
    #[serde(default)]
    pub api_version: String,
    /// `TkeServiceConfig`.
    #[serde(default)]
    pub kind: String,
    /// Metadata (name, namespace).
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Spec.
    #[serde(default)]
    pub spec: TkeServiceConfigSpec,
}

/// `spec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TkeServiceConfigSpec {
    /// `spec.loadBalancer`.
    #[serde(default)]
    pub load_balancer: LoadBalancerConfig,
}

/// `spec.loadBalancer`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancerConfig {
    /// Fragments for Service listeners.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub l4_listeners: Vec<L4ListenerConfig>,
    /// Fragments for Ingress listeners (the document also spells it `l7listeners`).
    #[serde(default, alias = "l7listeners", skip_serializing_if = "Vec::is_empty")]
    pub l7_listeners: Vec<L7ListenerConfig>,
}

/// Health-check block (shared by layer 4 and layer 7).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheckConfig {
    /// Required when the block is present.
    pub enable: Option<bool>,
    /// Check type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_type: Option<String>,
    /// Probe port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_port: Option<i64>,
    /// Interval, 5–300 s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_time: Option<i64>,
    /// 2–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_num: Option<i64>,
    /// 2–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub un_health_num: Option<i64>,
    /// 2–60 s, below the interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i64>,
    /// 1–31 bitmask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_code: Option<i64>,
    /// Probe path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_check_path: Option<String>,
    /// Probe host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_check_domain: Option<String>,
    /// HEAD or GET.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_check_method: Option<String>,
    /// HTTP/1.0 or HTTP/1.1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_version: Option<String>,
    /// 0 or 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ip_type: Option<i64>,
}

/// Session block.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionConfig {
    /// Required when the block is present.
    pub enable: Option<bool>,
    /// 30–3600 s (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_expire_time: Option<i64>,
}

/// `proxyProtocol` block.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProxyProtocolConfig {
    /// On/off.
    pub enable: Option<bool>,
}

/// One `l4Listeners[]` fragment, matched by `(protocol, port)`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct L4ListenerConfig {
    /// TCP, UDP, TCP_SSL or QUIC.
    pub protocol: String,
    /// 1–65535.
    pub port: i64,
    /// Two-way RST on deregistration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deregister_target_rst: Option<bool>,
    /// Session persistence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<SessionConfig>,
    /// Health check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheckConfig>,
    /// WRR or LEAST_CONN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduler: Option<String>,
    /// ProxyProtocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_protocol: Option<ProxyProtocolConfig>,
}

/// One `l7Listeners[]` fragment, matched by `(protocol, port)`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct L7ListenerConfig {
    /// HTTP or HTTPS.
    pub protocol: String,
    /// 1–65535.
    pub port: i64,
    /// Default domain of the listener.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_server: Option<String>,
    /// Keep-alive (1); whitelisted users only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keepalive_enable: Option<i64>,
    /// Domains.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<DomainConfig>,
}

/// `domains[]`, matched by `domain` (`""` = default domain).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainConfig {
    /// Host or `""`.
    #[serde(default)]
    pub domain: String,
    /// HTTP/2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http2: Option<bool>,
    /// Rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<L7RuleConfig>,
}

/// `rules[]`, matched by `url`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct L7RuleConfig {
    /// URL.
    pub url: String,
    /// HTTP, HTTPS or GRPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_type: Option<String>,
    /// Session persistence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<SessionConfig>,
    /// Health check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheckConfig>,
    /// WRR, LEAST_CONN or IP_HASH.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduler: Option<String>,
}

impl TkeServiceConfig {
    /// `namespace/name`.
    pub fn id(&self) -> String {
        format!(
            "{}/{}",
            self.metadata.namespace.as_deref().unwrap_or("default"),
            self.metadata.name.as_deref().unwrap_or_default()
        )
    }

    /// The layer-4 fragment for a listener, if any.
    pub fn l4(&self, protocol: Protocol, port: u16) -> Option<&L4ListenerConfig> {
        self.spec
            .load_balancer
            .l4_listeners
            .iter()
            .find(|l| l.protocol == protocol.as_str() && l.port == i64::from(port))
    }

    /// The layer-7 fragment for a listener, if any.
    pub fn l7(&self, protocol: Protocol, port: u16) -> Option<&L7ListenerConfig> {
        self.spec
            .load_balancer
            .l7_listeners
            .iter()
            .find(|l| l.protocol == protocol.as_str() && l.port == i64::from(port))
    }

    /// Validate every fragment (spec §5.4). `domain_based_clb`: `sourceIpType: 0` is not allowed.
    /// Returns all problems, not just the first.
    pub fn validate(&self, domain_based_clb: bool) -> Vec<ClbError> {
        let mut v = Validator {
            config: self.id(),
            errors: Vec::new(),
            domain_based_clb,
        };
        for (i, l) in self.spec.load_balancer.l4_listeners.iter().enumerate() {
            v.l4(&format!("spec.loadBalancer.l4Listeners[{i}]"), l);
        }
        for (i, l) in self.spec.load_balancer.l7_listeners.iter().enumerate() {
            v.l7(&format!("spec.loadBalancer.l7Listeners[{i}]"), l);
        }
        v.errors
    }
}

struct Validator {
    config: String,
    errors: Vec<ClbError>,
    domain_based_clb: bool,
}

impl Validator {
    fn err(&mut self, field: String, value: impl ToString, reason: &str) {
        self.errors.push(ClbError::InvalidTkeServiceConfig {
            config: self.config.clone(),
            field,
            value: value.to_string(),
            reason: reason.to_owned(),
        });
    }

    fn range(&mut self, field: String, value: Option<i64>, lo: i64, hi: i64) {
        if let Some(x) = value
            && !(lo..=hi).contains(&x)
        {
            self.err(field, x, &format!("must be within {lo}..={hi}"));
        }
    }

    fn one_of(&mut self, field: String, value: Option<&str>, allowed: &[&str]) {
        if let Some(x) = value
            && !allowed.contains(&x)
        {
            self.err(field, x, &format!("must be one of {}", allowed.join(", ")));
        }
    }

    fn port(&mut self, path: &str, port: i64) {
        self.range(format!("{path}.port"), Some(port), 1, 65535);
    }

    fn session(&mut self, path: &str, s: &SessionConfig) {
        if s.enable.is_none() {
            self.err(
                format!("{path}.session.enable"),
                "<absent>",
                "required when `session` is present",
            );
        }
        self.range(
            format!("{path}.session.sessionExpireTime"),
            s.session_expire_time,
            30,
            3600,
        );
    }

    fn health(&mut self, path: &str, h: &HealthCheckConfig) {
        let p = format!("{path}.healthCheck");
        if h.enable.is_none() {
            self.err(
                format!("{p}.enable"),
                "<absent>",
                "required when `healthCheck` is present",
            );
        }
        self.range(format!("{p}.intervalTime"), h.interval_time, 5, 300);
        self.range(format!("{p}.healthNum"), h.health_num, 2, 10);
        self.range(format!("{p}.unHealthNum"), h.un_health_num, 2, 10);
        self.range(format!("{p}.timeout"), h.timeout, 2, 60);
        self.range(format!("{p}.httpCode"), h.http_code, 1, 31);
        self.range(format!("{p}.checkPort"), h.check_port, 1, 65535);
        self.range(format!("{p}.sourceIpType"), h.source_ip_type, 0, 1);
        // Defaults 5 s / 2 s apply to the missing side (spec §5.1).
        let interval = h.interval_time.unwrap_or(5);
        let timeout = h.timeout.unwrap_or(2);
        if timeout >= interval {
            self.err(
                format!("{p}.timeout"),
                timeout,
                &format!("must be below intervalTime ({interval})"),
            );
        }
        self.one_of(
            format!("{p}.httpCheckMethod"),
            h.http_check_method.as_deref(),
            &["HEAD", "GET"],
        );
        if self.domain_based_clb && h.source_ip_type == Some(0) {
            self.err(
                format!("{p}.sourceIpType"),
                0,
                "a domain-based CLB only allows 1",
            );
        }
    }

    fn l4(&mut self, path: &str, l: &L4ListenerConfig) {
        let proto = Protocol::parse(&l.protocol);
        match proto {
            Some(Protocol::Tcp | Protocol::Udp | Protocol::TcpSsl | Protocol::Quic) => {}
            _ => self.err(
                format!("{path}.protocol"),
                &l.protocol,
                "must be one of TCP, UDP, TCP_SSL, QUIC",
            ),
        }
        self.port(path, l.port);
        if let Some(s) = &l.session {
            self.session(path, s);
        }
        if let Some(h) = &l.health_check {
            self.health(path, h);
            let ct = h.check_type.as_deref();
            self.one_of(
                format!("{path}.healthCheck.checkType"),
                ct,
                &["TCP", "HTTP", "CUSTOM"],
            );
            if proto == Some(Protocol::Udp) && ct.is_some_and(|c| c != "CUSTOM") {
                self.err(
                    format!("{path}.healthCheck.checkType"),
                    ct.unwrap_or_default(),
                    "UDP listeners only support CUSTOM",
                );
            }
            if ct == Some("HTTP") && h.http_version.is_none() {
                self.err(
                    format!("{path}.healthCheck.httpVersion"),
                    "<absent>",
                    "required with checkType HTTP",
                );
            }
            self.one_of(
                format!("{path}.healthCheck.httpVersion"),
                h.http_version.as_deref(),
                &["HTTP/1.0", "HTTP/1.1"],
            );
        }
        self.one_of(
            format!("{path}.scheduler"),
            l.scheduler.as_deref(),
            &["WRR", "LEAST_CONN"],
        );
        if l.proxy_protocol.as_ref().and_then(|p| p.enable) == Some(true)
            && matches!(proto, Some(Protocol::Tcp | Protocol::Udp))
        {
            self.err(
                format!("{path}.proxyProtocol.enable"),
                true,
                "only effective for TCP_SSL and QUIC listeners",
            );
        }
    }

    fn l7(&mut self, path: &str, l: &L7ListenerConfig) {
        if !matches!(
            Protocol::parse(&l.protocol),
            Some(Protocol::Http | Protocol::Https)
        ) {
            self.err(
                format!("{path}.protocol"),
                &l.protocol,
                "must be HTTP or HTTPS",
            );
        }
        self.port(path, l.port);
        self.range(format!("{path}.keepaliveEnable"), l.keepalive_enable, 0, 1);
        for (di, d) in l.domains.iter().enumerate() {
            for (ri, r) in d.rules.iter().enumerate() {
                let rp = format!("{path}.domains[{di}].rules[{ri}]");
                self.one_of(
                    format!("{rp}.forwardType"),
                    r.forward_type.as_deref(),
                    &["HTTP", "HTTPS", "GRPC"],
                );
                self.one_of(
                    format!("{rp}.scheduler"),
                    r.scheduler.as_deref(),
                    &["WRR", "LEAST_CONN", "IP_HASH"],
                );
                if let Some(s) = &r.session {
                    self.session(&rp, s);
                }
                if let Some(h) = &r.health_check {
                    self.health(&rp, h);
                    let ct = h.check_type.as_deref();
                    self.one_of(
                        format!("{rp}.healthCheck.checkType"),
                        ct,
                        &["HTTP", "HTTPS", "TCP"],
                    );
                    // checkType defaults to HTTP for layer 7.
                    if r.forward_type.as_deref() == Some("HTTPS") && ct.unwrap_or("HTTP") == "HTTP"
                    {
                        self.err(
                            format!("{rp}.healthCheck.checkType"),
                            ct.unwrap_or("HTTP"),
                            "forwardType HTTPS requires checkType TCP or HTTPS",
                        );
                    }
                    if d.domain.starts_with('*')
                        && h.enable == Some(true)
                        && h.http_check_domain.is_none()
                    {
                        self.err(
                            format!("{rp}.healthCheck.httpCheckDomain"),
                            "<absent>",
                            "a wildcard domain needs an explicit httpCheckDomain for health checks",
                        );
                    }
                }
            }
        }
    }
}

fn u(v: Option<i64>) -> Option<u32> {
    v.and_then(|x| u32::try_from(x).ok())
}

fn health(h: &HealthCheckConfig) -> HealthCheck {
    HealthCheck {
        enable: h.enable,
        check_type: h.check_type.clone(),
        check_port: h.check_port.and_then(|p| u16::try_from(p).ok()),
        interval_time: u(h.interval_time),
        health_num: u(h.health_num),
        un_health_num: u(h.un_health_num),
        timeout: u(h.timeout),
        http_code: u(h.http_code),
        http_check_path: h.http_check_path.clone(),
        http_check_domain: h.http_check_domain.clone(),
        http_check_method: h.http_check_method.clone(),
        http_version: h.http_version.clone(),
        source_ip_type: u(h.source_ip_type),
    }
}

fn session(s: &SessionConfig) -> Session {
    Session {
        enable: s.enable,
        session_expire_time: u(s.session_expire_time),
    }
}

fn scheduler(s: Option<&str>) -> Option<Scheduler> {
    match s? {
        "WRR" => Some(Scheduler::Wrr),
        "LEAST_CONN" => Some(Scheduler::LeastConn),
        "IP_HASH" => Some(Scheduler::IpHash),
        _ => None,
    }
}

impl L4ListenerConfig {
    /// Listener settings this fragment sets (only validated configs should be applied).
    pub fn settings(&self) -> ListenerSettings {
        ListenerSettings {
            health_check: self.health_check.as_ref().map(|h| Box::new(health(h))),
            session: self.session.as_ref().map(session),
            scheduler: scheduler(self.scheduler.as_deref()),
            deregister_target_rst: self.deregister_target_rst,
            proxy_protocol: self.proxy_protocol.as_ref().and_then(|p| p.enable),
            default_server: None,
            keepalive_enable: None,
        }
    }
}

impl L7ListenerConfig {
    /// Listener-level settings (default server, keep-alive).
    pub fn settings(&self) -> ListenerSettings {
        ListenerSettings {
            default_server: self.default_server.clone(),
            keepalive_enable: u(self.keepalive_enable),
            ..ListenerSettings::default()
        }
    }

    /// Rule settings for `(domain, url)`; `domain` `""` = default domain. Exact string match.
    pub fn rule_settings(&self, domain: &str, url: &str) -> Option<RuleSettings> {
        let d = self.domains.iter().find(|d| d.domain == domain)?;
        let r = d.rules.iter().find(|r| r.url == url);
        if r.is_none() && d.http2.is_none() {
            return None;
        }
        let mut s = RuleSettings {
            http2: d.http2,
            ..RuleSettings::default()
        };
        if let Some(r) = r {
            s.health_check = r.health_check.as_ref().map(|h| Box::new(health(h)));
            s.session = r.session.as_ref().map(session);
            s.scheduler = scheduler(r.scheduler.as_deref());
            s.forward_type = match r.forward_type.as_deref() {
                Some("HTTP") => Some(ForwardType::Http),
                Some("HTTPS") => Some(ForwardType::Https),
                Some("GRPC") => Some(ForwardType::Grpc),
                _ => None,
            };
        }
        Some(s)
    }
}
