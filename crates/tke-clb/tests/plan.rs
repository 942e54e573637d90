//! Plans: ordering (no traffic dropped), ownership (nothing unowned touched), convergence through
//! the in-memory simulator (apply, then planning again is empty).
#![allow(clippy::unwrap_used)] // tests may unwrap (helpers outside #[test] fns too)

mod common;

use common::*;
use tke_clb::state::{ClbState, ListenerState, RuleState, describe};
use tke_clb::{
    Call, Domain, Inputs, ListenerKey, Plan, Protocol, RuleKey, Simulator, TAG_CLUSTER_ID,
    TAG_CREATED_BY, TAG_LIFECYCLE_OWNER, Target, map, plan, plan_all,
};

fn names(p: &Plan) -> Vec<&'static str> {
    p.calls.iter().map(Call::name).collect()
}

/// Apply every plan of the inputs to the simulator; return the plans.
fn converge(inputs: &Inputs, sim: &mut Simulator) -> Vec<Plan> {
    let m = map(inputs);
    let plans = plan_all(&m, &sim.states(), &inputs.options);
    for p in &plans {
        sim.apply(p).unwrap_or_else(|e| panic!("{e}\nplan: {p:#?}"));
    }
    plans
}

fn assert_converged(inputs: &Inputs, sim: &Simulator) {
    let m = map(inputs);
    for p in plan_all(&m, &sim.states(), &inputs.options) {
        assert!(p.calls.is_empty(), "replan not empty: {p:#?}");
    }
}

fn svc_yaml(name: &str, annotations: &str, ports: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: default\n  annotations:\n    x: y\n{annotations}spec:\n  type: LoadBalancer\n  ports:\n{ports}"
    )
}

#[test]
fn new_clb_is_created_then_listeners_then_targets_and_replan_is_empty() {
    let nodes = standard_nodes();
    let s = svc_yaml(
        "web",
        "",
        "  - {name: a, port: 80, nodePort: 30080}\n  - {name: b, port: 443, nodePort: 30443}\n",
    );
    let inputs = inputs(&[&s, &nodes]);
    let mut sim = Simulator::new();
    let plans = converge(&inputs, &mut sim);
    assert_eq!(plans.len(), 1);
    assert_eq!(
        names(&plans[0]),
        [
            "CreateLoadBalancer",
            "CreateListener",
            "CreateListener",
            "RegisterTargets",
            "RegisterTargets"
        ]
    );
    assert_converged(&inputs, &sim);
    let state = &sim.states()[0];
    assert_eq!(
        state.tags.get(TAG_CREATED_BY).map(String::as_str),
        Some("yes")
    );
    assert_eq!(state.listeners.len(), 2);
    assert_eq!(state.listeners[0].targets.len(), 3);
}

#[test]
fn target_changes_register_before_deregister() {
    let s = svc_yaml("web", "", "  - {name: a, port: 80, nodePort: 30080}\n");
    let before = [
        node("n1", "10.0.0.11", &[], true, false),
        node("n2", "10.0.0.12", &[], true, false),
    ]
    .join("---\n");
    let after = [
        node("n2", "10.0.0.12", &[], true, false),
        node("n3", "10.0.0.13", &[], true, false),
    ]
    .join("---\n");
    let mut sim = Simulator::new();
    converge(&inputs(&[&s, &before]), &mut sim);
    let next = inputs(&[&s, &after]);
    let plans = converge(&next, &mut sim);
    assert_eq!(names(&plans[0]), ["RegisterTargets", "DeregisterTargets"]);
    assert_converged(&next, &sim);
    // Weight-only change (weighted Local mode) is a ModifyTargetWeight.
    let l = &sim.states()[0].listeners[0];
    assert_eq!(
        l.targets
            .iter()
            .map(|t| t.ip.to_string())
            .collect::<Vec<_>>(),
        ["10.0.0.12", "10.0.0.13"]
    );
}

#[test]
fn protocol_change_on_one_port_gives_way_first() {
    let nodes = standard_nodes();
    let tcp = svc_yaml("web", "", "  - {name: a, port: 80, nodePort: 30080}\n");
    let ssl = svc_yaml(
        "web",
        "    service.cloud.tencent.com/specify-protocol: '{\"80\":{\"protocol\":[\"TCP_SSL\"],\"tls\":\"c\"}}'\n",
        "  - {name: a, port: 80, nodePort: 30080}\n",
    );
    let sec = secret("default", "c", "cert-1", None);
    let mut sim = Simulator::new();
    converge(&inputs(&[&tcp, &nodes]), &mut sim);
    let next = inputs(&[&ssl, &nodes, &sec]);
    let plans = converge(&next, &mut sim);
    assert_eq!(
        names(&plans[0]),
        ["DeleteListener", "CreateListener", "RegisterTargets"]
    );
    assert_converged(&next, &sim);
}

#[test]
fn settings_and_certificates_are_modified_in_place() {
    let nodes = standard_nodes();
    let cfg = |interval: u32| {
        format!(
            "apiVersion: cloud.tencent.com/v1alpha1\nkind: TkeServiceConfig\nmetadata: {{name: c, namespace: default}}\nspec:\n  loadBalancer:\n    l4Listeners:\n    - {{protocol: TCP_SSL, port: 80, healthCheck: {{enable: true, intervalTime: {interval}}}}}\n"
        )
    };
    let s = svc_yaml(
        "web",
        "    service.cloud.tencent.com/tke-service-config: c\n    service.cloud.tencent.com/specify-protocol: '{\"80\":{\"protocol\":[\"TCP_SSL\"],\"tls\":\"c\"}}'\n",
        "  - {name: a, port: 80, nodePort: 30080}\n",
    );
    let mut sim = Simulator::new();
    converge(
        &inputs(&[
            &s,
            &nodes,
            &cfg(10),
            &secret("default", "c", "cert-1", None),
        ]),
        &mut sim,
    );
    let next = inputs(&[
        &s,
        &nodes,
        &cfg(20),
        &secret("default", "c", "cert-2", None),
    ]);
    let plans = converge(&next, &mut sim);
    assert_eq!(names(&plans[0]), ["ModifyListener"]);
    match &plans[0].calls[0] {
        Call::ModifyListener {
            certificate,
            settings,
            ..
        } => {
            assert_eq!(certificate.as_ref().unwrap().cert_ids, ["cert-2"]);
            let hc = settings.health_check.as_ref().unwrap();
            assert_eq!(
                (hc.interval_time, hc.enable),
                (Some(20), None),
                "only the changed field is sent"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_converged(&next, &sim);
}

fn existing_clb(listeners: Vec<ListenerState>) -> ClbState {
    ClbState {
        id: "lb-6swtxxxx".into(),
        name: "user-clb".into(),
        vips: vec!["1.2.3.4".into()],
        listeners,
        ..ClbState::default()
    }
}

fn user_listener(proto: Protocol, port: u16, name: &str) -> ListenerState {
    ListenerState {
        id: format!("lbl-user-{port}"),
        name: name.into(),
        key: ListenerKey {
            protocol: proto,
            port,
        },
        certificate: None,
        sni: false,
        settings: Default::default(),
        targets: vec![Target {
            ip: "10.9.9.9".parse().unwrap(),
            port: 8080,
            weight: 10,
        }],
        rules: vec![],
    }
}

#[test]
fn t_s3_existing_clb_lifecycle_touches_only_owned_listeners() {
    let nodes = standard_nodes();
    let s = svc_yaml(
        "nginx-service",
        "    service.kubernetes.io/tke-existed-lbid: lb-6swtxxxx\n",
        "  - {name: a, port: 80, nodePort: 30001}\n",
    );
    let mut sim = Simulator::new();
    sim.insert(existing_clb(vec![
        user_listener(Protocol::Tcp, 443, "user-made"),
        user_listener(Protocol::Udp, 80, "renamed-by-user"),
    ]));
    let inputs = common::inputs(&[&s, &nodes]);
    let plans = converge(&inputs, &mut sim);
    assert_eq!(
        names(&plans[0]),
        ["TagResources", "CreateListener", "RegisterTargets"]
    );
    assert_converged(&inputs, &sim);
    let state = sim.get("lb-6swtxxxx").unwrap().clone();
    assert_eq!(
        state.tags.get(TAG_CLUSTER_ID).map(String::as_str),
        Some(CLUSTER)
    );
    assert!(!state.tags.contains_key(TAG_CREATED_BY));
    // The Service is deleted: only its TCP:80 listener goes; the CLB and user listeners stay.
    let empty = common::inputs(&[&nodes]);
    let plans = converge(&empty, &mut sim);
    assert_eq!(names(&plans[0]), ["DeleteListener"]);
    let after = sim.get("lb-6swtxxxx").unwrap();
    assert_eq!(
        after
            .listeners
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>(),
        ["user-made", "renamed-by-user"]
    );
    assert_converged(&empty, &sim);
}

#[test]
fn unowned_listener_on_a_needed_port_is_a_conflict() {
    let nodes = standard_nodes();
    // T-I2 precondition: an existing CLB with a listener on 80 the cluster does not own.
    let ing = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: nginx-ingress\n  annotations: {kubernetes.io/ingress.existLbId: lb-6swtxxxx}\nspec:\n  rules:\n  - http:\n      paths:\n      - {path: /, pathType: ImplementationSpecific, backend: {service: {name: nginx-service, port: {number: 80}}}}\n";
    let current = existing_clb(vec![user_listener(Protocol::Tcp, 80, "console-listener")]);
    let inputs = common::inputs(&[ing, &nodes]);
    let m = map(&inputs);
    let plans = plan_all(&m, std::slice::from_ref(&current), &inputs.options);
    assert_error(
        &plans[0].conflicts,
        &[
            "port 80",
            "console-listener",
            "Ingress default/nginx-ingress",
        ],
    );
    assert!(
        !plans[0].calls.iter().any(|c| c.is_removal()),
        "{:?}",
        plans[0].calls
    );
    // Same key but a foreign name: also a conflict, never modified.
    let current = existing_clb(vec![user_listener(Protocol::Http, 80, "console-listener")]);
    let plans = plan_all(&m, &[current], &inputs.options);
    assert_error(&plans[0].conflicts, &["HTTP:80", "does not own"]);
    assert!(!plans[0].calls.iter().any(|c| matches!(
        c,
        Call::CreateListener(_) | Call::ModifyListener { .. } | Call::DeleteListener { .. }
    )));
}

#[test]
fn existing_clb_must_exist_and_must_not_be_tke_created() {
    let s = svc_yaml(
        "web",
        "    service.kubernetes.io/tke-existed-lbid: lb-6swtxxxx\n",
        "  - {name: a, port: 80, nodePort: 30080}\n",
    );
    let inputs = inputs(&[&s]);
    let m = map(&inputs);
    let p = plan(&m.clbs[0], None, &inputs.options);
    assert_error(&p.conflicts, &["lb-6swtxxxx", "not found"]);
    let mut tke_made = existing_clb(vec![]);
    tke_made.tags.insert(TAG_CREATED_BY.into(), "yes".into());
    let p = plan(&m.clbs[0], Some(&tke_made), &inputs.options);
    assert_error(&p.conflicts, &["created by TKE"]);
    assert!(p.calls.is_empty());
}

#[test]
fn ingress_uuid_tag_must_match() {
    let ing = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  uid: uid-1\n  annotations: {kubernetes.io/ingress.existLbId: lb-6swtxxxx}\nspec:\n  rules:\n  - http:\n      paths:\n      - {path: /, pathType: ImplementationSpecific, backend: {service: {name: s, port: {number: 80}}}}\n";
    let inputs = inputs(&[ing]);
    let m = map(&inputs);
    let mut current = existing_clb(vec![]);
    current
        .tags
        .insert("tke-lb-ingress-uuid".into(), "uid-other".into());
    let p = plan(&m.clbs[0], Some(&current), &inputs.options);
    assert_error(&p.conflicts, &["tke-lb-ingress-uuid"]);
    assert!(p.calls.is_empty());
}

#[test]
fn t_s10_creation_only_parameters_are_not_diffed() {
    let s1 = svc_yaml(
        "web",
        "    service.kubernetes.io/qcloud-loadbalancer-internet-max-bandwidth-out: '10'\n",
        "  - {name: a, port: 80, nodePort: 30080}\n",
    );
    let s2 = s1.replace("'10'", "'20'");
    let mut sim = Simulator::new();
    converge(&inputs(&[&s1]), &mut sim);
    assert_converged(&inputs(&[&s2]), &sim);
}

#[test]
fn t_s11_security_group_sequence() {
    let key = "service.cloud.tencent.com/security-groups";
    let mut sim = Simulator::new();
    let steps: [(&str, Vec<&str>); 3] = [
        (
            "'sg-xxxxx,sg-yyyyy,sg-zzzzz'",
            vec!["sg-xxxxx", "sg-yyyyy", "sg-zzzzz"],
        ),
        ("'sg-xxxxx'", vec!["sg-xxxxx"]),
        ("''", vec![]),
    ];
    for (i, (value, want)) in steps.iter().enumerate() {
        let s = svc_yaml(
            "web",
            &format!("    {key}: {value}\n"),
            "  - {name: a, port: 80, nodePort: 30080}\n",
        );
        let inputs = inputs(&[&s]);
        let plans = converge(&inputs, &mut sim);
        let set: Vec<&Call> = plans[0]
            .calls
            .iter()
            .filter(|c| c.name() == "SetLoadBalancerSecurityGroups")
            .collect();
        assert_eq!(set.len(), 1, "step {i}");
        assert_eq!(sim.states()[0].security_groups, *want);
        assert_converged(&inputs, &sim);
    }
    // Annotation removed: security groups are no longer managed; nothing changes.
    let s = svc_yaml("web", "", "  - {name: a, port: 80, nodePort: 30080}\n");
    assert_converged(&inputs(&[&s]), &sim);
}

fn t_i6_like(extra: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: test\n  annotations:\n    ingress.cloud.tencent.com/rewrite-support: \"true\"\n    kubernetes.io/ingress.rule-mix: \"true\"\n    kubernetes.io/ingress.http-rules: '[{{\"path\":\"/path1\",\"backend\":{{\"serviceName\":\"path1\",\"servicePort\":\"80\"}}}},{{\"path\":\"/path2\",\"backend\":{{\"serviceName\":\"path2\",\"servicePort\":\"80\"}}}}{extra}]'\nspec:\n  rules:\n  - http:\n      paths:\n      - {{path: /path1, pathType: ImplementationSpecific, backend: {{service: {{name: path1, port: {{number: 80}}}}}}}}\n      - {{path: /path2, pathType: ImplementationSpecific, backend: {{service: {{name: path2, port: {{number: 80}}}}}}}}\n"
    )
}

#[test]
fn redirects_are_created_after_targets_and_removed_before_their_rules() {
    let nodes = standard_nodes();
    let p1 = "apiVersion: v1\nkind: Service\nmetadata: {name: path1}\nspec: {type: NodePort, ports: [{port: 80, nodePort: 30081}]}\n";
    let p2 = "apiVersion: v1\nkind: Service\nmetadata: {name: path2}\nspec: {type: NodePort, ports: [{port: 80, nodePort: 30082}]}\n";
    let with = t_i6_like(r#",{"path":"/v1/path1","rewrite":{"port":80,"path":"/path1"}}"#);
    let moved = t_i6_like(r#",{"path":"/v1/path1","rewrite":{"port":80,"path":"/path2"}}"#);
    let without = t_i6_like("");
    let mut sim = Simulator::new();
    let plans = converge(&inputs(&[&with, p1, p2, &nodes]), &mut sim);
    let n = names(&plans[0]);
    assert_eq!(n.last(), Some(&"ManualRewrite"));
    assert_converged(&inputs(&[&with, p1, p2, &nodes]), &sim);
    // A → B becomes A → C: the old relation is deleted first.
    let plans = converge(&inputs(&[&moved, p1, p2, &nodes]), &mut sim);
    assert_eq!(names(&plans[0]), ["DeleteRewrite", "ManualRewrite"]);
    // Redirect removed: DeleteRewrite, then DeleteRule.
    let plans = converge(&inputs(&[&without, p1, p2, &nodes]), &mut sim);
    assert_eq!(names(&plans[0]), ["DeleteRewrite", "DeleteRule"]);
    assert_converged(&inputs(&[&without, p1, p2, &nodes]), &sim);
    // Removing a rule that is a redirect target: its redirect goes first (CLB redirect protection).
    let mut sim = Simulator::new();
    converge(&inputs(&[&moved, p1, p2, &nodes]), &mut sim);
    let drop_target = moved.replace("      - {path: /path2, pathType: ImplementationSpecific, backend: {service: {name: path2, port: {number: 80}}}}\n", "");
    let drop_target = drop_target.replace(
        r#",{"path":"/v1/path1","rewrite":{"port":80,"path":"/path2"}}"#,
        "",
    );
    let plans = converge(&inputs(&[&drop_target, p1, p2, &nodes]), &mut sim);
    let n = names(&plans[0]);
    let rw = n.iter().position(|c| *c == "DeleteRewrite").unwrap();
    let del = n.iter().position(|c| *c == "DeleteRule").unwrap();
    assert!(rw < del, "{n:?}");
}

#[test]
fn console_redirects_are_left_alone_without_rewrite_support() {
    let nodes = standard_nodes();
    let ing = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: plain\nspec:\n  rules:\n  - http:\n      paths:\n      - {path: /a, pathType: ImplementationSpecific, backend: {service: {name: s, port: {number: 80}}}}\n";
    let s = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: NodePort, ports: [{port: 80, nodePort: 30081}]}\n";
    let inputs = inputs(&[ing, s, &nodes]);
    let mut sim = Simulator::new();
    converge(&inputs, &mut sim);
    // Someone adds a redirect rule /old → /a in the console.
    let mut state = sim.states()[0].clone();
    let l = &mut state.listeners[0];
    l.rules.push(RuleState {
        id: "loc-console".into(),
        key: RuleKey {
            domain: Domain::Default,
            url: "/old".into(),
        },
        certificate: None,
        settings: Default::default(),
        targets: vec![],
        redirect: Some(tke_clb::state::RedirectState {
            to_port: 80,
            to: RuleKey {
                domain: Domain::Default,
                url: "/a".into(),
            },
        }),
    });
    sim.insert(state);
    assert_converged(&inputs, &sim);
}

#[test]
fn rejected_objects_keep_their_listeners() {
    let nodes = standard_nodes();
    let good = svc_yaml(
        "web",
        "    service.kubernetes.io/tke-existed-lbid: lb-6swtxxxx\n",
        "  - {name: a, port: 80, nodePort: 30080}\n",
    );
    let mut sim = Simulator::new();
    sim.insert(existing_clb(vec![]));
    converge(&inputs(&[&good, &nodes]), &mut sim);
    // A later edit makes the Service invalid: its listener must not be deleted.
    let bad = good.replace(
        "    x: y\n",
        "    x: y\n    service.cloud.tencent.com/direct-access: \"maybe\"\n",
    );
    let inputs = common::inputs(&[&bad, &nodes]);
    let plans = plan_all(&map(&inputs), &sim.states(), &inputs.options);
    assert!(plans.iter().all(|p| p.calls.is_empty()), "{plans:#?}");
    // Same for a created CLB of a rejected Service.
    let created = svc_yaml("web2", "", "  - {name: a, port: 80, nodePort: 30080}\n");
    let mut sim = Simulator::new();
    converge(&common::inputs(&[&created, &nodes]), &mut sim);
    let broken = created.replace(
        "    x: y\n",
        "    x: y\n    service.cloud.tencent.com/direct-access: \"maybe\"\n",
    );
    let inputs = common::inputs(&[&broken, &nodes]);
    assert!(
        plan_all(&map(&inputs), &sim.states(), &inputs.options)
            .iter()
            .all(|p| p.calls.is_empty())
    );
}

#[test]
fn created_clb_is_deleted_with_its_service_unless_the_user_owns_it() {
    let nodes = standard_nodes();
    let s = svc_yaml("web", "", "  - {name: a, port: 80, nodePort: 30080}\n");
    let cluster_ip = s.replace("type: LoadBalancer", "type: ClusterIP");
    let mut sim = Simulator::new();
    converge(&inputs(&[&s, &nodes]), &mut sim);
    let plans = converge(&inputs(&[&cluster_ip, &nodes]), &mut sim);
    assert_eq!(names(&plans[0]), ["DeleteLoadBalancer"]);
    assert!(sim.states().is_empty());
    // tke-lifecycle-owner=user: the CLB stays, the listener goes.
    let mut sim = Simulator::new();
    converge(&inputs(&[&s, &nodes]), &mut sim);
    let mut st = sim.states()[0].clone();
    st.tags.insert(TAG_LIFECYCLE_OWNER.into(), "user".into());
    sim.insert(st);
    let plans = converge(&inputs(&[&cluster_ip, &nodes]), &mut sim);
    assert_eq!(names(&plans[0]), ["DeleteListener"]);
    assert_eq!(sim.states().len(), 1);
}

#[test]
fn describe_responses_convert_to_state() {
    let lb: describe::LoadBalancer = serde_json::from_str(
        r#"{"LoadBalancerId":"lb-1","LoadBalancerName":"n","LoadBalancerType":"OPEN","Forward":1,"LoadBalancerVips":["1.1.1.1"],"Tags":[{"TagKey":"tke-clusterId","TagValue":"cls-test"}],"SecureGroups":["sg-1"]}"#,
    )
    .unwrap();
    let listeners: Vec<describe::Listener> = serde_json::from_str(
        r#"[{"ListenerId":"lbl-1","ListenerName":"tke_cls-test_ing_default_i_HTTP_80","Protocol":"HTTP","Port":80,
             "Rules":[{"LocationId":"loc-1","Domain":"1.1.1.1","Url":"/a","SessionExpireTime":0,"HealthCheck":{"HealthSwitch":1,"IntervalTime":5,"TimeOut":2}},
                      {"LocationId":"loc-2","Domain":"1.1.1.1","Url":"/old","RewriteTarget":{"TargetListenerId":"lbl-1","TargetLocationId":"loc-1"}}]},
            {"ListenerId":"lbl-2","ListenerName":"x","Protocol":"TCP_SSL","Port":443,"Certificate":{"SSLMode":"MUTUAL","CertId":"c1","CertCaId":"ca1"},"SessionExpireTime":30,"Scheduler":"WRR"}]"#,
    )
    .unwrap();
    let targets: Vec<describe::ListenerBackend> = serde_json::from_str(
        r#"[{"ListenerId":"lbl-1","Protocol":"HTTP","Port":80,"Rules":[{"LocationId":"loc-1","Domain":"1.1.1.1","Url":"/a","Targets":[{"Type":"CVM","InstanceId":"ins-1","Port":30080,"Weight":10,"PrivateIpAddresses":["10.0.0.11"]}]}]},
            {"ListenerId":"lbl-2","Protocol":"TCP_SSL","Port":443,"Targets":[{"Type":"ENI","Port":8080,"Weight":0,"PrivateIpAddresses":["172.16.0.1"]}]}]"#,
    )
    .unwrap();
    let st = ClbState::from_describe(&lb, &listeners, &targets).unwrap();
    assert_eq!(
        st.tags.get(TAG_CLUSTER_ID).map(String::as_str),
        Some("cls-test")
    );
    let http = st
        .listener(ListenerKey {
            protocol: Protocol::Http,
            port: 80,
        })
        .unwrap();
    assert_eq!(
        http.rules[0].key,
        RuleKey {
            domain: Domain::Default,
            url: "/a".into()
        }
    );
    assert_eq!(http.rules[0].targets[0].port, 30080);
    assert_eq!(
        http.rules[0].settings.session.as_ref().unwrap().enable,
        Some(false)
    );
    assert_eq!(http.rules[1].redirect.as_ref().unwrap().to.url, "/a");
    let ssl = st
        .listener(ListenerKey {
            protocol: Protocol::TcpSsl,
            port: 443,
        })
        .unwrap();
    assert_eq!(
        ssl.certificate.as_ref().unwrap().ca_cert_id.as_deref(),
        Some("ca1")
    );
    assert_eq!(ssl.targets[0].weight, 0);
    assert_eq!(
        ssl.settings.session.as_ref().unwrap().session_expire_time,
        Some(30)
    );
    let bad: Vec<describe::Listener> =
        serde_json::from_str(r#"[{"ListenerId":"l","Protocol":"SCTP","Port":1}]"#).unwrap();
    assert!(ClbState::from_describe(&lb, &bad, &[]).is_err());
}

#[test]
fn simulator_refuses_invalid_calls() {
    let key = ListenerKey {
        protocol: Protocol::Tcp,
        port: 80,
    };
    let mut sim = Simulator::new();
    sim.insert(existing_clb(vec![user_listener(Protocol::Tcp, 80, "u")]));
    let p = |calls: Vec<Call>| Plan {
        clb: tke_clb::ClbKey::Existing("lb-6swtxxxx".into()),
        clb_id: Some("lb-6swtxxxx".into()),
        calls,
        conflicts: vec![],
    };
    let t = Target {
        ip: "10.0.0.1".parse().unwrap(),
        port: 1,
        weight: 10,
    };
    let cases = vec![
        Call::DeregisterTargets {
            listener: key,
            rule: None,
            targets: vec![t],
        },
        Call::DeleteListener {
            listener: ListenerKey {
                protocol: Protocol::Udp,
                port: 80,
            },
        },
        Call::RegisterTargets {
            listener: key,
            rule: None,
            targets: vec![Target {
                ip: "10.9.9.9".parse().unwrap(),
                port: 8080,
                weight: 1,
            }],
        },
    ];
    for c in cases {
        assert!(
            sim.apply(&p(vec![c.clone()])).is_err(),
            "{c:?} should be refused"
        );
    }
}
