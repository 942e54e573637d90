//! Credentials from environment variables.

use tke_signer::Credentials;

use super::{ProvideCredentials, env_var};
use crate::Error;
use crate::error::CredentialsErrorKind;

/// `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and the optional session token
/// `TENCENTCLOUD_SECURITY_TOKEN` (or `TENCENTCLOUD_TOKEN`). Read on every call.
#[derive(Debug, Clone, Default)]
pub struct EnvProvider {
    _private: (),
}

impl EnvProvider {
    /// The provider.
    pub fn new() -> Self {
        Self::default()
    }
}

#[async_trait::async_trait]
impl ProvideCredentials for EnvProvider {
    async fn credentials(&self) -> Result<Credentials, Error> {
        let id = env_var("TENCENTCLOUD_SECRET_ID");
        let key = env_var("TENCENTCLOUD_SECRET_KEY");
        match (id, key) {
            (Some(id), Some(key)) => {
                let creds = Credentials::new(id, key);
                let token = env_var("TENCENTCLOUD_SECURITY_TOKEN")
                    .or_else(|| env_var("TENCENTCLOUD_TOKEN"));
                Ok(match token {
                    Some(token) => creds.with_token(token),
                    None => creds,
                })
            }
            (None, None) => Err(Error::credentials(
                "environment",
                CredentialsErrorKind::NotConfigured,
                "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set",
            )),
            (Some(_), None) => Err(Error::credentials(
                "environment",
                CredentialsErrorKind::Failed,
                "TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not",
            )),
            (None, Some(_)) => Err(Error::credentials(
                "environment",
                CredentialsErrorKind::Failed,
                "TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is not",
            )),
        }
    }
}
