//! HTTP on libprocess (`process::http`): the request and response types,
//! streaming bodies ([`pipe`]), routes on processes (installed with
//! [`Handlers::route`](crate::Handlers::route) and served on the runtime's
//! port at `/<process id>/<route>`), a client, and per-realm
//! authentication.

pub mod authentication;
mod client;
mod headers;
pub mod help;
mod markdown;
pub mod pipe;
mod request;
mod response;
mod serve;
pub(crate) mod server;
mod url;

pub use client::{connect, connect_to, get, post, request, streaming, url_of, Connection, Scheme};
pub use headers::Headers;
pub use request::{decode, encode, path, query, Request};
pub use response::{
    accepted, bad_request, conflict, forbidden, internal_server_error, method_not_allowed,
    not_found, ok, ok_json, service_unavailable, temporary_redirect, unauthorized, Body, Response,
};
pub use serve::serve;
pub use url::Url;

/// The status line text libprocess uses for `code` (`"200 OK"`); an
/// unknown code is just its number.
pub fn status_string(code: u16) -> String {
    match reason(code) {
        Some(reason) => format!("{} {}", code, reason),
        None => code.to_string(),
    }
}

/// Whether libprocess knows `code` (its client refuses other codes).
pub fn is_valid_status(code: u16) -> bool {
    reason(code).is_some()
}

/// libprocess' reason phrases.
pub(crate) fn reason(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        305 => "Use Proxy",
        307 => "Temporary Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Time-out",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        414 => "Request-URI Too Large",
        415 => "Unsupported Media Type",
        416 => "Requested range not satisfiable",
        417 => "Expectation Failed",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Time-out",
        505 => "HTTP Version not supported",
        _ => return None,
    })
}
