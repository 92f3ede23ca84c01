//! Event filters: a test hook that sees every event a process is about to
//! serve, at the moment it is dequeued, and may drop it (libprocess'
//! `process::filter`). Terminate events are never filtered.

use std::sync::Arc;

use crate::event::EventRef;
use crate::runtime::Inner;

/// Decides, for each event a process dequeues, whether to drop it.
pub trait Filter: Send + Sync + 'static {
    /// True drops the event: it is never served.
    fn filter(&self, event: &EventRef<'_>) -> bool;
}

/// Installs `filter` on the current runtime, replacing any other a test
/// installed; `None` removes it. The expectations of
/// [`testing`](crate::testing) act beside it, first: an event one of them
/// drops never reaches the filter.
pub fn install(filter: Option<Arc<dyn Filter>>) {
    Inner::with(|inner| inner.set_filter(filter));
}
