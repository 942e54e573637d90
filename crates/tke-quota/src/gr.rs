//! GlobalRouter (and Cilium-Overlay) container-CIDR planning, capacity spec §3.1.
//!
//! The carving model (from external Tencent docs, A-N1): the container CIDR of `N` addresses is
//! cut into per-node blocks of `P = next_pow2(max pods per node)` addresses from the start, and
//! the service range is the **last** `S = next_pow2(max services)` addresses. So
//! `max nodes = ⌊(N − S) / P⌋`, usable pods per node `P − 3` (network, broadcast, gateway) and
//! usable services `S − 5` (3 default services, network, broadcast). The reserved counts, the
//! option ranges and an optional minimum CIDR size are a [`GrPolicy`].

use std::net::Ipv4Addr;
use std::ops::RangeInclusive;

use ipnet::Ipv4Net;

use crate::error::QuotaError;

/// The private ranges a container CIDR must lie in.
pub const PRIVATE_RANGES: [Ipv4Net; 3] = [
    Ipv4Net::new_assert(Ipv4Addr::new(10, 0, 0, 0), 8),
    Ipv4Net::new_assert(Ipv4Addr::new(172, 16, 0, 0), 12),
    Ipv4Net::new_assert(Ipv4Addr::new(192, 168, 0, 0), 16),
];

/// TKE's default `MaxClusterServiceNum`.
pub const DEFAULT_MAX_SERVICES: u32 = 256;

/// Rules applied to a GlobalRouter configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrPolicy {
    /// Addresses of each node block that pods cannot use (default 3).
    pub reserved_per_node: u32,
    /// Addresses of the service block that user services cannot use (default 5).
    pub reserved_services: u32,
    /// Allowed "max pods per node" before rounding (API: 16-256; older releases 4-256).
    pub max_pods_range: RangeInclusive<u32>,
    /// Allowed "max services" before rounding (API: 32-32768).
    pub max_services_range: RangeInclusive<u32>,
    /// Whether the CIDR must lie in 10/8, 172.16/12 or 192.168/16 (default true).
    pub require_private: bool,
    /// Minimum container CIDR size in addresses (default 0: none; a console may ask for 4096).
    pub min_cidr_addresses: u64,
}

impl Default for GrPolicy {
    fn default() -> Self {
        GrPolicy {
            reserved_per_node: 3,
            reserved_services: 5,
            max_pods_range: 16..=256,
            max_services_range: 32..=32_768,
            require_private: true,
            min_cidr_addresses: 0,
        }
    }
}

/// The user's GlobalRouter options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrOptions {
    /// Container CIDR.
    pub cidr: Ipv4Net,
    /// Max pods per node (rounded up to a power of two).
    pub max_pods_per_node: u32,
    /// Max services in the cluster (rounded up to a power of two).
    pub max_services: u32,
}

impl GrOptions {
    /// Options from a CIDR string; the CIDR must parse and have no host bits set.
    pub fn parse(
        cidr: &str,
        max_pods_per_node: u32,
        max_services: u32,
    ) -> Result<Self, QuotaError> {
        Ok(GrOptions {
            cidr: parse_cidr("cluster_cidr", cidr)?,
            max_pods_per_node,
            max_services,
        })
    }
}

/// Parses an IPv4 CIDR and rejects host bits (`172.16.0.1/16`).
pub fn parse_cidr(field: &'static str, text: &str) -> Result<Ipv4Net, QuotaError> {
    let net: Ipv4Net =
        text.trim()
            .parse()
            .map_err(|e: ipnet::AddrParseError| QuotaError::InvalidCidr {
                field,
                value: text.to_owned(),
                reason: e.to_string(),
            })?;
    if net.addr() != net.network() {
        return Err(QuotaError::CidrNotNormalized {
            field,
            value: net.to_string(),
            normalized: net.trunc().to_string(),
        });
    }
    Ok(net)
}

/// A validated GlobalRouter layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrPlan {
    /// The container CIDR.
    pub cidr: Ipv4Net,
    /// Per-node block size `P` (addresses).
    pub node_block_size: u32,
    /// Service block size `S` (addresses).
    pub service_block_size: u32,
    /// Per-node CIDR mask (`--node-cidr-mask-size`).
    pub node_prefix: u8,
    /// The service CIDR: the last `S` addresses.
    pub service_cidr: Ipv4Net,
    /// Maximum node count.
    pub max_nodes: u32,
    /// Pods each node can run (`P − reserved_per_node`).
    pub usable_pods_per_node: u32,
    /// Services the cluster can create (`S − reserved_services`).
    pub usable_services: u32,
}

impl GrPlan {
    /// `max_nodes × usable_pods_per_node`.
    pub fn max_cluster_pods(&self) -> u64 {
        u64::from(self.max_nodes) * u64::from(self.usable_pods_per_node)
    }

    /// The `i`-th node block (0-based; TKE hands blocks out in order and reuses freed ones).
    pub fn node_block(&self, i: u32) -> Option<Ipv4Net> {
        if i >= self.max_nodes {
            return None;
        }
        let start = u32::from(self.cidr.network()) + i * self.node_block_size;
        Ipv4Net::new(Ipv4Addr::from(start), self.node_prefix).ok()
    }
}

fn check_range(
    field: &'static str,
    value: u32,
    range: &RangeInclusive<u32>,
) -> Result<(), QuotaError> {
    if range.contains(&value) {
        Ok(())
    } else {
        Err(QuotaError::OutOfRange {
            field,
            value: u64::from(value),
            min: u64::from(*range.start()),
            max: u64::from(*range.end()),
        })
    }
}

/// Whether `net` lies in one of the [`PRIVATE_RANGES`].
pub fn is_private(net: &Ipv4Net) -> bool {
    PRIVATE_RANGES.iter().any(|r| r.contains(net))
}

impl GrPolicy {
    /// Validates `opts` and computes the layout.
    pub fn plan(&self, opts: &GrOptions) -> Result<GrPlan, QuotaError> {
        let cidr = opts.cidr;
        if cidr.addr() != cidr.network() {
            return Err(QuotaError::CidrNotNormalized {
                field: "cluster_cidr",
                value: cidr.to_string(),
                normalized: cidr.trunc().to_string(),
            });
        }
        if self.require_private && !is_private(&cidr) {
            return Err(QuotaError::NotPrivate {
                field: "cluster_cidr",
                value: cidr.to_string(),
            });
        }
        check_range(
            "max_pods_per_node",
            opts.max_pods_per_node,
            &self.max_pods_range,
        )?;
        check_range("max_services", opts.max_services, &self.max_services_range)?;
        let n: u64 = 1 << (32 - u32::from(cidr.prefix_len()));
        if n < self.min_cidr_addresses {
            return Err(QuotaError::CidrTooSmall {
                cidr: cidr.to_string(),
                addresses: n,
                min: self.min_cidr_addresses,
            });
        }
        let p = opts.max_pods_per_node.next_power_of_two();
        let s = opts.max_services.next_power_of_two();
        let max_nodes = n.saturating_sub(u64::from(s)) / u64::from(p);
        if max_nodes == 0 || p <= self.reserved_per_node || s <= self.reserved_services {
            return Err(QuotaError::NoNodeFits {
                cidr: cidr.to_string(),
                addresses: n,
                service_block: u64::from(s),
                node_block: u64::from(p),
            });
        }
        let service_start = u32::from(cidr.network()) + (n - u64::from(s)) as u32;
        let service_cidr = Ipv4Net::new(
            Ipv4Addr::from(service_start),
            (32 - s.trailing_zeros()) as u8,
        )
        .map_err(|e| QuotaError::InvalidCidr {
            field: "service_cidr",
            value: service_start.to_string(),
            reason: e.to_string(),
        })?;
        Ok(GrPlan {
            cidr,
            node_block_size: p,
            service_block_size: s,
            node_prefix: (32 - p.trailing_zeros()) as u8,
            service_cidr,
            max_nodes: max_nodes as u32,
            usable_pods_per_node: p - self.reserved_per_node,
            usable_services: s - self.reserved_services,
        })
    }

    /// The most usable pods per node any allowed option gives (`prev_pow2(range end) − reserved`).
    pub fn max_usable_pods_per_node(&self) -> u32 {
        prev_power_of_two(*self.max_pods_range.end()).saturating_sub(self.reserved_per_node)
    }

    /// The reverse question: the smallest container CIDR size and the options that hold
    /// `req.nodes` nodes with `req.pods_per_node` usable pods each and `req.services` usable
    /// services.
    pub fn size_for(&self, req: &GrRequirement) -> Result<GrSizing, QuotaError> {
        if req.nodes == 0 {
            return Err(QuotaError::OutOfRange {
                field: "nodes",
                value: 0,
                min: 1,
                max: u64::from(u32::MAX),
            });
        }
        let option = |field, needed: u64, reserved: u32, range: &RangeInclusive<u32>| {
            let want = (needed + u64::from(reserved)).max(u64::from(*range.start()));
            let rounded = want.next_power_of_two();
            if rounded > u64::from(*range.end()) {
                let max =
                    u64::from(prev_power_of_two(*range.end())).saturating_sub(u64::from(reserved));
                return Err(QuotaError::OutOfRange {
                    field,
                    value: needed,
                    min: 0,
                    max,
                });
            }
            Ok(rounded as u32)
        };
        let p = option(
            "pods_per_node",
            u64::from(req.pods_per_node),
            self.reserved_per_node,
            &self.max_pods_range,
        )?;
        let s = option(
            "services",
            u64::from(req.services),
            self.reserved_services,
            &self.max_services_range,
        )?;
        let needed = u64::from(s) + req.nodes * u64::from(p);
        let n = needed
            .next_power_of_two()
            .max(self.min_cidr_addresses.next_power_of_two());
        if n > 1 << 24 {
            return Err(QuotaError::ClusterTooLargeForCidr {
                nodes: req.nodes,
                addresses: needed,
            });
        }
        Ok(GrSizing {
            prefix_len: (32 - n.trailing_zeros()) as u8,
            max_pods_per_node: p,
            max_services: s,
            max_nodes: ((n - u64::from(s)) / u64::from(p)) as u32,
        })
    }
}

fn prev_power_of_two(x: u32) -> u32 {
    if x == 0 {
        0
    } else {
        1 << (31 - x.leading_zeros())
    }
}

/// What a planned cluster needs from its container network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrRequirement {
    /// Nodes.
    pub nodes: u64,
    /// Usable pods each node must be able to run.
    pub pods_per_node: u32,
    /// Usable services.
    pub services: u32,
}

/// The smallest container CIDR shape for a [`GrRequirement`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrSizing {
    /// Container CIDR prefix length.
    pub prefix_len: u8,
    /// The `max pods per node` option (a power of two).
    pub max_pods_per_node: u32,
    /// The `max services` option (a power of two).
    pub max_services: u32,
    /// Nodes this shape holds (at least the requirement).
    pub max_nodes: u32,
}

impl GrSizing {
    /// Options for this shape at a given network address.
    pub fn options_at(&self, base: Ipv4Addr) -> Result<GrOptions, QuotaError> {
        let cidr = Ipv4Net::new(base, self.prefix_len).map_err(|e| QuotaError::InvalidCidr {
            field: "cluster_cidr",
            value: format!("{base}/{}", self.prefix_len),
            reason: e.to_string(),
        })?;
        if cidr.addr() != cidr.network() {
            return Err(QuotaError::CidrNotNormalized {
                field: "cluster_cidr",
                value: cidr.to_string(),
                normalized: cidr.trunc().to_string(),
            });
        }
        Ok(GrOptions {
            cidr,
            max_pods_per_node: self.max_pods_per_node,
            max_services: self.max_services,
        })
    }

    /// The first CIDR of this shape inside the private ranges (172.16/12, then 10/8, then
    /// 192.168/16: the order TKE's console suggests) that overlaps none of `avoid` (the VPC,
    /// its subnets, other clusters' container CIDRs).
    pub fn place(&self, avoid: &[Ipv4Net]) -> Option<Ipv4Net> {
        let size: u64 = 1 << (32 - u32::from(self.prefix_len));
        let order = [PRIVATE_RANGES[1], PRIVATE_RANGES[0], PRIVATE_RANGES[2]];
        for range in order {
            if range.prefix_len() > self.prefix_len {
                continue;
            }
            let end = u64::from(u32::from(range.broadcast())) + 1;
            let mut cursor = u64::from(u32::from(range.network()));
            while cursor + size <= end {
                let candidate =
                    Ipv4Net::new(Ipv4Addr::from(cursor as u32), self.prefix_len).ok()?;
                match avoid.iter().find(|a| overlaps(a, &candidate)) {
                    None => return Some(candidate),
                    Some(a) => {
                        // Skip past the blocking network, aligned to the block size.
                        let past = u64::from(u32::from(a.broadcast())) + 1;
                        cursor = past.div_ceil(size) * size;
                    }
                }
            }
        }
        None
    }
}

/// Whether two networks share an address.
pub fn overlaps(a: &Ipv4Net, b: &Ipv4Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Capacity spec §3.1.3, G1-G9 (valid layouts).
    #[test]
    fn gr_vectors() {
        let p = GrPolicy::default();
        // (id, cidr, pods, services, node prefix, service cidr, max nodes, pods usable, services usable)
        let cases = [
            (
                "G1",
                "172.16.0.0/16",
                64,
                256,
                26,
                "172.16.255.0/24",
                1020,
                61,
                251,
            ),
            (
                "G2",
                "10.99.0.0/19",
                256,
                1024,
                24,
                "10.99.28.0/22",
                28,
                253,
                1019,
            ),
            (
                "G3",
                "172.16.0.0/16",
                128,
                1024,
                25,
                "172.16.252.0/22",
                504,
                125,
                1019,
            ),
            (
                "G4",
                "172.16.0.0/16",
                256,
                256,
                24,
                "172.16.255.0/24",
                255,
                253,
                251,
            ),
            (
                "G5",
                "192.168.0.0/18",
                32,
                128,
                27,
                "192.168.63.128/25",
                508,
                29,
                123,
            ),
            (
                "G6",
                "10.0.0.0/14",
                128,
                4096,
                25,
                "10.3.240.0/20",
                2016,
                125,
                4091,
            ),
            (
                "G7",
                "172.16.0.0/16",
                64,
                32,
                26,
                "172.16.255.224/27",
                1023,
                61,
                27,
            ),
            (
                "G8",
                "172.20.0.0/16",
                100,
                300,
                25,
                "172.20.254.0/23",
                508,
                125,
                507,
            ),
            (
                "G9",
                "192.168.0.0/24",
                64,
                128,
                26,
                "192.168.0.128/25",
                2,
                61,
                123,
            ),
        ];
        for (id, cidr, pods, svc, prefix, service, nodes, upods, usvc) in cases {
            let plan = p.plan(&GrOptions::parse(cidr, pods, svc).unwrap()).unwrap();
            assert_eq!(plan.node_prefix, prefix, "{id}");
            assert_eq!(plan.service_cidr.to_string(), service, "{id}");
            assert_eq!(plan.max_nodes, nodes, "{id}");
            assert_eq!(plan.usable_pods_per_node, upods, "{id}");
            assert_eq!(plan.usable_services, usvc, "{id}");
            assert_eq!(
                plan.max_cluster_pods(),
                u64::from(nodes) * u64::from(upods),
                "{id}"
            );
        }
        assert_eq!(
            p.plan(&GrOptions::parse("172.20.0.0/16", 100, 300).unwrap())
                .unwrap()
                .node_block_size,
            128,
            "G8 rounds 100 up to 128"
        );
        // First and last node blocks of G1 and G2.
        let g1 = p
            .plan(&GrOptions::parse("172.16.0.0/16", 64, 256).unwrap())
            .unwrap();
        assert_eq!(g1.node_block(0).unwrap().to_string(), "172.16.0.0/26");
        assert_eq!(
            g1.node_block(1019).unwrap().to_string(),
            "172.16.254.192/26"
        );
        assert_eq!(g1.node_block(1020), None);
        let g2 = p
            .plan(&GrOptions::parse("10.99.0.0/19", 256, 1024).unwrap())
            .unwrap();
        assert_eq!(g2.node_block(0).unwrap().to_string(), "10.99.0.0/24");
        assert_eq!(g2.node_block(27).unwrap().to_string(), "10.99.27.0/24");
    }

    /// G10, G11 and the other validation rules.
    #[test]
    fn gr_errors() {
        let p = GrPolicy::default();
        let plan = |c: &str, pods, svc| p.plan(&GrOptions::parse(c, pods, svc).unwrap());
        assert!(
            matches!(
                plan("10.0.0.0/20", 256, 4096),
                Err(QuotaError::NoNodeFits { .. })
            ),
            "G10"
        );
        assert!(
            matches!(
                plan("10.0.0.0/20", 16, 32768),
                Err(QuotaError::NoNodeFits { .. })
            ),
            "G11"
        );
        assert!(matches!(
            plan("8.8.0.0/16", 64, 256),
            Err(QuotaError::NotPrivate { .. })
        ));
        assert!(matches!(
            plan("172.32.0.0/16", 64, 256),
            Err(QuotaError::NotPrivate { .. })
        ));
        let err = plan("172.16.0.0/16", 8, 256).unwrap_err();
        assert_eq!(
            err,
            QuotaError::OutOfRange {
                field: "max_pods_per_node",
                value: 8,
                min: 16,
                max: 256
            }
        );
        assert!(
            plan("172.16.0.0/16", 64, 40_000)
                .unwrap_err()
                .to_string()
                .contains("max_services")
        );
        let err = GrOptions::parse("172.16.0.1/16", 64, 256).unwrap_err();
        assert!(err.to_string().contains("172.16.0.0/16"), "{err}");
        assert!(matches!(
            GrOptions::parse("172.16.0.0", 64, 256),
            Err(QuotaError::InvalidCidr { .. })
        ));
        assert!(matches!(
            GrOptions::parse("fe80::/64", 64, 256),
            Err(QuotaError::InvalidCidr { .. })
        ));
        let strict = GrPolicy {
            min_cidr_addresses: 4096,
            ..GrPolicy::default()
        };
        assert!(matches!(
            strict.plan(&GrOptions::parse("192.168.0.0/24", 64, 128).unwrap()),
            Err(QuotaError::CidrTooSmall { .. })
        ));
        // The older 4-256 range is a policy choice.
        let old = GrPolicy {
            max_pods_range: 4..=256,
            ..GrPolicy::default()
        };
        assert_eq!(
            old.plan(&GrOptions::parse("10.0.0.0/24", 8, 32).unwrap())
                .unwrap()
                .max_nodes,
            28
        );
    }

    #[test]
    fn reverse_sizing() {
        let p = GrPolicy::default();
        // G1's shape is the smallest for 1020 nodes × 61 pods and 251 services.
        let s = p
            .size_for(&GrRequirement {
                nodes: 1020,
                pods_per_node: 61,
                services: 251,
            })
            .unwrap();
        assert_eq!(
            (
                s.prefix_len,
                s.max_pods_per_node,
                s.max_services,
                s.max_nodes
            ),
            (16, 64, 256, 1020)
        );
        // One more node needs a /15.
        let s = p
            .size_for(&GrRequirement {
                nodes: 1021,
                pods_per_node: 61,
                services: 251,
            })
            .unwrap();
        assert_eq!(s.prefix_len, 15);
        // 62 pods per node need 128-address blocks; services floor at the 32 minimum.
        let s = p
            .size_for(&GrRequirement {
                nodes: 3,
                pods_per_node: 62,
                services: 1,
            })
            .unwrap();
        assert_eq!(
            (s.max_pods_per_node, s.max_services, s.prefix_len),
            (128, 32, 23)
        );
        assert!(
            p.size_for(&GrRequirement {
                nodes: 1,
                pods_per_node: 254,
                services: 10
            })
            .is_err()
        );
        assert!(
            p.size_for(&GrRequirement {
                nodes: 0,
                pods_per_node: 10,
                services: 10
            })
            .is_err()
        );
        assert!(matches!(
            p.size_for(&GrRequirement {
                nodes: 100_000,
                pods_per_node: 253,
                services: 10
            }),
            Err(QuotaError::ClusterTooLargeForCidr { .. })
        ));
        // The forward plan of a placed sizing holds the requirement.
        let s = p
            .size_for(&GrRequirement {
                nodes: 300,
                pods_per_node: 100,
                services: 500,
            })
            .unwrap();
        let vpc: Ipv4Net = "172.16.0.0/16".parse().unwrap();
        let cidr = s.place(&[vpc]).unwrap();
        assert!(!overlaps(&cidr, &vpc));
        let plan = p.plan(&s.options_at(cidr.network()).unwrap()).unwrap();
        assert!(
            plan.max_nodes >= 300
                && plan.usable_pods_per_node >= 100
                && plan.usable_services >= 500
        );
        assert_eq!(cidr.to_string(), "172.17.0.0/16");
    }
}
