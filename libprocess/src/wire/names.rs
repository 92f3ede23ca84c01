//! Message names read off the wire, kept once for the life of the
//! program.
//!
//! A peer sends the same few names over and over (Mesos has about two
//! hundred), and a name allocated per message by the reading thread and
//! freed by the worker that handles it cost the receiving side a tenth of
//! its time (the allocator's arenas contend across threads). So a name is
//! made `'static` the first time it is seen, up to a bound that a peer
//! inventing names cannot push the memory past; beyond it, names are
//! allocated per message as before.

use std::borrow::Cow;

use parking_lot::Mutex;
use rustc_hash::FxHashSet;

/// How many distinct names are kept, at most.
const MAX_NAMES: usize = 4096;
/// The longest name kept (longer ones are allocated per message).
const MAX_NAME_LEN: usize = 256;
/// How many names each reader remembers without taking the lock.
const RECENT: usize = 8;

static KEPT: Mutex<Option<FxHashSet<&'static str>>> = Mutex::new(None);

/// The names one connection's reader has met lately.
#[derive(Debug, Default)]
pub(crate) struct Names {
    recent: Vec<&'static str>,
    /// Where the next new name replaces an old one in `recent`.
    next: usize,
}

impl Names {
    /// `name` as a message's name: borrowed from the kept names when it is
    /// (or can become) one of them.
    pub(crate) fn get(&mut self, name: &str) -> Cow<'static, str> {
        if let Some(&kept) = self.recent.iter().find(|kept| **kept == name) {
            return Cow::Borrowed(kept);
        }
        let Some(kept) = keep(name) else {
            return Cow::Owned(name.to_string());
        };
        if self.recent.len() < RECENT {
            self.recent.push(kept);
        } else {
            self.recent[self.next] = kept;
            self.next = (self.next + 1) % RECENT;
        }
        Cow::Borrowed(kept)
    }
}

/// The kept copy of `name`, made if there is room.
fn keep(name: &str) -> Option<&'static str> {
    if name.len() > MAX_NAME_LEN {
        return None;
    }
    let mut kept = KEPT.lock();
    let kept = kept.get_or_insert_with(FxHashSet::default);
    if let Some(&name) = kept.get(name) {
        return Some(name);
    }
    if kept.len() >= MAX_NAMES {
        return None;
    }
    // Leaked on purpose, once per distinct name: bounded above.
    let name: &'static str = Box::leak(name.to_string().into_boxed_str());
    kept.insert(name);
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_seen_again_is_the_kept_one() {
        let mut names = Names::default();
        let first = names.get("mesos.internal.names_test.Kept");
        let Cow::Borrowed(first) = first else {
            panic!("kept");
        };
        let mut other = Names::default();
        let Cow::Borrowed(again) = other.get("mesos.internal.names_test.Kept") else {
            panic!("kept");
        };
        assert!(std::ptr::eq(first, again));
    }

    #[test]
    fn a_long_name_is_not_kept() {
        let long = "n".repeat(MAX_NAME_LEN + 1);
        assert!(matches!(Names::default().get(&long), Cow::Owned(name) if name == long));
    }

    #[test]
    fn recent_names_rotate() {
        let mut names = Names::default();
        for i in 0..(RECENT * 2) {
            let name = format!("names_test.rotate.{i}");
            assert_eq!(names.get(&name), name.as_str());
        }
        assert_eq!(names.recent.len(), RECENT);
    }
}
