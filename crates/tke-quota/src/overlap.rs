//! Overlap checks between a VPC, its subnets, container CIDRs and service CIDRs
//! (capacity spec §3.1.2 rule 4 and §3.1.4, vectors N1-N3; S:46721-46731, S:46980-46990).
//!
//! Rules, each reported as a [`Conflict`]:
//! * node subnets and VPC-CNI pod subnets must lie inside the VPC (when a VPC is given);
//! * GlobalRouter container CIDRs and service CIDRs must not overlap the VPC;
//! * no two node/pod/container/service ranges may overlap, within one cluster or across
//!   clusters, with one exception: a GlobalRouter service CIDR carved out of the **same
//!   cluster's** container CIDR (A-N2: "Pod subnet" there means the node blocks).

use std::fmt;

use ipnet::Ipv4Net;

use crate::gr::overlaps;

/// What a range is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RangeRole {
    /// A VPC CIDR.
    Vpc,
    /// A VPC subnet for nodes.
    NodeSubnet,
    /// A VPC-CNI pod subnet (inside the VPC).
    PodSubnet,
    /// A GlobalRouter / Cilium-Overlay container CIDR (outside the VPC).
    ContainerCidr,
    /// A service CIDR.
    ServiceCidr,
}

/// A labelled network range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedRange {
    /// Label shown in conflicts (e.g. `cls-a/pod-az1`).
    pub name: String,
    /// Owning cluster, if any (`None` for the VPC and shared subnets).
    pub cluster: Option<String>,
    /// Role.
    pub role: RangeRole,
    /// The network.
    pub net: Ipv4Net,
}

impl NamedRange {
    /// A range owned by `cluster`.
    pub fn new(name: &str, cluster: Option<&str>, role: RangeRole, net: Ipv4Net) -> Self {
        NamedRange {
            name: name.to_owned(),
            cluster: cluster.map(str::to_owned),
            role,
            net,
        }
    }
}

/// A broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// Two ranges overlap.
    Overlap {
        /// First range's name.
        a: String,
        /// Second range's name.
        b: String,
    },
    /// A range that belongs inside the VPC is (partly) outside it.
    OutsideVpc {
        /// The range's name.
        range: String,
        /// The VPC's name.
        vpc: String,
    },
    /// A range that must stay outside the VPC overlaps it.
    OverlapsVpc {
        /// The range's name.
        range: String,
        /// The VPC's name.
        vpc: String,
    },
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Conflict::Overlap { a, b } => write!(f, "{a} overlaps {b}"),
            Conflict::OutsideVpc { range, vpc } => write!(f, "{range} is not inside VPC {vpc}"),
            Conflict::OverlapsVpc { range, vpc } => write!(f, "{range} overlaps VPC {vpc}"),
        }
    }
}

/// Checks every rule over `ranges` and returns all conflicts (empty = valid).
pub fn check_network(ranges: &[NamedRange]) -> Vec<Conflict> {
    let mut conflicts = Vec::new();
    let vpcs: Vec<&NamedRange> = ranges.iter().filter(|r| r.role == RangeRole::Vpc).collect();
    let others: Vec<&NamedRange> = ranges.iter().filter(|r| r.role != RangeRole::Vpc).collect();
    for r in &others {
        match r.role {
            RangeRole::NodeSubnet | RangeRole::PodSubnet
                if !vpcs.is_empty() && !vpcs.iter().any(|v| v.net.contains(&r.net)) =>
            {
                conflicts.push(Conflict::OutsideVpc {
                    range: r.name.clone(),
                    vpc: vpcs
                        .iter()
                        .map(|v| v.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            RangeRole::ContainerCidr | RangeRole::ServiceCidr => {
                for v in vpcs.iter().filter(|v| overlaps(&v.net, &r.net)) {
                    conflicts.push(Conflict::OverlapsVpc {
                        range: r.name.clone(),
                        vpc: v.name.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    for (i, a) in others.iter().enumerate() {
        for b in &others[i + 1..] {
            if overlaps(&a.net, &b.net) && !is_carved_service(a, b) {
                conflicts.push(Conflict::Overlap {
                    a: a.name.clone(),
                    b: b.name.clone(),
                });
            }
        }
    }
    conflicts
}

/// A GlobalRouter service CIDR inside its own cluster's container CIDR is by design.
fn is_carved_service(a: &NamedRange, b: &NamedRange) -> bool {
    let pair = |x: &NamedRange, y: &NamedRange| {
        x.role == RangeRole::ContainerCidr
            && y.role == RangeRole::ServiceCidr
            && x.cluster.is_some()
            && x.cluster == y.cluster
            && x.net.contains(&y.net)
    };
    pair(a, b) || pair(b, a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use RangeRole::*;

    fn r(name: &str, cluster: Option<&str>, role: RangeRole, net: &str) -> NamedRange {
        NamedRange::new(name, cluster, role, net.parse().unwrap())
    }

    /// N1 (S:47029-47031): single AZ, VPC-CNI.
    #[test]
    fn n1_single_az_is_valid() {
        let ranges = [
            r("vpc", None, Vpc, "10.2.0.0/16"),
            r("node", Some("c"), NodeSubnet, "10.2.0.0/17"),
            r("pod", Some("c"), PodSubnet, "10.2.128.0/17"),
            r("svc", Some("c"), ServiceCidr, "172.19.0.0/20"),
        ];
        assert_eq!(check_network(&ranges), vec![]);
        assert_eq!(ranges[3].net.hosts().count() + 2, 4096);
    }

    /// N2 (S:47040-47042): multi-AZ, five pairwise disjoint ranges.
    #[test]
    fn n2_multi_az_is_valid() {
        let ranges = [
            r("node-a", Some("c"), NodeSubnet, "10.0.0.0/17"),
            r("pod-a", Some("c"), PodSubnet, "10.0.128.0/17"),
            r("node-b", Some("c"), NodeSubnet, "10.1.0.0/17"),
            r("pod-b", Some("c"), PodSubnet, "10.1.128.0/17"),
            r("svc", Some("c"), ServiceCidr, "172.17.0.0/17"),
        ];
        assert_eq!(check_network(&ranges), vec![]);
        // With the VPC given (10.0.0.0/15 holds both AZs' subnets) it stays valid.
        let mut with_vpc = ranges.to_vec();
        with_vpc.push(r("vpc", None, Vpc, "10.0.0.0/15"));
        assert_eq!(check_network(&with_vpc), vec![]);
    }

    /// N3 (S:46980-46990): clusters in one VPC must not overlap each other.
    #[test]
    fn n3_clusters_in_one_vpc() {
        let base = [
            r("vpc", None, Vpc, "10.0.0.0/16"),
            r("a/node", Some("a"), NodeSubnet, "10.0.0.0/20"),
            r("a/container", Some("a"), ContainerCidr, "172.16.0.0/16"),
            r("a/svc", Some("a"), ServiceCidr, "172.16.255.0/24"),
            r("b/node", Some("b"), NodeSubnet, "10.0.16.0/20"),
            r("b/container", Some("b"), ContainerCidr, "172.17.0.0/16"),
        ];
        assert_eq!(
            check_network(&base),
            vec![],
            "the carved service range is allowed"
        );

        let mut clash = base.to_vec();
        clash[5] = r("b/container", Some("b"), ContainerCidr, "172.16.128.0/17");
        let c = check_network(&clash);
        assert!(
            c.contains(&Conflict::Overlap {
                a: "a/container".into(),
                b: "b/container".into()
            }),
            "{c:?}"
        );
        assert!(
            c.contains(&Conflict::Overlap {
                a: "a/svc".into(),
                b: "b/container".into()
            }),
            "{c:?}"
        );

        let mut in_vpc = base.to_vec();
        in_vpc[2] = r("a/container", Some("a"), ContainerCidr, "10.0.128.0/17");
        in_vpc[3] = r("a/svc", Some("a"), ServiceCidr, "10.0.255.0/24");
        let c = check_network(&in_vpc);
        assert!(c.contains(&Conflict::OverlapsVpc {
            range: "a/container".into(),
            vpc: "vpc".into()
        }));
        assert!(c.contains(&Conflict::OverlapsVpc {
            range: "a/svc".into(),
            vpc: "vpc".into()
        }));

        let mut svc_on_nodes = base.to_vec();
        svc_on_nodes.push(r("b/svc", Some("b"), ServiceCidr, "10.0.16.0/24"));
        let c = check_network(&svc_on_nodes);
        assert!(
            c.contains(&Conflict::Overlap {
                a: "b/node".into(),
                b: "b/svc".into()
            }),
            "{c:?}"
        );

        let mut outside = base.to_vec();
        outside[1] = r("a/node", Some("a"), NodeSubnet, "10.1.0.0/20");
        assert_eq!(
            check_network(&outside),
            vec![Conflict::OutsideVpc {
                range: "a/node".into(),
                vpc: "vpc".into()
            }]
        );
        // Another cluster's service range inside this cluster's container CIDR is a conflict.
        let mut foreign = base.to_vec();
        foreign.push(r("b/svc", Some("b"), ServiceCidr, "172.16.254.0/24"));
        assert!(check_network(&foreign).contains(&Conflict::Overlap {
            a: "a/container".into(),
            b: "b/svc".into()
        }));
    }
}
