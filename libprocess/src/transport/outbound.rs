//! The connection to one peer address: messages encoded by any thread
//! straight into the connection's outbox, written in batches by one task;
//! whatever the peer answers is read and discarded, and the end of the
//! connection is reported. A temporary (unlinked) connection closes once
//! it has sent everything queued, as libprocess' do; a linked one stays.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

use bytes::BytesMut;
use parking_lot::Mutex;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::Notify;

use crate::runtime::Inner;
use crate::ssl::{self, Context, Stream};
use crate::{Address, Message};

/// Encoded messages waiting for the connection's writer. Senders append
/// under the lock; only the first append to an empty outbox wakes the
/// writer, which takes everything at once.
#[derive(Default)]
struct Outbox {
    state: Mutex<OutboxState>,
    ready: Notify,
}

#[derive(Default)]
struct OutboxState {
    bytes: BytesMut,
    /// The connection ended: appends fail (the sender opens a new one).
    closed: bool,
}

impl Outbox {
    fn push(&self, message: &Message) -> bool {
        let mut state = self.state.lock();
        if state.closed {
            return false;
        }
        let was_empty = state.bytes.is_empty();
        crate::wire::encode_message(message, &mut state.bytes);
        drop(state);
        if was_empty {
            self.ready.notify_one();
        }
        true
    }

    /// Swaps what is queued into `out` (which must be empty); with
    /// `close`, later appends fail.
    fn take(&self, out: &mut BytesMut, close: bool) {
        let mut state = self.state.lock();
        std::mem::swap(&mut state.bytes, out);
        state.closed |= close;
    }

    /// Ends the outbox, dropping what is queued (as libprocess drops it).
    fn close(&self) {
        let mut state = self.state.lock();
        state.closed = true;
        state.bytes.clear();
    }

    fn is_closed(&self) -> bool {
        self.state.lock().closed
    }
}

pub(super) struct Peer {
    /// Shared with a successor connection, so queued messages survive a
    /// relink.
    outbox: Arc<Outbox>,
    task: tokio::task::AbortHandle,
    pub(super) generation: u64,
    /// Linked: it stays open, and its breaking is reported to the linkers.
    persistent: Arc<AtomicBool>,
}

impl Peer {
    pub(super) fn connect(
        handle: &tokio::runtime::Handle,
        runtime: Weak<Inner>,
        address: Address,
        generation: u64,
        persistent: bool,
        tls: Option<Arc<Context>>,
    ) -> Peer {
        let outbox = Arc::new(Outbox::default());
        let persistent = Arc::new(AtomicBool::new(persistent));
        let task = handle
            .spawn(run(
                runtime,
                address,
                generation,
                outbox.clone(),
                persistent.clone(),
                tls,
            ))
            .abort_handle();
        Peer {
            outbox,
            task,
            generation,
            persistent,
        }
    }

    /// Replaces the connection with a new one of `generation`, keeping
    /// the queued messages; the old connection ends silently.
    pub(super) fn reconnect(
        &mut self,
        handle: &tokio::runtime::Handle,
        runtime: Weak<Inner>,
        address: Address,
        generation: u64,
        tls: Option<Arc<Context>>,
    ) {
        self.task.abort();
        self.generation = generation;
        self.persistent.store(true, Ordering::Release);
        self.task = handle
            .spawn(run(
                runtime,
                address,
                generation,
                self.outbox.clone(),
                self.persistent.clone(),
                tls,
            ))
            .abort_handle();
    }

    /// Queues `message`; false when the connection has ended.
    pub(super) fn send(&self, message: &Message) -> bool {
        self.outbox.push(message)
    }

    pub(super) fn is_open(&self) -> bool {
        !self.outbox.is_closed()
    }

    pub(super) fn persist(&self) {
        self.persistent.store(true, Ordering::Release);
    }

    pub(super) fn is_persistent(&self) -> bool {
        self.persistent.load(Ordering::Acquire)
    }
}

/// How a connection ended without error.
#[derive(PartialEq)]
enum Ended {
    /// The peer closed it.
    ByPeer,
    /// Temporary and drained: it was closed on both sides in order.
    Drained,
}

async fn run(
    runtime: Weak<Inner>,
    address: Address,
    generation: u64,
    outbox: Arc<Outbox>,
    persistent: Arc<AtomicBool>,
    tls: Option<Arc<Context>>,
) {
    let retire = || {
        runtime
            .upgrade()
            .is_some_and(|inner| inner.retire_connection(address, generation))
    };
    let result = match ssl::connect(address.into(), None, tls.as_deref(), true).await {
        Ok(Stream::Plain(stream)) => {
            crate::testing::connected(&runtime, address, &stream);
            let (mut reader, mut writer) = stream.into_split();
            let result = connection(&mut reader, &mut writer, &outbox, &persistent, retire).await;
            if let (Ok(Ended::Drained), Ok(stream)) = (&result, reader.reunite(writer)) {
                let _ = stream.set_zero_linger();
            }
            result
        }
        Ok(Stream::Tls(stream)) => {
            crate::testing::connected(&runtime, address, stream.get_ref().0);
            let (mut reader, mut writer) = tokio::io::split(stream);
            let result = connection(&mut reader, &mut writer, &outbox, &persistent, retire).await;
            if result.as_ref().is_ok_and(|ended| *ended == Ended::Drained) {
                let _ = reader.unsplit(writer).get_ref().0.set_zero_linger();
            }
            result
        }
        Err(error) => Err(error),
    };
    if let Err(error) = result {
        tracing::debug!(%address, %error, "Connection to a peer ended");
    }
    outbox.close();
    if let Some(inner) = runtime.upgrade() {
        inner.connection_broken(address, generation);
    }
}

async fn connection(
    reader: &mut (impl AsyncRead + Unpin),
    writer: &mut (impl AsyncWrite + Unpin),
    outbox: &Outbox,
    persistent: &AtomicBool,
    retire: impl Fn() -> bool,
) -> std::io::Result<Ended> {
    let mut discard = vec![0u8; 80 * 1024];
    let mut batch = BytesMut::new();
    // Whatever was queued before the connection was made (or before a
    // relink replaced the last one) goes out first.
    outbox.ready.notify_one();
    loop {
        tokio::select! {
            read = reader.read(&mut discard) => {
                match read {
                    Ok(0) => return Ok(Ended::ByPeer),
                    Ok(_) => {}
                    Err(error) => return Err(error),
                }
            }
            () = outbox.ready.notified() => {
                outbox.take(&mut batch, false);
                if batch.is_empty() {
                    continue;
                }
                ssl::write_all_flushed(writer, &batch).await?;
                batch.clear();
                if !persistent.load(Ordering::Acquire) && retire() {
                    // Drained: a temporary connection closes. Messages
                    // that raced in go out first; later sends open a new
                    // connection.
                    outbox.take(&mut batch, true);
                    ssl::write_all_flushed(writer, &batch).await?;
                    writer.shutdown().await?;
                    // Read the peer's answers until it closes too: closing
                    // with its answers unread would reset the connection,
                    // and a reset makes the peer drop the messages it has
                    // not read yet. Once both sides are closed the socket
                    // is reset on purpose (zero linger), so short-lived
                    // connections leave no TIME_WAIT behind.
                    while reader.read(&mut discard).await? > 0 {}
                    return Ok(Ended::Drained);
                }
            }
        }
    }
}
