//! Serving HTTP requests to processes: from the request as decoded off a
//! connection to the response future the connection writes, in the order
//! libprocess checks things (path, delegate, firewall, process).

use std::collections::HashMap;
use std::sync::Arc;

use bytes::BytesMut;
use parking_lot::RwLock;

use super::authentication::Authenticator;
use super::help::HELP;
use super::{bad_request, internal_server_error, not_found, ok_json, Body, Request, Response};
use crate::event::{Event, HttpEvent};
use crate::firewall::FirewallRule;
use crate::runtime::Inner;
use crate::wire;
use crate::{Future, Promise, Time, UPID};

/// The HTTP side of a runtime: firewall rules, authenticators by realm,
/// and the process that gets requests no process claims.
#[derive(Default)]
pub(crate) struct ServerState {
    pub(crate) firewall: RwLock<Vec<Arc<dyn FirewallRule>>>,
    pub(crate) authenticators: RwLock<HashMap<String, Arc<dyn Authenticator>>>,
    pub(crate) delegate: RwLock<Option<String>>,
    /// What `/help` serves.
    pub(crate) help: RwLock<super::help::Registry>,
}

/// The id of the built-in process listing every process' queue.
pub(crate) const PROCESSES: &str = "__processes__";

/// Routes a (non-message) request to the process its path names.
pub(crate) fn handle(inner: &Arc<Inner>, mut request: Request) -> Future<Response> {
    if !request.url.path.starts_with('/') {
        return Future::ready(bad_request(Some(
            "Request URL path must start with '/'".to_string(),
        )));
    }
    if request.url.path.contains("/..") {
        return Future::ready(not_found(None));
    }
    let delegate = inner.http.delegate.read().clone();
    let first = request
        .url
        .path
        .split('/')
        .find(|token| !token.is_empty())
        .map(str::to_string);
    let id = match (first, &delegate) {
        (None, Some(delegate)) => {
            request.url.path = format!("/{}", delegate);
            Some(delegate.clone())
        }
        (None, None) => None,
        (Some(first), delegate) => {
            let id = super::decode(&first).ok();
            let exists = id
                .as_deref()
                .is_some_and(|id| id == PROCESSES || id == HELP || inner.process_exists(id));
            match delegate {
                Some(delegate) if !exists => {
                    request.url.path = format!("/{}{}", delegate, request.url.path);
                    Some(delegate.clone())
                }
                _ => id,
            }
        }
    };
    let rules = inner.http.firewall.read().clone();
    if let Some(response) = rules.iter().find_map(|rule| rule.apply(&request)) {
        return Future::ready(response);
    }
    let Some(id) = id else {
        return Future::ready(not_found(None));
    };
    let to = UPID::new(&*id, inner.address());
    match inner.lookup(&to) {
        Some(cell) => {
            let promise = Promise::new();
            let future = promise.future();
            let event = HttpEvent {
                request,
                promise,
                principal: None,
            };
            // An event the process drops unanswered abandons the future;
            // the connection answers 500 then.
            inner.deliver(&cell, Event::Http(Box::new(event)));
            future
        }
        None if id == PROCESSES => processes(inner, &request),
        None if id == HELP => Future::ready(inner.http.help.read().serve(&request)),
        None => Future::ready(not_found(None)),
    }
}

/// `/__processes__`: every process' id and queued events, as JSON.
fn processes(inner: &Arc<Inner>, request: &Request) -> Future<Response> {
    if request.url.path.trim_matches('/') != PROCESSES {
        return Future::ready(not_found(None));
    }
    let described: Vec<Future<Option<serde_json::Value>>> = inner
        .cells()
        .into_iter()
        .map(|cell| {
            let promise = Promise::new();
            let future = promise.future();
            inner.deliver(&cell, Event::Inspect(promise));
            // A process that terminates first is left out.
            future.map(Some).recover(|_| Future::ready(None))
        })
        .collect();
    crate::collect(described).map(|processes| {
        let processes: Vec<serde_json::Value> = processes.into_iter().flatten().collect();
        ok_json(serde_json::Value::Array(processes), None)
    })
}

/// The response a failed, discarded or abandoned handler future becomes.
pub(crate) fn failure_response(error: &crate::FutureError) -> Response {
    match error {
        crate::FutureError::Failed(message) => internal_server_error(Some(message.clone())),
        crate::FutureError::Discarded => internal_server_error(Some("discarded future".into())),
        crate::FutureError::Abandoned => internal_server_error(None),
    }
}

/// Writes `response` with the wire encoder: its headers (less `Date`
/// and the framing, which are ours), then a whole body with its
/// `Content-Length`, or for a streamed body `Transfer-Encoding: chunked`
/// and no body yet.
pub(crate) fn encode_response(response: &Response, date: Time, out: &mut BytesMut) {
    let ours = ["Date", "Content-Length", "Transfer-Encoding"];
    let headers: Vec<(&str, &str)> = response
        .headers
        .iter()
        .filter(|(name, _)| !ours.iter().any(|o| o.eq_ignore_ascii_case(name)))
        .collect();
    let body: &[u8] = match &response.body {
        Body::Pipe(_) => return wire::encode_chunked_head(response.code, &headers, date, out),
        Body::Bytes(bytes) => bytes,
        Body::None => &[],
    };
    // A declared length shorter than the body cuts it, as libprocess does.
    let length = response
        .headers
        .get("Content-Length")
        .and_then(|length| length.parse::<usize>().ok())
        .map_or(body.len(), |length| length.min(body.len()));
    wire::encode_response(response.code, &headers, &body[..length], date, out);
}

/// The route `path` names on process `id`, as libprocess matches it:
/// the path less `/<id>`, trimmed of slashes.
pub(crate) fn route_name<'a>(path: &'a str, id_token: &str) -> &'a str {
    let rest = path
        .trim_start_matches('/')
        .strip_prefix(id_token)
        .unwrap_or_default();
    rest.trim_matches('/')
}

/// POSIX `dirname` of a route name (`a/b` → `a`, `a` → `.`).
pub(crate) fn dirname(name: &str) -> &str {
    match name.rfind('/') {
        Some(i) => {
            let head = name[..i].trim_end_matches('/');
            if head.is_empty() {
                "/"
            } else {
                head
            }
        }
        None => ".",
    }
}
