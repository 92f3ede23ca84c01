//! Resources as frameworks and operators give them to the master (Mesos'
//! `validation::resource`).
//!
//! The checks take the repeated field as it came (`&[Resource]`) where
//! Mesos does: building a [`Resources`] would drop invalid resources
//! silently, and those must be reported.

use std::collections::HashSet;

use stout::Try;

use super::fail;
use crate::common::resource_quantities::ResourceQuantities;
use crate::common::resources::{
    is_dynamically_reserved, is_revocable, is_unreserved, reservation_role, validate_all, Resources,
};
use crate::common::validation::{validate_gpus, validate_id};
use crate::volume::Mode;
use crate::{Resource, ResourceProviderId};

/// Checks resources a framework or an operator specified: each is well
/// formed ([`validate_all`](crate::common::resources::validate_all)),
/// GPUs are whole, disks are persistent volumes on reserved,
/// non-revocable resources (or plain disks with a source), and no
/// dynamic reservation is revocable.
pub fn validate(resources: &[Resource]) -> Try<()> {
    validate_all(resources).map_err(|e| e.context("Invalid resources"))?;
    validate_gpus(resources).map_err(|e| e.context("Invalid 'gpus' resource"))?;
    validate_disk_info(resources).map_err(|e| e.context("Invalid DiskInfo"))?;
    validate_dynamic_reservation_info(resources).map_err(|e| e.context("Invalid ReservationInfo"))
}

/// Checks that the resources come from one resource provider, or all
/// from the agent itself (no provider ID). No resources at all fail too,
/// as in Mesos.
pub fn validate_single_resource_provider(resources: &[Resource]) -> Try<()> {
    let mut providers: Vec<Option<&ResourceProviderId>> = Vec::new();
    for resource in resources {
        let provider = resource.provider_id.as_ref();
        if !providers.contains(&provider) {
            providers.push(provider);
        }
    }
    if providers.len() == 1 {
        return Ok(());
    }
    if providers.contains(&None) {
        return fail("Some resources have a resource provider and some do not");
    }
    // Listed last seen first, the order Mesos' hash set gives them in.
    let ids: Vec<&str> = providers
        .iter()
        .rev()
        .flatten()
        .map(|id| id.value.as_str())
        .collect();
    fail(format!(
        "The resources have multiple resource providers: {}",
        ids.join(", ")
    ))
}

/// Whether some of the groups of resources share ports, set items or
/// other parts of range or set resources: then the sum of the groups
/// holds fewer of them than the groups do together.
pub fn detect_overlapping_set_and_range_resources(groups: &[Resources]) -> bool {
    let mut quantities = ResourceQuantities::default();
    let mut total = Resources::new();
    for group in groups {
        quantities += ResourceQuantities::from_resources(group);
        total += group;
    }
    quantities != ResourceQuantities::from_resources(&total)
}

/// Persistent volumes are on reserved, non-revocable disks, have a
/// volume without a host path, and a valid persistence ID. Other disks
/// have a source and no volume.
fn validate_disk_info(resources: &[Resource]) -> Try<()> {
    for resource in resources {
        let Some(disk) = &resource.disk else {
            continue;
        };
        if let Some(persistence) = &disk.persistence {
            if is_revocable(resource) {
                return fail("Persistent volumes cannot be created from revocable resources");
            }
            if is_unreserved(resource) {
                return fail("Persistent volumes cannot be created from unreserved resources");
            }
            let Some(volume) = &disk.volume else {
                return fail("Expecting 'volume' to be set for persistent volume");
            };
            if volume.host_path.is_some() {
                return fail("Expecting 'host_path' to be unset for persistent volume");
            }
            validate_id(&persistence.id)
                .map_err(|e| e.context("Invalid persistence ID for persistent volume"))?;
        } else if disk.volume.is_some() {
            return fail("Non-persistent volume not supported");
        } else if disk.source.is_none() {
            return fail("DiskInfo is set but empty");
        }
    }
    Ok(())
}

/// Revocable resources cannot be reserved dynamically.
fn validate_dynamic_reservation_info(resources: &[Resource]) -> Try<()> {
    match resources
        .iter()
        .find(|r| is_dynamically_reserved(r) && is_revocable(r))
    {
        Some(resource) => fail(format!(
            "Dynamically reserved resource {} cannot be created from revocable resources",
            resource
        )),
        None => Ok(()),
    }
}

/// Persistence IDs are unique within a role (on an agent).
pub(super) fn validate_unique_persistence_id(resources: &Resources) -> Try<()> {
    let volumes = resources.persistent_volumes();
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for volume in &volumes {
        let Some(persistence) = volume.disk.as_ref().and_then(|d| d.persistence.as_ref()) else {
            continue;
        };
        if !seen.insert((reservation_role(volume), persistence.id.as_str())) {
            return fail(format!("Persistence ID '{}' is not unique", persistence.id));
        }
    }
    Ok(())
}

/// A resource name is either all revocable or not revocable at all.
pub(super) fn validate_revocable_and_non_revocable_resources(resources: &Resources) -> Try<()> {
    for name in resources.names() {
        let named = resources.named(&name);
        let revocable = named.revocable();
        if !revocable.is_empty() && named != revocable {
            return fail(format!(
                "Cannot use both revocable and non-revocable '{}' at the same time",
                name
            ));
        }
    }
    Ok(())
}

/// Each resource is a persistent volume, and a writable one.
pub(super) fn validate_persistent_volume(volumes: &[Resource]) -> Try<()> {
    for volume in volumes {
        let Some(disk) = &volume.disk else {
            return fail(format!("Resource {} does not have DiskInfo", volume));
        };
        if disk.persistence.is_none() {
            return fail("'persistence' is not set in DiskInfo");
        }
        let Some(mount) = &disk.volume else {
            return fail("Expecting 'volume' to be set for persistent volume");
        };
        if mount.mode == Mode::Ro as i32 {
            return fail("Read-only persistent volume not supported");
        }
    }
    Ok(())
}

/// The resources are all allocated, to one role. The master gives the
/// resources of offer operations their allocation before validating.
pub(super) fn validate_allocated_to_single_role(resources: &Resources) -> Try<()> {
    let mut first: Option<&str> = None;
    for resource in resources {
        let Some(role) = resource
            .allocation_info
            .as_ref()
            .and_then(|a| a.role.as_deref())
        else {
            return fail("The resources are not allocated to a role");
        };
        match first {
            None => first = Some(role),
            Some(expected) if expected != role => {
                return fail(format!(
                    "The resources have multiple allocation roles ('{}' and '{}') but only one \
                     allocation role is allowed",
                    role, expected
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}
