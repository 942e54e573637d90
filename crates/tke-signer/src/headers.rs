//! The configurable set of signed headers.

use std::fmt;

use crate::Error;

/// The most headers one signature may cover (TC3 needs two; Tencent signs three).
pub const MAX_SIGNED_HEADERS: usize = 16;

/// The lower-case, sorted list of headers a signature covers.
///
/// TC3 requires `content-type` and `host`; Tencent's current documentation also signs
/// `x-tc-action` (the default here). Any other header may be added.
///
/// ```
/// use tke_signer::SignedHeaders;
/// assert_eq!(SignedHeaders::default().as_str(), "content-type;host;x-tc-action");
/// assert_eq!(SignedHeaders::minimal().as_str(), "content-type;host");
/// let custom = SignedHeaders::parse("Host;Content-Type;X-TC-Timestamp").unwrap();
/// assert_eq!(custom.as_str(), "content-type;host;x-tc-timestamp");
/// assert!(SignedHeaders::parse("host").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SignedHeaders {
    /// Joined with ';', sorted, lower-case, without duplicates.
    joined: String,
    /// The same names, split once here rather than on every signature.
    names: Vec<String>,
    /// `/tc3_request, SignedHeaders=<joined>, Signature=`: the constant middle of every
    /// Authorization value, joined once here.
    authorization_middle: String,
}

impl SignedHeaders {
    /// `content-type;host;x-tc-action`, what Tencent's current documentation signs.
    pub fn standard() -> Self {
        Self::from_sorted(&["content-type", "host", "x-tc-action"])
    }

    /// `content-type;host`, the minimum TC3 accepts (older documentation).
    pub fn minimal() -> Self {
        Self::from_sorted(&["content-type", "host"])
    }

    fn from_sorted(names: &[&str]) -> Self {
        Self::from_lower_sorted(names.iter().map(|n| (*n).to_owned()).collect())
    }

    fn from_lower_sorted(names: Vec<String>) -> Self {
        let joined = names.join(";");
        Self {
            authorization_middle: format!("/tc3_request, SignedHeaders={joined}, Signature="),
            joined,
            names,
        }
    }

    /// Parses a `;`-separated list of header names (any case, any order).
    pub fn parse(list: &str) -> Result<Self, Error> {
        Self::from_names(list.split(';'))
    }

    /// Builds the set from header names (any case, any order, duplicates folded).
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, Error> {
        let mut lower: Vec<String> = Vec::new();
        for name in names {
            let name = name.trim();
            if name.is_empty() || !name.bytes().all(is_token_byte) {
                return Err(Error::InvalidHeaderName {
                    name: crate::error::bounded(name, 64),
                });
            }
            lower.push(name.to_ascii_lowercase());
        }
        lower.sort();
        lower.dedup();
        let joined = lower.join(";");
        if lower.len() > MAX_SIGNED_HEADERS {
            return Err(Error::TooManySignedHeaders {
                count: lower.len(),
                max: MAX_SIGNED_HEADERS,
            });
        }
        if !lower.iter().any(|n| n == "content-type") || !lower.iter().any(|n| n == "host") {
            return Err(Error::RequiredHeaderNotSigned { signed: joined });
        }
        Ok(Self::from_lower_sorted(lower))
    }

    /// Adds a header to the set.
    pub fn with_header(&self, name: &str) -> Result<Self, Error> {
        Self::from_names(self.names().chain(std::iter::once(name)))
    }

    /// The list as it appears in the Authorization header.
    pub fn as_str(&self) -> &str {
        &self.joined
    }

    /// `/tc3_request, SignedHeaders=<list>, Signature=`.
    pub(crate) fn authorization_middle(&self) -> &str {
        &self.authorization_middle
    }

    /// The lower-case names in signing order.
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.names.iter().map(String::as_str)
    }

    /// Whether `name` (lower-case) is signed.
    pub fn contains(&self, name: &str) -> bool {
        self.names().any(|n| n == name)
    }
}

impl Default for SignedHeaders {
    fn default() -> Self {
        Self::standard()
    }
}

impl fmt::Debug for SignedHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SignedHeaders").field(&self.joined).finish()
    }
}

impl fmt::Display for SignedHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.joined)
    }
}

/// RFC 9110 `tchar`.
pub(crate) fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}
