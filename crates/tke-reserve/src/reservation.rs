//! The two documented reservation algorithms, in exact integer arithmetic.
//!
//! * [`ReservationAlgorithm::Old`]: "节点资源预留说明" (S:5786-5897), tiered CPU and memory
//!   percentages; applies to normal and native nodes on Kubernetes >= 1.16 added after
//!   2022-06-24.
//! * [`ReservationAlgorithm::New`]: "节点资源预留算法（新）" (S:5898-6037), for Kubernetes >= 1.30:
//!   CPU 6% / 1% / 0.5% / 0.25%, memory `min(old, 20 MiB x pods + 256 MiB)`.
//!
//! CPU reservations are exact in nanocores (65 cores reserve 1612.5m under the old rule),
//! memory reservations exact in centibytes (8 GiB reserves 1843.2 MiB). The `min()` of the
//! new memory rule compares these exact values.

use crate::error::Error;
use crate::units::{GIB, MIB, NANOS_PER_MILLI, Rounding};

/// Which documented algorithm computes the reservation. An explicit parameter everywhere;
/// [`select_algorithm`](crate::select_algorithm) is only a helper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReservationAlgorithm {
    /// The 2022 tiered algorithm (Kubernetes >= 1.16, nodes added after 2022-06-24).
    Old,
    /// The Kubernetes >= 1.30 algorithm.
    New,
}

/// Exact reserved CPU in nanocores (1 millicore = 1 000 000 nanocores).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CpuReservation {
    /// Exact value in nanocores.
    pub nanos: u64,
}

impl CpuReservation {
    /// Rounded to whole millicores.
    #[inline]
    #[must_use]
    pub const fn millis(self, rounding: Rounding) -> u64 {
        rounding.div(self.nanos, NANOS_PER_MILLI)
    }
}

/// Which side of the new algorithm's `min()` produced a memory reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemoryTerm {
    /// The tiered (old) percentages.
    Tiered,
    /// `20 MiB x pods + 256 MiB` (new algorithm only, when strictly smaller).
    PodScaled,
}

/// Exact reserved memory in centibytes (1/100 byte), plus the winning term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryReservation {
    /// Exact value in 1/100 bytes.
    pub centibytes: u64,
    /// The term that produced the value.
    pub term: MemoryTerm,
}

impl MemoryReservation {
    /// Rounded to whole bytes.
    #[inline]
    #[must_use]
    pub const fn bytes(self, rounding: Rounding) -> u64 {
        rounding.div(self.centibytes, 100)
    }

    /// Rounded to whole MiB (the document prints `Floor`: 12 GiB -> 2252 MiB).
    #[inline]
    #[must_use]
    pub const fn mib(self, rounding: Rounding) -> u64 {
        rounding.div(self.centibytes, 100 * MIB)
    }
}

#[inline]
const fn clamp_sub(x: u64, lo: u64, width: u64) -> u64 {
    let d = x.saturating_sub(lo);
    if d < width { d } else { width }
}

/// Old CPU tiers, exact nanocores: 0.1 core up to 4 cores, 2.5% of 4-64 cores,
/// 1.25% of 64-128 cores, 0.5% above 128 cores (S:5809-5836).
#[inline]
const fn old_cpu_nanos(m: u64) -> u64 {
    // Rates in nanocores per millicore: 2.5% = 25 000, 1.25% = 12 500, 0.5% = 5 000.
    100 * NANOS_PER_MILLI
        + 25_000 * clamp_sub(m, 4_000, 60_000)
        + 12_500 * clamp_sub(m, 64_000, 64_000)
        + 5_000 * m.saturating_sub(128_000)
}

/// New CPU tiers, exact nanocores: 6% of the first core, 1% of the second, 0.5% of cores
/// 3-4, 0.25% above 4 (S:5933-5941).
#[inline]
const fn new_cpu_nanos(m: u64) -> u64 {
    60_000 * if m < 1_000 { m } else { 1_000 }
        + 10_000 * clamp_sub(m, 1_000, 1_000)
        + 5_000 * clamp_sub(m, 2_000, 2_000)
        + 2_500 * m.saturating_sub(4_000)
}

/// Old memory tiers, exact centibytes: 25% up to 4 GiB, 20% of 4-8, 10% of 8-16,
/// 6% of 16-128, 2% above 128 GiB (S:5838-5874).
#[inline]
const fn old_mem_centibytes(b: u64) -> u64 {
    25 * if b < 4 * GIB { b } else { 4 * GIB }
        + 20 * clamp_sub(b, 4 * GIB, 4 * GIB)
        + 10 * clamp_sub(b, 8 * GIB, 8 * GIB)
        + 6 * clamp_sub(b, 16 * GIB, 112 * GIB)
        + 2 * b.saturating_sub(128 * GIB)
}

/// `20 MiB x pods + 256 MiB` in centibytes (S:5917-5921).
#[inline]
const fn pod_scaled_centibytes(pods: u32) -> u64 {
    (20 * MIB * pods as u64 + 256 * MIB) * 100
}

const MIN_OLD_CPU_MILLIS: u64 = 1_000;
const MIN_OLD_MEMORY_BYTES: u64 = GIB;

/// Exact CPU reservation for a node with `cpu_millis` of CPU.
///
/// Domain: the old tiers start at 1 core ("1c ≤ CPU"); smaller nodes are rejected (A-R6).
/// The new rule is defined for any positive CPU. Zero and more than 65 536 cores are errors.
#[inline]
pub fn reserved_cpu(
    algorithm: ReservationAlgorithm,
    cpu_millis: u64,
) -> Result<CpuReservation, Error> {
    check_cpu(algorithm, cpu_millis)?;
    Ok(CpuReservation {
        nanos: match algorithm {
            ReservationAlgorithm::Old => old_cpu_nanos(cpu_millis),
            ReservationAlgorithm::New => new_cpu_nanos(cpu_millis),
        },
    })
}

/// Exact memory reservation for a node with `memory_bytes` of memory.
///
/// `pods` is the pod count of the new rule (`20 MiB x pods + 256 MiB`); it is ignored by the
/// old algorithm. Use the node's effective max pods (kubelet `max-pods`, `capacity.pods`):
/// the reservation is a static kubelet setting, so it cannot depend on running pods (A-R4).
///
/// Domain: both rules use the old tiers, which start at 1 GiB ("1G ≤ 内存"); smaller nodes,
/// zero and more than 1 PiB are errors (A-R6).
#[inline]
pub fn reserved_memory(
    algorithm: ReservationAlgorithm,
    memory_bytes: u64,
    pods: u32,
) -> Result<MemoryReservation, Error> {
    check_memory(memory_bytes)?;
    let tiered = old_mem_centibytes(memory_bytes);
    Ok(match algorithm {
        ReservationAlgorithm::Old => MemoryReservation {
            centibytes: tiered,
            term: MemoryTerm::Tiered,
        },
        ReservationAlgorithm::New => {
            let scaled = pod_scaled_centibytes(pods);
            // Exact comparison: 1843.2 MiB vs 1536 MiB, never rounded values.
            if scaled < tiered {
                MemoryReservation {
                    centibytes: scaled,
                    term: MemoryTerm::PodScaled,
                }
            } else {
                MemoryReservation {
                    centibytes: tiered,
                    term: MemoryTerm::Tiered,
                }
            }
        }
    })
}

#[inline]
fn check_cpu(algorithm: ReservationAlgorithm, cpu_millis: u64) -> Result<(), Error> {
    let min = match algorithm {
        ReservationAlgorithm::Old => MIN_OLD_CPU_MILLIS,
        ReservationAlgorithm::New => 1,
    };
    if cpu_millis < min || cpu_millis > crate::units::MAX_CPU_MILLIS {
        return Err(Error::OutOfRange {
            field: "capacity.cpu_millis",
            value: cpu_millis,
            reason: match algorithm {
                ReservationAlgorithm::Old => {
                    "the old reservation tiers cover 1 to 65536 cores (1000 to 65536000 millicores)"
                }
                ReservationAlgorithm::New => {
                    "the reservation rule covers 1 millicore to 65536 cores"
                }
            },
        });
    }
    Ok(())
}

#[inline]
fn check_memory(memory_bytes: u64) -> Result<(), Error> {
    if !(MIN_OLD_MEMORY_BYTES..=crate::units::MAX_MEMORY_BYTES).contains(&memory_bytes) {
        return Err(Error::OutOfRange {
            field: "capacity.memory_bytes",
            value: memory_bytes,
            reason: "the memory reservation tiers cover 1 GiB to 1 PiB",
        });
    }
    Ok(())
}
