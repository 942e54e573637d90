//! The client: one generic typed call, a raw call, and the attempt loop behind both.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use serde::de::{DeserializeOwned, IgnoredAny};
use tke_models::envelope::{ErrorResponse, decode_response};
use tke_models::{Action, ApiResponse};
use tke_signer::{CONTENT_TYPE_JSON, Request, Signer};
use tracing::{Instrument, field};

use crate::clock::ClockSkew;
use crate::config::{Auth, Config};
use crate::error::{Error, ServiceError, TimeoutScope, TransportKind, excerpt};
use crate::retry::{classify, is_read_only_action};

/// The async TKE client. Cheap to clone (an `Arc` inside) and safe to share across tasks;
/// clones share the connection pool, the credential cache and the clock-skew correction.
///
/// ```no_run
/// use tke_sdk::{Client, Config};
/// use tke_models::tke::v20180525::DescribeClustersRequest;
///
/// # async fn run() -> Result<(), tke_sdk::Error> {
/// let client = Client::new(Config::from_env()?)?;
/// let clusters = client.call(&DescribeClustersRequest::default()).await?;
/// println!("{} clusters (request {})", clusters.total_count.unwrap_or(0), clusters.request_id);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    shared: Arc<Shared>,
    region: Option<Arc<str>>,
}

#[derive(Debug)]
struct Shared {
    config: Config,
    http: reqwest::Client,
    signer: Signer,
    skew: ClockSkew,
    request_client: HeaderValue,
}

/// What the attempt loop needs to know about a call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallSpec<'a> {
    pub(crate) service: &'a str,
    pub(crate) version: &'a str,
    pub(crate) action: &'a str,
    /// Read-only or carrying an idempotency token: safe to repeat.
    pub(crate) safe: bool,
}

/// Header names, built once.
static X_TC_REQUEST_CLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");

impl Client {
    /// A client for `config`.
    pub fn new(config: Config) -> Result<Self, Error> {
        let http = match &config.http_client {
            Some(client) => client.clone(),
            None => crate::http::build_http_client(config.timeouts.connect)?,
        };
        let request_client = HeaderValue::from_str(&config.request_client).map_err(|_| {
            Error::config(
                "request client",
                config.request_client.clone(),
                "not a valid header value",
            )
        })?;
        let signer = Signer::new().with_signed_headers(config.signed_headers.clone());
        let region = config.region.as_deref().map(Arc::from);
        let skew = ClockSkew::new(config.time_source.clone());
        Ok(Self {
            shared: Arc::new(Shared {
                config,
                http,
                signer,
                skew,
                request_client,
            }),
            region,
        })
    }

    /// A client from [`Config::from_env`].
    pub fn from_env() -> Result<Self, Error> {
        Self::new(Config::from_env()?)
    }

    /// The same client (shared pool and caches) sending to another region.
    #[must_use]
    pub fn with_region(&self, region: &str) -> Self {
        Self {
            shared: self.shared.clone(),
            region: (!region.is_empty()).then(|| Arc::from(region)),
        }
    }

    /// The region calls are sent to.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// The clock offset (server minus local, seconds) learnt from `AuthFailure.SignatureExpire`.
    pub fn clock_offset(&self) -> i64 {
        self.shared.skew.offset()
    }

    /// Calls any modelled action (TKE, CLB, ...) and returns its typed response.
    ///
    /// Retries follow the [`RetryPolicy`](crate::RetryPolicy); every attempt is signed afresh.
    /// When the action has an idempotency-token field (`A::IDEMPOTENCY_TOKEN`) and the request
    /// leaves it empty, a random token is filled in so retries cannot create duplicates.
    pub async fn call<A: Action>(&self, request: &A) -> Result<A::Response, Error> {
        let (body, has_token) = encode_request(request)?;
        let spec = CallSpec {
            service: A::SERVICE,
            version: A::VERSION,
            action: A::ACTION,
            safe: A::READ_ONLY || has_token,
        };
        self.execute(spec, body, |status, body| {
            let response: A::Response = decode_typed(A::ACTION, status, body)?;
            let id = response.request_id().to_owned();
            Ok((response, id))
        })
        .await
    }

    /// Calls an action that is not modelled: `params` is the JSON body, and the result is the
    /// content of `{"Response": {...}}`. Actions named `Describe*`, `Get*`, `List*`, `Check*`,
    /// `Inquire*`, `Query*` or `Search*`, and calls carrying a non-empty `ClientToken`, count as
    /// safe to retry.
    ///
    /// ```no_run
    /// # async fn run(client: tke_sdk::Client) -> Result<(), tke_sdk::Error> {
    /// let params = serde_json::json!({"ClusterIds": ["cls-abc"]});
    /// let response = client.call_raw("tke", "2018-05-25", "DescribeClusters", &params).await?;
    /// println!("{}", response["TotalCount"]);
    /// # Ok(()) }
    /// ```
    pub async fn call_raw(
        &self,
        service: &str,
        version: &str,
        action: &str,
        params: &serde_json::Value,
    ) -> Result<serde_json::Value, Error> {
        let body = serde_json::to_vec(params)
            .map_err(|e| Error::config("request body", action, format!("cannot serialize: {e}")))?;
        let has_token = params
            .get("ClientToken")
            .and_then(serde_json::Value::as_str)
            .is_some_and(|t| !t.is_empty());
        let spec = CallSpec {
            service,
            version,
            action,
            safe: is_read_only_action(action) || has_token,
        };
        self.execute(spec, Bytes::from(body), |status, body| {
            let value: serde_json::Value = decode_typed(action, status, body)?;
            let id = value
                .get("RequestId")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_owned();
            Ok((value, id))
        })
        .await
    }

    /// Runs a call: the operation timeout around the attempt loop, inside a tracing span.
    pub(crate) async fn execute<T>(
        &self,
        spec: CallSpec<'_>,
        body: Bytes,
        decode: impl Fn(u16, &[u8]) -> Result<(T, String), Error>,
    ) -> Result<T, Error> {
        let span = tracing::info_span!(
            "tke.call",
            service = spec.service,
            action = spec.action,
            version = spec.version,
            region = self.region.as_deref().unwrap_or(""),
            attempts = field::Empty,
            request_id = field::Empty,
            outcome = field::Empty,
            latency_ms = field::Empty,
        );
        let started = Instant::now();
        let operation = self.shared.config.timeouts.operation;
        let deadline = tokio::time::Instant::now() + operation;
        let mut attempts = 0u32;
        let result = async {
            match tokio::time::timeout_at(
                deadline,
                self.attempt_loop(spec, &body, &decode, deadline, &mut attempts),
            )
            .await
            {
                Ok(result) => result,
                Err(_) => Err(Error::Timeout {
                    action: spec.action.to_owned(),
                    scope: TimeoutScope::Operation,
                    after: operation,
                }),
            }
        }
        .instrument(span.clone())
        .await;
        span.record("attempts", attempts);
        span.record("latency_ms", elapsed_ms(started));
        match &result {
            Ok((_, request_id)) => {
                span.record("request_id", request_id.as_str());
                span.record("outcome", "ok");
            }
            Err(error) => {
                if let Some(id) = error.request_id() {
                    span.record("request_id", id);
                }
                span.record("outcome", outcome(error).as_str());
            }
        }
        span.in_scope(|| match &result {
            Ok(_) => tracing::debug!("call succeeded"),
            Err(error) => tracing::debug!(error = %error, "call failed"),
        });
        result.map(|(value, _)| value)
    }

    async fn attempt_loop<T>(
        &self,
        spec: CallSpec<'_>,
        body: &Bytes,
        decode: &impl Fn(u16, &[u8]) -> Result<(T, String), Error>,
        deadline: tokio::time::Instant,
        attempts: &mut u32,
    ) -> Result<(T, String), Error> {
        let policy = self.shared.config.retry;
        let mut retries = 0u32;
        let mut skew_retry_done = false;
        // The clock-skew retry is outside the retry budget.
        let mut bonus_attempts = 0u32;
        loop {
            *attempts += 1;
            let attempt_span = tracing::debug_span!(
                "tke.attempt",
                action = spec.action,
                attempt = *attempts,
                status = field::Empty,
                request_id = field::Empty,
                outcome = field::Empty,
                latency_ms = field::Empty,
            );
            let started = Instant::now();
            let (result, server_date) = self
                .attempt(spec, body, decode)
                .instrument(attempt_span.clone())
                .await;
            attempt_span.record("latency_ms", elapsed_ms(started));
            let error = match result {
                Ok((value, request_id)) => {
                    attempt_span.record("request_id", request_id.as_str());
                    attempt_span.record("outcome", "ok");
                    return Ok((value, request_id));
                }
                Err(error) => error,
            };
            attempt_span.record("outcome", outcome(&error).as_str());
            if let Some(id) = error.request_id() {
                attempt_span.record("request_id", id);
            }
            if let Some(status) = error.service_error().map(|e| e.http_status) {
                attempt_span.record("status", status);
            }
            // Clock skew: learn the server's time and retry once, outside the retry budget.
            if error.code() == Some("AuthFailure.SignatureExpire") && !skew_retry_done {
                skew_retry_done = true;
                if let Some(offset) = server_date
                    .as_deref()
                    .and_then(|d| self.shared.skew.learn_from_date(d))
                {
                    tracing::warn!(
                        offset_seconds = offset,
                        "signature expired: local clock is off; correcting and retrying"
                    );
                    bonus_attempts = 1;
                    continue;
                }
            }
            let reason = classify(&error, spec.safe);
            if reason.is_none() || *attempts - bonus_attempts >= policy.max_attempts() {
                return Err(error);
            }
            retries += 1;
            let delay = policy.delay_before(retries);
            if tokio::time::Instant::now() + delay >= deadline {
                // Sleeping would cross the operation deadline: report the real failure instead
                // of a timeout.
                return Err(error);
            }
            tracing::debug!(?reason, delay_ms = elapsed_ms_of(delay), error = %error, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// One attempt: credentials, a fresh signature, send, receive the whole body, decode.
    /// Also returns the response's `Date` header (for clock-skew correction).
    async fn attempt<T>(
        &self,
        spec: CallSpec<'_>,
        body: &Bytes,
        decode: &impl Fn(u16, &[u8]) -> Result<(T, String), Error>,
    ) -> (Result<(T, String), Error>, Option<String>) {
        let shared = &*self.shared;
        let request = match self.build_request(spec, body).await {
            Ok(r) => r,
            Err(e) => return (Err(e), None),
        };
        let attempt_timeout = shared.config.timeouts.attempt;
        let exchange = async {
            let response = request.send().await?;
            let status = response.status().as_u16();
            let date = response
                .headers()
                .get(reqwest::header::DATE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let bytes = response.bytes().await;
            Ok::<_, reqwest::Error>((status, date, bytes))
        };
        match tokio::time::timeout(attempt_timeout, exchange).await {
            Err(_) => (
                Err(Error::Timeout {
                    action: spec.action.to_owned(),
                    scope: TimeoutScope::Attempt,
                    after: attempt_timeout,
                }),
                None,
            ),
            Ok(Err(e)) => (Err(transport_error(spec.action, e)), None),
            Ok(Ok((_, date, Err(e)))) => (
                Err(Error::Transport {
                    action: spec.action.to_owned(),
                    kind: TransportKind::Interrupted,
                    source: e,
                }),
                date,
            ),
            Ok(Ok((status, date, Ok(bytes)))) => {
                tracing::Span::current().record("status", status);
                (decode(status, &bytes), date)
            }
        }
    }

    /// Builds the HTTP request of one attempt, signed at the (skew-corrected) current time.
    async fn build_request(
        &self,
        spec: CallSpec<'_>,
        body: &Bytes,
    ) -> Result<reqwest::RequestBuilder, Error> {
        let shared = &*self.shared;
        let config = &shared.config;
        let region = self.region.as_deref().unwrap_or("");
        let target = config
            .endpoint
            .resolve(spec.service, self.region.as_deref());
        let mut headers = reqwest::header::HeaderMap::with_capacity(12);
        headers.insert(reqwest::header::HOST, header_value("Host", &target.host)?);
        headers.insert(
            reqwest::header::CONTENT_TYPE,
            HeaderValue::from_static(CONTENT_TYPE_JSON),
        );
        headers.insert(X_TC_REQUEST_CLIENT.clone(), shared.request_client.clone());
        let timestamp = shared.skew.now();
        match &config.auth {
            Auth::Provider(provider) => {
                let credentials = provider.credentials().await?;
                let mut request = Request::post(&target.host, spec.action, spec.version, body)
                    .with_service(spec.service)
                    .region(region)
                    .header("X-TC-RequestClient", &config.request_client);
                if let Some(language) = config.language {
                    request = request.language(language.as_str());
                }
                let signed = shared
                    .signer
                    .sign(&credentials, &request, timestamp)
                    .map_err(|e| Error::config("request", spec.action, e.to_string()))?;
                for h in signed.headers() {
                    let mut value = header_value(h.name, h.value)?;
                    value.set_sensitive(h.sensitive || h.name == "Authorization");
                    let name = HeaderName::from_bytes(h.name.as_bytes()).map_err(|_| {
                        Error::config("header name", h.name, "not a valid HTTP header name")
                    })?;
                    headers.insert(name, value);
                }
            }
            Auth::Skip => {
                headers.insert(
                    reqwest::header::AUTHORIZATION,
                    HeaderValue::from_static("SKIP"),
                );
                headers.insert("x-tc-action", header_value("X-TC-Action", spec.action)?);
                headers.insert("x-tc-version", header_value("X-TC-Version", spec.version)?);
                headers.insert(
                    "x-tc-timestamp",
                    header_value("X-TC-Timestamp", &timestamp.to_string())?,
                );
                if !region.is_empty() {
                    headers.insert("x-tc-region", header_value("X-TC-Region", region)?);
                }
                if let Some(language) = config.language {
                    headers.insert("x-tc-language", HeaderValue::from_static(language.as_str()));
                }
            }
        }
        Ok(shared
            .http
            .post(&target.url)
            .headers(headers)
            .body(body.clone()))
    }
}

fn header_value(name: &'static str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| {
        Error::config(
            name,
            value.chars().take(128).collect::<String>(),
            "not a valid HTTP header value",
        )
    })
}

fn transport_error(action: &str, e: reqwest::Error) -> Error {
    let kind = if e.is_builder() {
        TransportKind::Other
    } else if e.is_connect() {
        TransportKind::Connect
    } else {
        TransportKind::Interrupted
    };
    Error::Transport {
        action: action.to_owned(),
        kind,
        source: e,
    }
}

/// Serializes a typed request; fills an empty idempotency token. Returns the body and whether
/// it carries a token.
fn encode_request<A: Action>(request: &A) -> Result<(Bytes, bool), Error> {
    let serialize_error = |e: serde_json::Error| {
        Error::config("request body", A::ACTION, format!("cannot serialize: {e}"))
    };
    let Some(field) = A::IDEMPOTENCY_TOKEN else {
        return Ok((
            Bytes::from(serde_json::to_vec(request).map_err(serialize_error)?),
            false,
        ));
    };
    let mut value = serde_json::to_value(request).map_err(serialize_error)?;
    if let Some(object) = value.as_object_mut() {
        let present = object
            .get(field)
            .and_then(serde_json::Value::as_str)
            .is_some_and(|t| !t.is_empty());
        if !present {
            object.insert(field.to_owned(), serde_json::Value::String(random_token()));
        }
    }
    Ok((
        Bytes::from(serde_json::to_vec(&value).map_err(serialize_error)?),
        true,
    ))
}

/// A random 32-hex-digit idempotency token.
pub(crate) fn random_token() -> String {
    use rand::Rng;
    let bits: u128 = rand::rng().random();
    format!("{bits:032x}")
}

/// Decodes a response body: the typed success, or the matching error.
pub(crate) fn decode_typed<T: DeserializeOwned>(
    action: &str,
    status: u16,
    body: &[u8],
) -> Result<T, Error> {
    let service_error = |e: ErrorResponse| {
        Error::Service(ServiceError {
            code: e.error.code,
            message: e.error.message,
            request_id: e.request_id,
            action: action.to_owned(),
            http_status: status,
        })
    };
    match decode_response::<T>(body) {
        Ok(Ok(value)) if (200..300).contains(&status) => Ok(value),
        Ok(Ok(_)) => Err(Error::HttpStatus {
            action: action.to_owned(),
            status,
            excerpt: excerpt(body),
        }),
        Ok(Err(e)) => Err(service_error(e)),
        Err(decode_error) => {
            // An error envelope the typed response cannot hold (required fields missing).
            if let Ok(Err(e)) = decode_response::<IgnoredAny>(body) {
                return Err(service_error(e));
            }
            if !(200..300).contains(&status) {
                return Err(Error::HttpStatus {
                    action: action.to_owned(),
                    status,
                    excerpt: excerpt(body),
                });
            }
            Err(Error::Decode {
                action: action.to_owned(),
                reason: sanitize_serde_error(&decode_error),
                excerpt: excerpt(body),
                truncated: decode_error.is_eof(),
            })
        }
    }
}

/// serde_json messages may quote values from the body (`invalid type: string "..."`); drop
/// quoted parts so a secret in a mistyped field cannot reach the error.
fn sanitize_serde_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None => {
                out.push(c);
                if c == '"' || c == '`' {
                    quote = Some(c);
                }
            }
        }
    }
    if quote.is_some() {
        out.push('…');
    }
    out
}

/// A short outcome label for tracing: `ok`, the service code, or the error class.
fn outcome(error: &Error) -> String {
    match error {
        Error::Service(e) => e.code.clone(),
        Error::Transport { kind, .. } => format!("transport:{kind:?}"),
        Error::HttpStatus { status, .. } => format!("http:{status}"),
        Error::Timeout { scope, .. } => format!("timeout:{scope:?}"),
        Error::Decode { .. } => "decode".to_owned(),
        Error::Credentials { .. } => "credentials".to_owned(),
        Error::Config { .. } => "config".to_owned(),
        Error::PaginationLimit { .. } => "pagination".to_owned(),
        Error::Waiter { .. } => "waiter".to_owned(),
    }
}

fn elapsed_ms(started: Instant) -> u64 {
    elapsed_ms_of(started.elapsed())
}

fn elapsed_ms_of(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_table() {
        let ok = br#"{"Response":{"TotalCount":1,"RequestId":"r1"}}"#;
        let v: serde_json::Value = decode_typed("A", 200, ok).expect("ok");
        assert_eq!(v["TotalCount"], 1);

        let err = br#"{"Response":{"Error":{"Code":"InvalidParameter","Message":"bad"},"RequestId":"r2"}}"#;
        match decode_typed::<serde_json::Value>("A", 200, err) {
            Err(Error::Service(e)) => {
                assert_eq!(
                    (e.code.as_str(), e.request_id.as_str()),
                    ("InvalidParameter", "r2")
                );
            }
            other => panic!("{other:?}"),
        }
        // A typed response with a required field still sees the error envelope.
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Strict {
            #[serde(rename = "Required")]
            required: u32,
        }
        assert!(matches!(
            decode_typed::<Strict>("A", 200, err),
            Err(Error::Service(_))
        ));
        match decode_typed::<Strict>("A", 200, br#"{"Response":{"Required":"secret-value"}}"#) {
            Err(Error::Decode {
                reason, truncated, ..
            }) => {
                assert!(!truncated);
                assert!(!reason.contains("secret-value"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        match decode_typed::<serde_json::Value>("A", 200, br#"{"Response":{"Total"#) {
            Err(Error::Decode { truncated, .. }) => assert!(truncated),
            other => panic!("{other:?}"),
        }
        match decode_typed::<serde_json::Value>("A", 200, b"<html>oops</html>") {
            Err(Error::Decode {
                truncated, excerpt, ..
            }) => {
                assert!(!truncated);
                assert!(excerpt.contains("oops"));
            }
            other => panic!("{other:?}"),
        }
        match decode_typed::<serde_json::Value>("A", 502, b"<html>bad gateway</html>") {
            Err(Error::HttpStatus { status: 502, .. }) => {}
            other => panic!("{other:?}"),
        }
        match decode_typed::<serde_json::Value>("A", 503, err) {
            Err(Error::Service(e)) => assert_eq!(e.http_status, 503),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn tokens_are_random_hex() {
        let a = random_token();
        let b = random_token();
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
    }
}
