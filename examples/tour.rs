//! A tour of `tke-sdk`: list clusters, page through node instances, survive throttling, and
//! handle an error.
//!
//! ```text
//! cargo run --example tour
//! ```
//! With no credentials in the environment it starts the SDK's embedded mock TKE endpoint (which
//! verifies every request's TC3 signature) and runs against it. With `TENCENTCLOUD_SECRET_ID` and
//! `TENCENTCLOUD_SECRET_KEY` set (and optionally `TENCENTCLOUD_REGION`, default `ap-guangzhou`) it
//! makes the same read-only calls against the real API.
#![allow(clippy::print_stdout)]

use futures_util::TryStreamExt;
use serde_json::json;
use tke_models::tke::v20180525::{
    DescribeClusterInstancesRequest, DescribeClusterKubeconfigRequest,
    DescribeClusterStatusRequest, DescribeClustersRequest,
};
use tke_sdk::testkit::{MockTke, Reply};
use tke_sdk::{Client, Config, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let real = std::env::var("TENCENTCLOUD_SECRET_ID").is_ok()
        && std::env::var("TENCENTCLOUD_SECRET_KEY").is_ok();
    // The mock lives for the whole tour.
    let mock = if real { None } else { Some(start_mock().await) };
    let client = match &mock {
        None => {
            let region =
                std::env::var("TENCENTCLOUD_REGION").unwrap_or_else(|_| "ap-guangzhou".into());
            println!("Using the real TKE API in {region} (read-only calls).\n");
            Client::new(Config::builder().region(region).build()?)?
        }
        Some(mock) => {
            println!(
                "No TENCENTCLOUD_SECRET_ID/KEY: using the embedded mock TKE at {}.\n",
                mock.uri()
            );
            mock.client()
        }
    };

    // 1. List clusters: a typed request in, a typed response out.
    println!("1. DescribeClusters");
    let clusters = client.call(&DescribeClustersRequest::default()).await?;
    println!(
        "   {} cluster(s), request id {}",
        clusters.total_count.unwrap_or(0),
        clusters.request_id
    );
    for c in &clusters.clusters {
        println!(
            "   - {} {:?} {:?}",
            c.cluster_id.as_deref().unwrap_or("?"),
            c.cluster_name.as_deref().unwrap_or(""),
            c.cluster_status.as_deref().unwrap_or("")
        );
    }

    // 2. Page through the node instances of the first cluster: the stream follows Offset/Limit
    //    and stops at TotalCount.
    if let Some(cluster_id) = clusters.clusters.first().and_then(|c| c.cluster_id.clone()) {
        println!("\n2. DescribeClusterInstances of {cluster_id}, 20 per page");
        let request = DescribeClusterInstancesRequest {
            cluster_id: cluster_id.clone(),
            limit: Some(20),
            ..Default::default()
        };
        let mut pages = std::pin::pin!(client.pages(request));
        let (mut page_no, mut total) = (0, 0);
        while let Some(page) = pages.try_next().await? {
            page_no += 1;
            total += page.instance_set.len();
            println!("   page {page_no}: {} instance(s)", page.instance_set.len());
        }
        println!("   {total} instance(s) in {page_no} page(s)");

        // 3. A throttled call: the client backs off with jitter, re-signs and retries.
        println!("\n3. DescribeClusterStatus (the mock throttles twice first)");
        let status = client
            .call(&DescribeClusterStatusRequest::default().cluster_ids([cluster_id]))
            .await?;
        println!(
            "   succeeded: {} status record(s), request id {}",
            status.cluster_status_set.len(),
            status.request_id
        );
        if let Some(mock) = &mock {
            let attempts = mock.received_for("DescribeClusterStatus");
            let verified = attempts.iter().filter(|r| r.signature_ok).count();
            println!(
                "   attempts made: {} (each signed at send time; {verified} signature(s) verified by the mock)",
                attempts.len()
            );
        }
    }

    // 4. An error: a cluster that does not exist. Errors carry code, message and request id,
    //    with predicates for the common classes.
    println!("\n4. DescribeClusterKubeconfig of cls-doesnotexist");
    let request = DescribeClusterKubeconfigRequest {
        cluster_id: "cls-doesnotexist".into(),
        ..Default::default()
    };
    match client.call(&request).await {
        Ok(_) => println!("   unexpectedly succeeded"),
        Err(e) => {
            println!("   error: {e}");
            println!(
                "   code {:?}, not found: {}, auth: {}, retryable: {}",
                e.code(),
                e.is_not_found(),
                e.is_auth(),
                e.is_retryable()
            );
        }
    }
    println!("\nDone. Next: `cargo test -p tke-sdk`, and see examples/testing_with_mocks.rs.");
    Ok(())
}

async fn start_mock() -> MockTke {
    let mock = MockTke::start().await;
    mock.on("DescribeClusters").reply_json(json!({
        "TotalCount": 2,
        "Clusters": [
            {"ClusterId": "cls-a1b2c3d4", "ClusterName": "prod", "ClusterStatus": "Running",
             "ClusterVersion": "1.30.0", "ClusterNodeNum": 45},
            {"ClusterId": "cls-e5f6g7h8", "ClusterName": "staging", "ClusterStatus": "Creating",
             "ClusterVersion": "1.30.0", "ClusterNodeNum": 0},
        ]
    }));
    let page = |from: usize, n: usize| {
        let set: Vec<_> = (from..from + n)
            .map(|i| json!({"InstanceId": format!("ins-{i:08}"), "InstanceRole": "WORKER",
                            "InstanceState": "running", "LanIP": format!("10.0.{}.{}", i / 250, i % 250 + 2)}))
            .collect();
        Reply::json(json!({"TotalCount": 45, "InstanceSet": set}))
    };
    mock.on("DescribeClusterInstances")
        .replies([page(0, 20), page(20, 20), page(40, 5)]);
    mock.on("DescribeClusterStatus").replies([
        Reply::error("RequestLimitExceeded", "Request rate exceeded 20/s for DescribeClusterStatus"),
        Reply::error("RequestLimitExceeded.UinLimitExceeded", "Too many requests from this account"),
        Reply::json(json!({"TotalCount": 1, "ClusterStatusSet": [
            {"ClusterId": "cls-a1b2c3d4", "ClusterState": "Running", "ClusterInstanceState": "Running"}]})),
    ]);
    mock.on("DescribeClusterKubeconfig").reply_error(
        "ResourceNotFound.ClusterNotFound",
        "cluster cls-doesnotexist not found",
    );
    mock
}
