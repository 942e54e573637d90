//! Kubernetes resource quantities (`"250m"`, `"1.5"`, `"512Mi"`, `"1e3"`) as exact integers:
//! CPU in millicores, memory in bytes, both rounded **up** (the scheduler rounds requests up,
//! and reserving slightly more is the safe side for sizing).

/// Why a quantity does not parse.
pub(crate) type QuantityReason = &'static str;

/// An exact non-negative decimal: `mantissa × 10^exp10 × 2^exp2`.
struct Parsed {
    mantissa: u128,
    exp10: i32,
    exp2: u32,
}

fn parse(text: &str) -> Result<Parsed, QuantityReason> {
    let s = text.trim();
    if s.is_empty() {
        return Err("empty");
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    if s.starts_with('-') {
        return Err("negative");
    }
    let num_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, suffix) = s.split_at(num_end);
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    if int.is_empty() && frac.is_empty() {
        return Err("no digits");
    }
    if frac.contains('.') {
        return Err("two decimal points");
    }
    let mut mantissa: u128 = 0;
    for b in int.bytes().chain(frac.bytes()) {
        mantissa = mantissa
            .checked_mul(10)
            .and_then(|m| m.checked_add(u128::from(b - b'0')))
            .ok_or("too large")?;
    }
    let mut exp10 = -i32::try_from(frac.len()).map_err(|_| "too long")?;
    let mut exp2 = 0;
    match suffix {
        "" => {}
        "n" => exp10 -= 9,
        "u" => exp10 -= 6,
        "m" => exp10 -= 3,
        "k" => exp10 += 3,
        "M" => exp10 += 6,
        "G" => exp10 += 9,
        "T" => exp10 += 12,
        "P" => exp10 += 15,
        "E" => exp10 += 18,
        "Ki" => exp2 = 10,
        "Mi" => exp2 = 20,
        "Gi" => exp2 = 30,
        "Ti" => exp2 = 40,
        "Pi" => exp2 = 50,
        "Ei" => exp2 = 60,
        other => {
            let exp = other.strip_prefix(['e', 'E']).ok_or("unknown suffix")?;
            let e: i32 = exp.parse().map_err(|_| "bad exponent")?;
            if !(-30..=30).contains(&e) {
                return Err("exponent out of range");
            }
            exp10 += e;
        }
    }
    Ok(Parsed {
        mantissa,
        exp10,
        exp2,
    })
}

/// `ceil(parsed × scale)` as u64.
fn to_units(p: &Parsed, scale10: i32) -> Result<u64, QuantityReason> {
    let mut num = p.mantissa.checked_shl(p.exp2).ok_or("too large")?;
    if p.exp2 > 0 && num >> p.exp2 != p.mantissa {
        return Err("too large");
    }
    let e = p.exp10 + scale10;
    let mut den: u128 = 1;
    if e >= 0 {
        num = num
            .checked_mul(10u128.checked_pow(e.unsigned_abs()).ok_or("too large")?)
            .ok_or("too large")?;
    } else {
        den = 10u128.checked_pow(e.unsigned_abs()).ok_or("too small")?;
    }
    u64::try_from(num.div_ceil(den)).map_err(|_| "too large")
}

/// CPU quantity → millicores (rounded up).
pub(crate) fn cpu_millis(text: &str) -> Result<u64, QuantityReason> {
    to_units(&parse(text)?, 3)
}

/// Memory quantity → bytes (rounded up).
pub(crate) fn bytes(text: &str) -> Result<u64, QuantityReason> {
    to_units(&parse(text)?, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu() {
        for (q, m) in [
            ("250m", 250),
            ("1", 1000),
            ("1.5", 1500),
            ("0.1", 100),
            ("2k", 2_000_000),
            ("100u", 1),
            ("1e-3", 1),
            (".5", 500),
            ("+3", 3000),
        ] {
            assert_eq!(cpu_millis(q), Ok(m), "{q}");
        }
    }

    #[test]
    fn memory() {
        for (q, b) in [
            ("512Mi", 512 << 20),
            ("1Gi", 1 << 30),
            ("1.5Gi", 3 << 29),
            ("1G", 1_000_000_000),
            ("128974848", 128_974_848),
            ("129e6", 129_000_000),
            ("1k", 1000),
            ("0.5", 1),
        ] {
            assert_eq!(bytes(q), Ok(b), "{q}");
        }
    }

    #[test]
    fn rejects() {
        for q in [
            "",
            "-1",
            "1x",
            "Mi",
            "1.2.3",
            "1e99",
            "99999999999999999999999999999999999999999999",
        ] {
            assert!(bytes(q).is_err(), "{q}");
        }
    }
}
