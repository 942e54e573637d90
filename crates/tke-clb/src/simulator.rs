//! A small in-memory CLB that applies [`Plan`]s and refuses what the CLB API refuses (duplicate
//! listeners on a port, deleting a redirect target, deregistering unknown targets, ...). Used to
//! test that applying a plan and planning again gives an empty plan.

use crate::desired::{ListenerKey, RuleKey, Target};
use crate::error::ClbError;
use crate::plan::{Call, Plan, overlay_listener, overlay_rule};
use crate::state::{CertState, ClbState, ListenerState, RedirectState, RuleState};
use std::collections::BTreeMap;

/// In-memory CLBs keyed by ID.
#[derive(Debug, Clone, Default)]
pub struct Simulator {
    clbs: BTreeMap<String, ClbState>,
    next: u64,
}

impl Simulator {
    /// Empty simulator.
    pub fn new() -> Self {
        Simulator::default()
    }

    /// Add (or replace) a CLB.
    pub fn insert(&mut self, state: ClbState) {
        self.clbs.insert(state.id.clone(), state);
    }

    /// A CLB by ID.
    pub fn get(&self, id: &str) -> Option<&ClbState> {
        self.clbs.get(id)
    }

    /// All CLBs.
    pub fn states(&self) -> Vec<ClbState> {
        self.clbs.values().cloned().collect()
    }

    fn id(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}-sim{:06}", self.next)
    }

    /// Apply a plan call by call; returns the CLB ID (new for a created CLB). Stops at the first
    /// refused call (earlier calls stay applied, as with the real API).
    pub fn apply(&mut self, plan: &Plan) -> Result<Option<String>, ClbError> {
        let mut id = plan.clb_id.clone();
        for call in &plan.calls {
            let reject = |clb: &str, reason: String| ClbError::CallRejected {
                clb: clb.to_owned(),
                call: call.name().to_owned(),
                reason,
            };
            if let Call::CreateLoadBalancer { params, tags, .. } = call {
                if id.is_some() {
                    return Err(reject("?", "CLB already exists".to_owned()));
                }
                let new_id = self.id("lb");
                let n = self.next;
                self.clbs.insert(
                    new_id.clone(),
                    ClbState {
                        id: new_id.clone(),
                        name: params.name.clone(),
                        vips: vec![format!(
                            "10.{}.{}.{}",
                            (n >> 16) & 255,
                            (n >> 8) & 255,
                            n & 255
                        )],
                        tags: tags.clone(),
                        ..ClbState::default()
                    },
                );
                id = Some(new_id);
                continue;
            }
            let Some(lb_id) = id.clone() else {
                return Err(reject(
                    "?",
                    "no CLB: plan has no ID and no CreateLoadBalancer".to_owned(),
                ));
            };
            if matches!(call, Call::DeleteLoadBalancer) {
                self.clbs
                    .remove(&lb_id)
                    .ok_or_else(|| reject(&lb_id, "not found".to_owned()))?;
                return Ok(None);
            }
            let listener_id = self.id("lbl");
            let rule_id = self.id("loc");
            let clb = self
                .clbs
                .get_mut(&lb_id)
                .ok_or_else(|| reject(&lb_id, "not found".to_owned()))?;
            apply_call(clb, call, listener_id, rule_id).map_err(|r| reject(&lb_id, r))?;
        }
        Ok(id)
    }
}

fn listener_mut(clb: &mut ClbState, key: ListenerKey) -> Result<&mut ListenerState, String> {
    clb.listeners
        .iter_mut()
        .find(|l| l.key == key)
        .ok_or_else(|| format!("listener {key} not found"))
}

fn rule_mut<'a>(l: &'a mut ListenerState, key: &RuleKey) -> Result<&'a mut RuleState, String> {
    let lk = l.key;
    l.rules
        .iter_mut()
        .find(|r| &r.key == key)
        .ok_or_else(|| format!("rule {key} not found on {lk}"))
}

fn redirected_to(clb: &ClbState, port: u16, key: &RuleKey) -> bool {
    clb.listeners.iter().flat_map(|l| l.rules.iter()).any(|r| {
        r.redirect
            .as_ref()
            .is_some_and(|rd| rd.to_port == port && &rd.to == key)
    })
}

fn targets_mut<'a>(
    l: &'a mut ListenerState,
    rule: Option<&RuleKey>,
) -> Result<&'a mut Vec<Target>, String> {
    match rule {
        None if l.key.protocol.is_layer7() => Err(format!(
            "{} is a layer-7 listener: targets belong to rules",
            l.key
        )),
        None => Ok(&mut l.targets),
        Some(r) => Ok(&mut rule_mut(l, r)?.targets),
    }
}

fn apply_call(
    clb: &mut ClbState,
    call: &Call,
    listener_id: String,
    rule_id: String,
) -> Result<(), String> {
    match call {
        Call::CreateLoadBalancer { .. } | Call::DeleteLoadBalancer => {
            return Err("handled by the simulator".to_owned());
        }
        Call::TagResources { tags } => clb.tags.extend(tags.clone()),
        Call::SetSecurityGroups { security_groups } => {
            if security_groups.len() > 5 {
                return Err("at most 5 security groups".to_owned());
            }
            clb.security_groups = security_groups.clone();
        }
        Call::ModifyLoadBalancerAttributes {
            pass_to_target,
            modification_protection,
        } => {
            if let Some(p) = pass_to_target {
                clb.pass_to_target = *p;
            }
            if let Some(m) = modification_protection {
                clb.modification_protection = *m;
            }
        }
        Call::CreateListener(spec) => {
            if clb.listeners.iter().any(|l| {
                l.key.port == spec.key.port && l.key.protocol.family() == spec.key.protocol.family()
            }) {
                return Err(format!(
                    "port {} is already used in this protocol family",
                    spec.key.port
                ));
            }
            clb.listeners.push(ListenerState {
                id: listener_id,
                name: spec.name.clone(),
                key: spec.key,
                certificate: spec.certificate.as_ref().map(CertState::from),
                sni: spec.sni,
                settings: spec.settings.clone(),
                targets: Vec::new(),
                rules: Vec::new(),
            });
            clb.listeners.sort_by_key(|a| a.key);
        }
        Call::ModifyListener {
            listener,
            certificate,
            sni,
            settings,
        } => {
            let l = listener_mut(clb, *listener)?;
            if let Some(c) = certificate {
                l.certificate = Some(CertState::from(c));
            }
            match sni {
                Some(true) => l.sni = true,
                Some(false) if l.sni => return Err("SNI cannot be turned off".to_owned()),
                _ => {}
            }
            overlay_listener(&mut l.settings, settings);
        }
        Call::DeleteListener { listener } => {
            let port = *listener;
            let l = clb
                .listeners
                .iter()
                .find(|l| l.key == port)
                .ok_or_else(|| format!("listener {port} not found"))?;
            if let Some(r) = l
                .rules
                .iter()
                .find(|r| redirected_to(clb, port.port, &r.key))
            {
                return Err(format!("rule {} is the target of a redirect", r.key));
            }
            clb.listeners.retain(|l| l.key != port);
        }
        Call::CreateRule { listener, rule } => {
            let l = listener_mut(clb, *listener)?;
            if !l.key.protocol.is_layer7() {
                return Err(format!("{} has no rules", l.key));
            }
            if l.rules.iter().any(|r| r.key == rule.key) {
                return Err(format!("rule {} exists", rule.key));
            }
            l.rules.push(RuleState {
                id: rule_id,
                key: rule.key.clone(),
                certificate: rule.certificate.as_ref().map(CertState::from),
                settings: rule.settings.clone(),
                targets: Vec::new(),
                redirect: None,
            });
            l.rules.sort_by(|a, b| a.key.cmp(&b.key));
        }
        Call::ModifyRule {
            listener,
            rule,
            settings,
        } => {
            let r = rule_mut(listener_mut(clb, *listener)?, rule)?;
            overlay_rule(&mut r.settings, settings);
        }
        Call::ModifyDomainAttributes {
            listener,
            domain,
            certificate,
            http2,
        } => {
            let l = listener_mut(clb, *listener)?;
            let mut hit = false;
            for r in l.rules.iter_mut().filter(|r| &r.key.domain == domain) {
                hit = true;
                if let Some(c) = certificate {
                    r.certificate = Some(CertState::from(c));
                }
                if let Some(h) = http2 {
                    r.settings.http2 = Some(*h);
                }
            }
            if !hit {
                return Err(format!("domain {domain} not found"));
            }
        }
        Call::DeleteRule { listener, rule } => {
            if redirected_to(clb, listener.port, rule) {
                return Err(format!("rule {rule} is the target of a redirect"));
            }
            let l = listener_mut(clb, *listener)?;
            rule_mut(l, rule)?;
            l.rules.retain(|r| &r.key != rule);
        }
        Call::RegisterTargets {
            listener,
            rule,
            targets,
        } => {
            let ts = targets_mut(listener_mut(clb, *listener)?, rule.as_ref())?;
            for t in targets {
                if ts.iter().any(|x| x.ip == t.ip && x.port == t.port) {
                    return Err(format!("target {}:{} already registered", t.ip, t.port));
                }
                ts.push(*t);
            }
            ts.sort();
        }
        Call::ModifyTargetWeight {
            listener,
            rule,
            targets,
        } => {
            let ts = targets_mut(listener_mut(clb, *listener)?, rule.as_ref())?;
            for t in targets {
                let x = ts
                    .iter_mut()
                    .find(|x| x.ip == t.ip && x.port == t.port)
                    .ok_or_else(|| format!("target {}:{} not registered", t.ip, t.port))?;
                x.weight = t.weight;
            }
            ts.sort();
        }
        Call::DeregisterTargets {
            listener,
            rule,
            targets,
        } => {
            let ts = targets_mut(listener_mut(clb, *listener)?, rule.as_ref())?;
            for t in targets {
                let before = ts.len();
                ts.retain(|x| !(x.ip == t.ip && x.port == t.port));
                if ts.len() == before {
                    return Err(format!("target {}:{} not registered", t.ip, t.port));
                }
            }
        }
        Call::ManualRewrite {
            listener,
            rule,
            to_port,
            to,
        } => {
            if *to_port == listener.port && to == rule {
                return Err("a rule cannot redirect to itself".to_owned());
            }
            let target_listener = clb
                .listeners
                .iter()
                .find(|l| l.key.port == *to_port && l.key.protocol.is_layer7())
                .ok_or_else(|| format!("no layer-7 listener on port {to_port}"))?;
            let target = target_listener
                .rules
                .iter()
                .find(|r| &r.key == to)
                .ok_or_else(|| format!("target rule {to} not found"))?;
            if target.redirect.is_some() {
                return Err(format!("target rule {to} is itself redirected"));
            }
            if redirected_to(clb, listener.port, rule) {
                return Err(format!(
                    "rule {rule} is a redirect target and cannot redirect"
                ));
            }
            let r = rule_mut(listener_mut(clb, *listener)?, rule)?;
            if r.redirect.is_some() {
                return Err(format!(
                    "rule {rule} already redirects; delete the old relation first"
                ));
            }
            r.redirect = Some(RedirectState {
                to_port: *to_port,
                to: to.clone(),
            });
        }
        Call::DeleteRewrite {
            listener,
            rule,
            to_port,
            to,
        } => {
            let r = rule_mut(listener_mut(clb, *listener)?, rule)?;
            match &r.redirect {
                Some(rd) if rd.to_port == *to_port && &rd.to == to => r.redirect = None,
                _ => return Err(format!("rule {rule} has no such redirect")),
            }
        }
    }

    Ok(())
}
