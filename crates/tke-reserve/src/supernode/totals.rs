//! Step 1 of automatic spec calculation: the pod "totals" (合计数值, qGPU spec B.6.1).

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::api::core::v1::{Container, Pod};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use crate::error::Error;
use crate::quantity::ParsedQuantity;
use crate::units::{GIB, MIB};

/// The GPU resource counted by super nodes.
pub const GPU_RESOURCE: &str = "nvidia.com/gpu";

/// CPU, memory and GPU totals of a pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PodTotals {
    /// CPU, millicores (rounded up).
    pub cpu_millis: u64,
    /// Memory, bytes (rounded up).
    pub memory_bytes: u64,
    /// `nvidia.com/gpu` cards.
    pub gpus: u64,
    /// `true` when no container declared CPU or memory and the 1C2GiB default applies.
    pub defaulted: bool,
}

impl PodTotals {
    /// Memory rounded up to whole MiB (the tables' unit; exact for covering checks).
    #[must_use]
    pub const fn memory_mib_ceil(&self) -> u64 {
        self.memory_bytes.div_ceil(MIB)
    }
}

const DEFAULT_CPU: u64 = 1000;
const DEFAULT_MEM: u64 = 2 * GIB;

/// Where a quantity sits, formatted only when an error is reported.
struct Field<'a> {
    list: &'static str,
    container: &'a str,
    section: &'static str,
    resource: &'static str,
}

impl fmt::Display for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "spec.{}[{}].resources.{}.{}",
            self.list, self.container, self.section, self.resource
        )
    }
}

/// Parsed `cpu`, `memory` and `nvidia.com/gpu` of one resource map. One pass over the map: no per-resource lookups.
#[derive(Default, Clone, Copy)]
struct Section {
    cpu: Option<ParsedQuantity>,
    memory: Option<ParsedQuantity>,
    gpu: Option<ParsedQuantity>,
}

fn read(
    map: Option<&BTreeMap<String, Quantity>>,
    list: &'static str,
    container: &str,
    section: &'static str,
) -> Result<Section, Error> {
    let mut out = Section::default();
    for (name, q) in map.into_iter().flatten() {
        let resource = match name.as_str() {
            "cpu" => "cpu",
            "memory" => "memory",
            GPU_RESOURCE => GPU_RESOURCE,
            _ => continue,
        };
        let field = || {
            Field {
                list,
                container,
                section,
                resource,
            }
            .to_string()
        };
        let p = crate::quantity::parse_nanos(&q.0)
            .map_err(|reason| Error::invalid(field(), q.0.as_str(), reason))?;
        if p < 0 {
            return Err(Error::invalid(
                field(),
                q.0.as_str(),
                "must not be negative",
            ));
        }
        let p = ParsedQuantity::from_nanos(p);
        match resource {
            "cpu" => out.cpu = Some(p),
            "memory" => out.memory = Some(p),
            _ => {
                if !p.is_integer() {
                    return Err(Error::invalid(
                        field(),
                        q.0.as_str(),
                        "GPU counts must be whole cards",
                    ));
                }
                out.gpu = Some(p);
            }
        }
    }
    Ok(out)
}

/// Effective request (Kubernetes defaults a missing request to the limit) and limit, per
/// resource, of one container.
#[derive(Default, Clone, Copy)]
struct ContainerValues {
    cpu_req: u64,
    cpu_lim: u64,
    mem_req: u64,
    mem_lim: u64,
    gpu_req: u64,
    declares_cpu_or_memory: bool,
}

fn container_values(c: &Container, list: &'static str) -> Result<ContainerValues, Error> {
    let res = c.resources.as_ref();
    let req = read(
        res.and_then(|r| r.requests.as_ref()),
        list,
        &c.name,
        "requests",
    )?;
    let lim = read(res.and_then(|r| r.limits.as_ref()), list, &c.name, "limits")?;
    let millis = |p: Option<ParsedQuantity>| p.map_or(0, |p| clamp_u64(p.milli_ceil()));
    let units = |p: Option<ParsedQuantity>| p.map_or(0, |p| clamp_u64(p.value_ceil()));
    Ok(ContainerValues {
        cpu_req: millis(req.cpu.or(lim.cpu)),
        cpu_lim: millis(lim.cpu),
        mem_req: units(req.memory.or(lim.memory)),
        mem_lim: units(lim.memory),
        gpu_req: units(req.gpu.or(lim.gpu)),
        declares_cpu_or_memory: req.cpu.is_some()
            || lim.cpu.is_some()
            || req.memory.is_some()
            || lim.memory.is_some(),
    })
}

fn clamp_u64(v: i128) -> u64 {
    u64::try_from(v.max(0)).unwrap_or(u64::MAX)
}

/// Computes the totals of a pod (B.6.1):
///
/// * no container declares CPU or memory: 1 core / 2 GiB (`defaulted`);
/// * business containers: per resource, `max(sum of requests, largest limit)`; when none of
///   them declares CPU or memory, 1C2GiB (E-B10: "business containers empty" read as
///   "declaring nothing", since a pod always has one);
/// * init containers: each on its own, `max(request, limit)` per resource, 1C2GiB for one
///   that declares nothing; the largest over init containers (they run one after another);
/// * the pod total is the larger of the two, per resource (E-B11);
/// * GPUs: the sum of business `nvidia.com/gpu` requests, or the largest init container
///   request if larger (Kubernetes' effective request; E-B15);
/// * a missing request takes the limit's value (Kubernetes defaulting);
/// * native sidecars (init containers with `restartPolicy: Always`) run alongside the
///   business containers and are counted with them (E-B12).
///
/// Quantities are parsed exactly; a malformed or negative one is an error naming
/// `spec.containers[name].resources.requests.cpu` and the value.
pub fn pod_totals(pod: &Pod) -> Result<PodTotals, Error> {
    let Some(spec) = pod.spec.as_ref() else {
        return Ok(PodTotals {
            cpu_millis: DEFAULT_CPU,
            memory_bytes: DEFAULT_MEM,
            gpus: 0,
            defaulted: true,
        });
    };
    let mut biz = ContainerValues::default();
    let mut add_business = |v: ContainerValues| {
        biz.cpu_req = biz.cpu_req.saturating_add(v.cpu_req);
        biz.mem_req = biz.mem_req.saturating_add(v.mem_req);
        biz.gpu_req = biz.gpu_req.saturating_add(v.gpu_req);
        biz.cpu_lim = biz.cpu_lim.max(v.cpu_lim);
        biz.mem_lim = biz.mem_lim.max(v.mem_lim);
        biz.declares_cpu_or_memory |= v.declares_cpu_or_memory;
    };
    for c in &spec.containers {
        add_business(container_values(c, "containers")?);
    }
    let (mut init_cpu, mut init_mem, mut init_gpu) = (0u64, 0u64, 0u64);
    let mut any_init_declares = false;
    for c in spec.init_containers.iter().flatten() {
        let v = container_values(c, "initContainers")?;
        if c.restart_policy.as_deref() == Some("Always") {
            add_business(v);
            continue;
        }
        any_init_declares |= v.declares_cpu_or_memory;
        let (cpu, mem) = if v.declares_cpu_or_memory {
            (v.cpu_req.max(v.cpu_lim), v.mem_req.max(v.mem_lim))
        } else {
            (DEFAULT_CPU, DEFAULT_MEM)
        };
        init_cpu = init_cpu.max(cpu);
        init_mem = init_mem.max(mem);
        init_gpu = init_gpu.max(v.gpu_req);
    }
    let gpus = biz.gpu_req.max(init_gpu);
    if !biz.declares_cpu_or_memory && !any_init_declares {
        return Ok(PodTotals {
            cpu_millis: DEFAULT_CPU,
            memory_bytes: DEFAULT_MEM,
            gpus,
            defaulted: true,
        });
    }
    let (biz_cpu, biz_mem) = if biz.declares_cpu_or_memory {
        (biz.cpu_req.max(biz.cpu_lim), biz.mem_req.max(biz.mem_lim))
    } else {
        (DEFAULT_CPU, DEFAULT_MEM)
    };
    Ok(PodTotals {
        cpu_millis: biz_cpu.max(init_cpu),
        memory_bytes: biz_mem.max(init_mem),
        gpus,
        defaulted: false,
    })
}
