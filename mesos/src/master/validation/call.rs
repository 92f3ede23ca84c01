//! An operator API call's shape (Mesos' `validation::master::call`): a
//! type, and the message that type needs. Resources in RESERVE and
//! UNRESERVE are validated as Mesos does.

use super::fail;
use crate::master::call::Type;
use crate::master::Call;
use stout::Try;

/// Whether `call` has a type and the part its type needs.
#[allow(deprecated)] // SET_QUOTA and REMOVE_QUOTA are still validated.
pub fn validate(call: &Call) -> Try<()> {
    let Some(kind) = call.r#type.and_then(|t| Type::try_from(t).ok()) else {
        return fail("Expecting 'type' to be present");
    };
    let needs = |present: bool, field: &str| {
        if present {
            Ok(())
        } else {
            fail(format!("Expecting '{}' to be present", field))
        }
    };
    match kind {
        Type::GetMetrics => needs(call.get_metrics.is_some(), "get_metrics"),
        Type::SetLoggingLevel => needs(call.set_logging_level.is_some(), "set_logging_level"),
        Type::ListFiles => needs(call.list_files.is_some(), "list_files"),
        Type::ReadFile => needs(call.read_file.is_some(), "read_file"),
        Type::UpdateWeights => needs(call.update_weights.is_some(), "update_weights"),
        Type::ReserveResources => match &call.reserve_resources {
            None => fail("Expecting 'reserve_resources' to be present"),
            Some(reserve) => crate::common::resources::validate_all(&reserve.resources),
        },
        Type::UnreserveResources => match &call.unreserve_resources {
            None => fail("Expecting 'unreserve_resources' to be present"),
            Some(unreserve) => crate::common::resources::validate_all(&unreserve.resources),
        },
        Type::CreateVolumes => needs(call.create_volumes.is_some(), "create_volumes"),
        Type::DestroyVolumes => needs(call.destroy_volumes.is_some(), "destroy_volumes"),
        Type::GrowVolume => match &call.grow_volume {
            None => fail("Expecting 'grow_volume' to be present"),
            Some(grow) => needs_agent(grow.slave_id.is_some()),
        },
        Type::ShrinkVolume => match &call.shrink_volume {
            None => fail("Expecting 'shrink_volume' to be present"),
            Some(shrink) => needs_agent(shrink.slave_id.is_some()),
        },
        Type::UpdateMaintenanceSchedule => needs(
            call.update_maintenance_schedule.is_some(),
            "update_maintenance_schedule",
        ),
        Type::StartMaintenance => needs(call.start_maintenance.is_some(), "start_maintenance"),
        Type::StopMaintenance => needs(call.stop_maintenance.is_some(), "stop_maintenance"),
        Type::DrainAgent => needs(call.drain_agent.is_some(), "drain_agent"),
        Type::DeactivateAgent => needs(call.deactivate_agent.is_some(), "deactivate_agent"),
        Type::ReactivateAgent => needs(call.reactivate_agent.is_some(), "reactivate_agent"),
        Type::UpdateQuota => needs(call.update_quota.is_some(), "update_quota"),
        Type::SetQuota => needs(call.set_quota.is_some(), "set_quota"),
        Type::RemoveQuota => needs(call.remove_quota.is_some(), "remove_quota"),
        Type::Teardown => needs(call.teardown.is_some(), "teardown"),
        Type::MarkAgentGone => needs(call.mark_agent_gone.is_some(), "mark_agent_gone"),
        _ => Ok(()),
    }
}

fn needs_agent(present: bool) -> Try<()> {
    if present {
        Ok(())
    } else {
        fail(
            "Expecting 'agent_id' to be present; only agent default resources are supported \
             right now",
        )
    }
}
