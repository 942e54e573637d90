//! Secrets never appear in Debug output, errors or tracing output (all levels, all crates,
//! span fields included).
#![allow(clippy::unwrap_used)] // tests may unwrap

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;
use tke_sdk::credentials::{AssumeRoleProvider, Credentials, CvmRoleProvider, DefaultChain};
use tke_sdk::testkit::{MockTke, Reply};
use tke_sdk::{Client, Config, Endpoint};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

const SOURCE_KEY: &str = "source-secret-key-XYZ";
const TMP_KEY: &str = "temporary-secret-key-QQQ";
const TMP_TOKEN: &str = "temporary-session-token-WWW";

#[tokio::test]
async fn no_secret_in_logs_errors_or_debug() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(capture.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mock = MockTke::start().await;
    let source = Credentials::new("AKIDsource", SOURCE_KEY);
    mock.accept_credentials(source.clone());
    let assumed = Credentials::new("AKIDtmp", TMP_KEY).with_token(TMP_TOKEN);
    mock.accept_credentials(assumed.clone());
    mock.on("AssumeRole").reply_json(json!({
        "Credentials": {"Token": TMP_TOKEN, "TmpSecretId": "AKIDtmp", "TmpSecretKey": TMP_KEY},
        "ExpiredTime": tke_signer::unix_now() + 7200,
        "Expiration": "2030-01-01T00:00:00Z",
    }));
    // Success, a retried throttle, an error, and a decode error whose body holds secrets.
    mock.on("DescribeClusters").replies([
        Reply::error("RequestLimitExceeded", "slow"),
        Reply::json(json!({"TotalCount": 0})),
    ]);
    mock.on("CreateCluster")
        .reply_error("InvalidParameter", "bad value");
    mock.on("DescribeClusterKubeconfig").reply(Reply::raw(
        200,
        format!(r#"{{"Response":{{"TmpSecretKey":"{TMP_KEY}","Token":"{TMP_TOKEN}","Kubeconfig":"#),
    ));

    let provider = AssumeRoleProvider::new(source.clone(), "qcs::cam::uin/1:roleName/r")
        .with_endpoint(Endpoint::Custom(mock.uri().parse().unwrap()));
    let config = mock.config_builder().credentials(provider).build().unwrap();
    let client = Client::new(config.clone()).unwrap();
    let v = "2018-05-25";
    client
        .call_raw("tke", v, "DescribeClusters", &json!({}))
        .await
        .unwrap();
    let create = client
        .call_raw("tke", v, "CreateCluster", &json!({}))
        .await
        .unwrap_err();
    let decode = client
        .call_raw(
            "tke",
            v,
            "DescribeClusterKubeconfig",
            &json!({"ClusterId": "cls-1"}),
        )
        .await
        .unwrap_err();
    assert!(mock.received_for("DescribeClusters")[1].header("x-tc-token") == Some(TMP_TOKEN));

    // A failing STS call with a secret-laden body.
    let bad = MockTke::start().await;
    bad.accept_credentials(source.clone());
    bad.on("AssumeRole").reply(Reply::raw(
        200,
        format!(r#"{{"Response":{{"Credentials":{{"TmpSecretKey":"{TMP_KEY}","Token":5}}}}}}"#),
    ));
    let failing = AssumeRoleProvider::new(source.clone(), "r")
        .with_endpoint(Endpoint::Custom(bad.uri().parse().unwrap()));
    let sts_error = tke_sdk::credentials::ProvideCredentials::credentials(&failing)
        .await
        .unwrap_err();

    let mut texts = vec![
        format!("{create} {create:?}"),
        format!("{decode} {decode:?}"),
        format!("{sts_error} {sts_error:?}"),
        format!("{config:?}"),
        format!("{client:?}"),
        format!("{failing:?}"),
        format!("{assumed:?} {assumed}"),
        format!("{:?}", DefaultChain::new()),
        format!("{:?}", CvmRoleProvider::new()),
        format!(
            "{:?}",
            Config::builder()
                .credentials(assumed.clone())
                .build()
                .unwrap()
        ),
    ];
    drop(_guard);
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("tke.call"), "spans are logged");
    assert!(logs.contains("DescribeClusters") && logs.contains("request_id"));
    texts.push(logs);
    for text in &texts {
        for secret in [
            SOURCE_KEY,
            TMP_KEY,
            TMP_TOKEN,
            "mock-secret-key-never-leaves-tests",
        ] {
            assert!(!text.contains(secret), "secret {secret} leaked in:\n{text}");
        }
    }
}
