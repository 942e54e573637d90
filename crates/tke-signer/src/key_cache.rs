//! Derivation and caching of the TC3 signing key.

use std::fmt;
use std::sync::RwLock;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::UtcDate;
use crate::same::same;
use crate::sha256_state::PreparedHmac;

type HmacSha256 = Hmac<Sha256>;

/// `SecretSigning = HMAC(HMAC(HMAC("TC3" + SecretKey, Date), Service), "tc3_request")`.
///
/// ```
/// let key = tke_signer::derive_signing_key(&"*".repeat(32), "2019-02-25", "cvm");
/// assert_eq!(hex::encode(*key), "b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af");
/// ```
pub fn derive_signing_key(secret_key: &str, date: &str, service: &str) -> Zeroizing<[u8; 32]> {
    let mut prefixed = Zeroizing::new(Vec::with_capacity(3 + secret_key.len()));
    prefixed.extend_from_slice(b"TC3");
    prefixed.extend_from_slice(secret_key.as_bytes());
    let secret_date = hmac(&prefixed, date.as_bytes());
    let secret_service = hmac(&*secret_date, service.as_bytes());
    hmac(&*secret_service, b"tc3_request")
}

fn hmac(key: &[u8], data: &[u8]) -> Zeroizing<[u8; 32]> {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    let mut mac = <HmacSha256 as hmac::digest::KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(data);
    Zeroizing::new(mac.finalize().into_bytes().into())
}

struct Entry {
    secret_key: Zeroizing<Box<[u8]>>,
    date: UtcDate,
    service: Box<str>,
    /// The signing key's HMAC blocks, absorbed: two compressions saved per signature.
    key: Zeroizing<PreparedHmac>,
}

/// A cache of derived signing keys keyed by (SecretKey, date, service), shared across threads.
///
/// The three derivation HMACs then run once per day per service and key. The cache is bounded:
/// past [`SigningKeyCache::CAPACITY`] entries the oldest is dropped. Secrets in it are zeroized
/// on eviction and drop.
pub struct SigningKeyCache {
    entries: RwLock<Vec<Entry>>,
}

impl SigningKeyCache {
    /// The most (SecretKey, date, service) combinations kept.
    pub const CAPACITY: usize = 64;

    /// An empty cache.
    pub fn new() -> Self {
        Self {
            entries: RwLock::new(Vec::new()),
        }
    }

    /// Number of cached keys.
    pub fn len(&self) -> usize {
        self.entries
            .read()
            .map_or_else(|e| e.into_inner().len(), |g| g.len())
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The prepared signing key for (secret, date, service).
    pub(crate) fn signing_key(
        &self,
        secret_key: &str,
        date: UtcDate,
        service: &str,
    ) -> PreparedHmac {
        {
            let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
            if let Some(entry) = find(&entries, secret_key, date, service) {
                return (*entry.key).clone();
            }
        }
        let key = PreparedHmac::new(&derive_signing_key(secret_key, date.as_str(), service));
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if find(&entries, secret_key, date, service).is_none() {
            if entries.len() >= Self::CAPACITY {
                entries.remove(0);
            }
            entries.push(Entry {
                secret_key: Zeroizing::new(secret_key.as_bytes().into()),
                date,
                service: service.into(),
                key: Zeroizing::new(key.clone()),
            });
        }
        key
    }
}

/// Constant time is not needed here (though [`same`] happens to look at every byte of keys of
/// equal length): both keys compared are the caller's own secrets (the signer's, or the one a
/// verifier looked up for a SecretId), never attacker-chosen bytes, so the comparison time
/// reveals nothing an attacker controls.
fn find<'a>(
    entries: &'a [Entry],
    secret_key: &str,
    date: UtcDate,
    service: &str,
) -> Option<&'a Entry> {
    entries.iter().find(|e| {
        same(&e.date.0, &date.0)
            && same(e.service.as_bytes(), service.as_bytes())
            && same(&e.secret_key, secret_key.as_bytes())
    })
}

impl Default for SigningKeyCache {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeyCache")
            .field("entries", &self.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::Mac;

    #[test]
    fn cached_key_equals_fresh_derivation() {
        let cache = SigningKeyCache::new();
        let date = UtcDate::from_unix(1551113065).unwrap();
        for _ in 0..3 {
            let signature = cache.signing_key("secret", date, "cvm").sign(b"data");
            let key = derive_signing_key("secret", "2019-02-25", "cvm");
            let mut fresh = <HmacSha256 as hmac::digest::KeyInit>::new_from_slice(&*key).unwrap();
            fresh.update(b"data");
            assert_eq!(signature, <[u8; 32]>::from(fresh.finalize().into_bytes()));
        }
        assert_eq!(cache.len(), 1);
        cache.signing_key("secret", date, "tke");
        cache.signing_key("other", date, "tke");
        assert_eq!(cache.len(), 3);
    }

    #[test]
    fn cache_is_bounded() {
        let cache = SigningKeyCache::new();
        let date = UtcDate::from_unix(0).unwrap();
        for i in 0..(SigningKeyCache::CAPACITY + 10) {
            cache.signing_key(&format!("k{i}"), date, "cvm");
        }
        assert_eq!(cache.len(), SigningKeyCache::CAPACITY);
        assert!(!format!("{cache:?}").contains("k1"));
    }
}
