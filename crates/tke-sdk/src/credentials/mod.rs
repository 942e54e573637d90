//! Credential providers: static, environment, profile file, TKE pod identity (OIDC), CVM
//! instance role, STS AssumeRole, and the default chain.
//!
//! Temporary credentials (OIDC, CVM role, AssumeRole) are cached and refreshed when fewer than
//! 300 s remain, with a single refresh in flight; a failed refresh is returned to the caller.
//!
//! ```
//! use tke_sdk::credentials::{Credentials, ProvideCredentials};
//! # tokio_test_block(async {
//! let provider = Credentials::new("AKIDexample", "secret");
//! let creds = provider.credentials().await?;
//! assert_eq!(creds.secret_id(), "AKIDexample");
//! # Ok::<(), tke_sdk::Error>(())
//! # });
//! # fn tokio_test_block<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
//! # }
//! ```

mod cache;
mod chain;
mod cvm;
mod env;
mod oidc;
mod profile;
mod sts;

use std::fmt;

pub use chain::{ChainProvider, DefaultChain};
pub use cvm::{CvmRoleProvider, DEFAULT_METADATA_URL};
pub use env::EnvProvider;
pub use oidc::OidcProvider;
pub use oidc::OidcSettings;
pub use profile::ProfileProvider;
pub use sts::{AssumeRoleProvider, DEFAULT_DURATION_SECS, MAX_DURATION_SECS};
pub use tke_signer::Credentials;

use crate::Error;

/// A source of credentials. Implement it for your own source; [`Credentials`] itself is the
/// static provider.
#[async_trait::async_trait]
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Current credentials (possibly cached).
    async fn credentials(&self) -> Result<Credentials, Error>;
}

#[async_trait::async_trait]
impl ProvideCredentials for Credentials {
    async fn credentials(&self) -> Result<Credentials, Error> {
        Ok(self.clone())
    }
}

#[async_trait::async_trait]
impl<P: ProvideCredentials + ?Sized> ProvideCredentials for std::sync::Arc<P> {
    async fn credentials(&self) -> Result<Credentials, Error> {
        (**self).credentials().await
    }
}

/// Reads an environment variable, treating empty as unset.
pub(crate) fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The STS API version used by AssumeRole and AssumeRoleWithWebIdentity.
pub(crate) const STS_VERSION: &str = "2018-08-13";
