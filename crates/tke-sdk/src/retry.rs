//! Retry policy: which failures are retried, and how long to wait between attempts.
//!
//! The rules (issue 4, spec §4):
//! - always retried: `RequestLimitExceeded` and its sub-codes, `ServiceUnavailable`, HTTP 5xx and
//!   429, connection failures (the request was never sent);
//! - retried only when repeating the call is safe (a read-only action, or an action that carries
//!   an idempotency token): `InternalError*`, interrupted exchanges (reset after sending, body cut
//!   off, truncated JSON) and attempt timeouts;
//! - never retried: `LimitExceeded` (quota), auth and parameter errors, decode errors of complete
//!   bodies, credentials and configuration errors.
//!
//! Back-off is exponential with full jitter: before retry `n` (1-based) the client sleeps a
//! uniformly random time in `[0, min(max_delay, base_delay * 2^(n-1))]`, and never past the
//! operation deadline.

use std::time::Duration;

use crate::error::{Error, TransportKind, code_matches};

/// Why a failure may be retried (used in tracing and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryReason {
    /// Throttled (`RequestLimitExceeded*` or HTTP 429).
    Throttled,
    /// `ServiceUnavailable` or HTTP 5xx.
    Unavailable,
    /// The connection could not be established.
    Connect,
    /// `InternalError*` (safe actions only).
    InternalError,
    /// Interrupted exchange or attempt timeout (safe actions only).
    Interrupted,
}

/// Whether `error` may be retried; `safe` says whether repeating the action is harmless
/// (read-only or carrying an idempotency token).
pub(crate) fn classify(error: &Error, safe: bool) -> Option<RetryReason> {
    match error {
        Error::Service(e) => {
            if code_matches(&e.code, "RequestLimitExceeded") || e.http_status == 429 {
                Some(RetryReason::Throttled)
            } else if code_matches(&e.code, "ServiceUnavailable") || e.http_status >= 500 {
                Some(RetryReason::Unavailable)
            } else if safe && code_matches(&e.code, "InternalError") {
                Some(RetryReason::InternalError)
            } else {
                None
            }
        }
        Error::HttpStatus { status: 429, .. } => Some(RetryReason::Throttled),
        Error::HttpStatus { status, .. } if *status >= 500 => Some(RetryReason::Unavailable),
        Error::Transport {
            kind: TransportKind::Connect,
            ..
        } => Some(RetryReason::Connect),
        Error::Transport {
            kind: TransportKind::Interrupted,
            ..
        } if safe => Some(RetryReason::Interrupted),
        Error::Timeout {
            scope: crate::error::TimeoutScope::Attempt,
            ..
        } if safe => Some(RetryReason::Interrupted),
        Error::Decode {
            truncated: true, ..
        } if safe => Some(RetryReason::Interrupted),
        _ => None,
    }
}

/// How many attempts a call makes and how long it waits between them.
///
/// ```
/// use std::time::Duration;
/// use tke_sdk::RetryPolicy;
/// let policy = RetryPolicy::default();
/// assert_eq!(policy.max_attempts(), 3);
/// let none = RetryPolicy::no_retries();
/// assert_eq!(none.max_attempts(), 1);
/// let fast = RetryPolicy::default().with_base_delay(Duration::from_millis(1)).with_max_attempts(5);
/// assert!(fast.max_delay_before(4) <= Duration::from_millis(8));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts in total, base delay 200 ms, delays capped at 5 s.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// A single attempt.
    pub fn no_retries() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Total attempts, the first included (at least 1).
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The delay bound before the first retry; it doubles for each further retry.
    #[must_use]
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The cap on any single delay.
    #[must_use]
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Total attempts, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The upper bound of the jittered delay before retry `retry` (1-based):
    /// `min(max_delay, base_delay * 2^(retry-1))`.
    pub fn max_delay_before(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        self.base_delay
            .checked_mul(1u32 << exponent)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// A full-jitter delay before retry `retry`: uniform in `[0, max_delay_before(retry)]`.
    pub fn delay_before(&self, retry: u32) -> Duration {
        use rand::Rng;
        let bound = self.max_delay_before(retry);
        let nanos = u64::try_from(bound.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rand::rng().random_range(0..=nanos))
    }
}

/// Whether an action name reads only (Describe*, Get*, List*, Check*, Inquire*, Query*,
/// Search*): used for raw calls, where no generated `READ_ONLY` constant exists.
pub fn is_read_only_action(action: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "Describe", "Get", "List", "Check", "Inquire", "Query", "Search",
    ];
    PREFIXES.iter().any(|p| {
        action.strip_prefix(p).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_uppercase())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ServiceError, TimeoutScope};

    fn service(code: &str, status: u16) -> Error {
        Error::Service(ServiceError {
            code: code.into(),
            message: String::new(),
            request_id: String::new(),
            action: "A".into(),
            http_status: status,
        })
    }

    #[test]
    fn classification_table() {
        use RetryReason::*;
        // (error, retried when safe, retried when unsafe)
        let timeout = |scope| Error::Timeout {
            action: "A".into(),
            scope,
            after: Duration::from_secs(1),
        };
        let decode = |truncated| Error::Decode {
            action: "A".into(),
            reason: String::new(),
            excerpt: String::new(),
            truncated,
        };
        let http = |status| Error::HttpStatus {
            action: "A".into(),
            status,
            excerpt: String::new(),
        };
        let table: Vec<(Error, Option<RetryReason>, Option<RetryReason>)> = vec![
            (
                service("RequestLimitExceeded", 200),
                Some(Throttled),
                Some(Throttled),
            ),
            (
                service("RequestLimitExceeded.IPLimitExceeded", 200),
                Some(Throttled),
                Some(Throttled),
            ),
            (
                service("RequestLimitExceeded.GlobalRegionUinLimitExceeded", 200),
                Some(Throttled),
                Some(Throttled),
            ),
            (
                service("ServiceUnavailable", 200),
                Some(Unavailable),
                Some(Unavailable),
            ),
            (service("InternalError", 200), Some(InternalError), None),
            (
                service("InternalError.Param", 200),
                Some(InternalError),
                None,
            ),
            (service("LimitExceeded", 200), None, None),
            (service("AuthFailure.SignatureFailure", 200), None, None),
            (service("InvalidParameter", 200), None, None),
            (service("MissingParameter", 200), None, None),
            (service("UnauthorizedOperation", 200), None, None),
            (
                service("FailedOperation", 502),
                Some(Unavailable),
                Some(Unavailable),
            ),
            (http(503), Some(Unavailable), Some(Unavailable)),
            (http(500), Some(Unavailable), Some(Unavailable)),
            (http(429), Some(Throttled), Some(Throttled)),
            (http(404), None, None),
            (timeout(TimeoutScope::Attempt), Some(Interrupted), None),
            (timeout(TimeoutScope::Operation), None, None),
            (decode(true), Some(Interrupted), None),
            (decode(false), None, None),
            (Error::config("region", "x", "bad"), None, None),
        ];
        for (error, safe, unsafe_) in table {
            assert_eq!(classify(&error, true), safe, "{error} (safe)");
            assert_eq!(classify(&error, false), unsafe_, "{error} (unsafe)");
        }
    }

    #[test]
    fn read_only_names() {
        for (name, expected) in [
            ("DescribeClusters", true),
            ("GetUpgradeInstanceProgress", true),
            ("ListClusterInspectionResults", true),
            ("CheckInstancesUpgradeAble", true),
            ("InquirePriceCreateDirectConnectGateway", true),
            ("CreateCluster", false),
            ("DeleteClusterInstances", false),
            ("Describe", true),
            ("Getaway", false),
            ("ModifyClusterAttribute", false),
        ] {
            assert_eq!(is_read_only_action(name), expected, "{name}");
        }
    }

    #[test]
    fn delays_double_and_cap() {
        let p = RetryPolicy::default()
            .with_base_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_millis(350));
        assert_eq!(p.max_delay_before(1), Duration::from_millis(100));
        assert_eq!(p.max_delay_before(2), Duration::from_millis(200));
        assert_eq!(p.max_delay_before(3), Duration::from_millis(350));
        assert_eq!(p.max_delay_before(100), Duration::from_millis(350));
    }

    proptest::proptest! {
        #[test]
        fn jitter_stays_in_bounds(retry in 1u32..64, base_ms in 0u64..10_000, cap_ms in 0u64..60_000) {
            let p = RetryPolicy::default()
                .with_base_delay(Duration::from_millis(base_ms))
                .with_max_delay(Duration::from_millis(cap_ms));
            let d = p.delay_before(retry);
            proptest::prop_assert!(d <= p.max_delay_before(retry));
            proptest::prop_assert!(d <= Duration::from_millis(cap_ms));
        }
    }
}
