//! Client-side overhead of `tke-sdk` per call on loopback (issue 4).
//!
//! Target, measured in the same run: one `Client::call(&DescribeClustersRequest)` (serialize,
//! sign afresh, send, receive, decode the typed `DescribeClustersResponse`) takes at most
//! **1.25x** the time of a bare `reqwest` POST of the same pre-signed bytes and headers to the
//! same local server (`bare_reqwest_presigned`), which only reads the body bytes.
//!
//! The server is a minimal keep-alive HTTP/1.1 responder on a raw tokio socket, so the server's
//! own cost is small and the ratio reflects the client. (That 1,000 concurrent calls through one
//! `Client` all succeed is a test: `crates/tke-sdk/tests/paging_waiting.rs`.)

use std::hint::black_box;

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use tke_models::tke::v20180525::DescribeClustersRequest;
use tke_sdk::{Client, Config, RetryPolicy};
use tke_signer::{CONTENT_TYPE_JSON, Credentials, Request, Signer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const RESPONSE_BODY: &str = r#"{"Response":{"TotalCount":2,"Clusters":[{"ClusterId":"cls-a1b2c3d4","ClusterName":"prod","ClusterDescription":"production","ClusterVersion":"1.30.0","ClusterOs":"tlinux3.1x86_64","ClusterType":"MANAGED_CLUSTER","ClusterNetworkSettings":{"ClusterCIDR":"172.16.0.0/16","IgnoreClusterCIDRConflict":false,"MaxNodePodNum":64,"MaxClusterServiceNum":1024,"Ipvs":true,"VpcId":"vpc-abcdefgh","Cni":true,"KubeProxyMode":"ipvs","ServiceCIDR":"","Subnets":["subnet-12345678"],"IgnoreServiceCIDRConflict":false,"IsDualStack":false,"Ipv6ServiceCIDR":"","CiliumMode":""},"ClusterNodeNum":45,"ProjectId":0,"TagSpecification":[{"ResourceType":"cluster","Tags":[{"Key":"env","Value":"prod"}]}],"ClusterStatus":"Running","Property":"{\"NodeNameType\":\"lan-ip\"}","ClusterMaterNodeNum":0,"ImageId":"img-xxxxxxxx","OsCustomizeType":"GENERAL","ContainerRuntime":"containerd","CreatedTime":"2024-01-01T00:00:00Z","DeletionProtection":true,"EnableExternalNode":false,"ClusterLevel":"L20","AutoUpgradeClusterLevel":true,"QGPUShareEnable":false,"RuntimeVersion":"1.6.9","ClusterEtcdNodeNum":0},{"ClusterId":"cls-e5f6g7h8","ClusterName":"staging","ClusterDescription":"","ClusterVersion":"1.28.3","ClusterOs":"ubuntu22.04x86_64","ClusterType":"MANAGED_CLUSTER","ClusterNodeNum":3,"ProjectId":0,"ClusterStatus":"Running","ClusterMaterNodeNum":0,"ContainerRuntime":"containerd","CreatedTime":"2024-02-01T00:00:00Z","DeletionProtection":false,"ClusterLevel":"L5","AutoUpgradeClusterLevel":false}],"RequestId":"6d2b1a3c-1f2e-4c9a-9b0d-123456789abc"}}"#;

/// Serves the canned response to every request, keeping connections alive.
async fn serve(listener: tokio::net::TcpListener) {
    let response = Bytes::from(format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
        RESPONSE_BODY.len(),
        RESPONSE_BODY
    ));
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let _ = socket.set_nodelay(true);
        let response = response.clone();
        tokio::spawn(async move {
            let mut buf = Vec::with_capacity(8192);
            let mut chunk = [0u8; 8192];
            loop {
                // Read one request: the head, then Content-Length bytes of body.
                let (head_end, body_len) = loop {
                    if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                        let len = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        break (end + 4, len);
                    }
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                };
                while buf.len() < head_end + body_len {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                buf.drain(..head_end + body_len);
                if socket.write_all(&response).await.is_err() {
                    return;
                }
            }
        });
    }
}

fn bench_sdk(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    rt.spawn(serve(listener));
    let url = format!("http://{addr}/");
    let host = addr.to_string();
    let credentials = Credentials::new("AKIDbench000000000000000000000000", "bench-secret-key");

    let config = Config::builder()
        .endpoint_url(&url)
        .expect("url")
        .region("ap-guangzhou")
        .credentials(credentials.clone())
        .retry(RetryPolicy::no_retries())
        .build()
        .expect("config");
    let client = Client::new(config).expect("client");
    let request = DescribeClustersRequest::default();
    // Warm the pool and check the decode works.
    let first = rt.block_on(client.call(&request)).expect("call");
    assert_eq!(first.clusters.len(), 2);

    // The bare baseline: the same body and headers, signed once up front.
    let body = Bytes::from(serde_json::to_vec(&request).expect("json"));
    let signed = Signer::new()
        .sign(
            &credentials,
            &Request::post(&host, "DescribeClusters", "2018-05-25", &body)
                .with_service("tke")
                .region("ap-guangzhou"),
            tke_signer::unix_now(),
        )
        .expect("sign");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::HOST, host.parse().expect("host"));
    headers.insert(
        reqwest::header::CONTENT_TYPE,
        reqwest::header::HeaderValue::from_static(CONTENT_TYPE_JSON),
    );
    for h in signed.headers() {
        headers.insert(
            reqwest::header::HeaderName::from_bytes(h.name.as_bytes()).expect("name"),
            h.value.parse().expect("value"),
        );
    }
    // Same settings as the SDK's own pool (ring provider, keep-alive below 30 s).
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    let bare = reqwest::Client::builder()
        .pool_idle_timeout(std::time::Duration::from_secs(25))
        .tcp_nodelay(true)
        .build()
        .expect("reqwest");

    let mut group = c.benchmark_group("call_describe_clusters_loopback");
    group.bench_function("bare_reqwest_presigned", |b| {
        b.iter(|| {
            rt.block_on(async {
                let response = bare
                    .post(&url)
                    .headers(headers.clone())
                    .body(body.clone())
                    .send()
                    .await
                    .expect("send");
                black_box(response.bytes().await.expect("body"))
            })
        })
    });
    group.bench_function("sdk_typed_call", |b| {
        b.iter(|| rt.block_on(async { black_box(client.call(&request).await.expect("call")) }))
    });
    group.finish();
}

criterion_group!(benches, bench_sdk);
criterion_main!(benches);
