//! Current CLB state.
//!
//! [`ClbState`] is the normalised view the planner compares against. [`describe`] holds the
//! shapes (field names as in the CLB API JSON) of `DescribeLoadBalancers`, `DescribeListeners` and
//! `DescribeTargets`, with [`ClbState::from_describe`] converting them. These are this crate's own
//! types: the generated `tke-models` CLB types are being built in parallel and can replace
//! [`describe`] through the same conversion once they land.

use crate::desired::{
    Certificate, Domain, ListenerKey, ListenerSettings, Protocol, RuleKey, RuleSettings, Scheduler,
    Session, Target,
};
use crate::error::ClbError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// A certificate as configured on the CLB (no Secret name).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CertState {
    /// Server certificate IDs.
    pub cert_ids: Vec<String>,
    /// Client CA (mutual TLS).
    pub ca_cert_id: Option<String>,
}

impl CertState {
    /// Whether the desired certificate is what is configured.
    pub fn matches(&self, c: &Certificate) -> bool {
        self.cert_ids == c.cert_ids && self.ca_cert_id == c.ca_cert_id
    }
}

impl From<&Certificate> for CertState {
    fn from(c: &Certificate) -> Self {
        CertState {
            cert_ids: c.cert_ids.clone(),
            ca_cert_id: c.ca_cert_id.clone(),
        }
    }
}

/// Redirect of a rule: target listener port and rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedirectState {
    /// Target listener port.
    pub to_port: u16,
    /// Target rule.
    pub to: RuleKey,
}

/// A forwarding rule on the CLB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleState {
    /// `LocationId`.
    pub id: String,
    /// Domain (the VIP is [`Domain::Default`]) and URL.
    pub key: RuleKey,
    /// Domain certificate (SNI).
    pub certificate: Option<CertState>,
    /// Settings as configured.
    pub settings: RuleSettings,
    /// Targets.
    pub targets: Vec<Target>,
    /// Redirect, if the rule redirects.
    pub redirect: Option<RedirectState>,
}

/// A listener on the CLB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListenerState {
    /// `ListenerId`.
    pub id: String,
    /// `ListenerName` (ownership: see [`crate::listener_name`]).
    pub name: String,
    /// Protocol and port.
    pub key: ListenerKey,
    /// Listener certificate.
    pub certificate: Option<CertState>,
    /// SNI switch.
    pub sni: bool,
    /// Settings as configured.
    pub settings: ListenerSettings,
    /// Layer-4 targets.
    pub targets: Vec<Target>,
    /// Layer-7 rules.
    pub rules: Vec<RuleState>,
}

/// One CLB as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClbState {
    /// `LoadBalancerId`.
    pub id: String,
    /// `LoadBalancerName`.
    pub name: String,
    /// VIPs (the default domain of layer-7 rules).
    pub vips: Vec<String>,
    /// Tags.
    pub tags: BTreeMap<String, String>,
    /// Bound security groups.
    pub security_groups: Vec<String>,
    /// Pass-to-target switch.
    pub pass_to_target: bool,
    /// Modification protection.
    pub modification_protection: bool,
    /// Deletion protection (the CLB is never deleted by the controllers).
    pub deletion_protection: bool,
    /// Used through Private Link (never deleted by the controllers).
    pub private_link: bool,
    /// Listeners.
    pub listeners: Vec<ListenerState>,
}

impl ClbState {
    /// Listener by key.
    pub fn listener(&self, key: ListenerKey) -> Option<&ListenerState> {
        self.listeners.iter().find(|l| l.key == key)
    }

    /// Build from the three Describe responses. Listeners/rules are joined with their targets by
    /// `ListenerId`/`LocationId`; unknown protocols or unparsable target IPs are errors.
    pub fn from_describe(
        lb: &describe::LoadBalancer,
        listeners: &[describe::Listener],
        targets: &[describe::ListenerBackend],
    ) -> Result<ClbState, ClbError> {
        let bad = |what: String| ClbError::CallRejected {
            clb: lb.load_balancer_id.clone(),
            call: "Describe".to_owned(),
            reason: what,
        };
        let domain = |d: &str| -> Domain {
            if d.is_empty() || lb.load_balancer_vips.iter().any(|v| v == d) {
                Domain::Default
            } else {
                Domain::Host(d.into())
            }
        };
        let conv_targets = |ts: &[describe::Backend]| -> Result<Vec<Target>, ClbError> {
            let mut out = Vec::with_capacity(ts.len());
            for t in ts {
                let ip = t
                    .private_ip_addresses
                    .first()
                    .ok_or_else(|| bad(format!("target {} has no private IP", t.instance_id)))?;
                let ip: IpAddr = ip
                    .parse()
                    .map_err(|_| bad(format!("target IP {ip:?} is not an IP address")))?;
                let port = u16::try_from(t.port)
                    .map_err(|_| bad(format!("target port {} out of range", t.port)))?;
                let weight = u32::try_from(t.weight)
                    .map_err(|_| bad(format!("target weight {} out of range", t.weight)))?;
                out.push(Target { ip, port, weight });
            }
            out.sort();
            Ok(out)
        };
        // LocationId → (listener port, rule key), for redirects.
        let mut locations: BTreeMap<&str, (u16, RuleKey)> = BTreeMap::new();
        for l in listeners {
            let port = u16::try_from(l.port)
                .map_err(|_| bad(format!("listener port {} out of range", l.port)))?;
            for r in &l.rules {
                locations.insert(
                    &r.location_id,
                    (
                        port,
                        RuleKey {
                            domain: domain(&r.domain),
                            url: r.url.as_str().into(),
                        },
                    ),
                );
            }
        }
        let mut out_listeners = Vec::with_capacity(listeners.len());
        for l in listeners {
            let protocol = Protocol::parse(&l.protocol)
                .ok_or_else(|| bad(format!("unknown listener protocol {:?}", l.protocol)))?;
            let port = u16::try_from(l.port)
                .map_err(|_| bad(format!("listener port {} out of range", l.port)))?;
            let backend = targets.iter().find(|t| t.listener_id == l.listener_id);
            let mut rules = Vec::with_capacity(l.rules.len());
            for r in &l.rules {
                let rule_targets = backend
                    .and_then(|b| b.rules.iter().find(|x| x.location_id == r.location_id))
                    .map(|x| conv_targets(&x.targets))
                    .transpose()?
                    .unwrap_or_default();
                let redirect = r
                    .rewrite_target
                    .as_ref()
                    .filter(|rt| !rt.target_location_id.is_empty())
                    .and_then(|rt| locations.get(rt.target_location_id.as_str()))
                    .map(|(to_port, to)| RedirectState {
                        to_port: *to_port,
                        to: to.clone(),
                    });
                rules.push(RuleState {
                    id: r.location_id.clone(),
                    key: RuleKey {
                        domain: domain(&r.domain),
                        url: r.url.as_str().into(),
                    },
                    certificate: r.certificate.as_ref().map(describe::Certificate::to_state),
                    settings: RuleSettings {
                        health_check: r.health_check.as_ref().map(|h| Box::new(h.to_model())),
                        session: Some(session(r.session_expire_time)),
                        scheduler: r.scheduler.as_deref().and_then(scheduler),
                        forward_type: r.forward_type.as_deref().and_then(|f| match f {
                            "HTTP" => Some(crate::desired::ForwardType::Http),
                            "HTTPS" => Some(crate::desired::ForwardType::Https),
                            "GRPC" => Some(crate::desired::ForwardType::Grpc),
                            _ => None,
                        }),
                        http2: r.http2,
                    },
                    targets: rule_targets,
                    redirect,
                });
            }
            rules.sort_by(|a, b| a.key.cmp(&b.key));
            out_listeners.push(ListenerState {
                id: l.listener_id.clone(),
                name: l.listener_name.clone(),
                key: ListenerKey { protocol, port },
                certificate: l.certificate.as_ref().map(describe::Certificate::to_state),
                sni: l.sni_switch == Some(1),
                settings: ListenerSettings {
                    health_check: l.health_check.as_ref().map(|h| Box::new(h.to_model())),
                    session: (!protocol.is_layer7()).then(|| session(l.session_expire_time)),
                    scheduler: l.scheduler.as_deref().and_then(scheduler),
                    deregister_target_rst: l.deregister_target_rst,
                    proxy_protocol: None,
                    default_server: l
                        .rules
                        .iter()
                        .find(|r| r.default_server == Some(true))
                        .map(|r| r.domain.clone()),
                    keepalive_enable: l.keepalive_enable.and_then(|k| u32::try_from(k).ok()),
                },
                targets: backend
                    .map(|b| conv_targets(&b.targets))
                    .transpose()?
                    .unwrap_or_default(),
                rules,
            });
        }
        out_listeners.sort_by_key(|a| a.key);
        Ok(ClbState {
            id: lb.load_balancer_id.clone(),
            name: lb.load_balancer_name.clone(),
            vips: lb.load_balancer_vips.clone(),
            tags: lb
                .tags
                .iter()
                .map(|t| (t.tag_key.clone(), t.tag_value.clone()))
                .collect(),
            security_groups: lb.secure_groups.clone(),
            pass_to_target: lb.load_balancer_pass_to_target.unwrap_or(false),
            modification_protection: false,
            deletion_protection: false,
            private_link: false,
            listeners: out_listeners,
        })
    }
}

fn session(expire: Option<i64>) -> Session {
    match expire
        .and_then(|e| u32::try_from(e).ok())
        .filter(|e| *e > 0)
    {
        Some(t) => Session {
            enable: Some(true),
            session_expire_time: Some(t),
        },
        None => Session {
            enable: Some(false),
            session_expire_time: None,
        },
    }
}

fn scheduler(s: &str) -> Option<Scheduler> {
    match s {
        "WRR" => Some(Scheduler::Wrr),
        "LEAST_CONN" => Some(Scheduler::LeastConn),
        "IP_HASH" => Some(Scheduler::IpHash),
        _ => None,
    }
}

/// Response shapes of the CLB Describe APIs (only the fields the planner needs), deserialisable from
/// the API's JSON (`PascalCase`).
pub mod describe {
    use super::CertState;
    use serde::{Deserialize, Serialize};

    /// `DescribeLoadBalancers` → `LoadBalancerSet[]`.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct LoadBalancer {
        /// ID.
        pub load_balancer_id: String,
        /// Name.
        pub load_balancer_name: String,
        /// `OPEN` or `INTERNAL`.
        pub load_balancer_type: String,
        /// 1 = application CLB, 0 = classic.
        pub forward: i64,
        /// VIPs.
        pub load_balancer_vips: Vec<String>,
        /// Tags.
        pub tags: Vec<TagInfo>,
        /// Security groups.
        pub secure_groups: Vec<String>,
        /// Pass-to-target.
        pub load_balancer_pass_to_target: Option<bool>,
        /// VPC.
        pub vpc_id: String,
        /// Subnet (internal CLBs).
        pub subnet_id: String,
    }

    /// A tag.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct TagInfo {
        /// Key.
        pub tag_key: String,
        /// Value.
        pub tag_value: String,
    }

    /// `DescribeListeners` → `Listeners[]`.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct Listener {
        /// ID.
        pub listener_id: String,
        /// Name.
        pub listener_name: String,
        /// Protocol.
        pub protocol: String,
        /// Port.
        pub port: i64,
        /// Certificate.
        pub certificate: Option<Certificate>,
        /// Health check.
        pub health_check: Option<HealthCheck>,
        /// Scheduler.
        pub scheduler: Option<String>,
        /// Session expiry (0 = off).
        pub session_expire_time: Option<i64>,
        /// SNI (1 = on).
        pub sni_switch: Option<i64>,
        /// Rules.
        pub rules: Vec<RuleOutput>,
        /// Two-way RST.
        pub deregister_target_rst: Option<bool>,
        /// Keep-alive.
        pub keepalive_enable: Option<i64>,
    }

    /// Certificate block.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct Certificate {
        /// `UNIDIRECTIONAL` or `MUTUAL`.
        #[serde(rename = "SSLMode")]
        pub ssl_mode: String,
        /// Server certificate.
        pub cert_id: String,
        /// Client CA.
        pub cert_ca_id: Option<String>,
        /// Further certificates (dual-algorithm).
        pub ext_cert_ids: Vec<String>,
    }

    impl Certificate {
        pub(crate) fn to_state(&self) -> CertState {
            let mut cert_ids = vec![self.cert_id.clone()];
            cert_ids.extend(self.ext_cert_ids.iter().cloned());
            CertState {
                cert_ids,
                ca_cert_id: self.cert_ca_id.clone().filter(|c| !c.is_empty()),
            }
        }
    }

    /// Health-check block.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct HealthCheck {
        /// 1 = on.
        pub health_switch: i64,
        /// Timeout.
        pub time_out: Option<i64>,
        /// Interval.
        pub interval_time: Option<i64>,
        /// Healthy threshold.
        pub health_num: Option<i64>,
        /// Unhealthy threshold.
        pub un_health_num: Option<i64>,
        /// HTTP codes bitmask.
        pub http_code: Option<i64>,
        /// Path.
        pub http_check_path: Option<String>,
        /// Domain.
        pub http_check_domain: Option<String>,
        /// Method.
        pub http_check_method: Option<String>,
        /// Port.
        pub check_port: Option<i64>,
        /// Type.
        pub check_type: Option<String>,
        /// HTTP version.
        pub http_version: Option<String>,
        /// Source IP type.
        pub source_ip_type: Option<i64>,
    }

    impl HealthCheck {
        pub(crate) fn to_model(&self) -> crate::desired::HealthCheck {
            let u = |v: Option<i64>| v.and_then(|x| u32::try_from(x).ok());
            crate::desired::HealthCheck {
                enable: Some(self.health_switch == 1),
                check_type: self.check_type.clone(),
                check_port: self.check_port.and_then(|p| u16::try_from(p).ok()),
                interval_time: u(self.interval_time),
                health_num: u(self.health_num),
                un_health_num: u(self.un_health_num),
                timeout: u(self.time_out),
                http_code: u(self.http_code),
                http_check_path: self.http_check_path.clone(),
                http_check_domain: self.http_check_domain.clone(),
                http_check_method: self.http_check_method.clone(),
                http_version: self.http_version.clone(),
                source_ip_type: u(self.source_ip_type),
            }
        }
    }

    /// `Rules[]` of a listener.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct RuleOutput {
        /// ID.
        pub location_id: String,
        /// Domain (the VIP for the default domain).
        pub domain: String,
        /// URL.
        pub url: String,
        /// Session expiry.
        pub session_expire_time: Option<i64>,
        /// Health check.
        pub health_check: Option<HealthCheck>,
        /// Domain certificate.
        pub certificate: Option<Certificate>,
        /// Scheduler.
        pub scheduler: Option<String>,
        /// Backend protocol.
        pub forward_type: Option<String>,
        /// HTTP/2.
        pub http2: Option<bool>,
        /// Redirect target.
        pub rewrite_target: Option<RewriteTarget>,
        /// Default server of the listener.
        pub default_server: Option<bool>,
    }

    /// Redirect target of a rule.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct RewriteTarget {
        /// Target listener.
        pub target_listener_id: String,
        /// Target rule.
        pub target_location_id: String,
    }

    /// `DescribeTargets` → `Listeners[]`.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct ListenerBackend {
        /// Listener.
        pub listener_id: String,
        /// Protocol.
        pub protocol: String,
        /// Port.
        pub port: i64,
        /// Layer-4 targets.
        pub targets: Vec<Backend>,
        /// Layer-7 rules with targets.
        pub rules: Vec<RuleTargets>,
    }

    /// Targets of a rule.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct RuleTargets {
        /// Rule.
        pub location_id: String,
        /// Domain.
        pub domain: String,
        /// URL.
        pub url: String,
        /// Targets.
        pub targets: Vec<Backend>,
    }

    /// A target.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct Backend {
        /// `CVM` or `ENI`.
        #[serde(rename = "Type")]
        pub type_: String,
        /// Instance ID (CVM) or empty.
        pub instance_id: String,
        /// Port.
        pub port: i64,
        /// Weight.
        pub weight: i64,
        /// Private IPs.
        pub private_ip_addresses: Vec<String>,
    }
}
