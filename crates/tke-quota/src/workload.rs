//! Workloads to plan for: per-pod requests and replica counts, from plain numbers or from a
//! `k8s-openapi` pod template.

use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use std::collections::BTreeMap;

use tke_reserve::ParsedQuantity;

use crate::error::QuotaError;

/// What one pod asks the scheduler for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PodRequest {
    /// CPU request in millicores.
    pub cpu_millis: u64,
    /// Memory request in bytes.
    pub memory_bytes: u64,
}

impl PodRequest {
    fn max(self, o: PodRequest) -> PodRequest {
        PodRequest {
            cpu_millis: self.cpu_millis.max(o.cpu_millis),
            memory_bytes: self.memory_bytes.max(o.memory_bytes),
        }
    }

    fn plus(self, o: PodRequest) -> PodRequest {
        PodRequest {
            cpu_millis: self.cpu_millis.saturating_add(o.cpu_millis),
            memory_bytes: self.memory_bytes.saturating_add(o.memory_bytes),
        }
    }
}

/// A set of identical pods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    /// Name used in reports (e.g. `default/web`).
    pub name: String,
    /// Per-pod request.
    pub request: PodRequest,
    /// Number of pods.
    pub replicas: u64,
}

impl Workload {
    /// A workload from plain numbers.
    pub fn new(name: impl Into<String>, cpu_millis: u64, memory_bytes: u64, replicas: u64) -> Self {
        Workload {
            name: name.into(),
            request: PodRequest {
                cpu_millis,
                memory_bytes,
            },
            replicas,
        }
    }

    /// A workload from a pod template (e.g. a Deployment's `spec.template`).
    pub fn from_pod_template(
        name: impl Into<String>,
        template: &PodTemplateSpec,
        replicas: u64,
    ) -> Result<Self, QuotaError> {
        let name = name.into();
        let request = match &template.spec {
            Some(spec) => pod_request(&name, spec)?,
            None => PodRequest::default(),
        };
        Ok(Workload {
            name,
            request,
            replicas,
        })
    }
}

/// The scheduler's view of a pod's request (Kubernetes resource model):
/// `max(Σ app containers + Σ sidecars, max over init containers of (init + sidecars started
/// before it)) + overhead`. A container without a request for a resource uses its limit (the
/// API server's defaulting), else 0. Sidecars are init containers with `restartPolicy: Always`.
pub fn pod_request(object: &str, spec: &PodSpec) -> Result<PodRequest, QuotaError> {
    let mut running = PodRequest::default();
    for c in &spec.containers {
        running = running.plus(container_request(object, "containers", c)?);
    }
    let mut sidecars = PodRequest::default();
    let mut init_peak = PodRequest::default();
    for c in spec.init_containers.iter().flatten() {
        let r = container_request(object, "initContainers", c)?;
        if c.restart_policy.as_deref() == Some("Always") {
            sidecars = sidecars.plus(r);
            init_peak = init_peak.max(sidecars);
        } else {
            init_peak = init_peak.max(sidecars.plus(r));
        }
    }
    let overhead = match &spec.overhead {
        Some(o) => resources(object, "overhead", o, None)?,
        None => PodRequest::default(),
    };
    Ok(running.plus(sidecars).max(init_peak).plus(overhead))
}

fn container_request(object: &str, list: &str, c: &Container) -> Result<PodRequest, QuotaError> {
    let Some(res) = &c.resources else {
        return Ok(PodRequest::default());
    };
    let field = format!("{list}[{}]", c.name);
    let empty = BTreeMap::new();
    resources(
        object,
        &field,
        res.requests.as_ref().unwrap_or(&empty),
        res.limits.as_ref(),
    )
}

fn resources(
    object: &str,
    field: &str,
    requests: &BTreeMap<String, Quantity>,
    limits: Option<&BTreeMap<String, Quantity>>,
) -> Result<PodRequest, QuotaError> {
    let pick = |name: &str| -> Option<(&'static str, &Quantity)> {
        requests
            .get(name)
            .map(|q| ("requests", q))
            .or_else(|| limits.and_then(|l| l.get(name)).map(|q| ("limits", q)))
    };
    // Quantities are parsed by `tke-reserve` (apimachinery's grammar, exact, rounded up).
    let parse = |name: &str, millis: bool| -> Result<u64, QuotaError> {
        let Some((kind, q)) = pick(name) else {
            return Ok(0);
        };
        let bad = |reason: String| QuotaError::InvalidQuantity {
            object: object.to_owned(),
            field: format!("{field}.{kind}.{name}"),
            value: q.0.clone(),
            reason,
        };
        let p = ParsedQuantity::parse(name, &q.0).map_err(|e| bad(e.to_string()))?;
        if p.is_negative() {
            return Err(bad("must not be negative".to_owned()));
        }
        let v = if millis {
            p.milli_ceil()
        } else {
            p.value_ceil()
        };
        u64::try_from(v).map_err(|_| bad("too large".to_owned()))
    };
    Ok(PodRequest {
        cpu_millis: parse("cpu", true)?,
        memory_bytes: parse("memory", false)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::ResourceRequirements;

    fn container(
        name: &str,
        req: &[(&str, &str)],
        lim: &[(&str, &str)],
        sidecar: bool,
    ) -> Container {
        let map = |kv: &[(&str, &str)]| {
            (!kv.is_empty()).then(|| {
                kv.iter()
                    .map(|(k, v)| ((*k).to_owned(), Quantity((*v).to_owned())))
                    .collect()
            })
        };
        Container {
            name: name.into(),
            resources: Some(ResourceRequirements {
                requests: map(req),
                limits: map(lim),
                ..Default::default()
            }),
            restart_policy: sidecar.then(|| "Always".to_owned()),
            ..Default::default()
        }
    }

    #[test]
    fn effective_request() {
        let spec = PodSpec {
            containers: vec![
                container("app", &[("cpu", "500m"), ("memory", "256Mi")], &[], false),
                // No request: the limit is the request.
                container("log", &[], &[("cpu", "100m"), ("memory", "64Mi")], false),
            ],
            init_containers: Some(vec![
                container("sidecar", &[("cpu", "50m"), ("memory", "32Mi")], &[], true),
                container("migrate", &[("cpu", "2"), ("memory", "100Mi")], &[], false),
            ]),
            overhead: Some(BTreeMap::from([("cpu".to_owned(), Quantity("10m".into()))])),
            ..Default::default()
        };
        let r = pod_request("default/web", &spec).unwrap();
        // cpu: max(500+100+50, 50+2000) + 10; memory: max(256+64+32, 32+100) Mi.
        assert_eq!(r.cpu_millis, 2_060);
        assert_eq!(r.memory_bytes, 352 << 20);
        let t = PodTemplateSpec {
            spec: Some(spec),
            ..Default::default()
        };
        assert_eq!(Workload::from_pod_template("w", &t, 3).unwrap().request, r);
    }

    #[test]
    fn quantities_round_up() {
        let spec = |cpu: &str, mem: &str| PodSpec {
            containers: vec![container(
                "app",
                &[("cpu", cpu), ("memory", mem)],
                &[],
                false,
            )],
            ..Default::default()
        };
        for (cpu, mem, want) in [
            ("250m", "512Mi", (250, 512 << 20)),
            ("1.5", "1.5Gi", (1_500, 3 << 29)),
            ("100u", "0.5", (1, 1)),
            ("2k", "1e3", (2_000_000, 1_000)),
        ] {
            let r = pod_request("p", &spec(cpu, mem)).unwrap();
            assert_eq!((r.cpu_millis, r.memory_bytes), want, "{cpu} {mem}");
        }
        assert!(pod_request("p", &spec("-1", "1Mi")).is_err());
    }

    #[test]
    fn bad_quantity_names_the_field() {
        let spec = PodSpec {
            containers: vec![container("app", &[("cpu", "lots")], &[], false)],
            ..Default::default()
        };
        let err = pod_request("prod/api", &spec).unwrap_err().to_string();
        assert!(
            err.contains("prod/api")
                && err.contains("containers[app].requests.cpu")
                && err.contains("lots"),
            "{err}"
        );
    }
}
