//! The `mesos.scheduler.Event`s a master may send a driver instead of the
//! internal messages, mapped onto the same handlers.

use libprocess::UPID;

use super::{has_id, SchedulerProcess};
use crate::internal::StatusUpdate;
use crate::scheduler::{event, Event};
use crate::Offer;

impl SchedulerProcess {
    pub(super) fn receive(&mut self, from: &UPID, event: Event) {
        use event::Type;
        let drop = |message: &str| {
            tracing::warn!(
                "Dropping {}: {}",
                event
                    .r#type
                    .and_then(|t| Type::try_from(t).ok())
                    .map_or("UNKNOWN", |t| t.as_str_name()),
                message
            )
        };
        match event.r#type.and_then(|t| Type::try_from(t).ok()) {
            Some(Type::Subscribed) => {
                let Some(subscribed) = &event.subscribed else {
                    return drop("Expecting 'subscribed' to be present");
                };
                // The callbacks want a MasterInfo: the detector's.
                let Some(master) = &self.master else {
                    return drop("No master detected");
                };
                let info = master.info.clone();
                self.cancel_registration_timer();
                let framework_id = subscribed.framework_id.clone();
                if !has_id(&self.framework) || self.failover {
                    self.registered(from, framework_id, info);
                } else {
                    self.reregistered(from, framework_id, info);
                }
            }
            Some(Type::Offers) => {
                let Some(offers) = &event.offers else {
                    return drop("Expecting 'offers' to be present");
                };
                let mut pids = Vec::with_capacity(offers.offers.len());
                for offer in &offers.offers {
                    match offer_agent_pid(offer) {
                        Some(pid) => pids.push(pid),
                        None => return drop("Expecting 'url' with a path and an IP in each offer"),
                    }
                }
                self.resource_offers(from, offers.offers.clone(), pids);
            }
            Some(Type::Rescind) => match &event.rescind {
                Some(rescind) => self.rescind_offer(from, &rescind.offer_id),
                None => drop("Expecting 'rescind' to be present"),
            },
            Some(Type::Update) => {
                let Some(update) = &event.update else {
                    return drop("Expecting 'update' to be present");
                };
                let status = &update.status;
                let update = StatusUpdate {
                    framework_id: self.framework_id(),
                    executor_id: status.executor_id.clone(),
                    slave_id: status.slave_id.clone(),
                    status: status.clone(),
                    timestamp: status.timestamp.unwrap_or_default(),
                    uuid: status.uuid.clone(),
                    latest_state: None,
                };
                // Whether to acknowledge goes by the uuid alone here.
                self.status_update(from, update, &UPID::empty());
            }
            Some(Type::Message) => match &event.message {
                Some(message) => {
                    self.framework_message(&message.slave_id, &message.executor_id, &message.data)
                }
                None => drop("Expecting 'message' to be present"),
            },
            Some(Type::Failure) => {
                let Some(failure) = &event.failure else {
                    return drop("Expecting 'failure' to be present");
                };
                match (&failure.slave_id, &failure.executor_id) {
                    (Some(slave_id), Some(executor_id)) => {
                        let Some(status) = failure.status else {
                            return drop("Expecting 'status' to be present");
                        };
                        self.lost_executor(from, executor_id, slave_id, status);
                    }
                    (Some(slave_id), None) => self.lost_slave(from, slave_id),
                    _ => drop("Expecting 'slave_id' to be present"),
                }
            }
            Some(Type::Error) => match &event.error {
                Some(error) => {
                    let message = error.message.clone();
                    self.error(&message);
                }
                None => drop("Expecting 'error' to be present"),
            },
            // The driver has no operation feedback, inverse offers or
            // heartbeats to act on.
            Some(
                Type::UpdateOperationStatus
                | Type::InverseOffers
                | Type::RescindInverseOffer
                | Type::Heartbeat,
            ) => {}
            Some(Type::Unknown) | None => drop("Unknown event"),
        }
    }
}

/// The pid of the agent behind an offer of a `mesos.scheduler.Event`: the
/// offer's URL names the agent's process (path) and address.
fn offer_agent_pid(offer: &Offer) -> Option<String> {
    let url = offer.url.as_ref()?;
    let id = url.path.as_deref()?.trim_matches('/');
    let ip = url.address.ip.as_deref()?;
    Some(format!("{}@{}:{}", id, ip, url.address.port))
}
