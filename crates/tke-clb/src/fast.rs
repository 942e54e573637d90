//! Hash maps with the Fx hasher (`rustc-hash`) for the internal lookup tables: inputs are
//! trusted in-process data, and SipHash dominated the mapping benchmark.

pub(crate) type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;
pub(crate) type FastSet<K> = rustc_hash::FxHashSet<K>;
