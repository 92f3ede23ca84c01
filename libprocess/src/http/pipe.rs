//! A stream of byte chunks with one writer and one reader (libprocess'
//! `http::Pipe`): streamed response bodies and the v1 APIs' event streams.

use std::collections::VecDeque;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use parking_lot::Mutex;

use crate::{Future, Outcome, Promise};

enum End {
    Open,
    /// The writer closed: reads see the data, then empty chunks.
    Closed,
    /// The writer failed: reads see the data, then this failure.
    Failed(String),
}

struct State {
    data: VecDeque<Bytes>,
    /// Reads waiting for data, oldest first.
    reads: VecDeque<Promise<Bytes>>,
    end: End,
    reader_closed: bool,
    /// Whether the reader closed while the writer was still open (its
    /// `reader_closed` future is then ready, otherwise discarded).
    closed_early: bool,
    on_reader_closed: Vec<Promise<()>>,
}

/// Creates a pipe: what the [`Writer`] writes, the [`Reader`] reads, in
/// order.
pub fn pipe() -> (Reader, Writer) {
    let state = Arc::new(Mutex::new(State {
        data: VecDeque::new(),
        reads: VecDeque::new(),
        end: End::Open,
        reader_closed: false,
        closed_early: false,
        on_reader_closed: Vec::new(),
    }));
    (
        Reader {
            state: state.clone(),
        },
        Writer { state },
    )
}

/// The reading end of a pipe.
#[derive(Clone)]
pub struct Reader {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("pipe::Reader")
    }
}

impl Reader {
    /// The next chunk; an empty chunk once the writer closed and
    /// everything written was read; failed when the writer failed or the
    /// reader was closed.
    pub fn read(&self) -> Future<Bytes> {
        let mut state = self.state.lock();
        if state.reader_closed {
            return Future::failed("closed");
        }
        if let Some(chunk) = state.data.pop_front() {
            return Future::ready(chunk);
        }
        match &state.end {
            End::Closed => Future::ready(Bytes::new()),
            End::Failed(message) => Future::failed(message.clone()),
            End::Open => {
                let promise = Promise::new();
                let future = promise.future();
                state.reads.push_back(promise);
                future
            }
        }
    }

    /// Everything until the writer closes, in one buffer.
    pub fn read_all(&self) -> Future<Bytes> {
        self.read_all_within(usize::MAX)
    }

    /// [`Reader::read_all`], failing (and closing the reader) once more
    /// than `limit` bytes came.
    pub(crate) fn read_all_within(&self, limit: usize) -> Future<Bytes> {
        let promise = Promise::new();
        let future = promise.future();
        read_into(self.clone(), BytesMut::new(), promise, limit);
        future
    }

    /// Stops reading: pending and later reads fail, later writes are
    /// refused, and the writer's [`Writer::reader_closed`] completes (is
    /// discarded if the writer had already ended). False if already
    /// closed.
    pub fn close(&self) -> bool {
        let (reads, waiters, early) = {
            let mut state = self.state.lock();
            if state.reader_closed {
                return false;
            }
            state.reader_closed = true;
            state.closed_early = matches!(state.end, End::Open);
            state.data.clear();
            (
                std::mem::take(&mut state.reads),
                std::mem::take(&mut state.on_reader_closed),
                state.closed_early,
            )
        };
        for read in reads {
            read.fail("closed");
        }
        for waiter in waiters {
            if early {
                waiter.set(());
            } else {
                waiter.discard();
            }
        }
        true
    }
}

/// Reads until the end: synchronously while chunks are already there, from
/// the completing write's callback otherwise (no recursion per chunk).
fn read_into(reader: Reader, mut buffer: BytesMut, mut promise: Promise<Bytes>, limit: usize) {
    loop {
        let read = reader.read();
        if read.is_pending() {
            read.on_any(move |read| {
                if let Some((buffer, promise)) = absorb(&reader, &read, buffer, promise, limit) {
                    read_into(reader, buffer, promise, limit);
                }
            });
            return;
        }
        match absorb(&reader, &read, buffer, promise, limit) {
            Some(next) => (buffer, promise) = next,
            None => return,
        }
    }
}

/// Adds a completed read to `buffer`; completes `promise` at the end, on
/// failure or past `limit`, otherwise hands both back to read on.
fn absorb(
    reader: &Reader,
    read: &Future<Bytes>,
    mut buffer: BytesMut,
    promise: Promise<Bytes>,
    limit: usize,
) -> Option<(BytesMut, Promise<Bytes>)> {
    match read.outcome() {
        Some(Outcome::Ready(chunk)) if chunk.is_empty() => {
            promise.set(buffer.freeze());
            None
        }
        Some(Outcome::Ready(chunk)) if buffer.len().saturating_add(chunk.len()) > limit => {
            reader.close();
            promise.fail(format!("Body exceeds {} bytes", limit));
            None
        }
        Some(Outcome::Ready(chunk)) => {
            buffer.extend_from_slice(chunk);
            Some((buffer, promise))
        }
        Some(Outcome::Failed(message)) => {
            promise.fail(message.clone());
            None
        }
        _ => {
            promise.discard();
            None
        }
    }
}

/// The writing end of a pipe.
#[derive(Clone)]
pub struct Writer {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("pipe::Writer")
    }
}

impl Writer {
    /// Queues `chunk` for the reader; false once the pipe is closed or
    /// failed, or the reader closed. Empty chunks are skipped (an empty
    /// read means the end).
    pub fn write(&self, chunk: impl Into<Bytes>) -> bool {
        let chunk = chunk.into();
        let read = {
            let mut state = self.state.lock();
            if state.reader_closed || !matches!(state.end, End::Open) {
                return false;
            }
            if chunk.is_empty() {
                return true;
            }
            match state.reads.pop_front() {
                Some(read) => read,
                None => {
                    state.data.push_back(chunk);
                    return true;
                }
            }
        };
        read.set(chunk);
        true
    }

    /// Ends the stream: once the data is read, reads return empty
    /// chunks. False if already closed or failed.
    pub fn close(&self) -> bool {
        self.end(End::Closed, |read| {
            read.set(Bytes::new());
        })
    }

    /// Ends the stream with a failure the reader sees after the data.
    /// False if already closed or failed.
    pub fn fail(&self, message: impl Into<String>) -> bool {
        let message = message.into();
        let failure = message.clone();
        self.end(End::Failed(message), move |read| {
            read.fail(failure.clone());
        })
    }

    /// Whether every reader is gone (dropped without closing): what is
    /// written now would only pile up. Meaningful for a writer that was
    /// not cloned.
    pub(crate) fn is_orphaned(&self) -> bool {
        Arc::strong_count(&self.state) == 1
    }

    /// Completes when the reader closes its end while this end is still
    /// open; discarded if the reader closes after the end of the stream.
    pub fn reader_closed(&self) -> Future<()> {
        let mut state = self.state.lock();
        if state.reader_closed {
            return if state.closed_early {
                Future::ready(())
            } else {
                Future::discarded()
            };
        }
        let promise = Promise::new();
        let future = promise.future();
        state.on_reader_closed.push(promise);
        future
    }

    fn end(&self, end: End, complete: impl Fn(Promise<Bytes>)) -> bool {
        let reads = {
            let mut state = self.state.lock();
            if !matches!(state.end, End::Open) {
                return false;
            }
            state.end = end;
            std::mem::take(&mut state.reads)
        };
        for read in reads {
            complete(read);
        }
        true
    }
}
