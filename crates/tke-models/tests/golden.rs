//! Golden serialization tests: requests built with the setters serialize to exactly these
//! wire bodies (wire names, model member order, unset optional members skipped, required
//! members always sent, an empty list that was set sent as `[]`).
#![cfg(any(feature = "tke-v20180525", feature = "clb-v20180317"))]
// Test helpers outside `#[test]` functions unwrap too.
#![allow(clippy::unwrap_used)]

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

/// The example input of `action` number `index` in a fixture file.
fn example_input(file: &str, action: &str, index: usize) -> serde_json::Value {
    let path = format!("{}/fixtures/{file}", env!("CARGO_MANIFEST_DIR"));
    let all: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    all.into_iter()
        .filter(|e| e["action"] == action)
        .nth(index)
        .unwrap()["input"]
        .clone()
}

#[cfg(feature = "tke-v20180525")]
mod tke_v20180525 {
    use super::*;
    use tke_models::tke::v20180525::*;

    #[test]
    fn describe_clusters() {
        assert_eq!(json(&DescribeClustersRequest::default()), "{}");
        let req = DescribeClustersRequest::default()
            .cluster_ids(["cls-a", "cls-b"])
            .limit(100)
            .filters([Filter::default().name("ClusterName").values(["prod"])])
            .cluster_type("MANAGED_CLUSTER");
        assert_eq!(
            json(&req),
            r#"{"ClusterIds":["cls-a","cls-b"],"Limit":100,"Filters":[{"Name":"ClusterName","Values":["prod"]}],"ClusterType":"MANAGED_CLUSTER"}"#
        );
        // Unset and empty differ.
        let empty = DescribeClustersRequest::default().cluster_ids(Vec::<String>::new());
        assert_eq!(json(&empty), r#"{"ClusterIds":[]}"#);
        // The example input of the model decodes into the request type.
        let example: DescribeClustersRequest = serde_json::from_value(example_input(
            "tke-v20180525-examples.json",
            "DescribeClusters",
            0,
        ))
        .unwrap();
        assert_eq!(example, DescribeClustersRequest::default());
    }

    #[test]
    fn create_cluster() {
        // Required members are sent even when left at their defaults.
        assert_eq!(
            json(&CreateClusterRequest::default()),
            r#"{"ClusterType":"","ClusterCIDRSettings":{}}"#
        );
        let req = CreateClusterRequest::default()
            .cluster_type("MANAGED_CLUSTER")
            .cluster_cidr_settings(
                ClusterCIDRSettings::default()
                    .cluster_cidr("172.24.0.0/16")
                    .max_node_pod_num(64)
                    .max_cluster_service_num(1024),
            )
            .cluster_basic_settings(
                ClusterBasicSettings::default()
                    .cluster_os("tlinux3.1x86_64")
                    .cluster_version("1.30.0")
                    .cluster_name("prod")
                    .vpc_id("vpc-1")
                    .project_id(0),
            )
            .disable_addons(Vec::<String>::new());
        assert_eq!(
            json(&req),
            concat!(
                r#"{"ClusterType":"MANAGED_CLUSTER","#,
                r#""ClusterCIDRSettings":{"ClusterCIDR":"172.24.0.0/16","MaxNodePodNum":64,"MaxClusterServiceNum":1024},"#,
                r#""ClusterBasicSettings":{"ClusterOs":"tlinux3.1x86_64","ClusterVersion":"1.30.0","ClusterName":"prod","VpcId":"vpc-1","ProjectId":0},"#,
                r#""DisableAddons":[]}"#
            )
        );
    }

    #[test]
    fn create_cluster_node_pool() {
        let req = CreateClusterNodePoolRequest::default()
            .cluster_id("cls-1")
            .auto_scaling_group_para(r#"{"MaxSize":3}"#)
            .launch_configure_para(r#"{"InstanceType":"S5.MEDIUM4"}"#)
            .instance_advanced_settings(
                InstanceAdvancedSettings::default()
                    .desired_pod_number(32)
                    .labels([Label::default().name("a").value("b")]),
            )
            .enable_autoscale(true)
            .name("np")
            .taints([Taint::default().key("k").value("v").effect("NoSchedule")])
            .deletion_protection(false);
        assert_eq!(
            json(&req),
            concat!(
                r#"{"ClusterId":"cls-1","AutoScalingGroupPara":"{\"MaxSize\":3}","#,
                r#""LaunchConfigurePara":"{\"InstanceType\":\"S5.MEDIUM4\"}","#,
                r#""InstanceAdvancedSettings":{"DesiredPodNumber":32,"GPUArgs":{},"PreStartUserScript":"","Taints":[],"Labels":[{"Name":"a","Value":"b"}]},"#,
                r#""EnableAutoscale":true,"Name":"np","Taints":[{"Key":"k","Value":"v","Effect":"NoSchedule"}],"DeletionProtection":false}"#
            )
        );
    }

    #[test]
    fn describe_vpc_cni_pod_limits() {
        let req = DescribeVpcCniPodLimitsRequest::default()
            .zone("ap-guangzhou-3")
            .instance_type("S5.LARGE8");
        assert_eq!(
            json(&req),
            r#"{"Zone":"ap-guangzhou-3","InstanceType":"S5.LARGE8"}"#
        );
        let example = example_input("tke-v20180525-examples.json", "DescribeVpcCniPodLimits", 0);
        let decoded: DescribeVpcCniPodLimitsRequest =
            serde_json::from_value(example.clone()).unwrap();
        assert_eq!(
            decoded,
            DescribeVpcCniPodLimitsRequest::default()
                .zone("ap-guangzhou-3,")
                .instance_family("S5,")
        );
        assert_eq!(serde_json::to_value(&decoded).unwrap(), example);
    }
}

#[cfg(feature = "clb-v20180317")]
mod clb_v20180317 {
    use super::*;
    use tke_models::clb::v20180317::*;

    #[test]
    fn create_listener() {
        let req = CreateListenerRequest::default()
            .load_balancer_id("lb-1")
            .ports([80, 81])
            .protocol("TCP")
            .listener_names(["a", "b"])
            .health_check(HealthCheck::default().health_switch(1).time_out(2))
            .session_expire_time(0);
        assert_eq!(
            json(&req),
            r#"{"LoadBalancerId":"lb-1","Ports":[80,81],"Protocol":"TCP","ListenerNames":["a","b"],"HealthCheck":{"HealthSwitch":1,"TimeOut":2},"SessionExpireTime":0}"#
        );
        let example = example_input("clb-v20180317-examples.json", "CreateListener", 4);
        let built = CreateListenerRequest::default()
            .listener_names(["lis1", "lis0"])
            .load_balancer_id("lb-cuxw2rm0")
            .ports([7570, 7569])
            .protocol("TCP");
        assert_eq!(
            serde_json::from_value::<CreateListenerRequest>(example.clone()).unwrap(),
            built
        );
        assert_eq!(serde_json::to_value(&built).unwrap(), example);
    }

    #[test]
    fn register_targets() {
        let req = RegisterTargetsRequest::default()
            .load_balancer_id("lb-1")
            .listener_id("lbl-1")
            .targets([
                Target::default()
                    .port(80)
                    .r#type("CVM")
                    .instance_id("ins-1")
                    .weight(10),
                Target::default().port(8080).eni_ip("10.0.0.1"),
            ]);
        assert_eq!(
            json(&req),
            concat!(
                r#"{"LoadBalancerId":"lb-1","ListenerId":"lbl-1","Targets":["#,
                r#"{"Port":80,"Type":"CVM","InstanceId":"ins-1","Weight":10},{"Port":8080,"EniIp":"10.0.0.1"}]}"#
            )
        );
        // The model's third example, built by hand.
        let example = example_input("clb-v20180317-examples.json", "RegisterTargets", 2);
        let built = RegisterTargetsRequest::default()
            .domain("foo.net")
            .listener_id("lbl-d1ubsydq")
            .load_balancer_id("lb-cuxw2rm0")
            .targets([Target::default()
                .instance_id("ins-dm4xtz0i")
                .port(233)
                .weight(10)])
            .url("/bar8");
        assert_eq!(serde_json::to_value(&built).unwrap(), example);
    }
}
