//! How Mesos 1.11 prints resources, as logs, error texts and tests show
//! them: `cpus:2`, `disk(allocated: a)(reservations: [(STATIC,a)])[id:path]:1`,
//! and `cpus:2; mem:1024` for a collection. A single `Resource` (and its
//! reservations, labels, disk, volume) prints through the `Display` in
//! `mesos_protos`, next to the generated types (Rust's orphan rule).

use std::fmt;

use super::{Item, Resources};

impl fmt::Display for Item {
    /// A shared resource carries its count: `...<SHARED>:64<2>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.resource.fmt(f)?;
        match self.shared_count {
            Some(count) => write!(f, "<{}>", count),
            None => Ok(()),
        }
    }
}

impl fmt::Display for Resources {
    /// The resources joined by `"; "`; `{}` when there are none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.items.is_empty() {
            return f.write_str("{}");
        }
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            item.fmt(f)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Resources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
