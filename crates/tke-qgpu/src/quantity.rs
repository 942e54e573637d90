//! Exact parsing of Kubernetes quantity strings for qGPU extended resources.
//!
//! qGPU resources are counted in whole units (percent of a card, or memory units), so a quantity is
//! accepted only when its exact value is a non-negative integer. The grammar is Kubernetes' own,
//! parsed by the workspace's one quantity parser ([`tke_reserve::ParsedQuantity`]): `5`, `+5`,
//! `5.0`, `5000m`, `0.5e1`, `1Ki`, ... Nothing is rounded: `2.5` or `1500m` are rejected rather
//! than silently truncated. Arbitrary strings never panic.

use tke_reserve::ParsedQuantity;

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
    let quantity = ParsedQuantity::parse_reason(s)?;
    if quantity.is_negative() {
        return Err("negative quantity");
    }
    if !quantity.is_integer() {
        return Err("not a whole number");
    }
    u64::try_from(quantity.value_ceil()).map_err(|_| "value out of range")
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
        // The reasons of this module's own checks.
        let own: &[(&str, &str)] = &[
            ("-5", "negative quantity"),
            ("2.5", "not a whole number"),
            ("1500m", "not a whole number"),
            ("1e-1", "not a whole number"),
            ("0.1Ki", "not a whole number"),
            ("1e-999999999", "not a whole number"),
        ];
        for (input, reason) in own {
            assert_eq!(parse_whole(input), Err(*reason), "input {input:?}");
        }
        // Not Kubernetes quantities at all (the reason is the shared parser's).
        for input in [
            "",
            "five",
            "5G5",
            "5 ",
            " 5",
            "5g",
            "5KiB",
            "5e",
            "5e+",
            "1e99",
            "1e999999999999999999999",
            "99999999999999999999",
            "1Ei1",
            "1..2",
        ] {
            assert!(parse_whole(input).is_err(), "input {input:?}");
        }
    }

    #[test]
    fn kubernetes_quirks_are_kept() {
        // apimachinery parses a lone sign or dot as zero; so does the shared parser.
        assert_eq!(parse_whole("."), Ok(0));
        assert_eq!(parse_whole("+"), Ok(0));
    }

    #[test]
    fn largest_quantity_round_trips() {
        // Kubernetes quantities hold at most 2^63-1 units.
        assert_eq!(parse_whole("9223372036854775807"), Ok(i64::MAX as u64));
        assert!(parse_whole("9223372036854775808").is_err());
    }
}
