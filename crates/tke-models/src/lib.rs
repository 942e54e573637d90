//! Typed requests and responses for the Tencent Kubernetes Engine (TKE) and Cloud Load
//! Balancer (CLB) APIs, generated from Tencent's machine-readable API model.
//!
//! ```
//! use tke_models::envelope::decode_response;
//!
//! let body = br#"{"Response":{"RequestId":"r-1","TotalCount":"3"}}"#;
//! let value: serde_json::Value = decode_response(body)?.expect("a success envelope");
//! assert_eq!(value["RequestId"], "r-1");
//! # Ok::<(), serde_json::Error>(())
//! ```
#![forbid(unsafe_code)]

mod action;
pub mod envelope;
pub mod lenient;
mod pagination;

pub use action::{Action, ActionVisitor, ApiResponse};
pub use pagination::{Paginated, Pagination};

/// Tencent Kubernetes Engine (service `tke`).
pub mod tke {
    #[cfg(feature = "tke-v20180525")]
    pub mod v20180525;
    #[cfg(feature = "tke-v20220501")]
    pub mod v20220501;
}

/// Cloud Load Balancer (service `clb`).
pub mod clb {
    #[cfg(feature = "clb-v20180317")]
    pub mod v20180317;
}
