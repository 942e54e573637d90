//! The TC3 canonical request and string to sign.
//!
//! Both are written through a [`Sink`] so that the hot path feeds SHA-256 directly while
//! [`crate::SigningDetails`] can show the very same bytes as text.

use sha2::{Digest, Sha256};

/// Where canonical bytes go: a hasher (fast path) or a string (details for debugging).
pub(crate) trait Sink {
    fn put(&mut self, bytes: &[u8]);

    /// Writes a digest as lower-case hex.
    fn put_hex(&mut self, digest: &[u8; 32]) {
        self.put(hex32(digest).as_bytes());
    }

    /// Writes `value` lower-cased (ASCII) without allocating.
    fn put_lowercase(&mut self, value: &[u8]) {
        if !value.iter().any(u8::is_ascii_uppercase) {
            self.put(value);
            return;
        }
        let mut buf = [0u8; 64];
        for chunk in value.chunks(buf.len()) {
            let out = &mut buf[..chunk.len()];
            out.copy_from_slice(chunk);
            out.make_ascii_lowercase();
            self.put(out);
        }
    }
}

impl Sink for Sha256 {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// Bytes staged on the stack, so that they reach SHA-256 in one call rather than a dozen small
/// ones (each small update costs a buffer copy and a bounds dance inside the hasher). Input
/// longer than `N` marks the stage as overflowed; the caller then streams instead.
pub(crate) struct Staged<const N: usize> {
    buf: [u8; N],
    len: usize,
    overflowed: bool,
}

impl<const N: usize> Staged<N> {
    pub(crate) fn new() -> Self {
        Self {
            buf: [0; N],
            len: 0,
            overflowed: false,
        }
    }

    /// Everything written, or `None` if it did not fit.
    pub(crate) fn bytes(&self) -> Option<&[u8]> {
        (!self.overflowed).then(|| &self.buf[..self.len])
    }

    fn reserve(&mut self, len: usize) -> Option<&mut [u8]> {
        let start = self.len;
        let range = start..start.saturating_add(len);
        match self.buf.get_mut(range) {
            Some(dst) if !self.overflowed => {
                self.len += len;
                Some(dst)
            }
            _ => {
                self.overflowed = true;
                None
            }
        }
    }
}

impl<const N: usize> Sink for Staged<N> {
    fn put(&mut self, bytes: &[u8]) {
        if let Some(dst) = self.reserve(bytes.len()) {
            dst.copy_from_slice(bytes);
        }
    }

    fn put_hex(&mut self, digest: &[u8; 32]) {
        if let Some(dst) = self.reserve(64) {
            // `dst` is exactly twice as long as `digest`, so encoding cannot fail.
            let _ = const_hex::encode_to_slice(digest, dst);
        }
    }

    fn put_lowercase(&mut self, value: &[u8]) {
        if let Some(dst) = self.reserve(value.len()) {
            dst.copy_from_slice(value);
            dst.make_ascii_lowercase();
        }
    }
}

/// The parts of a request that enter the canonical request.
pub(crate) struct CanonicalInput<'a> {
    pub(crate) method: &'a str,
    pub(crate) query: &'a str,
    /// Lower-case names in signing order and the value of each.
    pub(crate) headers: &'a [(&'a str, &'a str)],
    pub(crate) signed_headers: &'a str,
    /// SHA-256 of the payload.
    pub(crate) payload_hash: &'a [u8; 32],
}

/// Writes `Method\n/\nQuery\nCanonicalHeaders\nSignedHeaders\nHashedPayload`.
pub(crate) fn write_canonical_request(sink: &mut impl Sink, input: &CanonicalInput<'_>) {
    sink.put(input.method.as_bytes());
    sink.put(b"\n/\n");
    sink.put(input.query.as_bytes());
    sink.put(b"\n");
    for (name, value) in input.headers {
        sink.put(name.as_bytes());
        sink.put(b":");
        sink.put_lowercase(value.trim_ascii().as_bytes());
        sink.put(b"\n");
    }
    sink.put(b"\n");
    sink.put(input.signed_headers.as_bytes());
    sink.put(b"\n");
    sink.put_hex(input.payload_hash);
}

/// What a signature is scoped to, besides the canonical request. Texts are converted once per
/// signature and shared by every writer.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'a> {
    /// `X-TC-Timestamp` as sent.
    pub(crate) timestamp: &'a str,
    /// The UTC date of the timestamp.
    pub(crate) date: crate::UtcDate,
    /// `date` as `yyyy-mm-dd`.
    pub(crate) date_text: &'a str,
    /// The service, e.g. `tke`.
    pub(crate) service: &'a str,
}

/// Writes `TC3-HMAC-SHA256\nTimestamp\nDate/service/tc3_request\nHashedCanonicalRequest`.
pub(crate) fn write_string_to_sign(
    sink: &mut impl Sink,
    scope: &Scope<'_>,
    hashed_canonical_request: &[u8; 32],
) {
    sink.put(b"TC3-HMAC-SHA256\n");
    sink.put(scope.timestamp.as_bytes());
    sink.put(b"\n");
    write_credential_scope(sink, scope.date_text, scope.service);
    sink.put(b"\n");
    sink.put_hex(hashed_canonical_request);
}

/// Writes `Date/service/tc3_request`.
pub(crate) fn write_credential_scope(sink: &mut impl Sink, date: &str, service: &str) {
    sink.put(date.as_bytes());
    sink.put(b"/");
    sink.put(service.as_bytes());
    sink.put(b"/tc3_request");
}

/// Lower-case hex of a SHA-256 digest or an HMAC, on the stack.
pub(crate) type Hex32 = const_hex::Buffer<32>;

/// Lower-case hex of 32 bytes.
pub(crate) fn hex32(bytes: &[u8; 32]) -> Hex32 {
    let mut out = Hex32::new();
    out.format(bytes);
    out
}

/// SHA-256 of `bytes`.
pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The body hash used with `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`.
pub(crate) fn unsigned_payload_hash() -> [u8; 32] {
    sha256(crate::UNSIGNED_PAYLOAD.as_bytes())
}
