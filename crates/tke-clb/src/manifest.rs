//! Loading objects from (multi-document) YAML manifests.

use crate::error::ClbError;
use crate::inputs::Inputs;
use crate::tke_service_config::{self, TkeServiceConfig};
use k8s_openapi::api::core::v1::{Node, Secret, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::Ingress;
use serde::Deserialize;
use serde_json::{Map, Value};

/// One object of a manifest, typed by `apiVersion` and `kind`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Object {
    /// `v1/Service`.
    Service(Box<Service>),
    /// `networking.k8s.io/v1/Ingress` (v1beta1 and extensions/v1beta1 are converted).
    Ingress(Box<Ingress>),
    /// `v1/Node`.
    Node(Box<Node>),
    /// `discovery.k8s.io/v1/EndpointSlice`.
    EndpointSlice(Box<EndpointSlice>),
    /// `v1/Secret`.
    Secret(Box<Secret>),
    /// `cloud.tencent.com/v1alpha1/TkeServiceConfig`.
    TkeServiceConfig(Box<TkeServiceConfig>),
    /// Anything else (Deployments, ...), kept by type only.
    Other {
        /// `apiVersion`.
        api_version: String,
        /// `kind`.
        kind: String,
    },
}

/// Parse every document of a YAML stream. Each document yields its own result, so one broken
/// document does not hide the others. Empty documents are skipped.
pub fn parse_manifest(yaml: &str) -> Vec<Result<Object, ClbError>> {
    let mut out = Vec::new();
    for (index, doc) in serde_norway::Deserializer::from_str(yaml).enumerate() {
        let value = match Value::deserialize(doc) {
            Ok(Value::Null) => continue,
            Ok(v) => v,
            Err(e) => {
                out.push(Err(ClbError::Manifest {
                    index,
                    reason: e.to_string(),
                }));
                // A syntax error ends the stream: later documents cannot be located reliably.
                break;
            }
        };
        out.push(typed(value).map_err(|reason| ClbError::Manifest { index, reason }));
    }
    out
}

fn from_value<T: serde::de::DeserializeOwned>(v: Value) -> Result<Box<T>, String> {
    serde_json::from_value(v)
        .map(Box::new)
        .map_err(|e| e.to_string())
}

fn typed(mut v: Value) -> Result<Object, String> {
    let api_version = v
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let kind = v
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    Ok(match (api_version.as_str(), kind.as_str()) {
        ("v1", "Service") => Object::Service(from_value(v)?),
        ("v1", "Node") => Object::Node(from_value(v)?),
        ("v1", "Secret") => Object::Secret(from_value(v)?),
        ("discovery.k8s.io/v1", "EndpointSlice") => Object::EndpointSlice(from_value(v)?),
        ("networking.k8s.io/v1", "Ingress") => Object::Ingress(from_value(v)?),
        ("networking.k8s.io/v1beta1" | "extensions/v1beta1", "Ingress") => {
            ingress_v1beta1_to_v1(&mut v);
            Object::Ingress(from_value(v)?)
        }
        (tke_service_config::API_VERSION, tke_service_config::KIND) => {
            Object::TkeServiceConfig(from_value(v)?)
        }
        ("", _) | (_, "") => return Err("document has no apiVersion or kind".to_owned()),
        _ => Object::Other { api_version, kind },
    })
}

/// Rewrite a v1beta1 Ingress (`serviceName`/`servicePort`, `spec.backend`, optional `pathType`)
/// into the v1 shape.
fn ingress_v1beta1_to_v1(v: &mut Value) {
    fn backend(b: &mut Value) {
        let Some(obj) = b.as_object_mut() else { return };
        let name = obj.remove("serviceName");
        let port = obj.remove("servicePort");
        if let Some(name) = name {
            let mut port_obj = Map::new();
            match port {
                Some(Value::Number(n)) => {
                    port_obj.insert("number".to_owned(), Value::Number(n));
                }
                Some(Value::String(s)) => match s.parse::<i64>() {
                    Ok(n) => {
                        port_obj.insert("number".to_owned(), Value::from(n));
                    }
                    Err(_) => {
                        port_obj.insert("name".to_owned(), Value::String(s));
                    }
                },
                _ => {}
            }
            let mut svc = Map::new();
            svc.insert("name".to_owned(), name);
            svc.insert("port".to_owned(), Value::Object(port_obj));
            obj.insert("service".to_owned(), Value::Object(svc));
        }
    }
    if let Some(obj) = v.as_object_mut() {
        obj.insert("apiVersion".to_owned(), Value::from("networking.k8s.io/v1"));
    }
    let Some(spec) = v.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(mut b) = spec.remove("backend") {
        backend(&mut b);
        spec.insert("defaultBackend".to_owned(), b);
    }
    if let Some(rules) = spec.get_mut("rules").and_then(Value::as_array_mut) {
        for rule in rules {
            let paths = rule
                .get_mut("http")
                .and_then(|h| h.get_mut("paths"))
                .and_then(Value::as_array_mut);
            for p in paths.into_iter().flatten() {
                if let Some(b) = p.get_mut("backend") {
                    backend(b);
                }
                if let Some(po) = p.as_object_mut() {
                    po.entry("pathType")
                        .or_insert_with(|| Value::from("ImplementationSpecific"));
                }
            }
        }
    }
}

impl Inputs {
    /// Add every supported object of a YAML manifest; returns the documents that failed.
    /// Unsupported kinds (Deployments, ...) are skipped silently.
    pub fn add_manifest(&mut self, yaml: &str) -> Vec<ClbError> {
        let mut errors = Vec::new();
        for r in parse_manifest(yaml) {
            match r {
                Ok(o) => self.add(o),
                Err(e) => errors.push(e),
            }
        }
        errors
    }

    /// Add one typed object.
    pub fn add(&mut self, o: Object) {
        match o {
            Object::Service(s) => self.services.push(*s),
            Object::Ingress(i) => self.ingresses.push(*i),
            Object::Node(n) => self.nodes.push(*n),
            Object::EndpointSlice(e) => self.endpoint_slices.push(*e),
            Object::Secret(s) => self.secrets.push(*s),
            Object::TkeServiceConfig(c) => self.tke_service_configs.push(*c),
            Object::Other { .. } => {}
        }
    }
}
