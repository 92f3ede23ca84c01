//! libprocess' `RequestDecoderTest` cases that apply to a request decoder
//! that buffers bodies.

use libprocess::wire::RequestDecoder;

#[test]
fn request() {
    let mut decoder = RequestDecoder::default();
    let data = "GET /path/file.json?key1=value1&key2=value2#fragment HTTP/1.1\r\n\
                Host: localhost\r\n\
                Connection: close\r\n\
                Accept-Encoding: compress, gzip\r\n\
                \r\n";
    let requests = decoder.decode(data.as_bytes()).expect("decodes");
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method(), "GET");
    assert_eq!(request.path(), "/path/file.json");
    assert_eq!(request.fragment(), Some("fragment"));
    assert_eq!(request.query().len(), 2);
    assert_eq!(
        request.query().get("key1").map(String::as_str),
        Some("value1")
    );
    assert_eq!(
        request.query().get("key2").map(String::as_str),
        Some("value2")
    );
    assert!(request.body().is_empty());
    assert!(!request.keep_alive());
    assert_eq!(request.headers().len(), 3);
    assert_eq!(request.header("Host"), Some("localhost"));
    assert_eq!(request.header("Connection"), Some("close"));
    assert_eq!(request.header("Accept-Encoding"), Some("compress, gzip"));
}

#[test]
fn header_continuation() {
    let mut decoder = RequestDecoder::default();
    let data = "GET /path/file.json HTTP/1.1\r\n\
                Host: localhost\r\n\
                Connection: close\r\n\
                Accept-Encoding: compress,                 gzip\r\n\
                \r\n";
    let requests = decoder.decode(data.as_bytes()).expect("decodes");
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].header("Accept-Encoding"),
        Some("compress,                 gzip")
    );
}

#[test]
fn header_case_insensitive() {
    let mut decoder = RequestDecoder::default();
    let data = "GET /path/file.json HTTP/1.1\r\n\
                Host: localhost\r\n\
                cOnnECtioN: close\r\n\
                accept-ENCODING: compress, gzip\r\n\
                \r\n";
    let requests = decoder.decode(data.as_bytes()).expect("decodes");
    assert_eq!(requests.len(), 1);
    assert!(!requests[0].keep_alive());
    assert_eq!(
        requests[0].header("Accept-Encoding"),
        Some("compress, gzip")
    );
}

#[test]
fn invalid_query_args() {
    let mut decoder = RequestDecoder::default();
    let data = "GET /path/file.json?%x=%y&key2=value2#fragment HTTP/1.1\r\n\
                Host: localhost\r\n\
                Connection: close\r\n\
                Accept-Encoding: compress, gzip\r\n\
                \r\n";
    assert!(decoder.decode(data.as_bytes()).is_err());
    // A failed decoder refuses everything after.
    assert!(decoder.decode(b"GET / HTTP/1.1\r\n\r\n").is_err());
}
