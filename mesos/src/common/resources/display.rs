//! How Mesos 1.11 prints resources, as logs, error texts and tests show
//! them: `cpus:2`, `disk(allocated: a)(reservations: [(STATIC,a)])[id:path]:1`,
//! and `cpus:2; mem:1024` for a collection.

use std::fmt;

use super::{Item, Resources};
use crate::common::values::Typed;
use crate::resource::disk_info::{source, Source};
use crate::resource::{DiskInfo, ReservationInfo};
use crate::{volume, Labels, Resource, Volume};

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if let Some(allocation) = &self.allocation_info {
            write!(f, "(allocated: {})", allocation.role())?;
        }
        if !self.reservations.is_empty() {
            f.write_str("(reservations: [")?;
            for (i, reservation) in self.reservations.iter().enumerate() {
                if i > 0 {
                    f.write_str(",")?;
                }
                write!(f, "({})", reservation)?;
            }
            f.write_str("])")?;
        }
        if let Some(disk) = &self.disk {
            write!(f, "[{}]", disk)?;
        }
        if self.revocable.is_some() {
            f.write_str("{REV}")?;
        }
        if self.shared.is_some() {
            f.write_str("<SHARED>")?;
        }
        f.write_str(":")?;
        Typed {
            kind: self.r#type(),
            scalar: self.scalar.as_ref(),
            ranges: self.ranges.as_ref(),
            set: self.set.as_ref(),
            text: None,
        }
        .fmt(f)
    }
}

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

impl fmt::Display for ReservationInfo {
    /// `TYPE,role[,principal][,{labels}]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{}", self.r#type().as_str_name(), self.role())?;
        if let Some(principal) = &self.principal {
            write!(f, ",{}", principal)?;
        }
        if let Some(labels) = &self.labels {
            write!(f, ",{}", labels)?;
        }
        Ok(())
    }
}

impl fmt::Display for Labels {
    /// `{key: value, key}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, label) in self.labels.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(&label.key)?;
            if let Some(value) = &label.value {
                write!(f, ": {}", value)?;
            }
        }
        f.write_str("}")
    }
}

impl fmt::Display for DiskInfo {
    /// `[source][,persistence id][:volume]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(source) = &self.source {
            source.fmt(f)?;
        }
        if let Some(persistence) = &self.persistence {
            if self.source.is_some() {
                f.write_str(",")?;
            }
            f.write_str(&persistence.id)?;
        }
        if let Some(volume) = &self.volume {
            write!(f, ":{}", volume)?;
        }
        Ok(())
    }
}

impl fmt::Display for Source {
    /// The type, then a CSI volume's `(vendor,id,profile)` or a path's
    /// or mount's `:root`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = source::Type::try_from(self.r#type).unwrap_or(source::Type::Unknown);
        f.write_str(kind.as_str_name())?;
        if kind == source::Type::Unknown {
            return Ok(());
        }
        if self.id.is_some() || self.profile.is_some() {
            return write!(f, "({},{},{})", self.vendor(), self.id(), self.profile());
        }
        let root = match kind {
            source::Type::Mount => self.mount.as_ref().and_then(|m| m.root.as_ref()),
            source::Type::Path => self.path.as_ref().and_then(|p| p.root.as_ref()),
            _ => None,
        };
        match root {
            Some(root) => write!(f, ":{}", root),
            None => Ok(()),
        }
    }
}

impl fmt::Display for Volume {
    /// `container_path`, or `host_path:container_path[:rw|:ro]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(host_path) = &self.host_path else {
            return f.write_str(&self.container_path);
        };
        write!(f, "{}:{}", host_path, self.container_path)?;
        match volume::Mode::try_from(self.mode) {
            Ok(volume::Mode::Rw) => f.write_str(":rw"),
            Ok(volume::Mode::Ro) => f.write_str(":ro"),
            Err(_) => Ok(()),
        }
    }
}
