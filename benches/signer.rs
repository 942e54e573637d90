//! TC3 signing cost (issue: workspace foundation and tke-signer).
//!
//! Targets, all measured in the same run:
//! - sign a POST with a 1 KiB JSON body, warm key cache: at most 1.8x the time of SHA-256 of the
//!   same 1 KiB alone (`sha256_1kib`), and at least 5x faster than `aws-sigv4` signing an
//!   equivalent request (same method, host, three headers, same body);
//! - also: the cold path (key derivation), a 1 MiB body, an empty-body GET, and verification.
//!
//! `tc3_warm` signs one request shape over and over, as an SDK does for repeated calls of one
//! action: the signer remembers the shape (see `tke_signer::Signer`). `tc3_warm_new_shapes` cycles
//! through more actions than the signer remembers, so that every call misses, and
//! `tc3_warm_timestamp_signed` signs `x-tc-timestamp` too, which turns the memory off: the two
//! bound what a signature costs without it.

use std::hint::black_box;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sha2::{Digest, Sha256};
use tke_signer::{
    CONTENT_TYPE_JSON, Credentials, ReceivedRequest, Request, SignedHeaders, Signer, Verifier,
    derive_signing_key,
};

const HOST: &str = "tke.tencentcloudapi.com";
const TIMESTAMP: i64 = 1_700_000_000;

fn json_body(len: usize) -> Vec<u8> {
    let mut body = br#"{"ClusterIds":["#.to_vec();
    let mut i = 0;
    while body.len() + 20 < len {
        body.extend_from_slice(format!("\"cls-{i:08}\",").as_bytes());
        i += 1;
    }
    body.extend_from_slice(br#""cls-last"]}"#);
    body.resize(len, b' ');
    body
}

/// The benchmarked request: a 1 KiB POST of `action` with a region, as an SDK sends it.
fn post<'a>(action: &'a str, body: &'a [u8]) -> Request<'a> {
    Request::post(HOST, action, "2018-05-25", black_box(body)).region("ap-guangzhou")
}

fn bench_sign(c: &mut Criterion) {
    let creds = Credentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    );
    let signer = Signer::new();
    let body_1k = json_body(1024);
    let body_1m = json_body(1 << 20);

    let mut group = c.benchmark_group("sign_1kib");
    group.throughput(Throughput::Bytes(1024));
    group.bench_function("sha256_1kib", |b| {
        b.iter(|| Sha256::digest(black_box(&body_1k)))
    });
    group.bench_function("tc3_warm", |b| {
        b.iter(|| signer.sign(&creds, &post("DescribeClusters", &body_1k), TIMESTAMP))
    });
    let actions: Vec<String> = (0..200).map(|i| format!("DescribeClusters{i}")).collect();
    let mut next_action = actions.iter().cycle();
    group.bench_function("tc3_warm_new_shapes", |b| {
        b.iter(|| {
            let action = next_action
                .next()
                .map_or("DescribeClusters", String::as_str);
            signer.sign(&creds, &post(action, &body_1k), TIMESTAMP)
        })
    });
    let timestamp_signer = Signer::new().with_signed_headers(
        SignedHeaders::standard()
            .with_header("x-tc-timestamp")
            .expect("valid header name"),
    );
    group.bench_function("tc3_warm_timestamp_signed", |b| {
        b.iter(|| timestamp_signer.sign(&creds, &post("DescribeClusters", &body_1k), TIMESTAMP))
    });
    group.bench_function("tc3_cold_key_derivation", |b| {
        b.iter(|| {
            let signer = Signer::new();
            let request =
                Request::post(HOST, "DescribeClusters", "2018-05-25", black_box(&body_1k));
            signer.sign(&creds, &request, TIMESTAMP)
        })
    });
    group.bench_function("aws_sigv4", |b| {
        use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
        use aws_sigv4::sign::v4;
        let identity = aws_credential_types::Credentials::new(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
            None,
            None,
            "bench",
        )
        .into();
        let time = UNIX_EPOCH + Duration::from_secs(TIMESTAMP as u64);
        let headers = [
            ("content-type", CONTENT_TYPE_JSON),
            ("host", HOST),
            ("x-tc-action", "DescribeClusters"),
        ];
        b.iter(|| {
            let params = v4::SigningParams::builder()
                .identity(&identity)
                .region("ap-guangzhou")
                .name("tke")
                .time(time)
                .settings(SigningSettings::default())
                .build()
                .expect("valid signing params")
                .into();
            let request = SignableRequest::new(
                "POST",
                "https://tke.tencentcloudapi.com/",
                headers.iter().copied(),
                SignableBody::Bytes(black_box(&body_1k)),
            )
            .expect("valid request");
            sign(request, &params).expect("signs").into_parts()
        })
    });
    group.finish();

    c.bench_function("derive_signing_key", |b| {
        b.iter(|| {
            derive_signing_key(
                black_box("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"),
                "2023-11-14",
                "tke",
            )
        })
    });

    let mut group = c.benchmark_group("sign_1mib");
    group.throughput(Throughput::Bytes(1 << 20));
    group.sample_size(20);
    group.bench_function("sha256_1mib", |b| {
        b.iter(|| Sha256::digest(black_box(&body_1m)))
    });
    group.bench_function("tc3_warm", |b| {
        b.iter(|| {
            signer.sign(
                &creds,
                &Request::post(HOST, "CreateCluster", "2018-05-25", black_box(&body_1m)),
                TIMESTAMP,
            )
        })
    });
    group.finish();

    c.bench_function("sign_get_empty_body", |b| {
        b.iter(|| {
            let request = Request::get(
                HOST,
                "DescribeClusters",
                "2018-05-25",
                black_box("Limit=20&Offset=0"),
            );
            signer.sign(&creds, &request, TIMESTAMP)
        })
    });

    let signed = signer
        .sign(
            &creds,
            &Request::post(HOST, "DescribeClusters", "2018-05-25", &body_1k),
            TIMESTAMP,
        )
        .expect("signs");
    let mut headers = vec![("Host", HOST), ("Content-Type", CONTENT_TYPE_JSON)];
    headers.extend(signed.headers().map(|h| (h.name, h.value())));
    let verifier = Verifier::new();
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(TIMESTAMP as u64);
    let now = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    c.bench_function("verify_1kib", |b| {
        b.iter(|| {
            let received = ReceivedRequest {
                method: "POST",
                query: "",
                headers: &headers,
                body: black_box(&body_1k),
            };
            verifier.verify(&received, |_| Some(creds.clone()), now)
        })
    });
}

criterion_group!(benches, bench_sign);
criterion_main!(benches);
