//! Rust names for the model's names.

/// Rust keywords (all editions, reserved ones included).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers: these get a `_` suffix instead of `r#`.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self"];

/// Method names that generated setters must not take, because an inherent method of that
/// name would shadow a trait method every generated type has (`Default::default`, ...).
/// The operator and conversion names are listed too: clippy asks that methods with those
/// names implement the matching trait.
const TAKEN_METHODS: &[&str] = &[
    "default",
    "clone",
    "clone_from",
    "eq",
    "ne",
    "fmt",
    "serialize",
    "deserialize",
    "decode_field",
    "add",
    "sub",
    "mul",
    "div",
    "rem",
    "neg",
    "not",
    "shl",
    "shr",
    "bitand",
    "bitor",
    "bitxor",
    "next",
    "from_str",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "deref",
    "deref_mut",
    "drop",
    "hash",
    "index",
    "index_mut",
    "from_iter",
    "into_iter",
    "cmp",
    "partial_cmp",
];

/// `ClusterCIDR` -> `cluster_cidr`, `QGPUShareEnable` -> `qgpu_share_enable`,
/// `Ipv6ServiceCIDR` -> `ipv6_service_cidr`.
///
/// A word boundary is put before an upper-case letter that follows a lower-case letter or a
/// digit, and before the last upper-case letter of an upper-case run that is followed by a
/// lower-case letter.
pub(crate) fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A field name as a Rust identifier: snake case, keywords escaped (`r#type`, `super_`).
pub(crate) fn field_ident(wire: &str) -> String {
    escape(snake_case(wire))
}

/// The name of the chainable setter of a field: the field's name, or `with_<name>` where the
/// plain name would shadow a trait method.
pub(crate) fn setter_ident(wire: &str) -> String {
    let snake = snake_case(wire);
    if TAKEN_METHODS.contains(&snake.as_str()) {
        format!("with_{snake}")
    } else {
        escape(snake)
    }
}

fn escape(ident: String) -> String {
    if NOT_RAW.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let cases = [
            ("ClusterCIDR", "cluster_cidr"),
            ("QGPUShareEnable", "qgpu_share_enable"),
            ("Ipv6ServiceCIDR", "ipv6_service_cidr"),
            ("VPCId", "vpc_id"),
            ("ClusterId", "cluster_id"),
            ("Type", "r#type"),
            ("AS", "r#as"),
            ("Super", "super_"),
            ("For", "r#for"),
            ("RequestId", "request_id"),
            ("CPU", "cpu"),
        ];
        for (wire, want) in cases {
            assert_eq!(field_ident(wire), want, "{wire}");
        }
        assert_eq!(setter_ident("Default"), "with_default");
        assert_eq!(setter_ident("Type"), "r#type");
    }
}
