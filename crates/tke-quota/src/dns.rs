//! The DNS autoscaler (cluster-proportional-autoscaler) formulas as TKE configures them,
//! capacity spec §5.1 (S:40271-40679). Semantics follow the upstream controllers the source
//! links to: linear clamps each term to `[min, max]` before taking the larger one, `min = 0`
//! means 1, `max = 0` means unbounded, a zero per-replica ratio makes that term 1, and
//! `preventSinglePointFailure` lifts the node term to 2 on multi-node clusters **after**
//! clamping (so it can exceed `max`). Ladder picks, per list, the entry with the largest
//! threshold `≤` the value (the first entry below all thresholds; 0 for an empty list).
//!
//! The configuration lives in a ConfigMap as JSON under the key `linear` or `ladder`; the
//! source names it both `dns-autoscaler` (S:40423) and `tke-dns-autoscaler` (S:40564), so the
//! parser does not check the name (A-O1).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::QuotaError;

/// Linear mode parameters (JSON field names as upstream).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct LinearParams {
    /// Cores per replica (0 = ignore cores).
    #[serde(default)]
    pub cores_per_replica: f64,
    /// Nodes per replica (0 = ignore nodes).
    #[serde(default)]
    pub nodes_per_replica: f64,
    /// Minimum replicas (0 = 1).
    #[serde(default)]
    pub min: u32,
    /// Maximum replicas (0 = unbounded).
    #[serde(default)]
    pub max: u32,
    /// At least 2 replicas when there is more than one node.
    #[serde(default)]
    pub prevent_single_point_failure: bool,
    /// Count unschedulable nodes too (the caller passes the counts accordingly).
    #[serde(default)]
    pub include_unschedulable_nodes: bool,
}

/// Ladder mode parameters: `[threshold, replicas]` steps.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct LadderParams {
    /// Cores → replicas steps.
    #[serde(default)]
    pub cores_to_replicas: Vec<[u64; 2]>,
    /// Nodes → replicas steps.
    #[serde(default)]
    pub nodes_to_replicas: Vec<[u64; 2]>,
    /// Count unschedulable nodes too.
    #[serde(default)]
    pub include_unschedulable_nodes: bool,
}

/// A DNS autoscaler configuration.
#[derive(Debug, Clone, PartialEq)]
pub enum DnsAutoscaler {
    /// Linear mode.
    Linear(LinearParams),
    /// Ladder mode (steps sorted by threshold).
    Ladder(LadderParams),
}

impl LinearParams {
    /// The example configuration of S:40300-40316.
    pub fn tke_example() -> Self {
        LinearParams {
            cores_per_replica: 2.0,
            nodes_per_replica: 1.0,
            min: 1,
            max: 100,
            prevent_single_point_failure: true,
            include_unschedulable_nodes: false,
        }
    }
}

impl LadderParams {
    /// The example configuration of S:40340-40378.
    pub fn tke_example() -> Self {
        LadderParams {
            cores_to_replicas: vec![[1, 1], [64, 3], [512, 5], [1024, 7], [2048, 10], [4096, 15]],
            nodes_to_replicas: vec![[1, 1], [2, 2]],
            include_unschedulable_nodes: false,
        }
    }

    /// The configuration the console installs (S:40618-40650).
    pub fn tke_default() -> Self {
        LadderParams {
            cores_to_replicas: vec![[1, 1], [128, 3], [512, 4]],
            nodes_to_replicas: vec![[1, 1], [2, 2]],
            include_unschedulable_nodes: false,
        }
    }
}

impl DnsAutoscaler {
    /// Validates the parameters (and sorts ladder steps).
    pub fn new_linear(p: LinearParams) -> Result<Self, QuotaError> {
        for (field, v) in [
            ("coresPerReplica", p.cores_per_replica),
            ("nodesPerReplica", p.nodes_per_replica),
        ] {
            if !v.is_finite() || v < 0.0 {
                return Err(invalid(field, format!("{v} is not a non-negative number")));
            }
        }
        if p.cores_per_replica == 0.0 && p.nodes_per_replica == 0.0 {
            return Err(invalid(
                "linear",
                "either coresPerReplica or nodesPerReplica must be set".to_owned(),
            ));
        }
        if p.max != 0 && p.min > p.max {
            return Err(invalid("min", format!("{} is above max {}", p.min, p.max)));
        }
        Ok(DnsAutoscaler::Linear(p))
    }

    /// Validates the parameters and sorts the steps by threshold.
    pub fn new_ladder(mut p: LadderParams) -> Result<Self, QuotaError> {
        if p.cores_to_replicas.is_empty() && p.nodes_to_replicas.is_empty() {
            return Err(invalid(
                "ladder",
                "either coresToReplicas or nodesToReplicas must be set".to_owned(),
            ));
        }
        p.cores_to_replicas.sort_by_key(|e| e[0]);
        p.nodes_to_replicas.sort_by_key(|e| e[0]);
        Ok(DnsAutoscaler::Ladder(p))
    }

    /// Parses the autoscaler ConfigMap `data` (`linear` or `ladder` key with a JSON value).
    pub fn from_config_map_data(data: &BTreeMap<String, String>) -> Result<Self, QuotaError> {
        match (data.get("linear"), data.get("ladder")) {
            (Some(_), Some(_)) => Err(invalid(
                "data",
                "both `linear` and `ladder` are set; keep one".to_owned(),
            )),
            (Some(json), None) => {
                let p = serde_json::from_str(json).map_err(|e| invalid("linear", e.to_string()))?;
                DnsAutoscaler::new_linear(p)
            }
            (None, Some(json)) => {
                let p = serde_json::from_str(json).map_err(|e| invalid("ladder", e.to_string()))?;
                DnsAutoscaler::new_ladder(p)
            }
            (None, None) => Err(invalid(
                "data",
                "neither `linear` nor `ladder` is set".to_owned(),
            )),
        }
    }

    /// Desired coredns replicas for a cluster with `nodes` nodes and `cores` cores.
    pub fn replicas(&self, nodes: u64, cores: u64) -> u64 {
        match self {
            DnsAutoscaler::Linear(p) => linear(p, nodes, cores),
            DnsAutoscaler::Ladder(p) => ladder_step(&p.cores_to_replicas, cores)
                .max(ladder_step(&p.nodes_to_replicas, nodes)),
        }
    }
}

fn invalid(field: &str, reason: String) -> QuotaError {
    QuotaError::InvalidDnsParams {
        field: field.to_owned(),
        reason,
    }
}

fn linear(p: &LinearParams, nodes: u64, cores: u64) -> u64 {
    let min = u64::from(p.min.max(1));
    let term = |amount: u64, per_replica: f64| -> u64 {
        if per_replica == 0.0 {
            return 1;
        }
        // f64 → u64 saturates; amounts are far below 2^53.
        let mut r = (amount as f64 / per_replica).ceil() as u64;
        if p.max != 0 {
            r = r.min(u64::from(p.max));
        }
        r.max(min)
    };
    let from_cores = term(cores, p.cores_per_replica);
    let mut from_nodes = term(nodes, p.nodes_per_replica);
    if p.prevent_single_point_failure && nodes > 1 && from_nodes < 2 {
        from_nodes = 2;
    }
    from_cores.max(from_nodes)
}

fn ladder_step(steps: &[[u64; 2]], value: u64) -> u64 {
    let Some(first) = steps.first() else {
        return 0;
    };
    // Steps are sorted; the last threshold ≤ value wins, below all thresholds the first.
    let pos = steps.partition_point(|e| e[0] <= value);
    steps.get(pos.wrapping_sub(1)).unwrap_or(first)[1]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Capacity spec §5.1, D1-D11.
    #[test]
    fn dns_vectors() {
        let example = DnsAutoscaler::new_ladder(LadderParams::tke_example()).unwrap();
        let default = DnsAutoscaler::new_ladder(LadderParams::tke_default()).unwrap();
        let linear = DnsAutoscaler::new_linear(LinearParams::tke_example()).unwrap();
        let d11 = DnsAutoscaler::new_linear(LinearParams {
            cores_per_replica: 256.0,
            nodes_per_replica: 16.0,
            min: 1,
            max: 0,
            prevent_single_point_failure: true,
            include_unschedulable_nodes: false,
        })
        .unwrap();
        let cases = [
            ("D1", &example, 100, 400, 3),
            ("D2", &example, 1, 4, 1),
            ("D3", &example, 3, 64, 3),
            ("D4", &example, 10, 5_000, 15),
            ("D5", &default, 100, 400, 3),
            ("D6", &default, 2, 8, 2),
            ("D7", &default, 50, 600, 4),
            ("D8", &linear, 100, 400, 100),
            ("D9", &linear, 3, 8, 4),
            ("D10", &linear, 1, 1, 1),
            ("D11", &d11, 2, 8, 2),
        ];
        for (id, cfg, nodes, cores, want) in cases {
            assert_eq!(cfg.replicas(nodes, cores), want, "{id}");
        }
    }

    #[test]
    fn upstream_edge_semantics() {
        // PSPF applies after the clamp, so it can exceed max.
        let p = LinearParams {
            nodes_per_replica: 10.0,
            max: 1,
            prevent_single_point_failure: true,
            ..Default::default()
        };
        assert_eq!(DnsAutoscaler::new_linear(p).unwrap().replicas(5, 0), 2);
        // min 0 means 1; a zero ratio makes its term 1.
        let p = LinearParams {
            cores_per_replica: 1000.0,
            ..Default::default()
        };
        assert_eq!(DnsAutoscaler::new_linear(p).unwrap().replicas(0, 0), 1);
        // Below the first threshold: the first entry.
        let l = DnsAutoscaler::new_ladder(LadderParams {
            cores_to_replicas: vec![[64, 3], [8, 2]],
            ..Default::default()
        })
        .unwrap();
        assert_eq!(l.replicas(0, 4), 2);
        assert_eq!(l.replicas(0, 100), 3);
    }

    #[test]
    fn config_map_parsing_and_errors() {
        let data = |k: &str, v: &str| BTreeMap::from([(k.to_owned(), v.to_owned())]);
        let l = DnsAutoscaler::from_config_map_data(&data(
            "ladder",
            r#"{"coresToReplicas":[[1,1],[64,3],[512,5],[1024,7],[2048,10],[4096,15]],"nodesToReplicas":[[1,1],[2,2]]}"#,
        ))
        .unwrap();
        assert_eq!(l, DnsAutoscaler::Ladder(LadderParams::tke_example()));
        let lin = DnsAutoscaler::from_config_map_data(&data(
            "linear",
            r#"{"coresPerReplica":2,"nodesPerReplica":1,"min":1,"max":100,"preventSinglePointFailure":true}"#,
        ))
        .unwrap();
        assert_eq!(lin, DnsAutoscaler::Linear(LinearParams::tke_example()));
        let err = DnsAutoscaler::from_config_map_data(&data("linear", "{")).unwrap_err();
        assert!(err.to_string().contains("linear"), "{err}");
        assert!(DnsAutoscaler::from_config_map_data(&data("linear", "{}")).is_err());
        assert!(DnsAutoscaler::from_config_map_data(&data("ladder", "{}")).is_err());
        assert!(DnsAutoscaler::from_config_map_data(&BTreeMap::new()).is_err());
        let neg = LinearParams {
            cores_per_replica: -1.0,
            ..Default::default()
        };
        assert!(
            DnsAutoscaler::new_linear(neg)
                .unwrap_err()
                .to_string()
                .contains("coresPerReplica")
        );
        let bad = LinearParams {
            nodes_per_replica: 1.0,
            min: 5,
            max: 2,
            ..Default::default()
        };
        assert!(DnsAutoscaler::new_linear(bad).is_err());
    }
}
