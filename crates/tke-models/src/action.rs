//! The traits every generated request and response implements.

/// A request of one API action: knows where it goes and what comes back.
///
/// Implemented by every generated `<Action>Request` type.
pub trait Action: serde::Serialize + Clone + Send + Sync + 'static {
    /// Typed response: the content of `{"Response": {...}}` on success (includes `request_id`).
    type Response: ApiResponse + serde::de::DeserializeOwned + Send + 'static;
    /// Service name, the host prefix and signing service: `"tke"` or `"clb"`.
    const SERVICE: &'static str;
    /// API version, e.g. `"2018-05-25"`.
    const VERSION: &'static str;
    /// Action name, e.g. `"DescribeClusters"`.
    const ACTION: &'static str;
    /// `true` for actions that only read (`Describe*`, `Get*`, `List*`, `Check*`,
    /// `Inquire*`, ...): safe to retry.
    const READ_ONLY: bool;
    /// Wire name of an idempotency-token field (e.g. `"ClientToken"`) when the request has one.
    const IDEMPOTENCY_TOKEN: Option<&'static str> = None;
}

/// Implemented by every generated response type.
pub trait ApiResponse {
    /// The `RequestId` the server assigned (empty when it sent none).
    fn request_id(&self) -> &str;
}

/// Visits action types generically; see the generated `visit_actions` function of each
/// version module (e.g. to run a check over every action).
pub trait ActionVisitor {
    /// Called once per action with its request type.
    fn visit<A>(&mut self)
    where
        A: Action + serde::de::DeserializeOwned + std::fmt::Debug + PartialEq + Default,
        A::Response: serde::Serialize + std::fmt::Debug + PartialEq + Clone;
}
