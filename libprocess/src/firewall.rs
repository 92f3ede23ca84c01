//! Rules that refuse HTTP requests before any process sees them
//! (`process::firewall`); Mesos' `--firewall_rules` installs them.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use crate::http::{forbidden, Request, Response};
use crate::runtime::Inner;

/// A rule applied to every HTTP request (not to libprocess messages).
pub trait FirewallRule: Send + Sync + 'static {
    /// `Some(response)` refuses the request with `response`.
    fn apply(&self, request: &Request) -> Option<Response>;
}

/// Refuses requests for the given paths, matched exactly, with `403
/// Forbidden`: `Endpoint '<path>' is disabled`.
#[derive(Clone)]
pub struct DisabledEndpointsFirewallRule {
    paths: BTreeSet<String>,
}

impl fmt::Debug for DisabledEndpointsFirewallRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(&self.paths).finish()
    }
}

impl DisabledEndpointsFirewallRule {
    /// Disables `paths` (`/<process id>/<route>`).
    pub fn new(
        paths: impl IntoIterator<Item = impl Into<String>>,
    ) -> DisabledEndpointsFirewallRule {
        DisabledEndpointsFirewallRule {
            paths: paths.into_iter().map(Into::into).collect(),
        }
    }
}

impl FirewallRule for DisabledEndpointsFirewallRule {
    fn apply(&self, request: &Request) -> Option<Response> {
        self.paths
            .contains(&request.url.path)
            .then(|| forbidden(Some(format!("Endpoint '{}' is disabled", request.url.path))))
    }
}

/// Replaces the current runtime's rules with `rules` (none: every request
/// passes).
pub fn install(rules: Vec<Arc<dyn FirewallRule>>) {
    Inner::with(|inner| *inner.http.firewall.write() = rules);
}
