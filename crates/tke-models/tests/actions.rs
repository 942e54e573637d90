//! The `Action`, `ApiResponse` and `Paginated` implementations of the generated types.

#[cfg(feature = "tke-v20180525")]
mod tke_v20180525 {
    use tke_models::envelope::decode_response;
    use tke_models::tke::v20180525::*;
    use tke_models::{Action, ApiResponse, Paginated, Pagination};

    #[test]
    fn action_constants() {
        assert_eq!(
            (
                DescribeClustersRequest::SERVICE,
                DescribeClustersRequest::VERSION,
                DescribeClustersRequest::ACTION
            ),
            ("tke", "2018-05-25", "DescribeClusters")
        );
        assert_eq!(
            (SERVICE, VERSION, ACTIONS.len()),
            ("tke", "2018-05-25", 272)
        );
        // Read-only by name prefix; idempotency token where the request has `ClientToken`.
        let cases = [
            (
                DescribeClustersRequest::READ_ONLY,
                DescribeClustersRequest::IDEMPOTENCY_TOKEN,
                true,
                None,
            ),
            (
                CreateClusterRequest::READ_ONLY,
                CreateClusterRequest::IDEMPOTENCY_TOKEN,
                false,
                None,
            ),
            (
                GetUpgradeInstanceProgressRequest::READ_ONLY,
                None,
                true,
                None,
            ),
            (
                CheckInstancesUpgradeAbleRequest::READ_ONLY,
                None,
                true,
                None,
            ),
            (
                ListClusterInspectionResultsRequest::READ_ONLY,
                None,
                true,
                None,
            ),
            (AcquireClusterAdminRoleRequest::READ_ONLY, None, false, None),
            (
                ForwardTKEEdgeApplicationRequestV3Request::READ_ONLY,
                None,
                false,
                None,
            ),
            (
                CreateReservedInstancesRequest::READ_ONLY,
                CreateReservedInstancesRequest::IDEMPOTENCY_TOKEN,
                false,
                Some("ClientToken"),
            ),
        ];
        for (i, (ro, token, want_ro, want_token)) in cases.into_iter().enumerate() {
            assert_eq!((ro, token), (want_ro, want_token), "case {i}");
        }
        assert!(
            ACTIONS.windows(2).all(|w| w[0] < w[1]),
            "ACTIONS sorted and unique"
        );
    }

    #[test]
    fn describe_clusters_pages() {
        assert_eq!(
            DescribeClustersRequest::PAGINATION,
            Pagination {
                offset_field: "Offset",
                limit_field: "Limit",
                items_field: "Clusters",
                total_field: Some("TotalCount"),
            }
        );
        let mut req = DescribeClustersRequest::default();
        assert_eq!(
            (Paginated::offset(&req), Paginated::limit(&req)),
            (None, None)
        );
        req.set_offset(40);
        req.set_limit(20);
        assert_eq!((req.offset, req.limit), (Some(40), Some(20)));
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"Offset":40,"Limit":20}"#
        );
        // Offsets beyond the member type saturate; negative values read as unset.
        req.set_offset(u64::MAX);
        assert_eq!(req.offset, Some(i64::MAX));
        req.offset = Some(-1);
        assert_eq!(Paginated::offset(&req), None);

        let body = br#"{"Response":{"TotalCount":"2","Clusters":[{"ClusterId":"cls-a"},{"ClusterId":"cls-b"}],"RequestId":"r-1"}}"#;
        let resp = decode_response::<DescribeClustersResponse>(body)
            .unwrap()
            .unwrap();
        assert_eq!(resp.request_id(), "r-1");
        assert_eq!(DescribeClustersRequest::total(&resp), Some(2));
        let ids: Vec<_> = DescribeClustersRequest::into_items(resp)
            .into_iter()
            .map(|c| c.cluster_id.unwrap())
            .collect();
        assert_eq!(ids, ["cls-a", "cls-b"]);
    }

    #[test]
    fn paging_table() {
        assert_eq!(PAGINATED_ACTIONS.len(), 32);
        let find = |a: &str| {
            PAGINATED_ACTIONS
                .iter()
                .find(|(n, _)| *n == a)
                .map(|(_, p)| *p)
        };
        // Overrides of the generator's rules.
        assert_eq!(
            find("CheckInstancesUpgradeAble").map(|p| (p.items_field, p.total_field)),
            Some(("UpgradeAbleInstances", Some("Total")))
        );
        assert_eq!(
            find("DescribeEdgeClusterInstances"),
            None,
            "items are one JSON string"
        );
        assert_eq!(
            find("DescribeLogConfigs"),
            None,
            "items are one JSON string"
        );
        assert_eq!(
            find("DescribeEKSContainerInstanceEvent"),
            None,
            "Limit without Offset"
        );
        // `Total` instead of `TotalCount`, `uint64` offset.
        assert_eq!(
            find("DescribePrometheusAgents").map(|p| p.total_field),
            Some(Some("Total"))
        );
        let mut req = DescribePrometheusAgentsRequest::default();
        req.set_offset(3);
        assert_eq!(req.offset, Some(3_u64));
        assert!(PAGINATED_ACTIONS.iter().all(|(a, _)| ACTIONS.contains(a)));
        assert!(
            PAGINATED_ACTIONS
                .iter()
                .all(|(_, p)| (p.offset_field, p.limit_field) == ("Offset", "Limit"))
        );
    }
}

#[cfg(feature = "tke-v20220501")]
#[test]
fn tke_v20220501_tables() {
    use tke_models::tke::v20220501::*;
    assert_eq!(
        (SERVICE, VERSION, ACTIONS.len(), PAGINATED_ACTIONS.len()),
        ("tke", "2022-05-01", 24, 6)
    );
    let clusters = PAGINATED_ACTIONS
        .iter()
        .find(|(a, _)| *a == "DescribeClusters")
        .unwrap()
        .1;
    // The string list `Errors` is not taken for the items.
    assert_eq!(clusters.items_field, "Clusters");
}

#[cfg(feature = "clb-v20180317")]
#[test]
fn clb_v20180317_tables() {
    use tke_models::clb::v20180317::*;
    use tke_models::{Action, Paginated};
    assert_eq!(
        (SERVICE, VERSION, ACTIONS.len(), PAGINATED_ACTIONS.len()),
        ("clb", "2018-03-17", 160, 25)
    );
    assert_eq!(
        CreateLoadBalancerRequest::IDEMPOTENCY_TOKEN,
        Some("ClientToken")
    );
    assert_eq!(
        DescribeBlockIPListRequest::PAGINATION.total_field,
        Some("BlockedIPCount")
    );
    assert_eq!(RegisterTargetsRequest::ACTION, "RegisterTargets");
    assert_eq!(
        [
            RegisterTargetsRequest::READ_ONLY,
            InquiryPriceCreateLoadBalancerRequest::READ_ONLY
        ],
        [false, true]
    );
}
