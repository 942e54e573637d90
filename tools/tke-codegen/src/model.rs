//! The API model as read from `api.json`, and what the generator derives from it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

/// `api.json`. Maps are `BTreeMap`s so every walk over them is in name order.
#[derive(Debug, Deserialize)]
pub(crate) struct Api {
    pub(crate) actions: BTreeMap<String, ActionDef>,
    pub(crate) objects: BTreeMap<String, ObjectDef>,
    pub(crate) metadata: Metadata,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ActionDef {
    pub(crate) input: String,
    pub(crate) output: String,
    #[serde(default)]
    pub(crate) status: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ObjectDef {
    pub(crate) members: Vec<Member>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Member {
    pub(crate) name: String,
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) member: String,
    #[serde(default)]
    pub(crate) required: bool,
    #[serde(default)]
    pub(crate) disabled: bool,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Metadata {
    #[serde(rename = "apiVersion")]
    pub(crate) api_version: String,
    #[serde(rename = "serviceShortName")]
    pub(crate) service: String,
}

/// A scalar of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scalar {
    /// `string`, `datetime`, `datetime_iso`: all kept as `String`.
    Str,
    I64,
    U64,
    F64,
    Bool,
}

/// The element type of a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Elem {
    Scalar(Scalar),
    Object(String),
}

/// A member's shape: element type, list or not, and the model's name of the element type
/// (for docs).
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    pub(crate) elem: Elem,
    pub(crate) list: bool,
    pub(crate) model_type: String,
}

impl Shape {
    pub(crate) fn of(member: &Member, api: &Api) -> Result<Shape, String> {
        let scalar = match member.member.as_str() {
            "string" | "datetime" | "datetime_iso" => Some(Scalar::Str),
            "int64" => Some(Scalar::I64),
            "uint64" => Some(Scalar::U64),
            "float" => Some(Scalar::F64),
            "bool" => Some(Scalar::Bool),
            _ => None,
        };
        let elem = match scalar {
            Some(s) => Elem::Scalar(s),
            None if api.objects.contains_key(&member.member) => Elem::Object(member.member.clone()),
            None => {
                return Err(format!(
                    "member {} has unknown type {}",
                    member.name, member.member
                ));
            }
        };
        let list = match (member.kind.as_str(), &elem) {
            ("list", _) => true,
            ("object", Elem::Object(_)) => false,
            ("string", Elem::Scalar(Scalar::Str))
            | ("int", Elem::Scalar(Scalar::I64 | Scalar::U64))
            | ("float", Elem::Scalar(Scalar::F64))
            | ("bool", Elem::Scalar(Scalar::Bool)) => false,
            (kind, _) => {
                return Err(format!(
                    "member {} has type {kind} with element {}",
                    member.name, member.member
                ));
            }
        };
        Ok(Shape {
            elem,
            list,
            model_type: member.member.clone(),
        })
    }
}

/// Which side of the API a struct is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// Sent in requests (possibly also received): optional members are `Option`, lists
    /// included, so "unset" and "empty" differ.
    Request,
    /// Only received: scalars and objects are `Option`, lists are plain `Vec`.
    Response,
}

/// Names of objects reachable from the given roots (roots included).
pub(crate) fn reachable<'a>(
    api: &'a Api,
    roots: impl Iterator<Item = &'a str>,
) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&str> = roots.collect();
    while let Some(name) = stack.pop() {
        if !seen.insert(name) {
            continue;
        }
        if let Some(obj) = api.objects.get(name) {
            for m in &obj.members {
                if let Some((key, _)) = api.objects.get_key_value(&m.member) {
                    stack.push(key.as_str());
                }
            }
        }
    }
    seen
}

/// Fails when an object contains itself (directly or not); such a type would need boxing,
/// which the generator does not emit because no pinned model needs it.
pub(crate) fn check_acyclic(api: &Api) -> Result<(), String> {
    for name in api.objects.keys() {
        let inner = reachable(
            api,
            api.objects[name].members.iter().map(|m| m.member.as_str()),
        );
        if inner.contains(name.as_str()) {
            return Err(format!(
                "object {name} is recursive: teach the generator to box it"
            ));
        }
    }
    Ok(())
}
