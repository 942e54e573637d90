//! Spec selection: annotations first, else totals matched against the tables.

use std::fmt;

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use crate::error::Error;
use crate::kubelet::{cpu_quantity, memory_quantity};
use crate::supernode::annotations::{self, SpecAnnotations};
use crate::supernode::matching::{match_cpu_spec, match_gpu_spec};
use crate::supernode::tables::{CpuVendor, GpuSpecRow, SpecTables};
use crate::supernode::totals::{PodTotals, pod_totals};
use crate::units::MIB;

/// How a spec was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpecSource {
    /// Pinned by `eks.tke.cloud.tencent.com/cpu` / `mem` annotations (requests and limits
    /// are not considered).
    Annotation,
    /// Matched from the containers' requests and limits.
    Computed,
    /// No container declared CPU or memory: 1 core / 2 GiB.
    Default,
}

/// A super-node pod spec (the billable size of the pod's VM).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PodSpec<'t> {
    /// CPU, millicores.
    pub cpu_millis: u32,
    /// Memory, MiB.
    pub memory_mib: u32,
    /// CPU vendor for CPU pods (Intel when the pod does not choose; it is preferred when
    /// both vendors offer the spec). `None` for GPU pods.
    pub cpu_vendor: Option<CpuVendor>,
    /// The GPU spec row for GPU pods.
    pub gpu: Option<&'t GpuSpecRow>,
    /// How it was chosen.
    pub source: SpecSource,
}

impl PodSpec<'_> {
    /// CPU as a quantity (`"4"`, `"250m"`).
    #[must_use]
    pub fn cpu_quantity(&self) -> Quantity {
        cpu_quantity(u64::from(self.cpu_millis))
    }

    /// Memory as a quantity (`"8Gi"`, `"512Mi"`).
    #[must_use]
    pub fn memory_quantity(&self) -> Quantity {
        memory_quantity(u64::from(self.memory_mib) * MIB)
    }

    /// Whether the spec covers the totals (CPU, memory and GPUs).
    #[must_use]
    pub fn covers(&self, totals: &PodTotals) -> bool {
        u64::from(self.cpu_millis) >= totals.cpu_millis
            && u64::from(self.memory_mib) >= totals.memory_mib_ceil()
            && u64::from(self.gpu.map_or(0, |g| g.gpus)) >= totals.gpus
    }
}

/// Exact decimal of `value / div` where `div` is a power of two or of ten.
fn decimal(value: u64, div: u64) -> String {
    let mut s = (value / div).to_string();
    let mut rem = value % div;
    if rem != 0 {
        s.push('.');
        while rem != 0 {
            rem *= 10;
            s.push(char::from(b'0' + (rem / div) as u8));
            rem %= div;
        }
    }
    s
}

impl fmt::Display for PodSpec<'_> {
    /// The document's notation: `4C8GiB`, `8C40GiB 1*V100`, `0.25C0.5GiB`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}C{}GiB",
            decimal(u64::from(self.cpu_millis), 1000),
            decimal(u64::from(self.memory_mib), 1024)
        )?;
        if let Some(g) = self.gpu {
            write!(f, " {}*{}", g.gpus, g.gpu_type)?;
        }
        Ok(())
    }
}

/// The chosen spec plus what else the priority lists allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecSelection<'t> {
    /// The spec for the first usable type of the priority list (or the only one).
    pub spec: PodSpec<'t>,
    /// Specs for the later types of a `cpu-type` / `gpu-type` priority list, in order: TKE
    /// falls back to them when the AZ is short of the first (E-B16: each type is matched on
    /// its own). Empty (no allocation) without a list.
    pub fallbacks: Vec<PodSpec<'t>>,
    /// The totals, when the spec was computed from requests and limits.
    pub totals: Option<PodTotals>,
    /// `spec-auto-upgrade: 'true'` was set (see [`upgrade_once`]).
    pub auto_upgrade: bool,
}

/// Selects the spec of a super-node pod.
///
/// 1. Spec annotations are validated ([`SpecAnnotations::parse`]). When `cpu`/`mem` are
///    set they win and requests/limits are not considered: a CPU pod's pair must be a spec
///    of the vendor's table; a GPU pod's pair must exactly equal a GPU row of the type
///    (and of `gpu-count` when set), otherwise scheduling would fail.
/// 2. Otherwise the totals ([`pod_totals`]) are matched: GPU pods (those with `gpu-type`)
///    with [`match_gpu_spec`], using `gpu-count` instead of the requests when set; CPU pods
///    with [`match_cpu_spec`] on the `cpu-type` vendor's table (Intel by default).
///
/// A pod requesting `nvidia.com/gpu` without `gpu-type` cannot be placed (L13690): error.
/// In a priority list, types that cannot fit the totals are skipped; when none fits, the
/// first type's error is returned.
pub fn select_pod_spec<'t>(pod: &Pod, tables: &'t SpecTables) -> Result<SpecSelection<'t>, Error> {
    let ann = SpecAnnotations::parse(pod.metadata.annotations.as_ref(), tables)?;
    if let (Some(cpu), Some(mem)) = (ann.cpu_millis, ann.memory_mib) {
        return pinned(&ann, cpu, mem, tables);
    }
    let totals = pod_totals(pod)?;
    select_for_totals(&totals, &ann, tables)
}

/// Step 2 alone: selects the spec for known totals (no pod parsing; the fast path).
pub fn select_for_totals<'t>(
    totals: &PodTotals,
    ann: &SpecAnnotations<'_>,
    tables: &'t SpecTables,
) -> Result<SpecSelection<'t>, Error> {
    let mem_mib = totals.memory_mib_ceil();
    let source = if totals.defaulted {
        SpecSource::Default
    } else {
        SpecSource::Computed
    };
    let mut specs: Vec<PodSpec<'t>> = Vec::new();
    let mut primary: Option<PodSpec<'t>> = None;
    let mut first_err: Option<Error> = None;
    let mut push = |r: Result<PodSpec<'t>, Error>| match r {
        Ok(s) if primary.is_none() => primary = Some(s),
        Ok(s) => specs.push(s),
        Err(e) => {
            if first_err.is_none() {
                first_err = Some(e);
            }
        }
    };
    if ann.gpu_types.is_some() {
        let gpus = ann.gpu_count.map_or(totals.gpus, u64::from);
        for ty in ann.gpu_type_list() {
            if let Some(count) = ann.gpu_count
                && !tables.gpu.rows_of(ty).any(|r| r.gpus == count)
            {
                push(Err(Error::invalid(
                    format!("annotation {}", annotations::GPU_COUNT),
                    count.to_string(),
                    format!("{ty} has no spec with {count} GPUs"),
                )));
                continue;
            }
            push(
                match_gpu_spec(
                    &tables.gpu,
                    &tables.intel,
                    ty,
                    gpus,
                    totals.cpu_millis,
                    mem_mib,
                )
                .map(|row| PodSpec {
                    cpu_millis: row.cpu_millis,
                    memory_mib: row.memory_mib,
                    cpu_vendor: None,
                    gpu: Some(row),
                    source,
                }),
            );
        }
    } else if totals.gpus > 0 {
        return Err(Error::invalid(
            format!("annotation {}", annotations::GPU_TYPE),
            "",
            format!(
                "the pod requests {} nvidia.com/gpu; GPU pods need a gpu-type annotation",
                totals.gpus
            ),
        ));
    } else {
        let mut vendors = ann.cpu_vendors().peekable();
        let default = [CpuVendor::Intel];
        let list: &mut dyn Iterator<Item = CpuVendor> = if vendors.peek().is_some() {
            &mut vendors
        } else {
            &mut default.into_iter()
        };
        for vendor in list {
            push(
                match_cpu_spec(tables.cpu(vendor), totals.cpu_millis, mem_mib).map(|(c, m)| {
                    PodSpec {
                        cpu_millis: c,
                        memory_mib: m,
                        cpu_vendor: Some(vendor),
                        gpu: None,
                        source,
                    }
                }),
            );
        }
    }
    match primary {
        Some(spec) => Ok(SpecSelection {
            spec,
            fallbacks: specs,
            totals: Some(*totals),
            auto_upgrade: ann.auto_upgrade,
        }),
        None => Err(first_err
            .unwrap_or_else(|| Error::invalid("spec tables", "", "no table to match against"))),
    }
}

fn pinned<'t>(
    ann: &SpecAnnotations<'_>,
    cpu: u32,
    mem: u32,
    tables: &'t SpecTables,
) -> Result<SpecSelection<'t>, Error> {
    let mut specs: Vec<PodSpec<'t>> = Vec::new();
    if ann.gpu_types.is_some() {
        for ty in ann.gpu_type_list() {
            if let Some(row) = tables.gpu.rows_of(ty).find(|r| {
                r.cpu_millis == cpu
                    && r.memory_mib == mem
                    && ann.gpu_count.is_none_or(|n| n == r.gpus)
            }) {
                specs.push(PodSpec {
                    cpu_millis: cpu,
                    memory_mib: mem,
                    cpu_vendor: None,
                    gpu: Some(row),
                    source: SpecSource::Annotation,
                });
            }
        }
    } else {
        let mut listed = ann.cpu_vendors().peekable();
        let both = [CpuVendor::Intel, CpuVendor::Amd];
        let vendors: &mut dyn Iterator<Item = CpuVendor> = if listed.peek().is_some() {
            &mut listed
        } else {
            &mut both.into_iter()
        };
        for vendor in vendors {
            if tables.cpu(vendor).allows(cpu, mem) {
                specs.push(PodSpec {
                    cpu_millis: cpu,
                    memory_mib: mem,
                    cpu_vendor: Some(vendor),
                    gpu: None,
                    source: SpecSource::Annotation,
                });
            }
        }
    }
    if specs.is_empty() {
        let what = if ann.gpu_types.is_some() {
            "must exactly equal a GPU spec of the gpu-type (and gpu-count)"
        } else {
            "is not a supported CPU spec"
        };
        return Err(Error::invalid(
            format!("annotations {} / {}", annotations::CPU, annotations::MEM),
            format!("{}m / {}Mi", cpu, mem),
            what,
        ));
    }
    let spec = specs.remove(0);
    Ok(SpecSelection {
        spec,
        fallbacks: specs,
        totals: None,
        auto_upgrade: ann.auto_upgrade,
    })
}

/// `spec-auto-upgrade`: when the matched spec has no stock, TKE upgrades **once** by CPU
/// spec (L13981). The next larger CPU row of the vendor's table is used, with the smallest
/// memory `>=` the current one (E-B17). `None` for GPU specs, at the top of the table, or
/// when no larger row has enough memory.
#[must_use]
pub fn upgrade_once<'t>(spec: &PodSpec<'t>, tables: &'t SpecTables) -> Option<PodSpec<'t>> {
    if spec.gpu.is_some() {
        return None;
    }
    let table = tables.cpu(spec.cpu_vendor.unwrap_or(CpuVendor::Intel));
    let next = table
        .rows()
        .iter()
        .find(|r| r.cpu_millis > spec.cpu_millis)?;
    let m = next.memory_at_least(spec.memory_mib)?;
    Some(PodSpec {
        cpu_millis: next.cpu_millis,
        memory_mib: m,
        ..*spec
    })
}
