//! The three ways a `Resource` states its reservations
//! (`src/common/resources_utils.cpp`): the old `role` + `reservation`
//! fields, the `reservations` stack, and both at once for the HTTP
//! endpoints.

#![allow(deprecated)] // `Resource.role` is what these convert from and to.

use prost::Message;
use prost_reflect::{DynamicMessage, ReflectMessage, Value};
use stout::{Error, Try};

use super::resource::has_refined_reservations;
use crate::json::Reflect;
use crate::resource::{reservation_info, ReservationInfo};
use crate::Resource;

/// A way to state a resource's reservations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceFormat {
    /// `Resource.role` (`*` for none) and, for a dynamic reservation,
    /// `Resource.reservation`: what agents and frameworks older than
    /// reservation refinement speak.
    PreReservationRefinement,
    /// `Resource.reservations`, a stack of reservations, bottom first:
    /// the form Mesos works with.
    PostReservationRefinement,
    /// Both of the above where they can say the same thing: what the HTTP
    /// endpoints show.
    Endpoint,
}

/// Rewrites `resource` in `format`. A resource with refined reservations
/// cannot be put in the old format and is left as it is; use
/// [`downgrade_resource`] to learn of that.
pub fn convert_resource_format(resource: &mut Resource, format: ResourceFormat) {
    match format {
        ResourceFormat::PreReservationRefinement | ResourceFormat::Endpoint => {
            match resource.reservations.as_slice() {
                [] => resource.role = Some("*".to_string()),
                [single] => {
                    if single.r#type() == reservation_info::Type::Dynamic {
                        resource.reservation = Some(ReservationInfo {
                            principal: single.principal.clone(),
                            labels: single.labels.clone(),
                            ..ReservationInfo::default()
                        });
                    }
                    resource.role = Some(single.role().to_string());
                    if format == ResourceFormat::PreReservationRefinement {
                        resource.reservations.clear();
                    }
                }
                _ => {}
            }
        }
        ResourceFormat::PostReservationRefinement => {
            if !resource.reservations.is_empty() {
                resource.role = None;
                resource.reservation = None;
                return;
            }
            let role = resource.role.take().unwrap_or_else(|| "*".to_string());
            if role == "*" {
                return;
            }
            // A `reservation` says the old-format reservation is dynamic.
            let mut reservation = match resource.reservation.take() {
                None => ReservationInfo {
                    r#type: Some(reservation_info::Type::Static as i32),
                    ..ReservationInfo::default()
                },
                Some(mut dynamic) => {
                    dynamic.set_type(reservation_info::Type::Dynamic);
                    dynamic
                }
            };
            reservation.role = Some(role);
            resource.reservations.push(reservation);
        }
    }
}

/// Puts `resource` in the form Mesos works with.
pub fn upgrade_resource(resource: &mut Resource) {
    convert_resource_format(resource, ResourceFormat::PostReservationRefinement);
}

/// [`upgrade_resource`] on each.
pub fn upgrade_resources(resources: &mut [Resource]) {
    resources.iter_mut().for_each(upgrade_resource);
}

/// Puts `resource` in the old format, for a peer that predates
/// reservation refinement; an error if it has refined reservations.
pub fn downgrade_resource(resource: &mut Resource) -> Try<()> {
    if has_refined_reservations(resource) {
        return Err(Error::new(
            "Cannot downgrade resources containing refined reservations",
        ));
    }
    convert_resource_format(resource, ResourceFormat::PreReservationRefinement);
    Ok(())
}

/// [`downgrade_resource`] on each, stopping at the first error (the
/// resources before it are converted, the rest are not).
pub fn downgrade_resources(resources: &mut [Resource]) -> Try<()> {
    resources.iter_mut().try_for_each(downgrade_resource)
}

/// [`upgrade_resource`] on every `Resource` anywhere inside `message`
/// (Mesos' `upgradeResources(Message*)`), e.g. all of a `TaskInfo`'s and
/// its executor's.
pub fn upgrade_resources_in<M: Reflect>(message: &mut M) -> Try<()> {
    convert_in(message, &mut |resource| {
        upgrade_resource(resource);
        Ok(())
    })
}

/// [`downgrade_resource`] on every `Resource` anywhere inside `message`,
/// stopping at the first one with refined reservations (the ones before
/// it are converted).
pub fn downgrade_resources_in<M: Reflect>(message: &mut M) -> Try<()> {
    let mut first_error = None;
    convert_in(message, &mut |resource| {
        if first_error.is_none() {
            first_error = downgrade_resource(resource).err();
        }
        Ok(())
    })?;
    first_error.map_or(Ok(()), Err)
}

/// Applies `convert` to each `mesos.Resource` in `message`, found through
/// its descriptor.
fn convert_in<M: Reflect>(
    message: &mut M,
    convert: &mut dyn FnMut(&mut Resource) -> Try<()>,
) -> Try<()> {
    let mut dynamic = DynamicMessage::new(crate::json::descriptor::<M>());
    dynamic.transcode_from(message).map_err(transcoding)?;
    walk(&mut dynamic, convert)?;
    *message = dynamic.transcode_to().map_err(transcoding)?;
    Ok(())
}

fn walk(
    message: &mut DynamicMessage,
    convert: &mut dyn FnMut(&mut Resource) -> Try<()>,
) -> Try<()> {
    if message.descriptor().full_name() == "mesos.Resource" {
        let mut resource: Resource = message.transcode_to().map_err(transcoding)?;
        convert(&mut resource)?;
        message.clear();
        return message.transcode_from(&resource).map_err(transcoding);
    }
    for (_, value) in message.fields_mut() {
        walk_value(value, convert)?;
    }
    Ok(())
}

fn walk_value(value: &mut Value, convert: &mut dyn FnMut(&mut Resource) -> Try<()>) -> Try<()> {
    match value {
        Value::Message(message) => walk(message, convert),
        Value::List(values) => values.iter_mut().try_for_each(|v| walk_value(v, convert)),
        Value::Map(entries) => entries
            .values_mut()
            .try_for_each(|v| walk_value(v, convert)),
        _ => Ok(()),
    }
}

/// A message and its descriptor disagreeing: both come from this crate's
/// schemas, so this would be a bug.
fn transcoding(error: prost::DecodeError) -> Error {
    Error::new(format!(
        "Failed to convert the resources of a message: {}",
        error
    ))
}
