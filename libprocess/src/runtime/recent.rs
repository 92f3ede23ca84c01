//! A worker thread's recent receivers: strong references to the last few
//! processes it sent messages to.
//!
//! A send to one of them finds its cell by comparing a pointer (or the
//! id, for a UPID without a reference, such as a message's sender) instead
//! of upgrading the UPID's weak reference or searching the process table.
//! Both cost atomic read-modify-writes, and on this path they were a
//! large part of a message's cost.
//!
//! Only worker threads remember, and only cells of their own runtime:
//! the references go when the worker exits, before the runtime closes its
//! processes. A remembered cell that has terminated is skipped (its
//! mailbox refuses the event) and the send falls back to the lookup,
//! which finds a newer process with the same id, as before.

use std::cell::RefCell;
use std::sync::{Arc, Weak};

use super::Inner;
use crate::cell::Cell;
use crate::event::Event;
use crate::UPID;

/// How many receivers a worker remembers.
const SLOTS: usize = 4;

struct Recent {
    /// The runtime whose worker this is (by address).
    runtime: usize,
    cells: [Option<Arc<Cell>>; SLOTS],
    /// The slot to reuse next when none is free.
    next: usize,
}

thread_local! {
    static RECENT: RefCell<Option<Recent>> = const { RefCell::new(None) };
}

fn id(inner: &Inner) -> usize {
    inner as *const Inner as usize
}

/// Makes this thread a worker of `inner` that remembers receivers.
pub(crate) fn enable(inner: &Inner) {
    RECENT.with(|recent| {
        *recent.borrow_mut() = Some(Recent {
            runtime: id(inner),
            cells: Default::default(),
            next: 0,
        })
    });
}

/// Forgets every receiver (the worker is done).
pub(crate) fn disable() {
    let recent = RECENT.with(|recent| recent.borrow_mut().take());
    drop(recent);
}

/// Whether `cell` is the process `to` names.
#[inline(always)]
fn names(cell: &Arc<Cell>, to: &UPID) -> bool {
    match &to.reference {
        Some(reference) => std::ptr::eq(Weak::as_ptr(reference), Arc::as_ptr(cell)),
        None => cell.pid.address() == to.address() && cell.pid.raw_id() == to.raw_id(),
    }
}

/// Queues `event` for `to` if this worker remembers it; hands the event
/// back otherwise, or when that process has terminated.
#[inline(always)]
// The event comes back unboxed, as from `Cell::enqueue`.
#[allow(clippy::result_large_err)]
pub(crate) fn deliver(inner: &Arc<Inner>, to: &UPID, event: Event) -> Result<(), Event> {
    RECENT.with(|recent| {
        let Ok(recent) = recent.try_borrow() else {
            return Err(event);
        };
        let Some(recent) = recent.as_ref().filter(|r| r.runtime == id(inner)) else {
            return Err(event);
        };
        let Some(cell) = recent.cells.iter().flatten().find(|cell| names(cell, to)) else {
            return Err(event);
        };
        inner.deliver_enqueued(cell, event)
    })
}

/// Remembers `cell`, a process of `inner` just sent to, in a free slot,
/// the slot of a terminated process, or else the oldest one.
pub(crate) fn remember(inner: &Inner, cell: Arc<Cell>) {
    let evicted = RECENT.with(|recent| {
        let Ok(mut recent) = recent.try_borrow_mut() else {
            return None;
        };
        let recent = recent.as_mut().filter(|r| r.runtime == id(inner))?;
        let cells = &mut recent.cells;
        if cells.iter().flatten().any(|c| Arc::ptr_eq(c, &cell)) {
            return None;
        }
        let index = match cells
            .iter()
            .position(|c| c.as_ref().is_none_or(|c| c.is_closed()))
        {
            Some(index) => index,
            None => {
                let index = recent.next;
                recent.next = (index + 1) % SLOTS;
                index
            }
        };
        cells[index].replace(cell)
    });
    // Dropped outside the borrow: the last reference to a terminated
    // cell may drop what it still holds.
    drop(evicted);
}
