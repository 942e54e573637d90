//! Offset/Limit pagination, described statically per action.
//!
//! TKE and CLB page with `Offset`/`Limit` only (no continuation tokens). The table of paged
//! actions lives in the generator (`tools/tke-codegen`): it derives each entry from the model
//! by explicit rules plus an override table, and the generated code carries the result as
//! constants; nothing is guessed at run time.

use crate::Action;

/// Static description of an Offset/Limit paged action (from a table in the generator).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pagination {
    /// Wire name of the request's offset field (e.g. `"Offset"`).
    pub offset_field: &'static str,
    /// Wire name of the request's page-size field (e.g. `"Limit"`).
    pub limit_field: &'static str,
    /// Wire name of the response's list of items (e.g. `"Clusters"`).
    pub items_field: &'static str,
    /// Wire name of the response's total count, when the action reports one.
    pub total_field: Option<&'static str>,
}

/// Implemented by every request type of an Offset/Limit paged action.
pub trait Paginated: Action {
    /// One element of the page's items list.
    type Item: serde::de::DeserializeOwned + Clone + Send + 'static;
    /// Which fields page.
    const PAGINATION: Pagination;
    /// The request's offset, if set (a negative signed value reads as `None`).
    fn offset(&self) -> Option<u64>;
    /// Sets the request's offset (saturating at the field type's maximum).
    fn set_offset(&mut self, offset: u64);
    /// The request's page size, if set (a negative signed value reads as `None`).
    fn limit(&self) -> Option<u64>;
    /// Sets the request's page size (saturating at the field type's maximum).
    fn set_limit(&mut self, limit: u64);
    /// The total number of items the server reports, if the action reports one and the
    /// response carried it (a negative value reads as `None`).
    fn total(response: &Self::Response) -> Option<u64>;
    /// The page's items.
    fn into_items(response: Self::Response) -> Vec<Self::Item>;
}
