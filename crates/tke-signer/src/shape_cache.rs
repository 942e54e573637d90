//! A signer's memory of request shapes: what a canonical request holds before its body hash.
//!
//! When every signed header comes from the request's own fields (the default
//! `content-type;host;x-tc-action` does), the canonical request up to its body hash depends only
//! on the request's [`Shape`]: method, query, host, content type, action, version, region,
//! language, explicit service and the unsigned-payload flag. An SDK sends the same shape on every
//! call of the same action, so the signer remembers, per shape, the SHA-256 state after the whole
//! blocks of that prefix and the bytes that follow them. A remembered shape has also passed
//! validation. A signature of a known shape then costs the body hash and five SHA-256 blocks, and
//! skips validating and assembling the prefix again.
//!
//! Entries are matched on every field of the shape by value, so a hit cannot change a signature;
//! the property tests compare signatures from warm and fresh signers.

use std::hash::Hasher;
use std::sync::Mutex;

use rustc_hash::FxHasher;

use crate::same::{same_opt, same_str};
use crate::sha256_state::{BLOCK, Sha256State};
use crate::sign::Method;

/// Length of the hex body hash that ends every canonical request.
const PAYLOAD_HASH_LEN: usize = 64;

/// Everything of a request that its canonical request (up to the body hash) and its validation
/// depend on, for a signer whose signed headers all come from these fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape<S> {
    // The field that differs most between calls comes first: comparisons stop at it.
    pub(crate) action: S,
    pub(crate) host: S,
    pub(crate) method: Method,
    pub(crate) query: S,
    pub(crate) content_type: S,
    pub(crate) version: S,
    pub(crate) region: Option<S>,
    pub(crate) language: Option<S>,
    pub(crate) service: Option<S>,
    pub(crate) unsigned_payload: bool,
}

impl Shape<&str> {
    fn to_boxed(self) -> Shape<Box<str>> {
        Shape {
            action: self.action.into(),
            host: self.host.into(),
            method: self.method,
            query: self.query.into(),
            content_type: self.content_type.into(),
            version: self.version.into(),
            region: self.region.map(Into::into),
            language: self.language.map(Into::into),
            service: self.service.map(Into::into),
            unsigned_payload: self.unsigned_payload,
        }
    }
}

impl<S: AsRef<str>> Shape<S> {
    /// Whether two shapes, borrowed or owned, hold the same values.
    fn same_as<T: AsRef<str>>(&self, other: &Shape<T>) -> bool {
        // Destructured in full: a field added to the shape but not compared here is an unused
        // variable, which the lints reject.
        let Shape {
            action,
            host,
            method,
            query,
            content_type,
            version,
            region,
            language,
            service,
            unsigned_payload,
        } = self;
        let opt = |a: &Option<S>, b: &Option<T>| {
            same_opt(a.as_ref().map(S::as_ref), b.as_ref().map(T::as_ref))
        };
        same_str(action.as_ref(), other.action.as_ref())
            && same_str(host.as_ref(), other.host.as_ref())
            && *method == other.method
            && same_str(query.as_ref(), other.query.as_ref())
            && same_str(content_type.as_ref(), other.content_type.as_ref())
            && same_str(version.as_ref(), other.version.as_ref())
            && opt(region, &other.region)
            && opt(language, &other.language)
            && opt(service, &other.service)
            && *unsigned_payload == other.unsigned_payload
    }
}

/// The remembered start of a canonical request.
#[derive(Clone)]
pub(crate) struct Prefix {
    /// SHA-256 after the whole blocks before the body hash.
    state: Sha256State,
    /// The bytes after those blocks and before the body hash: less than one block.
    tail: [u8; BLOCK],
    tail_len: usize,
}

impl Prefix {
    /// The canonical request's SHA-256, given its body hash.
    pub(crate) fn finish(&self, payload_hash: &[u8; 32]) -> [u8; 32] {
        // The tail (shorter than a block) and the hex body hash, in one piece.
        let mut last = [0u8; BLOCK + PAYLOAD_HASH_LEN];
        let tail_len = self.tail_len.min(BLOCK - 1);
        let end = tail_len + PAYLOAD_HASH_LEN;
        last[..tail_len].copy_from_slice(&self.tail[..tail_len]);
        // The destination is exactly twice as long as the digest, so encoding cannot fail.
        let _ = const_hex::encode_to_slice(payload_hash, &mut last[tail_len..end]);
        self.state.finish(&last[..end])
    }
}

struct Entry {
    shape: Shape<Box<str>>,
    prefix: Prefix,
}

#[derive(Default)]
struct Entries {
    slots: Vec<Entry>,
    /// A hash of each slot's shape: a miss scans these instead of comparing whole shapes.
    fingerprints: Vec<u64>,
    /// The slot the next new shape replaces once the cache is full.
    next: usize,
    /// The slot of the last hit, looked at first: an SDK often repeats one call.
    last_hit: usize,
}

impl Entries {
    fn position(&self, shape: &Shape<&str>) -> Option<usize> {
        if let Some(entry) = self.slots.get(self.last_hit)
            && entry.shape.same_as(shape)
        {
            return Some(self.last_hit);
        }
        let fingerprint = fingerprint(shape);
        self.fingerprints
            .iter()
            .zip(&self.slots)
            .position(|(f, entry)| *f == fingerprint && entry.shape.same_as(shape))
    }
}

/// A cheap hash of the fields that differ most between shapes.
fn fingerprint(shape: &Shape<&str>) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(shape.action.as_bytes());
    hasher.write(shape.host.as_bytes());
    hasher.write(shape.query.as_bytes());
    hasher.write(shape.version.as_bytes());
    hasher.finish()
}

/// Remembered request shapes, shared by clones of one signer. Bounded; never makes signing wait:
/// while another thread holds it, a request is signed in full.
#[derive(Default)]
pub(crate) struct ShapeCache {
    entries: Mutex<Entries>,
}

impl ShapeCache {
    /// The most shapes (roughly: actions per endpoint) remembered.
    pub(crate) const CAPACITY: usize = 64;

    /// The remembered prefix of `shape`, if any.
    pub(crate) fn get(&self, shape: &Shape<&str>) -> Option<Prefix> {
        let mut entries = self.entries.try_lock().ok()?;
        let index = entries.position(shape)?;
        entries.last_hit = index;
        entries.slots.get(index).map(|entry| entry.prefix.clone())
    }

    /// SHA-256 of `canonical`, a whole canonical request of a validated request of `shape`,
    /// remembering its prefix on the way.
    pub(crate) fn digest_and_remember(&self, shape: &Shape<&str>, canonical: &[u8]) -> [u8; 32] {
        let before_hash = canonical.len().saturating_sub(PAYLOAD_HASH_LEN);
        let mut state = Sha256State::new();
        let tail = state.absorb(&canonical[..before_hash]);
        let mut prefix = Prefix {
            state,
            tail: [0; BLOCK],
            tail_len: tail.len(),
        };
        prefix.tail[..tail.len()].copy_from_slice(tail);
        let digest = state.finish(&canonical[before_hash - tail.len()..]);
        self.remember(shape, prefix);
        digest
    }

    fn remember(&self, shape: &Shape<&str>, prefix: Prefix) {
        // Copy the shape before taking the lock: allocation is the slow part.
        let entry = Entry {
            shape: shape.to_boxed(),
            prefix,
        };
        let fingerprint = fingerprint(shape);
        let Ok(mut entries) = self.entries.try_lock() else {
            return;
        };
        // Another thread may have remembered the shape since this one looked.
        let slot = match entries.position(shape) {
            Some(existing) => existing,
            None if entries.slots.len() < Self::CAPACITY => {
                entries.slots.push(entry);
                entries.fingerprints.push(fingerprint);
                return;
            }
            None => {
                let slot = entries.next;
                entries.next = (slot + 1) % Self::CAPACITY;
                slot
            }
        };
        let entries = &mut *entries;
        if let (Some(old), Some(old_fingerprint)) = (
            entries.slots.get_mut(slot),
            entries.fingerprints.get_mut(slot),
        ) {
            *old = entry;
            *old_fingerprint = fingerprint;
        }
    }

    /// Number of remembered shapes.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.slots.len())
    }
}

impl std::fmt::Debug for ShapeCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShapeCache").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn shape(action: &str) -> Shape<&str> {
        Shape {
            action,
            host: "tke.tencentcloudapi.com",
            method: Method::Post,
            query: "",
            content_type: "application/json; charset=utf-8",
            version: "2018-05-25",
            region: None,
            language: None,
            service: None,
            unsigned_payload: false,
        }
    }

    fn canonical(prefix_len: usize, payload_hash: &[u8; 32]) -> Vec<u8> {
        let mut bytes: Vec<u8> = (0..prefix_len).map(|i| b'a' + (i % 26) as u8).collect();
        bytes.extend_from_slice(hex::encode(payload_hash).as_bytes());
        bytes
    }

    #[test]
    fn remembered_prefixes_finish_to_plain_sha256() {
        // Prefix lengths around block boundaries: no whole block, exactly one, one plus a tail.
        for prefix_len in [0, 1, 55, 63, 64, 65, 127, 128, 150, 191, 300] {
            let cache = ShapeCache::default();
            let first = [1; 32];
            let input = canonical(prefix_len, &first);
            let expected: [u8; 32] = Sha256::digest(&input).into();
            assert_eq!(cache.digest_and_remember(&shape("A"), &input), expected);

            let second = [2; 32];
            let input = canonical(prefix_len, &second);
            let expected: [u8; 32] = Sha256::digest(&input).into();
            let prefix = cache.get(&shape("A")).expect("remembered");
            assert_eq!(prefix.finish(&second), expected, "prefix {prefix_len}");
        }
    }

    #[test]
    fn every_field_of_the_shape_tells_shapes_apart() {
        let cache = ShapeCache::default();
        let base = shape("DescribeClusters");
        cache.digest_and_remember(&base, &canonical(100, &[0; 32]));
        let variants = [
            Shape {
                action: "DescribeCluster",
                ..base
            },
            Shape {
                host: "tke.ap-guangzhou.tencentcloudapi.com",
                ..base
            },
            Shape {
                method: Method::Get,
                ..base
            },
            Shape {
                query: "Limit=1",
                ..base
            },
            Shape {
                content_type: "application/json",
                ..base
            },
            Shape {
                version: "2022-05-01",
                ..base
            },
            Shape {
                region: Some("ap-guangzhou"),
                ..base
            },
            Shape {
                language: Some("en-US"),
                ..base
            },
            Shape {
                service: Some("tke"),
                ..base
            },
            Shape {
                unsigned_payload: true,
                ..base
            },
        ];
        for variant in variants {
            assert!(cache.get(&variant).is_none(), "{variant:?}");
        }
        assert!(cache.get(&base).is_some());
    }

    #[test]
    fn cache_is_bounded_and_keeps_the_newest() {
        let cache = ShapeCache::default();
        let actions: Vec<String> = (0..ShapeCache::CAPACITY + 5)
            .map(|i| format!("Action{i:03}"))
            .collect();
        for action in &actions {
            cache.digest_and_remember(&shape(action), &canonical(100, &[0; 32]));
        }
        assert_eq!(cache.len(), ShapeCache::CAPACITY);
        assert!(cache.get(&shape(&actions[0])).is_none());
        assert!(cache.get(&shape(actions.last().unwrap())).is_some());
        // Remembering a known shape again replaces it rather than growing the cache.
        cache.digest_and_remember(&shape(actions.last().unwrap()), &canonical(90, &[0; 32]));
        assert_eq!(cache.len(), ShapeCache::CAPACITY);
    }
}
