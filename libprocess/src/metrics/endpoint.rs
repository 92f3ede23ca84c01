//! The `metrics` process: `/metrics/snapshot` over HTTP, rate limited as
//! libprocess does (`LIBPROCESS_METRICS_SNAPSHOT_ENDPOINT_RATE_LIMIT`).

use std::collections::VecDeque;
use std::sync::Arc;

use stout::Duration;

use crate::http::{bad_request, ok_json, Request, Response};
use crate::runtime::Inner;
use crate::{Clock, Future, Handlers, Process, Promise, Time};

const RATE_LIMIT: &str = "LIBPROCESS_METRICS_SNAPSHOT_ENDPOINT_RATE_LIMIT";

/// Spaces snapshot requests `interval` apart; later ones wait their turn
/// (libprocess queues them, it never refuses one).
struct Limiter {
    interval: Duration,
    next: Option<Time>,
}

struct Metrics {
    limiter: Option<Limiter>,
    /// Requests waiting for their permit, oldest first.
    waiting: VecDeque<(Request, Promise<Response>)>,
}

impl Process for Metrics {
    fn initialize(&mut self, handlers: &mut Handlers<Metrics>) {
        handlers.route("/snapshot", |metrics: &mut Metrics, request| {
            metrics.snapshot_limited(request)
        });
    }
}

impl Metrics {
    fn snapshot_limited(&mut self, request: Request) -> Future<Response> {
        let Some(limiter) = &mut self.limiter else {
            return snapshot(&request);
        };
        let now = Clock::now();
        let permit = limiter.next.filter(|next| *next > now).unwrap_or(now);
        limiter.next = Some(permit + limiter.interval);
        if permit <= now && self.waiting.is_empty() {
            return snapshot(&request);
        }
        let promise = Promise::new();
        let future = promise.future();
        self.waiting.push_back((request, promise));
        if let Some(self_pid) = crate::self_typed::<Metrics>() {
            crate::delay(permit - now, &self_pid, |metrics: &mut Metrics| {
                if let Some((request, promise)) = metrics.waiting.pop_front() {
                    promise.associate(snapshot(&request));
                }
            });
        }
        future
    }
}

fn snapshot(request: &Request) -> Future<Response> {
    let timeout = match request.url.query.get("timeout") {
        None => None,
        Some(text) => match Duration::parse(text) {
            Ok(timeout) => Some(timeout),
            Err(error) => {
                return Future::ready(bad_request(Some(format!(
                    "Invalid timeout '{}': {}.\n",
                    text, error
                ))))
            }
        },
    };
    let jsonp = request.url.query.get("jsonp").cloned();
    super::snapshot(timeout)
        .map(move |snapshot| ok_json(super::snapshot_json(&snapshot), jsonp.as_deref()))
}

/// The limit the environment asks for: `<requests>/<interval>`, none when
/// empty, 2 per second when unset.
fn rate_limit() -> stout::Try<Option<Limiter>> {
    let value = std::env::var(RATE_LIMIT).ok();
    let (requests, interval) = match value.as_deref() {
        None => (2, Duration::from_secs(1)),
        Some("") => return Ok(None),
        Some(text) => {
            let error = |reason: String| {
                stout::Error::new(format!(
                    "Failed to parse {} '{}' (format is <number of requests>/<interval duration>){}",
                    RATE_LIMIT, text, reason
                ))
            };
            let (requests, interval) = text.split_once('/').ok_or_else(|| error(String::new()))?;
            let requests = requests
                .parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| error(String::new()))?;
            let interval = Duration::parse(interval).map_err(|e| error(format!(": {}", e)))?;
            (requests, interval)
        }
    };
    Ok(Some(Limiter {
        interval: interval / i64::from(requests),
        next: None,
    }))
}

/// Spawns the `metrics` process on `inner`.
pub(crate) fn serve(inner: &Arc<Inner>) -> stout::Try<()> {
    let limiter = rate_limit()?;
    let _enter = crate::runtime::enter_inner(inner.clone());
    crate::spawn_with_id(
        Metrics {
            limiter,
            waiting: VecDeque::new(),
        },
        "metrics",
    );
    Ok(())
}
