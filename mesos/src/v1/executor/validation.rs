//! The checks a call passes before the library sends it (Mesos'
//! `common::validation::validateExecutorCall`).

use super::{call, Call};
use crate::v1::task_status::Source;
use crate::v1::TaskState;

/// Why `call` cannot be sent, in Mesos' words; `None` when it can.
pub fn validate_call(call: &Call) -> Option<String> {
    let Some(kind) = call.r#type else {
        return Some("Expecting 'type' to be present".to_string());
    };
    match call::Type::try_from(kind).unwrap_or(call::Type::Unknown) {
        call::Type::Subscribe if call.subscribe.is_none() => {
            Some("Expecting 'subscribe' to be present".to_string())
        }
        call::Type::Update => validate_update(call),
        call::Type::Message if call.message.is_none() => {
            Some("Expecting 'message' to be present".to_string())
        }
        _ => None,
    }
}

fn validate_update(call: &Call) -> Option<String> {
    let Some(update) = &call.update else {
        return Some("Expecting 'update' to be present".to_string());
    };
    let status = &update.status;
    let Some(uuid) = &status.uuid else {
        return Some("Expecting 'uuid' to be present".to_string());
    };
    if let Err(e) = stout::Uuid::from_bytes(uuid) {
        return Some(e.to_string());
    }
    let executor_id = &call.executor_id.value;
    let framework_id = &call.framework_id.value;
    if let Some(id) = &status.executor_id {
        if &id.value != executor_id {
            return Some(format!(
                "ExecutorID in Call: {} does not match ExecutorID in TaskStatus: {}",
                executor_id, id.value
            ));
        }
    }
    if status.source != Some(Source::Executor as i32) {
        return Some(format!(
            "Received Call from executor {} of framework {} with invalid source, \
             expecting 'SOURCE_EXECUTOR'",
            executor_id, framework_id
        ));
    }
    if status.state == TaskState::TaskStaging as i32 {
        return Some(format!(
            "Received TASK_STAGING from executor {} of framework {} which is not allowed",
            executor_id, framework_id
        ));
    }
    None
}
