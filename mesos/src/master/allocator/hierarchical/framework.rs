//! A framework as the allocator sees it (Mesos' allocator-side
//! `Framework`), and the filters it sets by declining offers.

use std::collections::{BTreeSet, HashMap};

use libprocess::Time;

use crate::common::protobuf_utils::framework::{get_roles, Capabilities};
use crate::common::resource_quantities::ResourceQuantities;
use crate::common::resources::Resources;
use crate::resource::AllocationInfo;
use crate::value;
use crate::{FrameworkId, FrameworkInfo, Resource, SlaveId};

/// Resources a framework refused on an agent for a role (Mesos'
/// `RefusedOfferFilter`): while it stands, an offer of a subset of them
/// is not made.
#[derive(Clone, Debug)]
pub struct OfferFilter {
    /// Tells filters apart, so an expiry removes the filter it was set for.
    pub id: u64,
    /// The refused resources, unallocated.
    pub resources: Resources,
    /// When the filter goes away.
    pub expires: Time,
}

impl OfferFilter {
    /// Whether an offer of `resources` is filtered: they are a subset of
    /// what was refused.
    pub fn filter(&self, resources: &Resources) -> bool {
        self.resources.contains(resources)
    }
}

/// One framework's subscription and filters.
#[derive(Clone, Debug)]
pub struct Framework {
    /// The framework's ID.
    pub id: FrameworkId,
    /// Its info as last added or updated.
    pub info: FrameworkInfo,
    /// The roles it is subscribed to.
    pub roles: BTreeSet<String>,
    /// The roles it wants no offers for.
    pub suppressed_roles: BTreeSet<String>,
    /// Its capabilities.
    pub capabilities: Capabilities,
    /// Offer filters by role, then agent.
    pub offer_filters: HashMap<String, HashMap<SlaveId, Vec<OfferFilter>>>,
    /// Whether it receives offers (its scheduler is connected).
    pub active: bool,
    /// Per-role minimum offer sizes from `FrameworkInfo.offer_filters`,
    /// overriding `--min_allocatable_resources` for those roles.
    pub min_allocatable_resources: HashMap<String, Vec<ResourceQuantities>>,
}

impl Framework {
    /// A framework from its info.
    pub fn new(info: FrameworkInfo, suppressed_roles: BTreeSet<String>, active: bool) -> Framework {
        Framework {
            id: info.id.clone().unwrap_or_default(),
            roles: get_roles(&info),
            capabilities: Capabilities::new(&info.capabilities),
            min_allocatable_resources: unpack_offer_filters(&info),
            suppressed_roles,
            offer_filters: HashMap::new(),
            active,
            info,
        }
    }

    /// Takes a changed info: roles, capabilities and minimum offer sizes.
    pub fn update_info(&mut self, info: FrameworkInfo) {
        self.roles = get_roles(&info);
        self.capabilities = Capabilities::new(&info.capabilities);
        self.min_allocatable_resources = unpack_offer_filters(&info);
        self.info = info;
    }

    /// How many offer filters stand for `role`.
    pub fn offer_filter_count(&self, role: &str) -> usize {
        self.offer_filters
            .get(role)
            .map_or(0, |agents| agents.values().map(Vec::len).sum())
    }
}

/// `FrameworkInfo.offer_filters` as quantity sets by role (Mesos'
/// `unpackFrameworkOfferFilters`): a role listed with
/// `min_allocatable_resources` gets its list, even an empty one.
fn unpack_offer_filters(info: &FrameworkInfo) -> HashMap<String, Vec<ResourceQuantities>> {
    let mut result = HashMap::new();
    for (role, filters) in &info.offer_filters {
        let Some(min) = &filters.min_allocatable_resources else {
            continue;
        };
        let sets = min
            .quantities
            .iter()
            .map(|set| {
                set.quantities
                    .iter()
                    .map(|(name, scalar)| {
                        ResourceQuantities::from_scalar_resource(&Resource {
                            name: name.clone(),
                            r#type: value::Type::Scalar as i32,
                            scalar: Some(*scalar),
                            allocation_info: None::<AllocationInfo>,
                            ..Resource::default()
                        })
                    })
                    .sum()
            })
            .collect();
        result.insert(role.clone(), sets);
    }
    result
}
