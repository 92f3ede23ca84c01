//! Mesos' RecordIOReaderTest (src/tests/common/recordio_tests.cpp).

use libprocess::http::pipe;
use libprocess::testing::{await_failed, AWAIT_TIMEOUT};
use libprocess::Future;
use mesos::common::recordio::{Reader, Record};
use stout::recordio::encode;
use stout::Try;

/// The upstream tests' deserializer: `strings::lower`.
pub(crate) fn lower(record: &[u8]) -> Try<String> {
    Ok(String::from_utf8_lossy(record).to_lowercase())
}

pub(crate) fn reader(pipe: pipe::Reader) -> Reader<String> {
    Reader::new(lower, pipe)
}

/// `AWAIT_EXPECT_EQ(Result<string>(...), future)`: `Some(record)`, or
/// `None` at the end of the stream.
#[track_caller]
fn await_record(future: &Future<Record<String>>) -> Option<String> {
    assert!(
        future.wait_for(AWAIT_TIMEOUT),
        "still {}",
        future.state_name()
    );
    match future.value() {
        Some(Some(Ok(record))) => Some(record.clone()),
        Some(None) => None,
        Some(Some(Err(e))) => panic!("a record that did not deserialize: {e}"),
        None => panic!("{}: {:?}", future.state_name(), future.failure()),
    }
}

#[test]
fn end_of_file() {
    let (pipe_reader, writer) = pipe::pipe();
    let mut data = encode(b"HELLO");
    data.extend(encode(b"WORLD!"));
    writer.write(data);

    let reader = reader(pipe_reader);

    assert_eq!(Some("hello".to_string()), await_record(&reader.read()));
    assert_eq!(Some("world!".to_string()), await_record(&reader.read()));

    let read1 = reader.read();
    let read2 = reader.read();

    assert!(read1.is_pending());
    assert!(read2.is_pending());

    writer.write(encode(b"goodbye"));
    writer.close();

    assert_eq!(Some("goodbye".to_string()), await_record(&read1));
    assert_eq!(None, await_record(&read2));

    assert_eq!(None, await_record(&reader.read()));
}

#[test]
fn decoding_failure() {
    let (pipe_reader, writer) = pipe::pipe();
    let reader = reader(pipe_reader);

    let read1 = reader.read();
    let read2 = reader.read();
    let read3 = reader.read();

    writer.write(encode(b"encoded"));
    writer.write(&b"not encoded!\n"[..]);

    assert_eq!(Some("encoded".to_string()), await_record(&read1));
    await_failed(&read2);
    await_failed(&read3);

    writer.write(encode(b"encoded"));

    await_failed(&reader.read());
}

#[test]
fn pipe_failure() {
    let (pipe_reader, writer) = pipe::pipe();
    let reader = reader(pipe_reader);

    let read1 = reader.read();
    let read2 = reader.read();
    let read3 = reader.read();

    writer.write(encode(b"ENCODED"));
    writer.fail("failure");

    assert_eq!(Some("encoded".to_string()), await_record(&read1));
    await_failed(&read2);
    await_failed(&read3);

    await_failed(&reader.read());
}
