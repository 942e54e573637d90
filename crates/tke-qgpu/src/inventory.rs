//! GPU node inventory: supported models and drivers, node isolation policy, cards.
//!
//! A [`GpuNode`] is built either from plain values ([`GpuNode::new`]) or from a Kubernetes
//! [`Node`] plus a card inventory ([`GpuNode::from_k8s_node`]), because the `Node` object does
//! not list individual cards (the `gpu.elasticgpu.io` CRD that did is deprecated, spec A.3).

use k8s_openapi::api::core::v1::Node;

use crate::error::{QgpuError, Result};
use crate::quantity::parse_whole;
use crate::request::{QGPU_CORE, QGPU_CORE_GREEDY};

/// Node label selecting the qGPU isolation policy (spec A.6).
pub const SCHEDULE_POLICY_LABEL: &str = "tke.cloud.tencent.com/qgpu-schedule-policy";
/// Node label that marks qGPU-enabled nodes (inferred from the exporter's nodeSelector, E-A10).
pub const DEVICE_ENABLE_LABEL: &str = "qgpu-device-enable";
/// qGPU devices one physical GPU can hold (spec A.5 rule 3).
pub const MAX_DEVICES_PER_GPU: u8 = 16;
/// Compute of one card, in qgpu-core units (percent).
pub const CORE_PER_GPU: u8 = 100;
/// Default MiB per qgpu-memory unit: "1G" (spec A.5; see E-A1 for the 128 MiB variant).
pub const DEFAULT_MEMORY_UNIT_MIB: u32 = 1024;

/// A GPU model on which qGPU is supported, with its CVM instance family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GpuModel {
    /// Model name as written in the documentation, e.g. `T4`.
    pub name: &'static str,
    /// CVM instance family the model comes in, e.g. `Gn7`.
    pub instance_family: &'static str,
}

/// GPU models supported by qGPU ("使用 qGPU" page, L17559).
///
/// The normal-node page (L6343) lists only T4, V100, L20, L40 and L40s; the qGPU page is the
/// specific one, so all seven are accepted here (contradiction E-A3).
pub const SUPPORTED_MODELS: &[GpuModel] = &[
    GpuModel {
        name: "V100",
        instance_family: "Gn10x",
    },
    GpuModel {
        name: "T4",
        instance_family: "Gn7",
    },
    GpuModel {
        name: "A100",
        instance_family: "GT4",
    },
    GpuModel {
        name: "A10",
        instance_family: "Pnv4",
    },
    GpuModel {
        name: "L20",
        instance_family: "Pnv5b",
    },
    GpuModel {
        name: "L40",
        instance_family: "Pnv5i",
    },
    GpuModel {
        name: "L40s",
        instance_family: "Pnv5",
    },
];

/// NVIDIA driver versions supported by qGPU (L17561–17569).
pub const SUPPORTED_DRIVERS: &[&str] = &[
    "450.102.04",
    "470.82.01",
    "515.65.01",
    "525.105.17",
    "535.154.05",
];

impl GpuModel {
    /// Looks a model up by name, case-insensitively (`v100` and `V100` both appear in the docs).
    pub fn find(name: &str) -> Option<GpuModel> {
        SUPPORTED_MODELS
            .iter()
            .copied()
            .find(|m| m.name.eq_ignore_ascii_case(name))
    }
}

/// Whether a driver version is one qGPU supports.
pub fn is_supported_driver(version: &str) -> bool {
    SUPPORTED_DRIVERS.contains(&version)
}

/// Compute isolation policy of a node, from the `tke.cloud.tencent.com/qgpu-schedule-policy` label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum IsolationPolicy {
    /// `best-effort` / `be` (default): contention, N busy pods get 1/N each.
    #[default]
    BestEffort,
    /// `fixed-share` / `fs`: each pod gets at most its quota.
    FixedShare,
    /// `burst-share` / `bs`: the quota is guaranteed and idle compute may be used on top.
    BurstShare,
}

impl IsolationPolicy {
    /// Parses a label value; full names and abbreviations are accepted, exactly as documented
    /// (lower case). `None` (no label) gives the default, `best-effort`.
    pub fn from_label(value: Option<&str>) -> Option<IsolationPolicy> {
        match value {
            None => Some(IsolationPolicy::BestEffort),
            Some("best-effort" | "be") => Some(IsolationPolicy::BestEffort),
            Some("fixed-share" | "fs") => Some(IsolationPolicy::FixedShare),
            Some("burst-share" | "bs") => Some(IsolationPolicy::BurstShare),
            Some(_) => None,
        }
    }

    /// The full label value.
    pub fn label_value(self) -> &'static str {
        match self {
            IsolationPolicy::BestEffort => "best-effort",
            IsolationPolicy::FixedShare => "fixed-share",
            IsolationPolicy::BurstShare => "burst-share",
        }
    }
}

/// One physical GPU of a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GpuCard {
    /// The card's model.
    pub model: GpuModel,
    /// Physical memory in MiB.
    pub memory_mib: u32,
}

impl GpuCard {
    /// A card of a supported model; `model` is matched case-insensitively.
    pub fn new(model: &str, memory_mib: u32) -> Option<GpuCard> {
        GpuModel::find(model).map(|model| GpuCard { model, memory_mib })
    }
}

/// A GPU node as the placement engine sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GpuNode {
    name: String,
    cards: Vec<GpuCard>,
    isolation: IsolationPolicy,
    qgpu_enabled: bool,
    mixing: bool,
    schedulable: bool,
    memory_unit_mib: u32,
    driver: Option<String>,
}

/// Extra facts about a node that the Kubernetes `Node` object does not carry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CardInventory {
    /// The node's GPUs, in device index order.
    pub cards: Vec<GpuCard>,
    /// NVIDIA driver version, if known; checked against [`SUPPORTED_DRIVERS`].
    pub driver: Option<String>,
    /// MiB per qgpu-memory unit; `None` means [`DEFAULT_MEMORY_UNIT_MIB`] (E-A1).
    pub memory_unit_mib: Option<u32>,
}

impl GpuNode {
    /// A schedulable, qGPU-enabled node without online/offline mixing, best-effort isolation and
    /// 1 GiB memory units. Use the `with_*` methods to change the defaults.
    pub fn new(name: impl Into<String>, cards: Vec<GpuCard>) -> Result<GpuNode> {
        let node = GpuNode {
            name: name.into(),
            cards,
            isolation: IsolationPolicy::BestEffort,
            qgpu_enabled: true,
            mixing: false,
            schedulable: true,
            memory_unit_mib: DEFAULT_MEMORY_UNIT_MIB,
            driver: None,
        };
        node.check()?;
        Ok(node)
    }

    /// Builds a node from a Kubernetes `Node` and its card inventory.
    ///
    /// * qGPU is enabled when the node advertises `tke.cloud.tencent.com/qgpu-core` in its
    ///   allocatable (or capacity) resources, or carries the label `qgpu-device-enable=enable`.
    ///   When advertised, qgpu-core must equal 100 per inventoried card.
    /// * Online/offline mixing is enabled when `tke.cloud.tencent.com/qgpu-core-greedy` is
    ///   advertised with a non-zero value (spec A.8 asks to check `kubectl describe node` for it).
    /// * The isolation policy comes from the `tke.cloud.tencent.com/qgpu-schedule-policy` label.
    /// * `spec.unschedulable` (cordoned) nodes take no pods.
    pub fn from_k8s_node(node: &Node, inventory: CardInventory) -> Result<GpuNode> {
        let name = node.metadata.name.clone().unwrap_or_default();
        let labels = node.metadata.labels.as_ref();
        let label = |key: &str| labels.and_then(|l| l.get(key)).map(String::as_str);
        let policy_label = label(SCHEDULE_POLICY_LABEL);
        let isolation =
            IsolationPolicy::from_label(policy_label).ok_or_else(|| QgpuError::InvalidNode {
                node: name.clone(),
                field: format!("label {SCHEDULE_POLICY_LABEL}"),
                value: policy_label.unwrap_or_default().to_owned(),
                reason: "expected best-effort/be, fixed-share/fs or burst-share/bs".into(),
            })?;
        let status = node.status.as_ref();
        let resource = |key: &str| -> Result<Option<u64>> {
            let quantity = status
                .and_then(|s| s.allocatable.as_ref().and_then(|a| a.get(key)))
                .or_else(|| status.and_then(|s| s.capacity.as_ref().and_then(|c| c.get(key))));
            quantity
                .map(|q| {
                    parse_whole(&q.0).map_err(|reason| QgpuError::InvalidNode {
                        node: name.clone(),
                        field: format!("allocatable {key}"),
                        value: q.0.clone(),
                        reason: reason.into(),
                    })
                })
                .transpose()
        };
        let core = resource(QGPU_CORE)?;
        let greedy = resource(QGPU_CORE_GREEDY)?;
        if let Some(core) = core {
            let expected = u64::from(CORE_PER_GPU) * inventory.cards.len() as u64;
            if core != 0 && core != expected {
                return Err(QgpuError::InvalidNode {
                    node: name,
                    field: format!("allocatable {QGPU_CORE}"),
                    value: core.to_string(),
                    reason: format!(
                        "does not match the card inventory ({} cards x 100 = {expected})",
                        inventory.cards.len()
                    ),
                });
            }
        }
        let enabled = core.is_some_and(|c| c > 0) || label(DEVICE_ENABLE_LABEL) == Some("enable");
        let schedulable = !node
            .spec
            .as_ref()
            .and_then(|s| s.unschedulable)
            .unwrap_or(false);
        let built = GpuNode {
            name,
            cards: inventory.cards,
            isolation,
            qgpu_enabled: enabled,
            mixing: greedy.is_some_and(|g| g > 0),
            schedulable,
            memory_unit_mib: inventory.memory_unit_mib.unwrap_or(DEFAULT_MEMORY_UNIT_MIB),
            driver: inventory.driver,
        };
        built.check()?;
        Ok(built)
    }

    /// Sets the isolation policy.
    pub fn with_isolation(mut self, isolation: IsolationPolicy) -> GpuNode {
        self.isolation = isolation;
        self
    }

    /// Enables or disables online/offline mixing (`qgpu-core-greedy` pool per card).
    pub fn with_mixing(mut self, mixing: bool) -> GpuNode {
        self.mixing = mixing;
        self
    }

    /// Marks the node schedulable (default) or cordoned.
    pub fn with_schedulable(mut self, schedulable: bool) -> GpuNode {
        self.schedulable = schedulable;
        self
    }

    /// Enables (default) or disables qGPU on the node.
    pub fn with_qgpu_enabled(mut self, enabled: bool) -> GpuNode {
        self.qgpu_enabled = enabled;
        self
    }

    /// Sets MiB per qgpu-memory unit (1024 by default; 128 per `gpu_mem_unit_mb`, E-A1).
    pub fn with_memory_unit_mib(mut self, unit: u32) -> Result<GpuNode> {
        self.memory_unit_mib = unit;
        self.check()?;
        Ok(self)
    }

    /// Sets the driver version, which must be supported.
    pub fn with_driver(mut self, driver: impl Into<String>) -> Result<GpuNode> {
        self.driver = Some(driver.into());
        self.check()?;
        Ok(self)
    }

    fn invalid(&self, field: &str, value: String, reason: &str) -> QgpuError {
        QgpuError::InvalidNode {
            node: self.name.clone(),
            field: field.into(),
            value,
            reason: reason.into(),
        }
    }

    fn check(&self) -> Result<()> {
        if self.name.is_empty() {
            return Err(self.invalid("metadata.name", String::new(), "a node needs a name"));
        }
        if self.cards.len() > usize::from(u8::MAX) {
            return Err(self.invalid(
                "cards",
                self.cards.len().to_string(),
                "at most 255 GPUs per node",
            ));
        }
        if self.memory_unit_mib == 0 {
            return Err(self.invalid("memory_unit_mib", "0".into(), "must be at least 1"));
        }
        if let Some(driver) = &self.driver
            && !is_supported_driver(driver)
        {
            return Err(self.invalid(
                "driver",
                driver.clone(),
                "qGPU supports drivers 450.102.04, 470.82.01, 515.65.01, 525.105.17, 535.154.05",
            ));
        }
        for (i, card) in self.cards.iter().enumerate() {
            if card.memory_mib < self.memory_unit_mib {
                return Err(self.invalid(
                    &format!("cards[{i}].memory_mib"),
                    card.memory_mib.to_string(),
                    "smaller than one qgpu-memory unit",
                ));
            }
        }
        Ok(())
    }

    /// Node name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The node's cards.
    pub fn cards(&self) -> &[GpuCard] {
        &self.cards
    }
    /// Compute isolation policy.
    pub fn isolation(&self) -> IsolationPolicy {
        self.isolation
    }
    /// Whether qGPU sharing is enabled.
    pub fn qgpu_enabled(&self) -> bool {
        self.qgpu_enabled
    }
    /// Whether online/offline mixing is enabled.
    pub fn mixing(&self) -> bool {
        self.mixing
    }
    /// Whether the node accepts new pods.
    pub fn schedulable(&self) -> bool {
        self.schedulable
    }
    /// MiB per qgpu-memory unit.
    pub fn memory_unit_mib(&self) -> u32 {
        self.memory_unit_mib
    }
    /// Driver version, if known.
    pub fn driver(&self) -> Option<&str> {
        self.driver.as_deref()
    }
    /// Memory of card `i` in qgpu-memory units (whole units only).
    pub fn card_memory_units(&self, i: usize) -> Option<u32> {
        self.cards
            .get(i)
            .map(|c| c.memory_mib / self.memory_unit_mib)
    }
}

/// Native-node patch minima: (minor, patch, tke revision) (L7885–7889).
const NATIVE_NODE_MINIMA: &[(u32, u32, u32)] = &[(16, 3, 28), (18, 4, 26), (20, 6, 21)];

/// Whether a cluster's Kubernetes version can run qGPU, e.g. `v1.18.4-tke.26`.
///
/// The qGPU page asks for TKE ≥ v1.14.x, but qGPU runs only on native nodes, which need
/// Kubernetes ≥ 1.16 and, for 1.16/1.18/1.20, at least v1.16.3-tke.28, v1.18.4-tke.26 and
/// v1.20.6-tke.21 (contradiction E-A4, resolved by the stricter native-node rule). A later
/// patch counts as "above" whatever its tke revision. Returns an error for a malformed string.
///
/// ```
/// use tke_qgpu::inventory::kubernetes_version_supported;
/// assert_eq!(kubernetes_version_supported("v1.18.4-tke.26"), Ok(true));
/// assert_eq!(kubernetes_version_supported("v1.18.4-tke.25"), Ok(false));
/// assert_eq!(kubernetes_version_supported("1.14.3"), Ok(false));
/// assert!(kubernetes_version_supported("latest").is_err());
/// ```
pub fn kubernetes_version_supported(version: &str) -> Result<bool, &'static str> {
    let v = version.strip_prefix('v').unwrap_or(version);
    let (numbers, tke) = match v.split_once("-tke.") {
        Some((n, t)) => (n, t.parse::<u32>().map_err(|_| "malformed tke revision")?),
        None => (v, 0),
    };
    let mut parts = numbers.split('.');
    let mut number = |what: &'static str| -> Result<u32, &'static str> {
        parts.next().ok_or(what)?.parse::<u32>().map_err(|_| what)
    };
    let major = number("malformed major version")?;
    let minor = number("malformed minor version")?;
    let patch = match parts.next() {
        None => 0,
        Some(p) => p.parse::<u32>().map_err(|_| "malformed patch version")?,
    };
    if parts.next().is_some() {
        return Err("too many version components");
    }
    if major != 1 {
        return Ok(major > 1);
    }
    if minor < 16 {
        return Ok(false);
    }
    Ok(NATIVE_NODE_MINIMA
        .iter()
        .find(|(m, _, _)| *m == minor)
        .is_none_or(|(_, p, t)| (patch, tke) >= (*p, *t)))
}
