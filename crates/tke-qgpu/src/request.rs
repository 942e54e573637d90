//! qGPU requests: validation of Kubernetes pods and plain-value construction.
//!
//! Rules (spec A.5, A.8; seed L17575–17587, L18105–18155, L18288–18312):
//! * qgpu-core: a fractional slice is 5..=95 in steps of 5; 100, 200, ... request whole cards
//!   (contradiction E-A2 resolved as in spec A.5: values below 100 are slices, multiples of 100
//!   are whole cards, anything else is invalid).
//! * qgpu-memory: whole units, at least 1; required with a fractional qgpu-core, optional (and
//!   not used for placement, the whole card's memory is allocated) with whole cards.
//! * requests must equal limits; a missing request takes the limit. A request without a limit is
//!   accepted and used as both (the documented online-pod example writes requests only, although
//!   the Kubernetes API server itself insists on limits for extended resources).
//! * Offline pods (`app-class: offline`) need qgpu-core-greedy (5..=100, steps of 5, a single
//!   card) and qgpu-memory; online pods ask for qgpu-memory only; normal pods (no annotation)
//!   use qgpu-core. Any other combination is rejected (E-A11: online pods with qgpu-core are
//!   rejected rather than guessed at).
//! * A pod's offline containers share one card, so together they may not exceed 100 greedy
//!   compute nor 16 devices. qGPU resources in init containers are rejected (the documentation
//!   never uses them and their device lifetime is undefined).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, Pod};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use crate::error::{QgpuError, Result};
use crate::inventory::{CORE_PER_GPU, MAX_DEVICES_PER_GPU};
use crate::quantity::parse_whole;

/// Extended resource: compute in percent of one card.
pub const QGPU_CORE: &str = "tke.cloud.tencent.com/qgpu-core";
/// Extended resource: GPU memory in qgpu-memory units (1G by default).
pub const QGPU_MEMORY: &str = "tke.cloud.tencent.com/qgpu-memory";
/// Extended resource: low-priority (offline) compute in percent of one card.
pub const QGPU_CORE_GREEDY: &str = "tke.cloud.tencent.com/qgpu-core-greedy";
/// Pod annotation selecting online (high priority) or offline (low priority) mixing.
pub const APP_CLASS_ANNOTATION: &str = "tke.cloud.tencent.com/app-class";

/// Smallest and step of qgpu-core / qgpu-core-greedy slices.
const CORE_STEP: u64 = 5;
/// Pod name used for plain requests that were given no name.
const ANONYMOUS_POD: &str = "<unnamed>";

/// Priority class of a pod, from the `tke.cloud.tencent.com/app-class` annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AppClass {
    /// No annotation: an ordinary qGPU pod using qgpu-core.
    #[default]
    Normal,
    /// `online`: high priority, memory only, preempts offline compute.
    Online,
    /// `offline`: low priority, greedy compute and memory, one card.
    Offline,
}

impl AppClass {
    /// Parses the annotation value (`None` = no annotation).
    pub fn from_annotation(value: Option<&str>) -> Option<AppClass> {
        match value {
            None => Some(AppClass::Normal),
            Some("online") => Some(AppClass::Online),
            Some("offline") => Some(AppClass::Offline),
            Some(_) => None,
        }
    }
}

/// One container's validated qGPU request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContainerRequest {
    /// A slice of one card: `core` percent (5..=95) and `memory` units.
    Fraction {
        /// Compute, percent of one card.
        core: u8,
        /// Memory units.
        memory: u32,
    },
    /// `cards` whole cards (qgpu-core = cards x 100) with all their memory.
    WholeCards {
        /// Number of cards.
        cards: u8,
        /// qgpu-memory if it was written; informational only.
        memory: Option<u32>,
    },
    /// An online (high-priority) container: memory only.
    Online {
        /// Memory units.
        memory: u32,
    },
    /// An offline (low-priority) container: greedy compute and memory.
    Offline {
        /// Greedy compute, percent of one card.
        greedy: u8,
        /// Memory units.
        memory: u32,
    },
}

/// The raw qGPU values of one container, after request/limit reconciliation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RawValues {
    /// qgpu-core.
    pub core: Option<u64>,
    /// qgpu-memory.
    pub memory: Option<u64>,
    /// qgpu-core-greedy.
    pub greedy: Option<u64>,
}

/// A rule violation found on one resource of a container.
#[derive(Debug)]
struct Violation {
    resource: &'static str,
    value: String,
    reason: String,
}

fn violation(resource: &'static str, value: impl ToString, reason: impl Into<String>) -> Violation {
    Violation {
        resource,
        value: value.to_string(),
        reason: reason.into(),
    }
}

impl ContainerRequest {
    /// Classifies a container's values for a pod class; `Ok(None)` when it asks for no qGPU.
    fn classify(class: AppClass, v: RawValues) -> Result<Option<ContainerRequest>, Violation> {
        if v.core.is_none() && v.memory.is_none() && v.greedy.is_none() {
            return Ok(None);
        }
        let memory = |required: bool| -> Result<Option<u32>, Violation> {
            match v.memory {
                None if required => Err(violation(
                    QGPU_MEMORY,
                    "<missing>",
                    "required for this request (whole G, at least 1)",
                )),
                None => Ok(None),
                Some(0) => Err(violation(QGPU_MEMORY, 0, "minimum is 1")),
                Some(m) => u32::try_from(m)
                    .map(Some)
                    .map_err(|_| violation(QGPU_MEMORY, m, "value out of range")),
            }
        };
        let reject = |resource: &'static str, value: Option<u64>, why: &str| match value {
            Some(x) => Err(violation(resource, x, why)),
            None => Ok(()),
        };
        match class {
            AppClass::Normal => {
                reject(
                    QGPU_CORE_GREEDY,
                    v.greedy,
                    "only offline pods (app-class: offline) may request greedy compute",
                )?;
                let Some(core) = v.core else {
                    return Err(violation(
                        QGPU_CORE,
                        "<missing>",
                        "qgpu-memory alone is not a request: a fractional card needs qgpu-core and qgpu-memory",
                    ));
                };
                if core >= u64::from(CORE_PER_GPU) {
                    if !core.is_multiple_of(u64::from(CORE_PER_GPU)) {
                        return Err(violation(
                            QGPU_CORE,
                            core,
                            "whole cards are requested as N x 100; slices must be 5..=95 in steps of 5",
                        ));
                    }
                    let cards = u8::try_from(core / u64::from(CORE_PER_GPU))
                        .map_err(|_| violation(QGPU_CORE, core, "more than 255 whole cards"))?;
                    Ok(Some(ContainerRequest::WholeCards {
                        cards,
                        memory: memory(false)?,
                    }))
                } else {
                    let core = check_step(QGPU_CORE, core)?;
                    let memory = memory(true)?.unwrap_or_default();
                    Ok(Some(ContainerRequest::Fraction { core, memory }))
                }
            }
            AppClass::Online => {
                reject(QGPU_CORE, v.core, "online pods request only qgpu-memory")?;
                reject(
                    QGPU_CORE_GREEDY,
                    v.greedy,
                    "online pods request only qgpu-memory",
                )?;
                let memory = memory(true)?.unwrap_or_default();
                Ok(Some(ContainerRequest::Online { memory }))
            }
            AppClass::Offline => {
                reject(
                    QGPU_CORE,
                    v.core,
                    "offline pods request qgpu-core-greedy, not qgpu-core",
                )?;
                let Some(greedy) = v.greedy else {
                    return Err(violation(
                        QGPU_CORE_GREEDY,
                        "<missing>",
                        "offline pods need qgpu-core-greedy and qgpu-memory",
                    ));
                };
                if greedy > u64::from(CORE_PER_GPU) {
                    return Err(violation(
                        QGPU_CORE_GREEDY,
                        greedy,
                        "offline pods cannot span cards: at most 100",
                    ));
                }
                let greedy = check_step(QGPU_CORE_GREEDY, greedy)?;
                let memory = memory(true)?.unwrap_or_default();
                Ok(Some(ContainerRequest::Offline { greedy, memory }))
            }
        }
    }

    /// The pod class this container request belongs to.
    pub fn class(&self) -> AppClass {
        match self {
            ContainerRequest::Fraction { .. } | ContainerRequest::WholeCards { .. } => {
                AppClass::Normal
            }
            ContainerRequest::Online { .. } => AppClass::Online,
            ContainerRequest::Offline { .. } => AppClass::Offline,
        }
    }
}

/// Checks a compute slice: 5..=100 in steps of 5.
fn check_step(resource: &'static str, value: u64) -> Result<u8, Violation> {
    if value < CORE_STEP || !value.is_multiple_of(CORE_STEP) || value > u64::from(CORE_PER_GPU) {
        return Err(violation(
            resource,
            value,
            "a slice is 5..=95 (greedy: ..=100) in steps of 5",
        ));
    }
    // value <= 100, so the conversion cannot fail
    Ok(u8::try_from(value).unwrap_or(CORE_PER_GPU))
}

/// A validated pod-level qGPU request: the unit the placement engine places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodRequest {
    name: String,
    class: AppClass,
    containers: Vec<(String, ContainerRequest)>,
}

impl PodRequest {
    /// Validates a Kubernetes pod.
    ///
    /// Returns an error naming pod, container, resource and value for the first rule broken.
    /// A pod without any qGPU resource is an error too (there is nothing to place).
    pub fn from_pod(pod: &Pod) -> Result<PodRequest> {
        let meta = &pod.metadata;
        let name = match (&meta.namespace, &meta.name) {
            (Some(ns), Some(n)) => format!("{ns}/{n}"),
            (None, Some(n)) => n.clone(),
            (_, None) => meta
                .generate_name
                .clone()
                .map_or_else(|| ANONYMOUS_POD.to_owned(), |g| format!("{g}*")),
        };
        let annotation = meta
            .annotations
            .as_ref()
            .and_then(|a| a.get(APP_CLASS_ANNOTATION))
            .map(String::as_str);
        let class =
            AppClass::from_annotation(annotation).ok_or_else(|| QgpuError::InvalidAppClass {
                pod: name.clone(),
                annotation: APP_CLASS_ANNOTATION.into(),
                value: annotation.unwrap_or_default().to_owned(),
            })?;
        let Some(spec) = &pod.spec else {
            return Err(QgpuError::InvalidPod {
                pod: name,
                reason: "pod has no spec".into(),
            });
        };
        for init in spec.init_containers.iter().flatten() {
            if let Some(resource) = qgpu_resource_in(init) {
                return Err(QgpuError::InvalidResource {
                    pod: name,
                    container: init.name.clone(),
                    resource: resource.into(),
                    value: "<set>".into(),
                    reason: "qGPU resources are not supported in init containers".into(),
                });
            }
        }
        let mut containers = Vec::new();
        for container in &spec.containers {
            let raw = raw_values(container).map_err(|v| wrap(&name, &container.name, v))?;
            if let Some(request) = ContainerRequest::classify(class, raw)
                .map_err(|v| wrap(&name, &container.name, v))?
            {
                containers.push((container.name.clone(), request));
            }
        }
        PodRequest::checked(name, class, containers)
    }

    /// Builds a request from plain values, applying the same rules as [`PodRequest::from_pod`].
    ///
    /// Containers are named `#0`, `#1`, ... in messages.
    pub fn from_values(
        name: impl Into<String>,
        class: AppClass,
        containers: &[RawValues],
    ) -> Result<PodRequest> {
        let name = name.into();
        let mut out = Vec::with_capacity(containers.len());
        for (i, raw) in containers.iter().enumerate() {
            let container = format!("#{i}");
            if let Some(request) =
                ContainerRequest::classify(class, *raw).map_err(|v| wrap(&name, &container, v))?
            {
                out.push((container, request));
            }
        }
        PodRequest::checked(name, class, out)
    }

    /// One normal container with a fractional card: `core` percent and `memory` units.
    pub fn fraction(name: impl Into<String>, core: u64, memory: u64) -> Result<PodRequest> {
        let raw = RawValues {
            core: Some(core),
            memory: Some(memory),
            greedy: None,
        };
        PodRequest::from_values(name, AppClass::Normal, &[raw])
    }

    /// One normal container with `cards` whole cards.
    pub fn whole_cards(name: impl Into<String>, cards: u64) -> Result<PodRequest> {
        let core = cards.saturating_mul(u64::from(CORE_PER_GPU));
        let raw = RawValues {
            core: Some(core),
            memory: None,
            greedy: None,
        };
        PodRequest::from_values(name, AppClass::Normal, &[raw])
    }

    /// One online container asking for `memory` units.
    pub fn online(name: impl Into<String>, memory: u64) -> Result<PodRequest> {
        let raw = RawValues {
            core: None,
            memory: Some(memory),
            greedy: None,
        };
        PodRequest::from_values(name, AppClass::Online, &[raw])
    }

    /// One offline container with `greedy` percent low-priority compute and `memory` units.
    pub fn offline(name: impl Into<String>, greedy: u64, memory: u64) -> Result<PodRequest> {
        let raw = RawValues {
            core: None,
            memory: Some(memory),
            greedy: Some(greedy),
        };
        PodRequest::from_values(name, AppClass::Offline, &[raw])
    }

    fn checked(
        name: String,
        class: AppClass,
        containers: Vec<(String, ContainerRequest)>,
    ) -> Result<PodRequest> {
        if containers.is_empty() {
            return Err(QgpuError::InvalidPod {
                pod: name,
                reason: "no container requests a qGPU resource".into(),
            });
        }
        if class == AppClass::Offline {
            // All offline containers land on one card (offline pods cannot span cards).
            let greedy: u32 = containers
                .iter()
                .map(|(_, r)| match r {
                    ContainerRequest::Offline { greedy, .. } => u32::from(*greedy),
                    _ => 0,
                })
                .sum();
            if greedy > u32::from(CORE_PER_GPU) {
                return Err(QgpuError::InvalidPod {
                    pod: name,
                    reason: format!(
                        "offline containers share one card but ask for {greedy} qgpu-core-greedy in total (max 100)"
                    ),
                });
            }
        }
        if containers.len() > usize::from(MAX_DEVICES_PER_GPU) && class == AppClass::Offline {
            return Err(QgpuError::InvalidPod {
                pod: name,
                reason: format!(
                    "{} offline containers on one card exceed the limit of 16 qGPU devices per GPU",
                    containers.len()
                ),
            });
        }
        Ok(PodRequest {
            name,
            class,
            containers,
        })
    }

    /// Pod name used in messages (`namespace/name`).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The pod's class.
    pub fn class(&self) -> AppClass {
        self.class
    }
    /// Containers that ask for qGPU, with their names, in pod order.
    pub fn containers(&self) -> &[(String, ContainerRequest)] {
        &self.containers
    }
}

fn wrap(pod: &str, container: &str, v: Violation) -> QgpuError {
    QgpuError::InvalidResource {
        pod: pod.into(),
        container: container.into(),
        resource: v.resource.into(),
        value: v.value,
        reason: v.reason,
    }
}

fn qgpu_resource_in(container: &Container) -> Option<&'static str> {
    let res = container.resources.as_ref()?;
    [QGPU_CORE, QGPU_MEMORY, QGPU_CORE_GREEDY]
        .into_iter()
        .find(|key| {
            res.requests.as_ref().is_some_and(|m| m.contains_key(*key))
                || res.limits.as_ref().is_some_and(|m| m.contains_key(*key))
        })
}

/// Reads one resource from requests and limits and reconciles them.
fn reconcile(
    resource: &'static str,
    requests: Option<&BTreeMap<String, Quantity>>,
    limits: Option<&BTreeMap<String, Quantity>>,
) -> Result<Option<u64>, Violation> {
    let parse =
        |q: &Quantity| parse_whole(&q.0).map_err(|reason| violation(resource, &q.0, reason));
    let request = requests.and_then(|m| m.get(resource));
    let limit = limits.and_then(|m| m.get(resource));
    match (request, limit) {
        (None, None) => Ok(None),
        (Some(r), None) => parse(r).map(Some),
        (None, Some(l)) => parse(l).map(Some),
        (Some(r), Some(l)) => {
            let (rv, lv) = (parse(r)?, parse(l)?);
            if rv != lv {
                return Err(violation(
                    resource,
                    format!("request {} / limit {}", r.0, l.0),
                    "requests and limits of qGPU resources must be equal",
                ));
            }
            Ok(Some(lv))
        }
    }
}

fn raw_values(container: &Container) -> Result<RawValues, Violation> {
    let res = container.resources.as_ref();
    let requests = res.and_then(|r| r.requests.as_ref());
    let limits = res.and_then(|r| r.limits.as_ref());
    Ok(RawValues {
        core: reconcile(QGPU_CORE, requests, limits)?,
        memory: reconcile(QGPU_MEMORY, requests, limits)?,
        greedy: reconcile(QGPU_CORE_GREEDY, requests, limits)?,
    })
}
