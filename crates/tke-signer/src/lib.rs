//! TC3-HMAC-SHA256 request signing and verification for Tencent Cloud API 3.0.
//!
//! A pure crate: no I/O, no async, no HTTP client. Any HTTP stack can use it: build a
//! [`Request`] from what you will send, [`Signer::sign`] it, and set exactly the returned headers.
//!
//! ```
//! use tke_signer::{Credentials, ReceivedRequest, Request, Signer, Verifier, CONTENT_TYPE_JSON};
//!
//! let credentials = Credentials::new("AKIDexample", "secret-key");
//! let signer = Signer::new(); // signs content-type;host;x-tc-action
//! let host = "tke.tencentcloudapi.com";
//! let body = br#"{"Limit":20,"Offset":0}"#;
//! let request = Request::post(host, "DescribeClusters", "2018-05-25", body).region("ap-guangzhou");
//! let signed = signer.sign(&credentials, &request, 1_700_000_000)?;
//! for header in signed.headers() {
//!     // set `header.name: header.value` on the outgoing request (plus Host and Content-Type)
//!     assert!(header.name == "Authorization" || header.name.starts_with("X-TC-"));
//! }
//!
//! // The receiving side (a mock server, a proxy) checks the signature:
//! let mut headers = vec![("host", host), ("content-type", CONTENT_TYPE_JSON)];
//! headers.extend(signed.headers().map(|h| (h.name, h.value())));
//! let received = ReceivedRequest { method: "POST", query: "", headers: &headers, body };
//! let verified = Verifier::new().verify(&received, |_id| Some(credentials.clone()), 1_700_000_060)?;
//! assert_eq!(verified.secret_id, "AKIDexample");
//! # Ok::<(), tke_signer::Error>(())
//! ```
//!
//! Features:
//! - `v1`: the legacy v1 signature ([`v1`]).
//! - `http`: [`Signer::sign_http`] signs an [`http::Request`] in place.
//!
//! Header values are lower-cased with ASCII rules only (HTTP header values are ASCII in practice;
//! Tencent's own SDKs apply a Unicode lower-case, which agrees on ASCII).
#![forbid(unsafe_code)]

mod canonical;
mod credentials;
mod date;
mod error;
mod headers;
#[cfg(feature = "http")]
mod http_interop;
mod key_cache;
mod same;
mod sha256_state;
mod shape_cache;
mod sign;
#[cfg(feature = "v1")]
pub mod v1;
mod verify;

pub use credentials::Credentials;
pub use date::UtcDate;
pub use error::Error;
pub use headers::{MAX_SIGNED_HEADERS, SignedHeaders};
#[cfg(feature = "http")]
pub use http_interop::HttpSignParams;
pub use key_cache::{SigningKeyCache, derive_signing_key};
pub use sign::{
    CONTENT_TYPE_FORM, CONTENT_TYPE_JSON, Method, Request, SignedHeader, SignedRequest, Signer,
    SigningDetails, service_from_host,
};
pub use verify::{Authorization, ReceivedRequest, Verified, Verifier};
pub use zeroize::Zeroizing;

/// The `X-TC-Content-SHA256` value that replaces the body hash.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The current time as Unix seconds (0 if the system clock is before 1970).
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
