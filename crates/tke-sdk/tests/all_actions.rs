//! End-to-end: every generated TKE action (2018-05-25 and 2022-05-01) and CLB action is called through the
//! generic typed path against the mock serving the generated examples, and each example
//! response decodes to the same value as decoding it directly.
//!
//! The action lists below are checked against `ACTIONS` of each module, so a new action in the
//! models makes this test fail until it is listed (regenerate with the snippet in the report).
#![allow(clippy::unwrap_used)] // tests may unwrap

use std::collections::BTreeSet;

use serde_json::Value;
use tke_models::Action;
use tke_models::envelope::decode_response;
use tke_sdk::Client;
use tke_sdk::testkit::MockTke;

async fn check<A: Action + serde::de::DeserializeOwned>(
    client: &Client,
    mock: &MockTke,
    fixture: &[Value],
    done: &mut BTreeSet<&'static str>,
) where
    A::Response: PartialEq + std::fmt::Debug,
{
    let example = fixture
        .iter()
        .find(|e| e["action"] == A::ACTION)
        .unwrap_or_else(|| panic!("no example for {}", A::ACTION));
    let request: A = match &example["input"] {
        Value::Null => serde_json::from_value(serde_json::json!({}))
            .unwrap_or_else(|e| panic!("{}: {e}", A::ACTION)),
        input => serde_json::from_value(input.clone())
            .unwrap_or_else(|e| panic!("{} input: {e}", A::ACTION)),
    };
    let before = mock.received().len();
    let result = client.call(&request).await;
    let body = serde_json::to_vec(&example["output"]).unwrap();
    match decode_response::<A::Response>(&body).unwrap() {
        Ok(direct) => {
            let response = result.unwrap_or_else(|e| panic!("{}: {e}", A::ACTION));
            assert_eq!(response, direct, "{}", A::ACTION);
        }
        // Some examples document an error answer: it must come back as that service error.
        Err(envelope) => {
            let err = result.expect_err(A::ACTION);
            assert_eq!(
                err.code(),
                Some(envelope.error.code.as_str()),
                "{}",
                A::ACTION
            );
            assert_eq!(err.request_id(), Some(envelope.request_id.as_str()));
        }
    }
    let received = mock.received();
    // One call, or several when the example is a retryable error (e.g. `InternalError`).
    assert!(received.len() > before, "{}: called", A::ACTION);
    let sent = &received[received.len() - 1];
    assert!(sent.signature_ok, "{}", A::ACTION);
    assert_eq!(sent.version, A::VERSION);
    let mut expected = serde_json::to_value(&request).unwrap();
    if let (Some(field), Some(obj)) = (A::IDEMPOTENCY_TOKEN, expected.as_object_mut()) {
        obj.insert(field.to_owned(), sent.json()[field].clone());
    }
    assert_eq!(sent.json(), expected, "{}: body", A::ACTION);
    done.insert(A::ACTION);
}

fn fixture(name: &str) -> (String, Vec<Value>) {
    let path = format!(
        "{}/../tke-models/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let parsed = serde_json::from_str(&text).unwrap();
    (text, parsed)
}

#[tokio::test]
async fn every_tke_v20180525_action_round_trips() {
    use tke_models::tke::v20180525 as m;
    let (text, examples) = fixture("tke-v20180525-examples.json");
    let mock = MockTke::start().await;
    let served = mock.serve_examples(&text).unwrap();
    assert_eq!(served, m::ACTIONS.len());
    let client = mock.client();
    let mut done = BTreeSet::new();
    check::<m::AcquireClusterAdminRoleRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::AddClusterCIDRRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::AddExistedInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::AddNodeToNodePoolRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::AddVpcCniSubnetsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CancelClusterReleaseRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CancelUpgradePlanRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CheckEdgeClusterCIDRRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CheckInstancesUpgradeAbleRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateBackupStorageLocationRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateCLSLogConfigRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateClusterRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateClusterEndpointRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateClusterEndpointVipRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateClusterInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateClusterMaintenanceWindowAndExclusionsRequest>(
        &client, &mock, &examples, &mut done,
    )
    .await;
    check::<m::CreateClusterNodePoolRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateClusterReleaseRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateClusterRouteRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateClusterRouteTableRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateClusterVirtualNodeRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateClusterVirtualNodePoolRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateECMInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateEKSClusterRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateEKSContainerInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateEdgeCVMInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateEdgeLogConfigRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateEksLogConfigRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateExternalNodePoolRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateGlobalMaintenanceWindowAndExclusionsRequest>(
        &client, &mock, &examples, &mut done,
    )
    .await;
    check::<m::CreateImageCacheRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreatePrometheusAlertPolicyRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreatePrometheusAlertRuleRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreatePrometheusClusterAgentRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreatePrometheusConfigRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreatePrometheusDashboardRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreatePrometheusGlobalNotificationRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::CreatePrometheusRecordRuleYamlRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreatePrometheusTempRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreatePrometheusTemplateRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateReservedInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateRollOutSequenceRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateTKEEdgeClusterRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteAddonRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteBackupStorageLocationRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteClusterRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteClusterAsGroupsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteClusterEndpointRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteClusterEndpointVipRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteClusterInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteClusterMaintenanceWindowAndExclusionRequest>(
        &client, &mock, &examples, &mut done,
    )
    .await;
    check::<m::DeleteClusterNodePoolRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteClusterRouteRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteClusterRouteTableRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteClusterVirtualNodeRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteClusterVirtualNodePoolRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteECMInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteEKSClusterRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteEKSContainerInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteEdgeCVMInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteEdgeClusterInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteExternalNodeRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteExternalNodePoolRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteGlobalMaintenanceWindowAndExclusionRequest>(
        &client, &mock, &examples, &mut done,
    )
    .await;
    check::<m::DeleteImageCachesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteLogConfigsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeletePrometheusAlertPolicyRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeletePrometheusAlertRuleRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeletePrometheusClusterAgentRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeletePrometheusConfigRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeletePrometheusRecordRuleYamlRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeletePrometheusTempRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeletePrometheusTempSyncRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeletePrometheusTemplateRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeletePrometheusTemplateSyncRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteReservedInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteRollOutSequenceRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteTKEEdgeClusterRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteUserPermissionsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeAddonRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeAddonValuesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeAvailableClusterVersionRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeAvailableTKEEdgeVersionRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeBackupStorageLocationsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeBatchModifyTagsStatusRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterAsGroupOptionRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterAsGroupsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterAuthenticationOptionsRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribeClusterAvailableExtraArgsRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribeClusterCommonNamesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterControllersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterEndpointStatusRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterEndpointVipStatusRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterEndpointsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterExtraArgsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterInspectionResultsOverviewRequest>(
        &client, &mock, &examples, &mut done,
    )
    .await;
    check::<m::DescribeClusterInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterKubeconfigRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterLevelAttributeRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterLevelChangeRecordsRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribeClusterMaintenanceWindowAndExclusionsRequest>(
        &client, &mock, &examples, &mut done,
    )
    .await;
    check::<m::DescribeClusterNodePoolDetailRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterNodePoolsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterPendingReleasesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterReleaseDetailsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterReleaseHistoryRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterReleasesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterRollOutSequenceTagsRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribeClusterRouteTablesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterRoutesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterSchedulerPolicyRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterSecurityRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterStatusRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterVirtualNodeRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterVirtualNodePoolsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClustersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeControlPlaneLogsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeECMInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeEKSClusterCredentialRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeEKSClustersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeEKSContainerInstanceEventRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribeEKSContainerInstanceRegionsRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribeEKSContainerInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeEdgeAvailableExtraArgsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeEdgeCVMInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeEdgeClusterExtraArgsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeEdgeClusterInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeEdgeClusterUpgradeInfoRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeEdgeLogSwitchesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeEksContainerInstanceLogRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeEnableVpcCniProgressRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeEncryptionStatusRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeExistedInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeExternalNodeRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeExternalNodePoolsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeExternalNodeScriptRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeExternalNodeSupportConfigRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribeGlobalMaintenanceWindowAndExclusionsRequest>(
        &client, &mock, &examples, &mut done,
    )
    .await;
    check::<m::DescribeIPAMDRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeImageCachesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeImagesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeLogConfigsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeLogSwitchesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeMasterComponentRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeOSImagesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeOpenPolicyListRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePodChargeInfoRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePodDeductionRateRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePodsBySpecRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePostNodeResourcesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePrometheusAgentInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePrometheusAgentsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePrometheusAlertHistoryRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePrometheusAlertPolicyRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePrometheusAlertRuleRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePrometheusClusterAgentsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePrometheusConfigRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePrometheusGlobalConfigRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePrometheusGlobalNotificationRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribePrometheusInstanceRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePrometheusInstanceInitStatusRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribePrometheusInstancesOverviewRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribePrometheusOverviewsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePrometheusRecordRulesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePrometheusTargetsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePrometheusTempRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePrometheusTempSyncRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePrometheusTemplateSyncRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribePrometheusTemplatesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeRIUtilizationDetailRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeRegionsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeReservedInstanceUtilizationRateRequest>(
        &client, &mock, &examples, &mut done,
    )
    .await;
    check::<m::DescribeReservedInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeResourceUsageRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeRollOutSequencesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeRouteTableConflictsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeSupportedRuntimeRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeTKEEdgeClusterCredentialRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeTKEEdgeClusterStatusRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeTKEEdgeClustersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeTKEEdgeExternalKubeconfigRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribeTKEEdgeScriptRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeTasksRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeUpgradeTaskDetailRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeUpgradeTasksRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeUserPermissionsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeVersionsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeVpcCniPodLimitsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DisableClusterAuditRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DisableClusterDeletionProtectionRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DisableControlPlaneLogsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DisableEncryptionProtectionRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DisableEventPersistenceRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DisableVpcCniNetworkTypeRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DrainClusterVirtualNodeRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DrainExternalNodeRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::EnableClusterAuditRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::EnableClusterDeletionProtectionRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::EnableControlPlaneLogsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::EnableEksEventPersistenceRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::EnableEncryptionProtectionRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::EnableEventPersistenceRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::EnableExternalNodeSupportRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::EnableVpcCniNetworkTypeRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ForwardTKEEdgeApplicationRequestV3Request>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::GetClusterLevelPriceRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::GetMostSuitableImageCacheRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::GetTkeAppChartListRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::GetUpgradeInstanceProgressRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::GrantUserPermissionsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::InstallAddonRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::InstallEdgeLogAgentRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::InstallLogAgentRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ListClusterInspectionResultsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ListClusterInspectionResultsItemsRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::ModifyClusterAsGroupAttributeRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyClusterAsGroupOptionAttributeRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::ModifyClusterAttributeRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyClusterAuthenticationOptionsRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::ModifyClusterEndpointSPRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyClusterExtraArgsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyClusterExtraArgsTaskStateRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyClusterImageRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyClusterMaintenanceWindowAndExclusionsRequest>(
        &client, &mock, &examples, &mut done,
    )
    .await;
    check::<m::ModifyClusterNodePoolRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyClusterRollOutSequenceTagsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyClusterRuntimeConfigRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyClusterSchedulerPolicyRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyClusterTagsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyClusterVirtualNodePoolRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyExternalNodePoolRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyGlobalMaintenanceWindowAndExclusionsRequest>(
        &client, &mock, &examples, &mut done,
    )
    .await;
    check::<m::ModifyLogConfigRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyMasterComponentRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyNodePoolDesiredCapacityAboutAsgRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::ModifyNodePoolInstanceTypesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyOpenPolicyListRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyPrometheusAgentExternalLabelsRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::ModifyPrometheusAlertPolicyRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyPrometheusAlertRuleRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyPrometheusConfigRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyPrometheusGlobalNotificationRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::ModifyPrometheusRecordRuleYamlRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyPrometheusTempRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyPrometheusTemplateRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyReservedInstanceScopeRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyRollOutSequenceRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::RemoveNodeFromNodePoolRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::RenewReservedInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::RestartEKSContainerInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::RollbackClusterReleaseRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::RotateClusterTokenRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::RunPrometheusInstanceRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ScaleInClusterMasterRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ScaleOutClusterMasterRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::SetNodePoolNodeProtectionRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::SwitchClusterEndpointRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::SyncPrometheusTempRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::SyncPrometheusTemplateRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::UninstallClusterReleaseRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::UninstallEdgeLogAgentRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::UninstallLogAgentRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::UpdateAddonRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::UpdateClusterKubeconfigRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::UpdateClusterVersionRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::UpdateEKSClusterRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::UpdateEKSContainerInstanceRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::UpdateEdgeClusterVersionRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::UpdateImageCacheRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::UpdateTKEEdgeClusterRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::UpgradeClusterInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::UpgradeClusterReleaseRequest>(&client, &mock, &examples, &mut done).await;
    let all: BTreeSet<&str> = m::ACTIONS.iter().copied().collect();
    assert_eq!(done, all, "every action is exercised");
    mock.assert_no_problems();
}

#[tokio::test]
async fn every_tke_v20220501_action_round_trips() {
    use tke_models::tke::v20220501 as m;
    let (text, examples) = fixture("tke-v20220501-examples.json");
    let mock = MockTke::start().await;
    let served = mock.serve_examples(&text).unwrap();
    assert_eq!(served, m::ACTIONS.len());
    let client = mock.client();
    let mut done = BTreeSet::new();
    check::<m::CreateHealthCheckPolicyRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateNodePoolRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteClusterMachinesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteHealthCheckPolicyRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteNodePoolRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterMachinesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClustersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeGPUInfoRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeHealthCheckPoliciesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeHealthCheckPolicyBindingsRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribeHealthCheckTemplateRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeNodePoolsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeNodePoolsElasticityStrengthRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribeZoneInstanceConfigInfosRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DetachApplicationRoleRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyClusterMachineRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyHealthCheckPolicyRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyNodePoolRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::RebootMachinesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ScaleNodePoolRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::SetMachineLoginRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::StartMachinesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::StopMachinesRequest>(&client, &mock, &examples, &mut done).await;
    let all: BTreeSet<&str> = m::ACTIONS.iter().copied().collect();
    assert_eq!(done, all, "every action is exercised");
    mock.assert_no_problems();
}

/// CLB goes through the same generic path (service `clb`, version 2018-03-17).
#[tokio::test]
async fn every_clb_v20180317_action_round_trips() {
    use tke_models::clb::v20180317 as m;
    let (text, examples) = fixture("clb-v20180317-examples.json");
    let mock = MockTke::start().await;
    let served = mock.serve_examples(&text).unwrap();
    assert_eq!(served, m::ACTIONS.len());
    let client = mock.client();
    let mut done = BTreeSet::new();
    check::<m::AddModelKeyRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::AddModelRewriteRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::AssociateBudgetRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::AssociateCustomizedConfigRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::AssociateModelRouterGuardrailsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::AssociateModelsToModelRouterRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::AssociateTargetGroupsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::AutoRewriteRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::BatchDeregisterTargetsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::BatchModifyTargetTagRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::BatchModifyTargetWeightRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::BatchRegisterTargetsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ChatCompletionsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CloneLoadBalancerRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateBYOKNetworkRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateBudgetRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateClsLogSetRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateIntentRouterRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateKeyRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateKeysRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateListenerRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateLoadBalancerRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateLoadBalancerSnatIpsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateModelRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateModelRouterRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateModelRouterResourcePackageRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateRuleRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateTargetGroupRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateTopicRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::CreateUserGroupRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteBudgetsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteIntentRouterRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteKeysRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteListenerRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteLoadBalancerRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteLoadBalancerListenersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteLoadBalancerSnatIpsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteModelRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteModelRoutersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteRewriteRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteRuleRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteTargetGroupsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeleteUserGroupsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeregisterFunctionTargetsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeregisterModelsFromServiceProviderRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DeregisterTargetGroupInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeregisterTargetsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DeregisterTargetsFromClassicalLBRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeAssociatedModelAvailabilityRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribeAsyncJobsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeBlockIPListRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeBlockIPTaskRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeBudgetAssociationsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeBudgetsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClassicalLBByInstanceIdRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClassicalLBHealthStatusRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClassicalLBListenersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClassicalLBTargetsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClsLogSetRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeClusterResourcesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeCrossTargetsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeCustomizedConfigAssociateListRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribeCustomizedConfigListRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeExclusiveClustersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeIdleLoadBalancersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeIntentRouterTiersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeIntentRoutersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeKeysRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeLBListenersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeLBOperateProtectRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeListenersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeLoadBalancerListByCertIdRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeLoadBalancerOverviewRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeLoadBalancerTrafficRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeLoadBalancersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeLoadBalancersDetailRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeModelAliasesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeModelAssociationsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeModelKeysRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeModelNamesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeModelRewriteRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeModelRouterDetailRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeModelRouterGuardrailsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeModelRouterLogsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeModelRouterQuotaRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeModelRouterResourcePackageDeductionRequest>(
        &client, &mock, &examples, &mut done,
    )
    .await;
    check::<m::DescribeModelRouterResourcePackagesRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribeModelRoutersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeQuotaRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeResourcesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeRewriteRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeServiceProviderHealthStatusRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribeSupportedProvidersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeTargetGroupInstanceStatusRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DescribeTargetGroupInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeTargetGroupListRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeTargetGroupsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeTargetHealthRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeTargetsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeTaskStatusRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeUpperModelsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DescribeUserGroupsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DisassociateBudgetRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DisassociateCustomizedConfigRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::DisassociateModelRouterGuardrailsRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DisassociateModelsFromModelRouterRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::DisassociateTargetGroupsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::InquirePriceCreateModelRouterResourcePackageRequest>(
        &client, &mock, &examples, &mut done,
    )
    .await;
    check::<m::InquirePriceRefundModelRouterResourcePackageRequest>(
        &client, &mock, &examples, &mut done,
    )
    .await;
    check::<m::InquiryPriceCreateLoadBalancerRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::InquiryPriceModifyLoadBalancerRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::InquiryPriceRefundLoadBalancerRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::InquiryPriceRenewLoadBalancerRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ManualRewriteRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::MigrateClassicalLoadBalancersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyBlockIPListRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyBudgetAttributesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyDomainRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyDomainAttributesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyFunctionTargetsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyIntentRouterAttributeRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyKeyAttributesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyKeysBlockStatusRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyKeysUserGroupRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyListenerRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyLoadBalancerAttributesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyLoadBalancerMixIpTargetRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyLoadBalancerSlaRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyLoadBalancersProjectRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyModelAliasAttributesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyModelAttributesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyModelRouterAttributesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyModelRouterGuardrailsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyModelRouterSecurityGroupsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyRuleRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyServiceProviderModelAttributesRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::ModifyTargetGroupAttributeRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyTargetGroupInstancesPortRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyTargetGroupInstancesWeightRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyTargetPortRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyTargetWeightRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ModifyUserGroupAttributesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::RefundModelRouterResourcePackageRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::RegenerateKeysRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::RegisterFunctionTargetsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::RegisterModelsToServiceProviderRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::RegisterTargetGroupInstancesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::RegisterTargetsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::RegisterTargetsWithClassicalLBRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::RemoveModelKeyRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::RemoveModelRewriteRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::RenewLoadBalancersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::ReplaceCertForLoadBalancersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::SetCustomizedConfigForLoadBalancerRequest>(&client, &mock, &examples, &mut done)
        .await;
    check::<m::SetLoadBalancerClsLogRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::SetLoadBalancerSecurityGroupsRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::SetLoadBalancerStartStatusRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::SetSecurityGroupForLoadbalancersRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::TestModelInputModalitiesRequest>(&client, &mock, &examples, &mut done).await;
    check::<m::TestServiceProviderConnectionRequest>(&client, &mock, &examples, &mut done).await;
    let all: BTreeSet<&str> = m::ACTIONS.iter().copied().collect();
    assert_eq!(done, all, "every action is exercised");
    assert!(mock.received().iter().all(|r| {
        r.version == "2018-03-17"
            && r.header("authorization")
                .unwrap()
                .contains("/clb/tc3_request")
    }));
    mock.assert_no_problems();
}
