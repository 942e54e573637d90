//! Response decoding cost of tke-models (issue: typed models generated from the API model).
//!
//! Target, measured in the same run: decoding a 100-cluster `DescribeClusters` response body
//! into the typed model (`tke_models::envelope::decode_response`, lenient decoding included)
//! is at least 1.5x faster than parsing the same bytes into `serde_json::Value`.
//!
//! The body is the model's own `DescribeClusters` example with its cluster repeated 100
//! times (distinct ids), so every member the real API sends is exercised.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::Value;
use tke_models::envelope::decode_response;
use tke_models::tke::v20180525::DescribeClustersResponse;

const FIXTURE: &str = include_str!("../crates/tke-models/fixtures/tke-v20180525-examples.json");

/// `{"Response": {"Clusters": [100 clusters], "TotalCount": 100, "RequestId": ...}}`.
fn describe_clusters_body(clusters: usize) -> Vec<u8> {
    let examples: Vec<Value> = serde_json::from_str(FIXTURE).expect("fixture is JSON");
    let example = examples
        .into_iter()
        .find(|e| e["action"] == "DescribeClusters")
        .expect("a DescribeClusters example");
    let mut response = example["output"]["Response"].clone();
    let cluster = response["Clusters"][0].clone();
    let list = (0..clusters)
        .map(|i| {
            let mut c = cluster.clone();
            c["ClusterId"] = Value::String(format!("cls-{i:08}"));
            c
        })
        .collect();
    response["Clusters"] = Value::Array(list);
    response["TotalCount"] = Value::from(clusters);
    serde_json::to_vec(&serde_json::json!({ "Response": response })).expect("serializable")
}

fn bench_decode(c: &mut Criterion) {
    let body = describe_clusters_body(100);
    // Sanity: both decoders see 100 clusters.
    let typed = decode_response::<DescribeClustersResponse>(&body)
        .expect("valid envelope")
        .expect("success envelope");
    assert_eq!(typed.clusters.len(), 100);

    let mut group = c.benchmark_group("describe_clusters_100");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("typed", |b| {
        b.iter(|| decode_response::<DescribeClustersResponse>(black_box(&body)))
    });
    group.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&body)))
    });
    group.finish();
}

criterion_group!(benches, bench_decode);
criterion_main!(benches);
