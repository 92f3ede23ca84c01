//! IDs as a Mesos 1.11 master and agent make them.
//!
//! A master's ID is a random UUID, drawn each time it starts (from the
//! runtime's seedable source, so a simulation replays it). The IDs it
//! hands out are its own ID and a counter that starts again from zero
//! with every master: frameworks `<master id>-0000` (four digits at
//! least), offers `<master id>-O<n>`, agents `<master id>-S<n>`. Being
//! prefixed by a fresh UUID, they never collide with those of an earlier
//! master. An agent names its containers with random UUIDs.

use crate::{ContainerId, FrameworkId, OfferId, SlaveId};

/// A new master ID: a random UUID in canonical form.
pub fn new_master_id() -> String {
    libprocess::random::uuid().to_string()
}

/// A new top-level container ID, as an agent makes for each executor it
/// launches: a random UUID.
pub fn new_container_id() -> ContainerId {
    ContainerId {
        value: libprocess::random::uuid().to_string(),
        parent: None,
    }
}

/// The IDs one master hands out: its own ID and the counters of the
/// frameworks, offers and agents it has named.
#[derive(Clone, Debug)]
pub struct IdGenerator {
    master_id: String,
    next_framework_id: u64,
    next_offer_id: u64,
    next_slave_id: u64,
}

impl IdGenerator {
    /// The generator of a master whose ID is `master_id`, with every
    /// counter at zero.
    pub fn new(master_id: impl Into<String>) -> IdGenerator {
        IdGenerator {
            master_id: master_id.into(),
            next_framework_id: 0,
            next_offer_id: 0,
            next_slave_id: 0,
        }
    }

    /// The generator of a new master, whose ID is [`new_master_id`].
    pub fn random() -> IdGenerator {
        IdGenerator::new(new_master_id())
    }

    /// The master's ID.
    pub fn master_id(&self) -> &str {
        &self.master_id
    }

    /// The next framework ID: `<master id>-0000`, `-0001`, ..., `-9999`,
    /// `-10000`. Given when a framework first subscribes.
    pub fn new_framework_id(&mut self) -> FrameworkId {
        let value = format!("{}-{:04}", self.master_id, self.next_framework_id);
        self.next_framework_id += 1;
        FrameworkId { value }
    }

    /// The next offer ID: `<master id>-O0`, `-O1`, ... Inverse offers
    /// draw from the same counter.
    pub fn new_offer_id(&mut self) -> OfferId {
        let value = format!("{}-O{}", self.master_id, self.next_offer_id);
        self.next_offer_id += 1;
        OfferId { value }
    }

    /// The next agent ID: `<master id>-S0`, `-S1`, ... Given when an
    /// agent first registers.
    pub fn new_slave_id(&mut self) -> SlaveId {
        let value = format!("{}-S{}", self.master_id, self.next_slave_id);
        self.next_slave_id += 1;
        SlaveId { value }
    }
}
