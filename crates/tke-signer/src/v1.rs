//! The legacy v1 signature (feature `v1`): HmacSHA1 or HmacSHA256 over sorted parameters.
//!
//! New code should use TC3 ([`crate::Signer`]); v1 remains for old gateways and tools.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};

/// The v1 `SignatureMethod`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum V1Algorithm {
    /// `HmacSHA1`, the default when `SignatureMethod` is absent.
    #[default]
    HmacSha1,
    /// `HmacSHA256`.
    HmacSha256,
}

impl V1Algorithm {
    /// The `SignatureMethod` parameter value.
    pub fn as_str(self) -> &'static str {
        match self {
            V1Algorithm::HmacSha1 => "HmacSHA1",
            V1Algorithm::HmacSha256 => "HmacSHA256",
        }
    }
}

/// `Method + Host + Path + "?" + k1=v1&k2=v2...` with parameters sorted by name and raw
/// (unencoded) values, as v1 signs them.
///
/// ```
/// let s = tke_signer::v1::string_to_sign("GET", "cvm.tencentcloudapi.com", "/", &[("Nonce", "1"), ("Action", "X")]);
/// assert_eq!(s, "GETcvm.tencentcloudapi.com/?Action=X&Nonce=1");
/// ```
pub fn string_to_sign(method: &str, host: &str, path: &str, params: &[(&str, &str)]) -> String {
    let mut sorted: Vec<&(&str, &str)> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = String::with_capacity(
        method.len()
            + host.len()
            + path.len()
            + 1
            + params
                .iter()
                .map(|(k, v)| k.len() + v.len() + 2)
                .sum::<usize>(),
    );
    out.push_str(method);
    out.push_str(host);
    out.push_str(path);
    out.push('?');
    for (i, (k, v)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// Base64 of the HMAC of `string_to_sign` under `secret_key`.
///
/// ```
/// use tke_signer::v1::{sign, V1Algorithm};
/// let sts = "GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768&Version=2017-03-12";
/// assert_eq!(sign("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", sts, V1Algorithm::HmacSha1), "EliP9YW3pW28FpsEdkXt/+WcGeI=");
/// ```
pub fn sign(secret_key: &str, string_to_sign: &str, algorithm: V1Algorithm) -> String {
    fn mac<M: Mac + hmac::digest::KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
        // HMAC accepts keys of any length.
        let mut m = <M as hmac::digest::KeyInit>::new_from_slice(key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        m.update(data);
        m.finalize().into_bytes().to_vec()
    }
    let raw = match algorithm {
        V1Algorithm::HmacSha1 => {
            mac::<Hmac<sha1::Sha1>>(secret_key.as_bytes(), string_to_sign.as_bytes())
        }
        V1Algorithm::HmacSha256 => {
            mac::<Hmac<sha2::Sha256>>(secret_key.as_bytes(), string_to_sign.as_bytes())
        }
    };
    STANDARD.encode(raw)
}

/// A v1 request: where it goes and the caller's own parameters.
#[derive(Debug, Clone, Copy)]
pub struct V1Request<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// e.g. `cvm.tencentcloudapi.com`.
    pub host: &'a str,
    /// Usually `/`.
    pub path: &'a str,
    /// The action's parameters (`Action`, `Version`, `Region`, ...), unencoded.
    pub params: &'a [(&'a str, &'a str)],
}

/// Adds the v1 common parameters for `credentials` (`SecretId`, `Timestamp`, `Nonce`,
/// `SignatureMethod` for HmacSHA256, `Token` when present) and the `Signature`, returning the
/// complete parameter list to send (values unencoded: URL-encode them when building the query).
pub fn signed_params(
    credentials: &crate::Credentials,
    request: &V1Request<'_>,
    timestamp: i64,
    nonce: u32,
    algorithm: V1Algorithm,
) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = request
        .params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    all.push(("SecretId".into(), credentials.secret_id().to_owned()));
    all.push(("Timestamp".into(), timestamp.to_string()));
    all.push(("Nonce".into(), nonce.to_string()));
    if algorithm == V1Algorithm::HmacSha256 {
        all.push(("SignatureMethod".into(), algorithm.as_str().to_owned()));
    }
    if let Some(token) = credentials.expose_token() {
        all.push(("Token".into(), token.to_owned()));
    }
    let borrowed: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let signature = sign(
        credentials.expose_secret_key(),
        &string_to_sign(request.method, request.host, request.path, &borrowed),
        algorithm,
    );
    all.push(("Signature".into(), signature));
    all
}
