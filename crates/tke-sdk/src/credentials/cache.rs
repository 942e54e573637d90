//! Caching of temporary credentials with a single refresh in flight.

use std::sync::RwLock;

use tke_signer::Credentials;

use crate::Error;

/// Temporary credentials and when they expire (Unix seconds).
#[derive(Debug, Clone)]
pub(crate) struct Expiring {
    pub(crate) credentials: Credentials,
    pub(crate) expires_at: i64,
}

/// Refresh when fewer than this many seconds remain (spec §5).
pub(crate) const REFRESH_BEFORE_SECS: i64 = 300;

/// A cache of one set of temporary credentials.
///
/// Readers take a short read lock; a refresh holds an async mutex so concurrent callers wait
/// for the one refresh in flight instead of starting their own.
#[derive(Debug, Default)]
pub(crate) struct CredentialCache {
    current: RwLock<Option<Expiring>>,
    refresh: tokio::sync::Mutex<()>,
}

impl CredentialCache {
    fn fresh(&self, now: i64) -> Option<Credentials> {
        let guard = self.current.read().unwrap_or_else(|p| p.into_inner());
        guard
            .as_ref()
            .filter(|c| c.expires_at - now > REFRESH_BEFORE_SECS)
            .map(|c| c.credentials.clone())
    }

    /// Cached credentials if fresh, else the result of `fetch` (stored on success; a failure is
    /// returned and the next call tries again).
    pub(crate) async fn get_or_refresh<F, Fut>(&self, fetch: F) -> Result<Credentials, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Expiring, Error>>,
    {
        if let Some(c) = self.fresh(tke_signer::unix_now()) {
            return Ok(c);
        }
        let _refreshing = self.refresh.lock().await;
        // Another task may have refreshed while this one waited.
        if let Some(c) = self.fresh(tke_signer::unix_now()) {
            return Ok(c);
        }
        let fetched = fetch().await?;
        let credentials = fetched.credentials.clone();
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some(fetched);
        Ok(credentials)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_refresh_in_flight() {
        let cache = Arc::new(CredentialCache::default());
        let fetches = Arc::new(AtomicU32::new(0));
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let cache = cache.clone();
            let fetches = fetches.clone();
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_refresh(|| async {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        Ok(Expiring {
                            credentials: Credentials::new("AKID", "k"),
                            expires_at: tke_signer::unix_now() + 3600,
                        })
                    })
                    .await
            }));
        }
        for t in tasks {
            assert_eq!(t.await.expect("join").expect("creds").secret_id(), "AKID");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn near_expiry_refreshes_and_failure_is_returned() {
        let cache = CredentialCache::default();
        let soon = || async {
            Ok(Expiring {
                credentials: Credentials::new("AKID1", "k"),
                expires_at: tke_signer::unix_now() + 100,
            })
        };
        cache.get_or_refresh(soon).await.expect("first");
        // 100 s left < 300 s: the next call refreshes, and its failure surfaces.
        let err = cache
            .get_or_refresh(|| async {
                Err(Error::credentials(
                    "test",
                    crate::error::CredentialsErrorKind::Failed,
                    "boom",
                ))
            })
            .await
            .expect_err("refresh failure is returned");
        assert!(err.to_string().contains("boom"));
        let again = cache
            .get_or_refresh(|| async {
                Ok(Expiring {
                    credentials: Credentials::new("AKID2", "k"),
                    expires_at: tke_signer::unix_now() + 3600,
                })
            })
            .await
            .expect("retry after failure");
        assert_eq!(again.secret_id(), "AKID2");
    }
}
