//! Namespace quota split through the `kube-system/tke-quota-config` ConfigMap (capacity spec
//! §4.6, S:899-907, S:941-975).
//!
//! By default every namespace sees the same remaining headroom:
//! `remaining = level hard quota − cluster-wide usage`. A `tke-quota-config` ConfigMap maps
//! namespaces to percentages of that headroom.
//!
//! Decisions where the source is silent or ambiguous (A-L5), each tested:
//! * **The "others get 10%" ambiguity.** In the source example (`default: 50`, `kube-system: 40`)
//!   "the remaining namespaces get 10%". This crate gives **each** unlisted namespace
//!   `100 − Σ listed` percent of the headroom; the unlisted namespaces do **not** divide that
//!   share among themselves. Reason: the quota is enforced per namespace by a `ResourceQuota`
//!   (`tke-default-quota`), so each namespace gets its own allowance, exactly like the default
//!   policy in which every namespace sees the full headroom; a shared pool would need a
//!   cross-namespace counter that TKE does not describe. So in the example, *every* other
//!   namespace may use 10%.
//! * A sum of exactly 100% is valid; unlisted namespaces then get 0%.
//! * A sum above 100% makes the split invalid: the default policy applies and a warning is
//!   returned (and logged with `tracing`).
//! * Values are integer percentages 0-100 written in base 10 (surrounding spaces and a trailing
//!   `%` are tolerated). Anything else (decimals, signs, words) is an error naming the key: a
//!   typo should be fixed, not silently change everybody's quota.
//! * The split applies to every quota kind (pods, ConfigMaps, CRD objects, each other kind); the
//!   ConfigMap has no per-kind keys.
//! * Allowances are rounded down (never promise more than the quota).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;

use crate::error::QuotaError;

/// Name of the split ConfigMap.
pub const QUOTA_CONFIG_NAME: &str = "tke-quota-config";
/// Namespace of the split ConfigMap.
pub const QUOTA_CONFIG_NAMESPACE: &str = "kube-system";

/// How the remaining headroom is shared between namespaces.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum QuotaSplit {
    /// Every namespace sees the whole remaining headroom.
    #[default]
    Default,
    /// Listed namespaces get their percentage; every other namespace gets `others_percent`.
    Custom {
        /// Namespace → percentage.
        shares: BTreeMap<String, u8>,
        /// `100 − Σ shares`: the share of each unlisted namespace.
        others_percent: u8,
    },
}

/// Why a well-formed configuration was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitWarning {
    /// The percentages sum to more than 100%; the default policy applies.
    SumOver100 {
        /// The sum.
        sum: u64,
    },
}

/// A parsed `tke-quota-config`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SplitConfig {
    /// The policy in force.
    pub split: QuotaSplit,
    /// Set when the configuration was ignored.
    pub warning: Option<SplitWarning>,
}

impl QuotaSplit {
    /// Parses the `data` of `tke-quota-config`.
    pub fn parse<'a, I>(data: I) -> Result<SplitConfig, QuotaError>
    where
        I: IntoIterator<Item = (&'a String, &'a String)>,
    {
        let mut shares = BTreeMap::new();
        let mut sum: u64 = 0;
        for (key, value) in data {
            let pct = parse_percent(value).ok_or_else(|| QuotaError::MalformedPercentage {
                key: key.clone(),
                value: value.clone(),
            })?;
            sum += u64::from(pct);
            shares.insert(key.clone(), pct);
        }
        if sum > 100 {
            tracing::warn!(
                sum,
                "{QUOTA_CONFIG_NAMESPACE}/{QUOTA_CONFIG_NAME}: percentages sum to more than 100%; using the default quota policy"
            );
            return Ok(SplitConfig {
                split: QuotaSplit::Default,
                warning: Some(SplitWarning::SumOver100 { sum }),
            });
        }
        if shares.is_empty() {
            return Ok(SplitConfig::default());
        }
        let others_percent = u8::try_from(100 - sum).unwrap_or(0);
        Ok(SplitConfig {
            split: QuotaSplit::Custom {
                shares,
                others_percent,
            },
            warning: None,
        })
    }

    /// Parses the ConfigMap; its name and namespace must be `kube-system/tke-quota-config`
    /// (unset fields are accepted, as in a manifest applied with `-n`).
    pub fn from_config_map(cm: &ConfigMap) -> Result<SplitConfig, QuotaError> {
        let checks = [
            (
                "metadata.name",
                cm.metadata.name.as_deref(),
                QUOTA_CONFIG_NAME,
            ),
            (
                "metadata.namespace",
                cm.metadata.namespace.as_deref(),
                QUOTA_CONFIG_NAMESPACE,
            ),
        ];
        for (field, found, expected) in checks {
            if let Some(found) = found.filter(|f| *f != expected) {
                return Err(QuotaError::WrongConfigMap {
                    field,
                    found: found.to_owned(),
                    expected,
                });
            }
        }
        match &cm.data {
            Some(data) => QuotaSplit::parse(data),
            None => Ok(SplitConfig::default()),
        }
    }

    /// The percentage of the remaining headroom that `namespace` may use.
    pub fn percent_for(&self, namespace: &str) -> u8 {
        match self {
            QuotaSplit::Default => 100,
            QuotaSplit::Custom {
                shares,
                others_percent,
            } => shares.get(namespace).copied().unwrap_or(*others_percent),
        }
    }

    /// How much of one quota kind `namespace` may still create:
    /// `floor((quota − cluster_used) × percent / 100)`, with negative headroom as 0.
    pub fn allowance(&self, quota: u64, cluster_used: u64, namespace: &str) -> u64 {
        let remaining = quota.saturating_sub(cluster_used);
        let pct = u128::from(self.percent_for(namespace));
        // Exact: remaining × pct fits in u128.
        u64::try_from(u128::from(remaining) * pct / 100).unwrap_or(remaining)
    }
}

fn parse_percent(raw: &str) -> Option<u8> {
    let t = raw.trim();
    let t = t.strip_suffix('%').unwrap_or(t).trim_end();
    if t.is_empty() || t.len() > 3 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<u8>().ok().filter(|p| *p <= 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn data(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn parse(pairs: &[(&str, &str)]) -> SplitConfig {
        QuotaSplit::parse(&data(pairs)).unwrap()
    }

    /// Capacity spec §4.6, Q1-Q5.
    #[test]
    fn split_vectors() {
        // Q1: the source example; each other namespace gets 10% (documented choice).
        let q1 = parse(&[("default", "50"), ("kube-system", "40")]);
        assert_eq!(q1.warning, None);
        for (ns, want) in [
            ("default", 500),
            ("kube-system", 400),
            ("prod", 100),
            ("dev", 100),
        ] {
            assert_eq!(q1.split.allowance(1_000, 0, ns), want, "Q1 {ns}");
        }
        // Q2: sum 110 → invalid → default policy, with a warning.
        let q2 = parse(&[("a", "60"), ("b", "50")]);
        assert_eq!(q2.split, QuotaSplit::Default);
        assert_eq!(q2.warning, Some(SplitWarning::SumOver100 { sum: 110 }));
        assert_eq!(q2.split.allowance(1_000, 0, "a"), 1_000);
        // Q3: no ConfigMap.
        assert_eq!(QuotaSplit::Default.allowance(1_000, 0, "x"), 1_000);
        // Q4: 100% to one namespace.
        let q4 = parse(&[("a", "100")]);
        assert_eq!(q4.split.allowance(1_000, 0, "a"), 1_000);
        assert_eq!(q4.split.allowance(1_000, 0, "b"), 0);
        // Q5: L5 (600 pods), 450 used, default gets 50%, others 50%.
        let q5 = parse(&[("default", "50")]);
        assert_eq!(q5.split.allowance(600, 450, "default"), 75);
        assert_eq!(q5.split.allowance(600, 450, "other"), 75);
    }

    #[test]
    fn rounding_and_overuse() {
        let s = parse(&[("a", "33")]);
        assert_eq!(s.split.allowance(10, 0, "a"), 3); // 3.3 → 3
        assert_eq!(s.split.allowance(10, 12, "a"), 0); // usage above quota
    }

    #[test]
    fn malformed_values_name_the_key() {
        for bad in ["abc", "12.5", "-5", "101", "", "1e2", "+5"] {
            let err = QuotaSplit::parse(&data(&[("ok", "10"), ("team-a", bad)])).unwrap_err();
            assert_eq!(
                err,
                QuotaError::MalformedPercentage {
                    key: "team-a".into(),
                    value: bad.into()
                },
                "{bad:?}"
            );
            assert!(err.to_string().contains("team-a"));
        }
        // Tolerated spellings.
        assert_eq!(parse(&[("a", " 20 ")]).split.percent_for("a"), 20);
        assert_eq!(parse(&[("a", "20%")]).split.percent_for("a"), 20);
    }

    #[test]
    fn config_map_parsing() {
        let yaml_like = ConfigMap {
            metadata: ObjectMeta {
                name: Some("tke-quota-config".into()),
                namespace: Some("kube-system".into()),
                ..Default::default()
            },
            data: Some(data(&[("default", "50"), ("kube-system", "40")])),
            ..Default::default()
        };
        let cfg = QuotaSplit::from_config_map(&yaml_like).unwrap();
        assert_eq!(cfg.split.percent_for("anything"), 10);

        let mut wrong = yaml_like.clone();
        wrong.metadata.namespace = Some("default".into());
        let err = QuotaSplit::from_config_map(&wrong).unwrap_err();
        assert!(err.to_string().contains("metadata.namespace"), "{err}");

        let empty = ConfigMap::default();
        assert_eq!(
            QuotaSplit::from_config_map(&empty).unwrap(),
            SplitConfig::default()
        );
    }
}
