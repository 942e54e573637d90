//! Top level: map every object, merge per CLB, report per object.

use crate::common::Contribution;
use crate::desired::{ClbKey, DesiredClb};
use crate::error::ClbError;
use crate::fast::FastMap;
use crate::inputs::{Index, Inputs};
use crate::object::ObjectRef;
use crate::{ingress, service, sharing};
use serde::Serialize;

/// What happened to one Service or Ingress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ObjectStatus {
    /// Mapped onto this CLB.
    Mapped(ClbKey),
    /// Not mapped because of errors (see the report's `errors`).
    Rejected,
    /// Not managed by the CLB controllers (e.g. another ingress class).
    Ignored(String),
    /// A Service that is not `type: LoadBalancer`: no CLB.
    NoLoadBalancer,
}

/// Per-object outcome: one bad object never hides the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectReport {
    /// The object.
    pub object: ObjectRef,
    /// Outcome.
    pub status: ObjectStatus,
    /// Problems that stopped the object from being mapped.
    pub errors: Vec<ClbError>,
    /// Problems that did not (ignored annotations, missing backends, limits).
    pub warnings: Vec<ClbError>,
}

impl ObjectReport {
    pub(crate) fn new(object: ObjectRef) -> Self {
        ObjectReport {
            object,
            status: ObjectStatus::Rejected,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Records the object's problems and settles its status: mapped when there is no error
    /// (the contribution goes on to its CLB), rejected otherwise.
    pub(crate) fn finish(
        mut self,
        errors: Vec<ClbError>,
        warnings: Vec<ClbError>,
        mut contribution: Contribution,
    ) -> (ObjectReport, Option<Contribution>) {
        contribution.listeners.sort_by_key(|a| a.key);
        self.errors = errors;
        self.warnings = warnings;
        if self.errors.is_empty() {
            self.status = ObjectStatus::Mapped(contribution.key.clone());
            (self, Some(contribution))
        } else {
            self.status = ObjectStatus::Rejected;
            (self, None)
        }
    }
}

/// Result of [`map`]: the desired CLBs and a report for every Service and Ingress.
#[derive(Debug, Clone, Serialize)]
pub struct Mapping {
    /// Desired CLBs, sorted by key.
    pub clbs: Vec<DesiredClb>,
    /// One report per input Service and Ingress, in input order (Services first).
    pub reports: Vec<ObjectReport>,
    /// Input problems tied to no Service/Ingress (e.g. nodes without an InternalIP).
    pub input_warnings: Vec<String>,
}

impl Mapping {
    /// Report of an object.
    pub fn report(&self, object: &ObjectRef) -> Option<&ObjectReport> {
        self.reports.iter().find(|r| &r.object == object)
    }

    /// Desired CLB by key.
    pub fn clb(&self, key: &ClbKey) -> Option<&DesiredClb> {
        self.clbs.iter().find(|c| &c.key == key)
    }

    /// Desired CLB an object was mapped to.
    pub fn clb_of(&self, object: &ObjectRef) -> Option<&DesiredClb> {
        match &self.report(object)?.status {
            ObjectStatus::Mapped(k) => self.clb(k),
            _ => None,
        }
    }

    /// Every error of every object.
    pub fn errors(&self) -> impl Iterator<Item = &ClbError> {
        self.reports.iter().flat_map(|r| r.errors.iter())
    }
}

/// Map all Services and Ingresses of `inputs` to desired CLBs. Never fails as a whole: problems are
/// reported per object, and rejected objects contribute nothing.
pub fn map(inputs: &Inputs) -> Mapping {
    let idx = Index::new(inputs);
    let mut reports = Vec::with_capacity(inputs.services.len() + inputs.ingresses.len());
    let mut contributions: Vec<Contribution> = Vec::with_capacity(reports.capacity());
    // The controller's idempotency token is one-to-one with a CLB; a copied Service that kept it
    // could take over (or delete) the original's CLB (spec §3.1, L22812).
    let mut tokens: FastMap<&str, ObjectRef> = FastMap::default();
    for svc in &inputs.services {
        let (mut report, mut c) = service::map_service(&idx, svc);
        let token = svc
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(crate::annotations::service::CLIENT_TOKEN));
        if let (Some(t), Some(_)) = (token, &c) {
            if let Some(first) = tokens.get(t.as_str()) {
                report.errors.push(ClbError::InvalidAnnotation {
                    object: report.object.clone(),
                    annotation: crate::annotations::service::CLIENT_TOKEN.to_owned(),
                    value: t.clone(),
                    reason: format!("also on {first}; remove it from a copied Service"),
                });
                report.status = ObjectStatus::Rejected;
                c = None;
            } else {
                tokens.insert(t, report.object.clone());
            }
        }
        contributions.extend(c.map(|c| Contribution {
            report: reports.len(),
            ..c
        }));
        reports.push(report);
    }
    for ing in &inputs.ingresses {
        let (report, c) = ingress::map_ingress(&idx, ing);
        contributions.extend(c.map(|c| Contribution {
            report: reports.len(),
            ..c
        }));
        reports.push(report);
    }
    let clbs = sharing::merge(inputs, contributions, &mut reports);
    Mapping {
        clbs,
        reports,
        input_warnings: idx.warnings,
    }
}
