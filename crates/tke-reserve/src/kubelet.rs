//! The edge: Kubernetes quantities, kubelet flags and KubeletConfiguration fields.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use serde::{Deserialize, Serialize};

use crate::allocatable::Allocatable;
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
