//! What TKE's service and ingress controllers do to a Tencent Cloud Load Balancer (CLB), as a
//! pure library: map Kubernetes `Service`s and `Ingress`es (plus Nodes, EndpointSlices, Secrets
//! and `TkeServiceConfig`s) to the desired CLB listeners, forwarding rules and targets, check
//! sharing conflicts and limits, and plan the ordered CLB API calls that converge a CLB.
//!
//! ```
//! use tke_clb::{ClusterOptions, Inputs, ObjectRef, Protocol, map};
//!
//! let mut inputs = Inputs::new(ClusterOptions::new("cls-demo", "vpc-demo"));
//! let errors = inputs.add_manifest(r#"
//! apiVersion: v1
//! kind: Service
//! metadata: {name: web, namespace: default}
//! spec:
//!   type: LoadBalancer
//!   ports: [{port: 80, targetPort: 8080, nodePort: 30080, protocol: TCP}]
//! ---
//! apiVersion: v1
//! kind: Node
//! metadata: {name: n1}
//! status:
//!   addresses: [{type: InternalIP, address: 10.0.0.1}]
//!   conditions: [{type: Ready, status: "True"}]
//! "#);
//! assert!(errors.is_empty());
//!
//! let mapping = map(&inputs);
//! let clb = mapping.clb_of(&ObjectRef::service("default", "web")).unwrap();
//! let listener = clb.listener(Protocol::Tcp, 80).unwrap();
//! assert_eq!(listener.targets[0].ip.to_string(), "10.0.0.1");
//! assert_eq!(listener.targets[0].port, 30080);
//!
//! // A plan against a CLB that does not exist yet creates it, then the listener, then targets.
//! let plan = tke_clb::plan(clb, None, &inputs.options);
//! assert!(plan.conflicts.is_empty());
//! assert_eq!(plan.calls[0].name(), "CreateLoadBalancer");
//! ```
//!
//! # Modules
//! * [`annotations`]: every annotation key and its parsing; [`tke_service_config`]: the CRD.
//! * [`map`]: Services and Ingresses → [`Mapping`] (desired CLBs + one report per object).
//! * [`state`]: current CLB state in the shapes of `DescribeLoadBalancers`, `DescribeListeners`
//!   and `DescribeTargets` (own types until the generated `tke-models` CLB types land).
//! * [`plan()`]: desired + current → ordered [`Call`]s; [`Simulator`] applies them in memory.
//!
//! Where the TKE documentation is silent or contradicts itself, the choice is a [`Policy`] field
//! documented with the contradiction it resolves.
//!
//! # Decisions (spec §9 and gaps)
//! * Cordoned nodes are bound (§9 #1, Service page L23778); [`Policy::bind_unschedulable_nodes`].
//! * Auto-created ↔ existing CLB switches are rejected (§9 #2, newer restriction page);
//!   [`Policy::forbid_auto_existing_switch`], see [`lifecycle::check_lifecycle_change`].
//! * The `tke-clusterId` tag is left on an existing CLB when its last object goes (§9 #3: the
//!   reuse page says it remains); only owned listeners are deleted.
//! * Shared-CLB port conflicts are per (protocol family, port): TCP:80 + UDP:80 is allowed
//!   (§9 #4, T-S4), TCP:80 + TCP_SSL:80 is not (one CLB port space). First-come by
//!   `creationTimestamp`, then kind/namespace/name; the later object is rejected whole.
//! * Differing `pass-to-target` / `security-groups` on a shared CLB reject the later object.
//! * Local mode is rejected when the existing CLB is used by two or more Services or the Service
//!   sets `qcloud-share-existed-lb: "true"`.
//! * Ingress bandwidth upper bound 2048 Mbps (§9 #5); [`Policy::max_bandwidth_ingress`].
//! * Certificate choice: exact host > one-level wildcard > host-less entry; ties take the first
//!   entry with a warning (§9 #6). Every HTTPS domain needs a certificate.
//! * `enable-grace-shutdown(-tkex)` are on for controller ≥ v2.2.0 or unknown version (§9 #10):
//!   terminating / not-ready endpoints stay bound with weight 0.
//! * T-I5 (auto redirect without TLS) yields HTTP only (§9 #17); T-I3's mismatched `https-rules`
//!   entry still lands on HTTPS by the "unmatched ⇒ HTTPS" rule with port 80 (§9 #15); T-I7's
//!   annotation-only entries are ignored with a warning unless [`Policy::annotation_only_rules`]
//!   (§9 #29).
//! * Default weight 10, weight range 0–100 (§9 #25); Local weighted balance: weight = ready pods
//!   on the node (§9 #34); `lb-rs-weight` groups match by port and protocol *family*, so the
//!   documented `"proto":"TCP"` also applies to an Ingress's HTTP listener (§9 #33).
//! * Listener names `tke_<cluster>_<svc|ing>_<namespace>_<name>_<PROTO>_<port>` record ownership
//!   (§9 #27); any other name is not owned and never modified or deleted.
//! * `pathType` is passed through unchanged (warning for Exact/Prefix); `spec.defaultBackend` is
//!   ignored with a warning (§9 #28). Rules are spread over every listen-port of their protocol
//!   and listeners without rules are not created (§9 #30).
//! * Service HTTP/HTTPS extended protocols: one rule per host with URL `/` (no hosts: the default
//!   domain); an HTTPS host without `tls` falls back to the port's `tls` (§9 #31).
//! * Node IP = `InternalIP` (§9 #36); registered (IDC) nodes are recognised by
//!   [`Policy::registered_node_label`] (the document names no label).
//! * Malformed JSON or invalid enum/boolean values reject the object (§9 #41); booleans accept
//!   `true`/`false` in any case only.
//! * `qcloud-share-existed-lb` is not required on standard clusters (§9 #42);
//!   [`Policy::require_share_annotation`].
//! * Limits (listeners 50, rules 50, direct targets 200, SNAT IPs 10) are reported as
//!   [`DesiredClb::violations`] and owner warnings; the CLB is still computed.
//! * Annotations newer than a configured controller version are ignored with a warning.
//! * A copied Service that kept another Service's `client-token` is rejected.
#![forbid(unsafe_code)]
// Errors carry the object, annotation and value for good messages; they are built only on the
// error path, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod annotations;
mod backends;
pub mod certs;
mod common;
mod desired;
mod error;
mod fast;
pub mod ingress;
mod inputs;
pub mod lifecycle;
mod manifest;
mod mapping;
mod object;
mod options;
mod plan;
mod service;
mod sharing;
mod simulator;
pub mod state;
pub mod tke_service_config;

pub use common::{TAG_CLUSTER_ID, TAG_CREATED_BY, TAG_INGRESS_UUID, TAG_LIFECYCLE_OWNER};
pub use desired::*;
pub use error::{ClbError, Result};
pub use inputs::Inputs;
pub use manifest::{Object, parse_manifest};
pub use mapping::{Mapping, ObjectReport, ObjectStatus, map};
pub use object::{ObjectKind, ObjectList, ObjectRef};
pub use options::{ClusterOptions, ControllerVersion, NetworkMode, Policy};
pub use plan::{Call, ListenerSpec, Plan, RuleSpec, plan, plan_all};
pub use simulator::Simulator;
pub use tke_service_config::TkeServiceConfig;
