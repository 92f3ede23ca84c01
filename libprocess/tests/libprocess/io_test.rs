//! `IOTest.{PollRead, PollWrite, Read, BufferedRead, Write, Redirect}`
//! (io_tests.cpp). The originals' checks on closed or negative descriptor
//! numbers have no counterpart: descriptors are `AsFd` values here, and
//! safe Rust cannot name a closed one.

use std::io::Write as _;
use std::os::fd::{AsFd, OwnedFd};
use std::sync::Arc;

use libprocess::io;
use libprocess::testing;
use libprocess::Clock;
use nix::errno::Errno;
use parking_lot::Mutex;

fn pipe() -> (OwnedFd, OwnedFd) {
    nix::unistd::pipe().expect("a pipe")
}

fn async_pipe() -> (OwnedFd, OwnedFd) {
    let (read, write) = pipe();
    io::prepare_async(&read).expect("non-blocking");
    io::prepare_async(&write).expect("non-blocking");
    (read, write)
}

#[test]
fn poll_read() {
    let _rt = testing::runtime();
    let (read, write) = async_pipe();

    // Discard while polling.
    let future = io::poll(&read, io::READ);
    assert!(future.is_pending());
    future.discard();
    testing::await_discarded(&future);

    // Successful polling.
    let future = io::poll(&read, io::READ);

    // Not enough to be sure the reactor saw nothing: that happens in the
    // kernel, asynchronously.
    Clock::pause();
    Clock::settle();
    Clock::resume();

    assert!(future.is_pending());

    assert_eq!(Ok(2), nix::unistd::write(&write, b"hi"));
    testing::await_eq(io::READ, &future);
}

#[test]
fn poll_write() {
    let _rt = testing::runtime();
    let (read, write) = async_pipe();

    // Fill the pipe up.
    loop {
        match nix::unistd::write(&write, b"hello world!\0") {
            Ok(_) => continue,
            Err(Errno::EAGAIN) => break,
            Err(errno) => panic!("Unexpected error: {}", errno.desc()),
        }
    }

    // Discard while polling.
    let future = io::poll(&write, io::WRITE);
    assert!(future.is_pending());
    future.discard();
    testing::await_discarded(&future);

    // Successful polling.
    let future = io::poll(&write, io::WRITE);

    Clock::pause();
    Clock::settle();
    Clock::resume();

    assert!(future.is_pending());

    // Linux reports the pipe writable only once a page has been read.
    let size = nix::unistd::sysconf(nix::unistd::SysconfVar::PAGE_SIZE)
        .expect("sysconf")
        .expect("a page size") as usize;
    let mut buffer = vec![0; size];
    assert_eq!(Ok(size), nix::unistd::read(&read, &mut buffer));

    testing::await_eq(io::WRITE, &future);
}

#[test]
fn read() {
    let _rt = testing::runtime();

    // A blocking descriptor is refused.
    let (read, write) = pipe();
    testing::await_failed(&io::read(&read, 3));
    drop((read, write));

    let (read, write) = async_pipe();

    // Reading nothing.
    assert!(testing::await_ready(&io::read(&read, 0)).is_empty());

    // A discarded read.
    let future = io::read(&read, 3);
    assert!(future.is_pending());
    future.discard();
    testing::await_discarded(&future);

    // A successful read.
    let future = io::read(&read, 3);
    assert!(!future.is_ready());
    assert_eq!(Ok(2), nix::unistd::write(&write, b"hi"));
    assert_eq!(&testing::await_ready(&future)[..], b"hi");

    // A discarded read takes nothing from the next one.
    let future = io::read(&read, 1);
    assert!(!future.is_ready());
    future.discard();

    let future = io::read(&read, 3);
    assert_eq!(Ok(3), nix::unistd::write(&write, b"omg"));
    assert_eq!(&testing::await_ready(&future)[..], b"omg");

    // End of file.
    let future = io::read(&read, 3);
    assert!(!future.is_ready());
    drop(write);
    assert!(testing::await_ready(&future).is_empty());
}

#[test]
fn buffered_read() {
    let _rt = testing::runtime();
    let sandbox = tempfile::tempdir().expect("a temporary directory");

    let mut data = String::from(
        "This data is much larger than BUFFERED_READ_SIZE, which means it will \
         trigger multiple buffered async reads as a result.........",
    );
    assert_eq!(128, data.len());

    // At least three buffered reads.
    while data.len() < 3 * io::BUFFERED_READ_SIZE {
        data = data.repeat(2);
    }

    // From a file first.
    let path = sandbox.path().join("file");
    std::fs::write(&path, &data).expect("written");
    let file = std::fs::File::open(&path).expect("opened");
    assert_eq!(
        data.as_bytes(),
        &testing::await_ready(&io::read_to_end(&file))[..]
    );
    drop(file);

    // Then from a pipe: not ready before the writer writes and closes.
    let (read, write) = pipe();
    let future = io::read_to_end(&read);
    assert!(!future.is_ready());

    let mut writer = std::fs::File::from(write);
    writer.write_all(data.as_bytes()).expect("written");
    drop(writer);

    assert_eq!(data.as_bytes(), &testing::await_ready(&future)[..]);
}

#[test]
fn write() {
    let _rt = testing::runtime();

    // A blocking descriptor is refused.
    let (read, write) = pipe();
    testing::await_failed(&io::write(&write, "hi"));
    drop((read, write));

    let (read, write) = async_pipe();

    // Writing nothing.
    testing::await_eq(0, &io::write(&write, ""));

    // A successful write.
    let _future = io::write(&write, "hi");
    assert_eq!(&testing::await_ready(&io::read(&read, 2))[..], b"hi");

    // A broken pipe.
    drop(read);
    testing::await_failed(&io::write(&write, "hi"));
}

#[test]
fn redirect() {
    let _rt = testing::runtime();
    let sandbox = tempfile::tempdir().expect("a temporary directory");

    let path = sandbox.path().join("output");
    let file = std::fs::File::create(&path).expect("created");
    io::prepare_async(&file).expect("non-blocking");

    let (read, write) = async_pipe();

    // A hook that accumulates what is redirected.
    let accumulated = Arc::new(Mutex::new(Vec::new()));
    let hook: io::RedirectHook = {
        let accumulated = accumulated.clone();
        Box::new(move |data: &[u8]| accumulated.lock().extend_from_slice(data))
    };

    let mut data = String::from(
        "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do \
         eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim \
         ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut \
         aliquip ex ea commodo consequat. Duis aute irure dolor in \
         reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla \
         pariatur. Excepteur sint occaecat cupidatat non proident, sunt in \
         culpa qui officia deserunt mollit anim id est laborum.",
    );
    while (data.len() as u64) < stout::Bytes::megabytes(1).bytes() {
        data = data.repeat(2);
    }

    let redirect = io::redirect(&read, Some(file.as_fd()), 4096, vec![hook]);

    // Closing ours changes nothing: redirect has its own duplicates.
    drop(read);
    drop(file);

    assert!(redirect.is_pending());

    // Data without end of file keeps it pending.
    testing::await_ready(&io::write_all(&write, data.clone()));
    assert!(redirect.is_pending());

    // End of file completes it.
    drop(write);
    testing::await_ready(&redirect);

    assert_eq!(data, std::fs::read_to_string(&path).expect("readable"));
    assert_eq!(data.as_bytes(), &accumulated.lock()[..]);
}

/// Not in the original: a future completed on the reactor's thread runs a
/// `defer`red continuation on its process.
#[test]
fn deferred_continuation() {
    use libprocess::{defer, dispatch, spawn, terminate, wait, Process};

    #[derive(Default)]
    struct Collector {
        got: Vec<u8>,
    }

    impl Process for Collector {}

    let _rt = testing::runtime();
    let pid = spawn(Collector::default());
    let (read, write) = async_pipe();

    let future = io::read(&read, 2).then(defer(
        &pid,
        |collector: &mut Collector, data: bytes::Bytes| {
            collector.got.extend_from_slice(&data);
            collector.got.len()
        },
    ));
    assert!(future.is_pending());
    assert_eq!(Ok(2), nix::unistd::write(&write, b"hi"));

    testing::await_eq(2, &future);
    let got = testing::await_ready(&dispatch(&pid, |collector| collector.got.clone()));
    assert_eq!(b"hi".to_vec(), got);

    terminate(&pid, true);
    wait(&pid, None);
}
