//! A connection made stale behind the transport's back: what libprocess'
//! `ProcessRemoteLinkTest.RemoteUseStaleLink` does with
//! `get_persistent_socket` and `shutdown(SHUT_WR)`. The transport offers
//! each outgoing connection it makes here; an armed hook shuts that
//! socket's write side down and leaves the transport unaware, so it
//! learns of it only when it next writes.

use std::net::Shutdown;
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

use parking_lot::Mutex;

use crate::future::{Future, Promise};
use crate::runtime::Inner;
use crate::Address;

struct Armed {
    runtime: Weak<Inner>,
    address: Address,
    done: Promise<()>,
}

/// The armed hooks; `ARMED_ANY` spares every connection the lock while
/// none is armed (always, outside these tests).
static ARMED: Mutex<Vec<Armed>> = Mutex::new(Vec::new());
static ARMED_ANY: AtomicBool = AtomicBool::new(false);

/// Makes the next connection the current runtime opens to `to` stale: as
/// soon as it is made (after the TLS handshake, if any), the write side
/// of its socket is shut down without the transport knowing, as if the
/// network had silently lost it. Nothing is noticed until the transport
/// writes to it, which then fails and ends the connection (a linked one
/// reports `exited`). Arm it before the `link` that opens the connection.
///
/// The future is ready once the socket is shut down, failed if that
/// failed. Meant for tests only.
pub fn stale_next_connection(to: Address) -> Future<()> {
    let done = Promise::new();
    let future = done.future();
    let runtime = Inner::with(Arc::downgrade);
    let mut armed = ARMED.lock();
    armed.push(Armed {
        runtime,
        address: to,
        done,
    });
    ARMED_ANY.store(true, Ordering::Release);
    future
}

/// The transport of `runtime` made a connection to `address` on `socket`.
pub(crate) fn connected(runtime: &Weak<Inner>, address: Address, socket: &tokio::net::TcpStream) {
    if !ARMED_ANY.load(Ordering::Acquire) {
        return;
    }
    let hook = {
        let mut armed = ARMED.lock();
        let Some(index) = armed
            .iter()
            .position(|a| a.address == address && Weak::ptr_eq(&a.runtime, runtime))
        else {
            return;
        };
        let hook = armed.remove(index);
        ARMED_ANY.store(!armed.is_empty(), Ordering::Release);
        hook
    };
    // Through a duplicate of the descriptor: shutting down acts on the
    // socket both share, and the transport's own handle stays untouched.
    let result = socket
        .as_fd()
        .try_clone_to_owned()
        .map(std::net::TcpStream::from)
        .and_then(|duplicate| duplicate.shutdown(Shutdown::Write));
    match result {
        Ok(()) => hook.done.set(()),
        Err(error) => hook
            .done
            .fail(format!("Could not shut the connection down: {}", error)),
    };
}
