//! Verifying received TC3-HMAC-SHA256 requests (for mock servers, proxies and gateways).

use std::sync::Arc;

use subtle::ConstantTimeEq;

use crate::canonical::{CanonicalInput, Scope, sha256, unsigned_payload_hash};
use crate::error::bounded;
use crate::sign::{hash_canonical_request, sign_string};
use crate::{Credentials, Error, SigningKeyCache, UNSIGNED_PAYLOAD, UtcDate};

/// A request as received: what verification needs of it.
///
/// `headers` holds every received header (names in any case); `query` is the raw query string
/// without `?` (empty for POST); `body` the exact bytes received.
#[derive(Debug, Clone, Copy)]
pub struct ReceivedRequest<'a> {
    /// `POST` or `GET` (any case).
    pub method: &'a str,
    /// Raw query string, without the leading `?`.
    pub query: &'a str,
    /// Every received header.
    pub headers: &'a [(&'a str, &'a str)],
    /// Body bytes as received.
    pub body: &'a [u8],
}

impl<'a> ReceivedRequest<'a> {
    fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// SecretId that signed the request.
    pub secret_id: String,
    /// Service named in the credential scope.
    pub service: String,
    /// `X-TC-Timestamp`.
    pub timestamp: i64,
    /// `X-TC-Action`, if sent.
    pub action: Option<String>,
    /// The signed header list.
    pub signed_headers: String,
}

/// The parts of a TC3 Authorization header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization<'a> {
    /// SecretId of the credential.
    pub secret_id: &'a str,
    /// Scope date `yyyy-mm-dd`.
    pub date: &'a str,
    /// Scope service.
    pub service: &'a str,
    /// Lower-case `;`-joined signed header names.
    pub signed_headers: &'a str,
    /// Lower-case hex signature.
    pub signature: &'a str,
}

impl<'a> Authorization<'a> {
    /// Parses `TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request,
    /// SignedHeaders=<list>, Signature=<hex>`. Never panics, whatever the input.
    ///
    /// ```
    /// use tke_signer::Authorization;
    /// let header = format!("TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature={}", "ab".repeat(32));
    /// let auth = Authorization::parse(&header).unwrap();
    /// assert_eq!((auth.secret_id, auth.service, auth.signed_headers), ("AKID", "cvm", "content-type;host"));
    /// assert!(Authorization::parse("Bearer x").is_err());
    /// ```
    pub fn parse(header: &'a str) -> Result<Self, Error> {
        let malformed = |reason| Error::MalformedAuthorization { reason };
        let (algorithm, rest) = header.trim().split_once(' ').ok_or(malformed(
            "expected `<algorithm> Credential=..., SignedHeaders=..., Signature=...`",
        ))?;
        if algorithm != "TC3-HMAC-SHA256" {
            return Err(Error::UnsupportedAlgorithm {
                algorithm: bounded(algorithm, 64),
            });
        }
        let mut credential = None;
        let mut signed_headers = None;
        let mut signature = None;
        for part in rest.split(',') {
            let (key, value) = part
                .trim()
                .split_once('=')
                .ok_or(malformed("a component is not `key=value`"))?;
            let slot = match key {
                "Credential" => &mut credential,
                "SignedHeaders" => &mut signed_headers,
                "Signature" => &mut signature,
                _ => return Err(malformed("unknown component")),
            };
            if slot.replace(value).is_some() {
                return Err(malformed("a component appears twice"));
            }
        }
        let credential = credential.ok_or(malformed("missing Credential"))?;
        let signed_headers = signed_headers.ok_or(malformed("missing SignedHeaders"))?;
        let signature = signature.ok_or(malformed("missing Signature"))?;
        let mut scope = credential.split('/');
        let (Some(secret_id), Some(date), Some(service), Some("tc3_request"), None) = (
            scope.next(),
            scope.next(),
            scope.next(),
            scope.next(),
            scope.next(),
        ) else {
            return Err(malformed(
                "Credential is not `<SecretId>/<date>/<service>/tc3_request`",
            ));
        };
        if secret_id.is_empty() || service.is_empty() || date.len() != 10 {
            return Err(malformed(
                "Credential has an empty SecretId, service or a bad date",
            ));
        }
        if signature.len() != 64
            || !signature
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(malformed("Signature is not 64 lower-case hex digits"));
        }
        if signed_headers.is_empty()
            || !signed_headers.split(';').all(|n| {
                !n.is_empty()
                    && n.bytes()
                        .all(|b| crate::headers::is_token_byte(b) && !b.is_ascii_uppercase())
            })
        {
            return Err(malformed(
                "SignedHeaders is not a `;`-list of lower-case header names",
            ));
        }
        Ok(Self {
            secret_id,
            date,
            service,
            signed_headers,
            signature,
        })
    }
}

/// Verifies TC3-HMAC-SHA256 signatures of received requests.
///
/// ```
/// use tke_signer::{Credentials, ReceivedRequest, Request, Signer, Verifier};
/// let creds = Credentials::new("AKIDexample", "secret");
/// let body = br#"{"Limit":1}"#;
/// let host = "tke.tencentcloudapi.com";
/// let signed = Signer::new()
///     .sign(&creds, &Request::post(host, "DescribeClusters", "2018-05-25", body), 1_700_000_000)
///     .unwrap();
/// let mut headers = vec![("Host", host), ("Content-Type", tke_signer::CONTENT_TYPE_JSON)];
/// headers.extend(signed.headers().map(|h| (h.name, h.value())));
/// let received = ReceivedRequest { method: "POST", query: "", headers: &headers, body };
/// let verified = Verifier::new()
///     .verify(&received, |id| (id == "AKIDexample").then(|| creds.clone()), 1_700_000_100)
///     .unwrap();
/// assert_eq!(verified.action.as_deref(), Some("DescribeClusters"));
/// ```
#[derive(Debug, Clone)]
pub struct Verifier {
    max_skew_seconds: u64,
    cache: Arc<SigningKeyCache>,
}

impl Default for Verifier {
    fn default() -> Self {
        Self {
            max_skew_seconds: Self::DEFAULT_MAX_SKEW_SECONDS,
            cache: Arc::default(),
        }
    }
}

impl Verifier {
    /// Tencent Cloud rejects requests more than 5 minutes old (`AuthFailure.SignatureExpire`).
    pub const DEFAULT_MAX_SKEW_SECONDS: u64 = 300;

    /// A verifier with the default 5-minute window.
    pub fn new() -> Self {
        Self::default()
    }

    /// Accepts timestamps at most `seconds` away from the current time (either direction).
    #[must_use]
    pub fn with_max_skew(mut self, seconds: u64) -> Self {
        self.max_skew_seconds = seconds;
        self
    }

    /// Shares a key cache (e.g. with a [`crate::Signer`]).
    #[must_use]
    pub fn with_key_cache(mut self, cache: Arc<SigningKeyCache>) -> Self {
        self.cache = cache;
        self
    }

    /// Verifies `request` at time `now` (Unix seconds). `secret_for` returns the credentials of a
    /// SecretId, or `None` when it is unknown.
    pub fn verify(
        &self,
        request: &ReceivedRequest<'_>,
        secret_for: impl FnOnce(&str) -> Option<Credentials>,
        now: i64,
    ) -> Result<Verified, Error> {
        let authorization = request
            .header("authorization")
            .ok_or(Error::MissingHeader {
                name: "Authorization",
            })?;
        let auth = Authorization::parse(authorization)?;
        let timestamp_text = request
            .header("x-tc-timestamp")
            .ok_or(Error::MissingHeader {
                name: "X-TC-Timestamp",
            })?;
        let timestamp: i64 = timestamp_text
            .trim()
            .parse()
            .map_err(|_| Error::InvalidField {
                field: "X-TC-Timestamp",
                value: bounded(timestamp_text, 32),
                reason: "not an integer number of seconds",
            })?;
        let skew = now.abs_diff(timestamp);
        if skew > self.max_skew_seconds {
            return Err(Error::Expired {
                timestamp,
                now,
                skew_seconds: skew,
                max_skew_seconds: self.max_skew_seconds,
            });
        }
        let date = UtcDate::from_unix(timestamp)?;
        if auth.date != date.as_str() {
            return Err(Error::ScopeDateMismatch {
                scope_date: bounded(auth.date, 16),
                expected: date.as_str().to_owned(),
            });
        }
        let signed: Vec<&str> = auth.signed_headers.split(';').collect();
        if !signed.contains(&"content-type") || !signed.contains(&"host") {
            return Err(Error::RequiredHeaderNotSigned {
                signed: bounded(auth.signed_headers, 256),
            });
        }
        let mut headers = Vec::with_capacity(signed.len());
        for name in &signed {
            let value = request
                .header(name)
                .ok_or_else(|| Error::MissingSignedHeader {
                    name: (*name).to_owned(),
                })?;
            headers.push((*name, value));
        }
        let method = if request.method.eq_ignore_ascii_case("POST") {
            "POST"
        } else if request.method.eq_ignore_ascii_case("GET") {
            "GET"
        } else {
            return Err(Error::InvalidField {
                field: "method",
                value: bounded(request.method, 16),
                reason: "TC3 signs only POST and GET",
            });
        };
        let payload_hash = match request.header("x-tc-content-sha256") {
            Some(v) if v.trim() == UNSIGNED_PAYLOAD => unsigned_payload_hash(),
            _ => sha256(request.body),
        };
        let credentials = secret_for(auth.secret_id).ok_or_else(|| Error::UnknownSecretId {
            secret_id: bounded(auth.secret_id, 128),
        })?;
        let input = CanonicalInput {
            method,
            query: request.query,
            headers: &headers,
            signed_headers: auth.signed_headers,
            payload_hash: &payload_hash,
        };
        let expected = sign_string(
            &self.cache,
            credentials.expose_secret_key(),
            &hash_canonical_request(&input, None),
            &Scope {
                timestamp: timestamp_text.trim(),
                date,
                date_text: date.as_str(),
                service: auth.service,
            },
        );
        if !signatures_match(expected.as_byte_array(), auth.signature.as_bytes()) {
            return Err(Error::SignatureMismatch {
                secret_id: bounded(auth.secret_id, 128),
            });
        }
        Ok(Verified {
            secret_id: auth.secret_id.to_owned(),
            service: auth.service.to_owned(),
            timestamp,
            action: request.header("x-tc-action").map(str::to_owned),
            signed_headers: auth.signed_headers.to_owned(),
        })
    }
}

/// Compares a computed and a received hex signature in constant time. The comparison runs over
/// 64-bit words rather than bytes: `subtle` guards each element, and 64 guarded bytes cost about
/// 100 ns, a twentieth of a whole verification. The length is public: it is always 64.
fn signatures_match(expected: &[u8; 64], received: &[u8]) -> bool {
    let Ok(received) = <&[u8; 64]>::try_from(received) else {
        return false;
    };
    let words = |bytes: &[u8; 64]| {
        let mut words = [0u64; 8];
        for (word, chunk) in words.iter_mut().zip(bytes.as_chunks::<8>().0) {
            *word = u64::from_ne_bytes(*chunk);
        }
        words
    };
    bool::from(words(expected)[..].ct_eq(&words(received)[..]))
}
