//! Super-node pod spec tables (qGPU spec part B.2-B.3). Every table is a value: the
//! built-ins reproduce the document, and callers can build their own (new regions, updated
//! specs) with [`CpuSpecTable::new`] and [`GpuSpecTable::new`].
//!
//! CPU is in millicores, memory in MiB (0.5 GiB = 512 MiB), so every documented value is an
//! exact integer.

use std::fmt;

use crate::error::Error;

/// CPU vendor of a super-node pod (`eks.tke.cloud.tencent.com/cpu-type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CpuVendor {
    /// `intel`.
    Intel,
    /// `amd` (星星海 AMD).
    Amd,
}

impl CpuVendor {
    /// The annotation value.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            CpuVendor::Intel => "intel",
            CpuVendor::Amd => "amd",
        }
    }
}

impl fmt::Display for CpuVendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Allowed memory values of one CPU row: `min, min + step, ..., max` (one value when
/// `min == max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryChoice {
    /// Smallest value, MiB.
    pub min_mib: u32,
    /// Largest value, MiB.
    pub max_mib: u32,
    /// Granularity, MiB (ignored when `min == max`).
    pub step_mib: u32,
}

impl MemoryChoice {
    /// A single value in GiB (for 0.5 GiB see [`Self::half_gib`]).
    #[must_use]
    pub const fn gib(gib: u32) -> Self {
        MemoryChoice {
            min_mib: gib * 1024,
            max_mib: gib * 1024,
            step_mib: 1024,
        }
    }

    /// A single value of 0.5 GiB.
    #[must_use]
    pub const fn half_gib() -> Self {
        MemoryChoice {
            min_mib: 512,
            max_mib: 512,
            step_mib: 512,
        }
    }

    /// `lo..=hi` GiB in steps of 1 GiB.
    #[must_use]
    pub const fn gib_range(lo: u32, hi: u32) -> Self {
        MemoryChoice {
            min_mib: lo * 1024,
            max_mib: hi * 1024,
            step_mib: 1024,
        }
    }

    /// Smallest allowed value `>= mem_mib`.
    #[inline]
    fn at_least(&self, mem_mib: u32) -> Option<u32> {
        if mem_mib <= self.min_mib {
            return Some(self.min_mib);
        }
        if mem_mib > self.max_mib {
            return None;
        }
        let steps = (mem_mib - self.min_mib).div_ceil(self.step_mib);
        let v = self.min_mib + steps * self.step_mib;
        (v <= self.max_mib).then_some(v)
    }

    #[inline]
    fn contains(&self, mem_mib: u32) -> bool {
        mem_mib >= self.min_mib
            && mem_mib <= self.max_mib
            && (mem_mib - self.min_mib).is_multiple_of(self.step_mib)
    }
}

/// One CPU size and its allowed memory values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CpuSpecRow {
    /// CPU, millicores (0.25 core = 250).
    pub cpu_millis: u32,
    /// Allowed memory, ascending and non-overlapping.
    pub memory: Vec<MemoryChoice>,
}

impl CpuSpecRow {
    /// Smallest allowed memory, MiB.
    #[must_use]
    pub fn min_mib(&self) -> u32 {
        self.memory.first().map_or(0, |c| c.min_mib)
    }

    /// Largest allowed memory, MiB.
    #[must_use]
    pub fn max_mib(&self) -> u32 {
        self.memory.last().map_or(0, |c| c.max_mib)
    }

    /// Smallest allowed memory `>= mem_mib`.
    #[inline]
    #[must_use]
    pub fn memory_at_least(&self, mem_mib: u32) -> Option<u32> {
        self.memory.iter().find_map(|c| c.at_least(mem_mib))
    }

    /// Whether `mem_mib` is an allowed value.
    #[must_use]
    pub fn allows(&self, mem_mib: u32) -> bool {
        self.memory.iter().any(|c| c.contains(mem_mib))
    }
}

/// A CPU spec table (one vendor).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CpuSpecTable {
    vendor: CpuVendor,
    rows: Vec<CpuSpecRow>,
    max_mib: u32,
}

fn row(cpu_millis: u32, memory: &[MemoryChoice]) -> CpuSpecRow {
    CpuSpecRow {
        cpu_millis,
        memory: memory.to_vec(),
    }
}

use MemoryChoice as M;

impl CpuSpecTable {
    /// A table from rows. Rows must be non-empty, strictly ascending by CPU, and each row's
    /// memory choices non-empty, ascending, non-overlapping, with non-zero steps.
    pub fn new(vendor: CpuVendor, rows: Vec<CpuSpecRow>) -> Result<Self, Error> {
        let bad = |reason: &str| Error::invalid("cpu spec table", vendor.as_str(), reason);
        if rows.is_empty() {
            return Err(bad("no rows"));
        }
        for (i, r) in rows.iter().enumerate() {
            if r.cpu_millis == 0 || (i > 0 && rows[i - 1].cpu_millis >= r.cpu_millis) {
                return Err(bad("rows must have non-zero CPU, strictly ascending"));
            }
            if r.memory.is_empty() {
                return Err(bad("a row has no memory values"));
            }
            for (j, c) in r.memory.iter().enumerate() {
                if c.step_mib == 0 || c.min_mib == 0 || c.min_mib > c.max_mib {
                    return Err(bad(
                        "memory choices need 0 < min <= max and a non-zero step",
                    ));
                }
                if j > 0 && r.memory[j - 1].max_mib >= c.min_mib {
                    return Err(bad("memory choices must be ascending and non-overlapping"));
                }
            }
        }
        let max_mib = rows.iter().map(CpuSpecRow::max_mib).max().unwrap_or(0);
        Ok(CpuSpecTable {
            vendor,
            rows,
            max_mib,
        })
    }

    fn builtin(vendor: CpuVendor, rows: Vec<CpuSpecRow>) -> Self {
        let max_mib = rows.iter().map(CpuSpecRow::max_mib).max().unwrap_or(0);
        CpuSpecTable {
            vendor,
            rows,
            max_mib,
        }
    }

    /// TKE Serverless "资源规格", Intel (L11941-11963). The worked examples use this table.
    /// "2、4 - 16" is read as {2} ∪ {4..16} (3 GiB not allowed, E-B2).
    #[must_use]
    pub fn intel() -> Self {
        Self::builtin(
            CpuVendor::Intel,
            vec![
                row(250, &[M::half_gib(), M::gib(1), M::gib(2)]),
                row(500, &[M::half_gib(), M::gib_range(1, 4)]),
                row(1000, &[M::gib_range(1, 8)]),
                row(2000, &[M::gib(2), M::gib_range(4, 16)]),
                row(4000, &[M::gib_range(8, 32)]),
                row(8000, &[M::gib_range(16, 64)]),
                row(12000, &[M::gib_range(24, 96)]),
                row(16000, &[M::gib_range(16, 128)]),
                row(32000, &[M::gib(64), M::gib(128), M::gib(256)]),
                row(64000, &[M::gib(128), M::gib(192), M::gib(256), M::gib(512)]),
            ],
        )
    }

    /// "星星海 AMD" (L11965-11987). "4 - 16,32" is read as {4..16} ∪ {32} (E-B2).
    #[must_use]
    pub fn amd() -> Self {
        Self::builtin(
            CpuVendor::Amd,
            vec![
                row(1000, &[M::gib_range(1, 4)]),
                row(2000, &[M::gib_range(2, 8)]),
                row(4000, &[M::gib_range(4, 16), M::gib(32)]),
                row(8000, &[M::gib_range(8, 32), M::gib(64)]),
                row(16000, &[M::gib_range(16, 64), M::gib(128)]),
                row(32000, &[M::gib(64), M::gib(128), M::gib(256)]),
                row(64000, &[M::gib(128), M::gib(192), M::gib(256)]),
            ],
        )
    }

    /// Pods schedulable on monthly (包年包月) super nodes, Table M (L13393-13419).
    #[must_use]
    pub fn monthly() -> Self {
        Self::builtin(
            CpuVendor::Intel,
            vec![
                row(250, &[M::half_gib(), M::gib(1), M::gib(2)]),
                row(500, &[M::gib_range(1, 4)]),
                row(1000, &[M::gib_range(1, 4)]),
                row(2000, &[M::gib_range(2, 8)]),
                row(4000, &[M::gib_range(8, 16)]),
                row(8000, &[M::gib_range(16, 32)]),
            ],
        )
    }

    /// Pods schedulable on on-demand (按量计费) super nodes, Table P (L13423-13464).
    #[must_use]
    pub fn on_demand() -> Self {
        Self::builtin(
            CpuVendor::Intel,
            vec![
                row(250, &[M::half_gib(), M::gib(1), M::gib(2)]),
                row(500, &[M::gib_range(1, 4)]),
                row(1000, &[M::gib_range(1, 8)]),
                row(2000, &[M::gib_range(4, 16)]),
                row(4000, &[M::gib_range(8, 32)]),
                row(8000, &[M::gib_range(16, 32)]),
                row(12000, &[M::gib_range(24, 48)]),
                row(16000, &[M::gib_range(32, 64)]),
                row(32000, &[M::gib(64), M::gib(128), M::gib(256)]),
                row(64000, &[M::gib(128), M::gib(192), M::gib(256), M::gib(512)]),
            ],
        )
    }

    /// The vendor.
    #[must_use]
    pub fn vendor(&self) -> CpuVendor {
        self.vendor
    }

    /// The rows, ascending by CPU.
    #[must_use]
    pub fn rows(&self) -> &[CpuSpecRow] {
        &self.rows
    }

    /// Largest CPU, millicores.
    #[must_use]
    pub fn max_cpu_millis(&self) -> u32 {
        self.rows.last().map_or(0, |r| r.cpu_millis)
    }

    /// Largest memory, MiB.
    #[must_use]
    pub fn max_memory_mib(&self) -> u32 {
        self.max_mib
    }

    /// Whether `(cpu, mem)` is a spec of this table.
    #[must_use]
    pub fn allows(&self, cpu_millis: u32, mem_mib: u32) -> bool {
        self.rows
            .iter()
            .any(|r| r.cpu_millis == cpu_millis && r.allows(mem_mib))
    }
}

/// One GPU spec (L11991-12264).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GpuSpecRow {
    /// The `eks.tke.cloud.tencent.com/gpu-type` value, e.g. `V100`, `1/4*T4`, `A10*PNV4`.
    pub gpu_type: String,
    /// GPU cards (`nvidia.com/gpu`).
    pub gpus: u32,
    /// CPU, millicores.
    pub cpu_millis: u32,
    /// Memory, MiB.
    pub memory_mib: u32,
}

/// A GPU spec table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GpuSpecTable {
    rows: Vec<GpuSpecRow>,
}

impl GpuSpecTable {
    /// A table from rows; rows are ordered by type (first appearance), then GPUs, CPU and
    /// memory, which is the order matching walks ("nearest larger").
    pub fn new(mut rows: Vec<GpuSpecRow>) -> Result<Self, Error> {
        if rows.is_empty() {
            return Err(Error::invalid("gpu spec table", "", "no rows"));
        }
        if let Some(r) = rows.iter().find(|r| {
            r.gpu_type.is_empty() || r.gpus == 0 || r.cpu_millis == 0 || r.memory_mib == 0
        }) {
            return Err(Error::invalid(
                "gpu spec table",
                r.gpu_type.as_str(),
                "rows need a type and non-zero GPUs, CPU and memory",
            ));
        }
        let first_seen = |t: &str, rows: &[GpuSpecRow]| rows.iter().position(|r| r.gpu_type == t);
        let snapshot = rows.clone();
        rows.sort_by_key(|r| {
            (
                first_seen(&r.gpu_type, &snapshot),
                r.gpus,
                r.cpu_millis,
                r.memory_mib,
            )
        });
        Ok(GpuSpecTable { rows })
    }

    /// The document's GPU table (19 rows: V100, T4 and its fractions, A10 variants).
    #[must_use]
    pub fn builtin() -> Self {
        let r = |t: &str, gpus: u32, cores: u32, gib: u32| GpuSpecRow {
            gpu_type: t.to_owned(),
            gpus,
            cpu_millis: cores * 1000,
            memory_mib: gib * 1024,
        };
        GpuSpecTable {
            rows: vec![
                r("V100", 1, 8, 40),
                r("V100", 2, 18, 80),
                r("V100", 4, 36, 160),
                r("V100", 8, 72, 320),
                r("1/4*T4", 1, 4, 16),
                r("1/2*T4", 1, 8, 32),
                r("T4", 1, 8, 32),
                r("T4", 1, 20, 80),
                r("T4", 1, 32, 128),
                r("T4", 2, 40, 160),
                r("T4", 4, 80, 320),
                r("A10*PNV4", 1, 28, 116),
                r("A10*PNV4", 2, 56, 232),
                r("A10*PNV4", 4, 112, 466),
                r("A10*PNV4", 8, 224, 932),
                r("A10*GNV4", 1, 12, 44),
                r("1/4*A10*GNV4v", 1, 6, 24),
                r("1/2*A10*GNV4v", 1, 14, 58),
                r("A10*GNV4v", 1, 28, 116),
            ],
        }
    }

    /// All rows.
    #[must_use]
    pub fn rows(&self) -> &[GpuSpecRow] {
        &self.rows
    }

    /// Rows of one type, ascending.
    pub fn rows_of<'s, 'q>(
        &'s self,
        gpu_type: &'q str,
    ) -> impl Iterator<Item = &'s GpuSpecRow> + use<'s, 'q> {
        self.rows.iter().filter(move |r| r.gpu_type == gpu_type)
    }

    /// Whether the type exists.
    #[must_use]
    pub fn has_type(&self, gpu_type: &str) -> bool {
        self.rows.iter().any(|r| r.gpu_type == gpu_type)
    }
}

/// The tables spec selection uses. `Default` is the document's "资源规格" tables (Intel,
/// AMD, GPU); replace any of them, e.g. with [`CpuSpecTable::monthly`] for monthly super
/// nodes (E-B1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SpecTables {
    /// Intel CPU specs (also used for the CPU part of GPU matching).
    pub intel: CpuSpecTable,
    /// AMD CPU specs.
    pub amd: CpuSpecTable,
    /// GPU specs.
    pub gpu: GpuSpecTable,
}

impl Default for SpecTables {
    fn default() -> Self {
        SpecTables {
            intel: CpuSpecTable::intel(),
            amd: CpuSpecTable::amd(),
            gpu: GpuSpecTable::builtin(),
        }
    }
}

impl SpecTables {
    /// Monthly (包年包月) super nodes: Table M for CPU pods (Intel and AMD pods both
    /// allowed, same table), no GPU specs offered in that mode (L11891) — the GPU table is
    /// kept so annotations still validate, but callers should not place GPU pods there.
    #[must_use]
    pub fn monthly() -> Self {
        SpecTables {
            intel: CpuSpecTable::monthly(),
            amd: CpuSpecTable {
                vendor: CpuVendor::Amd,
                ..CpuSpecTable::monthly()
            },
            gpu: GpuSpecTable::builtin(),
        }
    }

    /// On-demand (按量计费) super nodes: Table P for CPU pods, the document's GPU table.
    #[must_use]
    pub fn on_demand() -> Self {
        SpecTables {
            intel: CpuSpecTable::on_demand(),
            amd: CpuSpecTable {
                vendor: CpuVendor::Amd,
                ..CpuSpecTable::on_demand()
            },
            gpu: GpuSpecTable::builtin(),
        }
    }

    /// The CPU table of a vendor.
    #[must_use]
    pub fn cpu(&self, vendor: CpuVendor) -> &CpuSpecTable {
        match vendor {
            CpuVendor::Intel => &self.intel,
            CpuVendor::Amd => &self.amd,
        }
    }
}
