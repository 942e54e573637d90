//! Property tests: signing then verifying succeeds for arbitrary requests; changing any signed
//! byte makes verification fail; arbitrary Authorization headers never panic; secrets never leak.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use proptest::prelude::*;
use tke_signer::{
    Authorization, CONTENT_TYPE_JSON, Credentials, Error, ReceivedRequest, Request, SignedHeaders,
    Signer, Verifier,
};

const HOST: &str = "tke.tencentcloudapi.com";
const SECRET: &str = "Sup3rS3cretKeyValue-DO-NOT-LEAK";
const TOKEN: &str = "T0ken-DO-NOT-LEAK";

fn creds() -> Credentials {
    Credentials::new("AKIDproptest", SECRET).with_token(TOKEN)
}

/// Everything a server receives for a signed POST.
struct Received {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    query: String,
    method: &'static str,
}

impl Received {
    fn verify(&self, now: i64) -> Result<tke_signer::Verified, Error> {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let request = ReceivedRequest {
            method: self.method,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        };
        let c = creds();
        Verifier::new().verify(&request, |id| (id == "AKIDproptest").then_some(c), now)
    }
}

fn sign(
    body: &[u8],
    query: &str,
    get: bool,
    custom: &str,
    timestamp: i64,
    signed: &SignedHeaders,
) -> Received {
    let request = if get {
        Request::get(HOST, "DescribeClusters", "2018-05-25", query)
    } else {
        Request::post(HOST, "DescribeClusters", "2018-05-25", body)
    }
    .region("ap-guangzhou")
    .header("x-custom", custom);
    let signer = Signer::new().with_signed_headers(signed.clone());
    let credentials = creds();
    let out = signer.sign(&credentials, &request, timestamp).unwrap();
    let content_type = if get {
        tke_signer::CONTENT_TYPE_FORM
    } else {
        CONTENT_TYPE_JSON
    };
    let mut headers = vec![
        ("Host".to_owned(), HOST.to_owned()),
        ("Content-Type".to_owned(), content_type.to_owned()),
        ("X-Custom".to_owned(), custom.to_owned()),
    ];
    headers.extend(
        out.headers()
            .map(|h| (h.name.to_owned(), h.value().to_owned())),
    );
    Received {
        headers,
        body: if get { Vec::new() } else { body.to_vec() },
        query: if get { query.to_owned() } else { String::new() },
        method: if get { "GET" } else { "POST" },
    }
}

fn signed_header_sets() -> impl Strategy<Value = SignedHeaders> {
    prop_oneof![
        Just(SignedHeaders::standard()),
        Just(SignedHeaders::minimal()),
        Just(
            SignedHeaders::parse(
                "content-type;host;x-tc-action;x-tc-timestamp;x-custom;x-tc-token"
            )
            .unwrap()
        ),
    ]
}

const TS_RANGE: std::ops::Range<i64> = 0..4_102_444_800; // 1970 .. 2100

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn sign_then_verify_succeeds(
        body in proptest::collection::vec(any::<u8>(), 0..2048),
        query in "[A-Za-z0-9=&.%_-]{0,64}",
        get in any::<bool>(),
        custom in "[ -~]{1,40}",
        timestamp in TS_RANGE,
        skew in -300i64..=300,
        signed in signed_header_sets(),
    ) {
        let received = sign(&body, &query, get, &custom, timestamp, &signed);
        let verified = received.verify(timestamp + skew).unwrap();
        prop_assert_eq!(verified.timestamp, timestamp);
        prop_assert_eq!(verified.signed_headers, signed.as_str());
    }

    #[test]
    fn changing_a_body_byte_fails(
        body in proptest::collection::vec(any::<u8>(), 1..512),
        index in any::<prop::sample::Index>(),
        flip in 1u8..=255,
        timestamp in TS_RANGE,
    ) {
        let mut received = sign(&body, "", false, "v", timestamp, &SignedHeaders::standard());
        let i = index.index(received.body.len());
        received.body[i] ^= flip;
        let is_mismatch = matches!(received.verify(timestamp), Err(Error::SignatureMismatch { .. }));
        prop_assert!(is_mismatch);
    }

    #[test]
    fn changing_a_signed_header_fails(
        timestamp in TS_RANGE,
        which in 0usize..3,
        extra in "[a-z0-9]{1,8}",
    ) {
        let mut received = sign(b"{}", "", false, "v", timestamp, &SignedHeaders::standard());
        let target = ["Host", "Content-Type", "X-TC-Action"][which];
        for (name, value) in &mut received.headers {
            if name == target {
                value.push_str(&extra);
            }
        }
        let is_mismatch = matches!(received.verify(timestamp), Err(Error::SignatureMismatch { .. }));
        prop_assert!(is_mismatch);
    }

    #[test]
    fn changing_the_timestamp_fails(timestamp in 1_000_000i64..4_000_000_000, delta in 1i64..200) {
        let mut received = sign(b"{}", "", false, "v", timestamp, &SignedHeaders::standard());
        for (name, value) in &mut received.headers {
            if name == "X-TC-Timestamp" {
                *value = (timestamp + delta).to_string();
            }
        }
        // Either the signature no longer matches or, across midnight, the scope date does not.
        let result = received.verify(timestamp);
        let rejected = matches!(result, Err(Error::SignatureMismatch { .. } | Error::ScopeDateMismatch { .. }));
        prop_assert!(rejected, "{:?}", result);
    }

    #[test]
    fn changing_the_signature_fails(timestamp in TS_RANGE, index in 0usize..64, digit in "[0-9a-f]") {
        let mut received = sign(b"{}", "", false, "v", timestamp, &SignedHeaders::standard());
        for (name, value) in &mut received.headers {
            if name == "Authorization" {
                let start = value.len() - 64 + index;
                if value[start..=start] == digit {
                    return Ok(());
                }
                value.replace_range(start..=start, &digit);
            }
        }
        let is_mismatch = matches!(received.verify(timestamp), Err(Error::SignatureMismatch { .. }));
        prop_assert!(is_mismatch);
    }

    #[test]
    fn stale_or_future_timestamps_are_expired(timestamp in TS_RANGE, skew in 301i64..100_000, future in any::<bool>()) {
        let received = sign(b"{}", "", false, "v", timestamp, &SignedHeaders::standard());
        let now = if future { timestamp - skew } else { timestamp + skew };
        let is_expired = matches!(received.verify(now), Err(Error::Expired { .. }));
        prop_assert!(is_expired);
    }

    #[test]
    fn arbitrary_authorization_headers_never_panic(header in any::<String>(), prefixed in ".{0,200}") {
        let _ = Authorization::parse(&header);
        let composed = format!("TC3-HMAC-SHA256 {prefixed}");
        let _ = Authorization::parse(&composed);
        let headers = [("Authorization", composed.as_str()), ("X-TC-Timestamp", "100"), ("Host", HOST), ("Content-Type", CONTENT_TYPE_JSON)];
        let request = ReceivedRequest { method: "POST", query: "", headers: &headers, body: b"" };
        let _ = Verifier::new().verify(&request, |_| Some(creds()), 100);
    }

    #[test]
    fn errors_never_contain_the_secret(
        body in proptest::collection::vec(any::<u8>(), 0..64),
        timestamp in TS_RANGE,
        now_delta in -1000i64..1000,
    ) {
        let mut received = sign(&body, "", false, "v", timestamp, &SignedHeaders::standard());
        received.body.push(b'x');
        if let Err(e) = received.verify(timestamp + now_delta) {
            let text = format!("{e} {e:?}");
            prop_assert!(!text.contains(SECRET) && !text.contains(TOKEN));
        }
    }
}

#[test]
fn secrets_never_appear_in_debug_or_display() {
    let credentials = creds();
    let signed = Signer::new()
        .sign(
            &credentials,
            &Request::post(HOST, "DescribeClusters", "2018-05-25", b"{}"),
            1_700_000_000,
        )
        .unwrap();
    let outputs = [
        format!("{credentials:?}"),
        format!("{credentials:#?}"),
        format!("{credentials}"),
        format!("{signed:?}"),
        format!("{:?}", Signer::new()),
    ];
    for text in outputs {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains(TOKEN), "{text}");
    }
    // The token is still sent, marked sensitive.
    let token = signed.headers().find(|h| h.name == "X-TC-Token").unwrap();
    assert!(token.sensitive);
    assert_eq!(token.value, TOKEN);
}

#[test]
fn unknown_secret_id_is_reported_without_secrets() {
    let received = sign(
        b"{}",
        "",
        false,
        "v",
        1_700_000_000,
        &SignedHeaders::standard(),
    );
    let headers: Vec<(&str, &str)> = received
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = ReceivedRequest {
        method: "POST",
        query: "",
        headers: &headers,
        body: &received.body,
    };
    let err = Verifier::new()
        .verify(&request, |_| None, 1_700_000_000)
        .unwrap_err();
    assert_eq!(err.to_string(), "unknown SecretId `AKIDproptest`");
}

#[test]
fn missing_headers_are_named() {
    let received = sign(
        b"{}",
        "",
        false,
        "v",
        1_700_000_000,
        &SignedHeaders::standard(),
    );
    for (drop, expected) in [
        ("Authorization", "missing header `Authorization`"),
        ("X-TC-Timestamp", "missing header `X-TC-Timestamp`"),
        (
            "X-TC-Action",
            "signed header `x-tc-action` has no value in the request",
        ),
    ] {
        let headers: Vec<(&str, &str)> = received
            .headers
            .iter()
            .filter(|(n, _)| n != drop)
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let request = ReceivedRequest {
            method: "POST",
            query: "",
            headers: &headers,
            body: &received.body,
        };
        let err = Verifier::new()
            .verify(&request, |_| Some(creds()), 1_700_000_000)
            .unwrap_err();
        assert_eq!(err.to_string(), expected);
    }
}

#[test]
fn the_expiry_window_is_configurable() {
    let received = sign(
        b"{}",
        "",
        false,
        "v",
        1_700_000_000,
        &SignedHeaders::standard(),
    );
    assert!(received.verify(1_700_000_299).is_ok());
    let headers: Vec<(&str, &str)> = received
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = ReceivedRequest {
        method: "POST",
        query: "",
        headers: &headers,
        body: &received.body,
    };
    let err = Verifier::new()
        .with_max_skew(60)
        .verify(&request, |_| Some(creds()), 1_700_000_061)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "request timestamp 1700000000 is 61 s away from the current time 1700000061; at most 60 s is accepted"
    );
}

/// One request drawn from small pools, so that shapes repeat and nearly repeat.
#[derive(Debug, Clone)]
struct PooledRequest {
    action: usize,
    host: usize,
    get: bool,
    query: usize,
    version: usize,
    region: Option<usize>,
    language: Option<usize>,
    service: Option<usize>,
    unsigned_payload: bool,
    body: Vec<u8>,
    timestamp: i64,
}

const ACTIONS: [&str; 3] = ["DescribeClusters", "DescribeCluster", "CreateCluster"];
const HOSTS: [&str; 3] = [
    "tke.tencentcloudapi.com",
    "tke.ap-guangzhou.tencentcloudapi.com",
    "127.0.0.1:8080",
];
const QUERIES: [&str; 3] = ["", "Limit=1", "Limit=10"];
const VERSIONS: [&str; 2] = ["2018-05-25", "2022-05-01"];
const REGIONS: [&str; 2] = ["ap-guangzhou", "ap-shanghai"];
const LANGUAGES: [&str; 2] = ["zh-CN", "en-US"];
const SERVICES: [&str; 2] = ["tke", "clb"];

fn pooled_request() -> impl Strategy<Value = PooledRequest> {
    (
        (0..3usize, 0..3usize, any::<bool>(), 0..3usize, 0..2usize),
        (
            proptest::option::of(0..2usize),
            proptest::option::of(0..2usize),
            proptest::option::of(0..2usize),
            any::<bool>(),
            proptest::collection::vec(any::<u8>(), 0..300),
            1_500_000_000i64..1_800_000_000,
        ),
    )
        .prop_map(
            |(
                (action, host, get, query, version),
                (region, language, service, unsigned_payload, body, timestamp),
            )| PooledRequest {
                action,
                host,
                get,
                query,
                version,
                region,
                language,
                service,
                unsigned_payload,
                body,
                timestamp,
            },
        )
}

impl PooledRequest {
    fn request(&self) -> Request<'_> {
        let (action, host, version) = (
            ACTIONS[self.action],
            HOSTS[self.host],
            VERSIONS[self.version],
        );
        let mut request = if self.get {
            Request::get(host, action, version, QUERIES[self.query])
        } else {
            Request::post(host, action, version, &self.body)
        };
        if let Some(region) = self.region {
            request = request.region(REGIONS[region]);
        }
        if let Some(language) = self.language {
            request = request.language(LANGUAGES[language]);
        }
        // The local host needs an explicit service; the others may have one.
        match (self.service, self.host) {
            (Some(service), _) => request = request.with_service(SERVICES[service]),
            (None, 2) => request = request.with_service("tke"),
            (None, _) => {}
        }
        if self.unsigned_payload {
            request = request.unsigned_payload();
        }
        request
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A long-lived signer remembers request shapes; whatever it remembers, every signature must
    /// equal the one a fresh signer computes from scratch.
    #[test]
    fn a_warm_signer_signs_like_a_fresh_one(
        requests in proptest::collection::vec(pooled_request(), 1..40),
        signed in prop_oneof![
            Just(SignedHeaders::standard()),
            Just(SignedHeaders::minimal()),
            Just(SignedHeaders::parse("content-type;host;x-tc-action;x-tc-region;x-tc-version").unwrap()),
        ],
    ) {
        let credentials = creds();
        let warm = Signer::new().with_signed_headers(signed.clone());
        for pooled in &requests {
            let request = pooled.request();
            // Twice: the second signature comes from the remembered shape.
            for _ in 0..2 {
                let fresh = Signer::new()
                    .with_signed_headers(signed.clone())
                    .sign(&credentials, &request, pooled.timestamp);
                let remembered = warm.sign(&credentials, &request, pooled.timestamp);
                prop_assert_eq!(remembered, fresh, "{:?}", pooled);
            }
        }
    }
}
