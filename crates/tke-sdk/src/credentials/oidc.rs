//! TKE pod identity: STS `AssumeRoleWithWebIdentity` with the pod's OIDC token.

use std::path::PathBuf;
use std::sync::OnceLock;

use tke_signer::Credentials;

use super::cache::{CredentialCache, Expiring};
use super::sts::{DEFAULT_DURATION_SECS, check_duration, parse_sts, sts_failure};
use super::{ProvideCredentials, STS_VERSION, env_var};
use crate::error::CredentialsErrorKind;
use crate::{Client, Config, Endpoint, Error};

const PROVIDER: &str = "tke oidc";

/// What an OIDC exchange needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcSettings {
    /// `TKE_REGION`: the region sent to STS.
    pub region: String,
    /// `TKE_PROVIDER_ID`.
    pub provider_id: String,
    /// `TKE_ROLE_ARN`.
    pub role_arn: String,
    /// `TKE_WEB_IDENTITY_TOKEN_FILE` (or `TKE_IDENTITY_TOKEN_FILE`).
    pub token_file: PathBuf,
}

impl OidcSettings {
    /// Reads the TKE pod-identity environment; `None` when any variable is missing.
    pub fn from_env() -> Option<Self> {
        Some(Self {
            region: env_var("TKE_REGION")?,
            provider_id: env_var("TKE_PROVIDER_ID")?,
            role_arn: env_var("TKE_ROLE_ARN")?,
            token_file: PathBuf::from(
                env_var("TKE_WEB_IDENTITY_TOKEN_FILE")
                    .or_else(|| env_var("TKE_IDENTITY_TOKEN_FILE"))?,
            ),
        })
    }
}

/// Temporary credentials for a pod with TKE pod identity: an unsigned
/// (`Authorization: SKIP`) STS `AssumeRoleWithWebIdentity` call with the token file's content.
/// The token file is re-read on every refresh; `TKE_REGION` is honoured (the Go SDK ignores it).
/// Cached; refreshed when fewer than 300 s remain.
#[derive(Debug)]
pub struct OidcProvider {
    settings: Option<OidcSettings>,
    session_name: String,
    duration: u64,
    endpoint: Endpoint,
    client: OnceLock<Client>,
    cache: CredentialCache,
}

impl OidcProvider {
    /// A provider reading `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_ROLE_ARN` and
    /// `TKE_WEB_IDENTITY_TOKEN_FILE` / `TKE_IDENTITY_TOKEN_FILE` when it first needs them
    /// (missing variables: "not configured").
    pub fn from_env() -> Self {
        Self::build(None)
    }

    /// A provider with explicit settings.
    pub fn new(settings: OidcSettings) -> Self {
        Self::build(Some(settings))
    }

    fn build(settings: Option<OidcSettings>) -> Self {
        Self {
            settings,
            session_name: "tke-sdk-rust".to_owned(),
            duration: DEFAULT_DURATION_SECS,
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

    /// The STS endpoint (default `sts.tencentcloudapi.com`; a custom URL for tests).
    #[must_use]
    pub fn with_endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    fn settings(&self) -> Result<OidcSettings, Error> {
        match &self.settings {
            Some(s) => Ok(s.clone()),
            None => OidcSettings::from_env().ok_or_else(|| {
                Error::credentials(
                    PROVIDER,
                    CredentialsErrorKind::NotConfigured,
                    "TKE_REGION, TKE_PROVIDER_ID, TKE_ROLE_ARN or TKE_WEB_IDENTITY_TOKEN_FILE is not set",
                )
            }),
        }
    }

    fn client(&self, region: &str) -> Result<&Client, Error> {
        if let Some(c) = self.client.get() {
            return Ok(c);
        }
        let config = Config::builder()
            .region(region)
            .endpoint(self.endpoint.clone())
            .unsigned()
            .build()?;
        let client = Client::new(config)?;
        Ok(self.client.get_or_init(|| client))
    }

    async fn fetch(&self) -> Result<Expiring, Error> {
        let settings = self.settings()?;
        let token = std::fs::read_to_string(&settings.token_file).map_err(|e| {
            Error::credentials(
                PROVIDER,
                CredentialsErrorKind::Failed,
                format!(
                    "cannot read the token file {}: {e}",
                    settings.token_file.display()
                ),
            )
        })?;
        let params = serde_json::json!({
            "ProviderId": settings.provider_id,
            "WebIdentityToken": token.trim(),
            "RoleArn": settings.role_arn,
            "RoleSessionName": self.session_name,
            "DurationSeconds": self.duration,
        });
        let response = self
            .client(&settings.region)?
            .call_raw("sts", STS_VERSION, "AssumeRoleWithWebIdentity", &params)
            .await
            .map_err(|e| sts_failure(PROVIDER, "AssumeRoleWithWebIdentity", e))?;
        parse_sts(PROVIDER, response)
    }
}

#[async_trait::async_trait]
impl ProvideCredentials for OidcProvider {
    async fn credentials(&self) -> Result<Credentials, Error> {
        self.cache.get_or_refresh(|| self.fetch()).await
    }
}
