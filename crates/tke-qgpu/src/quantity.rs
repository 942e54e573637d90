//! Exact parsing of Kubernetes quantity strings for qGPU extended resources.
//!
//! qGPU resources are counted in whole units (percent of a card, or memory units), so a quantity is
//! accepted only when its exact value is a non-negative integer. The full Kubernetes grammar is
//! understood (`5`, `+5`, `5.0`, `5000m`, `0.5e1`, `1Ki`, ...), but nothing is rounded: `2.5` or
//! `1500m` are rejected rather than silently truncated. Arbitrary strings never panic.

/// Largest number of significant digits accepted; far above any meaningful qGPU value.
const MAX_DIGITS: usize = 30;
/// Exponents beyond this magnitude cannot give a representable whole value.
const MAX_EXPONENT: i64 = 64;

/// Parses a Kubernetes quantity whose exact value must be a non-negative whole number.
///
/// Returns the value, or a short reason why the string is not acceptable.
///
/// ```
/// use tke_qgpu::quantity::parse_whole;
/// assert_eq!(parse_whole("30"), Ok(30));
/// assert_eq!(parse_whole("5000m"), Ok(5));
/// assert_eq!(parse_whole("1Ki"), Ok(1024));
/// assert!(parse_whole("2.5").is_err());
/// assert!(parse_whole("-5").is_err());
/// assert!(parse_whole("five").is_err());
/// ```
pub fn parse_whole(s: &str) -> Result<u64, &'static str> {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return Err("empty quantity");
    }
    let mut pos = 0;
    let negative = match bytes[0] {
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
    // <number> ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
    let int_start = pos;
    while pos < bytes.len() && bytes[pos].is_ascii_digit() {
        pos += 1;
    }
    let int_digits = &s[int_start..pos];
    let mut frac_digits = "";
    if pos < bytes.len() && bytes[pos] == b'.' {
        pos += 1;
        let frac_start = pos;
        while pos < bytes.len() && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        frac_digits = &s[frac_start..pos];
    }
    if int_digits.is_empty() && frac_digits.is_empty() {
        return Err("not a number");
    }
    let (decimal_exp, binary_exp) = parse_suffix(&s[pos..])?;

    // Mantissa = all digits without leading zeros; value = mantissa * 10^(exp - frac_len) * 2^bin.
    let all_digits = format_digits(int_digits, frac_digits);
    let significant = all_digits.trim_start_matches('0');
    if significant.is_empty() {
        return Ok(0); // "0", "-0", "0.000Ki": zero whatever the sign or suffix
    }
    if negative {
        return Err("negative quantity");
    }
    // Trailing zeros move into the exponent so large round numbers stay within range.
    let trimmed = significant.trim_end_matches('0');
    let trailing_zeros = (significant.len() - trimmed.len()) as i64;
    if trimmed.len() > MAX_DIGITS {
        return Err("too many significant digits");
    }
    let mut mantissa: u128 = 0;
    for d in trimmed.bytes() {
        mantissa = mantissa * 10 + u128::from(d - b'0');
    }
    let exp10 = decimal_exp + trailing_zeros - frac_digits.len() as i64;
    if exp10 > MAX_EXPONENT {
        return Err("value out of range");
    }
    let mut value = mantissa
        .checked_mul(1u128 << binary_exp)
        .ok_or("value out of range")?;
    if exp10 >= 0 {
        for _ in 0..exp10 {
            value = value.checked_mul(10).ok_or("value out of range")?;
        }
    } else {
        // A fraction is whole only if the (binary-scaled) mantissa is divisible by 10^-exp10.
        if -exp10 > MAX_EXPONENT {
            return Err("not a whole number");
        }
        for _ in 0..(-exp10) {
            if value % 10 != 0 {
                return Err("not a whole number");
            }
            value /= 10;
        }
    }
    u64::try_from(value).map_err(|_| "value out of range")
}

fn format_digits(int_digits: &str, frac_digits: &str) -> String {
    let mut all = String::with_capacity(int_digits.len() + frac_digits.len());
    all.push_str(int_digits);
    all.push_str(frac_digits);
    all
}

/// Returns (decimal exponent, binary exponent) of a quantity suffix.
fn parse_suffix(suffix: &str) -> Result<(i64, u32), &'static str> {
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
        _ => {
            let rest = suffix
                .strip_prefix('e')
                .or_else(|| suffix.strip_prefix('E'))
                .ok_or("unknown suffix")?;
            (parse_exponent(rest)?, 0)
        }
    })
}

/// Parses the signed integer after `e`/`E`, saturating far beyond any usable magnitude.
fn parse_exponent(s: &str) -> Result<i64, &'static str> {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("malformed exponent");
    }
    let mut value: i64 = 0;
    for d in digits.bytes() {
        value = (value * 10 + i64::from(d - b'0')).min(1_000_000);
    }
    Ok(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::parse_whole;

    #[test]
    fn accepted_forms() {
        let cases: &[(&str, u64)] = &[
            ("0", 0),
            ("5", 5),
            ("+5", 5),
            ("05", 5),
            ("5.", 5),
            ("5.0", 5),
            ("5.000", 5),
            ("30", 30),
            ("100", 100),
            ("5000m", 5),
            ("0.5e1", 5),
            ("50e-1", 5),
            ("1e2", 100),
            ("1E2", 100),
            ("1k", 1000),
            ("2M", 2_000_000),
            ("1Ki", 1024),
            ("0.5Ki", 512),
            ("1Mi", 1 << 20),
            ("-0", 0),
            ("0.0", 0),
            (".5e1", 5),
            ("100000000000000000000n", 100_000_000_000),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_whole(input), Ok(*expected), "input {input:?}");
        }
    }

    #[test]
    fn rejected_forms() {
        let cases: &[(&str, &str)] = &[
            ("", "empty quantity"),
            ("-5", "negative quantity"),
            ("2.5", "not a whole number"),
            ("1500m", "not a whole number"),
            ("1e-1", "not a whole number"),
            ("0.1Ki", "not a whole number"),
            ("five", "not a number"),
            (".", "not a number"),
            ("+", "not a number"),
            ("5G5", "unknown suffix"),
            ("5 ", "unknown suffix"),
            (" 5", "not a number"),
            ("5g", "unknown suffix"),
            ("5KiB", "unknown suffix"),
            ("5e", "malformed exponent"),
            ("5e+", "malformed exponent"),
            ("1e99", "value out of range"),
            ("1e999999999999999999999", "value out of range"),
            ("1e-999999999999999999999", "not a whole number"),
            ("99999999999999999999", "value out of range"),
            ("1Ei1", "malformed exponent"),
            ("1..2", "unknown suffix"),
        ];
        for (input, reason) in cases {
            assert_eq!(parse_whole(input), Err(*reason), "input {input:?}");
        }
    }

    #[test]
    fn largest_u64_round_trips() {
        assert_eq!(parse_whole("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(
            parse_whole("18446744073709551616"),
            Err("value out of range")
        );
    }
}
