//! Waiters: poll until a resource reaches a state, with back-off and a maximum wait.
//!
//! The built-in waiters read fields by their wire names through [`Client::call_raw`], so they
//! work with any model version:
//! - [`Client::wait_cluster_running`]: `DescribeClusters` → `Clusters[0].ClusterStatus` is
//!   `Running`; `Abnormal`, `Isolated`, `Deleting` or a vanished cluster end the wait with an
//!   error;
//! - [`Client::wait_node_pool_settled`]: `DescribeClusterNodePoolDetail` →
//!   `NodePool.LifeState` is `normal`; `deleting`/`deleted` end it;
//! - [`Client::wait_instances_running`]: `DescribeClusterInstances` → every requested
//!   instance's `InstanceState` is `running`; `failed` ends it.
//!
//! Polling errors that are retryable (throttling, 5xx, ...) do not end a wait; others do.

use std::future::Future;
use std::time::Duration;

use serde_json::{Value, json};

use crate::{Client, Error};

/// How a waiter polls.
///
/// ```
/// use std::time::Duration;
/// use tke_sdk::WaitConfig;
/// let config = WaitConfig::default().with_max_wait(Duration::from_secs(600));
/// assert_eq!(config.max_wait(), Duration::from_secs(600));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitConfig {
    initial_delay: Duration,
    max_delay: Duration,
    max_wait: Duration,
}

impl Default for WaitConfig {
    /// First re-poll after 5 s, delays doubling up to 30 s, give up after 30 minutes.
    fn default() -> Self {
        Self {
            initial_delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(30),
            max_wait: Duration::from_secs(30 * 60),
        }
    }
}

impl WaitConfig {
    /// The delay before the second poll; it doubles up to the maximum delay.
    #[must_use]
    pub fn with_initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// The largest delay between polls.
    #[must_use]
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Give up after this long.
    #[must_use]
    pub fn with_max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// The maximum wait.
    pub fn max_wait(&self) -> Duration {
        self.max_wait
    }
}

/// What one poll found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Poll {
    /// The wanted state: stop with success.
    Done(String),
    /// Not there yet: poll again.
    Pending(String),
    /// A state the resource will not leave for the wanted one: stop with an error.
    Failed(String),
}

/// Polls `poll` until it reports [`Poll::Done`] or [`Poll::Failed`], or `config.max_wait`
/// passes. Returns the final state; errors name `what` and the last state seen.
pub async fn wait_for<F, Fut>(what: &str, config: WaitConfig, mut poll: F) -> Result<String, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Poll, Error>>,
{
    let started = tokio::time::Instant::now();
    let deadline = started + config.max_wait;
    let mut delay = config.initial_delay;
    let mut last_state = "(none observed)".to_owned();
    loop {
        match poll().await {
            Ok(Poll::Done(state)) => return Ok(state),
            Ok(Poll::Failed(state)) => {
                return Err(Error::Waiter {
                    what: what.to_owned(),
                    reason: "reached a failure state".to_owned(),
                    last_state: state,
                });
            }
            Ok(Poll::Pending(state)) => {
                tracing::debug!(what, state = state.as_str(), "still waiting");
                last_state = state;
            }
            Err(e) if e.is_retryable() => {
                tracing::debug!(what, error = %e, "poll failed; retrying");
            }
            Err(e) => return Err(e),
        }
        let now = tokio::time::Instant::now();
        if now + delay > deadline {
            return Err(Error::Waiter {
                what: what.to_owned(),
                reason: format!("gave up after {:?}", now - started),
                last_state,
            });
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(config.max_delay);
    }
}

const TKE: &str = "tke";
const TKE_VERSION: &str = "2018-05-25";

fn str_at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut v = value;
    for key in path {
        v = v.get(*key)?;
    }
    v.as_str()
}

/// Decides a cluster poll from a `DescribeClusters` response.
pub(crate) fn cluster_poll(response: &Value, cluster_id: &str) -> Poll {
    let cluster = response
        .get("Clusters")
        .and_then(Value::as_array)
        .and_then(|cs| {
            cs.iter()
                .find(|c| c.get("ClusterId").and_then(Value::as_str) == Some(cluster_id))
        });
    let Some(cluster) = cluster else {
        return Poll::Failed(format!("cluster {cluster_id} not found"));
    };
    let status = cluster
        .get("ClusterStatus")
        .and_then(Value::as_str)
        .unwrap_or("(no ClusterStatus)")
        .to_owned();
    match status.as_str() {
        "Running" => Poll::Done(status),
        "Abnormal" | "Isolated" | "Deleting" | "Deleted" | "Failed" => Poll::Failed(status),
        _ => Poll::Pending(status),
    }
}

/// Decides a node-pool poll from a `DescribeClusterNodePoolDetail` response.
pub(crate) fn node_pool_poll(response: &Value) -> Poll {
    let state = str_at(response, &["NodePool", "LifeState"])
        .unwrap_or("(no LifeState)")
        .to_owned();
    match state.to_ascii_lowercase().as_str() {
        "normal" => Poll::Done(state),
        "deleting" | "deleted" | "failed" | "abnormal" => Poll::Failed(state),
        _ => Poll::Pending(state),
    }
}

/// Decides an instances poll from a `DescribeClusterInstances` response.
pub(crate) fn instances_poll(response: &Value, instance_ids: &[String]) -> Poll {
    let set = response
        .get("InstanceSet")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut states = Vec::with_capacity(instance_ids.len());
    let mut failed = false;
    let mut all_running = true;
    for id in instance_ids {
        let state = set
            .iter()
            .find(|i| i.get("InstanceId").and_then(Value::as_str) == Some(id.as_str()))
            .map(|i| {
                i.get("InstanceState")
                    .and_then(Value::as_str)
                    .unwrap_or("(no InstanceState)")
            })
            .unwrap_or("(not in cluster yet)");
        failed |= state == "failed";
        all_running &= state == "running";
        states.push(format!("{id}={state}"));
    }
    let summary = states.join(", ");
    if failed {
        Poll::Failed(summary)
    } else if all_running {
        Poll::Done(summary)
    } else {
        Poll::Pending(summary)
    }
}

impl Client {
    /// Waits until the cluster's `ClusterStatus` is `Running`.
    pub async fn wait_cluster_running(
        &self,
        cluster_id: &str,
        config: WaitConfig,
    ) -> Result<String, Error> {
        let params = json!({"ClusterIds": [cluster_id]});
        wait_for(
            &format!("cluster {cluster_id} to be Running"),
            config,
            || async {
                let response = self
                    .call_raw(TKE, TKE_VERSION, "DescribeClusters", &params)
                    .await?;
                Ok(cluster_poll(&response, cluster_id))
            },
        )
        .await
    }

    /// Waits until the node pool's `LifeState` is `normal` (no create/update in progress).
    pub async fn wait_node_pool_settled(
        &self,
        cluster_id: &str,
        node_pool_id: &str,
        config: WaitConfig,
    ) -> Result<String, Error> {
        let params = json!({"ClusterId": cluster_id, "NodePoolId": node_pool_id});
        wait_for(
            &format!("node pool {node_pool_id} of {cluster_id} to settle"),
            config,
            || async {
                let response = self
                    .call_raw(TKE, TKE_VERSION, "DescribeClusterNodePoolDetail", &params)
                    .await?;
                Ok(node_pool_poll(&response))
            },
        )
        .await
    }

    /// Waits until every instance is in the cluster with `InstanceState` `running`.
    pub async fn wait_instances_running(
        &self,
        cluster_id: &str,
        instance_ids: &[String],
        config: WaitConfig,
    ) -> Result<String, Error> {
        let params = json!({
            "ClusterId": cluster_id,
            "InstanceIds": instance_ids,
            "Limit": 100,
        });
        wait_for(
            &format!("instances of {cluster_id} to be running"),
            config,
            || async {
                let response = self
                    .call_raw(TKE, TKE_VERSION, "DescribeClusterInstances", &params)
                    .await?;
                Ok(instances_poll(&response, instance_ids))
            },
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_states() {
        let r = |s: &str| json!({"Clusters": [{"ClusterId": "cls-1", "ClusterStatus": s}]});
        assert_eq!(
            cluster_poll(&r("Running"), "cls-1"),
            Poll::Done("Running".into())
        );
        assert_eq!(
            cluster_poll(&r("Creating"), "cls-1"),
            Poll::Pending("Creating".into())
        );
        assert_eq!(
            cluster_poll(&r("Upgrading"), "cls-1"),
            Poll::Pending("Upgrading".into())
        );
        assert_eq!(
            cluster_poll(&r("Abnormal"), "cls-1"),
            Poll::Failed("Abnormal".into())
        );
        assert!(matches!(
            cluster_poll(&r("Running"), "cls-2"),
            Poll::Failed(_)
        ));
    }

    #[test]
    fn node_pool_states() {
        let r = |s: &str| json!({"NodePool": {"LifeState": s}});
        assert_eq!(node_pool_poll(&r("normal")), Poll::Done("normal".into()));
        assert_eq!(
            node_pool_poll(&r("updating")),
            Poll::Pending("updating".into())
        );
        assert_eq!(
            node_pool_poll(&r("deleting")),
            Poll::Failed("deleting".into())
        );
        assert!(matches!(node_pool_poll(&json!({})), Poll::Pending(_)));
    }

    #[test]
    fn instance_states() {
        let ids = vec!["ins-1".to_owned(), "ins-2".to_owned()];
        let r = |a: &str, b: &str| {
            json!({"InstanceSet": [
                {"InstanceId": "ins-1", "InstanceState": a},
                {"InstanceId": "ins-2", "InstanceState": b}]})
        };
        assert!(matches!(
            instances_poll(&r("running", "running"), &ids),
            Poll::Done(_)
        ));
        assert_eq!(
            instances_poll(&r("running", "initializing"), &ids),
            Poll::Pending("ins-1=running, ins-2=initializing".into())
        );
        assert!(matches!(
            instances_poll(&r("failed", "running"), &ids),
            Poll::Failed(_)
        ));
        assert!(matches!(
            instances_poll(&json!({"InstanceSet": []}), &ids),
            Poll::Pending(_)
        ));
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_with_last_state() {
        let config = WaitConfig::default()
            .with_initial_delay(Duration::from_secs(1))
            .with_max_delay(Duration::from_secs(4))
            .with_max_wait(Duration::from_secs(20));
        let mut polls = 0;
        let err = wait_for("thing", config, || {
            polls += 1;
            let n = polls;
            async move { Ok(Poll::Pending(format!("step {n}"))) }
        })
        .await
        .expect_err("gives up");
        match err {
            Error::Waiter {
                last_state, what, ..
            } => {
                assert_eq!(what, "thing");
                assert_eq!(last_state, format!("step {polls}"));
            }
            other => panic!("{other:?}"),
        }
        // delays 1, 2, 4, 4, 4, 4 → 19 s elapsed after 7 polls; the next 4 s would pass 20 s.
        assert_eq!(polls, 7);
    }

    #[tokio::test(start_paused = true)]
    async fn done_and_failed_stop() {
        let mut n = 0;
        let state = wait_for("x", WaitConfig::default(), || {
            n += 1;
            let k = n;
            async move {
                Ok(if k < 3 {
                    Poll::Pending("creating".into())
                } else {
                    Poll::Done("Running".into())
                })
            }
        })
        .await
        .expect("done");
        assert_eq!((state.as_str(), n), ("Running", 3));
        let err = wait_for("y", WaitConfig::default(), || async {
            Ok(Poll::Failed("Abnormal".into()))
        })
        .await
        .expect_err("failed");
        assert!(err.to_string().contains("Abnormal"));
    }
}
