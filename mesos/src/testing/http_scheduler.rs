//! Mesos' `v1::MockHTTPScheduler` and `v1::scheduler::TestMesos`: a v1
//! scheduler whose every callback and event is an [`Expectations`], run by
//! the scheduler library against an in-process master.

use std::collections::VecDeque;
use std::sync::Arc;

use stout::Duration;

use crate::master::detector::MasterDetector;
use crate::v1::scheduler::{event, Callbacks, ContentType, Event, Mesos};

use super::Expectations;

type On<A> = Expectations<(), A>;

/// A v1 scheduler of expectations, one per callback and event type.
/// Clones share them: give the library a clone and keep one to set
/// expectations on.
#[derive(Clone, Debug, Default)]
pub struct MockHttpScheduler {
    /// `connected()`.
    pub connected: On<()>,
    /// `disconnected()`.
    pub disconnected: On<()>,
    /// SUBSCRIBED.
    pub subscribed: On<event::Subscribed>,
    /// OFFERS.
    pub offers: On<event::Offers>,
    /// INVERSE_OFFERS.
    pub inverse_offers: On<event::InverseOffers>,
    /// RESCIND.
    pub rescind: On<event::Rescind>,
    /// RESCIND_INVERSE_OFFER.
    pub rescind_inverse_offer: On<event::RescindInverseOffer>,
    /// UPDATE.
    pub update: On<event::Update>,
    /// UPDATE_OPERATION_STATUS.
    pub update_operation_status: On<event::UpdateOperationStatus>,
    /// MESSAGE.
    pub message: On<event::Message>,
    /// FAILURE.
    pub failure: On<event::Failure>,
    /// ERROR.
    pub error: On<event::Error>,
    /// HEARTBEAT.
    pub heartbeat: On<()>,
}

impl MockHttpScheduler {
    /// A scheduler with no expectations: every call is allowed.
    pub fn new() -> MockHttpScheduler {
        MockHttpScheduler::default()
    }

    /// Hands `event` to the expectations of its type (Mesos'
    /// `MockHTTPScheduler::events`).
    fn event(&self, event: Event) {
        let kind = event
            .r#type
            .and_then(|t| event::Type::try_from(t).ok())
            .unwrap_or(event::Type::Unknown);
        match kind {
            event::Type::Subscribed => call(&self.subscribed, event.subscribed),
            event::Type::Offers => call(&self.offers, event.offers),
            event::Type::InverseOffers => call(&self.inverse_offers, event.inverse_offers),
            event::Type::Rescind => call(&self.rescind, event.rescind),
            event::Type::RescindInverseOffer => {
                call(&self.rescind_inverse_offer, event.rescind_inverse_offer)
            }
            event::Type::Update => call(&self.update, event.update),
            event::Type::UpdateOperationStatus => {
                call(&self.update_operation_status, event.update_operation_status)
            }
            event::Type::Message => call(&self.message, event.message),
            event::Type::Failure => call(&self.failure, event.failure),
            event::Type::Error => call(&self.error, event.error),
            event::Type::Heartbeat => self.heartbeat.call(&(), ()),
            event::Type::Unknown => tracing::warn!("Received an UNKNOWN event"),
        }
    }
}

/// An event's member to its expectations; an event without it (a
/// malformed one) to none.
fn call<A: Send + Sync + 'static>(on: &On<A>, member: Option<A>) {
    match member {
        Some(member) => on.call(&(), member),
        None => tracing::warn!("Received an event without its member"),
    }
}

impl Callbacks for MockHttpScheduler {
    fn connected(&mut self) {
        self.connected.call(&(), ());
    }

    fn disconnected(&mut self) {
        self.disconnected.call(&(), ());
    }

    fn received(&mut self, events: VecDeque<Event>) {
        for event in events {
            self.event(event);
        }
    }
}

/// `v1::scheduler::TestMesos`: the scheduler library for `scheduler`,
/// finding the master through `detector` and connecting at once.
pub fn test_mesos(
    detector: Arc<dyn MasterDetector>,
    content_type: ContentType,
    scheduler: &MockHttpScheduler,
) -> Mesos {
    Mesos::with_connection_delay_max(content_type, detector, Duration::ZERO, scheduler.clone())
}
