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
        let (year, month, day) = Date::from_julian_day(julian_day)
            .map_err(|_| invalid())?
            .to_calendar_date();
        let year = u32::try_from(year)
            .ok()
            .filter(|year| *year <= 9999)
            .ok_or_else(invalid)?;
        let mut out = *b"0000-00-00";
        write_digits(&mut out[0..4], year);
        write_digits(&mut out[5..7], u32::from(u8::from(month)));
        write_digits(&mut out[8..10], u32::from(day));
        Ok(Self(out))
    }

    /// The date as `yyyy-mm-dd`.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and '-' are ever written.
        std::str::from_utf8(&self.0).unwrap_or("0000-00-00")
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
            let date = UtcDate::from_unix(timestamp).unwrap();
            proptest::prop_assert_eq!(date.as_str(), text);
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
