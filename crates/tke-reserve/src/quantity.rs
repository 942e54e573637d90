//! An exact parser for Kubernetes resource quantities (`resource.Quantity`).
//!
//! Grammar and behaviour follow apimachinery's `ParseQuantity`:
//! `<sign><digits>[.<digits>]<suffix>` where the suffix is one of `n u m "" k M G T P E`
//! (decimal SI), `Ki Mi Gi Ti Pi Ei` (binary SI) or `e<int>` / `E<int>` (decimal exponent).
//! Values finer than one nano-unit are rounded up (away from zero), as Kubernetes does.
//! No whitespace, no `K`, no `mi`, no fractional exponents.
//!
//! Kept from apimachinery, surprising but compatible: `1.` and `1.G` are accepted, and a
//! sign or dot without digits (`+`, `-`, `.`) parses as zero.
//! Deliberate deviations: values above 2^63-1 units are rejected instead of being silently
//! capped (binary SI) or kept as huge decimals, and exponents outside the `i32` range are
//! rejected instead of wrapping.

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use crate::error::Error;

const NANOS_PER_UNIT: i128 = 1_000_000_000;
/// The largest magnitude accepted, in nano-units: (2^63 - 1) units.
const MAX_NANOS: u128 = i64::MAX as u128 * NANOS_PER_UNIT as u128;

/// 10^0 ..= 10^27 (the fast path's scales, nano to exa).
const POW10: [u128; 28] = {
    let mut t = [1u128; 28];
    let mut i = 1;
    while i < 28 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// A parsed quantity, exact in nano-units (`1` = 1 000 000 000, `1m` = 1 000 000,
/// `1Ki` = 1 024 000 000 000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ParsedQuantity {
    nanos: i128,
}

impl ParsedQuantity {
    /// Zero.
    pub const ZERO: ParsedQuantity = ParsedQuantity { nanos: 0 };

    /// Parses `value`; `field` names the input in the error (e.g.
    /// `containers[app].resources.requests.cpu`).
    pub fn parse(field: &str, value: &str) -> Result<Self, Error> {
        parse_nanos(value)
            .map(|nanos| ParsedQuantity { nanos })
            .map_err(|reason| Error::invalid(field, value, reason))
    }

    /// Parses a `k8s-openapi` quantity.
    pub fn from_quantity(field: &str, quantity: &Quantity) -> Result<Self, Error> {
        Self::parse(field, &quantity.0)
    }

    /// A value from nano-units.
    #[must_use]
    pub const fn from_nanos(nanos: i128) -> Self {
        ParsedQuantity { nanos }
    }

    /// The exact value in nano-units.
    #[must_use]
    pub const fn nanos(self) -> i128 {
        self.nanos
    }

    /// `true` below zero.
    #[must_use]
    pub const fn is_negative(self) -> bool {
        self.nanos < 0
    }

    /// `ceil(value x 1000)`, like apimachinery's `MilliValue` (CPU millicores).
    #[must_use]
    pub const fn milli_ceil(self) -> i128 {
        div_ceil_signed(self.nanos, 1_000_000)
    }

    /// `ceil(value)`, like apimachinery's `Value` (bytes, counts).
    #[must_use]
    pub const fn value_ceil(self) -> i128 {
        div_ceil_signed(self.nanos, NANOS_PER_UNIT)
    }

    /// `true` when the value is a whole number of units.
    #[must_use]
    pub const fn is_integer(self) -> bool {
        self.nanos % NANOS_PER_UNIT == 0
    }
}

const fn div_ceil_signed(n: i128, d: i128) -> i128 {
    let q = n / d;
    if n % d > 0 { q + 1 } else { q }
}

/// Suffix -> (base-10 exponent, base-2 exponent).
fn interpret_suffix(suffix: &str) -> Result<(i64, u32), &'static str> {
    Ok(match suffix {
        "" => (0, 0),
        "n" => (-9, 0),
        "u" => (-6, 0),
        "m" => (-3, 0),
        "k" => (3, 0),
        "M" => (6, 0),
        "G" => (9, 0),
        "T" => (12, 0),
        "P" => (15, 0),
        "E" => (18, 0),
        "Ki" => (0, 10),
        "Mi" => (0, 20),
        "Gi" => (0, 30),
        "Ti" => (0, 40),
        "Pi" => (0, 50),
        "Ei" => (0, 60),
        s if s.len() > 1 && (s.starts_with('e') || s.starts_with('E')) => {
            let exp: i64 = s[1..].parse().map_err(
                |_| "unknown suffix (allowed: n u m k M G T P E Ki Mi Gi Ti Pi Ei e<int>)",
            )?;
            if i32::try_from(exp).is_err() {
                return Err("decimal exponent out of range");
            }
            (exp, 0)
        }
        _ => return Err("unknown suffix (allowed: n u m k M G T P E Ki Mi Gi Ti Pi Ei e<int>)"),
    })
}

pub(crate) fn parse_nanos(s: &str) -> Result<i128, &'static str> {
    if s.is_empty() {
        return Err("empty quantity");
    }
    let b = s.as_bytes();
    let mut pos = 0;
    let negative = match b[0] {
        b'-' => {
            pos = 1;
            true
        }
        b'+' => {
            pos = 1;
            false
        }
        _ => false,
    };
    let int_start = pos;
    while pos < b.len() && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let int_digits = &b[int_start..pos];
    let mut frac_digits: &[u8] = &[];
    if pos < b.len() && b[pos] == b'.' {
        pos += 1;
        let frac_start = pos;
        while pos < b.len() && b[pos].is_ascii_digit() {
            pos += 1;
        }
        frac_digits = &b[frac_start..pos];
    }
    // Suffix: letters from "eEinumkKMGTP", an optional sign, then digits to the end.
    let suffix_start = pos;
    while pos < b.len() && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < b.len() && (b[pos] == b'+' || b[pos] == b'-') {
        pos += 1;
    }
    while pos < b.len() && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos != b.len() {
        return Err("not a quantity: expected <number><suffix> with no spaces");
    }
    let (exp10, exp2) = interpret_suffix(&s[suffix_start..])?;

    // Fast path: up to 18 digits whose last digit is at or above the nano position
    // (`2`, `4Gi`, `100m`, `0.25`, `1.5Gi`) is one exact multiplication; everything else
    // (long mantissas, sub-nano digits) takes the general exact path below.
    let shift = exp10 - frac_digits.len() as i64 + 9;
    if int_digits.len() + frac_digits.len() <= 18 && (0..=27).contains(&shift) {
        let mut v: u64 = 0;
        for &d in int_digits.iter().chain(frac_digits) {
            v = v * 10 + u64::from(d - b'0');
        }
        let m = u128::from(v)
            .checked_mul(POW10[shift as usize])
            .and_then(|m| m.checked_mul(1u128 << exp2))
            .filter(|&m| m <= MAX_NANOS)
            .ok_or("quantity too large (Kubernetes quantities hold at most 2^63-1 units)")?
            as i128;
        return Ok(if negative { -m } else { m });
    }
    // All significant digits, integer then fraction, leading zeros stripped.
    let first_nonzero_int = int_digits.iter().position(|&d| d != b'0');
    let (lead, tail): (&[u8], &[u8]) = match first_nonzero_int {
        Some(i) => (&int_digits[i..], frac_digits),
        None => (&[], frac_digits),
    };
    // Place of the last digit relative to the nano position: value = D x 10^k nano-units.
    let k = exp10 - frac_digits.len() as i64 + 9;
    let magnitude = magnitude_nanos(lead, tail, k, exp2)
        .ok_or("quantity too large (Kubernetes quantities hold at most 2^63-1 units)")?;
    if magnitude > MAX_NANOS {
        return Err("quantity too large (Kubernetes quantities hold at most 2^63-1 units)");
    }
    let m = magnitude as i128;
    Ok(if negative { -m } else { m })
}

/// `ceil(D x 10^k x 2^exp2)` for the digit string `lead ++ tail`; `None` on overflow.
fn magnitude_nanos(lead: &[u8], tail: &[u8], k: i64, exp2: u32) -> Option<u128> {
    // Treat lead ++ tail as one digit string without allocating.
    let n = (lead.len() + tail.len()) as i64;
    let digit = |i: usize| -> u128 {
        let d = if i < lead.len() {
            lead[i]
        } else {
            tail[i - lead.len()]
        };
        u128::from(d - b'0')
    };
    // Digits [0, int_len) are at or above the nano position.
    let int_len = (n + k).clamp(0, n) as usize;
    let mut a: u128 = 0;
    for i in 0..int_len {
        a = a.checked_mul(10)?.checked_add(digit(i))?;
    }
    if k > 0 && a != 0 {
        for _ in 0..k {
            a = a.checked_mul(10)?; // overflows within 39 steps: terminates early
        }
    }
    let scale = 1u128 << exp2;
    a = a.checked_mul(scale)?;
    // The fraction below one nano-unit, times 2^exp2: floor by Horner from the last digit,
    // `sticky` remembers any non-zero remainder (then the value rounds up).
    let mut carry: u128 = 0;
    let mut sticky = false;
    for i in (int_len..n as usize).rev() {
        let t = digit(i) * scale + carry;
        carry = t / 10;
        sticky |= !t.is_multiple_of(10);
    }
    // Implicit zeros between the nano position and the first digit.
    let zeros = (-(n + k)).max(0);
    for _ in 0..zeros.min(64) {
        if carry == 0 {
            break;
        }
        sticky |= !carry.is_multiple_of(10);
        carry /= 10;
    }
    a.checked_add(carry + u128::from(sticky))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nanos(s: &str) -> i128 {
        ParsedQuantity::parse("q", s)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .nanos()
    }

    const U: i128 = NANOS_PER_UNIT;

    #[test]
    fn accepts_what_kubernetes_accepts() {
        let cases: &[(&str, i128)] = &[
            ("0", 0),
            ("1", U),
            ("100m", U / 10),
            ("0.1", U / 10),
            (".5", U / 2),
            ("1.", U),
            ("1.G", 1_000_000_000 * U),
            ("+1", U),
            ("-1", -U),
            ("-100m", -U / 10),
            ("1n", 1),
            ("1u", 1000),
            ("1k", 1000 * U),
            ("1M", 1_000_000 * U),
            ("2G", 2_000_000_000 * U),
            ("1T", 1_000_000_000_000 * U),
            ("1P", 1_000_000_000_000_000 * U),
            ("1E", 1_000_000_000_000_000_000 * U),
            ("1Ki", 1024 * U),
            ("1Mi", (1 << 20) * U),
            ("1.5Gi", 3 * (1 << 29) * U),
            ("0.5Gi", (1 << 29) * U),
            ("1Ti", (1 << 40) * U),
            ("1Pi", (1 << 50) * U),
            ("7Ei", 7 * (1 << 60) * U),
            ("1e3", 1000 * U),
            ("1E3", 1000 * U),
            ("1e+3", 1000 * U),
            ("1e-3", U / 1000),
            ("12e-1", 12 * U / 10),
            ("000012", 12 * U),
            ("0.000", 0),
            ("1.000000000", U),
            // Finer than a nano-unit rounds up, away from zero.
            ("0.1n", 1),
            ("1.5n", 2),
            ("-1.5n", -2),
            ("1e-100", 1),
            ("0.0000000001Ki", 103), // 102.4 nano-units
            ("1.00000000000000000000000000000000000001", U + 1),
            // apimachinery's quirks: no digits parses as zero.
            ("+", 0),
            ("-", 0),
            (".", 0),
        ];
        for &(s, want) in cases {
            assert_eq!(nanos(s), want, "{s}");
        }
    }

    #[test]
    fn rejects_what_kubernetes_rejects() {
        for s in [
            "",
            " 1",
            "1 ",
            "1K",
            "1ki",
            "1mi",
            "0.1am",
            "1i",
            ".5i",
            "-3.01i",
            "-3.01e-",
            "1.1.M",
            "1+1.0M",
            "aoeu",
            "1e",
            "1e3.5",
            "1Mi3",
            "1ee3",
            "1e+",
            "1MB",
            "1Gib",
            "1,5",
            "0x10",
            "1e99999999999",
        ] {
            let err = ParsedQuantity::parse("spec.cpu", s).unwrap_err();
            let msg = err.to_string();
            assert!(
                msg.contains("spec.cpu") && msg.contains(&format!("{s:?}")),
                "{msg}"
            );
        }
    }

    #[test]
    fn rejects_absurdly_large_values() {
        for s in [
            "9223372036854775808",
            "1e19",
            "8Ei",
            "100000000000000000000000000000000000000000",
        ] {
            assert!(ParsedQuantity::parse("q", s).is_err(), "{s}");
        }
        assert_eq!(nanos("9223372036854775807"), i64::MAX as i128 * U);
        assert_eq!(nanos("1e18"), 1_000_000_000_000_000_000 * U);
    }

    #[test]
    fn milli_and_value_round_up_like_apimachinery() {
        let p = ParsedQuantity::parse("q", "1.0001m").unwrap();
        assert_eq!(p.milli_ceil(), 2);
        let p = ParsedQuantity::parse("q", "0.5").unwrap();
        assert_eq!(p.value_ceil(), 1);
        assert_eq!(p.milli_ceil(), 500);
        let p = ParsedQuantity::parse("q", "-1.5").unwrap();
        assert_eq!(p.value_ceil(), -1);
        assert!(!p.is_integer());
    }
}
