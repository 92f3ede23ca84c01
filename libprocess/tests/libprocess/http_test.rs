//! libprocess' `HTTPTest` and `URLTest`: routes, the client, pipes,
//! percent-encoding, over loopback.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4, TcpStream};
use std::sync::mpsc;
use std::time::Duration as StdDuration;

use bytes::Bytes;
use libprocess::http::{self, pipe, Headers, Request, Response, Url};
use libprocess::testing::{self, await_failed, await_ready};
use libprocess::{
    address, dispatch, spawn, terminate, wait, Builder, Future, Handlers, Process, Promise,
    RouteOptions, PID,
};

pub(crate) fn listening() -> testing::TestRuntime {
    testing::runtime_with(
        Builder::default()
            .workers(2)
            .listen(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)),
    )
}

/// A request as a route got it, and the promise of its response.
pub(crate) struct Call {
    pub(crate) route: &'static str,
    pub(crate) request: Request,
    pub(crate) principal: Option<http::authentication::Principal>,
    pub(crate) response: Promise<Response>,
}

/// libprocess' `HttpProcess`: every route hands its request to the test,
/// which answers through the call's promise.
pub(crate) struct HttpProcess {
    calls: mpsc::Sender<Call>,
}

impl Process for HttpProcess {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        for route in [
            "/body", "/pipe", "/get", "/post", "/delete", "/request", "/a", "/a/b/c",
        ] {
            handlers.route(route, move |p: &mut HttpProcess, request| {
                p.call(route, request, None)
            });
        }
        // Takes its request body as it arrives.
        handlers.route_with(
            "/requeststreaming",
            RouteOptions::default().request_streaming(),
            |p: &mut HttpProcess, request| p.call("/requeststreaming", request, None),
        );
        handlers.route_authenticated(
            "/authenticated",
            "realm",
            |p: &mut HttpProcess, request, principal| p.call("/authenticated", request, principal),
        );
    }
}

impl HttpProcess {
    fn call(
        &mut self,
        route: &'static str,
        request: Request,
        principal: Option<http::authentication::Principal>,
    ) -> Future<Response> {
        let response = Promise::new();
        let future = response.future();
        let _ = self.calls.send(Call {
            route,
            request,
            principal,
            response,
        });
        future
    }
}

/// A spawned `HttpProcess` and the calls its routes get.
pub(crate) fn http_process() -> (PID<HttpProcess>, mpsc::Receiver<Call>) {
    let (calls, received) = mpsc::channel();
    (spawn(HttpProcess { calls }), received)
}

/// The next call a route got (waits at most 15 s).
pub(crate) fn next_call(calls: &mpsc::Receiver<Call>) -> Call {
    calls
        .recv_timeout(StdDuration::from_secs(15))
        .expect("a route was called")
}

#[test]
fn statuses() {
    assert!(http::is_valid_status(200));
    assert!(http::is_valid_status(404));
    assert!(!http::is_valid_status(1337));
    assert_eq!("1337", http::status_string(1337));
    assert_eq!("504 Gateway Time-out", http::status_string(504));
}

#[test]
fn endpoints() {
    let _rt = listening();
    let (pid, calls) = http_process();
    let address = pid.upid().address();

    // A raw HTTP/1.0 request with keep-alive.
    let mut socket = TcpStream::connect(address).expect("connects");
    write!(
        socket,
        "GET /{}/body HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
        pid.upid().id()
    )
    .expect("writes");
    let call = next_call(&calls);
    assert_eq!("/body", call.route);
    call.response.set(http::ok(""));
    let mut status = [0u8; 15];
    socket.read_exact(&mut status).expect("reads");
    assert_eq!(b"HTTP/1.1 200 OK", &status);

    // A trailing slash still finds the route.
    let response = http::get(pid.upid(), "body/", None, Headers::new());
    next_call(&calls).response.set(http::ok(""));
    assert_eq!("200 OK", await_ready(&response).status());

    // A failed handler future is a 500 carrying the failure.
    let response = http::get(pid.upid(), "body", None, Headers::new());
    next_call(&calls)
        .response
        .associate(Future::failed("failure"));
    let response = await_ready(&response);
    assert_eq!("500 Internal Server Error", response.status());
    assert_eq!(Bytes::from("failure"), response.body_bytes());

    // A streamed response, read whole.
    let response = http::get(pid.upid(), "pipe", None, Headers::new());
    let (reader, writer) = pipe::pipe();
    next_call(&calls).response.set(Response::pipe(200, reader));
    writer.write("Hello World\n");
    writer.close();
    let response = await_ready(&response);
    assert_eq!(200, response.code);
    assert_eq!("200 OK", response.status());
    assert_eq!(Some("chunked"), response.headers.get("Transfer-Encoding"));
    assert_eq!(Bytes::from("Hello World\n"), response.body_bytes());

    terminate(&pid, false);
    wait(&pid, None);
}

/// A client that goes away in the middle of a streamed response closes
/// the stream's reader, so its producer learns it (libprocess closes the
/// pipe when the socket closes), without writing again first.
#[test]
fn streamed_response_ends_when_the_client_goes_away() {
    let _rt = listening();
    let (pid, calls) = http_process();
    let mut socket = TcpStream::connect(pid.upid().address()).expect("connects");
    write!(
        socket,
        "GET /{}/pipe HTTP/1.1\r\nHost: localhost\r\n\r\n",
        pid.upid().id()
    )
    .expect("writes");
    let (reader, writer) = pipe::pipe();
    next_call(&calls).response.set(Response::pipe(200, reader));
    let closed = writer.reader_closed();
    assert!(writer.write("Hello"));
    let mut status = [0u8; 15];
    socket.read_exact(&mut status).expect("reads");
    assert_eq!(b"HTTP/1.1 200 OK", &status);
    assert!(closed.is_pending());

    drop(socket);
    await_ready(&closed);
    assert!(!writer.write("World"));

    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn pipe_eof() {
    let (reader, writer) = pipe::pipe();
    let read = reader.read();
    assert!(read.is_pending());
    assert!(writer.write(""));
    assert!(read.is_pending());
    assert!(writer.write("hello"));
    assert_eq!(Bytes::from("hello"), await_ready(&read));
    assert!(writer.write("world"));
    assert_eq!(Bytes::from("world"), await_ready(&reader.read()));
    assert!(writer.write("!"));
    assert!(writer.close());
    assert_eq!(Bytes::from("!"), await_ready(&reader.read()));
    assert_eq!(Bytes::new(), await_ready(&reader.read()));
    assert_eq!(Bytes::new(), await_ready(&reader.read()));
    assert!(!writer.write("!"));
    assert_eq!(Bytes::new(), await_ready(&reader.read()));
    assert!(!writer.close());
    assert!(reader.close());
    assert!(writer.reader_closed().is_discarded());
}

#[test]
fn pipe_failure() {
    let (reader, writer) = pipe::pipe();
    assert!(writer.write("hello"));
    assert!(writer.write("world"));
    assert!(writer.fail("disconnected!"));
    assert_eq!(Bytes::from("hello"), await_ready(&reader.read()));
    assert_eq!(Bytes::from("world"), await_ready(&reader.read()));
    assert_eq!("disconnected!", await_failed(&reader.read()));
    assert!(!writer.close());
    assert!(!writer.fail("not again"));
    assert!(reader.close());
    assert!(writer.reader_closed().is_discarded());
}

#[test]
fn pipe_read_all() {
    let (reader, writer) = pipe::pipe();
    let all = reader.read_all();
    assert!(all.is_pending());
    writer.write("hello");
    writer.write("world");
    assert!(all.is_pending());
    writer.close();
    assert_eq!(Bytes::from("helloworld"), await_ready(&all));

    let (reader, writer) = pipe::pipe();
    let all = reader.read_all();
    writer.write("hello");
    writer.fail("oops");
    assert_eq!("oops", await_failed(&all));
}

#[test]
fn pipe_reader_closes() {
    let (reader, writer) = pipe::pipe();
    assert!(writer.write("hello"));
    assert!(writer.write("world"));
    let closed = writer.reader_closed();
    assert!(closed.is_pending());
    assert!(reader.close());
    await_ready(&closed);
    await_failed(&reader.read());
    assert!(!writer.write("!"));
    await_failed(&reader.read());
    assert!(!reader.close());
    assert!(writer.close());
    await_failed(&reader.read());
}

#[test]
fn encode() {
    let unencoded = "a$&+,/:;=?@ \"<>#%{}|\\^~[]`\u{19}";
    let encoded = http::encode(unencoded, "");
    assert_eq!(
        "a%24%26%2B%2C%2F%3A%3B%3D%3F%40%20%22%3C%3E%23%25%7B%7D%7C%5C%5E%7E%5B%5D%60%19",
        encoded
    );
    assert_eq!(unencoded, http::decode(&encoded).expect("decodes"));
    assert_eq!("a b", http::decode("a+b").expect("decodes"));
    for bad in ["%", "%1", "%;1", "%1;"] {
        assert!(http::decode(bad).is_err(), "{} decoded", bad);
    }
}

#[test]
fn encode_additional_chars() {
    let encoded = http::encode("foo.bar", ".");
    assert_eq!("foo%2Ebar", encoded);
    assert_eq!("foo.bar", http::decode(&encoded).expect("decodes"));
}

#[test]
fn query_encode_decode() {
    let map = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let cases = [
        (map(&[]), ""),
        (map(&[("foo", "bar")]), "foo=bar"),
        (
            map(&[("a()", "b%20"), ("c~/asdf", "%asdf")]),
            "a()=b%2520&c%7E%2Fasdf=%25asdf",
        ),
        (map(&[("d", "")]), "d"),
        (map(&[("a&b=c", "d&e=fg")]), "a%26b%3Dc=d%26e%3Dfg"),
    ];
    for (query, text) in cases {
        assert_eq!(text, http::query::encode(&query));
        assert_eq!(query, http::query::decode(text).expect("decodes"));
    }
}

#[test]
fn headers() {
    let mut headers = Headers::new();
    headers.insert("Content-Length", "1024");
    headers.insert("content-type", "application/json");
    headers.insert("X-A", "a");
    headers.insert("x-b", "b");
    assert_eq!(4, headers.len());
    assert_eq!(Some("1024"), headers.get("CONTENT-LENGTH"));
    assert_eq!(Some("application/json"), headers.get("Content-Type"));
    assert!(headers.contains("x-a"));
    headers.insert("X-B", "c");
    assert_eq!(4, headers.len());
    assert_eq!(Some("c"), headers.get("x-b"));
    assert_eq!(Some("c".to_string()), headers.remove("X-b"));
    assert_eq!(None, headers.get("x-b"));
}

#[test]
fn get() {
    let _rt = listening();
    let (pid, calls) = http_process();

    let response = http::get(pid.upid(), "get", None, Headers::new());
    let call = next_call(&calls);
    let client = call.request.client.expect("the server knows the client");
    assert_ne!(std::net::SocketAddr::V4(pid.upid().address()), client);
    assert_eq!("GET", call.request.method);
    assert!(call.request.url.path.ends_with("get"));
    assert!(call.request.body.is_empty());
    assert_eq!(None, call.request.url.fragment);
    assert!(call.request.url.query.is_empty());
    call.response.set(http::ok(""));
    assert_eq!("200 OK", await_ready(&response).status());

    let response = http::get(pid.upid(), "get", Some("foo=bar"), Headers::new());
    let call = next_call(&calls);
    assert_eq!(Some(&"bar".to_string()), call.request.url.query.get("foo"));
    call.response.set(http::ok(""));
    assert_eq!("200 OK", await_ready(&response).status());

    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn nested_get() {
    let _rt = listening();
    let (pid, calls) = http_process();

    let response = http::get(pid.upid(), "/a/b/c", None, Headers::new());
    let call = next_call(&calls);
    assert_eq!("/a/b/c", call.route);
    call.response.set(http::ok(""));
    assert_eq!("200 OK", await_ready(&response).status());

    // No `/a/b`: the request falls back to `/a`.
    let response = http::get(pid.upid(), "/a/b", None, Headers::new());
    let call = next_call(&calls);
    assert_eq!("/a", call.route);
    call.response.set(http::accepted());
    assert_eq!("202 Accepted", await_ready(&response).status());

    terminate(&pid, false);
    wait(&pid, None);
}

/// A streamed GET of `/pipe`, answered with a pipe: the body the client
/// reads, and the server's end to write it.
fn streaming_get_pipe(
    pid: &libprocess::UPID,
    calls: &mpsc::Receiver<Call>,
) -> (pipe::Reader, pipe::Writer) {
    let response = http::streaming::get(pid, "pipe", None, Headers::new());
    let (reader, writer) = pipe::pipe();
    next_call(calls).response.set(Response::pipe(200, reader));
    let response = await_ready(&response);
    assert_eq!("200 OK", response.status());
    assert_eq!(Some("chunked"), response.headers.get("Transfer-Encoding"));
    (response.reader().expect("streamed").clone(), writer)
}

#[test]
fn streaming_get_complete() {
    let _rt = listening();
    let (pid, calls) = http_process();

    let (body, writer) = streaming_get_pipe(pid.upid(), &calls);

    let read = body.read();
    assert!(read.is_pending());
    writer.write("hello");
    assert_eq!(Bytes::from("hello"), await_ready(&read));
    writer.write("goodbye");
    assert_eq!(Bytes::from("goodbye"), await_ready(&body.read()));
    writer.close();
    assert_eq!(Bytes::new(), await_ready(&body.read()));

    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn streaming_get_failure() {
    let _rt = listening();
    let (pid, calls) = http_process();

    let (body, writer) = streaming_get_pipe(pid.upid(), &calls);
    writer.write("hello");
    assert_eq!(Bytes::from("hello"), await_ready(&body.read()));
    writer.write("goodbye");
    assert_eq!(Bytes::from("goodbye"), await_ready(&body.read()));
    // The server cannot finish the stream: the client's read fails.
    writer.fail("oops");
    await_failed(&body.read());

    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn post() {
    let _rt = listening();
    let (pid, calls) = http_process();

    // A content type without a body is refused before anything is sent.
    let response = http::post(pid.upid(), "post", Headers::new(), None, Some("text/plain"));
    assert_eq!(
        "Attempted to do a POST with a Content-Type but no body",
        await_failed(&response)
    );

    let response = http::post(
        pid.upid(),
        "post",
        Headers::new(),
        Some(Bytes::from("This is the payload.")),
        Some("text/plain"),
    );
    let call = next_call(&calls);
    assert_eq!("POST", call.request.method);
    assert!(call.request.url.path.ends_with("post"));
    assert_eq!(Bytes::from("This is the payload."), call.request.body);
    assert_eq!(Some("text/plain"), call.request.headers.get("Content-Type"));
    call.response.set(http::ok(""));
    assert_eq!("200 OK", await_ready(&response).status());

    // The content type given as a header.
    let response = http::post(
        pid.upid(),
        "post",
        Headers::from([("Content-Type", "text/plain")]),
        Some(Bytes::from("This is the payload.")),
        None,
    );
    let call = next_call(&calls);
    assert_eq!(Some("text/plain"), call.request.headers.get("Content-Type"));
    call.response.set(http::ok(""));
    assert_eq!("200 OK", await_ready(&response).status());

    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn delete() {
    let _rt = listening();
    let (pid, calls) = http_process();
    let request = Request::new("DELETE", http::url_of(pid.upid(), "delete"));
    let response = http::request(request, false);
    let call = next_call(&calls);
    assert_eq!("DELETE", call.request.method);
    assert!(call.request.body.is_empty());
    assert!(call.request.url.query.is_empty());
    call.response.set(http::ok(""));
    assert_eq!("200 OK", await_ready(&response).status());
    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn endpoints_help() {
    let _rt = listening();
    let (pid, _calls) = http_process();
    let at = pid.upid().address();

    // The routes are installed once the process has initialized.
    await_ready(&dispatch(&pid, |_| ()));

    let response = await_ready(&http::request(
        Request::new("GET", Url::new("http", at.ip(), at.port(), "/help")),
        false,
    ));
    assert_eq!(200, response.code);
    assert_eq!("200 OK", response.status());

    let mut url = Url::new("http", at.ip(), at.port(), "/help");
    url.query.insert("format".to_string(), "json".to_string());
    let response = await_ready(&http::request(Request::new("GET", url), false));
    assert_eq!(200, response.code);
    assert_eq!("200 OK", response.status());
    let json: serde_json::Value =
        serde_json::from_slice(&response.body_bytes()).expect("valid JSON");
    assert!(json["processes"]
        .as_array()
        .expect("processes")
        .iter()
        .any(|process| process["id"] == pid.upid().id()));

    for route in ["body", "a/b/c"] {
        let path = format!("/help/{}/{}", pid.upid().id(), route);
        let response = await_ready(&http::request(
            Request::new("GET", Url::new("http", at.ip(), at.port(), &path)),
            false,
        ));
        assert_eq!(200, response.code, "{}", path);
        assert_eq!("200 OK", response.status());
    }

    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn endpoints_help_removal() {
    let _rt = listening();
    let (pid, _calls) = http_process();
    let help = |route: &str| {
        let path = format!("/help/{}/{}", pid.upid().id(), route);
        let at = address();
        await_ready(&http::request(
            Request::new("GET", Url::new("http", at.ip(), at.port(), &path)),
            false,
        ))
    };

    await_ready(&dispatch(&pid, |_| ()));

    let response = help("body");
    assert_eq!(200, response.code);
    assert_eq!("200 OK", response.status());

    // Its help goes with the process.
    terminate(&pid, false);
    wait(&pid, None);

    let response = help("bogus");
    assert_eq!(400, response.code);
    assert_eq!("400 Bad Request", response.status());
    // Not only the made-up route: the real one too.
    assert_eq!(400, help("body").code);
}

#[test]
fn query_encoding() {
    let _rt = testing::runtime();
    // `:`, `\` and `%` go over the wire encoded, and decode to the
    // literal `C:\foo\bar%3Abaz`.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let port = listener.local_addr().expect("bound").port();
    let mut url = Url::new("http", "mesos.apache.org", 80, "/");
    url.query
        .insert("path".to_string(), "C:\\foo\\bar%3Abaz".to_string());
    assert_eq!(
        "http://mesos.apache.org:80/?path=C%3A%5Cfoo%5Cbar%253Abaz",
        url.to_string()
    );

    // What the client writes for it, read off a plain socket.
    let connection = http::connect(&Url::new("http", "127.0.0.1", port, "/"));
    let (mut socket, _) = listener.accept().expect("accepts");
    let connection = await_ready(&connection);
    let _response = connection.send(Request::new("GET", url), false);
    let mut received = Vec::new();
    let mut buffer = [0u8; 1024];
    while !received.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = socket.read(&mut buffer).expect("reads");
        assert!(n > 0, "the request arrives whole");
        received.extend_from_slice(&buffer[..n]);
    }
    let received = String::from_utf8(received).expect("text");
    assert!(
        received.starts_with("GET /?path=C%3A%5Cfoo%5Cbar%253Abaz"),
        "{}",
        received
    );
}

#[test]
fn path_parse() {
    let _rt = testing::runtime();
    let pattern = "/books/{isbn}/chapters/{chapter}";
    let get =
        |parse: &std::collections::HashMap<String, String>, key: &str| parse.get(key).cloned();

    let parse = http::path::parse(pattern, "/books/0304827484/chapters/3").expect("parses");
    assert_eq!(4, parse.len());
    assert_eq!(Some("books".to_string()), get(&parse, "books"));
    assert_eq!(Some("0304827484".to_string()), get(&parse, "isbn"));
    assert_eq!(Some("chapters".to_string()), get(&parse, "chapters"));
    assert_eq!(Some("3".to_string()), get(&parse, "chapter"));

    let parse = http::path::parse(pattern, "/books/0304827484").expect("parses");
    assert_eq!(2, parse.len());
    assert_eq!(Some("books".to_string()), get(&parse, "books"));
    assert_eq!(Some("0304827484".to_string()), get(&parse, "isbn"));

    let parse = http::path::parse(pattern, "/books/0304827484/chapters").expect("parses");
    assert_eq!(3, parse.len());
    assert_eq!(Some("books".to_string()), get(&parse, "books"));
    assert_eq!(Some("0304827484".to_string()), get(&parse, "isbn"));
    assert_eq!(Some("chapters".to_string()), get(&parse, "chapters"));

    let error = http::path::parse(pattern, "/foo/0304827484/chapters").expect_err("fails");
    assert_eq!("Expecting 'books' not 'foo'", error.message());

    let error = http::path::parse(pattern, "/books/0304827484/bar").expect_err("fails");
    assert_eq!("Expecting 'chapters' not 'bar'", error.message());

    let error =
        http::path::parse(pattern, "/books/0304827484/chapters/3/foo/bar").expect_err("fails");
    assert_eq!("Not expecting suffix 'foo/bar'", error.message());
}

#[test]
fn request() {
    let _rt = listening();
    let (pid, calls) = http_process();

    let response = http::request(
        Request::new("DELETE", http::url_of(pid.upid(), "request")),
        false,
    );
    let call = next_call(&calls);
    assert_eq!("/request", call.route);
    assert_eq!("DELETE", call.request.method);
    assert!(call.request.url.path.ends_with("request"));
    assert!(call.request.body.is_empty());
    assert!(call.request.url.query.is_empty());
    call.response.set(http::ok(""));

    let response = await_ready(&response);
    assert_eq!(200, response.code);
    assert_eq!("200 OK", response.status());

    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn case_insensitive_headers() {
    let _rt = testing::runtime();
    let mut request = Request::default();
    request.headers.insert("Content-Length", "20");
    for name in ["Content-Length", "CONTENT-LENGTH", "content-length"] {
        assert_eq!(Some("20"), request.headers.get(name));
    }
    request.headers.insert("content-length", "30");
    for name in ["content-length", "Content-Length", "CONTENT-LENGTH"] {
        assert_eq!(Some("30"), request.headers.get(name));
    }

    let mut response = Response::new(200);
    response.headers.insert("Content-Type", "application/json");
    for name in ["Content-Type", "content-type", "CONTENT-TYPE"] {
        assert_eq!(Some("application/json"), response.headers.get(name));
    }
    response.headers.insert("content-type", "text/javascript");
    for name in ["content-type", "Content-Type", "CONTENT-TYPE"] {
        assert_eq!(Some("text/javascript"), response.headers.get(name));
    }
}

#[test]
fn accepts() {
    let _rt = testing::runtime();
    let with_accept = |accept: &str| {
        let mut request = Request::default();
        request.headers.insert("Accept", accept);
        request
    };

    // None of these accepts `text/*`.
    for accept in [
        "text/*;q=0.0",
        "text/html;q=0.0",
        "text/",
        "text",
        "foo/*",
        "foo/*, text/*;q=0.0",
        "foo/*,\ttext/*;q=0.0",
        "*/*, text/*;q=0.0",
        "*/*;q=0.0, foo",
        "textttt/*",
    ] {
        let request = with_accept(accept);
        assert!(
            !request.accepts_media_type("text/*"),
            "Not expecting {} to match 'text/*'",
            accept
        );
        assert!(
            !request.accepts_media_type("text/html"),
            "Not expecting {} to match 'text/html'",
            accept
        );
    }

    // All of these accept `text/html`.
    for accept in [
        "text/*",
        "text/*;q=0.1",
        "text/html",
        "text/html;q=0.1",
        "text/bar, text/html,q=0.1",
        "*/*, text/bar;q=0.5",
        "*/*;q=0.9, text/foo",
        "text/foo,\ttext/*;q=0.1",
        "*/*",
        "*/*, text/bar",
        "*/*, foo/*",
    ] {
        assert!(
            with_accept(accept).accepts_media_type("text/html"),
            "Expecting '{}' to match 'text/html'",
            accept
        );
    }

    // No header: everything is accepted.
    assert!(Request::default().accepts_media_type("text/html"));
}

mod url_test {
    use super::*;

    #[test]
    fn stringification() {
        assert_eq!(
            "http://mesos.apache.org:80/",
            Url::new("http", "mesos.apache.org", 80, "/").to_string()
        );
        assert_eq!(
            "https://mesos.apache.org:8080/",
            Url::new("https", "mesos.apache.org", 8080, "/").to_string()
        );
        assert_eq!(
            "http://172.158.1.23:8080/",
            Url::new("http", "172.158.1.23", 8080, "/").to_string()
        );
        assert_eq!(
            "http://172.158.1.23:80/path",
            Url::new("http", "172.158.1.23", 80, "/path").to_string()
        );
        let mut url = Url::new("http", "172.158.1.23", 80, "/");
        url.query.insert("foo".into(), "bar".into());
        url.query.insert("baz".into(), "bam".into());
        assert_eq!("http://172.158.1.23:80/?baz=bam&foo=bar", url.to_string());
        url.fragment = Some("fragment".into());
        assert_eq!(
            "http://172.158.1.23:80/?baz=bam&foo=bar#fragment",
            url.to_string()
        );
    }

    #[test]
    fn parse_urls() {
        let url = Url::parse("https://auth.docker.com").expect("parses");
        assert_eq!(
            ("https", "auth.docker.com", 443, "/"),
            (&*url.scheme, &*url.host, url.port, &*url.path)
        );
        let url = Url::parse("http://docker.com/").expect("parses");
        assert_eq!((80, "/"), (url.port, &*url.path));
        let url = Url::parse("http://registry.docker.com:1234/abc/1").expect("parses");
        assert_eq!((1234, "/abc/1"), (url.port, &*url.path));
        for bad in [
            "mesos.com",
            "http/abcdef",
            "abc://abc.com",
            "://///",
            "://",
            "http://",
            "http:////",
        ] {
            assert!(Url::parse(bad).is_err(), "{} parsed", bad);
        }
    }
}
