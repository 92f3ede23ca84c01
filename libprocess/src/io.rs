//! Asynchronous I/O on file descriptors (libprocess' `process::io`):
//! `poll`, single `read`s and `write`s, reading to the end, writing
//! everything, and `redirect`, each completing a libprocess [`Future`].
//! Discarding one of these futures stops the operation: no byte is read
//! or written by it afterwards.
//!
//! Descriptors are taken as [`AsFd`] and duplicated (close-on-exec) before
//! anything waits on them, as libprocess does to control their lifetime:
//! the caller may close its own descriptor once the call returns. Single
//! `read`/`write` need a descriptor made non-blocking first
//! ([`prepare_async`]); the others make their duplicate non-blocking, which
//! (as with libprocess) changes the shared open file description.
//!
//! # The reactor
//!
//! Readiness comes from a tokio runtime with one thread, `libprocess-io`,
//! started on first use and shared by every libprocess [`Runtime`](crate::Runtime)
//! (`crate::Runtime`) in the OS process, as libprocess has one event loop.
//! A runtime only gets a tokio runtime of its own when it listens (the
//! transport's), and a descriptor is not tied to any libprocess runtime, so
//! a process-wide reactor is the one place every caller can reach. Futures
//! complete on that thread; callbacks that must run on a process use
//! [`defer`](crate::defer()), which finds its process wherever it is called.
//! Operations try their system call first on the calling thread and only
//! go to the reactor when it would block, so regular files (which epoll
//! refuses) work too.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::sync::{Arc, OnceLock};

use bytes::{Bytes, BytesMut};
use nix::errno::Errno;
use nix::fcntl::{fcntl, FcntlArg, OFlag};
use tokio::io::unix::AsyncFd;
use tokio::io::Interest;

use crate::future::{Future, Promise};

/// [`poll`] for readability.
pub const READ: i16 = 0x01;

/// [`poll`] for writability.
pub const WRITE: i16 = 0x02;

/// The chunk [`read_to_end`] reads at a time (16 pages).
pub const BUFFERED_READ_SIZE: usize = 16 * 4096;

/// Something to run on each chunk [`redirect`] moves, before it is
/// written.
pub type RedirectHook = Box<dyn FnMut(&[u8]) + Send>;

/// Makes `fd` ready for asynchronous I/O: non-blocking.
pub fn prepare_async(fd: impl AsFd) -> stout::Try<()> {
    let fd = fd.as_fd();
    let flags = status_flags(fd)?;
    fcntl(fd, FcntlArg::F_SETFL(flags | OFlag::O_NONBLOCK))
        .map_err(|e| errno_error("Failed to set O_NONBLOCK", e))?;
    Ok(())
}

/// Whether [`prepare_async`] was called on `fd` (it is non-blocking).
pub fn is_async(fd: impl AsFd) -> stout::Try<bool> {
    Ok(status_flags(fd.as_fd())?.contains(OFlag::O_NONBLOCK))
}

/// Waits until `fd` can be read ([`READ`]) or written ([`WRITE`]) without
/// blocking; the events (of those asked for) that are possible.
pub fn poll(fd: impl AsFd, events: i16) -> Future<i16> {
    let interest = match (events & READ != 0, events & WRITE != 0) {
        (true, true) => Interest::READABLE | Interest::WRITABLE,
        (true, false) => Interest::READABLE,
        (false, true) => Interest::WRITABLE,
        (false, false) => return Future::failed("Expected io::READ or io::WRITE to poll for"),
    };
    let fd = match duplicate(fd.as_fd()) {
        Ok(fd) => fd,
        Err(message) => return Future::failed(message),
    };
    run(async move {
        let fd = register(fd, interest)?;
        let guard = fd
            .ready(interest)
            .await
            .map_err(|e| format!("Failed to poll: {}", e))?;
        let ready = guard.ready();
        let mut result = 0;
        if ready.is_readable() && events & READ != 0 {
            result |= READ;
        }
        if (ready.is_writable() || ready.is_error()) && events & WRITE != 0 {
            result |= WRITE;
        }
        // Errors count as readable too, so that the read reports them.
        if ready.is_error() && events & READ != 0 {
            result |= READ;
        }
        Ok(result)
    })
}

/// One read of at most `size` bytes from the non-blocking `fd`, once
/// something can be read: the bytes read, empty at end of file (or when
/// `size` is 0). Fails on a blocking descriptor or a read error.
pub fn read(fd: impl AsFd, size: usize) -> Future<Bytes> {
    let fd = fd.as_fd();
    if let Err(message) = check_async(fd) {
        return Future::failed(message);
    }
    if size == 0 {
        return Future::ready(Bytes::new());
    }
    let mut buffer = BytesMut::zeroed(size);
    once(fd, Interest::READABLE, move |fd| {
        let length = nix::unistd::read(fd, &mut buffer)?;
        Ok(Bytes::copy_from_slice(&buffer[..length]))
    })
}

/// One write of (a prefix of) `data` to the non-blocking `fd`, once it
/// can be written: how many bytes were written. Fails on a blocking
/// descriptor or a write error (a pipe or socket whose reader is gone:
/// `EPIPE`).
pub fn write(fd: impl AsFd, data: impl Into<Bytes>) -> Future<usize> {
    let fd = fd.as_fd();
    if let Err(message) = check_async(fd) {
        return Future::failed(message);
    }
    let data = data.into();
    if data.is_empty() {
        return Future::ready(0);
    }
    once(fd, Interest::WRITABLE, move |fd| {
        nix::unistd::write(fd, &data)
    })
}

/// Reads `fd` until end of file (libprocess' `io::read(fd)`): everything
/// read. Make sure the writer closes its end, or this never completes.
pub fn read_to_end(fd: impl AsFd) -> Future<Bytes> {
    let fd = match private_async(fd.as_fd()) {
        Ok(fd) => fd,
        Err(message) => return Future::failed(message),
    };
    run(async move {
        let mut fd = Pollable::new(fd);
        let mut data = BytesMut::new();
        let mut chunk = vec![0; BUFFERED_READ_SIZE];
        loop {
            let length = fd
                .retry(Interest::READABLE, |fd| nix::unistd::read(fd, &mut chunk))
                .await?;
            if length == 0 {
                return Ok(data.freeze());
            }
            data.extend_from_slice(&chunk[..length]);
        }
    })
}

/// Writes all of `data` to `fd` (libprocess' `io::write(fd, string)`).
pub fn write_all(fd: impl AsFd, data: impl Into<Bytes>) -> Future<()> {
    let fd = match private_async(fd.as_fd()) {
        Ok(fd) => fd,
        Err(message) => return Future::failed(message),
    };
    let data = data.into();
    run(async move {
        let mut fd = Pollable::new(fd);
        fd.write_all(&data).await
    })
}

/// Copies everything read from `from` to `to` (to `/dev/null` when
/// `None`) in chunks of at most `chunk` bytes, giving each chunk to the
/// `hooks` first; ready at end of file on `from`. Both descriptors are
/// duplicated, so the caller may close its own right away.
pub fn redirect(
    from: impl AsFd,
    to: Option<BorrowedFd<'_>>,
    chunk: usize,
    mut hooks: Vec<RedirectHook>,
) -> Future<()> {
    let to = match to {
        Some(to) => private_async(to),
        None => std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .map(OwnedFd::from)
            .map_err(|e| {
                stout::Error::errno("Failed to open /dev/null for writing", &e).to_string()
            }),
    };
    let to = match to {
        Ok(to) => to,
        Err(message) => return Future::failed(message),
    };
    let from = match private_async(from.as_fd()) {
        Ok(from) => from,
        Err(message) => return Future::failed(message),
    };
    let chunk = chunk.max(1);
    run(async move {
        let (mut from, mut to) = (Pollable::new(from), Pollable::new(to));
        let mut buffer = vec![0; chunk];
        loop {
            let length = from
                .retry(Interest::READABLE, |fd| nix::unistd::read(fd, &mut buffer))
                .await?;
            if length == 0 {
                return Ok(());
            }
            let data = &buffer[..length];
            for hook in hooks.iter_mut() {
                hook(data);
            }
            to.write_all(data).await?;
        }
    })
}

/// The process-wide reactor; an error text if it could not start.
fn reactor() -> Result<&'static tokio::runtime::Handle, String> {
    static REACTOR: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    REACTOR
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("libprocess-io")
                .enable_io()
                .build()
                .map_err(|e| format!("Failed to start the I/O reactor: {}", e))
        })
        .as_ref()
        .map(|runtime| runtime.handle())
        .map_err(Clone::clone)
}

/// Runs `task` on the reactor; its outcome completes the future, and
/// discarding the future stops the task and discards it.
fn run<T, F>(task: F) -> Future<T>
where
    T: Send + Sync + 'static,
    F: std::future::Future<Output = Result<T, String>> + Send + 'static,
{
    let handle = match reactor() {
        Ok(handle) => handle,
        Err(message) => return Future::failed(message),
    };
    // Only the task holds the promise: if it dies, the future is abandoned.
    let promise = Arc::new(Promise::new());
    let future = promise.future();
    let weak = Arc::downgrade(&promise);
    let join = handle.spawn(async move {
        match task.await {
            Ok(value) => promise.set(value),
            Err(message) => promise.fail(message),
        };
    });
    future.on_discard(move || {
        if let Some(promise) = weak.upgrade() {
            promise.discard();
        }
        // An aborted task is never polled again: it reads and writes no
        // more, even if the descriptor becomes ready later.
        join.abort();
    });
    future
}

/// One system call on `fd`, tried right away and, while it would block,
/// again whenever `fd` is ready for `interest`.
fn once<T, O>(fd: BorrowedFd<'_>, interest: Interest, mut op: O) -> Future<T>
where
    T: Send + Sync + 'static,
    O: FnMut(BorrowedFd<'_>) -> nix::Result<T> + Send + 'static,
{
    match op(fd) {
        Ok(value) => return Future::ready(value),
        Err(Errno::EAGAIN | Errno::EINTR) => {}
        Err(errno) => return Future::failed(errno.desc()),
    }
    let fd = match duplicate(fd) {
        Ok(fd) => fd,
        Err(message) => return Future::failed(message),
    };
    run(async move { Pollable::new(fd).retry(interest, op).await })
}

/// A descriptor of our own, registered with the reactor only once an
/// operation on it would block.
struct Pollable {
    fd: Option<OwnedFd>,
    registered: Option<AsyncFd<OwnedFd>>,
}

impl Pollable {
    fn new(fd: OwnedFd) -> Pollable {
        Pollable {
            fd: Some(fd),
            registered: None,
        }
    }

    fn fd(&self) -> BorrowedFd<'_> {
        match (&self.registered, &self.fd) {
            (Some(registered), _) => registered.get_ref().as_fd(),
            (None, Some(fd)) => fd.as_fd(),
            (None, None) => unreachable!("a Pollable always holds its descriptor"),
        }
    }

    /// `op` until it does not block; its failure as text.
    async fn retry<T>(
        &mut self,
        interest: Interest,
        mut op: impl FnMut(BorrowedFd<'_>) -> nix::Result<T>,
    ) -> Result<T, String> {
        loop {
            match op(self.fd()) {
                Ok(value) => return Ok(value),
                Err(Errno::EAGAIN | Errno::EINTR) => self.wait(interest).await?,
                Err(errno) => return Err(errno.desc().to_string()),
            }
        }
    }

    /// Waits until the descriptor is ready for `interest`. The readiness
    /// is consumed here, before the caller retries its call, so an event
    /// that arrives after that call is not lost.
    async fn wait(&mut self, interest: Interest) -> Result<(), String> {
        if self.registered.is_none() {
            let fd = self.fd.take().expect("held until registered");
            // Both interests: the same descriptor may be read and written.
            self.registered = Some(register(fd, Interest::READABLE | Interest::WRITABLE)?);
        }
        let registered = self.registered.as_ref().expect("just registered");
        let mut guard = registered
            .ready(interest)
            .await
            .map_err(|e| format!("Failed to poll: {}", e))?;
        guard.clear_ready();
        Ok(())
    }

    async fn write_all(&mut self, mut data: &[u8]) -> Result<(), String> {
        while !data.is_empty() {
            let written = self
                .retry(Interest::WRITABLE, |fd| nix::unistd::write(fd, data))
                .await?;
            data = &data[written..];
        }
        Ok(())
    }
}

fn register(fd: OwnedFd, interest: Interest) -> Result<AsyncFd<OwnedFd>, String> {
    let raw = fd.as_raw_fd();
    // Deprecated because an arbitrary `T` may close its descriptor while
    // registered; an `OwnedFd` moved into the `AsyncFd` cannot, so this
    // is sound without the `unsafe` successor.
    #[allow(deprecated)]
    AsyncFd::with_interest(fd, interest)
        .map_err(|e| format!("Failed to watch file descriptor {}: {}", raw, e))
}

/// A close-on-exec duplicate of `fd`.
fn duplicate(fd: BorrowedFd<'_>) -> Result<OwnedFd, String> {
    fd.try_clone_to_owned()
        .map_err(|e| stout::Error::errno("Failed to duplicate file descriptor", &e).to_string())
}

/// A non-blocking, close-on-exec duplicate of `fd`.
fn private_async(fd: BorrowedFd<'_>) -> Result<OwnedFd, String> {
    let fd = duplicate(fd)?;
    prepare_async(&fd).map_err(|e| {
        format!(
            "Failed to make duplicated file descriptor asynchronous: {}",
            e
        )
    })?;
    Ok(fd)
}

fn check_async(fd: BorrowedFd<'_>) -> Result<(), String> {
    match is_async(fd) {
        Ok(true) => Ok(()),
        Ok(false) => Err("Expected an asynchronous file descriptor.".to_string()),
        Err(e) => Err(format!(
            "Failed to check if file descriptor was asynchronous: {}",
            e
        )),
    }
}

fn status_flags(fd: BorrowedFd<'_>) -> stout::Try<OFlag> {
    let flags = fcntl(fd, FcntlArg::F_GETFL).map_err(|e| errno_error("Failed to get flags", e))?;
    Ok(OFlag::from_bits_truncate(flags))
}

fn errno_error(what: &str, errno: Errno) -> stout::Error {
    stout::Error::new(format!("{}: {}", what, errno.desc()))
}
