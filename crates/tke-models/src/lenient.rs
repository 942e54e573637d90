//! Lenient decoding of response bodies.
//!
//! Real Tencent Cloud responses do not always match the published model. Every generated
//! type decodes through this module, which applies exactly these rules (and no others):
//!
//! | model type | accepted on the wire | odd value (object, list, unparsable text) |
//! |---|---|---|
//! | `string`, `datetime`, `datetime_iso` | string; a number or bool becomes its JSON text; an object or list becomes its compact JSON text | never odd |
//! | `int64` / `uint64` | integer; a float with no fraction; a string holding one of those (surrounding spaces trimmed) | treated as absent |
//! | `float` | number; a string holding a number | treated as absent |
//! | `bool` | `true`/`false`; the strings `"true"`/`"false"` (any case) and `"1"`/`"0"`; the numbers `1`/`0` | treated as absent |
//! | object | JSON object (unknown fields ignored) | treated as absent |
//! | list | JSON array; a single non-array value is read as a one-element list | - |
//!
//! - `null` is the same as absent everywhere.
//! - Unknown fields are ignored; a repeated field keeps its last value.
//! - "Absent" means: `None` for an `Option` field, an empty `Vec` for a list field of a
//!   response-only type, and the type's default (`""`, `0`, `false`, ...) for a required field.
//! - List elements that are odd or `null` are dropped (the other elements are kept).
//! - `datetime` fields are kept as the string the server sent: formats vary between
//!   actions (`2006-01-02 15:04:05`, RFC 3339, with or without zone), so the crate does not
//!   parse them and never fails on them.
//!
//! Decoding therefore only fails on malformed JSON or when the top level is not an object.
//!
//! The helpers are monomorphic in the scalar type and generic only in the element type of
//! object fields, which keeps the generated code small.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{
    self, DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};

/// A generated struct that decodes field by field (implemented by every generated type).
pub trait DecodeFields: Default {
    /// The model's name of the type (used in error messages).
    const NAME: &'static str;

    /// Decodes the value of the field whose wire name is `key` from `map` into `self`;
    /// unknown keys must be skipped with [`skip`].
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error>;
}

/// A value that can be read leniently: `Ok(None)` means absent, `null` or odd.
pub trait Lenient: Sized {
    /// Reads one value from `d`, applying the rules of this module.
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error>;
}

/// Deserializes a generated struct from a JSON object (the `Deserialize` impl of every
/// generated type calls this).
pub fn deserialize_struct<'de, T: DecodeFields, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_map(StructVisitor::<T>(PhantomData))
}

/// Reads the next map value leniently (`None` when absent, `null` or odd).
pub fn next<'de, T: Lenient, A: MapAccess<'de>>(map: &mut A) -> Result<Option<T>, A::Error> {
    map.next_value_seed(ValueSeed::<T>(PhantomData))
}

/// Reads the next map value as a list, leniently (`None` when `null`).
pub fn next_list<'de, T: Lenient, A: MapAccess<'de>>(
    map: &mut A,
) -> Result<Option<Vec<T>>, A::Error> {
    map.next_value_seed(ListSeed::<T>(PhantomData))
}

/// Skips the next map value (an unknown field).
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

impl<T: DecodeFields> Lenient for T {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(OptStructVisitor::<T>(PhantomData))
    }
}

/// A map key, borrowed from the input when possible.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v))
    }
}

/// Decodes all fields of a JSON object into `T`.
fn decode_map<'de, T: DecodeFields, A: MapAccess<'de>>(mut map: A) -> Result<T, A::Error> {
    let mut out = T::default();
    while let Some(key) = map.next_key_seed(KeySeed)? {
        out.decode_field(key.as_str(), &mut map)?;
    }
    Ok(out)
}

/// Drains a JSON array whose content is not wanted.
fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Drains a JSON object whose content is not wanted.
fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: DecodeFields> Visitor<'de> for StructVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object for {}", T::NAME)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        decode_map(map)
    }
}

/// Like [`StructVisitor`], but any value other than an object reads as absent.
struct OptStructVisitor<T>(PhantomData<T>);

/// Implements the visit methods for non-container values by returning `Ok(None)`.
macro_rules! absent_scalars {
    ($($name:ident: $ty:ty),*) => {
        $(fn $name<E: de::Error>(self, _v: $ty) -> Result<Self::Value, E> {
            Ok(None)
        })*
    };
}

impl<'de, T: DecodeFields> Visitor<'de> for OptStructVisitor<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object for {}", T::NAME)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        decode_map(map).map(Some)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<T>, A::Error> {
        drain_seq(seq).map(|()| None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_any(self)
    }
    absent_scalars!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);
}

/// Shared visit methods of the scalar visitors: `null` is absent, `Some` is unwrapped, an
/// array or object is drained and read as absent.
macro_rules! scalar_common {
    () => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            drain_seq(seq).map(|()| None)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            drain_map(map).map(|()| None)
        }
    };
}

/// Reads a string; other scalars become their JSON text, containers their compact JSON.
struct StringVisitor;

impl<'de> Visitor<'de> for StringVisitor {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(
            serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string()),
        ))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let v: serde_json::Value = de::Deserialize::deserialize(SeqAccessDeserializer::new(seq))?;
        Ok(Some(v.to_string()))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let v: serde_json::Value = de::Deserialize::deserialize(MapAccessDeserializer::new(map))?;
        Ok(Some(v.to_string()))
    }
}

/// Parses an integer written as text: `"12"`, `" 12 "`, `"12.0"`.
fn int_from_text(v: &str) -> Option<i128> {
    let v = v.trim();
    if let Ok(n) = v.parse::<i128>() {
        return Some(n);
    }
    v.parse::<f64>().ok().and_then(int_from_f64)
}

/// An integral float within the range of `i128`, else `None`.
fn int_from_f64(v: f64) -> Option<i128> {
    // 2^127 as f64; beyond it (or NaN/inf, or a fraction) the value is not a usable integer.
    const LIMIT: f64 = 1.7014118346046923e38;
    (v.fract() == 0.0 && v.abs() < LIMIT).then_some(v as i128)
}

/// Reads an integer of type `$ty` from any integer-like value.
macro_rules! int_visitor {
    ($visitor:ident, $ty:ty, $what:literal) => {
        struct $visitor;

        impl<'de> Visitor<'de> for $visitor {
            type Value = Option<$ty>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str($what)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(<$ty>::try_from(v).ok())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(<$ty>::try_from(v).ok())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(int_from_f64(v).and_then(|n| <$ty>::try_from(n).ok()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(int_from_text(v).and_then(|n| <$ty>::try_from(n).ok()))
            }
            fn visit_bool<E: de::Error>(self, _v: bool) -> Result<Self::Value, E> {
                Ok(None)
            }
            scalar_common!();
        }
    };
}

int_visitor!(I64Visitor, i64, "a signed integer");
int_visitor!(U64Visitor, u64, "an unsigned integer");

/// Reads a float from a number or numeric text.
struct F64Visitor;

impl<'de> Visitor<'de> for F64Visitor {
    type Value = Option<f64>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.trim().parse::<f64>().ok().filter(|n| n.is_finite()))
    }
    fn visit_bool<E: de::Error>(self, _v: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    scalar_common!();
}

/// Reads a bool from `true`/`false`, `"true"`/`"false"`, `1`/`0` and `"1"`/`"0"`.
struct BoolVisitor;

impl<'de> Visitor<'de> for BoolVisitor {
    type Value = Option<bool>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a bool")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(match v {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        })
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(match v {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        })
    }
    fn visit_f64<E: de::Error>(self, _v: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let v = v.trim();
        Ok(if v.eq_ignore_ascii_case("true") || v == "1" {
            Some(true)
        } else if v.eq_ignore_ascii_case("false") || v == "0" {
            Some(false)
        } else {
            None
        })
    }
    scalar_common!();
}

macro_rules! lenient_scalar {
    ($ty:ty, $visitor:ident) => {
        impl Lenient for $ty {
            fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
                d.deserialize_any($visitor)
            }
        }
    };
}

lenient_scalar!(String, StringVisitor);
lenient_scalar!(i64, I64Visitor);
lenient_scalar!(u64, U64Visitor);
lenient_scalar!(f64, F64Visitor);
lenient_scalar!(bool, BoolVisitor);

/// Seed reading one lenient value.
struct ValueSeed<T>(PhantomData<T>);

impl<'de, T: Lenient> DeserializeSeed<'de> for ValueSeed<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        T::decode(d)
    }
}

/// Seed reading a lenient list: `None` for `null`, else the usable elements.
struct ListSeed<T>(PhantomData<T>);

impl<'de, T: Lenient> DeserializeSeed<'de> for ListSeed<T> {
    type Value = Option<Vec<T>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Vec<T>>, D::Error> {
        d.deserialize_any(ListVisitor::<T>(PhantomData))
    }
}

struct ListVisitor<T>(PhantomData<T>);

/// Reads a single non-array value as a one-element list.
macro_rules! single_element {
    ($($name:ident: $ty:ty),*) => {
        $(fn $name<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
            Ok(Some(T::decode(v.into_deserializer())?.into_iter().collect()))
        })*
    };
}

impl<'de, T: Lenient> Visitor<'de> for ListVisitor<T> {
    type Value = Option<Vec<T>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(ValueSeed::<T>(PhantomData))? {
            out.extend(item);
        }
        Ok(Some(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(Some(
            T::decode(MapAccessDeserializer::new(map))?
                .into_iter()
                .collect(),
        ))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    single_element!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-written stand-in for a generated type, one field per kind.
    #[derive(Debug, Default, PartialEq)]
    struct Probe {
        s: Option<String>,
        i: Option<i64>,
        u: Option<u64>,
        f: Option<f64>,
        b: Option<bool>,
        req: i64,
        list: Vec<u64>,
        opt_list: Option<Vec<String>>,
        obj: Option<Box<Probe>>,
        objs: Vec<Probe>,
    }

    impl DecodeFields for Probe {
        const NAME: &'static str = "Probe";
        fn decode_field<'de, A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match key {
                "S" => self.s = next(map)?,
                "I" => self.i = next(map)?,
                "U" => self.u = next(map)?,
                "F" => self.f = next(map)?,
                "B" => self.b = next(map)?,
                "Req" => self.req = next(map)?.unwrap_or_default(),
                "List" => self.list = next_list(map)?.unwrap_or_default(),
                "OptList" => self.opt_list = next_list(map)?,
                "Obj" => self.obj = next::<Probe, _>(map)?.map(Box::new),
                "Objs" => self.objs = next_list(map)?.unwrap_or_default(),
                _ => skip(map)?,
            }
            Ok(())
        }
    }

    impl<'de> de::Deserialize<'de> for Probe {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize_struct(d)
        }
    }

    fn decode(json: &str) -> Probe {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn strings_accept_every_scalar_and_keep_containers_as_json() {
        let cases = [
            (r#"{"S":"x"}"#, Some("x")),
            (r#"{"S":12}"#, Some("12")),
            (r#"{"S":-1.5}"#, Some("-1.5")),
            (r#"{"S":true}"#, Some("true")),
            (r#"{"S":null}"#, None),
            (r#"{}"#, None),
            (r#"{"S":[1,"a"]}"#, Some(r#"[1,"a"]"#)),
            (r#"{"S":{"k":1}}"#, Some(r#"{"k":1}"#)),
            (
                r#"{"S":"2006-01-02 15:04:05"}"#,
                Some("2006-01-02 15:04:05"),
            ),
        ];
        for (json, want) in cases {
            assert_eq!(decode(json).s.as_deref(), want, "{json}");
        }
    }

    #[test]
    fn integers_accept_numbers_and_numeric_text() {
        let cases = [
            (r#"{"I":5,"U":5}"#, Some(5), Some(5)),
            (r#"{"I":"5","U":" 5 "}"#, Some(5), Some(5)),
            (r#"{"I":"7.0","U":7.0}"#, Some(7), Some(7)),
            (r#"{"I":-3,"U":-3}"#, Some(-3), None),
            (r#"{"I":1.5,"U":"1.5"}"#, None, None),
            (r#"{"I":"","U":"abc"}"#, None, None),
            (r#"{"I":true,"U":[1]}"#, None, None),
            (r#"{"I":{"a":1},"U":null}"#, None, None),
            (
                r#"{"I":9223372036854775807,"U":18446744073709551615}"#,
                Some(i64::MAX),
                Some(u64::MAX),
            ),
            (
                r#"{"I":"9223372036854775808","U":"18446744073709551616"}"#,
                None,
                None,
            ),
        ];
        for (json, i, u) in cases {
            let p = decode(json);
            assert_eq!((p.i, p.u), (i, u), "{json}");
        }
    }

    #[test]
    fn floats_and_bools() {
        let cases = [
            (r#"{"F":1.25,"B":true}"#, Some(1.25), Some(true)),
            (r#"{"F":"1.25","B":"false"}"#, Some(1.25), Some(false)),
            (r#"{"F":3,"B":"TRUE"}"#, Some(3.0), Some(true)),
            (r#"{"F":"x","B":1}"#, None, Some(true)),
            (r#"{"F":"NaN","B":0}"#, None, Some(false)),
            (r#"{"F":null,"B":"1"}"#, None, Some(true)),
            (r#"{"F":[],"B":"yes"}"#, None, None),
            (r#"{"B":2}"#, None, None),
        ];
        for (json, f, b) in cases {
            let p = decode(json);
            assert_eq!((p.f, p.b), (f, b), "{json}");
        }
    }

    #[test]
    fn required_scalars_default_when_absent_or_odd() {
        assert_eq!(decode(r#"{"Req":"42"}"#).req, 42);
        assert_eq!(decode(r#"{"Req":"x"}"#).req, 0);
        assert_eq!(decode(r#"{}"#).req, 0);
    }

    #[test]
    fn lists_are_lenient() {
        type Case = (&'static str, Vec<u64>, Option<Vec<&'static str>>);
        let cases: [Case; 7] = [
            (r#"{"List":[1,"2",3.0]}"#, vec![1, 2, 3], None),
            (r#"{"List":null,"OptList":null}"#, vec![], None),
            (r#"{"List":[],"OptList":[]}"#, vec![], Some(vec![])),
            (r#"{"List":[1,"x",-1,2]}"#, vec![1, 2], None),
            (r#"{"List":5,"OptList":"a"}"#, vec![5], Some(vec!["a"])),
            (r#"{"OptList":["a",1,null]}"#, vec![], Some(vec!["a", "1"])),
            (r#"{"List":{"a":1}}"#, vec![], None),
        ];
        for (json, list, opt) in cases {
            let p = decode(json);
            assert_eq!(p.list, list, "{json}");
            let got: Option<Vec<&str>> = p
                .opt_list
                .as_ref()
                .map(|v| v.iter().map(String::as_str).collect());
            assert_eq!(got, opt, "{json}");
        }
    }

    #[test]
    fn objects_nest_and_ignore_unknown_fields() {
        let p = decode(
            r#"{"Unknown":{"deep":[1,2,{"x":null}]},"Obj":{"I":"1","Obj":{"S":"deep"}},
                "Objs":[{"U":1},"junk",null,{"U":2}],"S":"a","S":"b"}"#,
        );
        let obj = p.obj.as_ref().unwrap();
        assert_eq!(obj.i, Some(1));
        assert_eq!(obj.obj.as_ref().unwrap().s.as_deref(), Some("deep"));
        assert_eq!(
            p.objs.iter().map(|o| o.u).collect::<Vec<_>>(),
            [Some(1), Some(2)]
        );
        assert_eq!(p.s.as_deref(), Some("b"), "last duplicate wins");
        for odd in [
            r#"{"Obj":"x"}"#,
            r#"{"Obj":[1]}"#,
            r#"{"Obj":3}"#,
            r#"{"Obj":null}"#,
        ] {
            assert_eq!(decode(odd).obj, None, "{odd}");
        }
        assert_eq!(
            decode(r#"{"Objs":{"U":9}}"#).objs,
            vec![Probe {
                u: Some(9),
                ..Probe::default()
            }]
        );
    }

    #[test]
    fn only_malformed_json_or_non_object_top_level_fails() {
        for bad in [r#"{"S":"#, r#"[1]"#, r#""x""#, r#"{"S":1,}"#] {
            assert!(serde_json::from_str::<Probe>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn escaped_keys_still_match() {
        assert_eq!(decode(r#"{"\u0053":"x"}"#).s.as_deref(), Some("x"));
    }
}
