//! The table of Offset/Limit paged actions.
//!
//! Rules, applied to every action of a model version:
//! 1. An action pages when its request has integer members `Offset` and `Limit`.
//! 2. Its items are the response's only list member whose elements are objects.
//! 3. Its total is the response's integer member `TotalCount`, else `Total`, else none.
//!
//! [`OVERRIDES`] settles the actions where the rules find no answer or a wrong one. The
//! generator fails when an Offset/Limit action fits no rule and has no override, or when
//! an override names an action that is not Offset/Limit paged, so the table stays complete
//! and honest when the model is updated.

use std::collections::BTreeMap;

use crate::model::{Api, Elem, Scalar, Shape};

/// How one action's paging was settled by hand.
enum Override {
    /// Offset/Limit but not a list: the reason is kept in the generator only.
    NotPaged(&'static str),
    /// Items and total named explicitly.
    Paged {
        items: &'static str,
        total: Option<&'static str>,
    },
}

/// `(product/version, action, override)`.
const OVERRIDES: &[(&str, &str, Override)] = &[
    (
        "tke/v20180525",
        "CheckInstancesUpgradeAble",
        // Two object lists: the second (`UnavailableVersionReason`) explains the result.
        Override::Paged {
            items: "UpgradeAbleInstances",
            total: Some("Total"),
        },
    ),
    (
        "tke/v20180525",
        "DescribeEdgeClusterInstances",
        Override::NotPaged("the instances come as one JSON document in the string InstanceInfoSet"),
    ),
    (
        "tke/v20180525",
        "DescribeLogConfigs",
        Override::NotPaged("the log configs come as one JSON document in the string LogConfigs"),
    ),
    (
        "clb/v20180317",
        "DescribeBlockIPList",
        // The total is named after the items.
        Override::Paged {
            items: "BlockedIPList",
            total: Some("BlockedIPCount"),
        },
    ),
];

/// The paging of one action.
#[derive(Debug, Clone)]
pub(crate) struct Paging {
    pub(crate) offset: String,
    pub(crate) limit: String,
    pub(crate) items: String,
    pub(crate) total: Option<String>,
    /// Rust type of one item.
    pub(crate) item_type: String,
}

/// Builds the paging table of one model version (`key` is `product/version`).
pub(crate) fn table(key: &str, api: &Api) -> Result<BTreeMap<String, Paging>, String> {
    let mut out = BTreeMap::new();
    let mut used = 0;
    for (name, action) in &api.actions {
        let req = &api.objects[&action.input];
        let resp = &api.objects[&action.output];
        let int_member = |members: &[crate::model::Member], wire: &str| {
            members.iter().any(|m| m.name == wire && m.kind == "int")
        };
        if !(int_member(&req.members, "Offset") && int_member(&req.members, "Limit")) {
            continue;
        }
        let over = OVERRIDES
            .iter()
            .find(|(k, a, _)| *k == key && a == name)
            .map(|(_, _, o)| o);
        used += usize::from(over.is_some());
        let (items, total) = match over {
            Some(Override::NotPaged(reason)) => {
                eprintln!("tke-codegen: {key} {name}: has Offset/Limit but is not paged: {reason}");
                continue;
            }
            Some(Override::Paged { items, total }) => {
                ((*items).to_owned(), total.map(str::to_owned))
            }
            None => {
                let lists: Vec<&str> = resp
                    .members
                    .iter()
                    .filter(|m| m.kind == "list" && api.objects.contains_key(&m.member))
                    .map(|m| m.name.as_str())
                    .collect();
                let [items] = lists[..] else {
                    return Err(format!(
                        "{key} {name}: Offset/Limit action with object lists {lists:?}: \
                         add an entry to OVERRIDES in tools/tke-codegen/src/paging.rs"
                    ));
                };
                let total = ["TotalCount", "Total"]
                    .into_iter()
                    .find(|t| int_member(&resp.members, t))
                    .map(str::to_owned);
                (items.to_owned(), total)
            }
        };
        let items_member = resp
            .members
            .iter()
            .find(|m| m.name == items && m.kind == "list")
            .ok_or_else(|| format!("{key} {name}: no list member {items}"))?;
        if let Some(t) = &total
            && !int_member(&resp.members, t)
        {
            return Err(format!("{key} {name}: no integer member {t}"));
        }
        let item_type = match Shape::of(items_member, api)?.elem {
            Elem::Object(o) => o,
            Elem::Scalar(Scalar::Str) => "String".to_owned(),
            Elem::Scalar(s) => return Err(format!("{key} {name}: items of type {s:?}")),
        };
        out.insert(
            name.clone(),
            Paging {
                offset: "Offset".to_owned(),
                limit: "Limit".to_owned(),
                items,
                total,
                item_type,
            },
        );
    }
    let expected = OVERRIDES.iter().filter(|(k, _, _)| *k == key).count();
    if used != expected {
        return Err(format!(
            "{key}: {} of the {expected} paging overrides name no Offset/Limit action: \
             remove them from tools/tke-codegen/src/paging.rs",
            expected - used
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A model with one action `A` whose request and response have the given members
    /// (`(name, type, member)`); `Item` is an object type.
    fn api(req: &[(&str, &str, &str)], resp: &[(&str, &str, &str)]) -> Api {
        let members = |ms: &[(&str, &str, &str)]| {
            let list: Vec<_> = ms
                .iter()
                .map(|(n, t, m)| serde_json::json!({"name": n, "type": t, "member": m}))
                .collect();
            serde_json::json!({ "members": list })
        };
        serde_json::from_value(serde_json::json!({
            "actions": {"A": {"input": "ARequest", "output": "AResponse", "status": "online"}},
            "objects": {
                "ARequest": members(req),
                "AResponse": members(resp),
                "Item": members(&[("Id", "string", "string")]),
            },
            "metadata": {"apiVersion": "2000-01-01", "serviceShortName": "x"},
        }))
        .unwrap()
    }

    const OFFSET_LIMIT: &[(&str, &str, &str)] =
        &[("Offset", "int", "uint64"), ("Limit", "int", "int64")];

    #[test]
    fn rules() {
        // One object list and TotalCount.
        let t = table(
            "x/v1",
            &api(
                OFFSET_LIMIT,
                &[
                    ("Items", "list", "Item"),
                    ("Errors", "list", "string"),
                    ("Total", "int", "int64"),
                    ("TotalCount", "int", "int64"),
                ],
            ),
        )
        .unwrap();
        let p = &t["A"];
        assert_eq!(
            (p.items.as_str(), p.total.as_deref(), p.item_type.as_str()),
            ("Items", Some("TotalCount"), "Item")
        );
        // `Total` when there is no `TotalCount`; no total at all.
        let t = table(
            "x/v1",
            &api(
                OFFSET_LIMIT,
                &[("Items", "list", "Item"), ("Total", "int", "uint64")],
            ),
        )
        .unwrap();
        assert_eq!(t["A"].total.as_deref(), Some("Total"));
        let t = table("x/v1", &api(OFFSET_LIMIT, &[("Items", "list", "Item")])).unwrap();
        assert_eq!(t["A"].total, None);
        // Not paged without both Offset and Limit.
        let t = table(
            "x/v1",
            &api(&[("Limit", "int", "int64")], &[("Items", "list", "Item")]),
        )
        .unwrap();
        assert!(t.is_empty());
    }

    #[test]
    fn ambiguous_actions_need_an_override() {
        for resp in [
            &[("Items", "list", "Item"), ("More", "list", "Item")][..],
            &[("Blob", "string", "string")][..],
        ] {
            let err = table("x/v1", &api(OFFSET_LIMIT, resp)).unwrap_err();
            assert!(err.contains("OVERRIDES"), "{err}");
        }
    }

    #[test]
    fn stale_overrides_fail() {
        // The tke/v20180525 overrides name actions this model does not have.
        let err = table("tke/v20180525", &api(&[], &[])).unwrap_err();
        assert!(err.contains("paging overrides"), "{err}");
    }
}
