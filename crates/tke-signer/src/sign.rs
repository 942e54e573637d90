//! Signing requests with TC3-HMAC-SHA256.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::canonical::{
    CanonicalInput, Hex32, Scope, Staged, hex32, sha256, unsigned_payload_hash,
    write_canonical_request, write_credential_scope, write_string_to_sign,
};
use crate::shape_cache::{Shape, ShapeCache};
use crate::{Credentials, Error, SignedHeaders, SigningKeyCache, UNSIGNED_PAYLOAD, UtcDate};

/// The content type of a JSON POST, byte for byte as Tencent's documentation signs it.
pub const CONTENT_TYPE_JSON: &str = "application/json; charset=utf-8";
/// The content type of a GET (parameters in the query string).
pub const CONTENT_TYPE_FORM: &str = "application/x-www-form-urlencoded";

/// HTTP method of an API 3.0 request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// JSON body (up to 10 MB): what SDKs use.
    Post,
    /// Parameters flattened into the query string (up to 32 KB).
    Get,
}

impl Method {
    /// `"POST"` or `"GET"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Post => "POST",
            Method::Get => "GET",
        }
    }
}

/// An API request to sign. It borrows everything; build it per call.
///
/// ```
/// use tke_signer::{Method, Request};
/// let body = br#"{"Limit":1}"#;
/// let request = Request::post("tke.tencentcloudapi.com", "DescribeClusters", "2018-05-25", body)
///     .region("ap-guangzhou");
/// assert_eq!(request.method(), Method::Post);
/// assert_eq!(request.service().unwrap(), "tke");
/// ```
#[derive(Debug, Clone)]
pub struct Request<'a> {
    method: Method,
    host: &'a str,
    query: &'a str,
    content_type: &'a str,
    body: &'a [u8],
    unsigned_payload: bool,
    service: Option<&'a str>,
    action: &'a str,
    version: &'a str,
    region: Option<&'a str>,
    language: Option<&'a str>,
    extra_headers: Vec<(&'a str, &'a str)>,
}

impl<'a> Request<'a> {
    /// A POST with a JSON body (Content-Type [`CONTENT_TYPE_JSON`]). `body` must be the exact
    /// bytes that will be sent.
    pub fn post(host: &'a str, action: &'a str, version: &'a str, body: &'a [u8]) -> Self {
        Self {
            method: Method::Post,
            host,
            query: "",
            content_type: CONTENT_TYPE_JSON,
            body,
            unsigned_payload: false,
            service: None,
            action,
            version,
            region: None,
            language: None,
            extra_headers: Vec::new(),
        }
    }

    /// A GET with `query` exactly as it will be sent (without the leading `?`), e.g.
    /// `Limit=10&Offset=0` (Content-Type [`CONTENT_TYPE_FORM`]).
    pub fn get(host: &'a str, action: &'a str, version: &'a str, query: &'a str) -> Self {
        Self {
            method: Method::Get,
            query,
            content_type: CONTENT_TYPE_FORM,
            body: b"",
            ..Self::post(host, action, version, b"")
        }
    }

    /// Sets the region (`X-TC-Region`); an empty region is omitted.
    #[must_use]
    pub fn region(mut self, region: &'a str) -> Self {
        self.region = (!region.is_empty()).then_some(region);
        self
    }

    /// Sets the service explicitly (needed when the host is not `<service>.…tencentcloudapi.com`,
    /// e.g. a local mock endpoint).
    #[must_use]
    pub fn with_service(mut self, service: &'a str) -> Self {
        self.service = Some(service);
        self
    }

    /// Overrides the Content-Type; it must be byte-identical to the one sent.
    #[must_use]
    pub fn content_type(mut self, content_type: &'a str) -> Self {
        self.content_type = content_type;
        self
    }

    /// Sets `X-TC-Language` (`zh-CN` or `en-US`).
    #[must_use]
    pub fn language(mut self, language: &'a str) -> Self {
        self.language = Some(language);
        self
    }

    /// Signs `X-TC-Content-SHA256: UNSIGNED-PAYLOAD` instead of the body hash.
    #[must_use]
    pub fn unsigned_payload(mut self) -> Self {
        self.unsigned_payload = true;
        self
    }

    /// Adds a header that the caller sends and that may be named in the signed headers.
    #[must_use]
    pub fn header(mut self, name: &'a str, value: &'a str) -> Self {
        self.extra_headers.push((name, value));
        self
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The service: as set, or derived from a `<service>[.<region>|.internal].tencentcloudapi.com`
    /// host.
    pub fn service(&self) -> Result<&'a str, Error> {
        match self.service {
            Some(service) => Ok(service),
            None => service_from_host(self.host),
        }
    }

    /// Everything but the body and the extra headers: see [`ShapeCache`].
    fn shape(&self) -> Shape<&'a str> {
        // Destructured in full, so that a new field cannot be left out of the shape unnoticed.
        let Request {
            method,
            host,
            query,
            content_type,
            body: _,
            unsigned_payload,
            service,
            action,
            version,
            region,
            language,
            // Only signed when named in the signed headers, and then no shape is remembered.
            extra_headers: _,
        } = *self;
        Shape {
            action,
            host,
            method,
            query,
            content_type,
            version,
            region,
            language,
            service,
            unsigned_payload,
        }
    }

    /// The value the request sends for a lower-case header name, if it sends one.
    fn header_value(
        &self,
        name: &str,
        timestamp: &'a str,
        token: Option<&'a str>,
    ) -> Option<&'a str> {
        match name {
            "content-type" => Some(self.content_type),
            "host" => Some(self.host),
            "x-tc-action" => Some(self.action),
            "x-tc-version" => Some(self.version),
            "x-tc-timestamp" => Some(timestamp),
            "x-tc-region" => self.region,
            "x-tc-language" => self.language,
            "x-tc-token" => token,
            "x-tc-content-sha256" if self.unsigned_payload => Some(UNSIGNED_PAYLOAD),
            _ => self
                .extra_headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| *v),
        }
    }

    fn validate(&self) -> Result<(), Error> {
        check_field("host", self.host, |b| b.is_ascii_graphic())?;
        check_field("action", self.action, |b| b.is_ascii_alphanumeric())?;
        check_field("version", self.version, |b| {
            b.is_ascii_alphanumeric() || b == b'-'
        })?;
        if let Some(region) = self.region {
            check_field("region", region, |b| b.is_ascii_alphanumeric() || b == b'-')?;
        }
        Ok(())
    }
}

fn check_field(
    field: &'static str,
    value: &str,
    allowed: impl Fn(u8) -> bool,
) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::InvalidField {
            field,
            value: String::new(),
            reason: "must not be empty",
        });
    }
    // A fold without early exit lets the compiler check many bytes per instruction.
    if !value.bytes().fold(true, |ok, b| ok & allowed(b)) {
        return Err(Error::InvalidField {
            field,
            value: crate::error::bounded(value, 128),
            reason: "contains characters that are not allowed",
        });
    }
    Ok(())
}

/// Derives the service from `<service>[.<region>|.internal].tencentcloudapi.com[:port]`.
///
/// ```
/// use tke_signer::service_from_host;
/// assert_eq!(service_from_host("tke.tencentcloudapi.com").unwrap(), "tke");
/// assert_eq!(service_from_host("clb.ap-shanghai-fsi.tencentcloudapi.com").unwrap(), "clb");
/// assert!(service_from_host("127.0.0.1:8080").is_err());
/// ```
pub fn service_from_host(host: &str) -> Result<&str, Error> {
    const SUFFIX: &str = ".tencentcloudapi.com";
    // The common case (no port, no trailing dot) first: this runs on every signature.
    let prefix = host.strip_suffix(SUFFIX).or_else(|| {
        let without_port = host.rsplit_once(':').map_or(host, |(h, _)| h);
        without_port.trim_end_matches('.').strip_suffix(SUFFIX)
    });
    let derived = prefix
        .map(|prefix| prefix.split_once('.').map_or(prefix, |(first, _)| first))
        .filter(|s| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    derived.ok_or_else(|| Error::UnknownService {
        host: crate::error::bounded(host, 256),
    })
}

/// One header the caller must set, as a view into a [`SignedRequest`].
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct SignedHeader<'a> {
    /// Canonical header name, e.g. `X-TC-Timestamp`.
    pub name: &'static str,
    /// Header value.
    pub value: &'a str,
    /// True for `X-TC-Token`: mark it sensitive in your HTTP stack and never log it.
    pub sensitive: bool,
}

impl<'a> SignedHeader<'a> {
    /// The value as text.
    pub fn value(&self) -> &'a str {
        self.value
    }
}

impl fmt::Debug for SignedHeader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value: &dyn fmt::Debug = if self.sensitive {
            &"[redacted]"
        } else {
            &self.value
        };
        f.debug_struct("SignedHeader")
            .field("name", &self.name)
            .field("value", value)
            .finish()
    }
}

/// The most headers a signature produces: Authorization and seven `X-TC-*` headers.
const MAX_OUTPUT_HEADERS: usize = 8;

/// The result of signing: exactly the headers to set, besides Content-Type and Host (which the
/// caller already sends with the values it gave). Compact on purpose: values borrow from the
/// request and credentials, and only the Authorization value is allocated.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest<'a> {
    /// The Authorization value followed by the timestamp text: one allocation for both.
    text: String,
    /// Where the Authorization value ends and the timestamp begins.
    authorization_len: usize,
    action: Cow<'a, str>,
    version: Cow<'a, str>,
    region: Option<Cow<'a, str>>,
    token: Option<Cow<'a, str>>,
    language: Option<Cow<'a, str>>,
    unsigned_payload: bool,
}

impl<'a> SignedRequest<'a> {
    /// The `Authorization` header value.
    pub fn authorization(&self) -> &str {
        self.text.get(..self.authorization_len).unwrap_or_default()
    }

    /// The `X-TC-Timestamp` header value.
    pub fn timestamp(&self) -> &str {
        self.text.get(self.authorization_len..).unwrap_or_default()
    }

    /// Every header to set, in this order: `Authorization`, `X-TC-Action`, `X-TC-Version`,
    /// `X-TC-Timestamp`, and then `X-TC-Region`, `X-TC-Token`, `X-TC-Language` and
    /// `X-TC-Content-SHA256` when they apply.
    pub fn headers(&self) -> impl ExactSizeIterator<Item = SignedHeader<'_>> + Clone + '_ {
        let mut headers: [SignedHeader<'_>; MAX_OUTPUT_HEADERS] = Default::default();
        let mut len = 0;
        for (name, value, sensitive) in self.candidates() {
            if let (Some(value), Some(slot)) = (value, headers.get_mut(len)) {
                *slot = SignedHeader {
                    name,
                    value,
                    sensitive,
                };
                len += 1;
            }
        }
        headers.into_iter().take(len)
    }

    /// Looks a header's value up by name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.candidates()
            .into_iter()
            .find(|(candidate, _, _)| candidate.eq_ignore_ascii_case(name))
            .and_then(|(_, value, _)| value)
    }

    /// Every header name in output order, with its value when it is sent and whether it is
    /// sensitive.
    fn candidates(&self) -> [(&'static str, Option<&str>, bool); MAX_OUTPUT_HEADERS] {
        [
            ("Authorization", Some(self.authorization()), false),
            ("X-TC-Action", Some(&self.action), false),
            ("X-TC-Version", Some(&self.version), false),
            ("X-TC-Timestamp", Some(self.timestamp()), false),
            ("X-TC-Region", self.region.as_deref(), false),
            ("X-TC-Token", self.token.as_deref(), true),
            ("X-TC-Language", self.language.as_deref(), false),
            (
                "X-TC-Content-SHA256",
                self.unsigned_payload.then_some(UNSIGNED_PAYLOAD),
                false,
            ),
        ]
    }

    /// Detaches the result from the request and credentials it was signed for.
    pub fn into_owned(self) -> SignedRequest<'static> {
        let owned = |value: Cow<'a, str>| Cow::Owned(value.into_owned());
        SignedRequest {
            text: self.text,
            authorization_len: self.authorization_len,
            action: owned(self.action),
            version: owned(self.version),
            region: self.region.map(owned),
            token: self.token.map(owned),
            language: self.language.map(owned),
            unsigned_payload: self.unsigned_payload,
        }
    }
}

impl fmt::Debug for SignedRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRequest")
            .field("headers", &self.headers().collect::<Vec<_>>())
            .finish()
    }
}

/// Every intermediate value of a signature, for debugging and for checking against the
/// official examples. It holds no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningDetails {
    /// The canonical request.
    pub canonical_request: String,
    /// Hex SHA-256 of the canonical request.
    pub hashed_canonical_request: String,
    /// `Date/service/tc3_request`.
    pub credential_scope: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// Hex signature.
    pub signature: String,
}

/// Signs API 3.0 requests with TC3-HMAC-SHA256. Cheap to clone; clones share their caches.
///
/// Two caches keep repeated signatures cheap, and neither can change a signature:
/// - the [`SigningKeyCache`]: the three key-derivation HMACs run once per secret, day and service;
/// - a memory of request shapes (method, host, query, content type, action, version, region,
///   language, service): a repeated shape skips validation and reuses the hash state of its
///   canonical request up to the body hash. It holds the last 64 shapes, and it is off when the
///   signed headers include anything but those fields (the timestamp, the token, custom headers).
///
/// ```
/// use tke_signer::{Credentials, Request, Signer};
/// let signer = Signer::new();
/// let creds = Credentials::new("AKIDexample", "secret");
/// let body = br#"{"Limit":1}"#;
/// let request = Request::post("tke.tencentcloudapi.com", "DescribeClusters", "2018-05-25", body)
///     .region("ap-guangzhou");
/// let signed = signer.sign(&creds, &request, 1_700_000_000).unwrap();
/// assert!(signed.authorization().starts_with(
///     "TC3-HMAC-SHA256 Credential=AKIDexample/2023-11-14/tke/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature="));
/// assert_eq!(signed.header("X-TC-Region"), Some("ap-guangzhou"));
/// ```
#[derive(Clone, Debug)]
pub struct Signer {
    signed_headers: SignedHeaders,
    cache: Arc<SigningKeyCache>,
    /// Remembered request shapes; `None` when a signed header does not come from the request's
    /// own fields (see [`shapes_cacheable`]).
    shapes: Option<Arc<ShapeCache>>,
}

impl Default for Signer {
    fn default() -> Self {
        Self::new()
    }
}

impl Signer {
    /// A signer with the default signed headers (`content-type;host;x-tc-action`).
    pub fn new() -> Self {
        Self {
            signed_headers: SignedHeaders::default(),
            cache: Arc::default(),
            shapes: Some(Arc::default()),
        }
    }

    /// Uses another set of signed headers.
    #[must_use]
    pub fn with_signed_headers(mut self, signed_headers: SignedHeaders) -> Self {
        self.shapes = shapes_cacheable(&signed_headers).then(Arc::default);
        self.signed_headers = signed_headers;
        self
    }

    /// Shares a key cache (e.g. with a [`crate::Verifier`]).
    #[must_use]
    pub fn with_key_cache(mut self, cache: Arc<SigningKeyCache>) -> Self {
        self.cache = cache;
        self
    }

    /// The signed headers in use.
    pub fn signed_headers(&self) -> &SignedHeaders {
        &self.signed_headers
    }

    /// Signs `request` at `timestamp` (Unix seconds; the scope date is its UTC date).
    pub fn sign<'a>(
        &self,
        credentials: &'a Credentials,
        request: &Request<'a>,
        timestamp: i64,
    ) -> Result<SignedRequest<'a>, Error> {
        self.sign_inner(credentials, request, timestamp, None)
    }

    /// Signs and also returns every intermediate value.
    pub fn sign_with_details<'a>(
        &self,
        credentials: &'a Credentials,
        request: &Request<'a>,
        timestamp: i64,
    ) -> Result<(SignedRequest<'a>, SigningDetails), Error> {
        let mut details = SigningDetails {
            canonical_request: String::new(),
            hashed_canonical_request: String::new(),
            credential_scope: String::new(),
            string_to_sign: String::new(),
            signature: String::new(),
        };
        let signed = self.sign_inner(credentials, request, timestamp, Some(&mut details))?;
        Ok((signed, details))
    }

    fn sign_inner<'a>(
        &self,
        credentials: &'a Credentials,
        request: &Request<'a>,
        timestamp: i64,
        mut details: Option<&mut SigningDetails>,
    ) -> Result<SignedRequest<'a>, Error> {
        // Details need the canonical request as text: they always assemble it.
        let shapes = self.shapes.as_deref().filter(|_| details.is_none());
        let shape = request.shape();
        let remembered = shapes.and_then(|shapes| shapes.get(&shape));
        if remembered.is_none() {
            request.validate()?;
        }
        let service = request.service()?;
        let date = UtcDate::from_unix(timestamp)?;
        let mut timestamp_text = itoa::Buffer::new();
        let scope = Scope {
            timestamp: timestamp_text.format(timestamp),
            date,
            date_text: date.as_str(),
            service,
        };
        let token = credentials.expose_token();
        let payload_hash = if request.unsigned_payload {
            unsigned_payload_hash()
        } else {
            sha256(request.body)
        };

        let canonical_hash = match remembered {
            Some(prefix) => prefix.finish(&payload_hash),
            None => {
                // SignedHeaders holds at most MAX_SIGNED_HEADERS names: no allocation here.
                let mut storage = [("", ""); crate::MAX_SIGNED_HEADERS];
                let mut count = 0;
                for (slot, name) in storage.iter_mut().zip(self.signed_headers.names()) {
                    let value = request
                        .header_value(name, scope.timestamp, token)
                        .ok_or_else(|| Error::MissingSignedHeader {
                            name: name.to_owned(),
                        })?;
                    *slot = (name, value);
                    count += 1;
                }
                let input = CanonicalInput {
                    method: request.method.as_str(),
                    query: request.query,
                    headers: &storage[..count],
                    signed_headers: self.signed_headers.as_str(),
                    payload_hash: &payload_hash,
                };
                let hash = hash_canonical_request(&input, shapes.map(|s| (s, &shape)));
                if let Some(details) = details.as_deref_mut() {
                    details.fill(&input, &hash, &scope);
                }
                hash
            }
        };
        let signature = sign_string(
            &self.cache,
            credentials.expose_secret_key(),
            &canonical_hash,
            &scope,
        );
        if let Some(details) = details {
            details.signature = signature.as_str().to_owned();
        }

        let pieces = [
            "TC3-HMAC-SHA256 Credential=",
            credentials.secret_id(),
            "/",
            scope.date_text,
            "/",
            service,
            self.signed_headers.authorization_middle(),
            signature.as_str(),
            scope.timestamp,
        ];
        let text = pieces.concat();
        let authorization_len = text.len() - scope.timestamp.len();

        Ok(SignedRequest {
            text,
            authorization_len,
            action: Cow::Borrowed(request.action),
            version: Cow::Borrowed(request.version),
            region: request.region.map(Cow::Borrowed),
            token: token.map(Cow::Borrowed),
            language: request.language.map(Cow::Borrowed),
            unsigned_payload: request.unsigned_payload,
        })
    }
}

/// Whether every header in `signed_headers` takes its value from the request's [`Shape`], so
/// that the canonical request before the body hash repeats per shape and holds no secret. Not so
/// for the timestamp (new every second), the token (a secret) or caller-defined headers.
fn shapes_cacheable(signed_headers: &SignedHeaders) -> bool {
    signed_headers.names().all(|name| {
        matches!(
            name,
            "content-type"
                | "host"
                | "x-tc-action"
                | "x-tc-version"
                | "x-tc-region"
                | "x-tc-language"
                | "x-tc-content-sha256"
        )
    })
}

/// Staging room for a canonical request; typical ones take about 250 bytes. Longer ones (a long
/// query string, say) are streamed into the hasher instead.
const CANONICAL_STAGE: usize = 512;

/// Staging room for a string to sign (about 120 bytes with a short service name).
const STRING_TO_SIGN_STAGE: usize = 192;

/// SHA-256 of the canonical request, remembering its prefix for a shape when asked to.
pub(crate) fn hash_canonical_request(
    input: &CanonicalInput<'_>,
    remember: Option<(&ShapeCache, &Shape<&str>)>,
) -> [u8; 32] {
    let mut staged = Staged::<CANONICAL_STAGE>::new();
    write_canonical_request(&mut staged, input);
    match (staged.bytes(), remember) {
        (Some(bytes), Some((shapes, shape))) => shapes.digest_and_remember(shape, bytes),
        (Some(bytes), None) => Sha256::digest(bytes).into(),
        (None, _) => {
            let mut hasher = Sha256::new();
            write_canonical_request(&mut hasher, input);
            hasher.finalize().into()
        }
    }
}

/// The hex signature of a string to sign; shared by signing and verification.
pub(crate) fn sign_string(
    cache: &SigningKeyCache,
    secret_key: &str,
    hashed_canonical_request: &[u8; 32],
    scope: &Scope<'_>,
) -> Hex32 {
    let mut string_to_sign = Staged::<STRING_TO_SIGN_STAGE>::new();
    write_string_to_sign(&mut string_to_sign, scope, hashed_canonical_request);
    let key = cache.signing_key(secret_key, scope.date, scope.service);
    let signature = match string_to_sign.bytes() {
        Some(bytes) => key.sign(bytes),
        None => {
            // A service name of dozens of bytes: rare enough to allocate for.
            let mut bytes = Vec::new();
            write_string_to_sign(&mut bytes, scope, hashed_canonical_request);
            key.sign(&bytes)
        }
    };
    hex32(&signature)
}

impl SigningDetails {
    /// Records every intermediate value but the signature.
    fn fill(&mut self, input: &CanonicalInput<'_>, hashed: &[u8; 32], scope: &Scope<'_>) {
        let mut text = Vec::new();
        write_canonical_request(&mut text, input);
        self.canonical_request = String::from_utf8_lossy(&text).into_owned();
        self.hashed_canonical_request = hex32(hashed).as_str().to_owned();
        let mut credential_scope = Vec::new();
        write_credential_scope(&mut credential_scope, scope.date_text, scope.service);
        self.credential_scope = String::from_utf8_lossy(&credential_scope).into_owned();
        let mut string_to_sign = Vec::new();
        write_string_to_sign(&mut string_to_sign, scope, hashed);
        self.string_to_sign = String::from_utf8_lossy(&string_to_sign).into_owned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_come_from_hosts_with_or_without_port_and_trailing_dot() {
        for (host, service) in [
            ("tke.tencentcloudapi.com", Some("tke")),
            ("tke.ap-guangzhou.tencentcloudapi.com", Some("tke")),
            ("clb.internal.tencentcloudapi.com", Some("clb")),
            ("tke.tencentcloudapi.com:443", Some("tke")),
            ("tke.tencentcloudapi.com.", Some("tke")),
            ("tke.tencentcloudapi.com.:8443", Some("tke")),
            (".tencentcloudapi.com", None),
            ("TKE.tencentcloudapi.com", None),
            ("tencentcloudapi.com", None),
            ("tke.example.com", None),
            ("127.0.0.1:8080", None),
            ("", None),
        ] {
            assert_eq!(service_from_host(host).ok(), service, "{host}");
        }
    }

    #[test]
    fn timestamps_before_1970_are_signed_and_sent_with_their_sign() {
        let credentials = Credentials::new("AKID", "secret");
        let request = Request::post(
            "tke.tencentcloudapi.com",
            "DescribeClusters",
            "2018-05-25",
            b"{}",
        );
        let signed = Signer::new().sign(&credentials, &request, -86_401).unwrap();
        assert_eq!(signed.timestamp(), "-86401");
        assert_eq!(signed.header("x-tc-timestamp"), Some("-86401"));
        assert!(signed.authorization().contains("/1969-12-30/tke/"));
        assert!(
            signed.authorization().ends_with(
                &Signer::new()
                    .sign_with_details(&credentials, &request, -86_401)
                    .unwrap()
                    .1
                    .signature
            )
        );
    }
}
