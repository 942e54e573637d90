//! Invariants of level choice, GlobalRouter carving and the namespace split.

use std::collections::BTreeMap;

use ipnet::Ipv4Net;
use proptest::prelude::*;
use tke_quota::gr::overlaps;
use tke_quota::*;

fn plans() -> impl Strategy<Value = ClusterPlan> {
    (
        0u64..6_000,
        0u64..200_000,
        0u64..1_000_000,
        0u64..12_000,
        0u64..120_000,
        0u64..120_000,
    )
        .prop_map(
            |(nodes, pods, replicasets, configmaps, crds, other_per_kind)| ClusterPlan {
                nodes,
                pods,
                replicasets,
                configmaps,
                crds,
                other_per_kind,
            },
        )
}

fn holds(level: &LevelSpec, plan: &ClusterPlan) -> bool {
    Dimension::ALL
        .iter()
        .all(|&d| plan.get(d) <= level.recommended.get(d))
}

proptest! {
    /// A chosen level holds the plan, no smaller level does, and the deciding dimension is one
    /// the next smaller level cannot hold.
    #[test]
    fn chosen_level_is_the_smallest_that_holds(plan in plans()) {
        let table = LevelTable::tke_default();
        match table.choose_level(&plan) {
            Ok(choice) => {
                prop_assert!(holds(choice.level, &plan));
                for smaller in &table.levels()[..choice.index] {
                    prop_assert!(!holds(smaller, &plan), "{} also holds", smaller.name);
                }
                if choice.index > 0 {
                    let below = &table.levels()[choice.index - 1];
                    prop_assert!(plan.get(choice.deciding) > below.recommended.get(choice.deciding));
                }
                for h in choice.headroom {
                    prop_assert_eq!(h.remaining, h.limit - h.planned);
                }
            }
            Err(QuotaError::ExceedsLargestLevel { dimension, planned, limit, .. }) => {
                prop_assert!(!table.levels().iter().any(|l| holds(l, &plan)));
                prop_assert!(planned > limit);
                prop_assert_eq!(plan.get(dimension), planned);
            }
            Err(e) => prop_assert!(false, "unexpected {e}"),
        }
    }

    /// Node blocks lie inside the container CIDR, never overlap each other or the service
    /// range, and the service range is the CIDR's last block.
    #[test]
    fn cidr_blocks_never_overlap(
        base in any::<u32>(),
        range in 0usize..3,
        prefix in 8u8..=28,
        pods in 16u32..=256,
        services in 32u32..=32_768,
    ) {
        let private: [(u32, u8); 3] = [(0x0A00_0000, 8), (0xAC10_0000, 12), (0xC0A8_0000, 16)];
        let (start, rprefix) = private[range];
        let prefix = prefix.max(rprefix);
        let host_bits = 32 - u32::from(prefix);
        let within = (base & ((1u32 << (32 - u32::from(rprefix))) - 1)) >> host_bits << host_bits;
        let cidr = Ipv4Net::new((start | within).into(), prefix).unwrap();
        let opts = GrOptions { cidr, max_pods_per_node: pods, max_services: services };
        let Ok(plan) = GrPolicy::default().plan(&opts) else {
            // Only configurations that hold no node are rejected.
            let n = 1u64 << host_bits;
            prop_assert!(u64::from(services.next_power_of_two()) + u64::from(pods.next_power_of_two()) > n);
            return Ok(());
        };
        prop_assert!(cidr.contains(&plan.service_cidr));
        prop_assert_eq!(plan.service_cidr.broadcast(), cidr.broadcast());
        let last = plan.max_nodes - 1;
        let sample = [0, 1.min(last), last / 2, last.saturating_sub(1), last];
        let mut prev: Option<Ipv4Net> = None;
        for i in sample {
            let block = plan.node_block(i).unwrap();
            prop_assert!(cidr.contains(&block));
            prop_assert!(!overlaps(&block, &plan.service_cidr), "block {i} {block} vs {}", plan.service_cidr);
            if let Some(p) = prev.filter(|p| *p != block) {
                prop_assert!(!overlaps(&p, &block));
            }
            prev = Some(block);
        }
        // Adjacent blocks touch and do not overlap.
        if plan.max_nodes > 1 {
            let (a, b) = (plan.node_block(0).unwrap(), plan.node_block(1).unwrap());
            prop_assert_eq!(u32::from(a.broadcast()) + 1, u32::from(b.network()));
        }
        prop_assert!(plan.node_block(plan.max_nodes).is_none());
        // One more node block would run into the service range.
        let end_of_nodes = u64::from(u32::from(cidr.network())) + u64::from(plan.max_nodes + 1) * u64::from(plan.node_block_size);
        prop_assert!(end_of_nodes > u64::from(u32::from(plan.service_cidr.network())));
    }

    /// The reverse sizing holds the requirement, and half the CIDR would not.
    #[test]
    fn reverse_sizing_is_minimal(nodes in 1u64..20_000, pods in 1u32..=253, services in 1u32..=30_000) {
        let policy = GrPolicy::default();
        let req = GrRequirement { nodes, pods_per_node: pods, services };
        let Ok(s) = policy.size_for(&req) else { return Ok(()); };
        let cidr = s.place(&[]).unwrap();
        let plan = policy.plan(&s.options_at(cidr.network()).unwrap()).unwrap();
        prop_assert!(u64::from(plan.max_nodes) >= nodes);
        prop_assert!(plan.usable_pods_per_node >= pods && plan.usable_services >= services);
        let half = (1u64 << (32 - u32::from(s.prefix_len))) / 2;
        prop_assert!((half.saturating_sub(u64::from(s.max_services))) / u64::from(s.max_pods_per_node) < nodes);
    }

    /// Listed namespaces plus one unlisted namespace never get more than the headroom.
    #[test]
    fn split_never_exceeds_the_headroom(shares in prop::collection::btree_map("[a-z]{1,8}", 0u8..=60, 0..5), quota in 0u64..1_000_000, used in 0u64..1_000_000) {
        let data: BTreeMap<String, String> = shares.iter().map(|(k, v)| (k.clone(), v.to_string())).collect();
        let cfg = QuotaSplit::parse(&data).unwrap();
        let remaining = quota.saturating_sub(used);
        let sum: u64 = shares.values().map(|&v| u64::from(v)).sum();
        if sum > 100 {
            prop_assert_eq!(cfg.split.clone(), QuotaSplit::Default);
            prop_assert!(cfg.warning.is_some());
        }
        let listed: u64 = shares.keys().map(|ns| cfg.split.allowance(quota, used, ns)).sum();
        let other = cfg.split.allowance(quota, used, "UNLISTED");
        if sum <= 100 {
            prop_assert!(listed + other <= remaining);
        } else {
            prop_assert_eq!(other, remaining);
        }
    }
}
