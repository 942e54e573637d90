//! How to test your own code against a mocked TKE with the SDK's test kit
//! (`tke-sdk = { version = "...", features = ["test-util"] }` in your dev-dependencies).
//!
//! ```text
//! cargo run --example testing_with_mocks
//! ```
//! In a real project the `check_*` functions below are `#[tokio::test]`s; here `main` runs them.
#![allow(clippy::print_stdout)]

use serde_json::json;
use tke_models::tke::v20180525::{DescribeClustersRequest, DescribeClustersResponse};
use tke_sdk::testkit::{MockTke, Reply};
use tke_sdk::{Client, Error};

/// The code under test: names of the running clusters.
async fn running_clusters(client: &Client) -> Result<Vec<String>, Error> {
    let response = client.call(&DescribeClustersRequest::default()).await?;
    Ok(response
        .clusters
        .into_iter()
        .filter(|c| c.cluster_status.as_deref() == Some("Running"))
        .filter_map(|c| c.cluster_name)
        .collect())
}

async fn check_happy_path() {
    let mock = MockTke::start().await;
    // A typed response works too: `mock.on_action::<DescribeClustersRequest>(&response)`.
    mock.on("DescribeClusters").reply_json(json!({
        "TotalCount": 2,
        "Clusters": [
            {"ClusterName": "prod", "ClusterStatus": "Running"},
            {"ClusterName": "new", "ClusterStatus": "Creating"}
        ]
    }));
    let names = running_clusters(&mock.client())
        .await
        .expect("call succeeds");
    assert_eq!(names, ["prod"]);
    // Assert on what was sent: the mock recorded it and verified its TC3 signature.
    let sent = mock.received_for("DescribeClusters");
    assert_eq!(sent.len(), 1);
    assert!(sent[0].signature_ok);
    assert_eq!(sent[0].region.as_deref(), Some("ap-guangzhou"));
    println!("happy path: ok");
}

async fn check_typed_response() {
    let mock = MockTke::start().await;
    let response = DescribeClustersResponse {
        total_count: Some(0),
        ..Default::default()
    };
    mock.on_action::<DescribeClustersRequest>(&response);
    assert!(
        running_clusters(&mock.client())
            .await
            .expect("ok")
            .is_empty()
    );
    println!("typed response: ok");
}

async fn check_throttling_is_retried() {
    let mock = MockTke::start().await;
    mock.on("DescribeClusters").replies([
        Reply::error("RequestLimitExceeded", "slow down"),
        Reply::json(json!({"Clusters": []})),
    ]);
    running_clusters(&mock.client()).await.expect("retried");
    assert_eq!(mock.received().len(), 2);
    println!("throttling retried: ok");
}

async fn check_errors_surface() {
    let mock = MockTke::start().await;
    mock.on("DescribeClusters")
        .reply_error("AuthFailure.UnauthorizedOperation", "no permission");
    let err = running_clusters(&mock.client()).await.expect_err("fails");
    assert!(err.is_auth());
    println!("errors surface: ok ({err})");
}

async fn check_timeouts() {
    use std::time::Duration;
    let mock = MockTke::start().await;
    mock.on("DescribeClusters")
        .reply(Reply::json(json!({})).delayed(Duration::from_secs(5)));
    let client = Client::new(
        mock.config_builder()
            .operation_timeout(Duration::from_millis(200))
            .build()
            .expect("valid config"),
    )
    .expect("client");
    let err = running_clusters(&client).await.expect_err("times out");
    assert!(matches!(err, Error::Timeout { .. }));
    println!("timeouts: ok");
}

async fn check_unexpected_calls_fail_the_test() {
    let mut mock = MockTke::start().await;
    // Without this, dropping the mock would panic: nothing was registered for the call.
    mock.allow_unexpected();
    let err = running_clusters(&mock.client())
        .await
        .expect_err("unexpected");
    assert_eq!(err.code(), Some("InvalidAction"));
    assert_eq!(mock.problems().len(), 1);
    println!("unexpected calls reported: ok");
}

#[tokio::main]
async fn main() {
    check_happy_path().await;
    check_typed_response().await;
    check_throttling_is_retried().await;
    check_errors_surface().await;
    check_timeouts().await;
    check_unexpected_calls_fail_the_test().await;
}
