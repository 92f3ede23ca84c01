//! HTTP authentication per realm (`process::http::authentication`): a
//! route installed with a realm is served only once the realm's
//! authenticator, if one is set, names a principal.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use base64::Engine as _;

use super::{internal_server_error, unauthorized, Request, Response};
use crate::event::{Event, HttpEvent};
use crate::runtime::Inner;
use crate::{Future, Outcome, Promise};

/// Who made a request: a name and/or claims.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Principal {
    /// The principal's name.
    pub value: Option<String>,
    /// Claims about the principal (from a token, say).
    pub claims: BTreeMap<String, String>,
}

impl Principal {
    /// A principal with a name and no claims.
    pub fn new(value: impl Into<String>) -> Principal {
        Principal {
            value: Some(value.into()),
            claims: BTreeMap::new(),
        }
    }
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.value, self.claims.is_empty()) {
            (Some(value), true) => f.write_str(value),
            _ => {
                let json = serde_json::json!({"value": self.value, "claims": self.claims});
                write!(f, "{}", json)
            }
        }
    }
}

/// What an authenticator concludes.
#[derive(Clone, Debug)]
pub enum AuthenticationResult {
    /// The request is `principal`'s.
    Principal(Principal),
    /// No acceptable credentials: this (401) response is sent.
    Unauthorized(Response),
    /// Credentials that may not use the realm: this (403) response is
    /// sent.
    Forbidden(Response),
}

/// Decides who a request comes from.
pub trait Authenticator: Send + Sync + 'static {
    /// Authenticates `request`; a failure is answered `500`.
    fn authenticate(&self, request: &Request) -> Future<AuthenticationResult>;

    /// The scheme, as in `WWW-Authenticate` (`Basic`).
    fn scheme(&self) -> String;
}

/// HTTP Basic authentication against a fixed set of credentials.
#[derive(Clone)]
pub struct BasicAuthenticator {
    realm: String,
    credentials: BTreeMap<String, String>,
}

impl fmt::Debug for BasicAuthenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Passwords stay out of logs.
        f.debug_struct("BasicAuthenticator")
            .field("realm", &self.realm)
            .field("users", &self.credentials.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl BasicAuthenticator {
    /// Accepts the `user → password` pairs in `credentials` for `realm`.
    pub fn new(
        realm: impl Into<String>,
        credentials: impl IntoIterator<Item = (String, String)>,
    ) -> BasicAuthenticator {
        BasicAuthenticator {
            realm: realm.into(),
            credentials: credentials.into_iter().collect(),
        }
    }

    fn user(&self, request: &Request) -> Option<String> {
        let header = request.headers.get("Authorization")?;
        let [scheme, encoded] = header.split(' ').collect::<Vec<_>>()[..] else {
            return None;
        };
        if scheme != "Basic" {
            return None;
        }
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .ok()?;
        let decoded = String::from_utf8(decoded).ok()?;
        let [user, password] = decoded.split(':').collect::<Vec<_>>()[..] else {
            return None;
        };
        (self.credentials.get(user).map(String::as_str) == Some(password)).then(|| user.to_string())
    }
}

impl Authenticator for BasicAuthenticator {
    fn authenticate(&self, request: &Request) -> Future<AuthenticationResult> {
        Future::ready(match self.user(request) {
            Some(user) => AuthenticationResult::Principal(Principal::new(user)),
            None => AuthenticationResult::Unauthorized(unauthorized(
                &[format!("Basic realm=\"{}\"", self.realm)],
                None,
            )),
        })
    }

    fn scheme(&self) -> String {
        "Basic".to_string()
    }
}

/// Makes `authenticator` guard the routes of `realm` (replacing any).
pub fn set_authenticator(realm: &str, authenticator: Arc<dyn Authenticator>) -> Future<()> {
    Inner::with(|inner| {
        inner
            .http
            .authenticators
            .write()
            .insert(realm.to_string(), authenticator);
    });
    Future::ready(())
}

/// Leaves the routes of `realm` unauthenticated.
pub fn unset_authenticator(realm: &str) -> Future<()> {
    Inner::with(|inner| {
        inner.http.authenticators.write().remove(realm);
    });
    Future::ready(())
}

pub(crate) fn authenticator(realm: &str) -> Option<Arc<dyn Authenticator>> {
    Inner::with(|inner| inner.http.authenticators.read().get(realm).cloned())
}

/// Runs `authenticator` on the request of the process being served; a
/// principal sends the request back to the process to be handled, any
/// other result is the response.
pub(crate) fn authenticate(
    authenticator: &dyn Authenticator,
    request: Request,
    promise: Promise<Response>,
) {
    let Some(cell) = crate::runtime::current_cell() else {
        promise.set(internal_server_error(None));
        return;
    };
    let result = authenticator.authenticate(&request);
    result.on_any(move |result| {
        let response = match result.outcome() {
            Some(Outcome::Ready(AuthenticationResult::Principal(principal))) => {
                if principal.value.is_none() && principal.claims.is_empty() {
                    internal_server_error(Some(
                        "In the principal returned by an HTTP authenticator, at least one of \
                         'value' and 'claims' must be set"
                            .to_string(),
                    ))
                } else {
                    let event = HttpEvent {
                        request,
                        promise,
                        principal: Some(Some(principal.clone())),
                    };
                    // Dropped unanswered if the process is gone: a 500.
                    if let Some(inner) = cell.runtime.upgrade() {
                        inner.deliver(&cell, Event::Http(Box::new(event)));
                    }
                    return;
                }
            }
            Some(Outcome::Ready(AuthenticationResult::Unauthorized(response)))
            | Some(Outcome::Ready(AuthenticationResult::Forbidden(response))) => response.clone(),
            Some(Outcome::Failed(message)) => internal_server_error(Some(message.clone())),
            Some(Outcome::Discarded) | None => internal_server_error(None),
        };
        promise.set(response);
    });
}
