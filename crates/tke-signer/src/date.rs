//! UTC dates of Unix timestamps, as the credential scope needs them.

use time::Date;

use crate::Error;

/// A `yyyy-mm-dd` UTC date, stored inline so that signing does not allocate for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UtcDate(pub(crate) [u8; 10]);

impl UtcDate {
    /// The UTC date of a Unix timestamp in seconds.
    ///
    /// The scope date is always UTC: 1551113065 is 2019-02-26 in China (UTC+8) but 2019-02-25 here.
    ///
    /// ```
    /// # use tke_signer::UtcDate;
    /// assert_eq!(UtcDate::from_unix(1551113065).unwrap().as_str(), "2019-02-25");
    /// ```
    pub fn from_unix(timestamp: i64) -> Result<Self, Error> {
        // Whole days since 1970-01-01 (Julian day 2,440,588), rounding towards the past.
        const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;
        let invalid = || Error::InvalidTimestamp { timestamp };
        let julian_day = timestamp
            .div_euclid(86_400)
            .checked_add(UNIX_EPOCH_JULIAN_DAY)
            .and_then(|day| i32::try_from(day).ok())
            .ok_or_else(invalid)?;
        if let Some((year, month, day)) = last_day::get(julian_day) {
            return Ok(Self::from_parts(year, month, day));
        }
        let (year, month, day) = Date::from_julian_day(julian_day)
            .map_err(|_| invalid())?
            .to_calendar_date();
        let year = u16::try_from(year)
            .ok()
            .filter(|year| *year <= 9999)
            .ok_or_else(invalid)?;
        let month = u8::from(month);
        last_day::set(julian_day, year, month, day);
        Ok(Self::from_parts(year, month, day))
    }

    fn from_parts(year: u16, month: u8, day: u8) -> Self {
        let mut out = *b"0000-00-00";
        write_digits(&mut out[0..4], u32::from(year));
        write_digits(&mut out[5..7], u32::from(month));
        write_digits(&mut out[8..10], u32::from(day));
        Self(out)
    }

    /// The date as `yyyy-mm-dd`.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and '-' are ever written.
        std::str::from_utf8(&self.0).unwrap_or("0000-00-00")
    }
}

/// The last day converted, process-wide: signatures within one day (nearly all of them) skip the
/// calendar arithmetic, which costs more than the rest of the date handling together. The
/// conversion is a pure function, so a stale or raced value is only a miss.
mod last_day {
    use std::sync::atomic::{AtomicU64, Ordering};

    /// Julian day (32 bits), a "set" bit, year (14 bits), month (4 bits), day (5 bits).
    static LAST: AtomicU64 = AtomicU64::new(0);
    const SET: u64 = 1 << 31;

    pub(super) fn get(julian_day: i32) -> Option<(u16, u8, u8)> {
        let packed = LAST.load(Ordering::Relaxed);
        let matches = packed & SET != 0 && (packed >> 32) as u32 == julian_day as u32;
        matches.then_some((
            ((packed >> 9) & 0x3fff) as u16,
            ((packed >> 5) & 0xf) as u8,
            (packed & 0x1f) as u8,
        ))
    }

    pub(super) fn set(julian_day: i32, year: u16, month: u8, day: u8) {
        let packed = (u64::from(julian_day as u32) << 32)
            | SET
            | (u64::from(year) << 9)
            | (u64::from(month) << 5)
            | u64::from(day);
        LAST.store(packed, Ordering::Relaxed);
    }
}

fn write_digits(out: &mut [u8], mut value: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc() {
        for (ts, date) in [
            (0, "1970-01-01"),
            (1551113065, "2019-02-25"),
            (1539084154, "2018-10-09"),
            (951782400, "2000-02-29"),
            (253402300799, "9999-12-31"),
        ] {
            assert_eq!(UtcDate::from_unix(ts).unwrap().as_str(), date, "{ts}");
        }
    }

    proptest::proptest! {
        /// Matches `time`'s full date-time conversion over the whole supported range.
        #[test]
        fn agrees_with_offset_date_time(timestamp in -62_167_219_200i64..=253_402_300_799) {
            let expected = time::OffsetDateTime::from_unix_timestamp(timestamp).unwrap();
            let text = format!(
                "{:04}-{:02}-{:02}",
                expected.year(),
                u8::from(expected.month()),
                expected.day()
            );
            // Twice: the second conversion comes from the last-day memory.
            for _ in 0..2 {
                let date = UtcDate::from_unix(timestamp).unwrap();
                proptest::prop_assert_eq!(date.as_str(), &text);
            }
        }
    }

    #[test]
    fn out_of_range_is_an_error() {
        assert_eq!(
            UtcDate::from_unix(i64::MAX),
            Err(Error::InvalidTimestamp {
                timestamp: i64::MAX
            })
        );
        assert!(UtcDate::from_unix(-62_167_219_201).is_err());
    }
}
