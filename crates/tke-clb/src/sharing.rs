//! Merging the objects that use one CLB, conflict detection and limits (spec §6, §7).
//!
//! Order is first-come: objects are considered by `creationTimestamp` (objects without one last),
//! then by kind/namespace/name; a later object that conflicts with an accepted one is rejected as a
//! whole and the error names both (spec §6.2 recommends first-come; the document does not say).

use crate::common::Contribution;
use crate::desired::{ClbKey, DesiredClb, ListenerKey, PortFamily, Protocol, SnatIp};
use crate::error::ClbError;
use crate::fast::{FastMap, FastSet};
use crate::inputs::Inputs;
use crate::mapping::{ObjectReport, ObjectStatus};
use crate::object::{ObjectKind, ObjectList, ObjectRef};
use std::collections::BTreeMap;
use std::net::IpAddr;

pub(crate) fn merge(
    inputs: &Inputs,
    contributions: Vec<Contribution>,
    reports: &mut [ObjectReport],
) -> Vec<DesiredClb> {
    let mut groups: BTreeMap<ClbKey, Vec<Contribution>> = BTreeMap::new();
    for mut c in contributions {
        // Move the key out instead of cloning it (it lives on in the DesiredClb).
        let key = std::mem::replace(&mut c.key, ClbKey::Existing(String::new()));
        groups.entry(key).or_default().push(c);
    }
    let policy = &inputs.options.policy;
    let mut out = Vec::with_capacity(groups.len());
    for (key, mut group) in groups {
        group.sort_by(|a, b| {
            (a.created.is_none(), &a.created, &a.object).cmp(&(
                b.created.is_none(),
                &b.created,
                &b.object,
            ))
        });
        let existing = matches!(key, ClbKey::Existing(_));
        let service_count = group
            .iter()
            .filter(|c| c.object.kind == ObjectKind::Service)
            .count();
        let mut accepted: Vec<Contribution> = Vec::with_capacity(group.len());
        // Port and target-tuple owners, as indexes into `accepted`. A single object without direct
        // access cannot collide with itself (distinct NodePorts), so those maps stay empty then.
        let group_len = group.len();
        let mut ports: FastMap<(PortFamily, u16), (usize, Protocol)> = FastMap::default();
        let mut tuples: FastMap<(Protocol, IpAddr, u16), (usize, ListenerKey)> = FastMap::default();
        // The current object's own tuples; one table reused (cleared) for every object.
        let mut mine: FastMap<(Protocol, IpAddr, u16), ListenerKey> = FastMap::default();
        for c in group {
            let check_tuples = group_len > 1 || c.direct;
            let conflict = |with: &[&ObjectRef], reason: String| ClbError::Conflict {
                clb: key.to_string(),
                objects: ObjectList(
                    with.iter()
                        .map(|o| (*o).clone())
                        .chain(std::iter::once(c.object.clone()))
                        .collect(),
                ),
                reason,
            };
            let mut problems = Vec::new();
            let first = accepted.first().map(|a| &a.object);
            if let Some(first) = first {
                let kinds_mix = c.object.kind == ObjectKind::Ingress
                    || accepted
                        .iter()
                        .any(|a| a.object.kind == ObjectKind::Ingress);
                if kinds_mix {
                    problems.push(conflict(
                        &[first],
                        "an Ingress cannot share an existing CLB with a Service or another Ingress"
                            .to_owned(),
                    ));
                } else if !inputs.options.sharing_enabled {
                    problems.push(conflict(&[first], "several Services reuse this CLB but sharing is not enabled for the cluster".to_owned()));
                } else if policy.require_share_annotation
                    && (c.share_annotation != Some(true)
                        || accepted.iter().any(|a| a.share_annotation != Some(true)))
                {
                    problems.push(conflict(
                        &[first],
                        format!(
                            "sharing needs `{}: \"true\"` on every Service",
                            crate::annotations::service::SHARE_EXISTED_LB
                        ),
                    ));
                }
            }
            let shared = existing && (service_count >= 2 || c.share_annotation == Some(true));
            if c.local && shared {
                problems.push(conflict(&[], "externalTrafficPolicy: Local is not supported on a CLB shared by several Services".to_owned()));
            }
            mine.clear();
            for l in &c.listeners {
                if let Some((o, p)) = ports.get(&(l.key.protocol.family(), l.key.port)) {
                    problems.push(conflict(
                        &[&accepted[*o].object],
                        format!(
                            "listener {} collides with {p}:{} (same port and protocol family)",
                            l.key, l.key.port
                        ),
                    ));
                }
                if l.key.protocol.is_layer7() || !check_tuples {
                    continue;
                }
                for t in l.targets.iter() {
                    let tuple = (l.key.protocol, t.ip, t.port);
                    let clash = match (tuples.get(&tuple), mine.insert(tuple, l.key)) {
                        (Some((o, k)), _) => Some((Some(&accepted[*o].object), *k)),
                        (None, Some(k)) if k != l.key => Some((None, k)),
                        _ => None,
                    };
                    if let Some((o, k)) = clash {
                        let with: Vec<&ObjectRef> = o.into_iter().collect();
                        problems.push(conflict(&with, format!("listeners {k} and {} would both forward to {}:{} (CLB needs a unique VIP/protocol/target tuple)", l.key, t.ip, t.port)));
                        break;
                    }
                }
            }
            for a in &accepted {
                if c.pass_to_target.is_some()
                    && a.pass_to_target.is_some()
                    && c.pass_to_target != a.pass_to_target
                {
                    problems.push(conflict(
                        &[&a.object],
                        "differing pass-to-target values".to_owned(),
                    ));
                }
                if c.security_groups.is_some()
                    && a.security_groups.is_some()
                    && c.security_groups != a.security_groups
                {
                    problems.push(conflict(
                        &[&a.object],
                        "differing security-groups values".to_owned(),
                    ));
                }
            }
            if !problems.is_empty() {
                if let Some(r) = reports.get_mut(c.report) {
                    r.status = ObjectStatus::Rejected;
                    r.errors.extend(problems);
                }
                continue;
            }
            if group_len > 1 {
                let me = accepted.len();
                for l in &c.listeners {
                    ports.insert((l.key.protocol.family(), l.key.port), (me, l.key.protocol));
                    if check_tuples && !l.key.protocol.is_layer7() {
                        for t in l.targets.iter() {
                            tuples.insert((l.key.protocol, t.ip, t.port), (me, l.key));
                        }
                    }
                }
            }
            accepted.push(c);
        }
        let any_direct = accepted.iter().any(|a| a.direct);
        let report_ids: Vec<usize> = accepted.iter().map(|a| a.report).collect();
        let listener_count = accepted.iter().map(|a| a.listeners.len()).sum();
        // Move everything out of the accepted contributions (no clones): the first object's
        // source, the first value of each CLB-wide setting, every owner and listener.
        let mut source = None;
        let mut known_id = None;
        let mut security_groups = None;
        let mut pass_to_target = None;
        let mut modification_protection = None;
        let mut owners = Vec::with_capacity(accepted.len());
        let mut listeners = Vec::with_capacity(listener_count);
        let mut snat_ips: Vec<SnatIp> = Vec::new();
        let mut tags = BTreeMap::new();
        for a in accepted {
            source.get_or_insert(a.source);
            known_id = known_id.or(a.known_id);
            security_groups = security_groups.or(a.security_groups);
            pass_to_target = pass_to_target.or(a.pass_to_target);
            modification_protection = modification_protection.or(a.modification_protection);
            owners.push(a.object);
            listeners.extend(a.listeners);
            for s in a.snat_ips {
                if !snat_ips.contains(&s) {
                    snat_ips.push(s);
                }
            }
            tags.extend(a.tags);
        }
        let Some(source) = source else {
            continue; // nothing accepted
        };
        let mut clb_out = DesiredClb {
            key,
            source,
            known_id,
            owners,
            listeners,
            security_groups,
            pass_to_target,
            modification_protection,
            snat_ips,
            tags,
            violations: Vec::new(),
        };
        clb_out.owners.sort();
        clb_out.listeners.sort_by_key(|a| a.key);
        check_limits(&mut clb_out, policy, any_direct);
        for v in &clb_out.violations {
            for i in &report_ids {
                if let Some(r) = reports.get_mut(*i) {
                    r.warnings.push(v.clone());
                }
            }
        }
        out.push(clb_out);
    }
    out
}

fn check_limits(clb: &mut DesiredClb, policy: &crate::options::Policy, direct: bool) {
    let objects = &clb.owners;
    let name = &clb.key;
    let violations = &mut clb.violations;
    let mut check = |what: &str, actual: usize, limit: usize| {
        if actual > limit {
            violations.push(ClbError::LimitExceeded {
                clb: name.to_string(),
                what: what.to_owned(),
                limit,
                actual,
                objects: ObjectList(objects.clone()),
            });
        }
    };
    check(
        "listener count",
        clb.listeners.len(),
        policy.max_listeners_per_clb,
    );
    check(
        "forwarding rule count",
        clb.listeners.iter().map(|l| l.rules.len()).sum(),
        policy.max_rules_per_clb,
    );
    check("SNAT IP count", clb.snat_ips.len(), 10);
    if direct {
        let mut distinct: FastSet<(IpAddr, u16)> = FastSet::default();
        for l in &clb.listeners {
            distinct.extend(l.targets.iter().map(|t| (t.ip, t.port)));
            for r in &l.rules {
                if let crate::desired::RuleAction::Forward { targets, .. } = &r.action {
                    distinct.extend(targets.iter().map(|t| (t.ip, t.port)));
                }
            }
        }
        check(
            "direct-mode target count",
            distinct.len(),
            policy.max_direct_targets_per_clb,
        );
    }
}
