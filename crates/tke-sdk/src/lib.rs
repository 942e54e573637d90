//! The async client for Tencent Kubernetes Engine (TKE): configuration, a credential chain,
//! retries with fresh signatures, timeouts, pagination streams, waiters, one error type,
//! tracing, and a mock-API test kit (feature `test-util`).
//!
//! ```
//! use tke_sdk::models::tke::v20180525::DescribeClustersRequest;
//! use tke_sdk::testkit::MockTke;
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), tke_sdk::Error> {
//! // In production: `let client = tke_sdk::Client::from_env()?;`
//! let mock = MockTke::start().await;
//! mock.on("DescribeClusters")
//!     .reply_json(serde_json::json!({"TotalCount": 1, "Clusters": [{"ClusterId": "cls-1"}]}));
//! let client = mock.client();
//!
//! let request = DescribeClustersRequest::default().limit(20);
//! let response = client.call(&request).await?; // typed request in, typed response out
//! assert_eq!(response.clusters[0].cluster_id.as_deref(), Some("cls-1"));
//! assert_eq!(mock.received().len(), 1); // the mock checked the TC3 signature too
//! # Ok(()) }
//! ```
//!
//! Features: `tke-v20180525` (default), `tke-v20220501`, `clb-v20180317` enable the typed
//! models (re-exported as [`models`]); `test-util` enables [`testkit`].
//!
//! # Calling actions
//! - [`Client::call`] takes any generated request type (`tke_models::tke::v20180525::*Request`,
//!   CLB, ...) and returns its typed response.
//! - [`Client::call_raw`] takes a service, version, action and JSON body for anything not
//!   modelled.
//! - [`Client::pages`] and [`Client::items`] stream paged actions; the `wait_*` methods wait
//!   for clusters, node pools and instances.
//!
//! # Behaviour
//! - Every attempt is signed afresh; retries follow [`RetryPolicy`] (throttling, 5xx, 429 and
//!   connection failures always; `InternalError` and interrupted exchanges only for read-only or
//!   idempotent calls); `LimitExceeded`, auth and parameter errors never.
//! - `AuthFailure.SignatureExpire` makes the client learn the server's clock from the `Date`
//!   header and retry once.
//! - Secrets never appear in `Debug`, errors or tracing fields.
#![forbid(unsafe_code)]

mod client;
mod clock;
mod config;
pub mod credentials;
mod error;
mod http;
mod paginate;
mod retry;
#[cfg(feature = "test-util")]
pub mod testkit;
mod waiter;

pub use client::Client;
pub use clock::TimeSource;
pub use config::{Config, ConfigBuilder, Endpoint, Language, REQUEST_CLIENT, Timeouts};
pub use error::{CredentialsErrorKind, Error, ServiceError, TimeoutScope, TransportKind};
pub use paginate::{DEFAULT_PAGE_SIZE, MAX_PAGES};
pub use retry::{RetryPolicy, RetryReason, is_read_only_action};
pub use waiter::{Poll, WaitConfig, wait_for};

/// The typed models (`tke_models`), re-exported.
pub use tke_models as models;
