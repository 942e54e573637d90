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
