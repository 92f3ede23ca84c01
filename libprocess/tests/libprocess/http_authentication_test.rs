//! libprocess' `HttpAuthenticationTest`: routes behind a realm.

use std::sync::Arc;

use base64::Engine as _;
use bytes::Bytes;
use libprocess::http::authentication::{
    set_authenticator, AuthenticationResult, Authenticator, BasicAuthenticator, Principal,
};
use libprocess::http::{self, Connection, Headers, Request};
use libprocess::testing::await_ready;
use libprocess::{terminate, wait, Future, Promise};
use parking_lot::Mutex;

use crate::http_test::{http_process, listening, next_call};

/// Answers each authentication with the next queued result.
struct MockAuthenticator {
    results: Mutex<Vec<Future<AuthenticationResult>>>,
}

impl MockAuthenticator {
    fn returning(results: Vec<Future<AuthenticationResult>>) -> Arc<MockAuthenticator> {
        Arc::new(MockAuthenticator {
            results: Mutex::new(results),
        })
    }
}

impl Authenticator for MockAuthenticator {
    fn authenticate(&self, _request: &Request) -> Future<AuthenticationResult> {
        self.results.lock().remove(0)
    }

    fn scheme(&self) -> String {
        "Mock".to_string()
    }
}

fn get(pid: &libprocess::UPID, headers: Headers) -> Future<http::Response> {
    http::get(pid, "authenticated", None, headers)
}

#[test]
fn no_authenticator() {
    let _rt = listening();
    let (pid, calls) = http_process();
    let response = get(pid.upid(), Headers::new());
    let call = next_call(&calls);
    assert_eq!(None, call.principal);
    call.response.set(http::ok(""));
    assert_eq!("200 OK", await_ready(&response).status());
    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn unauthorized() {
    let _rt = listening();
    let (pid, _calls) = http_process();
    let challenge = "Basic realm=\"realm\"".to_string();
    let result = AuthenticationResult::Unauthorized(http::unauthorized(
        std::slice::from_ref(&challenge),
        None,
    ));
    await_ready(&set_authenticator(
        "realm",
        MockAuthenticator::returning(vec![Future::ready(result)]),
    ));
    let response = await_ready(&get(pid.upid(), Headers::new()));
    assert_eq!("401 Unauthorized", response.status());
    assert_eq!(
        Some(challenge.as_str()),
        response.headers.get("WWW-Authenticate")
    );
    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn forbidden() {
    let _rt = listening();
    let (pid, _calls) = http_process();
    let result = AuthenticationResult::Forbidden(http::forbidden(None));
    await_ready(&set_authenticator(
        "realm",
        MockAuthenticator::returning(vec![Future::ready(result)]),
    ));
    let response = await_ready(&get(pid.upid(), Headers::new()));
    assert_eq!("403 Forbidden", response.status());
    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn authenticated() {
    let _rt = listening();
    let (pid, calls) = http_process();
    let result = AuthenticationResult::Principal(Principal::new("principal"));
    await_ready(&set_authenticator(
        "realm",
        MockAuthenticator::returning(vec![Future::ready(result)]),
    ));
    let response = get(pid.upid(), Headers::new());
    let call = next_call(&calls);
    assert_eq!(Some(Principal::new("principal")), call.principal);
    call.response.set(http::ok(""));
    assert_eq!("200 OK", await_ready(&response).status());
    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn invalid_principal() {
    let _rt = listening();
    let (pid, _calls) = http_process();
    let result = AuthenticationResult::Principal(Principal::default());
    await_ready(&set_authenticator(
        "realm",
        MockAuthenticator::returning(vec![Future::ready(result)]),
    ));
    let response = await_ready(&get(pid.upid(), Headers::new()));
    assert_eq!("500 Internal Server Error", response.status());
    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn pipelining() {
    let _rt = listening();
    let (pid, calls) = http_process();
    let (p1, p2) = (Promise::new(), Promise::new());
    await_ready(&set_authenticator(
        "realm",
        MockAuthenticator::returning(vec![p1.future(), p2.future()]),
    ));
    let connection: Connection = await_ready(&http::connect(&http::url_of(pid.upid(), "")));
    let request = |body: &str| Request {
        keep_alive: true,
        body: Bytes::from(body.to_string()),
        ..Request::new("GET", http::url_of(pid.upid(), "authenticated"))
    };
    let r1 = connection.send(request("1"), false);
    let r2 = connection.send(request("2"), false);

    // Authenticated in the reverse order; answered in request order.
    p2.set(AuthenticationResult::Principal(Principal::new(
        "principal2",
    )));
    let call2 = next_call(&calls);
    p1.set(AuthenticationResult::Principal(Principal::new(
        "principal1",
    )));
    let call1 = next_call(&calls);
    assert_eq!(Some(Principal::new("principal1")), call1.principal);
    assert_eq!(Some(Principal::new("principal2")), call2.principal);
    call2.response.set(http::ok(call2.request.body.clone()));
    call1.response.set(http::ok(call1.request.body.clone()));
    assert_eq!(Bytes::from("1"), await_ready(&r1).body_bytes());
    assert_eq!(Bytes::from("2"), await_ready(&r2).body_bytes());

    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn basic() {
    let _rt = listening();
    let (pid, calls) = http_process();
    await_ready(&set_authenticator(
        "realm",
        Arc::new(BasicAuthenticator::new(
            "realm",
            [("user".to_string(), "password".to_string())],
        )),
    ));
    let basic = |credentials: &str| {
        let encoded = base64::engine::general_purpose::STANDARD.encode(credentials);
        Headers::from([("Authorization", format!("Basic {}", encoded))])
    };

    let response = await_ready(&get(pid.upid(), Headers::new()));
    assert_eq!("401 Unauthorized", response.status());
    assert_eq!(
        Some("Basic realm=\"realm\""),
        response.headers.get("WWW-Authenticate")
    );
    assert_eq!(Bytes::from("401 Unauthorized."), response.body_bytes());
    for wrong in ["user:wrongpassword", "wronguser:password"] {
        let response = await_ready(&get(pid.upid(), basic(wrong)));
        assert_eq!("401 Unauthorized", response.status(), "{}", wrong);
    }

    let response = get(pid.upid(), basic("user:password"));
    let call = next_call(&calls);
    assert_eq!(Some(Principal::new("user")), call.principal);
    call.response.set(http::ok(""));
    assert_eq!("200 OK", await_ready(&response).status());

    terminate(&pid, false);
    wait(&pid, None);
}
