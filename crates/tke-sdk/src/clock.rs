//! Clock-skew correction.
//!
//! Tencent Cloud rejects signatures whose timestamp is more than 5 minutes away from its clock
//! (`AuthFailure.SignatureExpire`). When that happens the client reads the response's `Date`
//! header, stores `server - local` as an offset, applies it to every later signature of this
//! client (and its clones) and retries once.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use time::OffsetDateTime;
use time::format_description::FormatItem;
use time::macros::format_description;

/// A source of the current Unix time in seconds (see
/// [`ConfigBuilder::time_source`](crate::ConfigBuilder::time_source)).
#[derive(Clone)]
pub struct TimeSource(Arc<dyn Fn() -> i64 + Send + Sync>);

impl TimeSource {
    /// The system clock.
    pub fn system() -> Self {
        Self(Arc::new(tke_signer::unix_now))
    }

    /// A custom clock (tests, simulations).
    pub fn new(now: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        Self(Arc::new(now))
    }

    /// The current time.
    pub fn now(&self) -> i64 {
        (self.0)()
    }
}

impl Default for TimeSource {
    fn default() -> Self {
        Self::system()
    }
}

impl std::fmt::Debug for TimeSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TimeSource")
    }
}

/// The server-minus-local clock offset in seconds, shared by clones of a client.
#[derive(Debug, Clone, Default)]
pub(crate) struct ClockSkew {
    offset: Arc<AtomicI64>,
    source: TimeSource,
}

impl ClockSkew {
    /// A skew tracker over `source`.
    pub(crate) fn new(source: TimeSource) -> Self {
        Self {
            offset: Arc::default(),
            source,
        }
    }

    /// The current time, corrected by the offset (Unix seconds).
    pub(crate) fn now(&self) -> i64 {
        self.source
            .now()
            .saturating_add(self.offset.load(Ordering::Relaxed))
    }

    /// The stored offset.
    pub(crate) fn offset(&self) -> i64 {
        self.offset.load(Ordering::Relaxed)
    }

    /// Learns the offset from a server `Date` header; returns the new offset, or `None` when
    /// the header cannot be parsed.
    pub(crate) fn learn_from_date(&self, date_header: &str) -> Option<i64> {
        let server = parse_http_date(date_header)?;
        let offset = server.saturating_sub(self.source.now());
        self.offset.store(offset, Ordering::Relaxed);
        Some(offset)
    }
}

const IMF_FIXDATE: &[FormatItem<'static>] = format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// Parses an RFC 9110 IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) into Unix seconds.
pub(crate) fn parse_http_date(value: &str) -> Option<i64> {
    let parsed = time::PrimitiveDateTime::parse(value.trim(), IMF_FIXDATE).ok()?;
    Some(parsed.assume_utc().unix_timestamp())
}

/// Formats Unix seconds as an IMF-fixdate (used by the test kit's skewed clock).
#[cfg_attr(not(any(test, feature = "test-util")), allow(dead_code))]
pub(crate) fn format_http_date(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(IMF_FIXDATE).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_imf_fixdate() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            parse_http_date("Tue, 26 Feb 2019 03:24:25 GMT"),
            Some(1_551_151_465)
        );
        assert_eq!(parse_http_date("not a date"), None);
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), None);
    }

    #[test]
    fn format_round_trips() {
        for t in [0, 784_111_777, 1_551_113_065, 1_700_000_000] {
            assert_eq!(parse_http_date(&format_http_date(t)), Some(t));
        }
    }

    #[test]
    fn learns_offset() {
        let skew = ClockSkew::default();
        let server = tke_signer::unix_now() + 3600;
        let offset = skew
            .learn_from_date(&format_http_date(server))
            .expect("parses");
        assert!((3598..=3601).contains(&offset), "{offset}");
        assert!((skew.now() - server).abs() <= 2);
        assert!(skew.learn_from_date("garbage").is_none());
        assert_eq!(skew.offset(), offset);
    }
}
