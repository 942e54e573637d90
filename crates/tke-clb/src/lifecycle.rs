//! Lifecycle decisions: forbidden changes of a live Service (spec §3.9), whether a CLB may be
//! deleted (§6.4), readiness gate and graceful deletion (§3.5, §3.6).

use crate::annotations::service as sk;
use crate::common::{TAG_CREATED_BY, TAG_LIFECYCLE_OWNER};
use crate::error::ClbError;
use crate::object::{ObjectKind, ObjectRef};
use crate::options::ClusterOptions;
use crate::state::ClbState;
use k8s_openapi::api::core::v1::Service;

/// What happens to a CLB when the last object using it goes away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeletionDecision {
    /// TKE created it and owns its lifecycle: delete the CLB.
    DeleteClb,
    /// Keep the CLB; delete only the cluster's own listeners.
    KeepClb,
}

/// Spec §6.4: delete only a TKE-created CLB (`tke-createdBy-flag=yes`) whose lifecycle owner is not
/// `user`, without deletion protection or Private Link, and with no other owner left.
pub fn deletion_decision(clb: &ClbState, other_owners_remaining: bool) -> DeletionDecision {
    let created = clb.tags.get(TAG_CREATED_BY).is_some_and(|v| v == "yes");
    let user_owned = clb
        .tags
        .get(TAG_LIFECYCLE_OWNER)
        .is_some_and(|v| v == "user");
    if created
        && !user_owned
        && !clb.deletion_protection
        && !clb.private_link
        && !other_owners_remaining
    {
        DeletionDecision::DeleteClb
    } else {
        DeletionDecision::KeepClb
    }
}

/// Direct mode readiness gate (spec §3.5): ready once the Pod is bound and healthy on the CLB, or
/// when `readiness-gate-skip` is set.
pub fn readiness_gate_satisfied(bound: bool, healthy: bool, skip: bool) -> bool {
    skip || (bound && healthy)
}

/// `enable-grace-deletion` (spec §3.6): kubelet may delete the Pod only once every CLB target of it
/// has weight 0 or is gone. `weights_on_clb` are the Pod's current target weights.
pub fn may_kubelet_delete(grace_deletion: bool, weights_on_clb: &[u32]) -> bool {
    !grace_deletion || weights_on_clb.iter().all(|w| *w == 0)
}

#[derive(Debug, PartialEq, Eq)]
struct Access {
    existing: Option<String>,
    subnet: Option<String>,
    region: Option<String>,
    vpc: Option<String>,
    zone: Option<String>,
}

fn access(svc: &Service) -> Option<Access> {
    let lb = svc.spec.as_ref().and_then(|s| s.type_.as_deref()) == Some("LoadBalancer");
    if !lb {
        return None;
    }
    let a = svc.metadata.annotations.as_ref();
    let get = |k: &str| {
        a.and_then(|m| m.get(k))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let zone = get(sk::EXTENSIVE_PARAMETERS)
        .and_then(|p| serde_json::from_str::<serde_json::Value>(&p).ok())
        .and_then(|v| v.get("ZoneId").and_then(|z| z.as_str()).map(str::to_owned));
    Some(Access {
        existing: get(sk::EXISTED_LBID),
        subnet: get(sk::INTERNAL_SUBNET),
        region: get(sk::CROSS_REGION_ID),
        vpc: get(sk::CROSS_VPC_ID),
        zone,
    })
}

/// Reject the changes TKE forbids on a live LoadBalancer Service (spec §3.9). Switching to or from a
/// non-LoadBalancer type is always allowed (it is the documented workaround).
/// Switching between an auto-created and an existing CLB is rejected unless
/// `policy.forbid_auto_existing_switch` is off (spec §9 #2).
pub fn check_lifecycle_change(
    old: &Service,
    new: &Service,
    options: &ClusterOptions,
) -> Result<(), ClbError> {
    let object = ObjectRef::from_meta(ObjectKind::Service, &new.metadata);
    let (Some(o), Some(n)) = (access(old), access(new)) else {
        return Ok(());
    };
    let forbid = |reason: &str| {
        Err(ClbError::ForbiddenChange {
            object: object.clone(),
            reason: reason.to_owned(),
        })
    };
    match (&o.existing, &n.existing) {
        (Some(a), Some(b)) if a != b => return forbid("switching to another existing CLB"),
        (Some(_), None) | (None, Some(_)) if options.policy.forbid_auto_existing_switch => {
            return forbid("switching between an auto-created and an existing CLB");
        }
        (None, None) => {
            match (&o.subnet, &n.subnet) {
                (None, Some(_)) | (Some(_), None) => {
                    return forbid("switching between public and internal CLB access");
                }
                (Some(a), Some(b)) if a != b => {
                    return forbid("changing the subnet of an internal CLB");
                }
                _ => {}
            }
            if o.region != n.region || o.vpc != n.vpc {
                return forbid("moving the CLB to another region or VPC");
            }
            if o.zone != n.zone {
                return forbid("changing the zone of the CLB");
            }
        }
        _ => {}
    }
    Ok(())
}
