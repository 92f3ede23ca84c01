//! Between the internal (v0) protocol and v1 (`src/internal/evolve.hpp`,
//! `devolve.hpp`): the two schemas give each message the same fields and
//! numbers, so a message crosses over as its bytes; the internal messages
//! a master sends schedulers become v1 scheduler events.

use prost::Message;
use stout::{Error, Try};

use crate::internal::{
    ExecutorToFrameworkMessage, ExitedExecutorMessage, FrameworkErrorMessage,
    FrameworkRegisteredMessage, FrameworkReregisteredMessage, LostSlaveMessage,
    RescindResourceOfferMessage, ResourceOffersMessage, StatusUpdateMessage,
};
use crate::v1::scheduler::{event, Event};

/// `message` (a v0 type) as the v1 type `V1`, e.g.
/// `evolve::<v1::ExecutorInfo>(&executor_info)`. There is no size limit.
pub fn evolve<V1: Message + Default>(message: &impl Message) -> Try<V1> {
    transcode(message)
}

/// `message` (a v1 type) as the v0 type `V0`.
pub fn devolve<V0: Message + Default>(message: &impl Message) -> Try<V0> {
    transcode(message)
}

fn transcode<T: Message + Default>(message: &impl Message) -> Try<T> {
    T::decode(message.encode_to_vec().as_slice())
        .map_err(|e| Error::new(format!("Failed to convert the message: {}", e)))
}

/// An internal message the master sends a scheduler, and the v1
/// `Event` it becomes on an HTTP scheduler's stream (Mesos'
/// `evolve(const FrameworkRegisteredMessage&)` and the others in
/// `src/internal/evolve.cpp`).
pub trait SchedulerMessage: libprocess::ProtobufMessage {
    /// The kind of event it is (what per-framework metrics count).
    const EVENT: event::Type;

    /// The event.
    fn evolve_event(&self) -> Try<crate::v1::scheduler::Event>;
}

fn event(kind: event::Type) -> Event {
    Event {
        r#type: Some(kind as i32),
        ..Event::default()
    }
}

/// SUBSCRIBED, with the master's heartbeat interval.
fn subscribed(framework_id: &crate::FrameworkId, master_info: &crate::MasterInfo) -> Try<Event> {
    Ok(Event {
        subscribed: Some(event::Subscribed {
            framework_id: evolve(framework_id)?,
            heartbeat_interval_seconds: Some(
                crate::master::constants::DEFAULT_HEARTBEAT_INTERVAL.secs(),
            ),
            master_info: Some(evolve(master_info)?),
        }),
        ..event(event::Type::Subscribed)
    })
}

impl SchedulerMessage for FrameworkRegisteredMessage {
    const EVENT: event::Type = event::Type::Subscribed;

    fn evolve_event(&self) -> Try<Event> {
        subscribed(&self.framework_id, &self.master_info)
    }
}

impl SchedulerMessage for FrameworkReregisteredMessage {
    const EVENT: event::Type = event::Type::Subscribed;

    fn evolve_event(&self) -> Try<Event> {
        subscribed(&self.framework_id, &self.master_info)
    }
}

impl SchedulerMessage for FrameworkErrorMessage {
    const EVENT: event::Type = event::Type::Error;

    fn evolve_event(&self) -> Try<Event> {
        Ok(Event {
            error: Some(event::Error {
                message: self.message.clone(),
            }),
            ..event(event::Type::Error)
        })
    }
}

impl SchedulerMessage for ResourceOffersMessage {
    const EVENT: event::Type = event::Type::Offers;

    fn evolve_event(&self) -> Try<Event> {
        Ok(Event {
            offers: Some(event::Offers {
                offers: self.offers.iter().map(evolve).collect::<Try<_>>()?,
            }),
            ..event(event::Type::Offers)
        })
    }
}

impl SchedulerMessage for RescindResourceOfferMessage {
    const EVENT: event::Type = event::Type::Rescind;

    fn evolve_event(&self) -> Try<Event> {
        Ok(Event {
            rescind: Some(event::Rescind {
                offer_id: evolve(&self.offer_id)?,
            }),
            ..event(event::Type::Rescind)
        })
    }
}

impl SchedulerMessage for StatusUpdateMessage {
    const EVENT: event::Type = event::Type::Update;

    fn evolve_event(&self) -> Try<Event> {
        let update = &self.update;
        let mut status: crate::v1::TaskStatus = evolve(&update.status)?;
        if let Some(slave_id) = &update.slave_id {
            status.agent_id = Some(evolve(slave_id)?);
        }
        if let Some(executor_id) = &update.executor_id {
            status.executor_id = Some(evolve(executor_id)?);
        }
        status.timestamp = Some(update.timestamp);
        // Only an update with a UUID, forwarded for an agent (not made up
        // by the master, whose updates name the empty pid), is to be
        // acknowledged.
        let acknowledgee = self
            .pid
            .as_deref()
            .and_then(|pid| libprocess::UPID::parse(pid).ok())
            .filter(|pid| !pid.is_empty());
        status.uuid = match (&update.uuid, acknowledgee) {
            (Some(uuid), Some(_)) if !uuid.is_empty() => Some(uuid.clone()),
            _ => None,
        };
        Ok(Event {
            update: Some(event::Update { status }),
            ..event(event::Type::Update)
        })
    }
}

impl SchedulerMessage for ExecutorToFrameworkMessage {
    const EVENT: event::Type = event::Type::Message;

    fn evolve_event(&self) -> Try<Event> {
        Ok(Event {
            message: Some(event::Message {
                agent_id: evolve(&self.slave_id)?,
                executor_id: evolve(&self.executor_id)?,
                data: self.data.clone(),
            }),
            ..event(event::Type::Message)
        })
    }
}

impl SchedulerMessage for LostSlaveMessage {
    const EVENT: event::Type = event::Type::Failure;

    fn evolve_event(&self) -> Try<Event> {
        Ok(Event {
            failure: Some(event::Failure {
                agent_id: Some(evolve(&self.slave_id)?),
                ..event::Failure::default()
            }),
            ..event(event::Type::Failure)
        })
    }
}

impl SchedulerMessage for ExitedExecutorMessage {
    const EVENT: event::Type = event::Type::Failure;

    fn evolve_event(&self) -> Try<Event> {
        Ok(Event {
            failure: Some(event::Failure {
                agent_id: Some(evolve(&self.slave_id)?),
                executor_id: Some(evolve(&self.executor_id)?),
                status: Some(self.status),
            }),
            ..event(event::Type::Failure)
        })
    }
}
