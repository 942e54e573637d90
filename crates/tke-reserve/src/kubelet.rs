//! The edge: Kubernetes quantities, kubelet flags and KubeletConfiguration fields.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use serde::{Deserialize, Serialize};

use crate::allocatable::{Allocatable, EvictionThreshold, ReservationConfig};
use crate::error::Error;
use crate::quantity::ParsedQuantity;
use crate::units::{GIB, KIB, MIB};

/// CPU millicores as a canonical quantity: whole cores as `"4"`, otherwise `"3900m"`.
#[must_use]
pub fn cpu_quantity(millis: u64) -> Quantity {
    Quantity(cpu_string(millis))
}

/// Memory bytes as a binary quantity: the largest of `Gi`, `Mi`, `Ki` that divides it,
/// otherwise plain bytes.
#[must_use]
pub fn memory_quantity(bytes: u64) -> Quantity {
    Quantity(memory_string(bytes))
}

fn cpu_string(millis: u64) -> String {
    if millis.is_multiple_of(1000) {
        (millis / 1000).to_string()
    } else {
        format!("{millis}m")
    }
}

fn memory_string(bytes: u64) -> String {
    if bytes == 0 {
        "0".to_owned()
    } else if bytes.is_multiple_of(GIB) {
        format!("{}Gi", bytes / GIB)
    } else if bytes.is_multiple_of(MIB) {
        format!("{}Mi", bytes / MIB)
    } else if bytes.is_multiple_of(KIB) {
        format!("{}Ki", bytes / KIB)
    } else {
        bytes.to_string()
    }
}

/// The kubelet settings that produce an [`Allocatable`], as KubeletConfiguration
/// (`kubelet.config.k8s.io/v1beta1`) fields. Serializes with the upstream field names
/// (`kubeReserved`, `evictionHard`, `maxPods`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KubeletConfigFields {
    /// `kubeReserved`: `cpu` and `memory`. TKE puts all of the reservation here and leaves
    /// `systemReserved` unset (S:5995-6003).
    pub kube_reserved: BTreeMap<String, String>,
    /// `evictionHard`: `memory.available`.
    pub eviction_hard: BTreeMap<String, String>,
    /// `maxPods`.
    pub max_pods: u32,
}

impl Allocatable {
    /// Allocatable CPU as a quantity.
    #[must_use]
    pub fn cpu_quantity(&self) -> Quantity {
        cpu_quantity(self.cpu_millis)
    }

    /// Allocatable memory as a quantity.
    #[must_use]
    pub fn memory_quantity(&self) -> Quantity {
        memory_quantity(self.memory_bytes)
    }

    /// Allocatable pods as a quantity.
    #[must_use]
    pub fn pods_quantity(&self) -> Quantity {
        Quantity(self.pods.to_string())
    }

    /// `node.status.allocatable`-style map (`cpu`, `memory`, `pods`).
    #[must_use]
    pub fn to_resource_list(&self) -> BTreeMap<String, Quantity> {
        BTreeMap::from([
            ("cpu".to_owned(), self.cpu_quantity()),
            ("memory".to_owned(), self.memory_quantity()),
            ("pods".to_owned(), self.pods_quantity()),
        ])
    }

    /// `--kube-reserved=cpu=100m,memory=1843Mi`.
    #[must_use]
    pub fn kube_reserved_flag(&self) -> String {
        format!(
            "--kube-reserved=cpu={},memory={}",
            cpu_string(self.reserved_cpu_millis),
            memory_string(self.reserved_memory_bytes)
        )
    }

    /// `--eviction-hard=memory.available<100Mi`.
    #[must_use]
    pub fn eviction_hard_flag(&self) -> String {
        format!(
            "--eviction-hard=memory.available<{}",
            memory_string(self.eviction_memory_bytes)
        )
    }

    /// `--max-pods=61`.
    #[must_use]
    pub fn max_pods_flag(&self) -> String {
        format!("--max-pods={}", self.pods)
    }

    /// The three flags, in that order.
    #[must_use]
    pub fn kubelet_flags(&self) -> [String; 3] {
        [
            self.kube_reserved_flag(),
            self.eviction_hard_flag(),
            self.max_pods_flag(),
        ]
    }

    /// The equivalent KubeletConfiguration fields.
    #[must_use]
    pub fn kubelet_config(&self) -> KubeletConfigFields {
        KubeletConfigFields {
            kube_reserved: BTreeMap::from([
                ("cpu".to_owned(), cpu_string(self.reserved_cpu_millis)),
                (
                    "memory".to_owned(),
                    memory_string(self.reserved_memory_bytes),
                ),
            ]),
            eviction_hard: BTreeMap::from([(
                "memory.available".to_owned(),
                memory_string(self.eviction_memory_bytes),
            )]),
            max_pods: self.pods,
        }
    }
}

const KUBE_RESERVED: &str = "kube-reserved";
const EVICTION_HARD: &str = "eviction-hard";

/// Resource names kubelet accepts in `--kube-reserved`.
const RESERVABLE: [&str; 4] = ["cpu", "memory", "ephemeral-storage", "pid"];
/// Eviction signals kubelet accepts in `--eviction-hard`.
const SIGNALS: [&str; 7] = [
    "memory.available",
    "nodefs.available",
    "nodefs.inodesFree",
    "imagefs.available",
    "imagefs.inodesFree",
    "containerfs.available",
    "pid.available",
];

impl ReservationConfig {
    /// Applies a user `--kube-reserved` value such as `cpu=200m,memory=1Gi` (the part after
    /// `=`; a leading `--kube-reserved=` is accepted too). `cpu` and `memory` replace the
    /// computed reservations; `ephemeral-storage` and `pid` are accepted and ignored (no
    /// rule uses them). Values are Kubernetes quantities, rounded up to millicores / bytes.
    pub fn with_kube_reserved(mut self, value: &str) -> Result<Self, Error> {
        let body = value.strip_prefix("--kube-reserved=").unwrap_or(value);
        for pair in body.split(',').filter(|p| !p.trim().is_empty()) {
            let (name, q) = pair.split_once('=').ok_or_else(|| {
                Error::invalid(
                    KUBE_RESERVED,
                    value,
                    format!("{pair:?} is not name=quantity"),
                )
            })?;
            let name = name.trim();
            if !RESERVABLE.contains(&name) {
                return Err(Error::invalid(
                    KUBE_RESERVED,
                    value,
                    format!(
                        "unknown resource {name:?} (allowed: cpu, memory, ephemeral-storage, pid)"
                    ),
                ));
            }
            let field = format!("{KUBE_RESERVED}.{name}");
            let parsed = ParsedQuantity::parse(&field, q.trim())?;
            let to_u64 = |v: i128| {
                u64::try_from(v)
                    .map_err(|_| Error::invalid(field.as_str(), q, "must not be negative"))
            };
            match name {
                "cpu" => self = self.with_kube_reserved_cpu_millis(to_u64(parsed.milli_ceil())?),
                "memory" => {
                    self = self.with_kube_reserved_memory_bytes(to_u64(parsed.value_ceil())?);
                }
                _ => {}
            }
        }
        Ok(self)
    }

    /// Applies a user `--eviction-hard` value such as `memory.available<200Mi` or
    /// `memory.available<10%,nodefs.available<10%` (a leading `--eviction-hard=` is accepted).
    /// Only `memory.available` affects allocatable; other known signals are accepted and
    /// ignored. Without `memory.available` the current threshold is kept (kubelet versions
    /// differ on whether unspecified signals keep their defaults; pass an explicit value to
    /// be sure). Percentages allow two decimals (`7.25%`).
    pub fn with_eviction_hard(mut self, value: &str) -> Result<Self, Error> {
        let body = value.strip_prefix("--eviction-hard=").unwrap_or(value);
        for item in body.split(',').filter(|p| !p.trim().is_empty()) {
            let (signal, threshold) = item.split_once('<').ok_or_else(|| {
                Error::invalid(
                    EVICTION_HARD,
                    value,
                    format!("{item:?} is not signal<threshold"),
                )
            })?;
            let signal = signal.trim();
            if !SIGNALS.contains(&signal) {
                return Err(Error::invalid(
                    EVICTION_HARD,
                    value,
                    format!("unknown eviction signal {signal:?}"),
                ));
            }
            if signal != "memory.available" {
                continue;
            }
            let field = format!("{EVICTION_HARD}.memory.available");
            let threshold = threshold.trim();
            let parsed = if let Some(pct) = threshold.strip_suffix('%') {
                EvictionThreshold::BasisPoints(parse_percent_bp(pct).ok_or_else(|| {
                    Error::invalid(
                        field.as_str(),
                        threshold,
                        "expected a percentage 0-100 with at most two decimals",
                    )
                })?)
            } else {
                let q = ParsedQuantity::parse(&field, threshold)?;
                EvictionThreshold::Bytes(u64::try_from(q.value_ceil()).map_err(|_| {
                    Error::invalid(field.as_str(), threshold, "must not be negative")
                })?)
            };
            self = self.with_eviction_hard_memory(parsed);
        }
        Ok(self)
    }
}

/// `"10"` -> 1000, `"7.25"` -> 725; at most two decimals, at most 100%.
fn parse_percent_bp(s: &str) -> Option<u32> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty()
        || frac.len() > 2
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let int: u32 = int.parse().ok()?;
    let frac: u32 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().ok()?
    };
    let bp = int.checked_mul(100)?.checked_add(frac)?;
    (bp <= 10_000).then_some(bp)
}
