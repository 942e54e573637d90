//! The spec-pinning annotations (qGPU spec B.5) and their validation.

use std::collections::BTreeMap;

use crate::error::Error;
use crate::quantity::parse_nanos;
use crate::supernode::tables::{CpuVendor, SpecTables};

/// `eks.tke.cloud.tencent.com/cpu`: cores, no unit (`'8'`).
pub const CPU: &str = "eks.tke.cloud.tencent.com/cpu";
/// `eks.tke.cloud.tencent.com/mem`: memory with a binary unit (`'16Gi'`, `'512Mi'`).
pub const MEM: &str = "eks.tke.cloud.tencent.com/mem";
/// `eks.tke.cloud.tencent.com/cpu-type`: `intel`, `amd` or a priority list `amd,intel`.
pub const CPU_TYPE: &str = "eks.tke.cloud.tencent.com/cpu-type";
/// `eks.tke.cloud.tencent.com/gpu-type`: a GPU type or a priority list `T4,V100`.
pub const GPU_TYPE: &str = "eks.tke.cloud.tencent.com/gpu-type";
/// `eks.tke.cloud.tencent.com/gpu-count`: number of GPU cards.
pub const GPU_COUNT: &str = "eks.tke.cloud.tencent.com/gpu-count";
/// `eks.tke.cloud.tencent.com/count`: the spelling of the document's GPU example (E-B7),
/// accepted as an alias of [`GPU_COUNT`].
pub const GPU_COUNT_ALIAS: &str = "eks.tke.cloud.tencent.com/count";
/// `eks.tke.cloud.tencent.com/spec-auto-upgrade`: `'true'` to upgrade once by CPU spec.
pub const SPEC_AUTO_UPGRADE: &str = "eks.tke.cloud.tencent.com/spec-auto-upgrade";

/// Validated spec annotations of a pod. Lists borrow the annotation strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SpecAnnotations<'a> {
    /// Pinned CPU, millicores.
    pub cpu_millis: Option<u32>,
    /// Pinned memory, MiB.
    pub memory_mib: Option<u32>,
    /// CPU vendor priority list (validated), e.g. `amd,intel`.
    pub cpu_types: Option<&'a str>,
    /// GPU type priority list (validated against the GPU table), e.g. `T4,V100`.
    pub gpu_types: Option<&'a str>,
    /// Pinned GPU count.
    pub gpu_count: Option<u32>,
    /// `spec-auto-upgrade: 'true'`.
    pub auto_upgrade: bool,
}

fn items(list: &str) -> impl Iterator<Item = &str> + Clone {
    list.split(',').map(str::trim)
}

fn vendor(s: &str) -> Option<CpuVendor> {
    if s.eq_ignore_ascii_case("intel") {
        Some(CpuVendor::Intel)
    } else if s.eq_ignore_ascii_case("amd") {
        Some(CpuVendor::Amd)
    } else {
        None
    }
}

impl<'a> SpecAnnotations<'a> {
    /// CPU vendors in priority order (none when the annotation is absent).
    pub fn cpu_vendors(&self) -> impl Iterator<Item = CpuVendor> + 'a {
        self.cpu_types
            .into_iter()
            .flat_map(items)
            .filter_map(vendor)
    }

    /// GPU types in priority order (none when the annotation is absent).
    pub fn gpu_type_list(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.gpu_types.into_iter().flat_map(items)
    }

    /// Reads and validates the annotations from a pod's annotation map.
    ///
    /// Rules (B.5, with the document's contradictions resolved as noted):
    /// * `cpu` and `mem` come together;
    /// * `cpu` is a plain number of cores (`8`, `0.25`); `mem` needs a binary unit (`Mi`,
    ///   `Gi`; L13548), a decimal unit such as `G` is a parameter error (L13999), and a
    ///   bare number is read as GiB like the document's GPU example `mem: '40'` (E-B6);
    /// * `cpu-type` items are `intel` / `amd`, no repeats; it cannot be combined with
    ///   `gpu-type` (GPU specs have no CPU vendor choice);
    /// * `gpu-type` items must be types of the GPU table (`V100`, `1/4*T4`, `A10*PNV4`, ...;
    ///   a bare `A10` is ambiguous and rejected, E-B8), no repeats;
    /// * `gpu-count` (or its alias `count`, E-B7) is a positive integer and needs `gpu-type`;
    /// * `spec-auto-upgrade` is `true` or `false`.
    pub fn parse(
        annotations: Option<&'a BTreeMap<String, String>>,
        tables: &SpecTables,
    ) -> Result<Self, Error> {
        let Some(map) = annotations else {
            return Ok(SpecAnnotations::default());
        };
        let get = |k: &str| map.get(k).map(String::as_str);
        let mut out = SpecAnnotations::default();

        match (get(CPU), get(MEM)) {
            (None, None) => {}
            (Some(cpu), Some(mem)) => {
                out.cpu_millis = Some(parse_cpu(cpu)?);
                out.memory_mib = Some(parse_mem(mem)?);
            }
            (Some(v), None) => {
                return Err(Error::invalid(
                    format!("annotation {CPU}"),
                    v,
                    format!("{CPU} and {MEM} must be set together"),
                ));
            }
            (None, Some(v)) => {
                return Err(Error::invalid(
                    format!("annotation {MEM}"),
                    v,
                    format!("{CPU} and {MEM} must be set together"),
                ));
            }
        }

        if let Some(list) = get(CPU_TYPE) {
            check_list(
                CPU_TYPE,
                list,
                |s| vendor(s).is_some(),
                "expected intel or amd",
            )?;
            out.cpu_types = Some(list);
        }
        if let Some(list) = get(GPU_TYPE) {
            check_list(
                GPU_TYPE,
                list,
                |s| tables.gpu.has_type(s),
                "not a GPU type of the spec table",
            )?;
            out.gpu_types = Some(list);
        }
        if let (Some(c), Some(_)) = (out.cpu_types, out.gpu_types) {
            return Err(Error::invalid(
                format!("annotation {CPU_TYPE}"),
                c,
                format!("conflicts with {GPU_TYPE}: GPU specs have no CPU vendor choice"),
            ));
        }

        let count = match (get(GPU_COUNT), get(GPU_COUNT_ALIAS)) {
            (Some(a), Some(b)) if a.trim() != b.trim() => {
                return Err(Error::invalid(
                    format!("annotation {GPU_COUNT_ALIAS}"),
                    b,
                    format!("conflicts with {GPU_COUNT} = {a:?}"),
                ));
            }
            (Some(a), _) => Some((GPU_COUNT, a)),
            (None, Some(b)) => Some((GPU_COUNT_ALIAS, b)),
            (None, None) => None,
        };
        if let Some((key, v)) = count {
            let n: u32 = v.trim().parse().ok().filter(|&n| n > 0).ok_or_else(|| {
                Error::invalid(
                    format!("annotation {key}"),
                    v,
                    "expected a positive whole number of GPUs",
                )
            })?;
            if out.gpu_types.is_none() {
                return Err(Error::invalid(
                    format!("annotation {key}"),
                    v,
                    format!("needs {GPU_TYPE}: allocating GPUs by annotation requires both"),
                ));
            }
            out.gpu_count = Some(n);
        }

        if let Some(v) = get(SPEC_AUTO_UPGRADE) {
            out.auto_upgrade = match v.trim() {
                t if t.eq_ignore_ascii_case("true") => true,
                t if t.eq_ignore_ascii_case("false") => false,
                _ => {
                    return Err(Error::invalid(
                        format!("annotation {SPEC_AUTO_UPGRADE}"),
                        v,
                        "expected true or false",
                    ));
                }
            };
        }
        Ok(out)
    }
}

fn check_list(
    key: &'static str,
    list: &str,
    valid: impl Fn(&str) -> bool,
    reason: &str,
) -> Result<(), Error> {
    let field = || format!("annotation {key}");
    for (i, item) in items(list).enumerate() {
        if item.is_empty() {
            return Err(Error::invalid(field(), list, "empty item in the list"));
        }
        if !valid(item) {
            return Err(Error::invalid(field(), list, format!("{item:?}: {reason}")));
        }
        if items(list)
            .take(i)
            .any(|prev| prev.eq_ignore_ascii_case(item))
        {
            return Err(Error::invalid(
                field(),
                list,
                format!("{item:?} is listed twice"),
            ));
        }
    }
    Ok(())
}

fn parse_cpu(v: &str) -> Result<u32, Error> {
    let field = || format!("annotation {CPU}");
    let t = v.trim();
    if !t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(Error::invalid(
            field(),
            v,
            "expected a number of cores without a unit, e.g. 8 or 0.25",
        ));
    }
    let nanos = parse_nanos(t).map_err(|r| Error::invalid(field(), v, r))?;
    if nanos <= 0 || nanos % 1_000_000 != 0 {
        return Err(Error::invalid(
            field(),
            v,
            "expected a positive number of cores in whole millicores",
        ));
    }
    u32::try_from(nanos / 1_000_000).map_err(|_| Error::invalid(field(), v, "too many cores"))
}

fn parse_mem(v: &str) -> Result<u32, Error> {
    let field = || format!("annotation {MEM}");
    let t = v.trim();
    let unit_start = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(unit_start);
    let scaled = match unit {
        // A bare number is GiB, as in the document's GPU example `mem: '40'`.
        "" => format!("{number}Gi"),
        "Ki" | "Mi" | "Gi" | "Ti" => t.to_owned(),
        _ => {
            return Err(Error::invalid(
                field(),
                v,
                "memory must use a binary unit such as Mi or Gi (a unit like G is a parameter error)",
            ));
        }
    };
    let nanos = parse_nanos(&scaled).map_err(|r| Error::invalid(field(), v, r))?;
    let mib_nanos = i128::from(crate::units::MIB) * 1_000_000_000;
    if nanos <= 0 || nanos % mib_nanos != 0 {
        return Err(Error::invalid(
            field(),
            v,
            "expected a positive whole number of MiB",
        ));
    }
    u32::try_from(nanos / mib_nanos).map_err(|_| Error::invalid(field(), v, "too much memory"))
}
