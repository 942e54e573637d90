//! Planning: the ordered CLB API calls that take a CLB from its current state to the desired one.
//!
//! Order (each phase completes before the next):
//! 1. `CreateLoadBalancer`; tags, security groups, CLB attributes;
//! 2. listeners that must give way on the same port (a protocol change such as TCP→TCP_SSL on one
//!    port; unavoidable short interruption, the CLB cannot hold both);
//! 3. create/modify listeners; 4. create/modify rules and domain attributes;
//! 5. register new targets and change weights — **before** anything is removed;
//! 6. delete redirects; 7. create redirects (their target rules exist by now);
//! 8. deregister old targets; 9. delete rules; 10. delete listeners; 11. delete the CLB.
//!
//! Ownership: a listener belongs to the cluster when its name starts with
//! [`crate::listener_name_prefix`]; one whose name was changed, or that another tool created, is
//! never modified or deleted (spec §3.2/§6.1), and wanting its port is reported as a conflict.
//! Calls address listeners by `(protocol, port)` and rules by `(domain, url)`: an executor maps
//! them to `ListenerId`/`LocationId` from the same Describe responses (or the Create responses).

use crate::common::{TAG_CLUSTER_ID, TAG_CREATED_BY, TAG_INGRESS_UUID};
use crate::desired::{
    Certificate, ClbKey, ClbSource, CreateParams, DesiredClb, Domain, HealthCheck, ListenerKey,
    ListenerSettings, RuleAction, RuleKey, RuleSettings, Session, SnatIp, Target,
    listener_name_prefix,
};
use crate::error::ClbError;
use crate::fast::{FastMap, FastSet};
use crate::lifecycle;
use crate::mapping::{Mapping, ObjectStatus};
use crate::object::{ObjectKind, ObjectList, ObjectRef};
use crate::options::ClusterOptions;
use crate::state::{ClbState, ListenerState, RuleState};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A listener to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListenerSpec {
    /// Protocol and port.
    pub key: ListenerKey,
    /// Owner-tagged name.
    pub name: String,
    /// Listener certificate.
    pub certificate: Option<Certificate>,
    /// SNI.
    pub sni: bool,
    /// Settings (only the fields to set).
    pub settings: ListenerSettings,
    /// Extra creation parameters (`service.listenerParameters`).
    pub create_parameters: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A rule to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleSpec {
    /// Domain and URL.
    pub key: RuleKey,
    /// Domain certificate (SNI).
    pub certificate: Option<Certificate>,
    /// Settings (only the fields to set).
    pub settings: RuleSettings,
}

/// One CLB API call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum Call {
    /// `CreateLoadBalancer` (pay-as-you-go, with tags and SNAT IPs).
    CreateLoadBalancer {
        /// Creation parameters.
        params: CreateParams,
        /// Tags.
        tags: BTreeMap<String, String>,
        /// SNAT IPs.
        snat_ips: Vec<SnatIp>,
    },
    /// Tag the CLB (tag service `TagResources`).
    TagResources {
        /// Tags to add or overwrite.
        tags: BTreeMap<String, String>,
    },
    /// `SetLoadBalancerSecurityGroups` (the full list; empty unbinds all).
    SetSecurityGroups {
        /// Security groups.
        security_groups: Vec<String>,
    },
    /// `ModifyLoadBalancerAttributes`.
    ModifyLoadBalancerAttributes {
        /// Pass-to-target.
        pass_to_target: Option<bool>,
        /// Modification protection.
        modification_protection: Option<bool>,
    },
    /// `CreateListener`.
    CreateListener(ListenerSpec),
    /// `ModifyListener` (only the changed fields are set).
    ModifyListener {
        /// Listener.
        listener: ListenerKey,
        /// New certificate.
        certificate: Option<Certificate>,
        /// Turn SNI on.
        sni: Option<bool>,
        /// Changed settings.
        settings: ListenerSettings,
    },
    /// `DeleteListener`.
    DeleteListener {
        /// Listener.
        listener: ListenerKey,
    },
    /// `CreateRule`.
    CreateRule {
        /// Listener.
        listener: ListenerKey,
        /// Rule.
        rule: RuleSpec,
    },
    /// `ModifyRule` (only changed fields).
    ModifyRule {
        /// Listener.
        listener: ListenerKey,
        /// Rule.
        rule: RuleKey,
        /// Changed settings.
        settings: RuleSettings,
    },
    /// `ModifyDomainAttributes`: domain certificate and HTTP/2.
    ModifyDomainAttributes {
        /// Listener.
        listener: ListenerKey,
        /// Domain.
        domain: Domain,
        /// New certificate.
        certificate: Option<Certificate>,
        /// HTTP/2.
        http2: Option<bool>,
    },
    /// `DeleteRule`.
    DeleteRule {
        /// Listener.
        listener: ListenerKey,
        /// Rule.
        rule: RuleKey,
    },
    /// `RegisterTargets`.
    RegisterTargets {
        /// Listener.
        listener: ListenerKey,
        /// Rule (layer 7).
        rule: Option<RuleKey>,
        /// Targets with weights.
        targets: Vec<Target>,
    },
    /// `ModifyTargetWeight`.
    ModifyTargetWeight {
        /// Listener.
        listener: ListenerKey,
        /// Rule (layer 7).
        rule: Option<RuleKey>,
        /// Targets with their new weights.
        targets: Vec<Target>,
    },
    /// `DeregisterTargets`.
    DeregisterTargets {
        /// Listener.
        listener: ListenerKey,
        /// Rule (layer 7).
        rule: Option<RuleKey>,
        /// Targets.
        targets: Vec<Target>,
    },
    /// `ManualRewrite`: redirect a rule to another rule.
    ManualRewrite {
        /// Source listener.
        listener: ListenerKey,
        /// Source rule.
        rule: RuleKey,
        /// Target listener port.
        to_port: u16,
        /// Target rule.
        to: RuleKey,
    },
    /// `DeleteRewrite`.
    DeleteRewrite {
        /// Source listener.
        listener: ListenerKey,
        /// Source rule.
        rule: RuleKey,
        /// Target listener port.
        to_port: u16,
        /// Target rule.
        to: RuleKey,
    },
    /// `DeleteLoadBalancer` (only TKE-created CLBs, spec §6.4).
    DeleteLoadBalancer,
}

impl Call {
    /// The CLB API action name.
    pub fn name(&self) -> &'static str {
        match self {
            Call::CreateLoadBalancer { .. } => "CreateLoadBalancer",
            Call::TagResources { .. } => "TagResources",
            Call::SetSecurityGroups { .. } => "SetLoadBalancerSecurityGroups",
            Call::ModifyLoadBalancerAttributes { .. } => "ModifyLoadBalancerAttributes",
            Call::CreateListener(_) => "CreateListener",
            Call::ModifyListener { .. } => "ModifyListener",
            Call::DeleteListener { .. } => "DeleteListener",
            Call::CreateRule { .. } => "CreateRule",
            Call::ModifyRule { .. } => "ModifyRule",
            Call::ModifyDomainAttributes { .. } => "ModifyDomainAttributes",
            Call::DeleteRule { .. } => "DeleteRule",
            Call::RegisterTargets { .. } => "RegisterTargets",
            Call::ModifyTargetWeight { .. } => "ModifyTargetWeight",
            Call::DeregisterTargets { .. } => "DeregisterTargets",
            Call::ManualRewrite { .. } => "ManualRewrite",
            Call::DeleteRewrite { .. } => "DeleteRewrite",
            Call::DeleteLoadBalancer => "DeleteLoadBalancer",
        }
    }

    /// Whether the call removes something (listener, rule, target, redirect, CLB).
    pub fn is_removal(&self) -> bool {
        matches!(
            self,
            Call::DeleteListener { .. }
                | Call::DeleteRule { .. }
                | Call::DeregisterTargets { .. }
                | Call::DeleteRewrite { .. }
                | Call::DeleteLoadBalancer
        )
    }
}

/// The plan for one CLB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// Which desired CLB (or, for a CLB no object uses any more, its ID as `Existing`).
    pub clb: ClbKey,
    /// ID of the CLB when it exists.
    pub clb_id: Option<String>,
    /// Calls in execution order.
    pub calls: Vec<Call>,
    /// Things the plan refused to touch, with the objects involved.
    pub conflicts: Vec<ClbError>,
}

impl Plan {
    /// Nothing to do and nothing in the way.
    pub fn is_empty(&self) -> bool {
        self.calls.is_empty() && self.conflicts.is_empty()
    }
}

/// Plan one CLB: `current` is `None` when it does not exist yet.
pub fn plan(desired: &DesiredClb, current: Option<&ClbState>, options: &ClusterOptions) -> Plan {
    plan_inner(
        Some(desired),
        current,
        options,
        &BTreeSet::new(),
        &mut Default::default(),
    )
}

/// Plan every CLB of a mapping against the current CLBs (as described by the API). Matches
/// desired CLBs by ID (existing CLBs, or the recorded `loadbalance-id` annotation), else created ones
/// by their deterministic name and the cluster tag. CLBs tagged with this cluster that no object
/// uses any more get their owned listeners removed, or are deleted when TKE created them.
/// Listeners and CLBs of objects that exist but were rejected are left alone.
pub fn plan_all(mapping: &Mapping, current: &[ClbState], options: &ClusterOptions) -> Vec<Plan> {
    let protected: BTreeSet<ObjectRef> = mapping
        .reports
        .iter()
        .filter(|r| r.status == ObjectStatus::Rejected)
        .map(|r| r.object.clone())
        .collect();
    let ours = |c: &ClbState| c.tags.get(TAG_CLUSTER_ID) == Some(&options.cluster_id);
    let by_id: FastMap<&str, &ClbState> = current.iter().map(|c| (c.id.as_str(), c)).collect();
    let by_name: FastMap<&str, &ClbState> = current
        .iter()
        .filter(|c| ours(c))
        .map(|c| (c.name.as_str(), c))
        .collect();
    let mut used: FastSet<&str> = FastSet::default();
    let mut out = Vec::with_capacity(mapping.clbs.len());
    // Phase buffers reused by every plan (each plan's calls are copied out in order).
    let mut phases = Default::default();
    for d in &mapping.clbs {
        let cur = match (&d.known_id, &d.source) {
            (Some(id), _) => by_id.get(id.as_str()).copied(),
            (None, ClbSource::Create(p)) => by_name.get(p.name.as_str()).copied(),
            (None, ClbSource::Existing { .. }) => None,
        };
        if let Some(c) = cur {
            used.insert(c.id.as_str());
        }
        out.push(plan_inner(Some(d), cur, options, &protected, &mut phases));
    }
    for c in current
        .iter()
        .filter(|c| ours(c) && !used.contains(c.id.as_str()))
    {
        if owner_from_clb_name(&options.cluster_id, &c.name).is_some_and(|o| protected.contains(&o))
        {
            continue;
        }
        let p = plan_inner(None, Some(c), options, &protected, &mut phases);
        if !p.is_empty() {
            out.push(p);
        }
    }
    out
}

/// Owner encoded in a listener name made by [`crate::listener_name`].
pub(crate) fn owner_from_listener_name(cluster_id: &str, name: &str) -> Option<ObjectRef> {
    let rest = name.strip_prefix(&listener_name_prefix(cluster_id))?;
    let parts: Vec<&str> = rest.split('_').collect();
    if parts.len() < 5 {
        return None;
    }
    owner_from_parts(parts[0], parts[1], parts[2])
}

fn owner_from_clb_name(cluster_id: &str, name: &str) -> Option<ObjectRef> {
    let rest = name.strip_prefix(&format!("tke_{cluster_id}_"))?;
    let parts: Vec<&str> = rest.split('_').collect();
    match parts.as_slice() {
        [k, ns, n] => owner_from_parts(k, ns, n),
        _ => None,
    }
}

fn owner_from_parts(kind: &str, ns: &str, name: &str) -> Option<ObjectRef> {
    let kind = match kind {
        "svc" => ObjectKind::Service,
        "ing" => ObjectKind::Ingress,
        _ => return None,
    };
    Some(ObjectRef {
        kind,
        namespace: ns.to_owned(),
        name: name.to_owned(),
    })
}

// ---- partial-overlay diffs (desired `Some` fields that differ from the current value) ----

macro_rules! diff_fields {
    ($d:expr, $c:expr, $out:expr, $changed:ident, [$($f:ident),*]) => {
        $( if $d.$f.is_some() && $d.$f != $c.$f { $out.$f = $d.$f.clone(); $changed = true; } )*
    };
}

macro_rules! overlay_fields {
    ($d:expr, $c:expr, [$($f:ident),*]) => {
        $( if $d.$f.is_some() { $c.$f = $d.$f.clone(); } )*
    };
}

fn diff_hc(d: &HealthCheck, c: Option<&HealthCheck>) -> Option<Box<HealthCheck>> {
    let default = HealthCheck::default();
    let c = c.unwrap_or(&default);
    let mut out = HealthCheck::default();
    let mut changed = false;
    diff_fields!(
        d,
        c,
        out,
        changed,
        [
            enable,
            check_type,
            check_port,
            interval_time,
            health_num,
            un_health_num,
            timeout,
            http_code,
            http_check_path,
            http_check_domain,
            http_check_method,
            http_version,
            source_ip_type
        ]
    );
    changed.then(|| Box::new(out))
}

fn diff_session(d: &Session, c: Option<&Session>) -> Option<Session> {
    let default = Session::default();
    let c = c.unwrap_or(&default);
    let mut out = Session::default();
    let mut changed = false;
    diff_fields!(d, c, out, changed, [enable, session_expire_time]);
    changed.then_some(out)
}

/// The health check and session-persistence changes, which listeners and rules share.
fn diff_hc_and_session(
    (desired_hc, current_hc): (Option<&HealthCheck>, Option<&HealthCheck>),
    (desired_session, current_session): (Option<&Session>, Option<&Session>),
) -> (Option<Box<HealthCheck>>, Option<Session>) {
    (
        desired_hc.and_then(|h| diff_hc(h, current_hc)),
        desired_session.and_then(|s| diff_session(s, current_session)),
    )
}

fn diff_listener(d: &ListenerSettings, c: &ListenerSettings) -> Option<ListenerSettings> {
    let (health_check, session) = diff_hc_and_session(
        (d.health_check.as_deref(), c.health_check.as_deref()),
        (d.session.as_ref(), c.session.as_ref()),
    );
    let mut changed = health_check.is_some() || session.is_some();
    let mut out = ListenerSettings {
        health_check,
        session,
        ..ListenerSettings::default()
    };
    diff_fields!(
        d,
        c,
        out,
        changed,
        [
            scheduler,
            deregister_target_rst,
            proxy_protocol,
            default_server,
            keepalive_enable
        ]
    );
    changed.then_some(out)
}

/// Rule settings except `http2` (a domain attribute).
fn diff_rule(d: &RuleSettings, c: &RuleSettings) -> Option<RuleSettings> {
    let (health_check, session) = diff_hc_and_session(
        (d.health_check.as_deref(), c.health_check.as_deref()),
        (d.session.as_ref(), c.session.as_ref()),
    );
    let mut changed = health_check.is_some() || session.is_some();
    let mut out = RuleSettings {
        health_check,
        session,
        ..RuleSettings::default()
    };
    diff_fields!(d, c, out, changed, [scheduler, forward_type]);
    changed.then_some(out)
}

pub(crate) fn overlay_hc(c: &mut Option<Box<HealthCheck>>, d: &HealthCheck) {
    let c = c.get_or_insert_with(Box::default);
    overlay_fields!(
        d,
        c,
        [
            enable,
            check_type,
            check_port,
            interval_time,
            health_num,
            un_health_num,
            timeout,
            http_code,
            http_check_path,
            http_check_domain,
            http_check_method,
            http_version,
            source_ip_type
        ]
    );
}

fn overlay_session(c: &mut Option<Session>, d: &Session) {
    let c = c.get_or_insert_with(Session::default);
    overlay_fields!(d, c, [enable, session_expire_time]);
}

pub(crate) fn overlay_listener(c: &mut ListenerSettings, d: &ListenerSettings) {
    if let Some(h) = &d.health_check {
        overlay_hc(&mut c.health_check, h);
    }
    if let Some(s) = &d.session {
        overlay_session(&mut c.session, s);
    }
    overlay_fields!(
        d,
        c,
        [
            scheduler,
            deregister_target_rst,
            proxy_protocol,
            default_server,
            keepalive_enable
        ]
    );
}

pub(crate) fn overlay_rule(c: &mut RuleSettings, d: &RuleSettings) {
    if let Some(h) = &d.health_check {
        overlay_hc(&mut c.health_check, h);
    }
    if let Some(s) = &d.session {
        overlay_session(&mut c.session, s);
    }
    overlay_fields!(d, c, [scheduler, forward_type, http2]);
}

/// Integer key ordered exactly like `(IpAddr, u16)` (V4 before V6, octets big-endian), without
/// the byte-array comparisons of `IpAddr`.
fn target_key(t: &Target) -> (u8, u128, u16) {
    match t.ip {
        std::net::IpAddr::V4(a) => (0, u128::from(a.to_bits()), t.port),
        std::net::IpAddr::V6(a) => (1, a.to_bits(), t.port),
    }
}

/// (new, reweighted, removed) targets. Both sides are normally sorted (mapping output, Describe
/// conversion, simulator), which allows a merge join without hashing; unsorted input is sorted first.
fn diff_targets(desired: &[Target], current: &[Target]) -> (Vec<Target>, Vec<Target>, Vec<Target>) {
    let mut out = (
        Vec::with_capacity(desired.len().saturating_sub(current.len())),
        Vec::new(),
        Vec::new(),
    );
    // One pass that also checks the order; only unsorted input pays for copies and sorting.
    if merge_targets(desired, current, &mut out) {
        return out;
    }
    let sorted = |v: &[Target]| {
        let mut v = v.to_vec();
        v.sort_by_key(target_key);
        v
    };
    let (d, c) = (sorted(desired), sorted(current));
    out.0.clear();
    out.1.clear();
    out.2.clear();
    merge_targets(&d, &c, &mut out);
    out
}

/// Merge join of two target lists sorted by [`target_key`]; `false` (with partial output) as soon
/// as either side turns out not to be sorted.
fn merge_targets(
    d: &[Target],
    c: &[Target],
    (add, reweight, remove): &mut (Vec<Target>, Vec<Target>, Vec<Target>),
) -> bool {
    // Each key is computed once; `prev_*` guard the order (non-strict, like `is_sorted`).
    let key_at = |v: &[Target], i: usize| v.get(i).map(target_key);
    let (mut i, mut j) = (0, 0);
    let (mut ka, mut kb) = (key_at(d, 0), key_at(c, 0));
    loop {
        match (ka, kb) {
            (Some(a), Some(b)) => match a.cmp(&b) {
                std::cmp::Ordering::Equal => {
                    if d[i].weight != c[j].weight {
                        reweight.push(d[i]);
                    }
                    i += 1;
                    j += 1;
                    ka = key_at(d, i);
                    kb = key_at(c, j);
                    if ka.is_some_and(|k| k < a) || kb.is_some_and(|k| k < b) {
                        return false;
                    }
                }
                std::cmp::Ordering::Less => {
                    add.push(d[i]);
                    i += 1;
                    ka = key_at(d, i);
                    if ka.is_some_and(|k| k < a) {
                        return false;
                    }
                }
                std::cmp::Ordering::Greater => {
                    remove.push(c[j]);
                    j += 1;
                    kb = key_at(c, j);
                    if kb.is_some_and(|k| k < b) {
                        return false;
                    }
                }
            },
            // One side is done: the rest of the other only needs its order checked.
            (Some(_), None) => {
                if !d[i..].is_sorted_by_key(target_key) {
                    return false;
                }
                add.extend_from_slice(&d[i..]);
                return true;
            }
            (None, Some(_)) => {
                if !c[j..].is_sorted_by_key(target_key) {
                    return false;
                }
                remove.extend_from_slice(&c[j..]);
                return true;
            }
            (None, None) => return true,
        }
    }
}

const PHASES: usize = 11;

type Phases = [Vec<Call>; PHASES];

struct Builder<'a> {
    phases: &'a mut Phases,
    conflicts: Vec<ClbError>,
    /// The CLB as named in conflicts: its ID, else the desired key (formatted only on conflict).
    clb: Result<&'a str, &'a ClbKey>,
    cur: &'a ClbState,
    deleted_rules: FastSet<(u16, RuleKey)>,
    rewrites_removed: FastSet<(ListenerKey, RuleKey)>,
}

impl Builder<'_> {
    fn targets(
        &mut self,
        listener: ListenerKey,
        rule: Option<&RuleKey>,
        desired: &[Target],
        current: &[Target],
    ) {
        let (add, reweight, remove) = diff_targets(desired, current);
        if !add.is_empty() {
            self.phases[4].push(Call::RegisterTargets {
                listener,
                rule: rule.cloned(),
                targets: add,
            });
        }
        if !reweight.is_empty() {
            self.phases[4].push(Call::ModifyTargetWeight {
                listener,
                rule: rule.cloned(),
                targets: reweight,
            });
        }
        if !remove.is_empty() {
            self.phases[7].push(Call::DeregisterTargets {
                listener,
                rule: rule.cloned(),
                targets: remove,
            });
        }
    }

    fn delete_rewrite(&mut self, listener: ListenerKey, r: &RuleState) {
        if let Some(rd) = &r.redirect
            && self.rewrites_removed.insert((listener, r.key.clone()))
        {
            self.phases[5].push(Call::DeleteRewrite {
                listener,
                rule: r.key.clone(),
                to_port: rd.to_port,
                to: rd.to.clone(),
            });
        }
    }

    fn conflict(&mut self, owner: &ObjectRef, reason: String) {
        self.conflicts.push(ClbError::Conflict {
            clb: match self.clb {
                Ok(id) => id.to_owned(),
                Err(key) => key.to_string(),
            },
            objects: ObjectList(vec![owner.clone()]),
            reason,
        });
    }

    fn delete_listener(&mut self, l: &ListenerState, phase: usize) {
        for r in &l.rules {
            self.deleted_rules.insert((l.key.port, r.key.clone()));
        }
        self.phases[phase].push(Call::DeleteListener { listener: l.key });
    }
}

fn plan_inner(
    desired: Option<&DesiredClb>,
    current: Option<&ClbState>,
    options: &ClusterOptions,
    protected: &BTreeSet<ObjectRef>,
    phases: &mut Phases,
) -> Plan {
    let empty = ClbState::default();
    let key = match (desired, current) {
        (Some(d), _) => d.key.clone(),
        (None, Some(c)) => ClbKey::Existing(c.id.clone()),
        (None, None) => ClbKey::Existing(String::new()),
    };
    let mut b = Builder {
        phases,
        conflicts: Vec::new(),
        clb: current.map(|c| c.id.as_str()).ok_or(&key),
        cur: current.unwrap_or(&empty),
        deleted_rules: FastSet::default(),
        rewrites_removed: FastSet::default(),
    };
    let finish = |b: Builder<'_>| Plan {
        clb: key.clone(),
        clb_id: current.map(|c| c.id.clone()),
        calls: {
            let mut calls = Vec::with_capacity(b.phases.iter().map(Vec::len).sum());
            for phase in b.phases.iter_mut() {
                calls.append(phase);
            }
            calls
        },
        conflicts: b.conflicts,
    };

    if let Some(d) = desired {
        // Only needed for conflicts: no clone on the normal path.
        let no_owner;
        let first_owner = match d.owners.first() {
            Some(o) => o,
            None => {
                no_owner = ObjectRef::service("", "");
                &no_owner
            }
        };
        match (current, &d.source) {
            (None, ClbSource::Create(p)) => b.phases[0].push(Call::CreateLoadBalancer {
                params: p.clone(),
                tags: d.tags.clone(),
                snat_ips: d.snat_ips.clone(),
            }),
            (None, ClbSource::Existing { id, .. }) => {
                b.conflict(first_owner, format!("existing CLB {id} was not found"));
                return finish(b);
            }
            (Some(c), ClbSource::Existing { .. })
                if c.tags.get(TAG_CREATED_BY).is_some_and(|v| v == "yes") =>
            {
                b.conflict(
                    first_owner,
                    "the CLB was created by TKE and cannot be reused as an existing CLB".to_owned(),
                );
                return finish(b);
            }
            _ => {}
        }
        if let (Some(c), Some(want)) = (current, d.tags.get(TAG_INGRESS_UUID))
            && c.tags
                .get(TAG_INGRESS_UUID)
                .is_some_and(|have| have != want)
        {
            b.conflict(
                first_owner,
                format!("tag {TAG_INGRESS_UUID} names another Ingress"),
            );
            return finish(b);
        }
        if current.is_some() {
            let missing: BTreeMap<String, String> = d
                .tags
                .iter()
                .filter(|(k, v)| b.cur.tags.get(*k) != Some(*v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if !missing.is_empty() {
                b.phases[0].push(Call::TagResources { tags: missing });
            }
        }
        if let Some(sg) = &d.security_groups
            && *sg != b.cur.security_groups
        {
            b.phases[0].push(Call::SetSecurityGroups {
                security_groups: sg.clone(),
            });
        }
        let ptt = d.pass_to_target.filter(|v| *v != b.cur.pass_to_target);
        let mp = d
            .modification_protection
            .filter(|v| *v != b.cur.modification_protection);
        if ptt.is_some() || mp.is_some() {
            b.phases[0].push(Call::ModifyLoadBalancerAttributes {
                pass_to_target: ptt,
                modification_protection: mp,
            });
        }
    }

    let prefix = listener_name_prefix(&options.cluster_id);
    let owned = |l: &ListenerState| {
        l.name.starts_with(&prefix)
            && owner_from_listener_name(&options.cluster_id, &l.name)
                .is_none_or(|o| !protected.contains(&o))
    };
    let desired_listeners = desired.map(|d| d.listeners.as_slice()).unwrap_or_default();
    let desired_keys: FastSet<ListenerKey> = desired_listeners.iter().map(|l| l.key).collect();
    let cur_by_key: FastMap<ListenerKey, &ListenerState> =
        b.cur.listeners.iter().map(|l| (l.key, l)).collect();
    let mut early_deleted: FastSet<ListenerKey> = FastSet::default();

    for dl in desired_listeners {
        let cl = cur_by_key.get(&dl.key).copied();
        match cl {
            Some(cl) if cl.name != dl.name => {
                b.conflict(
                    &dl.owner,
                    format!(
                        "listener {} exists on the CLB as {:?}, which this object does not own",
                        dl.key, cl.name
                    ),
                );
                continue;
            }
            Some(cl) => {
                let certificate = dl
                    .certificate
                    .clone()
                    .filter(|c| cl.certificate.as_ref().is_none_or(|cc| !cc.matches(c)));
                let sni = (dl.sni && !cl.sni).then_some(true);
                let settings = diff_listener(&dl.settings, &cl.settings);
                if certificate.is_some() || sni.is_some() || settings.is_some() {
                    b.phases[2].push(Call::ModifyListener {
                        listener: dl.key,
                        certificate,
                        sni,
                        settings: settings.unwrap_or_default(),
                    });
                }
                if !dl.key.protocol.is_layer7() {
                    b.targets(dl.key, None, &dl.targets, &cl.targets);
                    continue;
                }
                // One merge join over the (normally already sorted) keys: no hashing of
                // (domain, url) strings and no binary searches.
                let (matched, wanted) = match_rules(&dl.rules, &cl.rules);
                let mut domains_done: FastSet<&Domain> = FastSet::default();
                for (dr, m) in dl.rules.iter().zip(matched) {
                    let Some(cr) = m.map(|j| &cl.rules[j]) else {
                        create_rule(&mut b, dl.key, dr);
                        continue;
                    };
                    if let Some(s) = diff_rule(&dr.settings, &cr.settings) {
                        b.phases[3].push(Call::ModifyRule {
                            listener: dl.key,
                            rule: dr.key.clone(),
                            settings: s,
                        });
                    }
                    let cert = dr
                        .certificate
                        .clone()
                        .filter(|c| cr.certificate.as_ref().is_none_or(|cc| !cc.matches(c)));
                    let http2 = dr.settings.http2.filter(|h| cr.settings.http2 != Some(*h));
                    if (cert.is_some() || http2.is_some()) && domains_done.insert(&dr.key.domain) {
                        b.phases[3].push(Call::ModifyDomainAttributes {
                            listener: dl.key,
                            domain: dr.key.domain.clone(),
                            certificate: cert,
                            http2,
                        });
                    }
                    match &dr.action {
                        RuleAction::Forward { targets, .. } => {
                            b.delete_rewrite(dl.key, cr);
                            b.targets(dl.key, Some(&dr.key), targets, &cr.targets);
                        }
                        RuleAction::Redirect { to_port, to } => {
                            let same = cr
                                .redirect
                                .as_ref()
                                .is_some_and(|r| r.to_port == *to_port && &r.to == to);
                            if !same {
                                b.delete_rewrite(dl.key, cr);
                                b.phases[6].push(Call::ManualRewrite {
                                    listener: dl.key,
                                    rule: dr.key.clone(),
                                    to_port: *to_port,
                                    to: to.clone(),
                                });
                            }
                            b.targets(dl.key, Some(&dr.key), &[], &cr.targets);
                        }
                    }
                }
                for (cr, _) in cl.rules.iter().zip(wanted).filter(|(_, w)| !w) {
                    if cr.redirect.is_some() && !dl.manages_redirects {
                        continue; // console-made redirect: not managed without rewrite-support
                    }
                    b.delete_rewrite(dl.key, cr);
                    b.deleted_rules.insert((dl.key.port, cr.key.clone()));
                    b.phases[8].push(Call::DeleteRule {
                        listener: dl.key,
                        rule: cr.key.clone(),
                    });
                }
            }
            None => {
                let mut blocked = false;
                for other in b.cur.listeners.iter().filter(|o| {
                    o.key.port == dl.key.port && o.key.protocol.family() == dl.key.protocol.family()
                }) {
                    if owned(other) && !desired_keys.contains(&other.key) {
                        if early_deleted.insert(other.key) {
                            b.delete_listener(other, 1);
                        }
                    } else {
                        blocked = true;
                        b.conflict(&dl.owner, format!("port {} is taken by listener {} {:?}, which the cluster does not own or still needs", dl.key.port, other.key, other.name));
                    }
                }
                if blocked {
                    continue;
                }
                b.phases[2].push(Call::CreateListener(ListenerSpec {
                    key: dl.key,
                    name: dl.name.clone(),
                    certificate: dl.certificate.clone(),
                    sni: dl.sni,
                    settings: dl.settings.clone(),
                    create_parameters: dl.create_parameters.clone(),
                }));
                if dl.key.protocol.is_layer7() {
                    for dr in &dl.rules {
                        create_rule(&mut b, dl.key, dr);
                    }
                } else if !dl.targets.is_empty() {
                    b.phases[4].push(Call::RegisterTargets {
                        listener: dl.key,
                        rule: None,
                        targets: dl.targets.to_vec(),
                    });
                }
            }
        }
    }

    // Owned listeners nobody wants any more.
    let stale: Vec<&ListenerState> = b
        .cur
        .listeners
        .iter()
        .filter(|l| !desired_keys.contains(&l.key) && owned(l) && !early_deleted.contains(&l.key))
        .collect();
    let remaining = b.cur.listeners.len() - stale.len() - early_deleted.len();
    if let (None, Some(c)) = (desired, current)
        && remaining == 0
        && lifecycle::deletion_decision(c, false) == lifecycle::DeletionDecision::DeleteClb
    {
        b.phases.iter_mut().for_each(Vec::clear);
        b.phases[10].push(Call::DeleteLoadBalancer);
        return finish(b);
    }
    for l in stale {
        b.delete_listener(l, 9);
    }
    // CLB redirect protection: a rule targeted by a redirect cannot be deleted; remove such
    // redirects first (spec §4.5).
    if !b.deleted_rules.is_empty() {
        let cur = b.cur;
        for l in &cur.listeners {
            for r in &l.rules {
                if r.redirect
                    .as_ref()
                    .is_some_and(|rd| b.deleted_rules.contains(&(rd.to_port, rd.to.clone())))
                {
                    b.delete_rewrite(l.key, r);
                }
            }
        }
    }

    finish(b)
}

fn create_rule(b: &mut Builder<'_>, listener: ListenerKey, dr: &crate::desired::Rule) {
    b.phases[3].push(Call::CreateRule {
        listener,
        rule: RuleSpec {
            key: dr.key.clone(),
            certificate: dr.certificate.clone(),
            settings: dr.settings.clone(),
        },
    });
    match &dr.action {
        RuleAction::Forward { targets, .. } => {
            if !targets.is_empty() {
                b.phases[4].push(Call::RegisterTargets {
                    listener,
                    rule: Some(dr.key.clone()),
                    targets: targets.to_vec(),
                });
            }
        }
        RuleAction::Redirect { to_port, to } => {
            b.phases[6].push(Call::ManualRewrite {
                listener,
                rule: dr.key.clone(),
                to_port: *to_port,
                to: to.clone(),
            });
        }
    }
}

/// Positions of `items` in key order (`None` when already sorted: the identity, no allocation).
fn key_order<T>(items: &[T], key: impl Fn(&T) -> &RuleKey) -> Option<Vec<usize>> {
    if items.is_sorted_by(|a, b| key(a) <= key(b)) {
        return None;
    }
    let mut v: Vec<usize> = (0..items.len()).collect();
    v.sort_by(|a, b| key(&items[*a]).cmp(key(&items[*b])));
    Some(v)
}

/// Merge join of desired and current rules by key: for each desired rule the index of a current
/// rule with the same key, and for each current rule whether some desired rule has its key.
fn match_rules(
    desired: &[crate::desired::Rule],
    current: &[RuleState],
) -> (Vec<Option<usize>>, Vec<bool>) {
    let od = key_order(desired, |r| &r.key);
    let oc = key_order(current, |r| &r.key);
    let di = |p: usize| od.as_ref().map_or(p, |o| o[p]);
    let ci = |p: usize| oc.as_ref().map_or(p, |o| o[p]);
    let mut matched = vec![None; desired.len()];
    let mut wanted = vec![false; current.len()];
    let (mut p, mut q) = (0, 0);
    while p < desired.len() && q < current.len() {
        let (i, j) = (di(p), ci(q));
        match desired[i].key.cmp(&current[j].key) {
            std::cmp::Ordering::Equal => {
                matched[i] = Some(j);
                wanted[j] = true;
                p += 1; // a duplicate desired key matches the same current rule
            }
            std::cmp::Ordering::Less => p += 1,
            std::cmp::Ordering::Greater => {
                q += 1;
                // A duplicate current key is wanted as well.
                if q < current.len() && wanted[j] && current[ci(q)].key == current[j].key {
                    wanted[ci(q)] = true;
                }
            }
        }
    }
    // Current duplicates of the last matched key.
    while q + 1 < current.len() && wanted[ci(q)] && current[ci(q + 1)].key == current[ci(q)].key {
        wanted[ci(q + 1)] = true;
        q += 1;
    }
    (matched, wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(ip: &str, port: u16, weight: u32) -> Target {
        Target {
            ip: ip.parse().unwrap(),
            port,
            weight,
        }
    }

    #[test]
    fn target_diff_handles_unsorted_and_mixed_families() {
        let desired = [
            t("::1", 80, 10),
            t("10.0.0.2", 80, 5),
            t("10.0.0.1", 80, 10),
        ];
        let current = [
            t("10.0.0.3", 80, 10),
            t("10.0.0.2", 80, 10),
            t("::1", 80, 10),
            t("::2", 81, 1),
        ];
        let (add, reweight, remove) = diff_targets(&desired, &current);
        assert_eq!(add, [t("10.0.0.1", 80, 10)]);
        assert_eq!(reweight, [t("10.0.0.2", 80, 5)]);
        assert_eq!(remove, [t("10.0.0.3", 80, 10), t("::2", 81, 1)]);
        let (a, r, d) = diff_targets(&desired, &desired);
        assert!(a.is_empty() && r.is_empty() && d.is_empty());
        // Disorder found late, after part of the output was produced (either side, or in the
        // tail left over when the other side is done).
        let sorted_d = [
            t("10.0.0.1", 80, 1),
            t("10.0.0.2", 80, 1),
            t("10.0.0.4", 80, 1),
        ];
        let late_d = [sorted_d[0], sorted_d[1], sorted_d[2], t("10.0.0.3", 80, 1)];
        let cur = [t("10.0.0.2", 80, 2), t("10.0.0.5", 80, 1)];
        let (add, reweight, remove) = diff_targets(&late_d, &cur);
        assert_eq!(
            add,
            [
                t("10.0.0.1", 80, 1),
                t("10.0.0.3", 80, 1),
                t("10.0.0.4", 80, 1)
            ]
        );
        assert_eq!(reweight, [t("10.0.0.2", 80, 1)]);
        assert_eq!(remove, [t("10.0.0.5", 80, 1)]);
        let late_c = [
            t("10.0.0.2", 80, 1),
            t("10.0.0.9", 80, 1),
            t("10.0.0.3", 80, 1),
        ];
        let (add, reweight, remove) = diff_targets(&sorted_d[..1], &late_c);
        assert_eq!(add, [t("10.0.0.1", 80, 1)]);
        assert!(reweight.is_empty());
        assert_eq!(
            remove,
            [
                t("10.0.0.2", 80, 1),
                t("10.0.0.3", 80, 1),
                t("10.0.0.9", 80, 1)
            ]
        );
    }

    fn rk(url: &str) -> RuleKey {
        RuleKey {
            domain: Domain::Default,
            url: url.into(),
        }
    }

    fn desired_rules(urls: &[&str]) -> Vec<crate::desired::Rule> {
        urls.iter()
            .map(|u| crate::desired::Rule {
                key: rk(u),
                action: RuleAction::Redirect {
                    to_port: 80,
                    to: rk("/"),
                },
                certificate: None,
                settings: RuleSettings::default(),
            })
            .collect()
    }

    fn current_rules(urls: &[&str]) -> Vec<RuleState> {
        urls.iter()
            .map(|u| RuleState {
                id: String::new(),
                key: rk(u),
                certificate: None,
                settings: RuleSettings::default(),
                targets: Vec::new(),
                redirect: None,
            })
            .collect()
    }

    #[test]
    fn rule_matching_handles_unsorted_and_duplicate_keys() {
        let (m, w) = match_rules(
            &desired_rules(&["/a", "/c", "/e"]),
            &current_rules(&["/b", "/c", "/d", "/e"]),
        );
        assert_eq!(m, [None, Some(1), Some(3)]);
        assert_eq!(w, [false, true, false, true]);
        // Unsorted on both sides: indexes refer to the original positions.
        let (m, w) = match_rules(
            &desired_rules(&["/e", "/a", "/c"]),
            &current_rules(&["/d", "/e", "/b", "/c"]),
        );
        assert_eq!(m, [Some(1), None, Some(3)]);
        assert_eq!(w, [false, true, false, true]);
        // Duplicate keys: every desired duplicate matches, every current duplicate is wanted.
        let (m, w) = match_rules(
            &desired_rules(&["/c", "/c", "/z"]),
            &current_rules(&["/c", "/c", "/c", "/d", "/z", "/z"]),
        );
        assert_eq!(m, [Some(0), Some(0), Some(4)]);
        assert_eq!(w, [true, true, true, false, true, true]);
        let (m, w) = match_rules(&desired_rules(&[]), &current_rules(&["/a"]));
        assert!(m.is_empty());
        assert_eq!(w, [false]);
    }
}
