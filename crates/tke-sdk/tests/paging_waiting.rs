//! Pagination streams, waiters and concurrency against the mock.
#![allow(clippy::unwrap_used)] // tests may unwrap

use std::time::Duration;

use futures_util::TryStreamExt;
use serde_json::json;
use tke_models::tke::v20180525::{DescribeClusterInstancesRequest, DescribeClustersRequest};
use tke_models::{Action, ApiResponse, Paginated, Pagination};
use tke_sdk::testkit::{MockTke, Reply};
use tke_sdk::{Error, WaitConfig};

fn instances(from: usize, n: usize) -> Vec<serde_json::Value> {
    (from..from + n)
        .map(|i| json!({"InstanceId": format!("ins-{i}"), "InstanceState": "running"}))
        .collect()
}

#[tokio::test]
async fn pages_stop_at_the_total() {
    let mock = MockTke::start().await;
    mock.on("DescribeClusterInstances").replies([
        Reply::json(json!({"TotalCount": 45, "InstanceSet": instances(0, 20)})),
        Reply::json(json!({"TotalCount": 45, "InstanceSet": instances(20, 20)})),
        Reply::json(json!({"TotalCount": 45, "InstanceSet": instances(40, 5)})),
    ]);
    let request = DescribeClusterInstancesRequest {
        cluster_id: "cls-1".into(),
        ..Default::default()
    };
    let items: Vec<_> = mock.client().items(request).try_collect().await.unwrap();
    assert_eq!(items.len(), 45);
    assert_eq!(items[44].instance_id.as_deref(), Some("ins-44"));
    let offsets: Vec<(i64, i64)> = mock
        .received()
        .iter()
        .map(|r| {
            let b = r.json();
            (b["Offset"].as_i64().unwrap(), b["Limit"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(offsets, [(0, 20), (20, 20), (40, 20)]);
}

#[tokio::test]
async fn pages_start_at_the_requested_offset_and_limit() {
    let mock = MockTke::start().await;
    mock.on("DescribeClusters").replies([
        Reply::json(json!({"TotalCount": 12, "Clusters": [{"ClusterId": "a"}, {"ClusterId": "b"}, {"ClusterId": "c"}]})),
        Reply::json(json!({"TotalCount": 12, "Clusters": [{"ClusterId": "d"}]})),
    ]);
    let request = DescribeClustersRequest::default().offset(8).limit(3);
    let pages: Vec<_> = mock.client().pages(request).try_collect().await.unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1].request_id(), "mock-00000002");
    let bodies: Vec<_> = mock.received().iter().map(|r| r.json()).collect();
    assert_eq!(bodies[0]["Offset"], 8);
    assert_eq!(bodies[1]["Offset"], 11);
    assert_eq!(bodies[1]["Limit"], 3);
}

#[tokio::test]
async fn empty_page_stops_even_below_the_total() {
    let mock = MockTke::start().await;
    mock.on("DescribeClusters").replies([
        Reply::json(json!({"TotalCount": 100, "Clusters": [{"ClusterId": "a"}]})),
        Reply::json(json!({"TotalCount": 100, "Clusters": []})),
    ]);
    let request = DescribeClustersRequest::default().limit(1);
    let items: Vec<_> = mock.client().items(request).try_collect().await.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(mock.received().len(), 2);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_yielding_it() {
    let mock = MockTke::start().await;
    mock.on("DescribeClusters").replies([
        Reply::json(json!({"TotalCount": 3, "Clusters": [{"ClusterId": "a"}]})),
        Reply::error("InvalidParameter", "bad offset"),
    ]);
    let request = DescribeClustersRequest::default().limit(1);
    let results: Vec<_> =
        futures_util::StreamExt::collect::<Vec<_>>(mock.client().items(request)).await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert_eq!(
        results[1].as_ref().unwrap_err().code(),
        Some("InvalidParameter")
    );
}

// A hand-written paged action without a total, to exercise the short-page rule.
#[derive(Debug, Clone, Default, serde::Serialize)]
struct ListThings {
    #[serde(rename = "Offset", skip_serializing_if = "Option::is_none")]
    offset: Option<u64>,
    #[serde(rename = "Limit", skip_serializing_if = "Option::is_none")]
    limit: Option<u64>,
}

#[derive(Debug, serde::Deserialize)]
struct ListThingsResponse {
    #[serde(rename = "Things", default)]
    things: Vec<String>,
    #[serde(rename = "RequestId")]
    request_id: String,
}

impl ApiResponse for ListThingsResponse {
    fn request_id(&self) -> &str {
        &self.request_id
    }
}

impl Action for ListThings {
    type Response = ListThingsResponse;
    const SERVICE: &'static str = "tke";
    const VERSION: &'static str = "2018-05-25";
    const ACTION: &'static str = "ListThings";
    const READ_ONLY: bool = true;
}

impl Paginated for ListThings {
    type Item = String;
    const PAGINATION: Pagination = Pagination {
        offset_field: "Offset",
        limit_field: "Limit",
        items_field: "Things",
        total_field: None,
    };
    fn offset(&self) -> Option<u64> {
        self.offset
    }
    fn set_offset(&mut self, offset: u64) {
        self.offset = Some(offset);
    }
    fn limit(&self) -> Option<u64> {
        self.limit
    }
    fn set_limit(&mut self, limit: u64) {
        self.limit = Some(limit);
    }
    fn total(_: &ListThingsResponse) -> Option<u64> {
        None
    }
    fn into_items(response: ListThingsResponse) -> Vec<String> {
        response.things
    }
}

#[tokio::test]
async fn without_a_total_a_short_page_stops() {
    let mock = MockTke::start().await;
    mock.on("ListThings").replies([
        Reply::json(json!({"Things": ["a", "b"]})),
        Reply::json(json!({"Things": ["c"]})),
    ]);
    let request = ListThings {
        offset: None,
        limit: Some(2),
    };
    let items: Vec<String> = mock.client().items(request).try_collect().await.unwrap();
    assert_eq!(items, ["a", "b", "c"]);
    assert_eq!(mock.received().len(), 2);
}

#[tokio::test]
async fn a_server_ignoring_offset_cannot_loop_forever() {
    let mock = MockTke::start().await;
    mock.on("ListThings")
        .reply_json(json!({"Things": ["same", "page"]}));
    let request = ListThings {
        offset: None,
        limit: Some(2),
    };
    let results: Vec<_> =
        futures_util::StreamExt::collect::<Vec<_>>(mock.client().pages_with_max(request, 5)).await;
    assert_eq!(results.len(), 6);
    assert!(matches!(
        results[5],
        Err(Error::PaginationLimit { pages: 5, .. })
    ));
}

fn fast() -> WaitConfig {
    WaitConfig::default()
        .with_initial_delay(Duration::from_millis(5))
        .with_max_delay(Duration::from_millis(20))
        .with_max_wait(Duration::from_secs(5))
}

#[tokio::test]
async fn cluster_waiter_reaches_running_through_throttling() {
    let mock = MockTke::start().await;
    let cluster = |s: &str| {
        Reply::json(
            json!({"TotalCount": 1, "Clusters": [{"ClusterId": "cls-1", "ClusterStatus": s}]}),
        )
    };
    mock.on("DescribeClusters").replies([
        cluster("Creating"),
        Reply::error("RequestLimitExceeded", "slow"),
        Reply::error("RequestLimitExceeded", "slow"),
        Reply::error("RequestLimitExceeded", "slow"),
        cluster("Creating"),
        cluster("Running"),
    ]);
    let state = mock
        .client()
        .wait_cluster_running("cls-1", fast())
        .await
        .unwrap();
    assert_eq!(state, "Running");
    assert_eq!(mock.received()[0].json(), json!({"ClusterIds": ["cls-1"]}));
}

#[tokio::test]
async fn cluster_waiter_reports_failure_and_last_state() {
    let mock = MockTke::start().await;
    mock.on("DescribeClusters").replies([
        Reply::json(json!({"Clusters": [{"ClusterId": "cls-1", "ClusterStatus": "Creating"}]})),
        Reply::json(json!({"Clusters": [{"ClusterId": "cls-1", "ClusterStatus": "Abnormal"}]})),
    ]);
    match mock
        .client()
        .wait_cluster_running("cls-1", fast())
        .await
        .unwrap_err()
    {
        Error::Waiter {
            last_state, what, ..
        } => {
            assert_eq!(last_state, "Abnormal");
            assert!(what.contains("cls-1"));
        }
        other => panic!("{other:?}"),
    }

    let mock = MockTke::start().await;
    mock.on("DescribeClusters")
        .reply_json(json!({"Clusters": [{"ClusterId": "cls-1", "ClusterStatus": "Upgrading"}]}));
    let config = fast().with_max_wait(Duration::from_millis(100));
    match mock
        .client()
        .wait_cluster_running("cls-1", config)
        .await
        .unwrap_err()
    {
        Error::Waiter {
            last_state, reason, ..
        } => {
            assert_eq!(last_state, "Upgrading");
            assert!(reason.contains("gave up"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn node_pool_and_instance_waiters() {
    let mock = MockTke::start().await;
    mock.on("DescribeClusterNodePoolDetail").replies([
        Reply::json(json!({"NodePool": {"NodePoolId": "np-1", "LifeState": "updating"}})),
        Reply::json(json!({"NodePool": {"NodePoolId": "np-1", "LifeState": "normal"}})),
    ]);
    mock.on("DescribeClusterInstances").replies([
        Reply::json(json!({"TotalCount": 1, "InstanceSet": [{"InstanceId": "ins-1", "InstanceState": "initializing"}]})),
        Reply::json(json!({"TotalCount": 2, "InstanceSet": instances(1, 2)})),
    ]);
    let client = mock.client();
    assert_eq!(
        client
            .wait_node_pool_settled("cls-1", "np-1", fast())
            .await
            .unwrap(),
        "normal"
    );
    let ids = vec!["ins-1".to_owned(), "ins-2".to_owned()];
    assert_eq!(
        client
            .wait_instances_running("cls-1", &ids, fast())
            .await
            .unwrap(),
        "ins-1=running, ins-2=running"
    );
    // A non-retryable polling error ends the wait at once.
    mock.on("DescribeClusterNodePoolDetail")
        .reply_error("ResourceNotFound", "no such pool");
    let err = client
        .wait_node_pool_settled("cls-1", "np-9", fast())
        .await
        .unwrap_err();
    assert!(err.is_not_found());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_through_one_client() {
    let mock = MockTke::start().await;
    mock.on("DescribeClusters")
        .reply_json(json!({"TotalCount": 1, "Clusters": [{"ClusterId": "cls-1"}]}));
    let client = mock.client();
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.call(&DescribeClustersRequest::default()).await })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        let response = task.await.unwrap().unwrap();
        assert_eq!(response.clusters.len(), 1);
        ok += 1;
    }
    assert_eq!(ok, 1000);
    assert_eq!(mock.received().len(), 1000, "no call needed a retry");
}
