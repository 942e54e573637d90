//! Annotation keys (spec §2) and a reader that parses values and collects every error.

use crate::error::ClbError;
use crate::object::ObjectRef;
use crate::options::ControllerVersion;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// Service annotation keys (spec §2.1).
pub mod service {
    /// Read-only: CLB ID the Service uses (written by the controller).
    pub const LOADBALANCE_ID: &str = "service.kubernetes.io/loadbalance-id";
    /// Use an existing CLB.
    pub const EXISTED_LBID: &str = "service.kubernetes.io/tke-existed-lbid";
    /// Allow several Services on one existing CLB.
    pub const SHARE_EXISTED_LB: &str = "service.kubernetes.io/qcloud-share-existed-lb";
    /// Internal CLB subnet.
    pub const INTERNAL_SUBNET: &str = "service.kubernetes.io/qcloud-loadbalancer-internal-subnetid";
    /// Charge type (creation-only).
    pub const CHARGE_TYPE: &str = "service.kubernetes.io/qcloud-loadbalancer-internet-charge-type";
    /// Bandwidth in Mbps (creation-only).
    pub const BANDWIDTH_OUT: &str =
        "service.kubernetes.io/qcloud-loadbalancer-internet-max-bandwidth-out";
    /// Extra CreateLoadBalancer parameters (creation-only).
    pub const EXTENSIVE_PARAMETERS: &str = "service.kubernetes.io/service.extensiveParameters";
    /// Extra CreateListener parameters (creation-only).
    pub const LISTENER_PARAMETERS: &str = "service.kubernetes.io/service.listenerParameters";
    /// Security-group default pass-through.
    pub const PASS_TO_TARGET: &str = "service.cloud.tencent.com/pass-to-target";
    /// Security groups bound to the CLB.
    pub const SECURITY_GROUPS: &str = "service.cloud.tencent.com/security-groups";
    /// Modification protection.
    pub const MODIFICATION_PROTECTION: &str = "service.cloud.tencent.com/modification-protection";
    /// TkeServiceConfig name.
    pub const TKE_SERVICE_CONFIG: &str = "service.cloud.tencent.com/tke-service-config";
    /// Auto-created TkeServiceConfig.
    pub const TKE_SERVICE_CONFIG_AUTO: &str = "service.cloud.tencent.com/tke-service-config-auto";
    /// Per-port protocol override.
    pub const SPECIFY_PROTOCOL: &str = "service.cloud.tencent.com/specify-protocol";
    /// Anti-loopback health-check source.
    pub const PREVENT_LOOPBACK: &str = "service.cloud.tencent.com/prevent-loopback";
    /// Direct-to-Pod targets.
    pub const DIRECT_ACCESS: &str = "service.cloud.tencent.com/direct-access";
    /// Node label selector for backends.
    pub const BACKENDS_LABEL: &str = "service.kubernetes.io/qcloud-loadbalancer-backends-label";
    /// Local: bind only nodes with pods.
    pub const LOCAL_ONLY_BIND_WITH_POD: &str =
        "service.kubernetes.io/local-svc-only-bind-node-with-pod";
    /// Local: weight by pod count.
    pub const LOCAL_WEIGHTED_BALANCE: &str = "service.cloud.tencent.com/local-svc-weighted-balance";
    /// Custom weights.
    pub const LB_RS_WEIGHT: &str = "service.cloud.tencent.com/lb-rs-weight";
    /// Skip the readiness gate.
    pub const READINESS_GATE_SKIP: &str = "service.cloud.tencent.com/readiness-gate-skip";
    /// Terminating pods get weight 0 (deprecated, default on since v2.2.0).
    pub const GRACE_SHUTDOWN: &str = "service.cloud.tencent.com/enable-grace-shutdown";
    /// Not-ready endpoints get weight 0 (deprecated, default on since v2.2.0).
    pub const GRACE_SHUTDOWN_TKEX: &str = "service.cloud.tencent.com/enable-grace-shutdown-tkex";
    /// Pod deletion waits for weight 0.
    pub const GRACE_DELETION: &str = "service.cloud.tencent.com/enable-grace-deletion";
    /// Region of the CLB.
    pub const CROSS_REGION_ID: &str = "service.cloud.tencent.com/cross-region-id";
    /// VPC of the CLB.
    pub const CROSS_VPC_ID: &str = "service.cloud.tencent.com/cross-vpc-id";
    /// Written by the controller: idempotency token.
    pub const CLIENT_TOKEN: &str = "service.cloud.tencent.com/client-token";
    /// `CCN`: bind registered (IDC) nodes.
    pub const HYBRID_TYPE: &str = "service.cloud.tencent.com/hybrid-type";
    /// SNAT IPs.
    pub const SNAT_PRO_INFO: &str = "service.cloud.tencent.com/snat-pro-info";
    /// Serverless: no IPVS rule for the VIP.
    pub const DISCARD_LOADBALANCER_IP: &str = "service.cloud.tencent.com/discard-loadbalancer-ip";
}

/// Ingress annotation keys (spec §2.2).
pub mod ingress {
    /// Ingress class.
    pub const CLASS: &str = "kubernetes.io/ingress.class";
    /// Read-only: CLB ID the Ingress uses.
    pub const LOADBALANCE_ID: &str = "kubernetes.io/ingress.qcloud-loadbalance-id";
    /// Use an existing CLB.
    pub const EXIST_LB_ID: &str = "kubernetes.io/ingress.existLbId";
    /// Internal CLB subnet.
    pub const SUBNET_ID: &str = "kubernetes.io/ingress.subnetId";
    /// Charge type (creation-only).
    pub const CHARGE_TYPE: &str = "kubernetes.io/ingress.internetChargeType";
    /// Bandwidth (creation-only).
    pub const BANDWIDTH_OUT: &str = "kubernetes.io/ingress.internetMaxBandwidthOut";
    /// Extra CreateLoadBalancer parameters.
    pub const EXTENSIVE_PARAMETERS: &str = "kubernetes.io/ingress.extensiveParameters";
    /// Pass-to-target.
    pub const PASS_TO_TARGET: &str = "ingress.cloud.tencent.com/pass-to-target";
    /// Security groups.
    pub const SECURITY_GROUPS: &str = "ingress.cloud.tencent.com/security-groups";
    /// Modification protection.
    pub const MODIFICATION_PROTECTION: &str = "ingress.cloud.tencent.com/modification-protection";
    /// Listener ports.
    pub const LISTEN_PORTS: &str = "ingress.cloud.tencent.com/listen-ports";
    /// TkeServiceConfig name.
    pub const TKE_SERVICE_CONFIG: &str = "ingress.cloud.tencent.com/tke-service-config";
    /// Auto-created TkeServiceConfig.
    pub const TKE_SERVICE_CONFIG_AUTO: &str = "ingress.cloud.tencent.com/tke-service-config-auto";
    /// TKE manages redirect rules.
    pub const REWRITE_SUPPORT: &str = "ingress.cloud.tencent.com/rewrite-support";
    /// Automatic HTTP→HTTPS redirect.
    pub const AUTO_REWRITE: &str = "ingress.cloud.tencent.com/auto-rewrite";
    /// Mixed HTTP and HTTPS.
    pub const RULE_MIX: &str = "kubernetes.io/ingress.rule-mix";
    /// HTTP rules.
    pub const HTTP_RULES: &str = "kubernetes.io/ingress.http-rules";
    /// HTTPS rules.
    pub const HTTPS_RULES: &str = "kubernetes.io/ingress.https-rules";
    /// Direct-to-Pod.
    pub const DIRECT_ACCESS: &str = "ingress.cloud.tencent.com/direct-access";
    /// Terminating pods weight 0.
    pub const GRACE_SHUTDOWN: &str = "ingress.cloud.tencent.com/enable-grace-shutdown";
    /// Not-ready endpoints weight 0.
    pub const GRACE_SHUTDOWN_TKEX: &str = "ingress.cloud.tencent.com/enable-grace-shutdown-tkex";
    /// Pod deletion waits for weight 0.
    pub const GRACE_DELETION: &str = "ingress.cloud.tencent.com/enable-grace-deletion";
    /// Custom weights.
    pub const LB_RS_WEIGHT: &str = "ingress.cloud.tencent.com/lb-rs-weight";
    /// Region.
    pub const CROSS_REGION_ID: &str = "ingress.cloud.tencent.com/cross-region-id";
    /// VPC.
    pub const CROSS_VPC_ID: &str = "ingress.cloud.tencent.com/cross-vpc-id";
    /// `CCN`.
    pub const HYBRID_TYPE: &str = "ingress.cloud.tencent.com/hybrid-type";
    /// SNAT IPs.
    pub const SNAT_PRO_INFO: &str = "ingress.cloud.tencent.com/snat-pro-info";
}

/// Node label that removes a node from CLB backends.
pub const EXCLUDE_FROM_LB_LABEL: &str = "node.kubernetes.io/exclude-from-external-load-balancers";

/// Minimum controller versions of annotations (spec §2 tables, "Min version").
pub(crate) const MIN_VERSIONS: &[(&str, ControllerVersion)] = &[
    (service::LISTENER_PARAMETERS, ControllerVersion(1, 1, 0)),
    (service::PASS_TO_TARGET, ControllerVersion(1, 8, 3)),
    (service::SECURITY_GROUPS, ControllerVersion(1, 8, 3)),
    (service::MODIFICATION_PROTECTION, ControllerVersion(1, 7, 3)),
    (service::TKE_SERVICE_CONFIG, ControllerVersion(1, 3, 0)),
    (service::TKE_SERVICE_CONFIG_AUTO, ControllerVersion(1, 3, 0)),
    (service::SPECIFY_PROTOCOL, ControllerVersion(1, 5, 0)),
    (service::PREVENT_LOOPBACK, ControllerVersion(1, 7, 3)),
    (service::DIRECT_ACCESS, ControllerVersion(1, 3, 0)),
    (service::LB_RS_WEIGHT, ControllerVersion(1, 6, 0)),
    (service::READINESS_GATE_SKIP, ControllerVersion(1, 8, 1)),
    (service::GRACE_SHUTDOWN, ControllerVersion(1, 5, 0)),
    (service::GRACE_SHUTDOWN_TKEX, ControllerVersion(1, 5, 0)),
    (service::GRACE_DELETION, ControllerVersion(2, 4, 0)),
    (ingress::PASS_TO_TARGET, ControllerVersion(1, 8, 3)),
    (ingress::SECURITY_GROUPS, ControllerVersion(1, 8, 3)),
    (ingress::MODIFICATION_PROTECTION, ControllerVersion(1, 7, 3)),
    (ingress::LISTEN_PORTS, ControllerVersion(2, 4, 1)),
    (ingress::TKE_SERVICE_CONFIG, ControllerVersion(1, 3, 0)),
    (ingress::TKE_SERVICE_CONFIG_AUTO, ControllerVersion(1, 3, 0)),
    (ingress::REWRITE_SUPPORT, ControllerVersion(1, 3, 0)),
    (ingress::AUTO_REWRITE, ControllerVersion(1, 3, 0)),
    (ingress::RULE_MIX, ControllerVersion(1, 3, 0)),
    (ingress::HTTP_RULES, ControllerVersion(1, 3, 0)),
    (ingress::HTTPS_RULES, ControllerVersion(1, 3, 0)),
    (ingress::DIRECT_ACCESS, ControllerVersion(1, 3, 0)),
    (ingress::GRACE_SHUTDOWN, ControllerVersion(1, 5, 0)),
    (ingress::GRACE_SHUTDOWN_TKEX, ControllerVersion(1, 5, 0)),
    (ingress::GRACE_DELETION, ControllerVersion(2, 4, 0)),
    (ingress::LB_RS_WEIGHT, ControllerVersion(1, 6, 0)),
];

/// Reads annotations of one object, recording every invalid value as an error (never panics).
pub(crate) struct Reader<'a> {
    object: &'a ObjectRef,
    map: Option<&'a BTreeMap<String, String>>,
    version: Option<ControllerVersion>,
    pub(crate) errors: Vec<ClbError>,
    pub(crate) warnings: Vec<ClbError>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(
        object: &'a ObjectRef,
        map: Option<&'a BTreeMap<String, String>>,
        version: Option<ControllerVersion>,
    ) -> Self {
        Reader {
            object,
            map,
            version,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub(crate) fn object(&self) -> &'a ObjectRef {
        self.object
    }

    /// Raw value, or `None` when absent or newer than the configured controller (with a warning).
    pub(crate) fn raw(&mut self, key: &str) -> Option<&'a str> {
        let v = self.map?.get(key)?.as_str();
        if let (Some(have), Some((_, need))) =
            (self.version, MIN_VERSIONS.iter().find(|(k, _)| *k == key))
            && have < *need
        {
            self.warnings.push(self.error(
                key,
                v,
                &format!("needs controller {need}, cluster runs {have}; ignored"),
            ));
            return None;
        }
        Some(v)
    }

    pub(crate) fn error(&self, key: &str, value: &str, reason: &str) -> ClbError {
        ClbError::InvalidAnnotation {
            object: self.object.clone(),
            annotation: key.to_owned(),
            value: value.to_owned(),
            reason: reason.to_owned(),
        }
    }

    pub(crate) fn invalid(&mut self, key: &str, value: &str, reason: &str) {
        let e = self.error(key, value, reason);
        self.errors.push(e);
    }

    pub(crate) fn conflict(&mut self, first: &str, second: &str, reason: &str) {
        self.errors.push(ClbError::AnnotationConflict {
            object: self.object.clone(),
            first: first.to_owned(),
            second: second.to_owned(),
            reason: reason.to_owned(),
        });
    }

    /// Non-empty trimmed string.
    pub(crate) fn string(&mut self, key: &str) -> Option<String> {
        let v = self.raw(key)?;
        let t = v.trim();
        if t.is_empty() {
            self.invalid(key, v, "must not be empty");
            return None;
        }
        Some(t.to_owned())
    }

    /// `"true"` / `"false"`, case-insensitive; anything else is an error.
    pub(crate) fn bool(&mut self, key: &str) -> Option<bool> {
        let v = self.raw(key)?;
        match v.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                self.invalid(key, v, "expected \"true\" or \"false\"");
                None
            }
        }
    }

    /// Boolean defaulting to `false` when absent or invalid.
    pub(crate) fn flag(&mut self, key: &str) -> bool {
        self.bool(key).unwrap_or(false)
    }

    /// Integer within `lo..=hi`.
    pub(crate) fn int_in(&mut self, key: &str, lo: u32, hi: u32) -> Option<u32> {
        let v = self.raw(key)?;
        match v.trim().parse::<u32>() {
            Ok(n) if (lo..=hi).contains(&n) => Some(n),
            _ => {
                self.invalid(key, v, &format!("expected an integer within {lo}..={hi}"));
                None
            }
        }
    }

    /// JSON value of type `T`; the literal `null` yields `T::default()`-like `None` handling by caller.
    pub(crate) fn json<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
        let v = self.raw(key)?;
        match serde_json::from_str::<T>(v) {
            Ok(t) => Some(t),
            Err(e) => {
                self.invalid(key, v, &format!("invalid JSON for this annotation: {e}"));
                None
            }
        }
    }

    /// One of the listed spellings.
    pub(crate) fn one_of(&mut self, key: &str, allowed: &[&'static str]) -> Option<&'static str> {
        let v = self.raw(key)?;
        if let Some(a) = allowed.iter().find(|a| **a == v.trim()) {
            return Some(a);
        }
        self.invalid(key, v, &format!("expected one of {}", allowed.join(", ")));
        None
    }
}

/// A Kubernetes label selector (`k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelSelector {
    reqs: Vec<Requirement>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Requirement {
    Eq(String, String),
    Ne(String, String),
    Exists(String),
    NotExists(String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
}

impl LabelSelector {
    /// Parse the string form; `Err` carries the reason.
    pub fn parse(s: &str) -> Result<LabelSelector, String> {
        let mut reqs = Vec::new();
        for part in split_top_level(s) {
            let p = part.trim();
            if p.is_empty() {
                return Err("empty requirement".to_owned());
            }
            reqs.push(parse_requirement(p)?);
        }
        if reqs.is_empty() {
            return Err("empty selector".to_owned());
        }
        Ok(LabelSelector { reqs })
    }

    /// Whether the labels satisfy every requirement.
    pub fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        let get = |k: &str| labels.and_then(|l| l.get(k));
        self.reqs.iter().all(|r| match r {
            Requirement::Eq(k, v) => get(k) == Some(v),
            Requirement::Ne(k, v) => get(k) != Some(v),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::NotExists(k) => get(k).is_none(),
            Requirement::In(k, vs) => get(k).is_some_and(|x| vs.contains(x)),
            Requirement::NotIn(k, vs) => get(k).is_none_or(|x| !vs.contains(x)),
        })
    }
}

fn split_top_level(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn valid_key(k: &str) -> Result<String, String> {
    let ok = !k.is_empty()
        && k.len() <= 317
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
    if ok {
        Ok(k.to_owned())
    } else {
        Err(format!("invalid label key {k:?}"))
    }
}

fn valid_value(v: &str) -> Result<String, String> {
    let ok = v.len() <= 63
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if ok {
        Ok(v.to_owned())
    } else {
        Err(format!("invalid label value {v:?}"))
    }
}

fn parse_set(rest: &str) -> Result<Vec<String>, String> {
    let inner = rest
        .trim()
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| format!("expected (v1,v2) after set operator, got {rest:?}"))?;
    inner.split(',').map(|v| valid_value(v.trim())).collect()
}

fn parse_requirement(p: &str) -> Result<Requirement, String> {
    if let Some(k) = p.strip_prefix('!') {
        return Ok(Requirement::NotExists(valid_key(k.trim())?));
    }
    if let Some((k, v)) = p.split_once("!=") {
        return Ok(Requirement::Ne(
            valid_key(k.trim())?,
            valid_value(v.trim())?,
        ));
    }
    if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
        return Ok(Requirement::Eq(
            valid_key(k.trim())?,
            valid_value(v.trim())?,
        ));
    }
    let mut words = p.splitn(2, char::is_whitespace);
    let key = words.next().unwrap_or_default();
    let rest = words.next().unwrap_or_default().trim_start();
    if let Some(r) = rest.strip_prefix("notin") {
        return Ok(Requirement::NotIn(valid_key(key)?, parse_set(r)?));
    }
    if let Some(r) = rest.strip_prefix("in") {
        return Ok(Requirement::In(valid_key(key)?, parse_set(r)?));
    }
    if rest.is_empty() {
        return Ok(Requirement::Exists(valid_key(key)?));
    }
    Err(format!("cannot parse requirement {p:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(kv: &[(&str, &str)]) -> BTreeMap<String, String> {
        kv.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn selector_forms() {
        let l = labels(&[("group", "access-layer"), ("zone", "a")]);
        let cases = [
            ("group=access-layer", true),
            ("group==access-layer", true),
            ("group!=access-layer", false),
            ("group", true),
            ("!group", false),
            ("zone in (a,b)", true),
            ("zone notin (a,b)", false),
            ("group=access-layer,zone=b", false),
            ("missing notin (x)", true),
        ];
        for (s, want) in cases {
            assert_eq!(
                LabelSelector::parse(s).unwrap().matches(Some(&l)),
                want,
                "{s}"
            );
        }
        for bad in ["", "a=b,", "k in a", "k=v v", "=x"] {
            assert!(
                LabelSelector::parse(bad).is_err(),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn versions_parse() {
        assert_eq!(
            ControllerVersion::parse("v2.4.1"),
            Some(ControllerVersion(2, 4, 1))
        );
        assert_eq!(
            ControllerVersion::parse("1.8"),
            Some(ControllerVersion(1, 8, 0))
        );
        assert_eq!(ControllerVersion::parse("x"), None);
    }
}
