//! Mesos' TaskGroupValidationTest (src/tests/master_validation_tests.cpp):
//! the tests that call the checks directly.

use mesos::master::validation::task::group;
use mesos::resource::RevocableInfo;
use mesos::value::{self, Scalar};
use mesos::{Resource, SlaveId, TaskGroupInfo, TaskId, TaskInfo};

use crate::validation_helpers::*;

/// Task `id` named `name` on agent `slave`, without resources.
fn new_task(name: &str, id: &str) -> TaskInfo {
    TaskInfo {
        name: name.to_string(),
        task_id: TaskId {
            value: id.to_string(),
        },
        slave_id: SlaveId {
            value: "slave".to_string(),
        },
        ..TaskInfo::default()
    }
}

/// Two non-revocable cpus, unreserved and unallocated.
fn two_cpus() -> Resource {
    let mut cpus = Resource {
        name: "cpus".to_string(),
        scalar: Some(Scalar { value: 2.0 }),
        ..Resource::default()
    };
    cpus.set_type(value::Type::Scalar);
    cpus
}

fn revocable(resource: &Resource) -> Resource {
    Resource {
        revocable: Some(RevocableInfo {}),
        ..resource.clone()
    }
}

#[test]
fn task_group_uses_revocable_resources() {
    let mut task1 = new_task("test1", "task1");
    let mut task2 = new_task("test2", "task2");

    let executor = default_executor_info();

    let cpus = two_cpus();

    // Only non-revocable cpus.
    task1.resources.push(cpus.clone());
    task2.resources.push(cpus.clone());

    let mut task_group = TaskGroupInfo {
        tasks: vec![task1.clone(), task2.clone()],
    };

    assert_ok(group::validate_task_group_and_executor_resources(
        &task_group,
        &executor,
    ));

    let revocable_cpus = revocable(&cpus);

    // Only revocable cpus.
    task1.resources = vec![revocable_cpus.clone()];
    task2.resources = vec![revocable_cpus.clone()];
    task_group.tasks = vec![task1.clone(), task2.clone()];

    assert_ok(group::validate_task_group_and_executor_resources(
        &task_group,
        &executor,
    ));

    // One task with revocable cpus, the other with non-revocable ones.
    task1.resources = vec![cpus.clone()];
    task2.resources = vec![revocable_cpus.clone()];
    task_group.tasks = vec![task1.clone(), task2.clone()];

    let error = group::validate_task_group_and_executor_resources(&task_group, &executor);

    assert!(error.is_err());
}

#[test]
fn task_group_and_executor_uses_revocable_resources() {
    let mut task = new_task("test1", "task1");

    let mut executor = default_executor_info();

    let cpus = two_cpus();

    // Only non-revocable cpus.
    task.resources.push(cpus.clone());

    let mut task_group = TaskGroupInfo {
        tasks: vec![task.clone()],
    };

    executor.resources.push(cpus.clone());

    assert_ok(group::validate_task_group_and_executor_resources(
        &task_group,
        &executor,
    ));

    let revocable_cpus = revocable(&cpus);

    // Only revocable cpus.
    task.resources = vec![revocable_cpus.clone()];
    task_group.tasks = vec![task.clone()];
    executor.resources = vec![revocable_cpus.clone()];

    assert_ok(group::validate_task_group_and_executor_resources(
        &task_group,
        &executor,
    ));

    // Revocable cpus for the task, non-revocable for the executor.
    task.resources = vec![revocable_cpus.clone()];
    task_group.tasks = vec![task.clone()];
    executor.resources = vec![cpus.clone()];

    assert_error_contains(
        group::validate_task_group_and_executor_resources(&task_group, &executor),
        "Task group and executor mix revocable and non-revocable resources",
    );

    // Non-revocable cpus for the task, revocable for the executor.
    task.resources = vec![cpus.clone()];
    task_group.tasks = vec![task.clone()];
    executor.resources = vec![revocable_cpus.clone()];

    assert_error_contains(
        group::validate_task_group_and_executor_resources(&task_group, &executor),
        "Task group and executor mix revocable and non-revocable resources",
    );
}
