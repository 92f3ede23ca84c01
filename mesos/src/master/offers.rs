//! Offers: made from what the allocator hands over, rescinded, discarded
//! or timed out, and the calls about them (DECLINE, REVIVE, SUPPRESS,
//! REQUEST). Mesos' `Master::offer`, `rescindOffer`, `discardOffer`,
//! `offerTimeout`, `decline`, `revive`, `suppress`, `request`.

use std::collections::HashSet;

use libprocess::{Clock, SelfPid};

use super::allocator::Offerable;
use super::Master;
use crate::common::protobuf_utils::framework::get_roles;
use crate::common::resources::Resources;
use crate::internal::{RescindResourceOfferMessage, ResourceOffersMessage};
use crate::resource::AllocationInfo;
use crate::scheduler::call::{Decline, Request, Revive, Suppress};
use crate::{Address, Filters, FrameworkId, Offer, OfferId, Url};

impl Master {
    /// The allocator's offer callback: offers to the framework, one per
    /// role and agent, in one `ResourceOffersMessage` with the agents'
    /// pids.
    pub(super) fn offer(&mut self, framework_id: FrameworkId, offerable: Offerable) {
        let usable = self
            .frameworks
            .get(&framework_id)
            .is_some_and(|f| f.connected() && f.active());
        if !usable {
            tracing::warn!(
                "Master returning resources offered to framework {} because the framework has \
                 terminated, is not connected, or is inactive",
                framework_id.value
            );
            for agents in offerable.into_values() {
                for (slave_id, resources) in agents {
                    self.allocator.recover_resources(
                        &framework_id,
                        &slave_id,
                        resources,
                        None,
                        false,
                    );
                }
            }
            return;
        }
        let mut message = ResourceOffersMessage::default();
        for (role, agents) in offerable {
            for (slave_id, resources) in agents {
                let Some(slave) = self.slaves.registered.get(&slave_id) else {
                    tracing::warn!(
                        "Master returning resources offered to framework {} because agent {} \
                         is not valid",
                        framework_id.value,
                        slave_id.value
                    );
                    self.allocator.recover_resources(
                        &framework_id,
                        &slave_id,
                        resources,
                        None,
                        false,
                    );
                    continue;
                };
                if !slave.active {
                    tracing::warn!(
                        "Master returning resources offered because agent {} is {}",
                        slave_id.value,
                        if slave.connected {
                            "deactivated"
                        } else {
                            "disconnected"
                        }
                    );
                    self.allocator.recover_resources(
                        &framework_id,
                        &slave_id,
                        resources,
                        None,
                        false,
                    );
                    continue;
                }
                let address = slave.pid.address();
                let offer = Offer {
                    id: OfferId::default(),
                    framework_id: framework_id.clone(),
                    slave_id: slave_id.clone(),
                    hostname: slave.info.hostname.clone(),
                    url: Some(Url {
                        scheme: "http".to_string(),
                        address: Address {
                            hostname: Some(slave.info.hostname.clone()),
                            ip: Some(address.ip().to_string()),
                            port: i32::from(address.port()),
                        },
                        path: Some(format!("/{}", slave.pid.id())),
                        ..Url::default()
                    }),
                    domain: slave.info.domain.clone(),
                    resources: resources.to_vec(),
                    attributes: slave.info.attributes.clone(),
                    executor_ids: slave
                        .executors
                        .get(&framework_id)
                        .map(|executors| executors.keys().cloned().collect())
                        .unwrap_or_default(),
                    unavailability: None,
                    allocation_info: Some(AllocationInfo {
                        role: Some(role.clone()),
                    }),
                };
                let slave_pid = slave.pid.to_string();
                let offer_id = self.new_offer_id();
                let offer = Offer {
                    id: offer_id.clone(),
                    ..offer
                };
                if let Some(framework) = self.frameworks.get_mut(&framework_id) {
                    framework.add_offer(offer_id.clone(), &slave_id, &resources);
                }
                if let Some(slave) = self.slaves.registered.get_mut(&slave_id) {
                    slave.add_offer(offer_id.clone(), &resources);
                }
                if let Some(timeout) = self.flags.offer_timeout {
                    let id = offer_id.clone();
                    let timer =
                        libprocess::delay(timeout, &self.self_pid(), move |m: &mut Master| {
                            m.offer_timeout(id)
                        });
                    self.offer_timers.insert(offer_id.clone(), timer);
                }
                self.offers.insert(offer_id, offer.clone());
                message
                    .offers
                    .push(self.offer_for_framework(&framework_id, offer));
                message.pids.push(slave_pid);
            }
        }
        if message.offers.is_empty() {
            return;
        }
        if let Some(framework) = self.frameworks.get(&framework_id) {
            tracing::info!(
                "Sending {} offers to framework {}",
                message.offers.len(),
                framework_id.value
            );
            framework
                .metrics
                .offers_sent
                .add(message.offers.len() as i64);
            framework.send(&message);
        }
    }

    /// The offer as the framework sees it: without ephemeral ports, and
    /// without allocation info unless it is MULTI_ROLE capable.
    fn offer_for_framework(&self, framework_id: &FrameworkId, mut offer: Offer) -> Offer {
        offer.resources.retain(|r| r.name != "ephemeral_ports");
        let multi_role = self
            .frameworks
            .get(framework_id)
            .is_some_and(|f| f.capabilities.multi_role);
        if !multi_role {
            offer.allocation_info = None;
            for resource in &mut offer.resources {
                resource.allocation_info = None;
            }
        }
        offer
    }

    /// Forgets the offer (Mesos' `_removeOffer`), handing it back.
    pub(super) fn remove_offer(&mut self, offer_id: &OfferId) -> Option<Offer> {
        let offer = self.offers.remove(offer_id)?;
        let resources = Resources::from(offer.resources.as_slice());
        if let Some(framework) = self.frameworks.get_mut(&offer.framework_id) {
            framework.remove_offer(offer_id, &offer.slave_id, &resources);
        }
        if let Some(slave) = self.slaves.registered.get_mut(&offer.slave_id) {
            slave.remove_offer(offer_id, &resources);
        }
        if let Some(timer) = self.offer_timers.remove(offer_id) {
            Clock::cancel(&timer);
        }
        Some(offer)
    }

    /// The offer's resources go back to the allocator (with `filters`)
    /// and the offer is forgotten, without telling the framework.
    pub(super) fn discard_offer_with(&mut self, offer_id: &OfferId, filters: Option<Filters>) {
        if let Some(offer) = self.remove_offer(offer_id) {
            self.allocator.recover_resources(
                &offer.framework_id,
                &offer.slave_id,
                Resources::from(offer.resources.as_slice()),
                filters,
                false,
            );
        }
    }

    /// [`Master::discard_offer_with`] without filters.
    pub(super) fn discard_offer(&mut self, offer_id: &OfferId) {
        self.discard_offer_with(offer_id, None);
    }

    /// Discards the offer and tells the framework it is rescinded.
    pub(super) fn rescind_offer(&mut self, offer_id: &OfferId) {
        let Some(offer) = self.offers.get(offer_id) else {
            return;
        };
        let framework_id = offer.framework_id.clone();
        self.discard_offer(offer_id);
        if let Some(framework) = self.frameworks.get(&framework_id) {
            framework.metrics.offers_rescinded.increment();
            framework.send(&RescindResourceOfferMessage {
                offer_id: offer_id.clone(),
            });
        }
    }

    /// `--offer_timeout` passed with the offer outstanding.
    fn offer_timeout(&mut self, offer_id: OfferId) {
        if self.offers.contains_key(&offer_id) {
            tracing::info!("Offer {} timed out; rescinding it", offer_id.value);
            self.rescind_offer(&offer_id);
        }
    }

    /// DECLINE: the offers go back with the call's filters.
    pub(super) fn decline(&mut self, framework_id: &FrameworkId, decline: Decline) {
        tracing::info!(
            "Processing DECLINE call for offers: {:?} for framework {}",
            decline
                .offer_ids
                .iter()
                .map(|id| &id.value)
                .collect::<Vec<_>>(),
            framework_id.value
        );
        self.metrics.messages_decline_offers.increment();
        let mut declined = 0;
        for offer_id in &decline.offer_ids {
            match self.offers.get(offer_id) {
                Some(offer) if &offer.framework_id == framework_id => {
                    self.discard_offer_with(offer_id, Some(decline.filters.unwrap_or_default()));
                    declined += 1;
                }
                _ => tracing::warn!(
                    "Ignoring decline of offer {} since it is no longer valid",
                    offer_id.value
                ),
            }
        }
        if let Some(framework) = self.frameworks.get(framework_id) {
            framework.metrics.offers_declined.add(declined);
        }
    }

    /// The roles a REVIVE or SUPPRESS names, if the framework has them
    /// all (all of its roles if none is named).
    fn call_roles(
        &self,
        framework_id: &FrameworkId,
        roles: Vec<String>,
        call: &str,
    ) -> Option<HashSet<String>> {
        let framework = self.frameworks.get(framework_id)?;
        let framework_roles = get_roles(&framework.info);
        if let Some(role) = roles.iter().find(|role| !framework_roles.contains(*role)) {
            tracing::warn!(
                "Dropping {} call from framework {}: Role '{}' is not one of the framework's \
                 roles",
                call,
                framework_id.value,
                role
            );
            return None;
        }
        Some(roles.into_iter().collect())
    }

    /// REVIVE: clears the framework's filters and resumes its offers.
    pub(super) fn revive(&mut self, framework_id: &FrameworkId, revive: Revive) {
        self.metrics.messages_revive_offers.increment();
        if let Some(roles) = self.call_roles(framework_id, revive.roles, "REVIVE") {
            tracing::info!(
                "Processing REVIVE call for framework {}",
                framework_id.value
            );
            self.allocator.revive_offers(framework_id, roles);
        }
    }

    /// SUPPRESS: no more offers for the roles until revived.
    pub(super) fn suppress(&mut self, framework_id: &FrameworkId, suppress: Suppress) {
        self.metrics.messages_suppress_offers.increment();
        if let Some(roles) = self.call_roles(framework_id, suppress.roles, "SUPPRESS") {
            tracing::info!(
                "Processing SUPPRESS call for framework {}",
                framework_id.value
            );
            self.allocator.suppress_offers(framework_id, roles);
        }
    }

    /// REQUEST: passed on to the allocator.
    pub(super) fn request(&mut self, framework_id: &FrameworkId, request: Request) {
        tracing::info!(
            "Processing REQUEST call for framework {}",
            framework_id.value
        );
        self.metrics.messages_resource_request.increment();
        self.allocator
            .request_resources(framework_id, request.requests);
    }
}
