//! The checks on an operator API call before it runs (Mesos'
//! `validation::agent::call::validate`): its type, and the message its
//! type needs. The checks inside the container calls' messages come with
//! those calls.

use crate::agent::{call::Type, Call};

/// Why `call` is not valid, if it is not.
// The nested container calls are deprecated, and checked all the same.
#[allow(deprecated)]
pub(super) fn validate(call: &Call) -> Result<(), String> {
    if call.r#type.is_none() {
        return Err("Expecting 'type' to be present".into());
    }
    let needed = match call.r#type() {
        Type::GetMetrics => Some(("get_metrics", call.get_metrics.is_some())),
        Type::SetLoggingLevel => Some(("set_logging_level", call.set_logging_level.is_some())),
        Type::ListFiles => Some(("list_files", call.list_files.is_some())),
        Type::ReadFile => Some(("read_file", call.read_file.is_some())),
        Type::LaunchNestedContainer => Some((
            "launch_nested_container",
            call.launch_nested_container.is_some(),
        )),
        Type::WaitNestedContainer => Some((
            "wait_nested_container",
            call.wait_nested_container.is_some(),
        )),
        Type::KillNestedContainer => Some((
            "kill_nested_container",
            call.kill_nested_container.is_some(),
        )),
        Type::RemoveNestedContainer => Some((
            "remove_nested_container",
            call.remove_nested_container.is_some(),
        )),
        Type::LaunchNestedContainerSession => Some((
            "launch_nested_container_session",
            call.launch_nested_container_session.is_some(),
        )),
        Type::AttachContainerInput => Some((
            "attach_container_input",
            call.attach_container_input.is_some(),
        )),
        Type::AttachContainerOutput => Some((
            "attach_container_output",
            call.attach_container_output.is_some(),
        )),
        Type::LaunchContainer => Some(("launch_container", call.launch_container.is_some())),
        Type::WaitContainer => Some(("wait_container", call.wait_container.is_some())),
        Type::KillContainer => Some(("kill_container", call.kill_container.is_some())),
        Type::RemoveContainer => Some(("remove_container", call.remove_container.is_some())),
        Type::AddResourceProviderConfig => Some((
            "add_resource_provider_config",
            call.add_resource_provider_config.is_some(),
        )),
        Type::UpdateResourceProviderConfig => Some((
            "update_resource_provider_config",
            call.update_resource_provider_config.is_some(),
        )),
        Type::RemoveResourceProviderConfig => Some((
            "remove_resource_provider_config",
            call.remove_resource_provider_config.is_some(),
        )),
        Type::MarkResourceProviderGone => Some((
            "mark_resource_provider_gone",
            call.mark_resource_provider_gone.is_some(),
        )),
        _ => None,
    };
    match needed {
        Some((field, false)) => Err(format!("Expecting '{}' to be present", field)),
        _ => Ok(()),
    }
}
