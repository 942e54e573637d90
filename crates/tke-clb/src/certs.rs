//! Certificates from Secrets (`qcloud_cert_id`, `qcloud_ca_cert_id`) and TLS host matching
//! (spec §4.6).

use crate::desired::Certificate;
use crate::inputs::Index;
use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::api::networking::v1::IngressTLS;

/// Secret key of the server certificate ID(s).
pub const CERT_ID_KEY: &str = "qcloud_cert_id";
/// Secret key of the client CA certificate ID (mutual TLS).
pub const CA_CERT_ID_KEY: &str = "qcloud_ca_cert_id";

fn secret_value(s: &Secret, key: &str) -> Option<String> {
    if let Some(v) = s.string_data.as_ref().and_then(|d| d.get(key)) {
        return Some(v.trim().to_owned());
    }
    let bytes = s.data.as_ref()?.get(key)?;
    std::str::from_utf8(&bytes.0)
        .ok()
        .map(|v| v.trim().to_owned())
}

/// Resolve the certificate in Secret `namespace/name`. `allow_dual`: two comma-separated IDs
/// (dual-algorithm) are accepted (Ingress only). The error is a reason, never the Secret's content.
pub(crate) fn resolve(
    idx: &Index<'_>,
    namespace: &str,
    name: &str,
    allow_dual: bool,
) -> Result<Certificate, String> {
    let s = idx
        .secrets
        .get(&(namespace, name))
        .ok_or_else(|| "not found in the namespace".to_owned())?;
    if let Some(t) = s.type_.as_deref().filter(|t| *t != "Opaque") {
        return Err(format!("type must be Opaque, is {t:?}"));
    }
    let ids = secret_value(s, CERT_ID_KEY).ok_or_else(|| format!("has no `{CERT_ID_KEY}` key"))?;
    let cert_ids: Vec<String> = ids
        .split(',')
        .map(|x| x.trim().to_owned())
        .filter(|x| !x.is_empty())
        .collect();
    match cert_ids.len() {
        0 => return Err(format!("`{CERT_ID_KEY}` is empty")),
        1 => {}
        2 if allow_dual => {}
        2 => return Err(
            "dual-algorithm certificates are not supported on Service special-protocol listeners"
                .to_owned(),
        ),
        n => {
            return Err(format!(
                "`{CERT_ID_KEY}` lists {n} certificates; at most 2 (dual-algorithm) are allowed"
            ));
        }
    }
    let ca_cert_id = secret_value(s, CA_CERT_ID_KEY).filter(|x| !x.is_empty());
    Ok(Certificate {
        secret: name.to_owned(),
        cert_ids,
        ca_cert_id,
    })
}

/// `*.abc.com` matches exactly one extra label (`www.abc.com`, not `a.b.abc.com`).
pub fn wildcard_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .strip_suffix(suffix)
            .and_then(|h| h.strip_suffix('.'))
            .is_some_and(|label| !label.is_empty() && !label.contains('.')),
        None => false,
    }
}

/// How a TLS entry was chosen for a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TlsMatch {
    Exact,
    Wildcard,
    HostLess,
}

/// Choose the TLS entry for `host` (`None` = default domain): exact > wildcard > host-less; ties go
/// to the first entry, and `ambiguous` reports that another entry with a different Secret matched
/// at the same level (the document says the CLB then picks one at random, §9 #6).
pub(crate) fn choose<'t>(
    tls: &'t [IngressTLS],
    host: Option<&str>,
) -> Option<(&'t IngressTLS, bool)> {
    let level = |t: &IngressTLS| -> Option<TlsMatch> {
        match (&t.hosts, host) {
            (None, _) => Some(TlsMatch::HostLess),
            (Some(hs), _) if hs.is_empty() => Some(TlsMatch::HostLess),
            (Some(hs), Some(h)) if hs.iter().any(|x| x == h) => Some(TlsMatch::Exact),
            (Some(hs), Some(h)) if hs.iter().any(|x| wildcard_matches(x, h)) => {
                Some(TlsMatch::Wildcard)
            }
            _ => None,
        }
    };
    for want in [TlsMatch::Exact, TlsMatch::Wildcard, TlsMatch::HostLess] {
        let mut hits = tls.iter().filter(|t| level(t) == Some(want));
        if let Some(first) = hits.next() {
            let ambiguous = hits.any(|t| t.secret_name != first.secret_name);
            return Some((first, ambiguous));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_level_wildcard() {
        assert!(wildcard_matches("*.abc.com", "www.abc.com"));
        assert!(wildcard_matches("*.abc.com", "api.abc.com"));
        assert!(!wildcard_matches("*.abc.com", "a.b.abc.com"));
        assert!(!wildcard_matches("*.abc.com", "abc.com"));
        assert!(!wildcard_matches("*.abc.com", "xabc.com"));
        assert!(!wildcard_matches("www.abc.com", "www.abc.com"));
    }
}
