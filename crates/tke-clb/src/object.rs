//! Identity of the Kubernetes objects that contribute to a CLB.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Kind of a Kubernetes object that can own CLB configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ObjectKind {
    /// `v1/Service`.
    Service,
    /// `networking.k8s.io/v1/Ingress`.
    Ingress,
}

impl ObjectKind {
    /// Short lower-case tag used in generated listener names (`svc` / `ing`).
    pub fn tag(self) -> &'static str {
        match self {
            ObjectKind::Service => "svc",
            ObjectKind::Ingress => "ing",
        }
    }
}

/// `kind namespace/name` of a Service or Ingress; used in every error and ownership record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectRef {
    /// Object kind.
    pub kind: ObjectKind,
    /// Namespace (`default` when the manifest omits it).
    pub namespace: String,
    /// Object name.
    pub name: String,
}

impl ObjectRef {
    /// A Service reference.
    pub fn service(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        ObjectRef {
            kind: ObjectKind::Service,
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    /// An Ingress reference.
    pub fn ingress(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        ObjectRef {
            kind: ObjectKind::Ingress,
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    /// Reference built from object metadata (namespace defaults to `default`).
    pub(crate) fn from_meta(
        kind: ObjectKind,
        meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    ) -> Self {
        ObjectRef {
            kind,
            namespace: meta
                .namespace
                .clone()
                .unwrap_or_else(|| "default".to_owned()),
            name: meta.name.clone().unwrap_or_default(),
        }
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            ObjectKind::Service => "Service",
            ObjectKind::Ingress => "Ingress",
        };
        write!(f, "{kind} {}/{}", self.namespace, self.name)
    }
}

/// A list of objects, displayed comma-separated (used in conflict errors).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ObjectList(pub Vec<ObjectRef>);

impl fmt::Display for ObjectList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, o) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{o}")?;
        }
        Ok(())
    }
}
