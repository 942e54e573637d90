//! Streams over Offset/Limit paged actions.
//!
//! Stop rules (spec §6), checked after every page, whichever comes first:
//! 1. the page is empty;
//! 2. the action reports a total and `offset + items >= total`;
//! 3. the action reports no total (or the response lacks it) and the page is short
//!    (`items < limit`);
//! 4. a guard: after [`MAX_PAGES`] pages the stream ends with [`Error::PaginationLimit`], so a
//!    server that ignores `Offset` can never make it loop forever.
//!
//! The first page starts at the request's offset (default 0). When the request sets no limit,
//! the stream sets the documented default of 20 so that "short page" is well defined.

use bytes::Bytes;
use futures_util::stream::{self, Stream, TryStreamExt};
use tke_models::{ApiResponse, Paginated};

use crate::client::{CallSpec, Client, decode_typed};
use crate::error::Error;

/// The page size set when a request leaves it empty (TKE's documented default).
pub const DEFAULT_PAGE_SIZE: u64 = 20;
/// At most this many pages are fetched by one stream.
pub const MAX_PAGES: u64 = 10_000;

struct State<P> {
    client: Client,
    request: P,
    offset: u64,
    limit: u64,
    pages: u64,
    done: bool,
}

/// Counts the items of a page from the raw body: `Response.<items_field>` (missing or null: 0).
fn count_items(body: &[u8], items_field: &str) -> usize {
    #[derive(serde::Deserialize)]
    struct Outer {
        #[serde(rename = "Response")]
        response: serde_json::Map<String, serde_json::Value>,
    }
    serde_json::from_slice::<Outer>(body)
        .ok()
        .and_then(|o| {
            o.response
                .get(items_field)
                .and_then(serde_json::Value::as_array)
                .map(Vec::len)
        })
        .unwrap_or(0)
}

impl Client {
    /// A stream of the pages of a paged action, starting at the request's offset.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use tke_models::tke::v20180525::DescribeClusterInstancesRequest;
    /// # async fn run(client: tke_sdk::Client) -> Result<(), tke_sdk::Error> {
    /// let request = DescribeClusterInstancesRequest {
    ///     cluster_id: "cls-abc".into(),
    ///     ..Default::default()
    /// };
    /// let mut pages = std::pin::pin!(client.pages(request));
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} instances", page.instance_set.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages<P: Paginated>(
        &self,
        request: P,
    ) -> impl Stream<Item = Result<P::Response, Error>> + Send + 'static {
        self.pages_with_max(request, MAX_PAGES)
    }

    /// Like [`Client::pages`], ending with [`Error::PaginationLimit`] after `max_pages` pages
    /// (when the listing has not ended by itself).
    pub fn pages_with_max<P: Paginated>(
        &self,
        request: P,
        max_pages: u64,
    ) -> impl Stream<Item = Result<P::Response, Error>> + Send + 'static {
        let offset = request.offset().unwrap_or(0);
        let limit = request
            .limit()
            .filter(|l| *l > 0)
            .unwrap_or(DEFAULT_PAGE_SIZE);
        let state = State {
            client: self.clone(),
            request,
            offset,
            limit,
            pages: 0,
            done: false,
        };
        stream::try_unfold(state, move |mut state| async move {
            if state.done {
                return Ok(None);
            }
            if state.pages >= max_pages {
                return Err(Error::PaginationLimit {
                    action: P::ACTION.to_owned(),
                    pages: state.pages,
                });
            }
            state.request.set_offset(state.offset);
            state.request.set_limit(state.limit);
            let (response, items) = state.client.fetch_page(&state.request).await?;
            state.pages += 1;
            let total = P::total(&response);
            let next = state.offset.saturating_add(items as u64);
            state.done = items == 0
                || match total {
                    Some(total) => next >= total,
                    None => (items as u64) < state.limit,
                };
            state.offset = next;
            Ok(Some((response, state)))
        })
    }

    /// A stream of the items of every page of a paged action.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use tke_models::tke::v20180525::DescribeClustersRequest;
    /// # async fn run(client: tke_sdk::Client) -> Result<(), tke_sdk::Error> {
    /// let clusters: Vec<_> = client.items(DescribeClustersRequest::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn items<P: Paginated>(
        &self,
        request: P,
    ) -> impl Stream<Item = Result<P::Item, Error>> + Send + 'static {
        self.pages(request)
            .map_ok(|page| stream::iter(P::into_items(page).into_iter().map(Ok)))
            .try_flatten()
    }

    /// One page: the typed response and its item count.
    async fn fetch_page<P: Paginated>(&self, request: &P) -> Result<(P::Response, usize), Error> {
        let body = serde_json::to_vec(request).map_err(|e| {
            Error::config("request body", P::ACTION, format!("cannot serialize: {e}"))
        })?;
        let spec = CallSpec {
            service: P::SERVICE,
            version: P::VERSION,
            action: P::ACTION,
            safe: P::READ_ONLY || P::IDEMPOTENCY_TOKEN.is_some(),
        };
        self.execute(spec, Bytes::from(body), |status, body| {
            let response: P::Response = decode_typed(P::ACTION, status, body)?;
            let items = count_items(body, P::PAGINATION.items_field);
            let id = response.request_id().to_owned();
            Ok(((response, items), id))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_items() {
        let body = br#"{"Response":{"Clusters":[{},{},{}],"TotalCount":9,"RequestId":"r"}}"#;
        assert_eq!(count_items(body, "Clusters"), 3);
        assert_eq!(count_items(body, "Missing"), 0);
        assert_eq!(
            count_items(br#"{"Response":{"Clusters":null}}"#, "Clusters"),
            0
        );
        assert_eq!(count_items(b"junk", "Clusters"), 0);
    }
}
