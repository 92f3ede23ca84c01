//! The agent's HTTP endpoints (Mesos' `slave::Http`): the v1 executor
//! API ([`executor`]), the v1 operator API ([`operator`], with the
//! protobufs it answers in [`responses`]), the classic read endpoints
//! `/state` and `/flags` ([`state`]), `/containers` and
//! `/monitor/statistics` ([`containers`]), and `/health`.

pub mod containers;
pub mod executor;
pub mod operator;
pub mod responses;
pub mod state;
mod validation;

use std::sync::Arc;

use libprocess::http::help::{self, help};
use libprocess::http::Response;
use libprocess::{Future, Handlers, RateLimiter, RouteOptions};

use crate::common::http::ok_json;
use crate::slave::{Slave, SlaveState};

/// What the endpoints keep between requests (Mesos' `Http` members).
#[derive(Debug, Default)]
pub struct Http {
    /// Spaces out `/monitor/statistics` requests: each asks every
    /// container for its usage.
    statistics_limiter: Option<Arc<RateLimiter>>,
}

/// Installs the routes on the agent process.
pub(super) fn install(slave: &mut Slave, handlers: &mut Handlers<Slave>) {
    // Two a second, as Mesos limits it.
    let limiter = RateLimiter::new(2, stout::Duration::from_secs(1));
    slave.http.statistics_limiter = Some(Arc::new(limiter));

    handlers.route_with("/api/v1", RouteOptions::help(operator::help()), Slave::api);
    // `.json` is the name older tools use (Mesos dropped it in 1.7).
    for name in ["/state", "/state.json"] {
        handlers.route_with(
            name,
            RouteOptions::help(state::help()),
            |s: &mut Slave, r| Future::ready(s.state_endpoint(&r)),
        );
    }
    handlers.route_with(
        "/flags",
        RouteOptions::help(state::flags_help()),
        |s: &mut Slave, r| Future::ready(ok_json(&s.flags_endpoint_json(), &r)),
    );
    handlers.route_with("/health", RouteOptions::help(health_help()), |_, _| {
        Future::ready(libprocess::http::ok(""))
    });
    for name in ["/monitor/statistics", "/monitor/statistics.json"] {
        handlers.route_with(
            name,
            RouteOptions::help(containers::statistics_help()),
            Slave::statistics_endpoint,
        );
    }
    handlers.route_with(
        "/containers",
        RouteOptions::help(containers::containers_help()),
        Slave::containers_endpoint,
    );
}

fn health_help() -> String {
    help(
        &help::tldr("Health check of the Agent."),
        Some(&help::description(&[
            "Returns 200 OK iff the Agent is healthy.",
            "Delayed responses are also indicative of poor health.",
        ])),
        Some(&help::authentication(false)),
        None,
        None,
    )
}

impl Slave {
    /// `503` while the agent recovers, as Mesos answers the endpoints
    /// that show its state.
    fn unavailable_while_recovering(&self) -> Option<Response> {
        (self.state == SlaveState::Recovering).then(|| {
            libprocess::http::service_unavailable(Some("Agent has not finished recovery".into()))
        })
    }
}
