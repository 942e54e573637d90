//! The Tencent Cloud API 3.0 response envelope.
//!
//! Every response body is `{"Response": {...}}`. On success the inner object holds the
//! action's output fields and `RequestId`; on failure it holds
//! `{"Error": {"Code": "...", "Message": "..."}, "RequestId": "..."}` (with HTTP status 200,
//! so callers classify by the presence of `Error`, not by status).
//!
//! [`decode_response`] reads a body in one pass: the `Error` and `RequestId` members are
//! picked out of the inner object while the rest streams into the typed response, so a
//! success costs no second parse.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// `Response.Error` of an error envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// Error code, e.g. `FailedOperation.ClusterNotFound` (dotted: keep it as a string).
    #[serde(rename = "Code")]
    pub code: String,
    /// Human-readable message from the server.
    #[serde(rename = "Message")]
    pub message: String,
}

/// An error envelope: `{"Response": {"Error": {...}, "RequestId": "..."}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorResponse {
    /// The `Error` member.
    pub error: ApiError,
    /// The `RequestId` member (empty when the server sent none).
    pub request_id: String,
}

/// Decode a response body: `Ok(Ok(typed))` on success, `Ok(Err(..))` for an error envelope,
/// `Err(..)` when the body is not a valid envelope (malformed JSON, no `"Response"`, a
/// `"Response"` that is not an object, trailing data).
///
/// The typed part is decoded with the rules of [`crate::lenient`] when `T` is a generated
/// type. An `Error` member that is not an object is still an error envelope: its text becomes
/// the message and the code is empty.
///
/// ```
/// use tke_models::envelope::{decode_response, ApiError};
///
/// let body = br#"{"Response":{"Error":{"Code":"InvalidParameter","Message":"bad"},"RequestId":"r-1"}}"#;
/// let err = decode_response::<serde_json::Value>(body)?.unwrap_err();
/// assert_eq!(err.error, ApiError { code: "InvalidParameter".into(), message: "bad".into() });
/// assert_eq!(err.request_id, "r-1");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn decode_response<T: serde::de::DeserializeOwned>(
    body: &[u8],
) -> Result<Result<T, ErrorResponse>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let out = de.deserialize_map(OuterVisitor::<T>(PhantomData))?;
    de.end()?;
    Ok(out)
}

/// Encodes a typed response as a success envelope `{"Response": {...}}` (for tests and
/// canned responses).
pub fn encode_response<T: Serialize>(response: &T) -> Result<Vec<u8>, serde_json::Error> {
    #[derive(Serialize)]
    struct Outer<'a, T> {
        #[serde(rename = "Response")]
        response: &'a T,
    }
    serde_json::to_vec(&Outer { response })
}

impl ErrorResponse {
    /// Encodes this error as an error envelope body (for tests and canned responses).
    pub fn to_body(&self) -> Vec<u8> {
        serde_json::json!({
            "Response": {
                "Error": {"Code": self.error.code, "Message": self.error.message},
                "RequestId": self.request_id,
            }
        })
        .to_string()
        .into_bytes()
    }
}

impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (RequestId {})",
            self.error.code, self.error.message, self.request_id
        )
    }
}

impl std::error::Error for ErrorResponse {}

/// Visits the outer object and looks for `Response`.
struct OuterVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OuterVisitor<T> {
    type Value = Result<T, ErrorResponse>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"a response envelope {"Response": {...}}"#)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "Response" {
                out = Some(map.next_value_seed(InnerSeed::<T>(PhantomData))?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        out.ok_or_else(|| de::Error::missing_field("Response"))
    }
}

struct InnerSeed<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for InnerSeed<T> {
    type Value = Result<T, ErrorResponse>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(InnerVisitor::<T>(PhantomData))
    }
}

struct InnerVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for InnerVisitor<T> {
    type Value = Result<T, ErrorResponse>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the Response object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let mut tap = Tap {
            inner: map,
            error: None,
            request_id: None,
            pending: Pending::None,
        };
        let typed = T::deserialize(MapAccessDeserializer::new(&mut tap))?;
        Ok(match tap.error {
            Some(error) => Err(ErrorResponse {
                error,
                request_id: tap.request_id.unwrap_or_default(),
            }),
            None => Ok(typed),
        })
    }
}

/// A value already read by [`Tap`] and still owed to the typed decoder.
enum Pending {
    None,
    RequestId(String),
}

/// Map access that hides `Error` from the typed decoder (keeping it aside) and copies
/// `RequestId` while passing it on.
struct Tap<A> {
    inner: A,
    error: Option<ApiError>,
    request_id: Option<String>,
    pending: Pending,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for &mut Tap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.inner.next_key::<TapKey<'de>>()? else {
                return Ok(None);
            };
            match key {
                TapKey::Error => {
                    // `"Error": null` is not an error envelope.
                    if let Some(LenientError(e)) = self.inner.next_value()? {
                        self.error = Some(e);
                    }
                }
                TapKey::RequestId => {
                    let id =
                        crate::lenient::next::<String, _>(&mut self.inner)?.unwrap_or_default();
                    self.request_id = Some(id.clone());
                    self.pending = Pending::RequestId(id);
                    return seed
                        .deserialize(BorrowedStrDeserializer::new("RequestId"))
                        .map(Some);
                }
                TapKey::Borrowed(k) => {
                    return seed.deserialize(BorrowedStrDeserializer::new(k)).map(Some);
                }
                TapKey::Owned(k) => {
                    return seed.deserialize(StringDeserializer::new(k)).map(Some);
                }
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match std::mem::replace(&mut self.pending, Pending::None) {
            Pending::RequestId(id) => seed.deserialize(StringDeserializer::new(id)),
            Pending::None => self.inner.next_value_seed(seed),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// A key of the inner object as seen by [`Tap`].
enum TapKey<'de> {
    Error,
    RequestId,
    Borrowed(&'de str),
    Owned(String),
}

impl<'de> Deserialize<'de> for TapKey<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TapKey<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<TapKey<'de>, E> {
                Ok(match v {
                    "Error" => TapKey::Error,
                    "RequestId" => TapKey::RequestId,
                    _ => TapKey::Borrowed(v),
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TapKey<'de>, E> {
                Ok(match v {
                    "Error" => TapKey::Error,
                    "RequestId" => TapKey::RequestId,
                    _ => TapKey::Owned(v.to_owned()),
                })
            }
        }
        d.deserialize_str(V)
    }
}

/// `Response.Error`, read leniently: a non-object becomes a message with an empty code.
struct LenientError(ApiError);

impl<'de> Deserialize<'de> for LenientError {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = |v: Option<&serde_json::Value>| match v {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let value = serde_json::Value::deserialize(d)?;
        Ok(LenientError(match &value {
            serde_json::Value::Object(o) => ApiError {
                code: text(o.get("Code")),
                message: text(o.get("Message")),
            },
            other => ApiError {
                code: String::new(),
                message: text(Some(other)),
            },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Typed {
        #[serde(rename = "RequestId")]
        request_id: String,
        #[serde(rename = "N", default)]
        n: u32,
    }

    #[test]
    fn success_keeps_request_id_in_typed_value() {
        let got = decode_response::<Typed>(br#"{"Response":{"N":3,"RequestId":"r-1"}}"#).unwrap();
        assert_eq!(
            got,
            Ok(Typed {
                request_id: "r-1".into(),
                n: 3
            })
        );
    }

    #[test]
    fn error_envelopes_in_any_member_order() {
        let want = ErrorResponse {
            error: ApiError {
                code: "ResourceNotFound".into(),
                message: "m".into(),
            },
            request_id: "r-2".into(),
        };
        for body in [
            r#"{"Response":{"Error":{"Code":"ResourceNotFound","Message":"m"},"RequestId":"r-2"}}"#,
            r#"{"Response":{"RequestId":"r-2","Error":{"Message":"m","Code":"ResourceNotFound","X":1}}}"#,
        ] {
            assert_eq!(
                decode_response::<Typed>(body.as_bytes()).unwrap(),
                Err(want.clone()),
                "{body}"
            );
            assert_eq!(
                decode_response::<serde_json::Value>(body.as_bytes()).unwrap(),
                Err(want.clone())
            );
        }
        // An error envelope round-trips through `to_body`.
        assert_eq!(
            decode_response::<Typed>(&want.to_body()).unwrap(),
            Err(want)
        );
    }

    #[test]
    fn odd_error_members() {
        let got =
            decode_response::<serde_json::Value>(br#"{"Response":{"Error":"boom"}}"#).unwrap();
        let err = got.unwrap_err();
        assert_eq!(
            (
                err.error.code.as_str(),
                err.error.message.as_str(),
                err.request_id.as_str()
            ),
            ("", "boom", "")
        );
        // `"Error": null` is a success.
        let ok =
            decode_response::<Typed>(br#"{"Response":{"Error":null,"RequestId":"r"}}"#).unwrap();
        assert_eq!(
            ok,
            Ok(Typed {
                request_id: "r".into(),
                n: 0
            })
        );
    }

    #[test]
    fn invalid_envelopes_are_errors() {
        for body in [
            &b"not json"[..],
            br#"{"Other":{}}"#,
            br#"{"Response":[]}"#,
            br#"{"Response":{}} trailing"#,
            br#"[]"#,
        ] {
            assert!(
                decode_response::<serde_json::Value>(body).is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn encode_then_decode() {
        #[derive(Serialize)]
        struct Out {
            #[serde(rename = "RequestId")]
            request_id: &'static str,
            #[serde(rename = "N")]
            n: u32,
        }
        let body = encode_response(&Out {
            request_id: "r-9",
            n: 7,
        })
        .unwrap();
        assert_eq!(body, br#"{"Response":{"RequestId":"r-9","N":7}}"#);
        assert_eq!(
            decode_response::<Typed>(&body).unwrap(),
            Ok(Typed {
                request_id: "r-9".into(),
                n: 7
            })
        );
    }
}
