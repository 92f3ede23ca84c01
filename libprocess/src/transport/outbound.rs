//! The connection to one peer address: messages queued by any thread,
//! written in batches by one task; whatever the peer answers is read and
//! discarded, and the end of the connection is reported. A temporary
//! (unlinked) connection closes once it has sent everything queued, as
//! libprocess' do; a linked one stays.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use crate::runtime::Inner;
use crate::ssl::{self, Context, Stream};
use crate::Address;

type Queue = Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<Bytes>>>;

pub(super) struct Peer {
    queue: mpsc::UnboundedSender<Bytes>,
    /// The receiving end, handed from a replaced connection to its
    /// successor (so queued messages survive a relink).
    messages: Queue,
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
        let (queue, messages) = mpsc::unbounded_channel();
        let messages = Arc::new(tokio::sync::Mutex::new(messages));
        let persistent = Arc::new(AtomicBool::new(persistent));
        let task = handle
            .spawn(run(
                runtime,
                address,
                generation,
                messages.clone(),
                persistent.clone(),
                tls,
            ))
            .abort_handle();
        Peer {
            queue,
            messages,
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
                self.messages.clone(),
                self.persistent.clone(),
                tls,
            ))
            .abort_handle();
    }

    /// Queues encoded bytes; false when the connection has ended.
    pub(super) fn send(&self, bytes: Bytes) -> bool {
        self.queue.send(bytes).is_ok()
    }

    pub(super) fn is_open(&self) -> bool {
        !self.queue.is_closed()
    }

    pub(super) fn persist(&self) {
        self.persistent.store(true, Ordering::Release);
    }

    pub(super) fn is_persistent(&self) -> bool {
        self.persistent.load(Ordering::Acquire)
    }
}

async fn run(
    runtime: Weak<Inner>,
    address: Address,
    generation: u64,
    messages: Queue,
    persistent: Arc<AtomicBool>,
    tls: Option<Arc<Context>>,
) {
    // Held until this connection ends or is replaced (aborting the task
    // releases it to the successor).
    let mut messages = messages.lock().await;
    let retire = || {
        runtime
            .upgrade()
            .is_some_and(|inner| inner.retire_connection(address, generation))
    };
    let result = match ssl::connect(address.into(), None, tls.as_deref(), true).await {
        Ok(Stream::Plain(stream)) => {
            let (reader, writer) = stream.into_split();
            connection(reader, writer, &mut messages, &persistent, retire).await
        }
        Ok(Stream::Tls(stream)) => {
            let (reader, writer) = tokio::io::split(stream);
            connection(reader, writer, &mut messages, &persistent, retire).await
        }
        Err(error) => Err(error),
    };
    if let Err(error) = result {
        tracing::debug!(%address, %error, "Connection to a peer ended");
    }
    // Messages still queued are dropped, as libprocess drops them.
    messages.close();
    while messages.try_recv().is_ok() {}
    drop(messages);
    if let Some(inner) = runtime.upgrade() {
        inner.connection_broken(address, generation);
    }
}

async fn connection(
    mut reader: impl AsyncRead + Unpin,
    mut writer: impl AsyncWrite + Unpin,
    messages: &mut mpsc::UnboundedReceiver<Bytes>,
    persistent: &AtomicBool,
    retire: impl Fn() -> bool,
) -> std::io::Result<()> {
    let mut discard = vec![0u8; 80 * 1024];
    let mut batch = BytesMut::new();
    loop {
        tokio::select! {
            read = reader.read(&mut discard) => {
                match read {
                    Ok(0) => return Ok(()),
                    Ok(_) => {}
                    Err(error) => return Err(error),
                }
            }
            next = messages.recv() => {
                let Some(first) = next else {
                    return Ok(());
                };
                // Everything queued meanwhile goes out in one write.
                batch.extend_from_slice(&first);
                while let Ok(more) = messages.try_recv() {
                    batch.extend_from_slice(&more);
                }
                ssl::write_all_flushed(&mut writer, &batch).await?;
                batch.clear();
                if !persistent.load(Ordering::Acquire) && retire() {
                    // Drained: a temporary connection closes. Messages
                    // that raced in go out first; later sends open a new
                    // connection.
                    messages.close();
                    while let Ok(more) = messages.try_recv() {
                        batch.extend_from_slice(&more);
                    }
                    ssl::write_all_flushed(&mut writer, &batch).await?;
                    writer.shutdown().await?;
                    // Read the peer's answers until it closes too: closing
                    // with its answers unread would reset the connection,
                    // and a reset makes the peer drop the messages it has
                    // not read yet.
                    while reader.read(&mut discard).await? > 0 {}
                    return Ok(());
                }
            }
        }
    }
}
