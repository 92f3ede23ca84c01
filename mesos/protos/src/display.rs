//! How Mesos 1.11 prints protocol messages (resources, labels, volumes,
//! attributes, IDs, states), and the `Eq`/`Hash` that let container IDs
//! key maps. They live here because Rust lets only the crate that defines
//! a type implement `Display` or `Hash` for it.

use std::fmt;
use std::hash::{Hash, Hasher};

use crate::mesos::resource::disk_info::{source, Source};
use crate::mesos::resource::{DiskInfo, ReservationInfo};
use crate::mesos::{
    volume, Attribute, ContainerId, ExecutorId, FrameworkId, Labels, MachineId, OfferId,
    OperationId, OperationState, Resource, ResourceProviderId, SlaveId, TaskId, TaskState, Uuid,
    Volume,
};
use crate::values::Typed;

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

impl fmt::Display for Attribute {
    /// `name=value`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = Typed {
            kind: self.r#type(),
            scalar: self.scalar.as_ref(),
            ranges: self.ranges.as_ref(),
            set: self.set.as_ref(),
            text: self.text.as_ref(),
        };
        write!(f, "{}={}", self.name, value)
    }
}

// The derived `PartialEq` compares the value and, recursively, the
// parent: Mesos' `==`. These complete it so container IDs can key maps.
impl Eq for ContainerId {}

impl Hash for ContainerId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
        self.parent.hash(state);
    }
}

impl fmt::Display for ContainerId {
    /// `value`, after the parent's and a `.` for a nested container:
    /// `parent.child`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.parent {
            Some(parent) => write!(f, "{}.{}", parent, self.value),
            None => f.write_str(&self.value),
        }
    }
}

/// `Display` for IDs that print as their value.
macro_rules! display_value {
    ($($id:ty),* $(,)?) => {$(
        impl fmt::Display for $id {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.value)
            }
        }
    )*};
}

display_value!(
    FrameworkId,
    SlaveId,
    OfferId,
    TaskId,
    ExecutorId,
    OperationId,
    ResourceProviderId,
);

impl fmt::Display for TaskState {
    /// The name: `TASK_RUNNING`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str_name())
    }
}

impl fmt::Display for OperationState {
    /// The name: `OPERATION_FINISHED`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str_name())
    }
}

impl fmt::Display for Uuid {
    /// The canonical form (`8-4-4-4-12` lowercase hex), or
    /// `INVALID UUID` if the bytes are not a UUID.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match stout::Uuid::from_bytes(&self.value) {
            Ok(uuid) => write!(f, "{}", uuid),
            Err(_) => f.write_str("INVALID UUID"),
        }
    }
}

impl fmt::Display for MachineId {
    /// `host (ip)`, `host` or `(ip)`, whichever are set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.hostname, &self.ip) {
            (Some(hostname), Some(ip)) => write!(f, "{} ({})", hostname, ip),
            (Some(hostname), None) => f.write_str(hostname),
            (None, ip) => write!(f, "({})", ip.as_deref().unwrap_or_default()),
        }
    }
}
