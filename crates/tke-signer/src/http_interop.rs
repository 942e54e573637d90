//! Signing an [`http::Request`] in place (feature `http`).

use http::header::{CONTENT_TYPE, HOST, HeaderName, HeaderValue};

use crate::{Credentials, Error, Method, Request, Signer};

/// What the HTTP request itself does not say.
#[derive(Debug, Clone, Copy)]
pub struct HttpSignParams<'a> {
    /// `X-TC-Action`.
    pub action: &'a str,
    /// `X-TC-Version`.
    pub version: &'a str,
    /// `X-TC-Region` (omitted when `None` or empty).
    pub region: Option<&'a str>,
    /// The service, when the host does not name it.
    pub service: Option<&'a str>,
    /// Unix seconds.
    pub timestamp: i64,
}

impl Signer {
    /// Signs `request` in place: reads method, host (Host header, else the URI authority),
    /// query, Content-Type and body, and inserts `Authorization` and the `X-TC-*` headers
    /// (`X-TC-Token` marked sensitive). Other headers named in the signed headers are read from
    /// the request.
    ///
    /// ```
    /// use tke_signer::{Credentials, HttpSignParams, Signer};
    /// let mut request = http::Request::post("https://tke.tencentcloudapi.com/")
    ///     .header("content-type", tke_signer::CONTENT_TYPE_JSON)
    ///     .body(br#"{"Limit":1}"#.to_vec())
    ///     .unwrap();
    /// let params = HttpSignParams { action: "DescribeClusters", version: "2018-05-25", region: Some("ap-guangzhou"), service: None, timestamp: 1_700_000_000 };
    /// Signer::new().sign_http(&Credentials::new("AKID", "key"), &mut request, params).unwrap();
    /// assert!(request.headers()["authorization"].to_str().unwrap().starts_with("TC3-HMAC-SHA256 "));
    /// assert_eq!(request.headers()["x-tc-region"], "ap-guangzhou");
    /// ```
    pub fn sign_http<B: AsRef<[u8]>>(
        &self,
        credentials: &Credentials,
        request: &mut http::Request<B>,
        params: HttpSignParams<'_>,
    ) -> Result<(), Error> {
        let method = match *request.method() {
            http::Method::POST => Method::Post,
            http::Method::GET => Method::Get,
            ref other => {
                return Err(Error::InvalidField {
                    field: "method",
                    value: crate::error::bounded(other.as_str(), 16),
                    reason: "TC3 signs only POST and GET",
                });
            }
        };
        let signed = {
            let headers = request.headers();
            let host = match headers.get(HOST) {
                Some(value) => value
                    .to_str()
                    .map_err(|_| invalid("Host", "not visible ASCII"))?,
                None => request
                    .uri()
                    .authority()
                    .map(|a| a.as_str())
                    .ok_or_else(|| invalid("host", "no Host header and no authority in the URI"))?,
            };
            let content_type = headers
                .get(CONTENT_TYPE)
                .ok_or(Error::MissingHeader {
                    name: "Content-Type",
                })?
                .to_str()
                .map_err(|_| invalid("Content-Type", "not visible ASCII"))?;
            let query = request.uri().query().unwrap_or("");
            let body = request.body().as_ref();
            let mut sign_request = match method {
                Method::Post => Request::post(host, params.action, params.version, body),
                Method::Get => Request::get(host, params.action, params.version, query),
            }
            .content_type(content_type)
            .region(params.region.unwrap_or(""));
            if let Some(service) = params.service {
                sign_request = sign_request.with_service(service);
            }
            for name in self.signed_headers().names() {
                if let Some(value) = headers.get(name).and_then(|v| v.to_str().ok()) {
                    sign_request = sign_request.header(name, value);
                }
            }
            self.sign(credentials, &sign_request, params.timestamp)?
                .into_owned()
        };
        let headers = request.headers_mut();
        for header in signed.headers() {
            let mut value = HeaderValue::from_str(header.value())
                .map_err(|_| invalid(header.name, "not a valid header value"))?;
            value.set_sensitive(header.sensitive);
            let name = HeaderName::from_bytes(header.name.as_bytes())
                .map_err(|_| invalid(header.name, "not a valid header name"))?;
            headers.insert(name, value);
        }
        Ok(())
    }
}

fn invalid(field: &'static str, reason: &'static str) -> Error {
    Error::InvalidField {
        field,
        value: String::new(),
        reason,
    }
}
