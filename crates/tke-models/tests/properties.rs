//! Property tests of the generated types' wire behaviour.
#![cfg(feature = "tke-v20180525")]
// Strategies and helpers outside `#[test]` functions unwrap too.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use serde_json::{Value, json};
use tke_models::envelope::decode_response;
use tke_models::tke::v20180525::{DescribeClustersRequest, DescribeClustersResponse, Filter};

/// Any JSON value, nested a few levels.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[A-Za-z]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn any_request() -> impl Strategy<Value = DescribeClustersRequest> {
    (
        prop::option::of(prop::collection::vec(".{0,8}", 0..3)),
        prop::option::of(any::<i64>()),
        prop::option::of(any::<i64>()),
        prop::option::of(prop::collection::vec(
            (".{0,6}", prop::collection::vec(".{0,6}", 0..3)),
            0..3,
        )),
        prop::option::of(".{0,8}"),
    )
        .prop_map(
            |(ids, offset, limit, filters, cluster_type)| DescribeClustersRequest {
                cluster_ids: ids,
                offset,
                limit,
                filters: filters.map(|f| {
                    f.into_iter()
                        .map(|(name, values)| Filter { name, values })
                        .collect()
                }),
                cluster_type,
            },
        )
}

/// Member names of a `Cluster` the odd values are put under (every scalar kind, an object,
/// lists of scalars and of objects) plus one the model does not know.
const CLUSTER_MEMBERS: &[&str] = &[
    "ClusterId",
    "ClusterNodeNum",
    "ProjectId",
    "DeletionProtection",
    "ClusterNetworkSettings",
    "TagSpecification",
    "CreatedTime",
    "Property",
    "NotInTheModel",
];

proptest! {
    /// Encoding then decoding a request gives it back, and exactly the set members are sent.
    #[test]
    fn requests_round_trip(req in any_request()) {
        let value = serde_json::to_value(&req).unwrap();
        let back: DescribeClustersRequest = serde_json::from_value(value.clone()).unwrap();
        prop_assert_eq!(&back, &req);
        let keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        let mut want = Vec::new();
        for (name, set) in [
            ("ClusterIds", req.cluster_ids.is_some()),
            ("ClusterType", req.cluster_type.is_some()),
            ("Filters", req.filters.is_some()),
            ("Limit", req.limit.is_some()),
            ("Offset", req.offset.is_some()),
        ] {
            if set {
                want.push(name);
            }
        }
        prop_assert_eq!(keys, want);
    }

    /// Whatever JSON value arrives in a member, the response still decodes; the other members
    /// keep their values.
    #[test]
    fn odd_members_never_fail_a_response(
        member in prop::sample::select(CLUSTER_MEMBERS),
        odd in any_json(),
        total in any_json(),
    ) {
        let mut cluster = json!({"ClusterId": "cls-1", "ClusterName": "prod", "ClusterNodeNum": 3});
        cluster[member] = odd;
        let body = json!({"Response": {"Clusters": [cluster], "TotalCount": total, "RequestId": "r"}});
        let resp = decode_response::<DescribeClustersResponse>(body.to_string().as_bytes())
            .unwrap()
            .unwrap();
        prop_assert_eq!(resp.request_id.as_str(), "r");
        prop_assert_eq!(resp.clusters.len(), 1);
        prop_assert_eq!(resp.clusters[0].cluster_name.as_deref(), Some("prod"));
    }

    /// Integers decode the same whether sent as numbers or as text.
    #[test]
    fn numbers_as_text(n in any::<i64>()) {
        let as_number = json!({"Response": {"TotalCount": n, "RequestId": "r"}}).to_string();
        let as_text = json!({"Response": {"TotalCount": n.to_string(), "RequestId": "r"}}).to_string();
        let a = decode_response::<DescribeClustersResponse>(as_number.as_bytes()).unwrap().unwrap();
        let b = decode_response::<DescribeClustersResponse>(as_text.as_bytes()).unwrap().unwrap();
        prop_assert_eq!(a.total_count, Some(n));
        prop_assert_eq!(b.total_count, Some(n));
    }

    /// Strings decode whatever scalar is sent in their place, as its JSON text.
    #[test]
    fn scalars_as_strings(v in prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::Bool),
    ]) {
        let body = json!({"Response": {"Clusters": [{"ClusterId": v.clone()}]}}).to_string();
        let resp = decode_response::<DescribeClustersResponse>(body.as_bytes()).unwrap().unwrap();
        prop_assert_eq!(resp.clusters[0].cluster_id.clone(), Some(v.to_string()));
    }
}
