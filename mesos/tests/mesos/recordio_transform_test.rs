//! Mesos' RecordIOTransformTest (src/tests/common/recordio_tests.cpp).

use bytes::Bytes;
use libprocess::http::pipe;
use libprocess::testing::{await_failed, await_ready};
use mesos::common::recordio::transform;
use stout::recordio::encode;

use crate::recordio_reader_test::reader;

/// The upstream tests' transformation: `strings::trim`.
fn trim(record: &str) -> Bytes {
    Bytes::from(record.trim().to_string())
}

/// A pipe already holding the records `HELLO ` and `WORLD! `.
fn hello_world() -> (pipe::Reader, pipe::Writer) {
    let (reader, writer) = pipe::pipe();
    let mut data = encode(b"HELLO ");
    data.extend(encode(b"WORLD! "));
    writer.write(data);
    (reader, writer)
}

#[test]
fn end_of_file() {
    let (reader_a, writer_a) = hello_world();
    let (reader_b, writer_b) = pipe::pipe();

    let transform = transform(reader(reader_a), |r: &String| trim(r), writer_b.clone());

    let future = reader_b.read_all();

    writer_a.close();

    await_ready(&transform);

    writer_b.close();

    assert_eq!(Bytes::from("helloworld!"), await_ready(&future));
}

#[test]
fn reader_writer_end_fail() {
    let (reader_a, writer_a) = hello_world();
    let (reader_b, writer_b) = pipe::pipe();

    let transform = transform(reader(reader_a), |r: &String| trim(r), writer_b);

    let future = reader_b.read_all();

    writer_a.fail("Writer failure");

    await_failed(&transform);
    assert!(future.is_pending());
}

#[test]
fn writer_read_end_fail() {
    let (reader_a, writer_a) = hello_world();
    let (reader_b, writer_b) = pipe::pipe();

    reader_b.close();

    let transform = transform(reader(reader_a), |r: &String| trim(r), writer_b);

    writer_a.close();

    await_failed(&transform);
}
