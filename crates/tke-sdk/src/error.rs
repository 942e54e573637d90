//! The crate's single error type and its classification predicates.

use std::time::Duration;

use thiserror::Error;

/// An error returned by the service in a `{"Response": {"Error": ...}}` envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// `Response.Error.Code`, e.g. `RequestLimitExceeded` or `FailedOperation.ClusterNotFound`.
    pub code: String,
    /// `Response.Error.Message` (the language follows `X-TC-Language`).
    pub message: String,
    /// `Response.RequestId` (quote it to Tencent support).
    pub request_id: String,
    /// The action that failed.
    pub action: String,
    /// HTTP status of the response (normally 200: TKE reports errors in the body).
    pub http_status: u16,
}

impl ServiceError {
    /// Whether the code is `prefix` or a sub-code of it (`prefix.<anything>`).
    pub fn code_is(&self, prefix: &str) -> bool {
        code_matches(&self.code, prefix)
    }
}

/// `code == prefix` or `code` starts with `prefix.`.
pub(crate) fn code_matches(code: &str, prefix: &str) -> bool {
    code.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// How a transport failure happened: it decides whether the request may have reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The connection could not be established: the request was never sent.
    Connect,
    /// The connection failed after the request was (possibly) sent, or the response body was cut
    /// off: the server may have acted on it.
    Interrupted,
    /// Building or sending the request failed for another reason.
    Other,
}

/// Which timeout fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutScope {
    /// One attempt (connect + send + receive the whole body) took too long.
    Attempt,
    /// The whole operation, retries and back-off included, took too long.
    Operation,
}

/// Whether a credential provider had nothing to offer or failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialsErrorKind {
    /// The provider is not configured here (no environment variables, no file, no role):
    /// a chain moves on to the next provider.
    NotConfigured,
    /// The provider is configured but failed (bad file, refused role, endpoint error):
    /// returned to the caller, never swallowed.
    Failed,
}

/// Everything that can go wrong in a call.
///
/// Messages name the action and the offending value. They never contain a SecretKey, a session
/// token or temporary credentials: response excerpts are bounded and have secret-looking JSON
/// values masked.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error envelope.
    #[error(
        "{} failed: {} ({}) [RequestId {}]",
        .0.action, .0.code, .0.message, .0.request_id
    )]
    Service(ServiceError),
    /// The HTTP exchange failed (DNS, connect, TLS, reset, body cut off).
    #[error("{action}: transport error ({kind:?}): {source}")]
    Transport {
        /// The action being called.
        action: String,
        /// When it failed, which decides retry safety.
        kind: TransportKind,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The server answered with a non-success HTTP status and no error envelope (a gateway error,
    /// a 429 from a proxy, ...).
    #[error("{action}: HTTP {status} without an error envelope; body starts: {excerpt}")]
    HttpStatus {
        /// The action being called.
        action: String,
        /// HTTP status code.
        status: u16,
        /// Bounded, secret-masked start of the body.
        excerpt: String,
    },
    /// A timeout fired.
    #[error("{action}: {scope:?} timeout after {after:?}")]
    Timeout {
        /// The action being called.
        action: String,
        /// Attempt or whole operation.
        scope: TimeoutScope,
        /// The configured limit.
        after: Duration,
    },
    /// The response body could not be decoded.
    #[error("{action}: cannot decode the response ({reason}); body starts: {excerpt}")]
    Decode {
        /// The action being called.
        action: String,
        /// The decoder's message (it names the field and position).
        reason: String,
        /// Bounded, secret-masked start of the body.
        excerpt: String,
        /// True when the body ended early (an interrupted response rather than a bad one).
        truncated: bool,
    },
    /// Credentials could not be obtained.
    #[error("credentials from {provider}: {reason}")]
    Credentials {
        /// The provider that failed (`environment`, `profile file`, `cvm role`, ...).
        provider: &'static str,
        /// Not configured here, or failed.
        kind: CredentialsErrorKind,
        /// What went wrong (never a secret).
        reason: String,
        /// The underlying error, e.g. the STS call that failed.
        #[source]
        source: Option<Box<Error>>,
    },
    /// The configuration or a request is invalid.
    #[error("invalid configuration: {field} `{value}`: {reason}")]
    Config {
        /// The setting or field.
        field: &'static str,
        /// The value given (never a secret).
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A paginated listing did not end within the page limit (the server keeps returning full
    /// pages without a total).
    #[error("{action}: pagination stopped after {pages} pages without reaching the end")]
    PaginationLimit {
        /// The paged action.
        action: String,
        /// Pages fetched.
        pages: u64,
    },
    /// A waiter gave up: the resource did not reach the wanted state within the maximum wait, or
    /// reached a failure state.
    #[error("waiting for {what}: {reason}; last state: {last_state}")]
    Waiter {
        /// What was awaited, e.g. `cluster cls-abc to be Running`.
        what: String,
        /// Why the waiter stopped.
        reason: String,
        /// The last state observed.
        last_state: String,
    },
}

impl Error {
    /// The service error, if the service answered with one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(e) => Some(e),
            Error::Credentials {
                source: Some(inner),
                ..
            } => inner.service_error(),
            _ => None,
        }
    }

    /// The service's error code, if any.
    pub fn code(&self) -> Option<&str> {
        self.service_error().map(|e| e.code.as_str())
    }

    /// The request id of the failed call, if the service answered.
    pub fn request_id(&self) -> Option<&str> {
        self.service_error().map(|e| e.request_id.as_str())
    }

    fn code_is(&self, prefix: &str) -> bool {
        self.code().is_some_and(|c| code_matches(c, prefix))
    }

    /// Rate limited: `RequestLimitExceeded` (and sub-codes) or HTTP 429.
    pub fn is_throttled(&self) -> bool {
        self.code_is("RequestLimitExceeded")
            || matches!(self, Error::HttpStatus { status: 429, .. })
            || matches!(self, Error::Service(e) if e.http_status == 429)
    }

    /// Authentication or authorization failed: `AuthFailure.*`, `UnauthorizedOperation*`, or
    /// credentials could not be obtained.
    pub fn is_auth(&self) -> bool {
        self.code_is("AuthFailure")
            || self.code_is("UnauthorizedOperation")
            || matches!(self, Error::Credentials { .. })
    }

    /// The resource does not exist: `ResourceNotFound*` or any code with a `NotFound` component
    /// (`FailedOperation.ClusterNotFound`, `InvalidParameter.ClusterNotFound`, ...).
    pub fn is_not_found(&self) -> bool {
        self.code()
            .is_some_and(|c| c.split('.').any(|part| part.ends_with("NotFound")))
    }

    /// A quota is exhausted: `LimitExceeded*` (never retried; `RequestLimitExceeded` is
    /// throttling, not quota) or `ResourceInsufficient*`.
    pub fn is_quota(&self) -> bool {
        self.code_is("LimitExceeded") || self.code_is("ResourceInsufficient")
    }

    /// Whether a retry could succeed for a read-only action (see [`crate::RetryPolicy`] for the
    /// rules that also consider whether the action is safe to repeat).
    pub fn is_retryable(&self) -> bool {
        crate::retry::classify(self, true).is_some()
    }

    pub(crate) fn credentials(
        provider: &'static str,
        kind: CredentialsErrorKind,
        reason: impl Into<String>,
    ) -> Self {
        Error::Credentials {
            provider,
            kind,
            reason: reason.into(),
            source: None,
        }
    }

    pub(crate) fn config(
        field: &'static str,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Error::Config {
            field,
            value: value.into(),
            reason: reason.into(),
        }
    }

    /// Whether this is a "provider not configured" credential error (a chain moves on).
    pub(crate) fn is_not_configured(&self) -> bool {
        matches!(
            self,
            Error::Credentials {
                kind: CredentialsErrorKind::NotConfigured,
                ..
            }
        )
    }
}

/// JSON keys whose string values are masked in body excerpts (compared case-insensitively).
const SECRET_KEYS: &[&str] = &[
    "secretkey",
    "tmpsecretkey",
    "token",
    "sessiontoken",
    "securitytoken",
    "password",
    "privatekey",
    "webidentitytoken",
    "kubeconfig",
    "credential",
];

/// Maximum characters of a body kept in an error.
pub(crate) const EXCERPT_CHARS: usize = 256;

/// A bounded excerpt of a response body with secret-looking JSON string values masked.
///
/// Masking runs over the whole body before truncation, so a secret cut by the bound is masked
/// too.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let masked = mask_secrets(&text);
    let mut out: String = masked.chars().take(EXCERPT_CHARS).collect();
    if masked.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// Replaces the string value of every `"<secret key>": "..."` pair with `[redacted]`.
pub(crate) fn mask_secrets(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        // A quoted token: find its end.
        let start = i + 1;
        let end = string_end(bytes, start);
        let key = &text[start..end];
        let mut j = end + 1;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let is_key = j < bytes.len() && bytes[j] == b':';
        if is_key && SECRET_KEYS.iter().any(|k| key.eq_ignore_ascii_case(k)) {
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'"' {
                let value_end = string_end(bytes, j + 1);
                out.push_str(&text[copied..=j]);
                out.push_str("[redacted]");
                copied = value_end.min(bytes.len());
                i = value_end + 1;
                continue;
            }
        }
        i = end + 1;
    }
    if copied < text.len() {
        out.push_str(&text[copied..]);
    }
    out
}

/// Index of the closing quote of a JSON string starting at `start`, or `len` if unterminated.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut k = start;
    while k < bytes.len() {
        match bytes[k] {
            b'\\' => k += 2,
            b'"' => return k,
            _ => k += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(code: &str) -> Error {
        Error::Service(ServiceError {
            code: code.into(),
            message: "m".into(),
            request_id: "r".into(),
            action: "A".into(),
            http_status: 200,
        })
    }

    #[test]
    fn predicates_by_code() {
        // (code, throttled, auth, not_found, quota)
        let table = [
            ("RequestLimitExceeded", true, false, false, false),
            (
                "RequestLimitExceeded.UinLimitExceeded",
                true,
                false,
                false,
                false,
            ),
            ("LimitExceeded", false, false, false, true),
            ("LimitExceeded.ClusterQuota", false, false, false, true),
            ("ResourceInsufficient", false, false, false, true),
            ("AuthFailure.SignatureExpire", false, true, false, false),
            ("UnauthorizedOperation", false, true, false, false),
            ("ResourceNotFound", false, false, true, false),
            ("FailedOperation.ClusterNotFound", false, false, true, false),
            ("InvalidParameter", false, false, false, false),
            ("RequestLimitExceededX", false, false, false, false),
            ("InternalError", false, false, false, false),
        ];
        for (code, throttled, auth, not_found, quota) in table {
            let e = service(code);
            assert_eq!(e.is_throttled(), throttled, "{code} throttled");
            assert_eq!(e.is_auth(), auth, "{code} auth");
            assert_eq!(e.is_not_found(), not_found, "{code} not found");
            assert_eq!(e.is_quota(), quota, "{code} quota");
        }
    }

    #[test]
    fn http_429_is_throttled() {
        let e = Error::HttpStatus {
            action: "A".into(),
            status: 429,
            excerpt: String::new(),
        };
        assert!(e.is_throttled());
        assert!(e.is_retryable());
    }

    #[test]
    fn masks_secret_values() {
        let body = r#"{"Response":{"Credentials":{"Token":"tok-123","TmpSecretId":"AKIDx","TmpSecretKey" : "sk\"q"},"ExpiredTime":1}}"#;
        let m = mask_secrets(body);
        assert!(!m.contains("tok-123"), "{m}");
        assert!(!m.contains("sk\\\"q"), "{m}");
        assert!(m.contains("AKIDx"));
        assert!(m.contains(r#""Token":"[redacted]""#), "{m}");
    }

    #[test]
    fn masks_unterminated_secret() {
        let m = mask_secrets(r#"{"TmpSecretKey":"abcdef"#);
        assert!(!m.contains("abcdef"), "{m}");
    }

    #[test]
    fn excerpt_is_bounded() {
        let body = "x".repeat(10_000);
        let e = excerpt(body.as_bytes());
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
    }

    proptest::proptest! {
        #[test]
        fn masking_never_panics(s in ".*") {
            let _ = mask_secrets(&s);
            let _ = excerpt(s.as_bytes());
        }

        #[test]
        fn masked_secret_never_survives(secret in "[a-zA-Z0-9+/]{8,40}", key in proptest::sample::select(SECRET_KEYS)) {
            let body = format!(r#"{{"a":1,"{key}":"{secret}","b":"c"}}"#);
            let m = mask_secrets(&body);
            proptest::prop_assert!(!m.contains(&secret));
        }
    }
}
