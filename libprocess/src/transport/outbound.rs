//! The connection to one peer address: messages queued by any thread,
//! written in batches by one task; whatever the peer answers is read and
//! discarded, and the end of the connection is reported.

use std::sync::Weak;

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

use crate::runtime::Inner;
use crate::Address;

pub(super) struct Peer {
    queue: mpsc::UnboundedSender<Bytes>,
    pub(super) generation: u64,
    /// Linked: its breaking is reported to the linkers.
    pub(super) persistent: bool,
}

impl Peer {
    pub(super) fn connect(
        handle: &tokio::runtime::Handle,
        runtime: Weak<Inner>,
        address: Address,
        generation: u64,
        persistent: bool,
    ) -> Peer {
        let (queue, messages) = mpsc::unbounded_channel();
        handle.spawn(run(runtime, address, generation, messages));
        Peer {
            queue,
            generation,
            persistent,
        }
    }

    /// Queues encoded bytes; false when the connection has ended.
    pub(super) fn send(&self, bytes: Bytes) -> bool {
        self.queue.send(bytes).is_ok()
    }

    pub(super) fn is_open(&self) -> bool {
        !self.queue.is_closed()
    }
}

async fn run(
    runtime: Weak<Inner>,
    address: Address,
    generation: u64,
    mut messages: mpsc::UnboundedReceiver<Bytes>,
) {
    if let Err(error) = connection(address, &mut messages).await {
        tracing::debug!(%address, %error, "Connection to a peer ended");
    }
    // Messages still queued are dropped, as libprocess drops them.
    messages.close();
    if let Some(inner) = runtime.upgrade() {
        inner.connection_broken(address, generation);
    }
}

async fn connection(
    address: Address,
    messages: &mut mpsc::UnboundedReceiver<Bytes>,
) -> std::io::Result<()> {
    let stream = TcpStream::connect(address).await?;
    let _ = stream.set_nodelay(true);
    let (mut reader, mut writer) = stream.into_split();
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
                writer.write_all(&batch).await?;
                batch.clear();
            }
        }
    }
}
