//! Credentials: SecretId, SecretKey and an optional session token.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// A Tencent Cloud API key pair, optionally with the session token of temporary credentials.
///
/// The SecretKey and token are held in [`SecretString`]s: they are zeroized on drop and never
/// appear in `Debug` or `Display` output. Only the SecretId (which every Authorization header
/// carries in clear) is shown.
///
/// ```
/// use tke_signer::Credentials;
/// let creds = Credentials::new("AKIDexample", "very-secret").with_token("session-token");
/// assert_eq!(format!("{creds:?}"), r#"Credentials { secret_id: "AKIDexample", secret_key: "[redacted]", token: Some("[redacted]") }"#);
/// assert!(!format!("{creds}").contains("very-secret"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    secret_id: String,
    secret_key: SecretString,
    token: Option<SecretString>,
}

impl Credentials {
    /// Long-term credentials from a SecretId and SecretKey.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            secret_id: secret_id.into(),
            secret_key: SecretString::from(secret_key.into()),
            token: None,
        }
    }

    /// Adds the session token of temporary credentials (sent as `X-TC-Token`).
    #[must_use]
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(SecretString::from(token.into()));
        self
    }

    /// The SecretId (not secret: it is part of every Authorization header).
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The SecretKey. Handle with care: never log it.
    pub fn expose_secret_key(&self) -> &str {
        self.secret_key.expose_secret()
    }

    /// The session token, if any. Handle with care: never log it.
    pub fn expose_token(&self) -> Option<&str> {
        self.token.as_ref().map(|t| t.expose_secret())
    }

    /// Whether a session token is present (temporary credentials).
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }
}

const REDACTED: &str = "[redacted]";

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &REDACTED)
            .field("token", &self.token.as_ref().map(|_| REDACTED))
            .finish()
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credentials({})", self.secret_id)
    }
}

impl PartialEq for Credentials {
    fn eq(&self, other: &Self) -> bool {
        use subtle::ConstantTimeEq;
        let tokens_equal = match (&self.token, &other.token) {
            (None, None) => true,
            (Some(a), Some(b)) => bool::from(
                a.expose_secret()
                    .as_bytes()
                    .ct_eq(b.expose_secret().as_bytes()),
            ),
            _ => false,
        };
        self.secret_id == other.secret_id
            && bool::from(
                self.secret_key
                    .expose_secret()
                    .as_bytes()
                    .ct_eq(other.secret_key.expose_secret().as_bytes()),
            )
            && tokens_equal
    }
}

impl Eq for Credentials {}
