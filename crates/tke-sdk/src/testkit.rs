//! A mock TKE endpoint for tests (feature `test-util`).
//!
//! [`MockTke`] runs a local [`wiremock`] server that routes requests by `X-TC-Action`, answers
//! with typed responses, error envelopes, raw bodies, sequences and delays, **verifies the
//! TC3 signature of every request** with `tke-signer`, records what it received, and reports
//! unexpected calls and bad signatures (it panics on drop if there were any, unless
//! [`MockTke::allow_unexpected`] was called).
//!
//! ```
//! use tke_sdk::testkit::{MockTke, Reply};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), tke_sdk::Error> {
//! let mock = MockTke::start().await;
//! mock.on("DescribeClusters").replies([
//!     Reply::error("RequestLimitExceeded", "slow down"),
//!     Reply::json(serde_json::json!({"TotalCount": 0, "Clusters": []})),
//! ]);
//! let client = mock.client();
//! let response = client
//!     .call_raw("tke", "2018-05-25", "DescribeClusters", &serde_json::json!({}))
//!     .await?;
//! assert_eq!(response["TotalCount"], 0);
//! assert_eq!(mock.received_for("DescribeClusters").len(), 2); // throttled, then retried
//! # Ok(()) }
//! ```

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use tke_signer::{ReceivedRequest, Verifier};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

use crate::clock::format_http_date;
use crate::credentials::Credentials;
use crate::{Client, Config, ConfigBuilder, Endpoint, Error, RetryPolicy};

/// One canned answer.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    body: ReplyBody,
    delay: Option<Duration>,
}

#[derive(Debug, Clone)]
enum ReplyBody {
    /// Fields of `Response`; `RequestId` is added when missing.
    Json(Value),
    /// An error envelope.
    Error { code: String, message: String },
    /// Bytes as they are (malformed or truncated bodies, HTML error pages).
    Raw(Vec<u8>),
}

impl Reply {
    /// A success: `fields` become the content of `{"Response": {...}}` (a `RequestId` is added
    /// when missing).
    pub fn json(fields: Value) -> Self {
        Self {
            status: 200,
            body: ReplyBody::Json(fields),
            delay: None,
        }
    }

    /// A success from a typed response (anything serializing to the `Response` object).
    pub fn typed<T: Serialize>(response: &T) -> Self {
        Self::json(serde_json::to_value(response).unwrap_or(Value::Null))
    }

    /// An error envelope with HTTP 200, as TKE sends it.
    pub fn error(code: &str, message: &str) -> Self {
        Self {
            status: 200,
            body: ReplyBody::Error {
                code: code.to_owned(),
                message: message.to_owned(),
            },
            delay: None,
        }
    }

    /// A raw body with the given HTTP status.
    pub fn raw(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            body: ReplyBody::Raw(body.into()),
            delay: None,
        }
    }

    /// Answers after `delay`.
    #[must_use]
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Uses another HTTP status.
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }
}

/// A request the mock received.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// `X-TC-Action`.
    pub action: String,
    /// `X-TC-Version`.
    pub version: String,
    /// `X-TC-Region`, if sent.
    pub region: Option<String>,
    /// `X-TC-Timestamp` as sent.
    pub timestamp: i64,
    /// Every header, names lower-case (values as received; the token included).
    pub headers: Vec<(String, String)>,
    /// Body bytes as received.
    pub body: Vec<u8>,
    /// Whether the TC3 signature verified (or `Authorization: SKIP` where allowed).
    pub signature_ok: bool,
}

impl RecordedRequest {
    /// The body parsed as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// A header value by (case-insensitive) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Default)]
struct Route {
    queue: VecDeque<Reply>,
    last: Option<Reply>,
}

impl Route {
    /// The next reply of a sequence; the last one repeats.
    fn next(&mut self) -> Option<Reply> {
        match self.queue.pop_front() {
            Some(reply) => {
                if self.queue.is_empty() {
                    self.last = Some(reply.clone());
                }
                Some(reply)
            }
            None => self.last.clone(),
        }
    }
}

#[derive(Debug, Default)]
struct State {
    routes: HashMap<String, Route>,
    received: Vec<RecordedRequest>,
    problems: Vec<String>,
    clock_offset: i64,
    credentials: Vec<Credentials>,
    request_ids: u64,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|p| p.into_inner())
}

/// Builder of the replies for one action; see [`MockTke::on`].
#[derive(Debug)]
pub struct RouteBuilder<'a> {
    state: &'a Mutex<State>,
    action: String,
}

impl RouteBuilder<'_> {
    /// Always answers `reply`.
    pub fn reply(self, reply: Reply) {
        self.replies([reply]);
    }

    /// Answers the replies in order; the last one repeats.
    pub fn replies(self, replies: impl IntoIterator<Item = Reply>) {
        let route = Route {
            queue: replies.into_iter().collect(),
            last: None,
        };
        lock(self.state).routes.insert(self.action, route);
    }

    /// Always answers a success with these `Response` fields.
    pub fn reply_json(self, fields: Value) {
        self.reply(Reply::json(fields));
    }

    /// Always answers this typed response.
    pub fn reply_typed<T: Serialize>(self, response: &T) {
        self.reply(Reply::typed(response));
    }

    /// Always answers this error envelope.
    pub fn reply_error(self, code: &str, message: &str) {
        self.reply(Reply::error(code, message));
    }
}

/// A mock TKE (or any Tencent Cloud API 3.0 service) endpoint; see the [module docs](self).
#[derive(Debug)]
pub struct MockTke {
    server: MockServer,
    state: Arc<Mutex<State>>,
    credentials: Credentials,
    url: url::Url,
    allow_unexpected: bool,
}

/// The SecretId of the mock's default credentials.
pub const MOCK_SECRET_ID: &str = "AKIDmockTKE000000000000000000000000";
const MOCK_SECRET_KEY: &str = "mock-secret-key-never-leaves-tests";

struct Responder {
    state: Arc<Mutex<State>>,
    verifier: Verifier,
}

impl Respond for Responder {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let headers: Vec<(String, String)> = request
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        let action = header("x-tc-action").unwrap_or_default();
        let mut state = lock(&self.state);
        let server_now = tke_signer::unix_now() + state.clock_offset;

        let pairs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let received = ReceivedRequest {
            method: request.method.as_str(),
            query: request.url.query().unwrap_or(""),
            headers: &pairs,
            body: &request.body,
        };
        let verdict = if header("authorization").as_deref() == Some("SKIP") {
            if action == "AssumeRoleWithWebIdentity" {
                Ok(())
            } else {
                Err((
                    "AuthFailure.InvalidAuthorization",
                    "SKIP is only for AssumeRoleWithWebIdentity".to_owned(),
                ))
            }
        } else {
            let known = state.credentials.clone();
            match self.verifier.verify(
                &received,
                |id| known.iter().find(|c| c.secret_id() == id).cloned(),
                server_now,
            ) {
                Ok(_) => Ok(()),
                Err(tke_signer::Error::Expired { .. }) => Err((
                    "AuthFailure.SignatureExpire",
                    "signature expired: the request timestamp is too far from the server time"
                        .to_owned(),
                )),
                Err(tke_signer::Error::UnknownSecretId { .. }) => Err((
                    "AuthFailure.SecretIdNotFound",
                    "unknown SecretId".to_owned(),
                )),
                Err(e) => Err(("AuthFailure.SignatureFailure", e.to_string())),
            }
        };
        state.received.push(RecordedRequest {
            action: action.clone(),
            version: header("x-tc-version").unwrap_or_default(),
            region: header("x-tc-region"),
            timestamp: header("x-tc-timestamp")
                .and_then(|t| t.parse().ok())
                .unwrap_or_default(),
            headers: headers.clone(),
            body: request.body.clone(),
            signature_ok: verdict.is_ok(),
        });
        state.request_ids += 1;
        let request_id = format!("mock-{:08}", state.request_ids);
        let date = format_http_date(server_now);

        let reply = match verdict {
            Err((code, message)) => {
                if code != "AuthFailure.SignatureExpire" {
                    state
                        .problems
                        .push(format!("{action}: bad signature ({code}: {message})"));
                }
                Reply::error(code, &message)
            }
            Ok(()) => match state.routes.get_mut(&action).and_then(Route::next) {
                Some(reply) => reply,
                None => {
                    state.problems.push(format!(
                        "unexpected call to `{action}` (no reply registered)"
                    ));
                    Reply::error(
                        "InvalidAction",
                        &format!("mock: no reply registered for `{action}`"),
                    )
                }
            },
        };
        drop(state);
        let body = match reply.body {
            ReplyBody::Json(mut fields) => {
                if let Some(object) = fields.as_object_mut() {
                    object
                        .entry("RequestId")
                        .or_insert_with(|| Value::String(request_id));
                }
                serde_json::to_vec(&serde_json::json!({ "Response": fields })).unwrap_or_default()
            }
            ReplyBody::Error { code, message } => serde_json::to_vec(&serde_json::json!({
                "Response": {"Error": {"Code": code, "Message": message}, "RequestId": request_id}
            }))
            .unwrap_or_default(),
            ReplyBody::Raw(bytes) => bytes,
        };
        let mut template = ResponseTemplate::new(reply.status)
            .insert_header("Date", date.as_str())
            .set_body_raw(body, "application/json");
        if let Some(delay) = reply.delay {
            template = template.set_delay(delay);
        }
        template
    }
}

impl MockTke {
    /// Starts a mock on a random local port.
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        let credentials = Credentials::new(MOCK_SECRET_ID, MOCK_SECRET_KEY);
        let state = Arc::new(Mutex::new(State {
            credentials: vec![credentials.clone()],
            ..State::default()
        }));
        Mock::given(wiremock::matchers::any())
            .respond_with(Responder {
                state: state.clone(),
                verifier: Verifier::new(),
            })
            .mount(&server)
            .await;
        let url = url::Url::parse(&server.uri()).expect("wiremock's URI is a valid URL");
        Self {
            server,
            state,
            credentials,
            url,
            allow_unexpected: false,
        }
    }

    /// The base URL, e.g. `http://127.0.0.1:54321`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Registers the replies of an action.
    pub fn on(&self, action: &str) -> RouteBuilder<'_> {
        RouteBuilder {
            state: &self.state,
            action: action.to_owned(),
        }
    }

    /// Registers a typed response for a typed request type.
    pub fn on_action<A: tke_models::Action>(&self, response: &A::Response)
    where
        A::Response: Serialize,
    {
        self.on(A::ACTION).reply_typed(response);
    }

    /// The credentials the mock accepts by default (the ones [`MockTke::client`] uses).
    pub fn credentials(&self) -> Credentials {
        self.credentials.clone()
    }

    /// Accepts signatures by these credentials too (e.g. temporary credentials a mocked STS
    /// handed out).
    pub fn accept_credentials(&self, credentials: Credentials) {
        lock(&self.state).credentials.push(credentials);
    }

    /// Makes the server's clock run `seconds` ahead of (or, negative, behind) the local one:
    /// requests signed more than 5 minutes away from it fail with
    /// `AuthFailure.SignatureExpire`, and the `Date` header shows the server's time.
    pub fn set_clock_offset(&self, seconds: i64) {
        lock(&self.state).clock_offset = seconds;
    }

    /// Serves canned responses from an examples fixture
    /// (`[{"action", "input", "output": {"Response": ...}}]`, as the models generator writes
    /// to `crates/tke-models/fixtures/`): the first example of each action. Returns the number
    /// of actions registered.
    pub fn serve_examples(&self, fixture_json: &str) -> Result<usize, Error> {
        let examples: Vec<Value> = serde_json::from_str(fixture_json)
            .map_err(|e| Error::config("examples fixture", "", e.to_string()))?;
        let mut count = 0;
        for example in examples {
            let (Some(action), Some(output)) = (
                example.get("action").and_then(Value::as_str),
                example.get("output"),
            ) else {
                continue;
            };
            let mut state = lock(&self.state);
            if state.routes.contains_key(action) {
                continue;
            }
            let body = serde_json::to_vec(output).unwrap_or_default();
            state.routes.insert(
                action.to_owned(),
                Route {
                    queue: VecDeque::from([Reply::raw(200, body)]),
                    last: None,
                },
            );
            count += 1;
        }
        Ok(count)
    }

    /// Every request received, in order.
    pub fn received(&self) -> Vec<RecordedRequest> {
        lock(&self.state).received.clone()
    }

    /// The requests received for one action.
    pub fn received_for(&self, action: &str) -> Vec<RecordedRequest> {
        lock(&self.state)
            .received
            .iter()
            .filter(|r| r.action == action)
            .cloned()
            .collect()
    }

    /// Unexpected calls and bad signatures seen so far.
    pub fn problems(&self) -> Vec<String> {
        lock(&self.state).problems.clone()
    }

    /// Panics if there were unexpected calls or bad signatures.
    pub fn assert_no_problems(&self) {
        let problems = self.problems();
        assert!(problems.is_empty(), "mock TKE problems: {problems:#?}");
    }

    /// Does not panic on drop for unexpected calls or bad signatures (tests that provoke them).
    pub fn allow_unexpected(&mut self) {
        self.allow_unexpected = true;
    }

    /// A config builder pointed at the mock: its URL, region `ap-guangzhou`, the mock's
    /// credentials, fast retries (1 ms base delay) and a 10 s attempt timeout.
    pub fn config_builder(&self) -> ConfigBuilder {
        Config::builder()
            .endpoint(Endpoint::Custom(self.url.clone()))
            .region("ap-guangzhou")
            .credentials(self.credentials.clone())
            .retry(
                RetryPolicy::default()
                    .with_base_delay(Duration::from_millis(1))
                    .with_max_delay(Duration::from_millis(20)),
            )
            .attempt_timeout(Duration::from_secs(10))
    }

    /// A client pointed at the mock (see [`MockTke::config_builder`]).
    ///
    /// # Panics
    /// If the client cannot be built (it always can with the mock's settings).
    pub fn client(&self) -> Client {
        match self.config_builder().build().and_then(Client::new) {
            Ok(client) => client,
            Err(e) => panic!("cannot build a client for the mock: {e}"),
        }
    }
}

impl Drop for MockTke {
    fn drop(&mut self) {
        if self.allow_unexpected || std::thread::panicking() {
            return;
        }
        let problems = lock(&self.state).problems.clone();
        if !problems.is_empty() {
            panic!("mock TKE saw problems (call allow_unexpected() to permit): {problems:#?}");
        }
    }
}
