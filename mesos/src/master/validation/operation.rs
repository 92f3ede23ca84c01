//! Offer operations on reservations, volumes and disks (Mesos'
//! `validation::operation`).
//!
//! An operation comes from a framework accepting an offer (its
//! `FrameworkInfo` given, the resources allocated to its role) or from an
//! operator (`None`, the resources unallocated). `principal` is who made
//! the request, if it was authenticated.

use std::collections::{BTreeSet, HashMap};

use libprocess::http::authentication::Principal;
use stout::Try;

use super::{fail, resource};
use crate::common::protobuf_utils::framework::get_roles;
use crate::common::protobuf_utils::framework_has_capability;
use crate::common::protobuf_utils::slave::Capabilities;
use crate::common::resources::{
    self, has_refined_reservations, has_resource_provider, is_disk, is_dynamically_reserved,
    is_persistent_volume, reservation_role, reservations_equal, strip_volume, Resources,
};
use crate::common::values::Compare;
use crate::framework_info::capability::Type as FrameworkCapability;
use crate::offer::operation::{
    Create, CreateDisk, Destroy, DestroyDisk, GrowVolume, Reserve, ShrinkVolume, Unreserve,
};
use crate::resource::disk_info::source::Type as SourceType;
use crate::value::Scalar;
use crate::{FrameworkId, FrameworkInfo, Resource};

/// RESERVE: the resources (and the `source`, if given) are valid; with a
/// source, each side has one reservation stack and both hold the same
/// resources once unreserved; one resource provider; each resource is
/// dynamically reserved, within what the agent supports, by `principal`
/// if there is one. A framework reserves resources allocated to it, to
/// the role they are allocated to, one of its roles; an operator reserves
/// unallocated resources.
pub fn validate_reserve(
    reserve: &Reserve,
    principal: Option<&Principal>,
    agent: &Capabilities,
    framework: Option<&FrameworkInfo>,
) -> Try<()> {
    resource::validate(&reserve.resources).map_err(|e| e.context("Invalid resources"))?;
    resource::validate(&reserve.source).map_err(|e| e.context("Invalid source"))?;

    if !reserve.source.is_empty() {
        let source = Resources::from(reserve.source.as_slice());
        let target = Resources::from(reserve.resources.as_slice());
        validate_one_reservation_stack(&source).map_err(|e| e.context("Invalid source"))?;
        validate_one_reservation_stack(&target).map_err(|e| e.context("Invalid resources"))?;
        let (source, target) = (source.to_unreserved(), target.to_unreserved());
        if source != target {
            return fail(format!(
                "Source and target resources should refer to identical resource quantities: {} \
                 vs. {}",
                source, target
            ));
        }
    }

    resource::validate_single_resource_provider(&reserve.resources)
        .map_err(|e| e.context("Invalid resources"))?;

    let roles = framework.map(get_roles);
    for resource in &reserve.resources {
        if !is_dynamically_reserved(resource) {
            return fail(format!("Resource {} is not dynamically reserved", resource));
        }
        let role = reservation_role(resource);
        if !agent.hierarchical_role && role.contains('/') {
            return fail(format!(
                "Resource {} with reservation for hierarchical role '{}' cannot be reserved on \
                 an agent without HIERARCHICAL_ROLE capability",
                resource, role
            ));
        }
        if !agent.reservation_refinement && has_refined_reservations(resource) {
            return fail(format!(
                "Resource {} with reservation refinement cannot be reserved on an agent without \
                 RESERVATION_REFINEMENT capability",
                resource
            ));
        }
        if let Some(principal) = principal {
            let reserver = resource
                .reservations
                .last()
                .and_then(|reservation| reservation.principal.as_deref());
            let Some(reserver) = reserver else {
                return fail(format!(
                    "A reserve operation was attempted by principal '{}', but there is a \
                     reserved resource in the request with no principal set",
                    principal
                ));
            };
            if principal.value.as_deref() != Some(reserver) {
                return fail(format!(
                    "A reserve operation was attempted by authenticated principal '{}', which \
                     does not match a reserved resource in the request with principal '{}'",
                    principal, reserver
                ));
            }
        }
        match &roles {
            Some(roles) => validate_reserved_by_framework(resource, role, roles)?,
            None => {
                if resource.allocation_info.is_some() {
                    return fail(
                        "A reserve operation was attempted with an allocated resource, but the \
                         operator API only allows reservations to be made to unallocated \
                         resources",
                    );
                }
            }
        }
    }

    if framework.is_some() {
        resource::validate_allocated_to_single_role(&Resources::from(reserve.resources.as_slice()))
            .map_err(|e| e.context("Invalid reservation resources"))?;
    }
    Ok(())
}

/// UNRESERVE: the resources are valid, from one resource provider, and
/// dynamically reserved; a persistent volume must be destroyed first.
/// Who may unreserve whose reservations is for the authorizer to say.
pub fn validate_unreserve(unreserve: &Unreserve) -> Try<()> {
    resource::validate(&unreserve.resources).map_err(|e| e.context("Invalid resources"))?;
    resource::validate_single_resource_provider(&unreserve.resources)
        .map_err(|e| e.context("Invalid resources"))?;
    for resource in &unreserve.resources {
        if !is_dynamically_reserved(resource) {
            return fail(format!("Resource {} is not dynamically reserved", resource));
        }
        if is_persistent_volume(resource) {
            return fail(format!(
                "A dynamically reserved persistent volume {} cannot be unreserved directly. \
                 Please destroy the persistent volume first then unreserve the resource",
                resource
            ));
        }
    }
    Ok(())
}

/// CREATE: the volumes are valid writable persistent volumes from one
/// resource provider, whose persistence IDs are new to their roles on the
/// agent (`checkpointed` holds its volumes); shared only if the framework
/// can use shared resources; within what the agent supports; created by
/// `principal` if there is one; and, from a framework, allocated to one
/// role.
pub fn validate_create(
    create: &Create,
    checkpointed: &Resources,
    principal: Option<&Principal>,
    agent: &Capabilities,
    framework: Option<&FrameworkInfo>,
) -> Try<()> {
    resource::validate(&create.volumes).map_err(|e| e.context("Invalid resources"))?;
    resource::validate_single_resource_provider(&create.volumes)
        .map_err(|e| e.context("Invalid resources"))?;
    resource::validate_persistent_volume(&create.volumes)
        .map_err(|e| e.context("Not a persistent volume"))?;
    resource::validate_unique_persistence_id(
        &(checkpointed + Resources::from(create.volumes.as_slice())),
    )?;

    for volume in &create.volumes {
        if let Some(framework) = framework {
            if volume.shared.is_some()
                && !framework_has_capability(framework, FrameworkCapability::SharedResources)
            {
                let id = framework.id.as_ref().map_or("", |id| id.value.as_str());
                return fail(format!(
                    "Create volume operation for '{}' has been attempted by framework '{}' with \
                     no SHARED_RESOURCES capability",
                    volume, id
                ));
            }
        }
        let role = reservation_role(volume);
        if !agent.hierarchical_role && role.contains('/') {
            return fail(format!(
                "Volume {} with reservation for hierarchical role '{}' cannot be created on an \
                 agent without HIERARCHICAL_ROLE capability",
                volume, role
            ));
        }
        if !agent.reservation_refinement && has_refined_reservations(volume) {
            return fail(format!(
                "Volume {} with reservation refinement cannot be created on an agent without \
                 RESERVATION_REFINEMENT capability",
                volume
            ));
        }
        if let Some(principal) = principal {
            let creator = volume
                .disk
                .as_ref()
                .and_then(|disk| disk.persistence.as_ref())
                .and_then(|persistence| persistence.principal.as_deref());
            let Some(creator) = creator else {
                return fail(format!(
                    "Create volume operation attempted by principal '{}', but there is a volume \
                     in the operation with no principal set in 'disk.persistence'",
                    principal
                ));
            };
            if principal.value.as_deref() != Some(creator) {
                return fail(format!(
                    "Create volume operation attempted by authenticated principal '{}', which \
                     does not match a volume in the operation with principal '{}' set in \
                     'disk.persistence'",
                    principal, creator
                ));
            }
        }
    }

    if framework.is_some() {
        resource::validate_allocated_to_single_role(&Resources::from(create.volumes.as_slice()))
            .map_err(|e| e.context("Invalid volume resources"))?;
    }
    Ok(())
}

/// DESTROY: the volumes (taken unallocated, as an operator gives them)
/// are valid persistent volumes from one resource provider, exist on the
/// agent (`checkpointed`; volumes of resource providers are not
/// checkpointed there), and are not in use by any framework (`used`, by
/// framework; only a shared volume can be in use and offered).
pub fn validate_destroy(
    destroy: &Destroy,
    checkpointed: &Resources,
    used: &HashMap<FrameworkId, Resources>,
) -> Try<()> {
    let volumes = unallocated(&Resources::from(destroy.volumes.as_slice()));
    let listed = volumes.to_vec();
    resource::validate(&listed).map_err(|e| e.context("Invalid resources"))?;
    resource::validate_single_resource_provider(&listed)
        .map_err(|e| e.context("Invalid resources"))?;
    resource::validate_persistent_volume(&listed)
        .map_err(|e| e.context("Not a persistent volume"))?;

    let missing = volumes
        .iter()
        .filter(|volume| !has_resource_provider(volume))
        .any(|volume| !checkpointed.contains_resource(volume));
    if missing {
        return fail("Persistent volumes not found");
    }

    for resources in used.values() {
        let resources = unallocated(resources);
        if volumes
            .iter()
            .any(|volume| resources.contains_resource(volume))
        {
            return fail("Persistent volumes in use");
        }
    }
    Ok(())
}

/// GROW_VOLUME: the volume and the addition are valid, the addition
/// positive; the volume is a writable persistent volume of the agent
/// (not of a resource provider), not shared, on a disk the addition can
/// merge with; and the agent can resize volumes.
pub fn validate_grow_volume(grow: &GrowVolume, agent: &Capabilities) -> Try<()> {
    let volume = &grow.volume;
    resources::validate(volume)
        .map_err(|e| e.context("Invalid resource in the 'GrowVolume.volume' field"))?;
    resources::validate(&grow.addition)
        .map_err(|e| e.context("Invalid resource in the 'GrowVolume.addition' field"))?;

    // Compared in Mesos' fixed point.
    if grow
        .addition
        .scalar
        .unwrap_or_default()
        .contained_in(&Scalar::default())
    {
        return fail("The size of 'GrowVolume.addition' field must be greater than zero");
    }
    if has_resource_provider(volume) {
        return fail("Growing a volume from a resource provider is not supported");
    }
    resource::validate_persistent_volume(&Resources::from(volume.clone()).to_vec())
        .map_err(|e| e.context("Invalid persistent volume in the 'GrowVolume.volume' field"))?;
    if volume.shared.is_some() {
        return fail("Growing a shared persistent volume is not supported");
    }

    let disk = strip_volume(volume);
    if (Resources::from(disk) + grow.addition.clone()).len() != 1 {
        return fail(
            "Incompatible resources in the 'GrowVolume.volume' and 'GrowVolume.addition' fields",
        );
    }
    if !agent.resize_volume {
        return fail(format!(
            "Volume {} cannot be grown on an agent without RESIZE_VOLUME capability",
            volume
        ));
    }
    Ok(())
}

/// SHRINK_VOLUME: the volume is valid and larger than the positive
/// amount to take from it; it is a writable persistent volume of the
/// agent (not of a resource provider), not on a MOUNT disk (which cannot
/// be split), not shared; and the agent can resize volumes.
pub fn validate_shrink_volume(shrink: &ShrinkVolume, agent: &Capabilities) -> Try<()> {
    let volume = &shrink.volume;
    resources::validate(volume)
        .map_err(|e| e.context("Invalid resource in the 'ShrinkVolume.volume' field"))?;

    // Compared in Mesos' fixed point.
    if shrink.subtract.contained_in(&Scalar::default()) {
        return fail("Value of 'ShrinkVolume.subtract' must be greater than zero");
    }
    if volume
        .scalar
        .unwrap_or_default()
        .contained_in(&shrink.subtract)
    {
        return fail(
            "Value of 'ShrinkVolume.subtract' must be smaller than the size of \
             'ShrinkVolume.volume'",
        );
    }
    if has_resource_provider(volume) {
        return fail("Shrinking a volume from a resource provider is not supported");
    }
    if is_disk(volume, SourceType::Mount) {
        return fail("Shrinking a volume on a MOUNT disk is not supported");
    }
    resource::validate_persistent_volume(&Resources::from(volume.clone()).to_vec())
        .map_err(|e| e.context("Invalid persistent volume in the 'ShrinkVolume.volume' field"))?;
    if volume.shared.is_some() {
        return fail("Shrinking a shared persistent volume is not supported");
    }
    if !agent.resize_volume {
        return fail(format!(
            "Volume {} cannot be shrunk on an agent without RESIZE_VOLUME capability",
            volume
        ));
    }
    Ok(())
}

/// CREATE_DISK: the source is a valid RAW disk of a resource provider,
/// made into a MOUNT or BLOCK disk; a profile is given exactly when the
/// source has none.
pub fn validate_create_disk(create: &CreateDisk) -> Try<()> {
    let source = &create.source;
    resource::validate(&Resources::from(source.clone()).to_vec())
        .map_err(|e| e.context("Invalid resource"))?;
    if !has_resource_provider(source) {
        return fail("'source' is not managed by a resource provider");
    }
    if !is_disk(source, SourceType::Raw) {
        return fail("'source' is not a RAW disk resource");
    }
    if create.target_type != SourceType::Mount as i32
        && create.target_type != SourceType::Block as i32
    {
        return fail("'target_type' is neither MOUNT or BLOCK");
    }
    let source_profile = source
        .disk
        .as_ref()
        .and_then(|disk| disk.source.as_ref())
        .is_some_and(|source| source.profile.is_some());
    match (source_profile, create.target_profile.is_some()) {
        (true, true) => fail("'target_profile' must not be set when 'source' has a profile"),
        (false, false) => fail("'target_profile' must be set when 'source' has no profile"),
        _ => Ok(()),
    }
}

/// DESTROY_DISK: the source is a valid MOUNT, BLOCK or RAW disk of a
/// resource provider, backed by a CSI volume (it has an ID), and holds no
/// persistent volume (to be destroyed first).
pub fn validate_destroy_disk(destroy: &DestroyDisk) -> Try<()> {
    let source = &destroy.source;
    resource::validate(&Resources::from(source.clone()).to_vec())
        .map_err(|e| e.context("Invalid resource"))?;
    if !has_resource_provider(source) {
        return fail("'source' is not managed by a resource provider");
    }
    let kinds = [SourceType::Mount, SourceType::Block, SourceType::Raw];
    if !kinds.iter().any(|&kind| is_disk(source, kind)) {
        return fail("'source' is neither a MOUNT, BLOCK or RAW disk resource");
    }
    let backed = source
        .disk
        .as_ref()
        .and_then(|disk| disk.source.as_ref())
        .is_some_and(|source| source.id.is_some());
    if !backed {
        return fail("'source' is not backed by a CSI volume");
    }
    if is_persistent_volume(source) {
        return fail(format!(
            "A disk resource containing a persistent volume {} cannot be destroyed directly. \
             Please destroy the persistent volume first then destroy the disk resource",
            source
        ));
    }
    Ok(())
}

/// What a framework may reserve: a resource allocated to one of its
/// roles, reserved to that same role.
fn validate_reserved_by_framework(
    resource: &Resource,
    role: &str,
    roles: &BTreeSet<String>,
) -> Try<()> {
    let Some(allocated) = resource
        .allocation_info
        .as_ref()
        .and_then(|info| info.role.as_deref())
    else {
        return fail(format!(
            "A reserve operation was attempted on unallocated resource {}, but frameworks can \
             only perform reservations on allocated resources",
            resource
        ));
    };
    if allocated != role {
        return fail(format!(
            "A reserve operation was attempted for a resource with role '{}', but the resource \
             was allocated to role '{}'",
            role, allocated
        ));
    }
    // The roles as stout prints a set.
    let listed = || {
        format!(
            "{{ {} }}",
            roles
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    if !roles.contains(allocated) {
        return fail(format!(
            "A reserve operation was attempted for a resource allocated to role '{}', but the \
             framework only has roles '{}'",
            allocated,
            listed()
        ));
    }
    if !roles.contains(role) {
        return fail(format!(
            "A reserve operation was attempted for a resource with role '{}', but the framework \
             can only reserve resources with roles '{}'",
            role,
            listed()
        ));
    }
    Ok(())
}

/// The resources on each side of a RESERVE with a source: some, all
/// with the same reservation stack.
fn validate_one_reservation_stack(resources: &Resources) -> Try<()> {
    let mut iter = resources.iter();
    let Some(first) = iter.next() else {
        return fail("Resource cannot be empty");
    };
    let same_stack = |resource: &Resource| {
        resource.reservations.len() == first.reservations.len()
            && resource
                .reservations
                .iter()
                .zip(&first.reservations)
                .all(|(a, b)| reservations_equal(a, b))
    };
    if !iter.all(same_stack) {
        // No separator before the resources: Mesos' text.
        return fail(format!("Mixed reservations are not supported{}", resources));
    }
    Ok(())
}

fn unallocated(resources: &Resources) -> Resources {
    let mut result = resources.clone();
    result.unallocate();
    result
}
