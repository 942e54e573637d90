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

/// Conversions between the model's offset/limit/total members (`i64`/`u64`, optional or
/// not) and the `u64` of [`Paginated`]; used by the generated impls.
#[cfg_attr(
    not(any(
        feature = "tke-v20180525",
        feature = "tke-v20220501",
        feature = "clb-v20180317"
    )),
    allow(dead_code)
)]
pub(crate) trait PageInt {
    /// The value as `u64`; `None` when unset or negative.
    fn get(&self) -> Option<u64>;
    /// A member value from `u64`, saturating at the member type's maximum.
    fn put(value: u64) -> Self;
}

impl PageInt for u64 {
    fn get(&self) -> Option<u64> {
        Some(*self)
    }
    fn put(value: u64) -> Self {
        value
    }
}

impl PageInt for i64 {
    fn get(&self) -> Option<u64> {
        u64::try_from(*self).ok()
    }
    fn put(value: u64) -> Self {
        i64::try_from(value).unwrap_or(i64::MAX)
    }
}

impl<T: PageInt> PageInt for Option<T> {
    fn get(&self) -> Option<u64> {
        self.as_ref().and_then(T::get)
    }
    fn put(value: u64) -> Self {
        Some(T::put(value))
    }
}

#[cfg(test)]
mod tests {
    use super::PageInt;

    #[test]
    fn page_int_conversions() {
        assert_eq!(PageInt::get(&-1_i64), None);
        assert_eq!(PageInt::get(&7_i64), Some(7));
        assert_eq!(<i64 as PageInt>::put(u64::MAX), i64::MAX);
        assert_eq!(<Option<i64> as PageInt>::put(5), Some(5));
        assert_eq!(PageInt::get(&None::<u64>), None);
        assert_eq!(PageInt::get(&Some(u64::MAX)), Some(u64::MAX));
    }
}
