//! `ALLOCATABLE = CAPACITY - RESERVED - EVICTION-THRESHOLD` (S:5791-5795).
//!
//! The hot path: plain integers in, plain integers out, no allocation. Quantities and
//! kubelet flags are produced from the result on demand (see [`crate::kubelet`]).

use crate::error::{Error, Resource};
use crate::reservation::{MemoryTerm, ReservationAlgorithm, reserved_cpu, reserved_memory};
use crate::units::{MIB, NodeResources, Rounding};

/// The default hard eviction threshold, `memory.available<100Mi` (S:5795, vector R72).
pub const DEFAULT_EVICTION_HARD_MEMORY_BYTES: u64 = 100 * MIB;

/// kubelet `eviction-hard` threshold for `memory.available`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EvictionThreshold {
    /// An absolute amount, e.g. `memory.available<100Mi`.
    Bytes(u64),
    /// A share of memory capacity in basis points (1/100 percent), e.g. `memory.available<10%`
    /// is `BasisPoints(1000)`. Rounded up to whole bytes, as kubelet does.
    BasisPoints(u32),
}

impl EvictionThreshold {
    /// The threshold in bytes for a node with `capacity_bytes` of memory.
    #[inline]
    #[must_use]
    pub const fn bytes(self, capacity_bytes: u64) -> u64 {
        match self {
            EvictionThreshold::Bytes(b) => b,
            EvictionThreshold::BasisPoints(bp) => {
                // u128: capacity (<= 2^50) x 10 000 fits u64 too, but stay obviously safe.
                let num = capacity_bytes as u128 * bp as u128;
                num.div_ceil(10_000) as u64
            }
        }
    }
}

impl Default for EvictionThreshold {
    fn default() -> Self {
        EvictionThreshold::Bytes(DEFAULT_EVICTION_HARD_MEMORY_BYTES)
    }
}

/// Everything a user can change about the computation (as they can set kubelet
/// parameters, S:5878-5880), plus the rounding policy.
///
/// Defaults: no overrides, `memory.available<100Mi`, the new memory rule uses the node's max
/// pods, CPU reservations rounded **up** to whole millicores (never reserve less than the
/// formula; the document has no half-millicore examples, A-R2), memory reservations rounded
/// **down** to whole MiB (the document prints 12 GiB -> 2252 MiB and 320 GiB -> 13475 MiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReservationConfig {
    kube_reserved_cpu_millis: Option<u64>,
    kube_reserved_memory_bytes: Option<u64>,
    eviction_hard_memory: EvictionThreshold,
    memory_rule_pods: Option<u32>,
    cpu_rounding: Rounding,
    memory_rounding: Rounding,
}

impl Default for ReservationConfig {
    fn default() -> Self {
        ReservationConfig::new()
    }
}

impl ReservationConfig {
    /// The defaults described on the type.
    #[must_use]
    pub const fn new() -> Self {
        ReservationConfig {
            kube_reserved_cpu_millis: None,
            kube_reserved_memory_bytes: None,
            eviction_hard_memory: EvictionThreshold::Bytes(DEFAULT_EVICTION_HARD_MEMORY_BYTES),
            memory_rule_pods: None,
            cpu_rounding: Rounding::Ceil,
            memory_rounding: Rounding::Floor,
        }
    }

    /// A user `--kube-reserved=cpu=...` value, replacing the computed CPU reservation.
    #[must_use]
    pub const fn with_kube_reserved_cpu_millis(mut self, millis: u64) -> Self {
        self.kube_reserved_cpu_millis = Some(millis);
        self
    }

    /// A user `--kube-reserved=memory=...` value, replacing the computed memory reservation.
    #[must_use]
    pub const fn with_kube_reserved_memory_bytes(mut self, bytes: u64) -> Self {
        self.kube_reserved_memory_bytes = Some(bytes);
        self
    }

    /// A user `--eviction-hard=memory.available<...` value.
    #[must_use]
    pub const fn with_eviction_hard_memory(mut self, threshold: EvictionThreshold) -> Self {
        self.eviction_hard_memory = threshold;
        self
    }

    /// The pod count of the new memory rule, when it should differ from the node's max pods.
    #[must_use]
    pub const fn with_memory_rule_pods(mut self, pods: u32) -> Self {
        self.memory_rule_pods = Some(pods);
        self
    }

    /// How exact CPU reservations become whole millicores (default `Ceil`).
    #[must_use]
    pub const fn with_cpu_rounding(mut self, rounding: Rounding) -> Self {
        self.cpu_rounding = rounding;
        self
    }

    /// How exact memory reservations become whole MiB (default `Floor`).
    #[must_use]
    pub const fn with_memory_rounding(mut self, rounding: Rounding) -> Self {
        self.memory_rounding = rounding;
        self
    }

    /// The `kube-reserved` CPU override, if any.
    #[must_use]
    pub const fn kube_reserved_cpu_millis(&self) -> Option<u64> {
        self.kube_reserved_cpu_millis
    }

    /// The `kube-reserved` memory override, if any.
    #[must_use]
    pub const fn kube_reserved_memory_bytes(&self) -> Option<u64> {
        self.kube_reserved_memory_bytes
    }

    /// The `eviction-hard` memory threshold.
    #[must_use]
    pub const fn eviction_hard_memory(&self) -> EvictionThreshold {
        self.eviction_hard_memory
    }

    /// The pod count override of the new memory rule, if any.
    #[must_use]
    pub const fn memory_rule_pods(&self) -> Option<u32> {
        self.memory_rule_pods
    }

    /// The CPU rounding mode.
    #[must_use]
    pub const fn cpu_rounding(&self) -> Rounding {
        self.cpu_rounding
    }

    /// The memory rounding mode.
    #[must_use]
    pub const fn memory_rounding(&self) -> Rounding {
        self.memory_rounding
    }
}

/// The result: what the node's kubelet reserves and what pods can be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Allocatable {
    /// The input capacity.
    pub capacity: NodeResources,
    /// The node's max pods (`capacity.pods` = `allocatable.pods`).
    pub pods: u32,
    /// `kube-reserved` CPU in millicores (rounded, or the user override).
    pub reserved_cpu_millis: u64,
    /// `kube-reserved` memory in bytes (rounded to MiB, or the user override).
    pub reserved_memory_bytes: u64,
    /// `eviction-hard` `memory.available` in bytes.
    pub eviction_memory_bytes: u64,
    /// Allocatable CPU in millicores.
    pub cpu_millis: u64,
    /// Allocatable memory in bytes.
    pub memory_bytes: u64,
    /// Which term of the memory rule won (`None` when the user overrode it).
    pub memory_term: Option<MemoryTerm>,
}

/// Computes node allocatable for `capacity` under `algorithm`.
///
/// `max_pods` is the node's max pods (kubelet `max-pods`; see [`crate::max_pods`]); it is the
/// node's pod allocatable and, unless [`ReservationConfig::with_memory_rule_pods`] says
/// otherwise, the pod count of the new memory rule. CPU has no eviction term (kubelet has no
/// CPU eviction signal; A-R7). Ephemeral storage is not computed: the document gives no
/// rule (A-R8).
///
/// Errors: zero or absurd capacity, capacity outside the documented tiers (below 1 core /
/// 1 GiB), `max_pods == 0`, or a result that would be negative.
///
/// ```
/// use tke_reserve::{allocatable, NodeResources, ReservationAlgorithm, ReservationConfig, MIB};
/// // 8 cores / 16 GiB, new algorithm, 64 pods: 90m and min(2662.4, 1536) MiB reserved.
/// let a = allocatable(ReservationAlgorithm::New, NodeResources::from_cores_gib(8, 16), 64,
///                     &ReservationConfig::default())?;
/// assert_eq!(a.cpu_millis, 7910);
/// assert_eq!(a.memory_bytes, 14748 * MIB);
/// # Ok::<(), tke_reserve::Error>(())
/// ```
#[inline]
pub fn allocatable(
    algorithm: ReservationAlgorithm,
    capacity: NodeResources,
    max_pods: u32,
    config: &ReservationConfig,
) -> Result<Allocatable, Error> {
    let capacity = capacity.validate()?;
    if max_pods == 0 {
        return Err(Error::OutOfRange {
            field: "max_pods",
            value: 0,
            reason: "a node must allow at least one pod",
        });
    }
    let reserved_cpu_millis = match config.kube_reserved_cpu_millis {
        Some(millis) => millis,
        None => reserved_cpu(algorithm, capacity.cpu_millis)?.millis(config.cpu_rounding),
    };
    let (reserved_memory_bytes, memory_term) = match config.kube_reserved_memory_bytes {
        Some(bytes) => (bytes, None),
        None => {
            let pods = config.memory_rule_pods.unwrap_or(max_pods);
            let r = reserved_memory(algorithm, capacity.memory_bytes, pods)?;
            (r.mib(config.memory_rounding) * MIB, Some(r.term))
        }
    };
    if let EvictionThreshold::BasisPoints(bp) = config.eviction_hard_memory
        && bp > 10_000
    {
        return Err(Error::OutOfRange {
            field: "eviction_hard.memory.available",
            value: u64::from(bp),
            reason: "a percentage threshold is at most 100% (10000 basis points)",
        });
    }
    let eviction_memory_bytes = config.eviction_hard_memory.bytes(capacity.memory_bytes);

    let cpu_millis =
        capacity
            .cpu_millis
            .checked_sub(reserved_cpu_millis)
            .ok_or(Error::NegativeAllocatable {
                resource: Resource::Cpu,
                capacity: capacity.cpu_millis,
                reserved: reserved_cpu_millis,
                eviction: 0,
            })?;
    let memory_bytes = capacity
        .memory_bytes
        .checked_sub(reserved_memory_bytes)
        .and_then(|m| m.checked_sub(eviction_memory_bytes))
        .ok_or(Error::NegativeAllocatable {
            resource: Resource::Memory,
            capacity: capacity.memory_bytes,
            reserved: reserved_memory_bytes,
            eviction: eviction_memory_bytes,
        })?;
    Ok(Allocatable {
        capacity,
        pods: max_pods,
        reserved_cpu_millis,
        reserved_memory_bytes,
        eviction_memory_bytes,
        cpu_millis,
        memory_bytes,
        memory_term,
    })
}
