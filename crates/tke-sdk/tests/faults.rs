//! Fault injection against the mock TKE: every fault gives its documented outcome, no panic.
#![allow(clippy::unwrap_used)] // tests may unwrap

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use serde_json::json;
use tke_models::tke::v20180525::{
    CreateReservedInstancesRequest, DescribeClustersRequest, DescribeClustersResponse,
};
use tke_sdk::testkit::{MockTke, Reply};
use tke_sdk::{Client, Error, RetryPolicy, TimeSource, TimeoutScope, TransportKind};

const V: &str = "2018-05-25";

async fn describe(client: &Client) -> Result<serde_json::Value, Error> {
    client
        .call_raw("tke", V, "DescribeClusters", &json!({}))
        .await
}

async fn create(client: &Client) -> Result<serde_json::Value, Error> {
    client
        .call_raw(
            "tke",
            V,
            "CreateCluster",
            &json!({"ClusterType": "MANAGED_CLUSTER"}),
        )
        .await
}

#[tokio::test]
async fn throttled_then_success_signs_each_attempt_afresh() {
    let mock = MockTke::start().await;
    mock.on("DescribeClusters").replies([
        Reply::error("RequestLimitExceeded", "too fast"),
        Reply::error("RequestLimitExceeded.UinLimitExceeded", "too fast"),
        Reply::json(json!({"TotalCount": 0, "Clusters": []})),
    ]);
    // A clock that advances one second per reading: each attempt's timestamp is observable.
    let tick = Arc::new(AtomicI64::new(tke_signer::unix_now()));
    let clock = tick.clone();
    let client = Client::new(
        mock.config_builder()
            .time_source(TimeSource::new(move || {
                clock.fetch_add(1, Ordering::SeqCst)
            }))
            .build()
            .unwrap(),
    )
    .unwrap();
    let response: DescribeClustersResponse = client
        .call(&DescribeClustersRequest::default())
        .await
        .unwrap();
    assert_eq!(response.total_count, Some(0));
    let received = mock.received_for("DescribeClusters");
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|r| r.signature_ok));
    let stamps: Vec<i64> = received.iter().map(|r| r.timestamp).collect();
    assert!(stamps.windows(2).all(|w| w[1] > w[0]), "{stamps:?}");
    let signatures: Vec<&str> = received
        .iter()
        .map(|r| r.header("authorization").unwrap())
        .collect();
    assert!(signatures.windows(2).all(|w| w[0] != w[1]));
    // The body is byte-identical across attempts.
    assert!(received.windows(2).all(|w| w[0].body == w[1].body));
}

#[tokio::test]
async fn persistent_throttling_gives_up_after_three_attempts() {
    let mock = MockTke::start().await;
    mock.on("DescribeClusters")
        .reply_error("RequestLimitExceeded", "slow down");
    let err = describe(&mock.client()).await.unwrap_err();
    assert!(err.is_throttled());
    assert_eq!(err.code(), Some("RequestLimitExceeded"));
    assert!(err.request_id().unwrap().starts_with("mock-"));
    assert_eq!(mock.received().len(), 3);
}

#[tokio::test]
async fn http_5xx_is_retried_then_reported() {
    let mock = MockTke::start().await;
    mock.on("DescribeClusters").replies([
        Reply::raw(502, "<html>bad gateway</html>"),
        Reply::json(json!({"TotalCount": 1})),
    ]);
    assert_eq!(describe(&mock.client()).await.unwrap()["TotalCount"], 1);
    assert_eq!(mock.received().len(), 2);

    let mock = MockTke::start().await;
    mock.on("CreateCluster")
        .reply(Reply::raw(503, "unavailable"));
    match create(&mock.client()).await.unwrap_err() {
        Error::HttpStatus {
            status: 503,
            excerpt,
            ..
        } => assert_eq!(excerpt, "unavailable"),
        other => panic!("{other:?}"),
    }
    // 5xx is retried even for writes (the gateway did not process it).
    assert_eq!(mock.received().len(), 3);
}

#[tokio::test]
async fn http_429_without_envelope_is_throttling() {
    let mock = MockTke::start().await;
    mock.on("CreateCluster").replies([
        Reply::raw(429, "Too Many Requests"),
        Reply::json(json!({"ClusterId": "cls-1"})),
    ]);
    assert_eq!(create(&mock.client()).await.unwrap()["ClusterId"], "cls-1");
    assert_eq!(mock.received().len(), 2);
}

#[tokio::test]
async fn delay_past_attempt_timeout() {
    let mock = MockTke::start().await;
    mock.on("DescribeClusters").replies([
        Reply::json(json!({"TotalCount": 9})).delayed(Duration::from_secs(2)),
        Reply::json(json!({"TotalCount": 1})),
    ]);
    mock.on("CreateCluster")
        .reply(Reply::json(json!({})).delayed(Duration::from_secs(2)));
    let client = Client::new(
        mock.config_builder()
            .attempt_timeout(Duration::from_millis(200))
            .build()
            .unwrap(),
    )
    .unwrap();
    // Read-only: the timed-out attempt is retried.
    assert_eq!(describe(&client).await.unwrap()["TotalCount"], 1);
    // A write may have been processed: not retried.
    match create(&client).await.unwrap_err() {
        Error::Timeout {
            scope: TimeoutScope::Attempt,
            action,
            ..
        } => {
            assert_eq!(action, "CreateCluster");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(mock.received_for("CreateCluster").len(), 1);
}

#[tokio::test]
async fn operation_timeout_bounds_everything() {
    let mock = MockTke::start().await;
    mock.on("DescribeClusters")
        .reply(Reply::json(json!({})).delayed(Duration::from_secs(3)));
    let client = Client::new(
        mock.config_builder()
            .operation_timeout(Duration::from_millis(300))
            .build()
            .unwrap(),
    )
    .unwrap();
    let started = std::time::Instant::now();
    match describe(&client).await.unwrap_err() {
        Error::Timeout {
            scope: TimeoutScope::Operation,
            ..
        } => {}
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_not_retried() {
    let mock = MockTke::start().await;
    mock.on("DescribeClusters")
        .reply(Reply::raw(200, "{this is not json"));
    match describe(&mock.client()).await.unwrap_err() {
        Error::Decode {
            truncated,
            excerpt,
            action,
            ..
        } => {
            assert!(!truncated);
            assert_eq!(action, "DescribeClusters");
            assert!(excerpt.contains("this is not json"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(mock.received().len(), 1);
}

#[tokio::test]
async fn truncated_body_is_retried_for_reads_only() {
    let truncated = r#"{"Response":{"TotalCount":3,"Clusters":[{"ClusterId":"cls-1""#;
    let mock = MockTke::start().await;
    mock.on("DescribeClusters").replies([
        Reply::raw(200, truncated),
        Reply::json(json!({"TotalCount": 3})),
    ]);
    mock.on("CreateCluster").reply(Reply::raw(200, truncated));
    let client = mock.client();
    assert_eq!(describe(&client).await.unwrap()["TotalCount"], 3);
    match create(&client).await.unwrap_err() {
        Error::Decode {
            truncated: true, ..
        } => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(mock.received_for("CreateCluster").len(), 1);
}

#[tokio::test]
async fn error_envelope_classes() {
    // (code, read-only?, predicate, expected attempts)
    type Check = fn(&Error) -> bool;
    let table: &[(&str, bool, Check, usize)] = &[
        ("RequestLimitExceeded", false, Error::is_throttled, 3),
        (
            "RequestLimitExceeded.IPLimitExceeded",
            true,
            Error::is_throttled,
            3,
        ),
        ("LimitExceeded", true, Error::is_quota, 1),
        ("LimitExceeded.ClusterQuota", false, Error::is_quota, 1),
        ("AuthFailure.UnauthorizedOperation", true, Error::is_auth, 1),
        ("UnauthorizedOperation", true, Error::is_auth, 1),
        ("ResourceNotFound", true, Error::is_not_found, 1),
        (
            "FailedOperation.ClusterNotFound",
            true,
            Error::is_not_found,
            1,
        ),
        ("InternalError", true, Error::is_retryable, 3),
        ("InternalError", false, Error::is_retryable, 1),
        ("ServiceUnavailable", false, Error::is_retryable, 3),
        ("InvalidParameter", true, |e| !e.is_retryable(), 1),
        ("MissingParameter", true, |e| !e.is_retryable(), 1),
    ];
    for (code, read_only, check, attempts) in table {
        let mock = MockTke::start().await;
        let action = if *read_only {
            "DescribeClusters"
        } else {
            "CreateCluster"
        };
        mock.on(action).reply_error(code, "injected");
        let err = mock
            .client()
            .call_raw("tke", V, action, &json!({}))
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some(*code));
        assert!(check(&err), "{code}: predicate");
        assert_eq!(
            mock.received().len(),
            *attempts,
            "{code} ({action}): attempts"
        );
        let text = err.to_string();
        assert!(text.contains(code) && text.contains(action), "{text}");
    }
}

#[tokio::test]
async fn idempotency_token_is_filled_and_makes_writes_retryable() {
    let mock = MockTke::start().await;
    mock.on("CreateReservedInstances").replies([
        Reply::error("InternalError", "try again"),
        Reply::json(json!({"ReservedInstanceIds": ["ri-1"]})),
    ]);
    let response = mock
        .client()
        .call(&CreateReservedInstancesRequest::default())
        .await
        .unwrap();
    assert_eq!(response.request_id.len(), 13);
    let received = mock.received();
    assert_eq!(received.len(), 2);
    let tokens: Vec<String> = received
        .iter()
        .map(|r| r.json()["ClientToken"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(tokens[0].len(), 32);
    assert_eq!(tokens[0], tokens[1], "the same token on every attempt");

    // A token the caller set is kept.
    let mock = MockTke::start().await;
    mock.on("CreateReservedInstances").reply_json(json!({}));
    let request = CreateReservedInstancesRequest {
        client_token: Some("mine".into()),
        ..Default::default()
    };
    mock.client().call(&request).await.unwrap();
    assert_eq!(mock.received()[0].json()["ClientToken"], "mine");
}

#[tokio::test]
async fn skewed_clock_is_corrected_from_the_date_header() {
    let mock = MockTke::start().await;
    mock.set_clock_offset(3600);
    mock.on("DescribeClusters")
        .reply_json(json!({"TotalCount": 2}));
    let client = mock.client();
    assert_eq!(describe(&client).await.unwrap()["TotalCount"], 2);
    let offset = client.clock_offset();
    assert!((3598..=3601).contains(&offset), "{offset}");
    let received = mock.received();
    assert_eq!(
        received.len(),
        2,
        "one rejected attempt, one corrected retry"
    );
    assert!(!received[0].signature_ok);
    assert!(received[1].signature_ok);
    assert!(received[1].timestamp - received[0].timestamp >= 3598);
    // Later calls (and clones) use the correction directly.
    describe(&client.clone()).await.unwrap();
    assert_eq!(mock.received().len(), 3);
}

#[tokio::test]
async fn skew_retry_happens_once() {
    let mock = MockTke::start().await;
    // The server says the signature expired no matter what.
    mock.on("DescribeClusters")
        .reply_error("AuthFailure.SignatureExpire", "expired");
    let err = describe(&mock.client()).await.unwrap_err();
    assert_eq!(err.code(), Some("AuthFailure.SignatureExpire"));
    assert!(err.is_auth());
    assert_eq!(mock.received().len(), 2);
}

#[tokio::test]
async fn unexpected_calls_and_bad_signatures_are_reported() {
    let mut mock = MockTke::start().await;
    mock.allow_unexpected();
    let err = describe(&mock.client()).await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidAction"));
    assert_eq!(mock.problems().len(), 1);

    let wrong = Client::new(
        mock.config_builder()
            .credentials(tke_signer::Credentials::new(
                tke_sdk::testkit::MOCK_SECRET_ID,
                "wrong-key",
            ))
            .build()
            .unwrap(),
    )
    .unwrap();
    mock.on("DescribeClusters").reply_json(json!({}));
    let err = describe(&wrong).await.unwrap_err();
    assert_eq!(err.code(), Some("AuthFailure.SignatureFailure"));
    assert!(!err.to_string().contains("wrong-key"));
    assert_eq!(mock.problems().len(), 2);
}

/// A server that sends a response head promising 1000 bytes, 20 bytes of body, then closes.
async fn cut_off_server() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            seen.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let _ = socket.read(&mut buf).await;
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(br#"{"Response":{"Total"#).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (format!("http://{addr}"), count)
}

#[tokio::test]
async fn connection_closed_mid_body() {
    let (url, connections) = cut_off_server().await;
    let config = tke_sdk::Config::builder()
        .endpoint_url(&url)
        .unwrap()
        .credentials(tke_signer::Credentials::new("AKIDx", "k"))
        .retry(RetryPolicy::default().with_base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    match describe(&client).await.unwrap_err() {
        Error::Transport {
            kind: TransportKind::Interrupted,
            action,
            ..
        } => {
            assert_eq!(action, "DescribeClusters");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(connections.load(Ordering::SeqCst), 3, "read-only: retried");
    let before = connections.load(Ordering::SeqCst);
    assert!(matches!(
        create(&client).await.unwrap_err(),
        Error::Transport {
            kind: TransportKind::Interrupted,
            ..
        }
    ));
    assert_eq!(
        connections.load(Ordering::SeqCst) - before,
        1,
        "write: not retried"
    );
}

#[tokio::test]
async fn connection_refused_is_a_retryable_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let config = tke_sdk::Config::builder()
        .endpoint_url(&url)
        .unwrap()
        .credentials(tke_signer::Credentials::new("AKIDx", "k"))
        .retry(RetryPolicy::default().with_base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    let err = create(&Client::new(config).unwrap()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn request_headers_are_complete() {
    let mock = MockTke::start().await;
    mock.on("DescribeClusters").reply_json(json!({}));
    let client = Client::new(
        mock.config_builder()
            .language(tke_sdk::Language::EnUs)
            .request_client_suffix("tests")
            .build()
            .unwrap(),
    )
    .unwrap()
    .with_region("ap-beijing");
    describe(&client).await.unwrap();
    let r = &mock.received()[0];
    assert_eq!(r.header("x-tc-action"), Some("DescribeClusters"));
    assert_eq!(r.header("x-tc-version"), Some(V));
    assert_eq!(r.header("x-tc-region"), Some("ap-beijing"));
    assert_eq!(r.header("x-tc-language"), Some("en-US"));
    assert_eq!(
        r.header("content-type"),
        Some(tke_signer::CONTENT_TYPE_JSON)
    );
    assert_eq!(
        r.header("x-tc-requestclient"),
        Some(format!("{};tests", tke_sdk::REQUEST_CLIENT).as_str())
    );
    assert!(
        r.header("authorization")
            .unwrap()
            .contains("SignedHeaders=content-type;host;x-tc-action")
    );
    assert_eq!(r.body, b"{}");
}

#[tokio::test]
async fn skew_retry_is_outside_the_retry_budget() {
    let mock = MockTke::start().await;
    mock.set_clock_offset(-7200);
    mock.on("DescribeClusters").replies([
        Reply::error("RequestLimitExceeded", "slow"),
        Reply::error("RequestLimitExceeded", "slow"),
        Reply::json(json!({"TotalCount": 4})),
    ]);
    assert_eq!(describe(&mock.client()).await.unwrap()["TotalCount"], 4);
    // One expired signature, then the normal three attempts.
    assert_eq!(mock.received().len(), 4);
}

#[tokio::test]
async fn extra_signed_headers_verify() {
    let mock = MockTke::start().await;
    mock.on("DescribeClusters").reply_json(json!({}));
    let signed = tke_signer::SignedHeaders::parse(
        "content-type;host;x-tc-action;x-tc-timestamp;x-tc-region;x-tc-requestclient",
    )
    .unwrap();
    let client = Client::new(
        mock.config_builder()
            .signed_headers(signed)
            .build()
            .unwrap(),
    )
    .unwrap();
    describe(&client).await.unwrap();
    let r = &mock.received()[0];
    assert!(r.signature_ok);
    assert!(r.header("authorization").unwrap().contains(
        "SignedHeaders=content-type;host;x-tc-action;x-tc-region;x-tc-requestclient;x-tc-timestamp"
    ));
}
