//! Client configuration and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tke_signer::SignedHeaders;

use crate::clock::TimeSource;
use crate::credentials::{DefaultChain, ProvideCredentials};
use crate::error::Error;
use crate::retry::RetryPolicy;

/// Which host a call goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Endpoint {
    /// `<service>.tencentcloudapi.com`, routed to the nearest region (the default). The
    /// financial regions `ap-shanghai-fsi` and `ap-shenzhen-fsi` are only reachable through
    /// their regional endpoint, so for them this behaves like [`Endpoint::Regional`].
    Nearest,
    /// `<service>.<region>.tencentcloudapi.com`.
    Regional,
    /// `<service>.internal.tencentcloudapi.com`, from inside Tencent Cloud's network.
    Internal,
    /// One fixed base URL for every service (a proxy, a local mock). The signing service is
    /// the action's service, not derived from the host.
    Custom(url::Url),
}

/// Regions only reachable through their regional endpoint.
const FINANCIAL_REGIONS: &[&str] = &["ap-shanghai-fsi", "ap-shenzhen-fsi"];

/// A resolved target: the URL to POST to and the `Host` value that is signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) url: String,
    pub(crate) host: String,
}

impl Endpoint {
    /// The URL and Host for `service` in `region`.
    pub(crate) fn resolve(&self, service: &str, region: Option<&str>) -> Target {
        let named = |host: String| Target {
            url: format!("https://{host}/"),
            host,
        };
        let regional = region.filter(|r| !r.is_empty());
        match (self, regional) {
            (Endpoint::Custom(url), _) => {
                let host = match (url.host_str(), url.port()) {
                    (Some(h), Some(p)) => format!("{h}:{p}"),
                    (Some(h), None) => h.to_owned(),
                    (None, _) => String::new(),
                };
                Target {
                    url: url.as_str().to_owned(),
                    host,
                }
            }
            (Endpoint::Regional, Some(r)) => named(format!("{service}.{r}.tencentcloudapi.com")),
            (Endpoint::Nearest, Some(r)) if FINANCIAL_REGIONS.contains(&r) => {
                named(format!("{service}.{r}.tencentcloudapi.com"))
            }
            (Endpoint::Internal, _) => named(format!("{service}.internal.tencentcloudapi.com")),
            _ => named(format!("{service}.tencentcloudapi.com")),
        }
    }
}

/// Language of error messages (`X-TC-Language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// `zh-CN`.
    ZhCn,
    /// `en-US`.
    EnUs,
}

impl Language {
    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::EnUs => "en-US",
        }
    }
}

/// Timeouts of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing a connection (TCP + TLS). Default 10 s.
    pub connect: Duration,
    /// One attempt: send the request and receive the whole response. Default 60 s (the
    /// official SDKs' whole-request timeout).
    pub attempt: Duration,
    /// The whole operation, retries and back-off included. Default 120 s.
    pub operation: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            attempt: Duration::from_secs(60),
            operation: Duration::from_secs(120),
        }
    }
}

/// The server closes idle keep-alive connections after 30 s; the pool drops them earlier so a
/// request never races a closing connection.
pub(crate) const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(25);

/// How requests are authenticated.
#[derive(Clone)]
pub(crate) enum Auth {
    /// Sign with credentials from a provider.
    Provider(Arc<dyn ProvideCredentials>),
    /// `Authorization: SKIP` (only STS `AssumeRoleWithWebIdentity`).
    Skip,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Provider(p) => f.debug_tuple("Provider").field(p).finish(),
            Auth::Skip => f.write_str("Skip"),
        }
    }
}

/// Everything a [`crate::Client`] needs. Build it with [`Config::builder`] or
/// [`Config::from_env`].
///
/// ```
/// use std::time::Duration;
/// use tke_sdk::{Config, Endpoint, Language, RetryPolicy};
/// use tke_sdk::credentials::Credentials;
///
/// let config = Config::builder()
///     .region("ap-guangzhou")
///     .credentials(Credentials::new("AKIDexample", "secret"))
///     .endpoint(Endpoint::Regional)
///     .language(Language::EnUs)
///     .operation_timeout(Duration::from_secs(30))
///     .retry(RetryPolicy::default().with_max_attempts(5))
///     .request_client_suffix("my-operator")
///     .build()?;
/// assert_eq!(config.region(), Some("ap-guangzhou"));
/// assert!(!format!("{config:?}").contains("secret\""));
/// # Ok::<(), tke_sdk::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Endpoint,
    pub(crate) auth: Auth,
    pub(crate) language: Option<Language>,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryPolicy,
    pub(crate) signed_headers: SignedHeaders,
    pub(crate) request_client: String,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) time_source: TimeSource,
}

impl Config {
    /// A builder with the defaults: nearest endpoint, the default credential chain, 3 attempts,
    /// timeouts 10 s connect / 60 s attempt / 120 s operation, signed headers
    /// `content-type;host;x-tc-action`.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The defaults, with the region from `TENCENTCLOUD_REGION` and credentials from the
    /// default chain (environment, profile file, TKE OIDC, CVM role).
    pub fn from_env() -> Result<Self, Error> {
        let mut builder = Self::builder();
        if let Ok(region) = std::env::var("TENCENTCLOUD_REGION") {
            builder = builder.region(region);
        }
        builder.build()
    }

    /// The region (`X-TC-Region`), if set.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint choice.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The timeouts.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The retry policy.
    pub fn retry(&self) -> RetryPolicy {
        self.retry
    }

    /// The `X-TC-RequestClient` value sent.
    pub fn request_client(&self) -> &str {
        &self.request_client
    }
}

/// Builder of a [`Config`]; see [`Config::builder`].
#[derive(Debug, Clone)]
pub struct ConfigBuilder {
    region: Option<String>,
    endpoint: Endpoint,
    auth: Option<Auth>,
    language: Option<Language>,
    timeouts: Timeouts,
    retry: RetryPolicy,
    signed_headers: SignedHeaders,
    request_client_suffix: Option<String>,
    http_client: Option<reqwest::Client>,
    time_source: TimeSource,
}

impl Default for ConfigBuilder {
    fn default() -> Self {
        Self {
            region: None,
            endpoint: Endpoint::Nearest,
            auth: None,
            language: None,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            signed_headers: SignedHeaders::default(),
            request_client_suffix: None,
            http_client: None,
            time_source: TimeSource::system(),
        }
    }
}

/// The SDK's `X-TC-RequestClient` id.
pub const REQUEST_CLIENT: &str = concat!("SDK_RUST_", env!("CARGO_PKG_VERSION"));

impl ConfigBuilder {
    /// The region, e.g. `ap-guangzhou` (`X-TC-Region`; omitted when unset or empty).
    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The endpoint (default [`Endpoint::Nearest`]).
    #[must_use]
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// A custom base URL for every service (a proxy, a local mock), e.g. `http://127.0.0.1:8080`.
    pub fn endpoint_url(self, url: &str) -> Result<Self, Error> {
        let parsed = url::Url::parse(url)
            .map_err(|e| Error::config("endpoint", url, format!("not a URL: {e}")))?;
        Ok(self.endpoint(Endpoint::Custom(parsed)))
    }

    /// The credentials provider (default: [`DefaultChain`]). Plain
    /// [`Credentials`](crate::credentials::Credentials) are a provider too.
    #[must_use]
    pub fn credentials(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.auth = Some(Auth::Provider(Arc::new(provider)));
        self
    }

    /// The credentials provider, shared.
    #[must_use]
    pub fn credentials_shared(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.auth = Some(Auth::Provider(provider));
        self
    }

    /// Sends `Authorization: SKIP` (STS `AssumeRoleWithWebIdentity` only).
    #[must_use]
    pub(crate) fn unsigned(mut self) -> Self {
        self.auth = Some(Auth::Skip);
        self
    }

    /// The language of error messages.
    #[must_use]
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// All timeouts at once.
    #[must_use]
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The connect timeout.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = timeout;
        self
    }

    /// The timeout of one attempt.
    #[must_use]
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.attempt = timeout;
        self
    }

    /// The timeout of a whole operation, retries included.
    #[must_use]
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.operation = timeout;
        self
    }

    /// The retry policy.
    #[must_use]
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Which headers are signed (default `content-type;host;x-tc-action`). Any of
    /// `x-tc-version`, `x-tc-timestamp`, `x-tc-region`, `x-tc-language`, `x-tc-token`,
    /// `x-tc-requestclient` may be added.
    #[must_use]
    pub fn signed_headers(mut self, signed_headers: SignedHeaders) -> Self {
        self.signed_headers = signed_headers;
        self
    }

    /// Appends `;<suffix>` to the `X-TC-RequestClient` id (e.g. your application's name).
    /// Characters `[0-9a-zA-Z-_ ,;.]`, 128 characters in total at most.
    #[must_use]
    pub fn request_client_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.request_client_suffix = Some(suffix.into());
        self
    }

    /// Uses this `reqwest::Client` as is (its own timeouts, proxies, TLS and pool settings
    /// apply; the connect timeout and pool idle timeout of this config do not).
    #[must_use]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The clock used for `X-TC-Timestamp` (default: the system clock). Tests use it to make
    /// each attempt's timestamp observable; the clock-skew correction applies on top.
    #[must_use]
    pub fn time_source(mut self, source: TimeSource) -> Self {
        self.time_source = source;
        self
    }

    /// Validates and builds the configuration.
    pub fn build(self) -> Result<Config, Error> {
        if let Some(region) = &self.region
            && !region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(Error::config(
                "region",
                region.chars().take(64).collect::<String>(),
                "only lower-case letters, digits and `-` are allowed",
            ));
        }
        if let Endpoint::Custom(url) = &self.endpoint
            && (!matches!(url.scheme(), "http" | "https") || url.host_str().is_none())
        {
            return Err(Error::config(
                "endpoint",
                url.as_str(),
                "must be an http or https URL with a host",
            ));
        }
        for (field, value) in [
            ("connect timeout", self.timeouts.connect),
            ("attempt timeout", self.timeouts.attempt),
            ("operation timeout", self.timeouts.operation),
        ] {
            if value.is_zero() {
                return Err(Error::config(field, "0s", "must be positive"));
            }
        }
        let request_client = match &self.request_client_suffix {
            None => REQUEST_CLIENT.to_owned(),
            Some(suffix) => {
                let value = format!("{REQUEST_CLIENT};{suffix}");
                let allowed = |c: char| c.is_ascii_alphanumeric() || "-_ ,;.".contains(c);
                if !suffix.chars().all(allowed) {
                    return Err(Error::config(
                        "request client suffix",
                        suffix.chars().take(128).collect::<String>(),
                        "only [0-9a-zA-Z-_ ,;.] are allowed",
                    ));
                }
                if value.len() > 128 {
                    return Err(Error::config(
                        "request client suffix",
                        suffix.chars().take(128).collect::<String>(),
                        "X-TC-RequestClient must be at most 128 characters",
                    ));
                }
                value
            }
        };
        let auth = match self.auth {
            Some(auth) => auth,
            None => Auth::Provider(Arc::new(DefaultChain::new())),
        };
        Ok(Config {
            region: self.region.filter(|r| !r.is_empty()),
            endpoint: self.endpoint,
            auth,
            language: self.language,
            timeouts: self.timeouts,
            retry: self.retry,
            signed_headers: self.signed_headers,
            request_client,
            http_client: self.http_client,
            time_source: self.time_source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_resolution_table() {
        let custom = Endpoint::Custom(url::Url::parse("http://127.0.0.1:8080").expect("url"));
        let table: [(&Endpoint, &str, Option<&str>, &str, &str); 9] = [
            (
                &Endpoint::Nearest,
                "tke",
                None,
                "https://tke.tencentcloudapi.com/",
                "tke.tencentcloudapi.com",
            ),
            (
                &Endpoint::Nearest,
                "tke",
                Some("ap-guangzhou"),
                "https://tke.tencentcloudapi.com/",
                "tke.tencentcloudapi.com",
            ),
            (
                &Endpoint::Nearest,
                "clb",
                Some("ap-shanghai-fsi"),
                "https://clb.ap-shanghai-fsi.tencentcloudapi.com/",
                "clb.ap-shanghai-fsi.tencentcloudapi.com",
            ),
            (
                &Endpoint::Nearest,
                "tke",
                Some("ap-shenzhen-fsi"),
                "https://tke.ap-shenzhen-fsi.tencentcloudapi.com/",
                "tke.ap-shenzhen-fsi.tencentcloudapi.com",
            ),
            (
                &Endpoint::Regional,
                "tke",
                Some("ap-beijing"),
                "https://tke.ap-beijing.tencentcloudapi.com/",
                "tke.ap-beijing.tencentcloudapi.com",
            ),
            (
                &Endpoint::Regional,
                "tke",
                None,
                "https://tke.tencentcloudapi.com/",
                "tke.tencentcloudapi.com",
            ),
            (
                &Endpoint::Internal,
                "sts",
                Some("ap-beijing"),
                "https://sts.internal.tencentcloudapi.com/",
                "sts.internal.tencentcloudapi.com",
            ),
            (
                &custom,
                "tke",
                Some("ap-beijing"),
                "http://127.0.0.1:8080/",
                "127.0.0.1:8080",
            ),
            (
                &custom,
                "clb",
                None,
                "http://127.0.0.1:8080/",
                "127.0.0.1:8080",
            ),
        ];
        for (endpoint, service, region, url, host) in table {
            let target = endpoint.resolve(service, region);
            assert_eq!(target.url, url, "{endpoint:?} {service} {region:?}");
            assert_eq!(target.host, host, "{endpoint:?} {service} {region:?}");
        }
    }

    #[test]
    fn rejects_bad_settings() {
        let creds = || crate::credentials::Credentials::new("AKID", "k");
        let cases = [
            (Config::builder().region("ap guangzhou"), "region"),
            (
                Config::builder().request_client_suffix("bad/char"),
                "request client suffix",
            ),
            (
                Config::builder().request_client_suffix("x".repeat(120)),
                "request client suffix",
            ),
            (
                Config::builder().attempt_timeout(Duration::ZERO),
                "attempt timeout",
            ),
            (
                Config::builder()
                    .endpoint(Endpoint::Custom(url::Url::parse("ftp://x").expect("url"))),
                "endpoint",
            ),
        ];
        for (builder, field) in cases {
            match builder.credentials(creds()).build() {
                Err(Error::Config { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: expected a config error, got {other:?}"),
            }
        }
    }

    #[test]
    fn request_client_suffix_is_appended() {
        let config = Config::builder()
            .credentials(crate::credentials::Credentials::new("AKID", "k"))
            .request_client_suffix("my-app 1.0")
            .build()
            .expect("valid");
        assert_eq!(
            config.request_client(),
            format!("{REQUEST_CLIENT};my-app 1.0")
        );
        assert!(REQUEST_CLIENT.starts_with("SDK_RUST_"));
    }
}
