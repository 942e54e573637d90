//! Units, node capacity and the rounding policy used at the edge.
//!
//! Inside the crate everything is an exact integer: CPU in millicores (inputs) and
//! nanocores (reservations), memory in bytes (inputs) and centibytes (1/100 byte,
//! reservations, because the tiers use whole percentages of byte amounts).
//! Rounding happens once, when a reservation is turned into a kubelet value.

use crate::error::Error;

/// 1 KiB in bytes.
pub const KIB: u64 = 1 << 10;
/// 1 MiB in bytes.
pub const MIB: u64 = 1 << 20;
/// 1 GiB in bytes.
pub const GIB: u64 = 1 << 30;
/// 1 TiB in bytes.
pub const TIB: u64 = 1 << 40;
/// Nanocores per millicore.
pub const NANOS_PER_MILLI: u64 = 1_000_000;

/// Largest node CPU this crate accepts (65 536 cores). Larger values are treated as a unit
/// mistake and rejected, which also keeps every intermediate value far from overflow.
pub const MAX_CPU_MILLIS: u64 = 65_536 * 1000;
/// Largest node memory this crate accepts (1 PiB).
pub const MAX_MEMORY_BYTES: u64 = 1 << 50;

/// What a node has: CPU in millicores and memory in bytes (plain integers, so a
/// capacity planner can evaluate many shapes cheaply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeResources {
    /// CPU capacity in millicores (`4 cores` = `4000`).
    pub cpu_millis: u64,
    /// Memory capacity in bytes.
    pub memory_bytes: u64,
}

impl NodeResources {
    /// Capacity from millicores and bytes.
    #[must_use]
    pub const fn new(cpu_millis: u64, memory_bytes: u64) -> Self {
        NodeResources {
            cpu_millis,
            memory_bytes,
        }
    }

    /// Capacity of a nominal instance shape, e.g. `from_cores_gib(8, 16)` for an 8C16G CVM.
    #[must_use]
    pub const fn from_cores_gib(cores: u32, gib: u32) -> Self {
        NodeResources {
            cpu_millis: cores as u64 * 1000,
            memory_bytes: gib as u64 * GIB,
        }
    }

    /// Rejects zero and absurd capacities.
    pub(crate) fn validate(self) -> Result<Self, Error> {
        if self.cpu_millis == 0 || self.cpu_millis > MAX_CPU_MILLIS {
            return Err(Error::OutOfRange {
                field: "capacity.cpu_millis",
                value: self.cpu_millis,
                reason: "node CPU must be between 1m and 65536 cores",
            });
        }
        if self.memory_bytes == 0 || self.memory_bytes > MAX_MEMORY_BYTES {
            return Err(Error::OutOfRange {
                field: "capacity.memory_bytes",
                value: self.memory_bytes,
                reason: "node memory must be between 1 byte and 1 PiB",
            });
        }
        Ok(self)
    }
}

/// How an exact value is turned into a whole unit (millicore or MiB) at the edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Rounding {
    /// Toward zero. The document prints memory reservations this way (2252.8 MiB -> 2252).
    Floor,
    /// Away from zero (never reserves less than the formula).
    #[default]
    Ceil,
    /// To nearest, halves up.
    HalfUp,
}

impl Rounding {
    /// `value / unit` rounded by this mode (`unit > 0`).
    #[inline]
    #[must_use]
    pub const fn div(self, value: u64, unit: u64) -> u64 {
        let q = value / unit;
        let r = value % unit;
        match self {
            Rounding::Floor => q,
            Rounding::Ceil => q + (r != 0) as u64,
            Rounding::HalfUp => q + (r * 2 >= unit) as u64,
        }
    }
}
