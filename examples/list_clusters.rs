//! Lists every cluster of a region with the item stream (all pages).
//!
//! ```text
//! TENCENTCLOUD_SECRET_ID=... TENCENTCLOUD_SECRET_KEY=... TENCENTCLOUD_REGION=ap-guangzhou \
//!     cargo run --example list_clusters
//! ```
//! Credentials come from the default chain (environment, profile file, TKE pod identity, CVM
//! role). Without any, it runs against the embedded mock endpoint.
#![allow(clippy::print_stdout)]

use futures_util::TryStreamExt;
use tke_models::tke::v20180525::DescribeClustersRequest;
use tke_sdk::testkit::MockTke;
use tke_sdk::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let configured = std::env::var("TENCENTCLOUD_SECRET_ID").is_ok();
    let mock = if configured {
        None
    } else {
        let mock = MockTke::start().await;
        mock.on("DescribeClusters").reply_json(serde_json::json!({
            "TotalCount": 1,
            "Clusters": [{"ClusterId": "cls-mock0001", "ClusterName": "demo", "ClusterStatus": "Running"}]
        }));
        Some(mock)
    };
    let client = match &mock {
        Some(mock) => mock.client(),
        None => Client::from_env()?,
    };
    let clusters: Vec<_> = client
        .items(DescribeClustersRequest::default().limit(100))
        .try_collect()
        .await?;
    println!("{:<16} {:<24} {:<10} version", "id", "name", "status");
    for c in &clusters {
        println!(
            "{:<16} {:<24} {:<10} {}",
            c.cluster_id.as_deref().unwrap_or("-"),
            c.cluster_name.as_deref().unwrap_or("-"),
            c.cluster_status.as_deref().unwrap_or("-"),
            c.cluster_version.as_deref().unwrap_or("-"),
        );
    }
    println!("{} cluster(s)", clusters.len());
    Ok(())
}
