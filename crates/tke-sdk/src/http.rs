//! Building the HTTP client.

use std::time::Duration;

use crate::Error;

/// Builds the pooled `reqwest::Client` of the SDK: rustls with the `ring` provider, proxies from
/// the usual environment variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, any
/// case), and a pool idle timeout below the server's keep-alive timeout.
pub(crate) fn build_http_client(connect_timeout: Duration) -> Result<reqwest::Client, Error> {
    install_crypto_provider();
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .pool_idle_timeout(crate::config::POOL_IDLE_TIMEOUT)
        .tcp_nodelay(true)
        .build()
        .map_err(|e| Error::config("http client", "reqwest::Client", e.to_string()))
}

/// reqwest is built with `rustls-no-provider` (ring is far lighter to build than aws-lc-rs),
/// so a process-wide provider must exist before a client is built. An application that
/// installed its own keeps it.
fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing the race to another thread installing one is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
