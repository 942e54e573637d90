//! SHA-256 states of canonical-request prefixes that repeat from one signature to the next.
//!
//! A canonical request is `method, query, signed headers, signed header list, body hash`. For a
//! given action everything before the body hash repeats on every call (the timestamp is not a
//! signed header by default), and with the default headers it spans two or more whole SHA-256
//! blocks. Keeping the hash state after those blocks saves their compressions: about a third of
//! the fixed cost of a signature. Entries are matched on the exact prefix bytes, so a hit can never
//! change a signature.

use std::sync::Mutex;

use sha2::{Digest, Sha256};

/// SHA-256 block length.
const BLOCK: usize = 64;

/// Length of the hex body hash that ends every canonical request.
const PAYLOAD_HASH_LEN: usize = 64;

struct Entry {
    /// Whole blocks of a canonical request, ending before its body hash.
    prefix: Box<[u8]>,
    /// The hasher after absorbing `prefix`.
    state: Sha256,
}

#[derive(Default)]
struct Entries {
    slots: Vec<Entry>,
    /// The slot the next new prefix replaces once the cache is full.
    next: usize,
}

/// A small cache of canonical-request prefix states, shared by clones of one signer.
///
/// Signing never waits for it: when another thread holds it, the request is hashed in full.
#[derive(Default)]
pub(crate) struct PrefixCache {
    entries: Mutex<Entries>,
}

impl PrefixCache {
    /// Distinct prefixes (roughly: actions with their host and content type) kept.
    pub(crate) const CAPACITY: usize = 32;

    /// SHA-256 of `canonical`, a whole canonical request, resuming from a cached prefix state
    /// where one matches and caching the prefix where none does.
    pub(crate) fn digest(&self, canonical: &[u8]) -> [u8; 32] {
        let cacheable = canonical.len().saturating_sub(PAYLOAD_HASH_LEN) / BLOCK * BLOCK;
        let (prefix, rest) = canonical.split_at(cacheable);
        let Some(mut hasher) = self.resume(prefix) else {
            return Sha256::digest(canonical).into();
        };
        hasher.update(rest);
        hasher.finalize().into()
    }

    /// A hasher that has absorbed `prefix`, or `None` when caching does not apply.
    fn resume(&self, prefix: &[u8]) -> Option<Sha256> {
        if prefix.is_empty() {
            return None;
        }
        let mut entries = self.entries.try_lock().ok()?;
        if let Some(entry) = entries.slots.iter().find(|e| *e.prefix == *prefix) {
            return Some(entry.state.clone());
        }
        let state = Sha256::new_with_prefix(prefix);
        let entry = Entry {
            prefix: prefix.into(),
            state: state.clone(),
        };
        if entries.slots.len() < Self::CAPACITY {
            entries.slots.push(entry);
        } else {
            let slot = entries.next;
            entries.slots[slot] = entry;
            entries.next = (slot + 1) % Self::CAPACITY;
        }
        Some(state)
    }

    /// Number of cached prefixes.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.slots.len())
    }
}

impl std::fmt::Debug for PrefixCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrefixCache").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(action: &str, body_hash: &str) -> Vec<u8> {
        format!(
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:tke.tencentcloudapi.com\n\
             x-tc-action:{action}\n\ncontent-type;host;x-tc-action\n{body_hash}"
        )
        .into_bytes()
    }

    #[test]
    fn digests_equal_plain_sha256_on_hits_and_misses() {
        let cache = PrefixCache::default();
        for round in 0..3 {
            for action in ["describeclusters", "createcluster", "describeclusters"] {
                for body in ["a", "b"] {
                    let hash = format!("{:0>64}", format!("{body}{round}"));
                    let input = canonical(action, &hash);
                    let expected: [u8; 32] = Sha256::digest(&input).into();
                    assert_eq!(cache.digest(&input), expected, "{action} {round}");
                }
            }
        }
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn short_and_odd_inputs_bypass_the_cache() {
        let cache = PrefixCache::default();
        for len in [0, 1, 63, 64, 127, 128, 191] {
            let input = vec![b'x'; len];
            let expected: [u8; 32] = Sha256::digest(&input).into();
            assert_eq!(cache.digest(&input), expected, "{len}");
            // Only from 128 bytes on is a whole block left before the final 64 (the body hash).
            assert_eq!(cache.len(), usize::from(len >= 128), "{len}");
        }
    }

    #[test]
    fn cache_is_bounded_and_round_robin() {
        let cache = PrefixCache::default();
        for i in 0..(PrefixCache::CAPACITY * 2 + 3) {
            let input = canonical(&format!("action{i:04}"), &"0".repeat(64));
            let expected: [u8; 32] = Sha256::digest(&input).into();
            assert_eq!(cache.digest(&input), expected);
        }
        assert_eq!(cache.len(), PrefixCache::CAPACITY);
    }
}
