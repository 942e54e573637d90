//! The official TC3 examples (vectors A, B, C of the spec) byte for byte, with every intermediate
//! value, and the legacy v1 example (vector D).

use tke_signer::{Credentials, Request, SignedHeaders, Signer, derive_signing_key};

const HOST: &str = "cvm.tencentcloudapi.com";
const BODY: &[u8] =
    br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
const BODY_HASH: &str = "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064";
const TIMESTAMP: i64 = 1551113065;

fn post_request() -> Request<'static> {
    Request::post(HOST, "DescribeInstances", "2017-03-12", BODY)
        .region("ap-guangzhou")
        .content_type("application/json; charset=utf-8")
}

#[test]
fn vector_a_current_doc_signs_x_tc_action() {
    let creds = Credentials::new(format!("AKID{}", "*".repeat(32)), "*".repeat(32));
    let (signed, details) = Signer::new()
        .sign_with_details(&creds, &post_request(), TIMESTAMP)
        .unwrap();
    assert_eq!(
        details.canonical_request,
        format!(
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\nx-tc-action:describeinstances\n\ncontent-type;host;x-tc-action\n{BODY_HASH}"
        )
    );
    assert_eq!(
        details.hashed_canonical_request,
        "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84"
    );
    assert_eq!(details.credential_scope, "2019-02-25/cvm/tc3_request");
    assert_eq!(
        details.string_to_sign,
        "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84"
    );
    assert_eq!(
        hex::encode(*derive_signing_key(&"*".repeat(32), "2019-02-25", "cvm")),
        "b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af"
    );
    assert_eq!(
        details.signature,
        "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
    );
    assert_eq!(
        signed.authorization(),
        format!(
            "TC3-HMAC-SHA256 Credential=AKID{}/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f",
            "*".repeat(32)
        )
    );
    let names: Vec<_> = signed.headers().map(|h| (h.name, h.value())).collect();
    assert_eq!(
        names[1..],
        [
            ("X-TC-Action", "DescribeInstances"),
            ("X-TC-Version", "2017-03-12"),
            ("X-TC-Timestamp", "1551113065"),
            ("X-TC-Region", "ap-guangzhou"),
        ]
    );
}

#[test]
fn vector_b_older_doc_signs_content_type_and_host() {
    let creds = Credentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    );
    let signer = Signer::new().with_signed_headers(SignedHeaders::minimal());
    let (signed, details) = signer
        .sign_with_details(&creds, &post_request(), TIMESTAMP)
        .unwrap();
    assert_eq!(
        details.hashed_canonical_request,
        "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    );
    assert_eq!(
        details.signature,
        "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    );
    assert_eq!(
        signed.authorization(),
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    );
}

#[test]
fn vector_c_get_with_query_string() {
    let creds = Credentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    );
    let signer = Signer::new().with_signed_headers(SignedHeaders::minimal());
    let request = Request::get(HOST, "DescribeInstances", "2017-03-12", "Limit=10&Offset=0")
        .region("ap-guangzhou");
    let (signed, details) = signer
        .sign_with_details(&creds, &request, 1539084154)
        .unwrap();
    assert_eq!(
        details.canonical_request,
        "GET\n/\nLimit=10&Offset=0\ncontent-type:application/x-www-form-urlencoded\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(details.credential_scope, "2018-10-09/cvm/tc3_request");
    assert_eq!(
        details.signature,
        "5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474"
    );
    assert!(
        signed.authorization().ends_with(
            "Signature=5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474"
        )
    );
}

#[test]
fn the_scope_date_is_utc_not_local() {
    // 1551113065 is 2019-02-26 00:44 in UTC+8 but 2019-02-25 in UTC.
    let creds = Credentials::new("AKID", "key");
    let (_, details) = Signer::new()
        .sign_with_details(&creds, &post_request(), TIMESTAMP)
        .unwrap();
    assert!(details.credential_scope.starts_with("2019-02-25/"));
}

#[test]
fn unsigned_payload_replaces_the_body_hash() {
    let creds = Credentials::new("AKID", "key");
    let request = post_request().unsigned_payload();
    let (signed, details) = Signer::new()
        .sign_with_details(&creds, &request, TIMESTAMP)
        .unwrap();
    // hex(SHA256("UNSIGNED-PAYLOAD"))
    let expected_hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(b"UNSIGNED-PAYLOAD"));
    assert!(details.canonical_request.ends_with(&expected_hash));
    assert!(!details.canonical_request.contains(BODY_HASH));
    assert_eq!(
        signed.header("X-TC-Content-SHA256"),
        Some("UNSIGNED-PAYLOAD")
    );
}

#[test]
fn extra_signed_headers_come_from_the_request() {
    let creds = Credentials::new("AKID", "key").with_token("tok");
    let signed_headers =
        SignedHeaders::parse("content-type;host;x-tc-action;x-tc-timestamp;x-tc-token;x-custom")
            .unwrap();
    let signer = Signer::new().with_signed_headers(signed_headers);
    let (signed, details) = signer
        .sign_with_details(
            &creds,
            &post_request().header("X-Custom", " Value "),
            TIMESTAMP,
        )
        .unwrap();
    assert!(details.canonical_request.contains("\nx-custom:value\nx-tc-action:describeinstances\nx-tc-timestamp:1551113065\nx-tc-token:tok\n"));
    assert_eq!(signed.header("X-TC-Token"), Some("tok"));
    // A signed header the request does not carry is an error naming it.
    let err = signer.sign(&creds, &post_request(), TIMESTAMP).unwrap_err();
    assert_eq!(
        err.to_string(),
        "signed header `x-custom` has no value in the request"
    );
}

#[test]
fn service_must_be_derivable_or_given() {
    let creds = Credentials::new("AKID", "key");
    let request = Request::post("127.0.0.1:9000", "DescribeClusters", "2018-05-25", b"{}");
    let err = Signer::new().sign(&creds, &request, TIMESTAMP).unwrap_err();
    assert!(err.to_string().contains("127.0.0.1:9000"), "{err}");
    let signed = Signer::new()
        .sign(&creds, &request.with_service("tke"), TIMESTAMP)
        .unwrap();
    assert!(
        signed
            .authorization()
            .contains("/2019-02-25/tke/tc3_request")
    );
}

#[test]
fn invalid_fields_are_errors_naming_the_field() {
    let creds = Credentials::new("AKID", "key");
    for (request, field) in [
        (Request::post("", "A", "1", b""), "host"),
        (
            Request::post("tke.tencentcloudapi.com", "Describe\nX", "1", b""),
            "action",
        ),
        (
            Request::post("tke.tencentcloudapi.com", "A", "", b""),
            "version",
        ),
    ] {
        let err = Signer::new().sign(&creds, &request, TIMESTAMP).unwrap_err();
        assert!(err.to_string().contains(field), "{err} should name {field}");
    }
}

#[cfg(feature = "v1")]
#[test]
fn vector_d_legacy_v1() {
    use tke_signer::v1::{V1Algorithm, V1Request, sign, signed_params, string_to_sign};
    let params = [
        ("Action", "DescribeInstances"),
        ("InstanceIds.0", "ins-09dx96dg"),
        ("Limit", "20"),
        ("Nonce", "11886"),
        ("Offset", "0"),
        ("Region", "ap-guangzhou"),
        ("SecretId", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"),
        ("Timestamp", "1465185768"),
        ("Version", "2017-03-12"),
    ];
    let mut shuffled = params;
    shuffled.reverse();
    let sts = string_to_sign("GET", HOST, "/", &shuffled);
    assert_eq!(
        sts,
        "GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768&Version=2017-03-12"
    );
    let key = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    assert_eq!(
        sign(key, &sts, V1Algorithm::HmacSha1),
        "EliP9YW3pW28FpsEdkXt/+WcGeI="
    );
    assert_eq!(
        sign(key, &sts, V1Algorithm::HmacSha256),
        "bR/zQ3QqOmcEYeRv71IzG/NxfisUDgy9cqRMQC+UB5g="
    );

    let creds = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", key);
    // The caller's own parameters; signed_params adds SecretId, Timestamp and Nonce.
    let own: Vec<_> = params
        .iter()
        .copied()
        .filter(|(k, _)| !matches!(*k, "Nonce" | "SecretId" | "Timestamp"))
        .collect();
    let request = V1Request {
        method: "GET",
        host: HOST,
        path: "/",
        params: &own,
    };
    let all = signed_params(&creds, &request, 1465185768, 11886, V1Algorithm::HmacSha1);
    assert_eq!(
        all.last().unwrap(),
        &(
            "Signature".to_owned(),
            "EliP9YW3pW28FpsEdkXt/+WcGeI=".to_owned()
        )
    );
}
