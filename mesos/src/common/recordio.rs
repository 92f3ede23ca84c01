//! RecordIO records read from a libprocess pipe, as the v1 API clients
//! read event streams (`src/common/recordio.hpp`).
//!
//! The reader starts reading the pipe at once and keeps what it decodes
//! until asked for it. Closing the pipe stays the caller's job, as in
//! Mesos.

use std::collections::VecDeque;
use std::sync::Arc;

use bytes::Bytes;
use libprocess::http::pipe;
use libprocess::{Future, Promise};
use parking_lot::Mutex;
use stout::recordio::Decoder;
use stout::Try;

/// What [`Reader::read`] gives: a record, a record that did not
/// deserialize (`Some(Err)`), or `None` at the end of the stream.
pub type Record<T> = Option<Try<T>>;

type Deserialize<T> = Box<dyn Fn(&[u8]) -> Try<T> + Send + Sync>;

/// Decodes RecordIO from a pipe and deserializes each record.
pub struct Reader<T: Send + Sync + 'static> {
    state: Arc<Mutex<State<T>>>,
}

impl<T: Send + Sync + 'static> std::fmt::Debug for Reader<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("recordio::Reader")
    }
}

struct State<T: Send + Sync + 'static> {
    pipe: pipe::Reader,
    decoder: Decoder,
    deserialize: Deserialize<T>,
    /// Records decoded before anyone asked for them.
    records: VecDeque<Try<T>>,
    /// Reads waiting for a record, oldest first.
    waiters: VecDeque<Promise<Record<T>>>,
    end: End,
}

enum End {
    Open,
    Eof,
    /// The pipe or the decoder failed, or the reader was dropped: every
    /// later read fails with this.
    Failed(String),
}

impl<T: Send + Sync + 'static> Reader<T> {
    /// A reader of `pipe` that turns each record into a `T` with
    /// `deserialize`.
    pub fn new(
        deserialize: impl Fn(&[u8]) -> Try<T> + Send + Sync + 'static,
        pipe: pipe::Reader,
    ) -> Reader<T> {
        let state = Arc::new(Mutex::new(State {
            pipe,
            decoder: Decoder::new(),
            deserialize: Box::new(deserialize),
            records: VecDeque::new(),
            waiters: VecDeque::new(),
            end: End::Open,
        }));
        consume(&state);
        Reader { state }
    }

    /// The next record. Records decoded before a failure are still given
    /// out, then every read fails.
    pub fn read(&self) -> Future<Record<T>> {
        let mut state = self.state.lock();
        if let Some(record) = state.records.pop_front() {
            return Future::ready(Some(record));
        }
        match &state.end {
            End::Failed(message) => Future::failed(message.clone()),
            End::Eof => Future::ready(None),
            End::Open => {
                let promise = Promise::new();
                let future = promise.future();
                state.waiters.push_back(promise);
                future
            }
        }
    }
}

impl<T: Send + Sync + 'static> Drop for Reader<T> {
    fn drop(&mut self) {
        let completions = fail(&mut self.state.lock(), "Reader is terminating");
        run(completions);
    }
}

/// Reads to complete once the lock is released: their callbacks may read
/// again.
enum Completion<T: Send + Sync + 'static> {
    Set(Promise<Record<T>>, Record<T>),
    Fail(Promise<Record<T>>, String),
}

fn run<T: Send + Sync + 'static>(completions: Vec<Completion<T>>) {
    for completion in completions {
        match completion {
            Completion::Set(waiter, record) => waiter.set(record),
            Completion::Fail(waiter, message) => waiter.fail(message),
        };
    }
}

/// Reads the pipe until it ends or fails, or the reader goes away.
fn consume<T: Send + Sync + 'static>(state: &Arc<Mutex<State<T>>>) {
    loop {
        let read = {
            let state = state.lock();
            if !matches!(state.end, End::Open) {
                return;
            }
            state.pipe.read()
        };
        if read.is_pending() {
            let state = Arc::clone(state);
            read.on_any(move |read| {
                if handle(&state, &read) {
                    consume(&state);
                }
            });
            return;
        }
        if !handle(state, &read) {
            return;
        }
    }
}

/// Takes one completed pipe read; whether to read on.
fn handle<T: Send + Sync + 'static>(state: &Mutex<State<T>>, read: &Future<Bytes>) -> bool {
    let mut guard = state.lock();
    let (more, completions) = decode(&mut guard, read);
    drop(guard);
    run(completions);
    more
}

fn decode<T: Send + Sync + 'static>(
    state: &mut State<T>,
    read: &Future<Bytes>,
) -> (bool, Vec<Completion<T>>) {
    if !matches!(state.end, End::Open) {
        return (false, Vec::new());
    }
    let Some(chunk) = read.value() else {
        let why = read.failure().unwrap_or("discarded");
        return (
            false,
            fail(state, &format!("Pipe::Reader failure: {}", why)),
        );
    };
    if chunk.is_empty() {
        state.end = End::Eof;
        let completions = std::mem::take(&mut state.waiters)
            .into_iter()
            .map(|waiter| Completion::Set(waiter, None))
            .collect();
        return (false, completions);
    }
    let records = match state.decoder.decode(chunk) {
        Ok(records) => records,
        Err(e) => return (false, fail(state, &format!("Decoder failure: {}", e))),
    };
    let mut completions = Vec::new();
    for record in records {
        let record = (state.deserialize)(&record);
        match state.waiters.pop_front() {
            Some(waiter) => completions.push(Completion::Set(waiter, Some(record))),
            None => state.records.push_back(record),
        }
    }
    (true, completions)
}

/// Fails the stream: the waiting reads now, every later read when made.
fn fail<T: Send + Sync + 'static>(state: &mut State<T>, message: &str) -> Vec<Completion<T>> {
    if matches!(state.end, End::Failed(_)) {
        return Vec::new();
    }
    state.end = End::Failed(message.to_string());
    std::mem::take(&mut state.waiters)
        .into_iter()
        .map(|waiter| Completion::Fail(waiter, message.to_string()))
        .collect()
}

/// Writes every record `reader` gives, turned into bytes by `f`, to
/// `writer`, until the stream ends (ready) or a read, a record or a write
/// fails (failed).
pub fn transform<T: Send + Sync + 'static>(
    reader: Reader<T>,
    f: impl Fn(&T) -> Bytes + Send + Sync + 'static,
    writer: pipe::Writer,
) -> Future<()> {
    let promise = Promise::new();
    let future = promise.future();
    step(Arc::new(Transform {
        reader,
        f: Box::new(f),
        writer,
        promise,
    }));
    future
}

struct Transform<T: Send + Sync + 'static> {
    reader: Reader<T>,
    f: Box<dyn Fn(&T) -> Bytes + Send + Sync>,
    writer: pipe::Writer,
    promise: Promise<()>,
}

fn step<T: Send + Sync + 'static>(transform: Arc<Transform<T>>) {
    loop {
        let read = transform.reader.read();
        if read.is_pending() {
            read.on_any(move |read| {
                if forward(&transform, &read) {
                    step(transform);
                }
            });
            return;
        }
        if !forward(&transform, &read) {
            return;
        }
    }
}

/// Writes one read's record on; whether to go on.
fn forward<T: Send + Sync + 'static>(transform: &Transform<T>, read: &Future<Record<T>>) -> bool {
    let record = match read.outcome() {
        Some(libprocess::Outcome::Ready(record)) => record,
        _ => {
            let why = read.failure().unwrap_or("discarded");
            transform.promise.fail(why);
            return false;
        }
    };
    match record {
        None => {
            transform.promise.set(());
            false
        }
        Some(Err(e)) => {
            transform.promise.fail(e.message());
            false
        }
        Some(Ok(record)) => {
            if transform.writer.write((transform.f)(record)) {
                return true;
            }
            transform.promise.fail("Write failed to the pipe");
            false
        }
    }
}
