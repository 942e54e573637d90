//! Signs a TKE `DescribeClusters` request with TC3-HMAC-SHA256, verifies it as a server would,
//! and prints the headers to send.
//!
//! ```text
//! cargo run --example sign_request
//! ```
//! Uses `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY` when set (the key is never printed),
//! and example credentials otherwise.
#![allow(clippy::print_stdout)]

use tke_signer::{CONTENT_TYPE_JSON, Credentials, ReceivedRequest, Request, Signer, Verifier};

fn main() -> Result<(), tke_signer::Error> {
    let credentials = match (
        std::env::var("TENCENTCLOUD_SECRET_ID"),
        std::env::var("TENCENTCLOUD_SECRET_KEY"),
    ) {
        (Ok(id), Ok(key)) => Credentials::new(id, key),
        _ => Credentials::new(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        ),
    };
    let host = "tke.tencentcloudapi.com";
    let body = br#"{"Limit":20,"Offset":0}"#;
    let now = tke_signer::unix_now();
    let request =
        Request::post(host, "DescribeClusters", "2018-05-25", body).region("ap-guangzhou");

    let (signed, details) = Signer::new().sign_with_details(&credentials, &request, now)?;
    println!("Canonical request:\n{}\n", details.canonical_request);
    println!("String to sign:\n{}\n", details.string_to_sign);
    println!("POST https://{host}/");
    println!("Host: {host}");
    println!("Content-Type: {CONTENT_TYPE_JSON}");
    for header in signed.headers() {
        println!(
            "{}: {}",
            header.name,
            if header.sensitive {
                "[redacted]"
            } else {
                header.value()
            }
        );
    }
    println!("\n{}", String::from_utf8_lossy(body));

    // What the API gateway does on receipt.
    let mut received_headers = vec![("Host", host), ("Content-Type", CONTENT_TYPE_JSON)];
    received_headers.extend(signed.headers().map(|h| (h.name, h.value())));
    let received = ReceivedRequest {
        method: "POST",
        query: "",
        headers: &received_headers,
        body,
    };
    let verified = Verifier::new().verify(&received, |_| Some(credentials.clone()), now)?;
    println!(
        "\nverified: SecretId {} signed {} for service {}",
        verified.secret_id,
        verified.action.as_deref().unwrap_or("?"),
        verified.service
    );

    // A tampered body no longer verifies.
    let tampered = ReceivedRequest {
        body: br#"{"Limit":21,"Offset":0}"#,
        ..received
    };
    let error = Verifier::new()
        .verify(&tampered, |_| Some(credentials.clone()), now)
        .expect_err("a tampered body must not verify");
    println!("tampered body rejected: {error}");
    Ok(())
}
