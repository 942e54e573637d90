//! Exact CNY amounts (management fees, node prices).

use std::fmt;
use std::str::FromStr;

/// An amount of CNY held exactly in millionths (micro-CNY).
///
/// Level fees have two decimals and node prices up to four; six decimals hold both exactly,
/// so multiplying by hours never accumulates binary floating-point error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Cny(u64);

const MICROS: u64 = 1_000_000;

impl Cny {
    /// Zero.
    pub const ZERO: Cny = Cny(0);

    /// From micro-CNY.
    pub const fn from_micros(micros: u64) -> Self {
        Cny(micros)
    }

    /// From hundredths of a CNY (fen), e.g. `from_cents(13)` = 0.13 CNY.
    pub const fn from_cents(cents: u64) -> Self {
        Cny(cents * 10_000)
    }

    /// The amount in micro-CNY.
    pub const fn micros(self) -> u64 {
        self.0
    }

    /// `self × n`, saturating at `u64::MAX` micro-CNY.
    pub const fn times(self, n: u64) -> Self {
        Cny(self.0.saturating_mul(n))
    }

    /// `self + other`, saturating.
    pub const fn plus(self, other: Cny) -> Self {
        Cny(self.0.saturating_add(other.0))
    }
}

/// Prints at least two decimals, more only when needed: `0.13`, `878.40`, `0.0868`.
impl fmt::Display for Cny {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / MICROS;
        let mut frac = format!("{:06}", self.0 % MICROS);
        while frac.len() > 2 && frac.ends_with('0') {
            frac.pop();
        }
        write!(f, "{whole}.{frac}")
    }
}

/// Error returned when a string is not a non-negative decimal with at most six decimals.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a CNY amount (non-negative decimal, at most 6 decimals)")]
pub struct ParseCnyError(String);

impl FromStr for Cny {
    type Err = ParseCnyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseCnyError(s.to_owned());
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 6 {
            return Err(err());
        }
        let whole: u64 = whole.parse().map_err(|_| err())?;
        let frac_micros: u64 = format!("{frac:0<6}").parse().map_err(|_| err())?;
        whole
            .checked_mul(MICROS)
            .and_then(|w| w.checked_add(frac_micros))
            .map(Cny)
            .ok_or_else(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        for (text, micros, shown) in [
            ("0.13", 130_000, "0.13"),
            ("28.04", 28_040_000, "28.04"),
            ("878.4", 878_400_000, "878.40"),
            ("0.0868", 86_800, "0.0868"),
            ("3", 3_000_000, "3.00"),
        ] {
            let c: Cny = text.parse().unwrap();
            assert_eq!(c.micros(), micros, "{text}");
            assert_eq!(c.to_string(), shown, "{text}");
        }
        for bad in ["", ".5", "-1", "1.2345678", "1e3", "1,5"] {
            assert!(bad.parse::<Cny>().is_err(), "{bad}");
        }
    }
}
