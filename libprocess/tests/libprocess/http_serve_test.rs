//! libprocess' `HttpServeTest`: `http::serve` on an accepted socket.

use std::net::{Ipv4Addr, TcpListener};
use std::sync::mpsc;
use std::time::Duration as StdDuration;

use bytes::Bytes;
use libprocess::http::{self, Request, Response, Scheme, Url};
use libprocess::testing::{self, await_ready};
use libprocess::{Future, Promise};

#[test]
fn pipelining() {
    let _rt = testing::runtime();
    let server = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("binds");
    let address = server.local_addr().expect("bound");

    let connect = http::connect_to(address, Scheme::Http, None);
    let (socket, _) = server.accept().expect("accepts");
    let connection = await_ready(&connect);

    // The first three requests wait for the test to answer; later ones
    // are answered at once.
    let (requests, handled) = mpsc::channel::<(Request, Promise<Response>)>();
    let mut count = 0;
    let serve = http::serve(socket, move |request| {
        count += 1;
        if count > 3 {
            return Future::ready(http::ok(""));
        }
        let promise = Promise::new();
        let response = promise.future();
        let _ = requests.send((request, promise));
        response
    });
    let next = || {
        handled
            .recv_timeout(StdDuration::from_secs(15))
            .expect("a request was handled")
    };

    let request = Request {
        keep_alive: true,
        ..Request::new("GET", Url::new("http", address.ip(), address.port(), "/"))
    };
    let response1 = connection.send(request.clone(), false);
    let response2 = connection.send(request.clone(), false);
    let response3 = connection.send(request, false);

    let (_, promise1) = next();
    let (_, promise2) = next();
    let (_, promise3) = next();

    assert!(response1.is_pending());
    assert!(response2.is_pending());
    assert!(response3.is_pending());

    // The third answer waits for the first two.
    promise3.set(http::ok("3"));

    assert!(response1.is_pending());
    assert!(response2.is_pending());
    assert!(response3.is_pending());

    promise1.set(http::ok("1"));

    assert_eq!(Bytes::from("1"), await_ready(&response1).body_bytes());
    assert!(response2.is_pending());
    assert!(response3.is_pending());

    promise2.set(http::ok("2"));

    assert_eq!(Bytes::from("2"), await_ready(&response2).body_bytes());
    assert_eq!(Bytes::from("3"), await_ready(&response3).body_bytes());

    await_ready(&connection.disconnect());

    await_ready(&serve);
}
