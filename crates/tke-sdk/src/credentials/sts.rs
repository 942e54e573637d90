//! STS AssumeRole: temporary credentials of a role, obtained with another provider's
//! credentials; and the shared parsing of STS credential responses.

use std::sync::{Arc, OnceLock};

use serde::Deserialize;
use tke_signer::Credentials;

use super::cache::{CredentialCache, Expiring};
use super::{ProvideCredentials, STS_VERSION};
use crate::error::CredentialsErrorKind;
use crate::{Client, Config, Endpoint, Error};

const PROVIDER: &str = "sts assume role";
/// Default `DurationSeconds` of STS credentials.
pub const DEFAULT_DURATION_SECS: u64 = 7200;
/// Largest `DurationSeconds` STS accepts.
pub const MAX_DURATION_SECS: u64 = 43_200;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StsCredentials {
    token: String,
    tmp_secret_id: String,
    tmp_secret_key: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StsResponse {
    credentials: StsCredentials,
    expired_time: i64,
}

/// Reads `{Credentials{Token, TmpSecretId, TmpSecretKey}, ExpiredTime}` of an STS response.
pub(crate) fn parse_sts(
    provider: &'static str,
    value: serde_json::Value,
) -> Result<Expiring, Error> {
    let parsed: StsResponse = serde_json::from_value(value).map_err(|e| {
        Error::credentials(
            provider,
            CredentialsErrorKind::Failed,
            format!("unexpected STS response: {}", field_of(&e)),
        )
    })?;
    Ok(Expiring {
        credentials: Credentials::new(
            parsed.credentials.tmp_secret_id,
            parsed.credentials.tmp_secret_key,
        )
        .with_token(parsed.credentials.token),
        expires_at: parsed.expired_time,
    })
}

/// The serde message without quoted values (they could be secrets).
fn field_of(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.split_once('"') {
        Some((head, _)) => head.trim_end().to_owned(),
        None => text,
    }
}

/// Wraps an STS call failure as a credentials error that keeps the service error as source.
pub(crate) fn sts_failure(provider: &'static str, action: &str, e: Error) -> Error {
    Error::Credentials {
        provider,
        kind: CredentialsErrorKind::Failed,
        reason: format!("STS {action} failed"),
        source: Some(Box::new(e)),
    }
}

/// Validates a session duration.
pub(crate) fn check_duration(duration: u64) -> Result<u64, Error> {
    if duration == 0 || duration > MAX_DURATION_SECS {
        return Err(Error::config(
            "DurationSeconds",
            duration.to_string(),
            format!("must be within 1..={MAX_DURATION_SECS}"),
        ));
    }
    Ok(duration)
}

/// Temporary credentials of `RoleArn` from STS `AssumeRole`, signed with the credentials of a
/// source provider. Cached; refreshed when fewer than 300 s remain.
///
/// ```
/// use tke_sdk::credentials::{AssumeRoleProvider, Credentials};
/// let provider = AssumeRoleProvider::new(
///     Credentials::new("AKIDsource", "secret"),
///     "qcs::cam::uin/100000000001:roleName/tke-operator",
/// )
/// .with_session_name("my-app")
/// .with_duration_seconds(3600)?
/// .with_region("ap-guangzhou");
/// # Ok::<(), tke_sdk::Error>(())
/// ```
#[derive(Debug)]
pub struct AssumeRoleProvider {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session_name: String,
    duration: u64,
    region: String,
    endpoint: Endpoint,
    client: OnceLock<Client>,
    cache: CredentialCache,
}

impl AssumeRoleProvider {
    /// Assumes `role_arn` with the credentials of `source`.
    pub fn new(source: impl ProvideCredentials + 'static, role_arn: impl Into<String>) -> Self {
        Self {
            source: Arc::new(source),
            role_arn: role_arn.into(),
            session_name: "tke-sdk-rust".to_owned(),
            duration: DEFAULT_DURATION_SECS,
            region: super::env_var("TENCENTCLOUD_REGION").unwrap_or_else(|| "ap-guangzhou".into()),
            endpoint: Endpoint::Nearest,
            client: OnceLock::new(),
            cache: CredentialCache::default(),
        }
    }

    /// `RoleSessionName` (default `tke-sdk-rust`).
    #[must_use]
    pub fn with_session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = name.into();
        self
    }

    /// `DurationSeconds` (default 7200, at most 43200).
    pub fn with_duration_seconds(mut self, seconds: u64) -> Result<Self, Error> {
        self.duration = check_duration(seconds)?;
        Ok(self)
    }

    /// The region sent to STS (default `TENCENTCLOUD_REGION`, else `ap-guangzhou`).
    #[must_use]
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// The STS endpoint (default `sts.tencentcloudapi.com`; a custom URL for tests).
    #[must_use]
    pub fn with_endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    fn client(&self) -> Result<&Client, Error> {
        if let Some(c) = self.client.get() {
            return Ok(c);
        }
        let config = Config::builder()
            .region(self.region.clone())
            .endpoint(self.endpoint.clone())
            .credentials_shared(self.source.clone())
            .build()?;
        let client = Client::new(config)?;
        Ok(self.client.get_or_init(|| client))
    }

    async fn fetch(&self) -> Result<Expiring, Error> {
        let params = serde_json::json!({
            "RoleArn": self.role_arn,
            "RoleSessionName": self.session_name,
            "DurationSeconds": self.duration,
        });
        let response = self
            .client()?
            .call_raw("sts", STS_VERSION, "AssumeRole", &params)
            .await
            .map_err(|e| match e {
                // The source provider's own error is the clearer one.
                e @ Error::Credentials { .. } => e,
                e => sts_failure(PROVIDER, "AssumeRole", e),
            })?;
        parse_sts(PROVIDER, response)
    }
}

#[async_trait::async_trait]
impl ProvideCredentials for AssumeRoleProvider {
    async fn credentials(&self) -> Result<Credentials, Error> {
        self.cache.get_or_refresh(|| self.fetch()).await
    }
}
