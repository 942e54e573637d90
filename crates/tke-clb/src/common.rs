//! Annotations Services and Ingresses share (CLB choice, creation parameters, CLB attributes,
//! direct mode, weights, TkeServiceConfig), and the per-object contribution to a CLB.

use crate::annotations::{Reader, ingress as ik, service as sk};
use crate::backends::RsWeight;
use crate::desired::{ChargeType, ClbKey, ClbSource, CreateParams, Listener, Network, SnatIp};
use crate::error::ClbError;
use crate::inputs::Index;
use crate::object::{ObjectKind, ObjectRef};
use crate::options::{ClusterOptions, ControllerVersion};
use crate::tke_service_config::{AUTO_INGRESS_SUFFIX, AUTO_SERVICE_SUFFIX, TkeServiceConfig};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Tag: CLB created by TKE.
pub const TAG_CREATED_BY: &str = "tke-createdBy-flag";
/// Tag: cluster using the CLB.
pub const TAG_CLUSTER_ID: &str = "tke-clusterId";
/// Tag: Ingress using the CLB.
pub const TAG_INGRESS_UUID: &str = "tke-lb-ingress-uuid";
/// Tag: who owns the CLB lifecycle (`tke` | `user`).
pub const TAG_LIFECYCLE_OWNER: &str = "tke-lifecycle-owner";

/// The annotation keys that differ between Services and Ingresses.
pub(crate) struct KeySet {
    pub(crate) loadbalance_id: &'static str,
    pub(crate) existing: &'static str,
    pub(crate) subnet: &'static str,
    pub(crate) charge_type: &'static str,
    pub(crate) bandwidth: &'static str,
    pub(crate) extensive: &'static str,
    pub(crate) pass_to_target: &'static str,
    pub(crate) security_groups: &'static str,
    pub(crate) modification_protection: &'static str,
    pub(crate) config: &'static str,
    pub(crate) config_auto: &'static str,
    pub(crate) direct: &'static str,
    pub(crate) grace_shutdown: &'static str,
    pub(crate) grace_tkex: &'static str,
    pub(crate) grace_deletion: &'static str,
    pub(crate) rs_weight: &'static str,
    pub(crate) region: &'static str,
    pub(crate) vpc: &'static str,
    pub(crate) hybrid: &'static str,
    pub(crate) snat: &'static str,
    pub(crate) auto_suffix: &'static str,
}

pub(crate) const SERVICE_KEYS: KeySet = KeySet {
    loadbalance_id: sk::LOADBALANCE_ID,
    existing: sk::EXISTED_LBID,
    subnet: sk::INTERNAL_SUBNET,
    charge_type: sk::CHARGE_TYPE,
    bandwidth: sk::BANDWIDTH_OUT,
    extensive: sk::EXTENSIVE_PARAMETERS,
    pass_to_target: sk::PASS_TO_TARGET,
    security_groups: sk::SECURITY_GROUPS,
    modification_protection: sk::MODIFICATION_PROTECTION,
    config: sk::TKE_SERVICE_CONFIG,
    config_auto: sk::TKE_SERVICE_CONFIG_AUTO,
    direct: sk::DIRECT_ACCESS,
    grace_shutdown: sk::GRACE_SHUTDOWN,
    grace_tkex: sk::GRACE_SHUTDOWN_TKEX,
    grace_deletion: sk::GRACE_DELETION,
    rs_weight: sk::LB_RS_WEIGHT,
    region: sk::CROSS_REGION_ID,
    vpc: sk::CROSS_VPC_ID,
    hybrid: sk::HYBRID_TYPE,
    snat: sk::SNAT_PRO_INFO,
    auto_suffix: AUTO_SERVICE_SUFFIX,
};

pub(crate) const INGRESS_KEYS: KeySet = KeySet {
    loadbalance_id: ik::LOADBALANCE_ID,
    existing: ik::EXIST_LB_ID,
    subnet: ik::SUBNET_ID,
    charge_type: ik::CHARGE_TYPE,
    bandwidth: ik::BANDWIDTH_OUT,
    extensive: ik::EXTENSIVE_PARAMETERS,
    pass_to_target: ik::PASS_TO_TARGET,
    security_groups: ik::SECURITY_GROUPS,
    modification_protection: ik::MODIFICATION_PROTECTION,
    config: ik::TKE_SERVICE_CONFIG,
    config_auto: ik::TKE_SERVICE_CONFIG_AUTO,
    direct: ik::DIRECT_ACCESS,
    grace_shutdown: ik::GRACE_SHUTDOWN,
    grace_tkex: ik::GRACE_SHUTDOWN_TKEX,
    grace_deletion: ik::GRACE_DELETION,
    rs_weight: ik::LB_RS_WEIGHT,
    region: ik::CROSS_REGION_ID,
    vpc: ik::CROSS_VPC_ID,
    hybrid: ik::HYBRID_TYPE,
    snat: ik::SNAT_PRO_INFO,
    auto_suffix: AUTO_INGRESS_SUFFIX,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SnatProInfo {
    snat_ips: Vec<SnatIp>,
}

/// Parsed common annotations.
pub(crate) struct Common {
    pub(crate) source: ClbSource,
    pub(crate) known_id: Option<String>,
    pub(crate) pass_to_target: Option<bool>,
    pub(crate) security_groups: Option<Vec<String>>,
    pub(crate) modification_protection: Option<bool>,
    /// Name of the TkeServiceConfig to apply (manual or auto).
    pub(crate) config: Option<String>,
    /// The config is the auto-created one (its absence is normal: the controller creates it).
    pub(crate) config_auto: bool,
    pub(crate) direct: bool,
    pub(crate) grace_shutdown: bool,
    pub(crate) grace_tkex: bool,
    pub(crate) rs_weight: Option<RsWeight>,
    /// Registered (IDC) nodes may be bound: `hybrid-type: CCN` plus `snat-pro-info`.
    pub(crate) hybrid: bool,
    pub(crate) snat_ips: Vec<SnatIp>,
}

/// Version from which the grace-shutdown annotations are on by default.
const GRACE_DEFAULT_ON: ControllerVersion = ControllerVersion(2, 2, 0);

pub(crate) fn parse_common(
    r: &mut Reader<'_>,
    keys: &KeySet,
    options: &ClusterOptions,
    version: Option<ControllerVersion>,
    max_bandwidth: u32,
) -> Common {
    let object = r.object();
    let existing = r.string(keys.existing);
    let region = r.string(keys.region);
    let vpc = r.string(keys.vpc);
    let subnet = r.string(keys.subnet);
    let charge_type = r
        .one_of(
            keys.charge_type,
            &["BANDWIDTH_POSTPAID_BY_HOUR", "TRAFFIC_POSTPAID_BY_HOUR"],
        )
        .map(|c| {
            if c.starts_with("BANDWIDTH") {
                ChargeType::BandwidthPostpaidByHour
            } else {
                ChargeType::TrafficPostpaidByHour
            }
        });
    let bandwidth_out = r.int_in(keys.bandwidth, 1, max_bandwidth);
    let extensive: Option<serde_json::Map<String, serde_json::Value>> = r.json(keys.extensive);
    let source = match existing {
        Some(id) => {
            for k in [
                keys.subnet,
                keys.charge_type,
                keys.bandwidth,
                keys.extensive,
                keys.vpc,
            ] {
                if let Some(v) = r.raw(k) {
                    r.warnings
                        .push(r.error(k, v, "ignored: the object uses an existing CLB"));
                }
            }
            ClbSource::Existing { id, region }
        }
        None => {
            if subnet.is_some() && bandwidth_out.is_some() {
                r.warnings.push(r.error(
                    keys.bandwidth,
                    &bandwidth_out.unwrap_or_default().to_string(),
                    "ignored: bandwidth applies to public CLBs only",
                ));
            }
            ClbSource::Create(CreateParams {
                name: format!(
                    "tke_{}_{}_{}_{}",
                    options.cluster_id,
                    object.kind.tag(),
                    object.namespace,
                    object.name
                ),
                network: match subnet {
                    Some(subnet_id) => Network::Internal { subnet_id },
                    None => Network::Public,
                },
                region,
                vpc_id: vpc,
                charge_type,
                bandwidth_out,
                extensive_parameters: extensive.unwrap_or_default(),
            })
        }
    };
    let known_id = r.string(keys.loadbalance_id);

    let pass_to_target = r.bool(keys.pass_to_target);
    let modification_protection = r.bool(keys.modification_protection);
    let security_groups = r.raw(keys.security_groups).and_then(|v| {
        let ids: Vec<String> = v
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if ids.len() > 5 {
            r.invalid(
                keys.security_groups,
                v,
                "at most 5 security groups can be bound to a CLB",
            );
            None
        } else if let Some(bad) = ids.iter().find(|i| !i.starts_with("sg-")) {
            r.invalid(
                keys.security_groups,
                v,
                &format!("{bad:?} is not a security group ID (sg-...)"),
            );
            None
        } else {
            Some(ids)
        }
    });

    let manual = r.string(keys.config);
    let auto = r.flag(keys.config_auto);
    let config = match (manual, auto) {
        (Some(_), true) => {
            r.conflict(keys.config, keys.config_auto, "are mutually exclusive");
            None
        }
        (Some(name), false) => {
            if name.ends_with(AUTO_SERVICE_SUFFIX) || name.ends_with(AUTO_INGRESS_SUFFIX) {
                r.invalid(keys.config, &name, "names ending with -auto-service-config or -auto-ingress-config are reserved for auto-created configs");
                None
            } else {
                Some(name)
            }
        }
        (None, true) => Some(format!("{}{}", object.name, keys.auto_suffix)),
        (None, false) => None,
    };

    let direct_annotation = r.flag(keys.direct);
    let direct = direct_annotation || options.serverless;
    if direct_annotation && !options.direct_access_possible() {
        r.invalid(
            keys.direct,
            "true",
            "direct access needs VPC-CNI, or GlobalRouter with GlobalRouteDirectAccess enabled",
        );
    }
    let grace_default = version.is_none_or(|v| v >= GRACE_DEFAULT_ON);
    let grace_shutdown = r
        .bool(keys.grace_shutdown)
        .map_or(grace_default, |b| b || grace_default);
    let grace_tkex = r
        .bool(keys.grace_tkex)
        .map_or(grace_default, |b| b || grace_default);
    // Pod deletion ordering only (see `lifecycle::may_kubelet_delete`); validated here.
    let _ = r.flag(keys.grace_deletion);
    if !direct {
        for k in [keys.grace_shutdown, keys.grace_tkex, keys.grace_deletion] {
            if let Some(v) = r.raw(k) {
                r.warnings
                    .push(r.error(k, v, "ignored: only effective with direct access"));
            }
        }
    }

    let rs_weight: Option<RsWeight> = r.json(keys.rs_weight);
    let rs_weight = rs_weight.and_then(|w| {
        let problems = w.problems(options.policy.max_weight);
        if problems.is_empty() {
            Some(w)
        } else {
            let raw = r.raw(keys.rs_weight).unwrap_or_default();
            r.invalid(keys.rs_weight, raw, &problems.join("; "));
            None
        }
    });

    let hybrid_type = r.one_of(keys.hybrid, &["CCN"]);
    let snat: Option<SnatProInfo> = r.json(keys.snat);
    let snat_ips = snat.map(|s| s.snat_ips).unwrap_or_default();
    if snat_ips.len() > 10 {
        let raw = r.raw(keys.snat).unwrap_or_default();
        r.invalid(
            keys.snat,
            raw,
            &format!("{} SNAT IPs; at most 10 per CLB", snat_ips.len()),
        );
    }
    if let Some(bad) = snat_ips.iter().find(|s| s.subnet_id.trim().is_empty()) {
        let raw = r.raw(keys.snat).unwrap_or_default();
        r.invalid(
            keys.snat,
            raw,
            &format!("SNAT entry {bad:?} has an empty subnetId"),
        );
    }
    let hybrid = hybrid_type.is_some() && !snat_ips.is_empty();
    if hybrid_type.is_some() == snat_ips.is_empty() {
        r.warnings.push(ClbError::AnnotationConflict {
            object: object.clone(),
            first: keys.hybrid.to_owned(),
            second: keys.snat.to_owned(),
            reason: "both are needed to bind registered (IDC) nodes; only cloud nodes are bound"
                .to_owned(),
        });
    }

    Common {
        source,
        known_id,
        pass_to_target,
        security_groups,
        modification_protection,
        config,
        config_auto: auto,
        direct,
        grace_shutdown,
        grace_tkex,
        rs_weight,
        hybrid,
        snat_ips,
    }
}

/// The TkeServiceConfig named by an object, validated. Missing config: warning (not applied);
/// invalid config: errors of the object.
pub(crate) fn load_config<'a>(
    idx: &Index<'a>,
    object: &ObjectRef,
    common: &Common,
    errors: &mut Vec<ClbError>,
    warnings: &mut Vec<ClbError>,
) -> Option<&'a TkeServiceConfig> {
    let name = common.config.as_deref()?;
    let Some(cfg) = idx.configs.get(&(object.namespace.as_str(), name)) else {
        if common.config_auto {
            return None;
        }
        warnings.push(ClbError::Reference {
            object: object.clone(),
            target_kind: "TkeServiceConfig".to_owned(),
            name: name.to_owned(),
            reason: "not found in the object's namespace; not applied".to_owned(),
        });
        return None;
    };
    let problems = cfg.validate(idx.options.clb_domain_based);
    if problems.is_empty() {
        Some(cfg)
    } else {
        errors.extend(problems);
        None
    }
}

/// One object's share of a CLB, before merging.
#[derive(Debug, Clone)]
pub(crate) struct Contribution {
    pub(crate) object: ObjectRef,
    pub(crate) created: Option<Time>,
    pub(crate) key: ClbKey,
    pub(crate) source: ClbSource,
    pub(crate) known_id: Option<String>,
    pub(crate) listeners: Vec<Listener>,
    pub(crate) security_groups: Option<Vec<String>>,
    pub(crate) pass_to_target: Option<bool>,
    pub(crate) modification_protection: Option<bool>,
    pub(crate) snat_ips: Vec<SnatIp>,
    pub(crate) tags: BTreeMap<String, String>,
    pub(crate) local: bool,
    pub(crate) share_annotation: Option<bool>,
    pub(crate) direct: bool,
    /// Index of the object's report in `Mapping::reports`.
    pub(crate) report: usize,
}

impl Contribution {
    pub(crate) fn new(
        object: ObjectRef,
        meta: &ObjectMeta,
        common: &Common,
        options: &ClusterOptions,
    ) -> Self {
        let key = match &common.source {
            ClbSource::Existing { id, .. } => ClbKey::Existing(id.clone()),
            ClbSource::Create(_) => ClbKey::Created(object.clone()),
        };
        let mut tags = BTreeMap::new();
        tags.insert(TAG_CLUSTER_ID.to_owned(), options.cluster_id.clone());
        if matches!(common.source, ClbSource::Create(_)) {
            tags.insert(TAG_CREATED_BY.to_owned(), "yes".to_owned());
        }
        if object.kind == ObjectKind::Ingress
            && let Some(uid) = &meta.uid
        {
            tags.insert(TAG_INGRESS_UUID.to_owned(), uid.clone());
        }
        let known_id = match &common.source {
            ClbSource::Existing { id, .. } => Some(id.clone()),
            ClbSource::Create(_) => common.known_id.clone(),
        };
        Contribution {
            object,
            created: meta.creation_timestamp.clone(),
            key,
            source: common.source.clone(),
            known_id,
            listeners: Vec::new(),
            security_groups: common.security_groups.clone(),
            pass_to_target: common.pass_to_target,
            modification_protection: common.modification_protection,
            snat_ips: common.snat_ips.clone(),
            tags,
            local: false,
            share_annotation: None,
            direct: common.direct,
            report: 0,
        }
    }
}
