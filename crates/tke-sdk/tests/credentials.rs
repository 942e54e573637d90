//! Credential providers against local servers and temp files.
//!
//! Environment-dependent cases run in a child process (the test binary re-executed with a
//! chosen environment), because setting variables in a running multi-threaded test process is
//! unsound (and `unsafe` is forbidden here).
#![allow(clippy::unwrap_used)] // tests may unwrap

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;
use tke_sdk::credentials::{
    AssumeRoleProvider, ChainProvider, Credentials, CvmRoleProvider, DefaultChain, EnvProvider,
    OidcProvider, OidcSettings, ProfileProvider, ProvideCredentials,
};
use tke_sdk::testkit::MockTke;
use tke_sdk::{Client, CredentialsErrorKind, Endpoint, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tke-sdk-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn kind(e: &Error) -> Option<CredentialsErrorKind> {
    match e {
        Error::Credentials { kind, .. } => Some(*kind),
        _ => None,
    }
}

// ---------- child-process harness ----------

const CHILD: &str = "TKE_SDK_TEST_CHILD";

/// Runs the ignored test `name` in a child process with exactly `envs` (plus PATH) and returns
/// whether it passed, with its output.
fn run_child(name: &str, envs: &[(&str, String)]) -> (bool, String) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.env_clear().env(CHILD, "1").args([
        "--ignored",
        "--exact",
        name,
        "--nocapture",
        "--test-threads=1",
    ]);
    if let Ok(p) = std::env::var("PATH") {
        cmd.env("PATH", p);
    }
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success() && text.contains("1 passed"), text)
}

fn in_child() -> bool {
    std::env::var(CHILD).is_ok()
}

fn expect_env(name: &str) -> String {
    std::env::var(name).unwrap_or_default()
}

#[tokio::test]
async fn environment_provider_and_chain_in_children() {
    let home = temp_dir("home");
    std::fs::create_dir_all(home.join(".tencentcloud")).unwrap();
    std::fs::write(
        home.join(".tencentcloud/credentials"),
        "[default]\nsecret_id = AKIDprofile\nsecret_key = profile-key\n",
    )
    .unwrap();
    let empty_home = temp_dir("empty-home");
    let h = |p: &PathBuf| p.display().to_string();
    let cases: Vec<(&str, Vec<(&str, String)>)> = vec![
        (
            "child_env_provider",
            vec![
                ("TENCENTCLOUD_SECRET_ID", "AKIDenv".into()),
                ("TENCENTCLOUD_SECRET_KEY", "env-key".into()),
                ("TENCENTCLOUD_TOKEN", "env-token".into()),
                ("TENCENTCLOUD_REGION", "ap-nanjing".into()),
                ("HOME", h(&home)),
                ("EXPECT_ID", "AKIDenv".into()),
                ("EXPECT_CHOSEN", "environment".into()),
            ],
        ),
        (
            "child_env_provider",
            vec![
                ("HOME", h(&home)),
                ("EXPECT_ID", "AKIDprofile".into()),
                ("EXPECT_CHOSEN", "profile file".into()),
            ],
        ),
        (
            "child_env_half_configured",
            vec![
                ("TENCENTCLOUD_SECRET_ID", "AKIDx".into()),
                ("HOME", h(&empty_home)),
            ],
        ),
        ("child_nothing_configured", vec![("HOME", h(&empty_home))]),
    ];
    for (name, envs) in cases {
        let envs2 = envs.clone();
        let (ok, output) = tokio::task::spawn_blocking(move || run_child(name, &envs2))
            .await
            .unwrap();
        assert!(ok, "{name} with {envs:?}:\n{output}");
    }
}

#[ignore = "run by environment_provider_and_chain_in_children"]
#[tokio::test]
async fn child_env_provider() {
    if !in_child() {
        return;
    }
    let chain = DefaultChain::with_providers(
        OidcProvider::from_env(),
        CvmRoleProvider::new().with_metadata_url("http://127.0.0.1:9/"),
    );
    let creds = chain.credentials().await.unwrap();
    assert_eq!(creds.secret_id(), expect_env("EXPECT_ID"));
    assert_eq!(chain.chosen(), Some(expect_env("EXPECT_CHOSEN").as_str()));
    if expect_env("EXPECT_CHOSEN") == "environment" {
        assert_eq!(creds.expose_token(), Some("env-token"));
        let direct = EnvProvider::new().credentials().await.unwrap();
        assert_eq!(direct, creds);
        assert_eq!(
            tke_sdk::Config::from_env().unwrap().region(),
            Some("ap-nanjing")
        );
    }
}

#[ignore = "run by environment_provider_and_chain_in_children"]
#[tokio::test]
async fn child_env_half_configured() {
    if !in_child() {
        return;
    }
    let err = EnvProvider::new().credentials().await.unwrap_err();
    assert_eq!(kind(&err), Some(CredentialsErrorKind::Failed));
    assert!(err.to_string().contains("TENCENTCLOUD_SECRET_KEY"));
    // The chain stops at a provider that is configured but broken.
    let chain = DefaultChain::with_providers(
        OidcProvider::from_env(),
        CvmRoleProvider::new().with_metadata_url("http://127.0.0.1:9/"),
    );
    let err = chain.credentials().await.unwrap_err();
    assert_eq!(kind(&err), Some(CredentialsErrorKind::Failed));
}

#[ignore = "run by environment_provider_and_chain_in_children"]
#[tokio::test]
async fn child_nothing_configured() {
    if !in_child() {
        return;
    }
    let chain = DefaultChain::with_providers(
        OidcProvider::from_env(),
        CvmRoleProvider::new()
            .with_metadata_url("http://127.0.0.1:9/")
            .with_timeout(Duration::from_millis(500)),
    );
    let err = chain.credentials().await.unwrap_err();
    assert_eq!(kind(&err), Some(CredentialsErrorKind::NotConfigured));
    let text = err.to_string();
    for provider in ["environment", "profile file", "tke oidc", "cvm role"] {
        assert!(text.contains(provider), "{text}");
    }
    // A client built from the environment reports the same when called.
    let client = Client::from_env().unwrap();
    let e = client
        .call_raw("tke", "2018-05-25", "DescribeClusters", &json!({}))
        .await
        .unwrap_err();
    assert!(e.is_auth());
}

#[tokio::test]
async fn proxies_from_the_environment_are_used() {
    // The mock plays the proxy: the child sends to an unresolvable host through HTTP_PROXY.
    let mock = MockTke::start().await;
    mock.accept_credentials(Credentials::new("AKIDproxy", "proxy-key"));
    mock.on("DescribeClusters")
        .reply_json(json!({"TotalCount": 7}));
    let envs = vec![
        ("HTTP_PROXY", mock.uri()),
        ("TENCENTCLOUD_SECRET_ID", "AKIDproxy".to_owned()),
        ("TENCENTCLOUD_SECRET_KEY", "proxy-key".to_owned()),
    ];
    let (ok, output) =
        tokio::task::spawn_blocking(move || run_child("child_proxy_from_env", &envs))
            .await
            .unwrap();
    assert!(ok, "{output}");
    let received = mock.received_for("DescribeClusters");
    assert_eq!(received.len(), 1);
    assert!(received[0].signature_ok);
    assert_eq!(received[0].header("host"), Some("tke.proxy-test.invalid"));
}

#[ignore = "run by proxies_from_the_environment_are_used"]
#[tokio::test]
async fn child_proxy_from_env() {
    if !in_child() {
        return;
    }
    let config = tke_sdk::Config::builder()
        .endpoint_url("http://tke.proxy-test.invalid/")
        .unwrap()
        .credentials(EnvProvider::new())
        .retry(tke_sdk::RetryPolicy::no_retries())
        .build()
        .unwrap();
    let response = Client::new(config)
        .unwrap()
        .call_raw("tke", "2018-05-25", "DescribeClusters", &json!({}))
        .await
        .unwrap();
    assert_eq!(response["TotalCount"], 7);
}

// ---------- profile file ----------

#[tokio::test]
async fn profile_file_explicit_path() {
    let dir = temp_dir("profile");
    let file = dir.join("credentials");
    std::fs::write(
        &file,
        "[default]\nsecret_id=AKIDa\nsecret_key=ka\n[prod]\nsecret_id=AKIDp\nsecret_key=kp\n",
    )
    .unwrap();
    let creds = ProfileProvider::new()
        .with_path(&file)
        .credentials()
        .await
        .unwrap();
    assert_eq!(creds.secret_id(), "AKIDa");
    let prod = ProfileProvider::new()
        .with_path(&file)
        .with_profile("prod")
        .credentials()
        .await
        .unwrap();
    assert_eq!(prod.secret_id(), "AKIDp");
    let missing = ProfileProvider::new()
        .with_path(dir.join("nope"))
        .credentials()
        .await
        .unwrap_err();
    assert_eq!(kind(&missing), Some(CredentialsErrorKind::Failed));
    let no_section = ProfileProvider::new()
        .with_path(&file)
        .with_profile("staging")
        .credentials()
        .await
        .unwrap_err();
    assert!(no_section.to_string().contains("[staging]"));
}

// ---------- CVM role ----------

async fn metadata_server(role_status: u16, expires_in: i64) -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let fetches = Arc::new(AtomicUsize::new(0));
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/cam/security-credentials/"))
        .respond_with(ResponseTemplate::new(role_status).set_body_string("tke-node-role\n"))
        .mount(&server)
        .await;
    let counter = fetches.clone();
    Mock::given(method("GET"))
        .and(path(
            "/latest/meta-data/cam/security-credentials/tke-node-role",
        ))
        .respond_with(move |_: &wiremock::Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            ResponseTemplate::new(200).set_body_json(json!({
                "TmpSecretId": format!("AKIDtmp{n}"),
                "TmpSecretKey": format!("tmp-key-{n}"),
                "Token": format!("tmp-token-{n}"),
                "ExpiredTime": tke_signer::unix_now() + expires_in,
                "Expiration": "2030-01-01T00:00:00Z",
                "Code": "Success",
            }))
        })
        .mount(&server)
        .await;
    (server, fetches)
}

fn cvm(server: &MockServer) -> CvmRoleProvider {
    CvmRoleProvider::new().with_metadata_url(format!("{}/latest/meta-data/", server.uri()))
}

#[tokio::test]
async fn cvm_role_is_cached_until_near_expiry() {
    let (server, fetches) = metadata_server(200, 3600).await;
    let provider = cvm(&server);
    let a = provider.credentials().await.unwrap();
    let b = provider.credentials().await.unwrap();
    assert_eq!(a.secret_id(), "AKIDtmp1");
    assert_eq!(a.expose_token(), Some("tmp-token-1"));
    assert_eq!(a, b);
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn cvm_role_refreshes_when_less_than_300s_remain() {
    let (server, fetches) = metadata_server(200, 200).await;
    let provider = cvm(&server);
    assert_eq!(
        provider.credentials().await.unwrap().secret_id(),
        "AKIDtmp1"
    );
    assert_eq!(
        provider.credentials().await.unwrap().secret_id(),
        "AKIDtmp2"
    );
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn cvm_role_concurrent_callers_share_one_refresh() {
    let (server, fetches) = metadata_server(200, 3600).await;
    let provider = Arc::new(cvm(&server));
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let p = provider.clone();
            tokio::spawn(async move { p.credentials().await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn cvm_missing_role_and_failing_refresh() {
    let (server, _) = metadata_server(404, 3600).await;
    let err = cvm(&server).credentials().await.unwrap_err();
    assert_eq!(kind(&err), Some(CredentialsErrorKind::NotConfigured));
    assert!(err.to_string().contains("no CAM role"));

    // Unreachable metadata service: not on a CVM.
    let err = CvmRoleProvider::new()
        .with_metadata_url("http://127.0.0.1:9/latest/meta-data/")
        .credentials()
        .await
        .unwrap_err();
    assert_eq!(kind(&err), Some(CredentialsErrorKind::NotConfigured));

    // First fetch works (near expiry), then the service fails: the refresh error surfaces.
    let server = MockServer::start().await;
    Mock::given(path("/latest/meta-data/cam/security-credentials/"))
        .respond_with(ResponseTemplate::new(200).set_body_string("r"))
        .mount(&server)
        .await;
    Mock::given(path("/latest/meta-data/cam/security-credentials/r"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "TmpSecretId": "AKIDt", "TmpSecretKey": "k", "Token": "t",
            "ExpiredTime": tke_signer::unix_now() + 100, "Code": "Success"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/latest/meta-data/cam/security-credentials/r"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let provider = cvm(&server);
    provider.credentials().await.unwrap();
    let err = provider.credentials().await.unwrap_err();
    assert_eq!(kind(&err), Some(CredentialsErrorKind::Failed));
    assert!(err.to_string().contains("HTTP 500"), "{err}");

    // A document with a failure code.
    let server = MockServer::start().await;
    Mock::given(path("/m/cam/security-credentials/x"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "TmpSecretId": "", "TmpSecretKey": "", "Token": "", "ExpiredTime": 0, "Code": "Failure"})))
        .mount(&server)
        .await;
    let err = CvmRoleProvider::new()
        .with_metadata_url(format!("{}/m/", server.uri()))
        .with_role("x")
        .credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Failure"));
}

#[tokio::test]
async fn chain_falls_through_to_cvm_role() {
    let (server, _) = metadata_server(200, 3600).await;
    let chain = ChainProvider::new(vec![
        ("not configured", Arc::new(OidcProvider::from_env())),
        ("cvm role", Arc::new(cvm(&server))),
    ]);
    // OIDC env vars are not set in the test environment.
    if std::env::var("TKE_ROLE_ARN").is_ok() {
        return;
    }
    let creds = chain.credentials().await.unwrap();
    assert_eq!(creds.secret_id(), "AKIDtmp1");
    assert_eq!(chain.chosen(), Some("cvm role"));
}

// ---------- STS AssumeRole ----------

fn sts_reply(id: &str, expires_in: i64) -> serde_json::Value {
    json!({
        "Credentials": {"Token": format!("{id}-token"), "TmpSecretId": id, "TmpSecretKey": format!("{id}-key")},
        "ExpiredTime": tke_signer::unix_now() + expires_in,
        "Expiration": "2030-01-01T00:00:00Z",
    })
}

#[tokio::test]
async fn assume_role_signs_with_the_source_and_its_credentials_work() {
    let mock = MockTke::start().await;
    mock.on("AssumeRole")
        .reply_json(sts_reply("AKIDassumed", 7200));
    mock.on("DescribeClusters")
        .reply_json(json!({"TotalCount": 0}));
    let provider = AssumeRoleProvider::new(mock.credentials(), "qcs::cam::uin/1:roleName/r")
        .with_session_name("tests")
        .with_duration_seconds(900)
        .unwrap()
        .with_region("ap-shanghai")
        .with_endpoint(Endpoint::Custom(mock.uri().parse().unwrap()));
    let assumed = provider.credentials().await.unwrap();
    assert_eq!(assumed.secret_id(), "AKIDassumed");
    assert_eq!(assumed.expose_token(), Some("AKIDassumed-token"));
    let sts = &mock.received_for("AssumeRole")[0];
    assert!(sts.signature_ok);
    assert_eq!(sts.region.as_deref(), Some("ap-shanghai"));
    assert_eq!(sts.version, "2018-08-13");
    assert_eq!(
        sts.json(),
        json!({"RoleArn": "qcs::cam::uin/1:roleName/r", "RoleSessionName": "tests", "DurationSeconds": 900})
    );
    // Cached: a second call does not hit STS.
    provider.credentials().await.unwrap();
    assert_eq!(mock.received_for("AssumeRole").len(), 1);

    // A client using the provider sends the session token.
    mock.accept_credentials(assumed.clone());
    let client = Client::new(mock.config_builder().credentials(provider).build().unwrap()).unwrap();
    client
        .call_raw("tke", "2018-05-25", "DescribeClusters", &json!({}))
        .await
        .unwrap();
    let call = &mock.received_for("DescribeClusters")[0];
    assert!(call.signature_ok);
    assert_eq!(call.header("x-tc-token"), Some("AKIDassumed-token"));
}

#[tokio::test]
async fn assume_role_failure_is_returned_with_the_service_error() {
    let mock = MockTke::start().await;
    mock.on("AssumeRole")
        .reply_error("InvalidParameter.RoleNotExist", "role does not exist");
    let provider = AssumeRoleProvider::new(mock.credentials(), "qcs::cam::uin/1:roleName/none")
        .with_endpoint(Endpoint::Custom(mock.uri().parse().unwrap()));
    let err = provider.credentials().await.unwrap_err();
    assert_eq!(kind(&err), Some(CredentialsErrorKind::Failed));
    assert_eq!(err.code(), Some("InvalidParameter.RoleNotExist"));
    assert!(
        AssumeRoleProvider::new(mock.credentials(), "r")
            .with_duration_seconds(43_201)
            .is_err()
    );
}

// ---------- OIDC ----------

#[tokio::test]
async fn oidc_is_unsigned_rereads_the_token_and_honours_tke_region() {
    let mock = MockTke::start().await;
    mock.on("AssumeRoleWithWebIdentity").replies([
        tke_sdk::testkit::Reply::json(sts_reply("AKIDoidc1", 100)),
        tke_sdk::testkit::Reply::json(sts_reply("AKIDoidc2", 7200)),
    ]);
    let dir = temp_dir("oidc");
    let token_file = dir.join("token");
    std::fs::write(&token_file, "jwt-one\n").unwrap();
    let provider = OidcProvider::new(OidcSettings {
        region: "ap-chengdu".into(),
        provider_id: "oidc-provider".into(),
        role_arn: "qcs::cam::uin/1:roleName/pod".into(),
        token_file: token_file.clone(),
    })
    .with_endpoint(Endpoint::Custom(mock.uri().parse().unwrap()));
    let first = provider.credentials().await.unwrap();
    assert_eq!(first.secret_id(), "AKIDoidc1");
    // 100 s left: the next call refreshes, reading the rotated token.
    std::fs::write(&token_file, "jwt-two").unwrap();
    let second = provider.credentials().await.unwrap();
    assert_eq!(second.secret_id(), "AKIDoidc2");
    let calls = mock.received_for("AssumeRoleWithWebIdentity");
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].header("authorization"), Some("SKIP"));
    assert_eq!(calls[0].region.as_deref(), Some("ap-chengdu"));
    assert_eq!(calls[0].json()["WebIdentityToken"], "jwt-one");
    assert_eq!(calls[1].json()["WebIdentityToken"], "jwt-two");
    assert_eq!(calls[0].json()["ProviderId"], "oidc-provider");
    assert_eq!(calls[0].json()["RoleArn"], "qcs::cam::uin/1:roleName/pod");

    // A missing token file is a failure, not "not configured".
    std::fs::remove_file(&token_file).unwrap();
    let broken = OidcProvider::new(OidcSettings {
        region: "ap-chengdu".into(),
        provider_id: "p".into(),
        role_arn: "r".into(),
        token_file,
    })
    .with_endpoint(Endpoint::Custom(mock.uri().parse().unwrap()));
    assert_eq!(
        kind(&broken.credentials().await.unwrap_err()),
        Some(CredentialsErrorKind::Failed)
    );
}

#[tokio::test]
async fn static_credentials_are_a_provider() {
    let creds = Credentials::new("AKIDs", "s");
    assert_eq!(creds.credentials().await.unwrap(), creds);
    let shared: Arc<dyn ProvideCredentials> = Arc::new(creds.clone());
    assert_eq!(shared.credentials().await.unwrap(), creds);
}
