//! The crate's single error type.

use thiserror::Error;

/// Everything that can go wrong while signing or verifying a request.
///
/// Messages name the offending field and value. They never contain a SecretKey, a session token or
/// a derived key: only SecretIds (which travel in clear in every Authorization header) and header
/// names appear.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Error {
    /// A header listed in the signed headers has no value in the request.
    #[error("signed header `{name}` has no value in the request")]
    MissingSignedHeader {
        /// Lower-case header name.
        name: String,
    },
    /// The signed-header list lacks `content-type` or `host`, which TC3 requires.
    #[error("signed headers `{signed}` must include `content-type` and `host`")]
    RequiredHeaderNotSigned {
        /// The signed-header list as given.
        signed: String,
    },
    /// A header name is empty or holds characters outside an HTTP token.
    #[error("invalid header name `{name}` in signed headers")]
    InvalidHeaderName {
        /// The name as given.
        name: String,
    },
    /// More headers are listed for signing than the signer supports.
    #[error("{count} signed headers given; at most {max} are supported")]
    TooManySignedHeaders {
        /// Distinct names given.
        count: usize,
        /// [`crate::MAX_SIGNED_HEADERS`].
        max: usize,
    },
    /// The service could not be derived from the host and was not given.
    #[error(
        "cannot derive the service name from host `{host}` (expected `<service>[.<region>].tencentcloudapi.com`); set it explicitly"
    )]
    UnknownService {
        /// The host the request is sent to.
        host: String,
    },
    /// A request field is empty or malformed.
    #[error("invalid {field} `{value}`: {reason}")]
    InvalidField {
        /// Which field (`host`, `action`, `version`, `service`, `method`, ...).
        field: &'static str,
        /// The value as given (never a secret).
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The timestamp cannot be turned into a UTC date.
    #[error("timestamp {timestamp} is outside the supported range")]
    InvalidTimestamp {
        /// Unix seconds as given.
        timestamp: i64,
    },
    /// Verification: a header the request must carry is missing.
    #[error("missing header `{name}`")]
    MissingHeader {
        /// Header name.
        name: &'static str,
    },
    /// Verification: the Authorization header does not have the TC3 shape.
    #[error("malformed Authorization header: {reason}")]
    MalformedAuthorization {
        /// What is wrong (the header itself is not echoed).
        reason: &'static str,
    },
    /// Verification: the algorithm named in the Authorization header is not TC3-HMAC-SHA256.
    #[error("unsupported signature algorithm `{algorithm}`")]
    UnsupportedAlgorithm {
        /// Algorithm as received (at most 64 characters kept).
        algorithm: String,
    },
    /// Verification: no secret is known for the SecretId.
    #[error("unknown SecretId `{secret_id}`")]
    UnknownSecretId {
        /// SecretId as received.
        secret_id: String,
    },
    /// Verification: the credential-scope date differs from the timestamp's UTC date.
    #[error(
        "credential scope date `{scope_date}` does not match the UTC date `{expected}` of X-TC-Timestamp"
    )]
    ScopeDateMismatch {
        /// Date from the Authorization header.
        scope_date: String,
        /// UTC date of the request timestamp.
        expected: String,
    },
    /// Verification: the timestamp is outside the accepted window around the current time.
    #[error(
        "request timestamp {timestamp} is {skew_seconds} s away from the current time {now}; at most {max_skew_seconds} s is accepted"
    )]
    Expired {
        /// X-TC-Timestamp of the request.
        timestamp: i64,
        /// Current time used for the check.
        now: i64,
        /// Absolute distance in seconds.
        skew_seconds: u64,
        /// The configured window.
        max_skew_seconds: u64,
    },
    /// Verification: the recomputed signature differs from the received one.
    #[error("signature mismatch for SecretId `{secret_id}`")]
    SignatureMismatch {
        /// SecretId of the request.
        secret_id: String,
    },
}

/// Keep at most `max` characters of attacker-controlled input in an error.
pub(crate) fn bounded(value: &str, max: usize) -> String {
    value.chars().take(max).collect()
}
