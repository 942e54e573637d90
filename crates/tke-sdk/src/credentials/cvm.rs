//! Credentials of the CAM role bound to a CVM instance, from the metadata service.

use std::sync::OnceLock;
use std::time::Duration;

use serde::Deserialize;
use tke_signer::Credentials;

use super::ProvideCredentials;
use super::cache::{CredentialCache, Expiring};
use crate::Error;
use crate::error::CredentialsErrorKind;

const PROVIDER: &str = "cvm role";
/// The metadata service's base URL.
pub const DEFAULT_METADATA_URL: &str = "http://metadata.tencentyun.com/latest/meta-data/";

/// Temporary credentials of the instance's CAM role:
/// `GET <metadata>/cam/security-credentials/` names the role (404: no role bound), and
/// `GET <metadata>/cam/security-credentials/<role>` returns `TmpSecretId`, `TmpSecretKey`,
/// `Token` and `ExpiredTime`. Cached; refreshed when fewer than 300 s remain.
///
/// An unreachable metadata service or a 404 for the role list mean "not configured" (not on a
/// CVM, or no role bound): the default chain moves on. Any other failure is returned.
#[derive(Debug)]
pub struct CvmRoleProvider {
    base_url: String,
    role: Option<String>,
    timeout: Duration,
    http: OnceLock<reqwest::Client>,
    cache: CredentialCache,
}

impl Default for CvmRoleProvider {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_METADATA_URL.to_owned(),
            role: None,
            timeout: Duration::from_secs(2),
            http: OnceLock::new(),
            cache: CredentialCache::default(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MetadataCredentials {
    tmp_secret_id: String,
    tmp_secret_key: String,
    token: String,
    expired_time: i64,
    #[serde(default)]
    code: Option<String>,
}

impl CvmRoleProvider {
    /// The provider for the real metadata service.
    pub fn new() -> Self {
        Self::default()
    }

    /// Another metadata base URL (tests, proxies). It must end with `/meta-data/` or similar:
    /// `cam/security-credentials/` is appended.
    #[must_use]
    pub fn with_metadata_url(mut self, url: impl Into<String>) -> Self {
        let mut url = url.into();
        if !url.ends_with('/') {
            url.push('/');
        }
        self.base_url = url;
        self
    }

    /// Uses this role name instead of asking the metadata service.
    #[must_use]
    pub fn with_role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// Timeout of each metadata request (default 2 s).
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn http(&self) -> Result<&reqwest::Client, Error> {
        if let Some(c) = self.http.get() {
            return Ok(c);
        }
        let client = crate::http::build_http_client(self.timeout)?;
        Ok(self.http.get_or_init(|| client))
    }

    async fn get(&self, url: &str) -> Result<Result<(u16, String), reqwest::Error>, Error> {
        let client = self.http()?;
        let exchange = async {
            let response = client.get(url).timeout(self.timeout).send().await?;
            let status = response.status().as_u16();
            Ok((status, response.text().await?))
        };
        Ok(exchange.await)
    }

    async fn role(&self) -> Result<String, Error> {
        if let Some(role) = &self.role {
            return Ok(role.clone());
        }
        let url = format!("{}cam/security-credentials/", self.base_url);
        let (status, body) = self.get(&url).await?.map_err(|e| Error::Credentials {
            provider: PROVIDER,
            kind: CredentialsErrorKind::NotConfigured,
            reason: format!(
                "metadata service {} unreachable (not on a CVM?)",
                self.base_url
            ),
            source: Some(Box::new(Error::Transport {
                action: "metadata role list".into(),
                kind: crate::error::TransportKind::Connect,
                source: e,
            })),
        })?;
        match status {
            200 => body
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| {
                    Error::credentials(
                        PROVIDER,
                        CredentialsErrorKind::NotConfigured,
                        "the metadata service lists no CAM role for this instance",
                    )
                }),
            404 => Err(Error::credentials(
                PROVIDER,
                CredentialsErrorKind::NotConfigured,
                "no CAM role is bound to this instance (metadata answered 404)",
            )),
            other => Err(Error::credentials(
                PROVIDER,
                CredentialsErrorKind::Failed,
                format!("metadata role list answered HTTP {other}"),
            )),
        }
    }

    async fn fetch(&self) -> Result<Expiring, Error> {
        let role = self.role().await?;
        let url = format!("{}cam/security-credentials/{role}", self.base_url);
        let failed =
            |reason: String| Error::credentials(PROVIDER, CredentialsErrorKind::Failed, reason);
        let (status, body) = self
            .get(&url)
            .await?
            .map_err(|e| failed(format!("credentials of role `{role}`: {e}")))?;
        if status != 200 {
            return Err(failed(format!(
                "credentials of role `{role}`: metadata answered HTTP {status}"
            )));
        }
        let parsed: MetadataCredentials = serde_json::from_str(&body).map_err(|e| {
            failed(format!(
                "credentials of role `{role}`: unexpected document at line {} column {}",
                e.line(),
                e.column()
            ))
        })?;
        if let Some(code) = parsed.code.as_deref().filter(|c| *c != "Success") {
            return Err(failed(format!(
                "credentials of role `{role}`: metadata Code `{}`",
                code.chars().take(64).collect::<String>()
            )));
        }
        Ok(Expiring {
            credentials: Credentials::new(parsed.tmp_secret_id, parsed.tmp_secret_key)
                .with_token(parsed.token),
            expires_at: parsed.expired_time,
        })
    }
}

#[async_trait::async_trait]
impl ProvideCredentials for CvmRoleProvider {
    async fn credentials(&self) -> Result<Credentials, Error> {
        self.cache.get_or_refresh(|| self.fetch()).await
    }
}
