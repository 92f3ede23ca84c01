//! The defaults Mesos' tests use (`DEFAULT_FRAMEWORK_INFO`,
//! `DEFAULT_EXECUTOR_INFO`, `createTask`, ...).

use crate::{
    framework_info, CommandInfo, ExecutorId, ExecutorInfo, FrameworkInfo, Offer, TaskId, TaskInfo,
};

/// The principal of Mesos' `DEFAULT_CREDENTIAL`.
pub const DEFAULT_PRINCIPAL: &str = "test-principal";

/// `DEFAULT_FRAMEWORK_INFO`: "default", run by the current user, in role
/// `*`, MULTI_ROLE and RESERVATION_REFINEMENT capable.
pub fn default_framework_info() -> FrameworkInfo {
    let capability = |kind: framework_info::capability::Type| framework_info::Capability {
        r#type: Some(kind as i32),
    };
    FrameworkInfo {
        name: "default".to_string(),
        user: stout::os::user().unwrap_or_else(|_| "root".to_string()),
        principal: Some(DEFAULT_PRINCIPAL.to_string()),
        roles: vec!["*".to_string()],
        capabilities: vec![
            capability(framework_info::capability::Type::MultiRole),
            capability(framework_info::capability::Type::ReservationRefinement),
        ],
        ..FrameworkInfo::default()
    }
}

/// `createExecutorInfo(id, command)`.
pub fn create_executor_info(id: &str, command: &str) -> ExecutorInfo {
    ExecutorInfo {
        executor_id: ExecutorId {
            value: id.to_string(),
        },
        command: Some(CommandInfo {
            value: Some(command.to_string()),
            ..CommandInfo::default()
        }),
        ..ExecutorInfo::default()
    }
}

/// `DEFAULT_EXECUTOR_INFO`: executor "default" running `exit 1` (the
/// test containerizer runs a mock in its place).
pub fn default_executor_info() -> ExecutorInfo {
    create_executor_info("default", "exit 1")
}

/// `DEFAULT_EXECUTOR_ID`.
pub fn default_executor_id() -> ExecutorId {
    default_executor_info().executor_id
}

/// `createTask(offer, command)`: a command task named and identified by a
/// fresh UUID, using all of the offer's resources.
pub fn create_task(offer: &Offer, command: &str) -> TaskInfo {
    let id = libprocess::random::uuid().to_string();
    TaskInfo {
        name: id.clone(),
        task_id: TaskId { value: id },
        slave_id: offer.slave_id.clone(),
        resources: offer.resources.clone(),
        command: Some(CommandInfo {
            value: Some(command.to_string()),
            ..CommandInfo::default()
        }),
        ..TaskInfo::default()
    }
}
