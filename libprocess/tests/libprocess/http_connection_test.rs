//! libprocess' `HTTPConnectionTest`: one client connection, pipelined
//! requests, responses in order, closing from either side.

use bytes::Bytes;
use libprocess::http::{self, pipe, Connection, Request, Response};
use libprocess::testing::{await_failed, await_ready};
use libprocess::{terminate, wait, Future};

use crate::http_test::{http_process, listening, next_call};

fn connect(pid: &libprocess::UPID) -> Connection {
    await_ready(&http::connect(&http::url_of(pid, "")))
}

fn keep_alive(pid: &libprocess::UPID, path: &str, body: &str) -> Request {
    Request {
        keep_alive: true,
        body: Bytes::from(body.to_string()),
        ..Request::new("GET", http::url_of(pid, path))
    }
}

#[test]
fn serial() {
    let _rt = listening();
    let (pid, calls) = http_process();
    let connection = connect(pid.upid());

    let response = connection.send(keep_alive(pid.upid(), "get", "1"), false);
    let call = next_call(&calls);
    assert_eq!(Bytes::from("1"), call.request.body);
    call.response.set(http::ok("1"));
    assert_eq!(Bytes::from("1"), await_ready(&response).body_bytes());

    let response = connection.send(keep_alive(pid.upid(), "get", "2"), true);
    let call = next_call(&calls);
    assert_eq!(Bytes::from("2"), call.request.body);
    call.response.set(http::ok("2"));
    let response = await_ready(&response);
    let reader = response.reader().expect("streamed").clone();
    assert_eq!(Bytes::from("2"), await_ready(&reader.read()));
    assert_eq!(Bytes::new(), await_ready(&reader.read()));

    await_ready(&connection.disconnect());
    await_ready(&connection.disconnected());
    await_failed(&connection.send(keep_alive(pid.upid(), "get", "3"), false));

    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn pipeline() {
    let _rt = listening();
    let (pid, calls) = http_process();
    let connection = connect(pid.upid());

    let r1 = connection.send(keep_alive(pid.upid(), "get", "1"), false);
    let r2 = connection.send(keep_alive(pid.upid(), "get", "2"), true);
    let r3 = connection.send(keep_alive(pid.upid(), "get", "3"), false);
    let c1 = next_call(&calls);
    let c2 = next_call(&calls);
    let c3 = next_call(&calls);
    assert_eq!(
        vec![Bytes::from("1"), Bytes::from("2"), Bytes::from("3")],
        vec![
            c1.request.body.clone(),
            c2.request.body.clone(),
            c3.request.body.clone()
        ]
    );

    // Later answers wait for the first.
    c3.response.set(http::ok("3"));
    c2.response.set(http::ok("2"));
    let settled = |f: &Future<Response>| !f.wait_for(stout::Duration::from_millis(50));
    assert!(settled(&r1) && settled(&r2) && settled(&r3));

    c1.response.set(http::ok("1"));
    assert_eq!(Bytes::from("1"), await_ready(&r1).body_bytes());
    let reader = await_ready(&r2).reader().expect("streamed").clone();
    assert_eq!(Bytes::from("2"), await_ready(&reader.read()));
    assert_eq!(Bytes::new(), await_ready(&reader.read()));
    assert_eq!(Bytes::from("3"), await_ready(&r3).body_bytes());

    await_ready(&connection.disconnect());
    await_failed(&connection.send(keep_alive(pid.upid(), "get", "4"), false));

    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn closing_request() {
    let _rt = listening();
    let (pid, calls) = http_process();
    let connection = connect(pid.upid());

    let r1 = connection.send(keep_alive(pid.upid(), "get", "1"), false);
    let closing = Request {
        keep_alive: false,
        ..keep_alive(pid.upid(), "get", "2")
    };
    let r2 = connection.send(closing, false);
    // Nothing may follow a request that closes the connection.
    assert_eq!(
        "Cannot pipeline after 'Connection: close'",
        await_failed(&connection.send(keep_alive(pid.upid(), "get", "3"), false))
    );

    next_call(&calls).response.set(http::ok("1"));
    next_call(&calls).response.set(http::ok("2"));
    assert_eq!(Bytes::from("1"), await_ready(&r1).body_bytes());
    assert_eq!(Bytes::from("2"), await_ready(&r2).body_bytes());
    await_ready(&connection.disconnected());

    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn closing_response() {
    let _rt = listening();
    let (pid, calls) = http_process();
    let connection = connect(pid.upid());

    let r1 = connection.send(keep_alive(pid.upid(), "get", "1"), false);
    let r2 = connection.send(keep_alive(pid.upid(), "get", "2"), false);
    let c1 = next_call(&calls);
    let _c2 = next_call(&calls);

    let mut response = http::ok("1");
    response.headers.insert("Connection", "close");
    c1.response.set(response);
    assert_eq!(Bytes::from("1"), await_ready(&r1).body_bytes());
    await_failed(&r2);
    await_ready(&connection.disconnected());

    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn reference_counting() {
    let _rt = listening();
    let (pid, _calls) = http_process();
    let connection = connect(pid.upid());
    let disconnected = connection.disconnected();
    assert!(disconnected.is_pending());
    drop(connection);
    await_ready(&disconnected);
    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn equality() {
    let _rt = listening();
    let (pid, _calls) = http_process();
    let a = connect(pid.upid());
    let b = connect(pid.upid());
    assert_ne!(a, b);
    assert_eq!(a, a.clone());
    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn request_streaming() {
    let _rt = listening();
    let (pid, calls) = http_process();
    let url = http::url_of(pid.upid(), "requeststreaming");
    let connection = await_ready(&http::connect(&url));

    let (body, writer) = pipe::pipe();
    let request = Request {
        keep_alive: true,
        reader: Some(body),
        ..Request::new("POST", url)
    };
    let response = connection.send(request, false);

    // The route gets the request before its body.
    let call = next_call(&calls);
    let reader = call.request.reader.clone().expect("a streamed body");

    writer.write("Hello");
    let mut read = Vec::new();
    while read != b"Hello" {
        read.extend_from_slice(&await_ready(&reader.read()));
        assert!(b"Hello".starts_with(&read));
    }
    writer.close();
    assert_eq!(Bytes::new(), await_ready(&reader.read()));

    call.response.set(http::ok("1"));
    let response = await_ready(&response);
    assert_eq!("200 OK", response.status());
    assert_eq!(Bytes::from("1"), response.body_bytes());

    await_ready(&connection.disconnect());
    await_ready(&connection.disconnected());

    terminate(&pid, false);
    wait(&pid, None);
}

// Not an upstream test: a streamed body sent to a route that takes whole
// bodies arrives whole, and the connection goes on serving the requests
// after it.
#[test]
fn request_streaming_whole_body() {
    let _rt = listening();
    let (pid, calls) = http_process();
    let connection = connect(pid.upid());

    let (body, writer) = pipe::pipe();
    let request = Request {
        keep_alive: true,
        reader: Some(body),
        ..Request::new("POST", http::url_of(pid.upid(), "post"))
    };
    let response1 = connection.send(request, false);
    let response2 = connection.send(keep_alive(pid.upid(), "get", "2"), false);
    writer.write("Hello ");
    writer.write("World");
    writer.close();

    // The second request may reach its route first: the first one's
    // handler runs once its body is all there.
    let (first, second) = (next_call(&calls), next_call(&calls));
    let (post, get) = if first.route == "/post" {
        (first, second)
    } else {
        (second, first)
    };
    assert_eq!("/post", post.route);
    assert!(post.request.reader.is_none());
    assert_eq!(Bytes::from("Hello World"), post.request.body);
    assert_eq!(Bytes::from("2"), get.request.body);

    // Answered in reverse, the responses still come in request order.
    get.response.set(http::ok("2"));
    assert!(response1.is_pending());
    post.response.set(http::ok("1"));

    assert_eq!(Bytes::from("1"), await_ready(&response1).body_bytes());
    assert_eq!(Bytes::from("2"), await_ready(&response2).body_bytes());

    terminate(&pid, false);
    wait(&pid, None);
}
