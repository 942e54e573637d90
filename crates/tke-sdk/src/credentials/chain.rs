//! Provider chains.

use std::sync::{Arc, OnceLock};

use tke_signer::Credentials;

use super::{CvmRoleProvider, EnvProvider, OidcProvider, ProfileProvider, ProvideCredentials};
use crate::Error;
use crate::error::CredentialsErrorKind;

/// Tries providers in order and keeps the first that yields credentials.
///
/// A provider that is "not configured" (no variables, no file, no role) is skipped; any other
/// failure stops the chain and is returned. Once a provider has succeeded, the chain keeps
/// using it, so a later refresh failure of that provider is reported rather than silently
/// replaced by another identity.
#[derive(Debug)]
pub struct ChainProvider {
    providers: Vec<(&'static str, Arc<dyn ProvideCredentials>)>,
    chosen: OnceLock<usize>,
}

impl ChainProvider {
    /// A chain of named providers, tried in order.
    pub fn new(providers: Vec<(&'static str, Arc<dyn ProvideCredentials>)>) -> Self {
        Self {
            providers,
            chosen: OnceLock::new(),
        }
    }

    /// The name of the provider in use, once one has succeeded.
    pub fn chosen(&self) -> Option<&'static str> {
        self.chosen
            .get()
            .and_then(|i| self.providers.get(*i))
            .map(|(name, _)| *name)
    }
}

#[async_trait::async_trait]
impl ProvideCredentials for ChainProvider {
    async fn credentials(&self) -> Result<Credentials, Error> {
        if let Some((_, provider)) = self.chosen.get().and_then(|i| self.providers.get(*i)) {
            return provider.credentials().await;
        }
        let mut skipped = Vec::new();
        for (index, (name, provider)) in self.providers.iter().enumerate() {
            match provider.credentials().await {
                Ok(creds) => {
                    let _ = self.chosen.set(index);
                    tracing::debug!(provider = name, "credentials provider chosen");
                    return Ok(creds);
                }
                Err(e) if e.is_not_configured() => skipped.push(format!("{name}: {e}")),
                Err(e) => return Err(e),
            }
        }
        Err(Error::credentials(
            "default chain",
            CredentialsErrorKind::NotConfigured,
            format!("no provider has credentials ({})", skipped.join("; ")),
        ))
    }
}

/// The default chain: environment, profile file, TKE pod identity (OIDC), CVM instance role.
#[derive(Debug)]
pub struct DefaultChain {
    chain: ChainProvider,
}

impl Default for DefaultChain {
    fn default() -> Self {
        Self::new()
    }
}

impl DefaultChain {
    /// The chain with the real endpoints.
    pub fn new() -> Self {
        Self::with_providers(OidcProvider::from_env(), CvmRoleProvider::new())
    }

    /// The chain with custom OIDC and CVM role providers (e.g. pointed at local servers).
    pub fn with_providers(oidc: OidcProvider, cvm: CvmRoleProvider) -> Self {
        Self {
            chain: ChainProvider::new(vec![
                ("environment", Arc::new(EnvProvider::new())),
                ("profile file", Arc::new(ProfileProvider::new())),
                ("tke oidc", Arc::new(oidc)),
                ("cvm role", Arc::new(cvm)),
            ]),
        }
    }

    /// The name of the provider in use, once one has succeeded.
    pub fn chosen(&self) -> Option<&'static str> {
        self.chain.chosen()
    }
}

#[async_trait::async_trait]
impl ProvideCredentials for DefaultChain {
    async fn credentials(&self) -> Result<Credentials, Error> {
        self.chain.credentials().await
    }
}
