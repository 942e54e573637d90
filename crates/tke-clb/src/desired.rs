//! The desired CLB state computed from Kubernetes objects.
//!
//! Every listener/rule attribute that comes from a `TkeServiceConfig` is an `Option`: `None` means
//! "the controller leaves the CLB's value as it is" (spec §5.2, partial overlay).

use crate::object::ObjectRef;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

/// CLB listener protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Protocol {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
    /// TCP with TLS offload (certificate on the listener).
    TcpSsl,
    /// HTTP (layer 7, rules by domain and URL).
    Http,
    /// HTTPS (layer 7, certificates per listener or per domain).
    Https,
    /// QUIC (UDP family, certificate on the listener).
    Quic,
}

/// Port space a protocol occupies on a CLB: TCP, TCP_SSL, HTTP and HTTPS share the TCP ports;
/// UDP and QUIC share the UDP ports. Two listeners may share a port only across families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PortFamily {
    /// TCP port space.
    Tcp,
    /// UDP port space.
    Udp,
}

impl Protocol {
    /// All protocols.
    pub const ALL: [Protocol; 6] = [
        Protocol::Tcp,
        Protocol::Udp,
        Protocol::TcpSsl,
        Protocol::Http,
        Protocol::Https,
        Protocol::Quic,
    ];

    /// The CLB API spelling (`TCP_SSL`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::TcpSsl => "TCP_SSL",
            Protocol::Http => "HTTP",
            Protocol::Https => "HTTPS",
            Protocol::Quic => "QUIC",
        }
    }

    /// Parse the CLB API spelling (exact, upper case).
    pub fn parse(s: &str) -> Option<Protocol> {
        Protocol::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Port space of the protocol.
    pub fn family(self) -> PortFamily {
        match self {
            Protocol::Udp | Protocol::Quic => PortFamily::Udp,
            _ => PortFamily::Tcp,
        }
    }

    /// HTTP or HTTPS (listeners that hold forwarding rules).
    pub fn is_layer7(self) -> bool {
        matches!(self, Protocol::Http | Protocol::Https)
    }

    /// Protocols that carry a listener-level certificate or per-domain certificates.
    pub fn needs_certificate(self) -> bool {
        matches!(self, Protocol::TcpSsl | Protocol::Quic | Protocol::Https)
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A listener's identity on one CLB: protocol and port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ListenerKey {
    /// Protocol.
    pub protocol: Protocol,
    /// Listener port.
    pub port: u16,
}

impl fmt::Display for ListenerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.protocol, self.port)
    }
}

/// An immutable, cheaply cloned string (host names, URLs): the desired state and every planned
/// call addressing a rule share one allocation. Compares, hashes, orders, prints and serializes
/// exactly like the string.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Name(Arc<str>);

impl Name {
    /// The string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Self {
        Name(s.into())
    }
}

impl From<String> for Name {
    fn from(s: String) -> Self {
        Name(s.into())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

/// A forwarding rule's domain: a host name or the CLB's default domain (its VIP).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Domain {
    /// The default domain: the CLB VIP (Ingress rules without `host`, TkeServiceConfig `domain: ""`).
    Default,
    /// An explicit host, possibly a wildcard such as `*.abc.com`. Shared (`Arc`): the same name
    /// is held by the desired rule and every planned call that addresses it.
    Host(Name),
}

impl Domain {
    /// `Default` for an empty or absent host.
    pub fn from_host(host: Option<&str>) -> Domain {
        match host {
            None | Some("") => Domain::Default,
            Some(h) => Domain::Host(h.into()),
        }
    }

    /// Host name, `None` for the default domain.
    pub fn host(&self) -> Option<&str> {
        match self {
            Domain::Default => None,
            Domain::Host(h) => Some(h.as_str()),
        }
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Domain::Default => f.write_str("<default domain>"),
            Domain::Host(h) => f.write_str(h.as_str()),
        }
    }
}

/// A forwarding rule's identity under a layer-7 listener.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RuleKey {
    /// Domain.
    pub domain: Domain,
    /// URL (path); shared like [`Domain::Host`].
    pub url: Name,
}

impl fmt::Display for RuleKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.domain, self.url)
    }
}

/// A backend (real server) of a listener or rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Target {
    /// Node IP (NodePort mode) or Pod IP (direct mode).
    pub ip: IpAddr,
    /// NodePort or container port.
    pub port: u16,
    /// Weight (0 drains the target).
    pub weight: u32,
}

/// Targets, shared between rules that forward to the same Service port (cheap to clone).
pub type Targets = Arc<[Target]>;

/// Load-balancing algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Scheduler {
    /// Weighted round robin.
    Wrr,
    /// Least connections.
    LeastConn,
    /// Source IP hash (layer-7 rules only).
    IpHash,
}

/// Backend protocol of a layer-7 rule (CLB → backend).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ForwardType {
    /// HTTP.
    Http,
    /// HTTPS (the backend must serve HTTPS).
    Https,
    /// gRPC.
    Grpc,
}

/// Health-check settings; every field is a partial overlay (`None` = leave as is).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheck {
    /// Health check on/off.
    pub enable: Option<bool>,
    /// `TCP`, `HTTP`, `CUSTOM` (layer 4) or `HTTP`, `HTTPS`, `TCP` (layer 7).
    pub check_type: Option<String>,
    /// Probe port.
    pub check_port: Option<u16>,
    /// Interval in seconds (5–300).
    pub interval_time: Option<u32>,
    /// Successes before healthy (2–10).
    pub health_num: Option<u32>,
    /// Failures before unhealthy (2–10).
    pub un_health_num: Option<u32>,
    /// Timeout in seconds (2–60, below the interval).
    pub timeout: Option<u32>,
    /// HTTP status bitmask (1–31).
    pub http_code: Option<u32>,
    /// HTTP probe path.
    pub http_check_path: Option<String>,
    /// HTTP probe host.
    pub http_check_domain: Option<String>,
    /// `HEAD` or `GET`.
    pub http_check_method: Option<String>,
    /// `HTTP/1.0` or `HTTP/1.1` (layer-4 HTTP checks).
    pub http_version: Option<String>,
    /// 0 = VIP as probe source, 1 = 100.64.0.0/10.
    pub source_ip_type: Option<u32>,
}

/// Session persistence; partial overlay.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// On/off.
    pub enable: Option<bool>,
    /// Expiry in seconds (30–3600).
    pub session_expire_time: Option<u32>,
}

/// A certificate resolved from a Secret (`qcloud_cert_id`, optional `qcloud_ca_cert_id`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Certificate {
    /// Secret the certificate came from (same namespace as the object).
    pub secret: String,
    /// Server certificate IDs: one, or two of different algorithms (dual-algorithm).
    pub cert_ids: Vec<String>,
    /// Client CA certificate ID: present ⇒ mutual TLS.
    pub ca_cert_id: Option<String>,
}

impl Certificate {
    /// `MUTUAL` when a client CA is configured, else `UNIDIRECTIONAL` (CLB `SSLMode`).
    pub fn ssl_mode(&self) -> &'static str {
        if self.ca_cert_id.is_some() {
            "MUTUAL"
        } else {
            "UNIDIRECTIONAL"
        }
    }
}

/// Listener-level settings from `TkeServiceConfig` (all partial overlays).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ListenerSettings {
    /// Health check (layer-4 listeners); boxed to keep listeners small.
    pub health_check: Option<Box<HealthCheck>>,
    /// Session persistence (layer-4 listeners).
    pub session: Option<Session>,
    /// Scheduler (layer-4 listeners).
    pub scheduler: Option<Scheduler>,
    /// Two-way RST when a target is deregistered.
    pub deregister_target_rst: Option<bool>,
    /// ProxyProtocol (TCP_SSL and QUIC only).
    pub proxy_protocol: Option<bool>,
    /// Default server (domain) of a layer-7 listener.
    pub default_server: Option<String>,
    /// Keep-alive (whitelisted users only).
    pub keepalive_enable: Option<u32>,
}

/// Rule-level settings from `TkeServiceConfig` (all partial overlays).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RuleSettings {
    /// Health check; boxed to keep rules small.
    pub health_check: Option<Box<HealthCheck>>,
    /// Session persistence.
    pub session: Option<Session>,
    /// Scheduler.
    pub scheduler: Option<Scheduler>,
    /// Backend protocol.
    pub forward_type: Option<ForwardType>,
    /// HTTP/2 for the rule's domain.
    pub http2: Option<bool>,
}

/// The Service port a rule forwards to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BackendRef {
    /// Service name (same namespace as the Ingress).
    pub service: String,
    /// Service port: number or port name, as written.
    pub port: String,
}

/// What a forwarding rule does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleAction {
    /// Forward to the targets of a Service port.
    Forward {
        /// Referenced Service port.
        backend: BackendRef,
        /// Resolved targets.
        targets: Targets,
    },
    /// Redirect to another rule of the same CLB.
    Redirect {
        /// Listener port of the target rule.
        to_port: u16,
        /// Target rule.
        to: RuleKey,
    },
}

/// A forwarding rule under an HTTP/HTTPS listener.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Domain and URL.
    pub key: RuleKey,
    /// Forward or redirect.
    pub action: RuleAction,
    /// Per-domain certificate (HTTPS with SNI).
    pub certificate: Option<Certificate>,
    /// Settings from `TkeServiceConfig`.
    pub settings: RuleSettings,
}

/// A listener on a CLB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listener {
    /// Protocol and port.
    pub key: ListenerKey,
    /// Deterministic name recording ownership (see [`listener_name`]).
    pub name: String,
    /// Object that produced the listener.
    pub owner: ObjectRef,
    /// Listener-level certificate (TCP_SSL, QUIC, HTTPS without SNI).
    pub certificate: Option<Certificate>,
    /// SNI on (per-domain certificates); CLB cannot turn it off again.
    pub sni: bool,
    /// Settings from `TkeServiceConfig`.
    pub settings: ListenerSettings,
    /// Targets of a layer-4 listener (empty for layer 7).
    pub targets: Targets,
    /// Rules of a layer-7 listener, sorted by key.
    pub rules: Vec<Rule>,
    /// The owner manages redirect rules (`rewrite-support: "true"`); otherwise redirect rules found on
    /// the CLB are left alone (spec §4.5).
    pub manages_redirects: bool,
    /// Creation-only extra listener parameters (`service.listenerParameters`).
    pub create_parameters: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Deterministic listener name: `tke_<cluster>_<svc|ing>_<namespace>_<name>_<PROTO>_<port>`.
/// The spec leaves the format open (§9 gap 27); a listener whose name differs is treated as not owned.
pub fn listener_name(cluster_id: &str, owner: &ObjectRef, key: ListenerKey) -> String {
    format!(
        "{}{}",
        listener_name_prefix(cluster_id),
        format_args!(
            "{}_{}_{}_{}_{}",
            owner.kind.tag(),
            owner.namespace,
            owner.name,
            key.protocol,
            key.port
        )
    )
}

/// Prefix shared by all listener names this cluster owns.
pub fn listener_name_prefix(cluster_id: &str) -> String {
    format!("tke_{cluster_id}_")
}

/// Public or internal (VPC) network of a CLB to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Network {
    /// Public CLB.
    Public,
    /// Internal CLB in a subnet.
    Internal {
        /// Subnet ID.
        subnet_id: String,
    },
}

/// Public-network charge type of a created CLB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChargeType {
    /// Billed by bandwidth, hourly.
    BandwidthPostpaidByHour,
    /// Billed by traffic, hourly.
    TrafficPostpaidByHour,
}

impl ChargeType {
    /// API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ChargeType::BandwidthPostpaidByHour => "BANDWIDTH_POSTPAID_BY_HOUR",
            ChargeType::TrafficPostpaidByHour => "TRAFFIC_POSTPAID_BY_HOUR",
        }
    }
}

/// Parameters of a pay-as-you-go CLB the controller creates (creation-only: never diffed later).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateParams {
    /// Deterministic CLB name, used to find the CLB again when no ID is recorded yet.
    pub name: String,
    /// Public or internal.
    pub network: Network,
    /// Region for cross-region creation (`cross-region-id`).
    pub region: Option<String>,
    /// VPC for cross-VPC creation (`cross-vpc-id`); default the cluster VPC.
    pub vpc_id: Option<String>,
    /// Charge type.
    pub charge_type: Option<ChargeType>,
    /// Max outbound bandwidth in Mbps.
    pub bandwidth_out: Option<u32>,
    /// `extensiveParameters`, passed through verbatim.
    pub extensive_parameters: serde_json::Map<String, serde_json::Value>,
}

/// Which CLB an object uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClbSource {
    /// The controller creates (and owns) a CLB.
    Create(CreateParams),
    /// A user-created CLB (`tke-existed-lbid` / `ingress.existLbId`).
    Existing {
        /// CLB ID.
        id: String,
        /// Region for cross-region reuse.
        region: Option<String>,
    },
}

/// How desired CLBs are keyed: by ID for existing CLBs, by owner for CLBs to create.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ClbKey {
    /// An existing CLB, shared by every object naming it.
    Existing(String),
    /// The CLB created for one object.
    Created(ObjectRef),
}

impl fmt::Display for ClbKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClbKey::Existing(id) => f.write_str(id),
            ClbKey::Created(o) => write!(f, "<to create for {o}>"),
        }
    }
}

/// A SNAT IP for hybrid (IDC) access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnatIp {
    /// Subnet to allocate from.
    pub subnet_id: String,
    /// Fixed IP, allocated from the subnet when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
}

/// Desired configuration of one CLB (after merging every object that uses it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesiredClb {
    /// Key.
    pub key: ClbKey,
    /// Create or reuse.
    pub source: ClbSource,
    /// CLB ID if already known (existing CLB, or recorded in the read-only ID annotation).
    pub known_id: Option<String>,
    /// Objects whose listeners are on this CLB, sorted.
    pub owners: Vec<ObjectRef>,
    /// Listeners sorted by key.
    pub listeners: Vec<Listener>,
    /// Security groups to bind (`None` = not managed; empty = unbind all).
    pub security_groups: Option<Vec<String>>,
    /// CLB pass-to-target.
    pub pass_to_target: Option<bool>,
    /// CLB modification protection.
    pub modification_protection: Option<bool>,
    /// SNAT IPs (hybrid access).
    pub snat_ips: Vec<SnatIp>,
    /// Tags the cluster sets on the CLB.
    pub tags: BTreeMap<String, String>,
    /// Documented limits this CLB exceeds (also reported as warnings of its owners).
    pub violations: Vec<crate::error::ClbError>,
}

impl DesiredClb {
    /// Listener by key.
    pub fn listener(&self, protocol: Protocol, port: u16) -> Option<&Listener> {
        self.listeners
            .iter()
            .find(|l| l.key == ListenerKey { protocol, port })
    }
}

impl Listener {
    /// Rule by domain (`None` = default domain) and URL.
    pub fn rule(&self, host: Option<&str>, url: &str) -> Option<&Rule> {
        let domain = Domain::from_host(host);
        self.rules
            .iter()
            .find(|r| r.key.domain == domain && &*r.key.url == url)
    }
}

#[cfg(test)]
mod name_tests {
    use super::*;

    #[test]
    fn name_behaves_like_the_string() {
        let key = RuleKey {
            domain: Domain::from_host(Some("a.com")),
            url: "/x".into(),
        };
        assert_eq!(
            format!("{key:?}"),
            r#"RuleKey { domain: Host("a.com"), url: "/x" }"#
        );
        let json = serde_json::to_string(&key).unwrap();
        assert_eq!(json, r#"{"domain":{"Host":"a.com"},"url":"/x"}"#);
        assert_eq!(serde_json::from_str::<RuleKey>(&json).unwrap(), key);
        assert_eq!(key.url, "/x");
        let (a, b) = (Name::from("/a"), Name::from(String::from("/b")));
        assert!(a < b);
        // Clones share the allocation.
        let copy = key.clone();
        assert!(std::ptr::eq(key.url.as_str(), copy.url.as_str()));
    }
}
