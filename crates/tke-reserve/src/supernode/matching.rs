//! Matching pod totals to a spec (qGPU spec B.6.2 CPU pods, B.6.3 GPU pods). Pure integers,
//! no allocation.

use crate::error::{Error, Resource};
use crate::supernode::tables::{CpuSpecTable, GpuSpecRow, GpuSpecTable};

/// The default spec, 1 core / 2 GiB (when nothing is requested).
pub const DEFAULT_CPU_MILLIS: u32 = 1000;
/// The default spec memory, MiB.
pub const DEFAULT_MEMORY_MIB: u32 = 2048;

fn cores(millis: u64) -> String {
    if millis.is_multiple_of(1000) {
        format!("{} cores", millis / 1000)
    } else {
        format!("{millis}m CPU")
    }
}

fn mib_text(mib: u64) -> String {
    if mib.is_multiple_of(1024) {
        format!("{}Gi", mib / 1024)
    } else {
        format!("{mib}Mi")
    }
}

pub(crate) fn exceeded_cpu(requested_millis: u64, largest_millis: u64) -> Error {
    Error::SpecExceeded {
        resource: Resource::Cpu,
        requested: cores(requested_millis),
        largest: cores(largest_millis),
    }
}

pub(crate) fn exceeded_memory(requested_mib: u64, largest_mib: u64) -> Error {
    Error::SpecExceeded {
        resource: Resource::Memory,
        requested: mib_text(requested_mib),
        largest: mib_text(largest_mib),
    }
}

/// Matches CPU/memory totals (millicores, MiB rounded up) against a CPU table:
///
/// * both zero: 1 core / 2 GiB;
/// * a total above the table's largest CPU or memory: [`Error::SpecExceeded`];
/// * CPU zero: the smallest allowed memory `>=` the total, on the smallest CPU row that
///   allows it (0C/8GiB -> 1C8GiB);
/// * memory zero: the smallest CPU row `>=` the total, with its smallest memory (inferred,
///   symmetric);
/// * otherwise row A = smallest CPU `>=` the total; memory below A's range -> A's minimum;
///   above -> the first larger row B whose range reaches it ("change CPU to B's CPU");
///   inside -> the nearest allowed value `>=` the total ("最相近较大", E-B13).
#[inline]
pub fn match_cpu_spec(
    table: &CpuSpecTable,
    cpu_millis: u64,
    memory_mib: u64,
) -> Result<(u32, u32), Error> {
    if cpu_millis == 0 && memory_mib == 0 {
        return Ok((DEFAULT_CPU_MILLIS, DEFAULT_MEMORY_MIB));
    }
    let max_cpu = table.max_cpu_millis();
    if cpu_millis > u64::from(max_cpu) {
        return Err(exceeded_cpu(cpu_millis, u64::from(max_cpu)));
    }
    let max_mem = table.max_memory_mib();
    if memory_mib > u64::from(max_mem) {
        return Err(exceeded_memory(memory_mib, u64::from(max_mem)));
    }
    // Both fit in u32 now.
    let (cpu, mem) = (cpu_millis as u32, memory_mib as u32);
    let rows = table.rows();
    if cpu == 0 {
        let m = rows
            .iter()
            .filter_map(|r| r.memory_at_least(mem))
            .min()
            .ok_or_else(|| exceeded_memory(memory_mib, u64::from(max_mem)))?;
        let r = rows
            .iter()
            .find(|r| r.allows(m))
            .ok_or_else(|| exceeded_memory(memory_mib, u64::from(max_mem)))?;
        return Ok((r.cpu_millis, m));
    }
    let a_index = rows
        .iter()
        .position(|r| r.cpu_millis >= cpu)
        .ok_or_else(|| exceeded_cpu(cpu_millis, u64::from(max_cpu)))?;
    let a = &rows[a_index];
    if mem == 0 || mem < a.min_mib() {
        return Ok((a.cpu_millis, a.min_mib()));
    }
    if mem > a.max_mib() {
        let (b, m) = rows[a_index..]
            .iter()
            .find_map(|r| r.memory_at_least(mem).map(|m| (r, m)))
            .ok_or_else(|| exceeded_memory(memory_mib, u64::from(max_mem)))?;
        return Ok((b.cpu_millis, m));
    }
    let m = a
        .memory_at_least(mem)
        .ok_or_else(|| exceeded_memory(memory_mib, u64::from(max_mem)))?;
    Ok((a.cpu_millis, m))
}

/// Matches totals against the GPU rows of one type (B.6.3):
///
/// 1. A = the first row (ascending GPUs, CPU, memory) with GPUs `>=` the GPU total;
/// 2. B = the CPU match of the CPU/memory totals on `cpu_table`; when the totals exceed the
///    CPU table (a GPU spec can be larger, E-B14) the raw totals are used;
/// 3. A when it covers B, else the first row after A covering B (more GPUs than asked);
///    when no row covers B but one covers the raw totals, that row (B over-rounded).
#[inline]
pub fn match_gpu_spec<'t>(
    gpu_table: &'t GpuSpecTable,
    cpu_table: &CpuSpecTable,
    gpu_type: &str,
    gpus: u64,
    cpu_millis: u64,
    memory_mib: u64,
) -> Result<&'t GpuSpecRow, Error> {
    let rows = gpu_table.rows();
    let start = rows
        .iter()
        .position(|r| r.gpu_type == gpu_type)
        .ok_or_else(|| {
            Error::invalid(
                "annotation eks.tke.cloud.tencent.com/gpu-type",
                gpu_type,
                "not a GPU type of the spec table",
            )
        })?;
    let of_type = rows[start..].iter().take_while(|r| r.gpu_type == gpu_type);
    let mut a_iter = of_type.clone().skip_while(|r| u64::from(r.gpus) < gpus);
    let Some(a) = a_iter.next() else {
        let largest = of_type.map(|r| r.gpus).max().unwrap_or(0);
        return Err(Error::SpecExceeded {
            resource: Resource::Gpu,
            requested: format!("{gpus} x {gpu_type}"),
            largest: format!("{largest} x {gpu_type}"),
        });
    };
    let (b_cpu, b_mem) = match match_cpu_spec(cpu_table, cpu_millis, memory_mib) {
        Ok((c, m)) => (u64::from(c), u64::from(m)),
        Err(Error::SpecExceeded { .. }) => (cpu_millis, memory_mib),
        Err(e) => return Err(e),
    };
    let covers =
        |r: &GpuSpecRow| u64::from(r.cpu_millis) >= b_cpu && u64::from(r.memory_mib) >= b_mem;
    if covers(a) {
        return Ok(a);
    }
    if let Some(c) = a_iter.clone().find(|r| covers(r)) {
        return Ok(c);
    }
    // B is the CPU table's rounding of the totals and can overshoot every GPU row (e.g.
    // 0C/257GiB rounds to 64C/512GiB); then the first row covering the raw totals is used.
    let covers_raw = |r: &GpuSpecRow| {
        u64::from(r.cpu_millis) >= cpu_millis && u64::from(r.memory_mib) >= memory_mib
    };
    if let Some(c) = std::iter::once(a).chain(a_iter).find(|r| covers_raw(r)) {
        return Ok(c);
    }
    let max_cpu = of_type.clone().map(|r| r.cpu_millis).max().unwrap_or(0);
    if cpu_millis > u64::from(max_cpu) {
        Err(exceeded_cpu(cpu_millis, u64::from(max_cpu)))
    } else {
        let max_mem = of_type.map(|r| r.memory_mib).max().unwrap_or(0);
        Err(exceeded_memory(memory_mib, u64::from(max_mem)))
    }
}
