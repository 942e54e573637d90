//! `tke-signer` through the `http` crate: a request signed in place verifies on the receiving
//! side from nothing but what an HTTP server sees.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use tke_signer::{Credentials, HttpSignParams, ReceivedRequest, SignedHeaders, Signer, Verifier};

fn received_parts(request: &http::Request<Vec<u8>>) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap().to_owned()))
        .collect();
    if request.headers().get("host").is_none() {
        headers.push((
            "host".into(),
            request.uri().authority().unwrap().to_string(),
        ));
    }
    headers
}

#[test]
fn signed_http_post_verifies_and_marks_the_token_sensitive() {
    let creds = Credentials::new("AKIDtest", "test-secret").with_token("session-token");
    let mut request = http::Request::post("https://tke.ap-guangzhou.tencentcloudapi.com/")
        .header("content-type", tke_signer::CONTENT_TYPE_JSON)
        .body(br#"{"ClusterIds":["cls-1"]}"#.to_vec())
        .unwrap();
    let params = HttpSignParams {
        action: "DescribeClusters",
        version: "2018-05-25",
        region: Some("ap-guangzhou"),
        service: None,
        timestamp: 1_700_000_000,
    };
    Signer::new()
        .sign_http(&creds, &mut request, params)
        .unwrap();
    assert!(request.headers()["x-tc-token"].is_sensitive());
    assert_eq!(request.headers()["x-tc-action"], "DescribeClusters");

    let owned = received_parts(&request);
    let headers: Vec<(&str, &str)> = owned
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let received = ReceivedRequest {
        method: "POST",
        query: "",
        headers: &headers,
        body: request.body(),
    };
    let verified = Verifier::new()
        .verify(&received, |_| Some(creds.clone()), 1_700_000_010)
        .unwrap();
    assert_eq!(verified.service, "tke");
    assert_eq!(verified.action.as_deref(), Some("DescribeClusters"));

    // Another region header after signing is fine (x-tc-region is not signed by default), but a
    // different action is not.
    let mut tampered = owned.clone();
    for (n, v) in &mut tampered {
        if n == "x-tc-action" {
            *v = "DeleteCluster".into();
        }
    }
    let headers: Vec<(&str, &str)> = tampered
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let received = ReceivedRequest {
        method: "POST",
        query: "",
        headers: &headers,
        body: request.body(),
    };
    assert!(matches!(
        Verifier::new().verify(&received, |_| Some(creds.clone()), 1_700_000_010),
        Err(tke_signer::Error::SignatureMismatch { .. })
    ));
}

#[test]
fn signed_http_get_with_query_verifies() {
    let creds = Credentials::new("AKIDtest", "test-secret");
    let mut request = http::Request::get("https://cvm.tencentcloudapi.com/?Limit=10&Offset=0")
        .header("content-type", tke_signer::CONTENT_TYPE_FORM)
        .body(Vec::new())
        .unwrap();
    let signer = Signer::new().with_signed_headers(SignedHeaders::minimal());
    let params = HttpSignParams {
        action: "DescribeInstances",
        version: "2017-03-12",
        region: None,
        service: None,
        timestamp: 1539084154,
    };
    signer.sign_http(&creds, &mut request, params).unwrap();
    assert!(request.headers().get("x-tc-region").is_none());
    let owned = received_parts(&request);
    let headers: Vec<(&str, &str)> = owned
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let received = ReceivedRequest {
        method: "GET",
        query: "Limit=10&Offset=0",
        headers: &headers,
        body: b"",
    };
    Verifier::new()
        .verify(&received, |_| Some(creds.clone()), 1539084154)
        .unwrap();
    let other_query = ReceivedRequest {
        query: "Limit=11&Offset=0",
        ..received
    };
    assert!(
        Verifier::new()
            .verify(&other_query, |_| Some(creds.clone()), 1539084154)
            .is_err()
    );
}

#[test]
fn http_methods_other_than_post_and_get_are_refused() {
    let mut request = http::Request::put("https://tke.tencentcloudapi.com/")
        .header("content-type", tke_signer::CONTENT_TYPE_JSON)
        .body(Vec::new())
        .unwrap();
    let params = HttpSignParams {
        action: "A",
        version: "1",
        region: None,
        service: None,
        timestamp: 0,
    };
    let err = Signer::new()
        .sign_http(&Credentials::new("A", "k"), &mut request, params)
        .unwrap_err();
    assert!(err.to_string().contains("PUT"), "{err}");
}
