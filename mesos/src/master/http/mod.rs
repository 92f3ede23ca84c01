//! The master's HTTP endpoints (Mesos' `Master::Http`): the classic read
//! endpoints ([`state`]), the v1 operator API ([`operator`], with the
//! protobufs it answers in [`responses`]), the v1 scheduler API
//! (`scheduler`), `/health` and `/redirect`.
//! Each handler reads the master's state through a model function.

pub mod operator;
pub mod responses;
pub(super) mod scheduler;
pub mod state;

use libprocess::http::{Request, Response};
use libprocess::{Future, Handlers, RouteOptions};
use serde_json::Value;

use crate::common::http::{ok_json, text};
use crate::master::Master;

/// Installs the routes on the master process.
pub(super) fn install(handlers: &mut Handlers<Master>) {
    handlers.route_with("/api/v1", RouteOptions::help(operator::HELP), Master::api);
    handlers.route_with(
        "/api/v1/scheduler",
        RouteOptions::help(scheduler::help()),
        |master: &mut Master, request| master.scheduler_api(request),
    );
    // `.json` is the name older tools use (Mesos dropped it in 1.7).
    for name in ["/state", "/state.json"] {
        read(handlers, name, |m, _| m.state_json());
    }
    read(handlers, "/state-summary", |m, _| m.state_summary_json());
    read(handlers, "/frameworks", |m, r| {
        m.frameworks_endpoint_json(r.url.query.get("framework_id").map(String::as_str))
    });
    read(handlers, "/slaves", |m, r| {
        m.slaves_json(r.url.query.get("slave_id").map(String::as_str))
    });
    read(handlers, "/tasks", |m, r| {
        m.tasks_json(&state::TasksQuery::parse(&r.url.query))
    });
    read(handlers, "/roles", |m, _| m.roles_json());
    read(
        handlers,
        "/flags",
        |m, _| serde_json::json!({ "flags": m.flags_json() }),
    );
    handlers.route("/health", |_, _| Future::ready(libprocess::http::ok("")));
    handlers.route("/redirect", |m: &mut Master, r| {
        Future::ready(m.redirect(&r))
    });
}

/// A read-only JSON endpoint: `model`'s value, with `jsonp` support.
fn read(
    handlers: &mut Handlers<Master>,
    name: &str,
    model: impl Fn(&Master, &Request) -> Value + Send + 'static,
) {
    handlers.route(name, move |master: &mut Master, request: Request| {
        Future::ready(ok_json(&model(master, &request), &request))
    });
}

impl Master {
    /// `/redirect`: to the leading master (this one, there being no
    /// contender), as a protocol-relative URL; a path under the endpoint
    /// is not found, which prevents redirection loops (Mesos'
    /// `Http::redirect`).
    fn redirect(&self, request: &Request) -> Response {
        let under = request
            .url
            .path
            .trim_start_matches('/')
            .split_once('/')
            .is_some_and(|(_, rest)| rest.starts_with("redirect/"));
        if under {
            return text(404, None);
        }
        let base = format!("//{}:{}", self.info.hostname(), self.info.port);
        libprocess::http::temporary_redirect(&base)
    }
}
