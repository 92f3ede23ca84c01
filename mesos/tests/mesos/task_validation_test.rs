//! Mesos' TaskValidationTest (src/tests/master_validation_tests.cpp): the
//! tests that call the checks directly.

use mesos::master::validation::task;
use mesos::resource::{AllocationInfo, RevocableInfo};
use mesos::value::{self, Scalar};
use mesos::{Resource, SlaveId, TaskId, TaskInfo};

use crate::helpers::*;
use crate::validation_helpers::*;

/// Task `task` on agent `slave`, without resources.
fn new_task() -> TaskInfo {
    TaskInfo {
        name: String::new(),
        task_id: TaskId {
            value: "task".to_string(),
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

#[test]
fn task_uses_revocable_resources() {
    let mut task = new_task();

    let mut cpus = two_cpus();
    cpus.allocation_info = Some(AllocationInfo {
        role: Some("role".to_string()),
    });

    // Only non-revocable cpus.
    task.resources.push(cpus.clone());

    assert_ok(task::validate_resources(&task));

    let mut revocable_cpus = cpus.clone();
    revocable_cpus.revocable = Some(RevocableInfo {});

    // Only revocable cpus.
    task.resources.clear();
    task.resources.push(revocable_cpus.clone());

    assert_ok(task::validate_resources(&task));

    // Both.
    task.resources.clear();
    task.resources.push(cpus.clone());
    task.resources.push(revocable_cpus.clone());

    assert!(task::validate_resources(&task).is_err());
}

#[test]
fn task_info_allocated_resources() {
    // Resources allocated to a single role.
    {
        let task = TaskInfo {
            resources: allocated_resources(resources("cpus:1;mem:1"), "role").to_vec(),
            ..TaskInfo::default()
        };

        assert_ok(task::validate_resources(&task));
    }

    // Unallocated resources.
    {
        let task = TaskInfo {
            resources: resources("cpus:1;mem:1").to_vec(),
            ..TaskInfo::default()
        };

        assert!(task::validate_resources(&task).is_err());
    }

    // Resources allocated to several roles.
    {
        let task = TaskInfo {
            resources: (allocated_resources(resources("cpus:1"), "role1")
                + allocated_resources(resources("mem:1"), "role2"))
            .to_vec(),
            ..TaskInfo::default()
        };

        assert!(task::validate_resources(&task).is_err());
    }
}

#[test]
fn task_and_executor_use_revocable_resources() {
    let mut task = new_task();

    let mut executor = default_executor_info();

    let cpus = two_cpus();

    // Only non-revocable cpus.
    task.resources.push(cpus.clone());
    executor.resources.push(cpus.clone());
    task.executor = Some(executor.clone());

    assert_ok(task::validate_task_and_executor_resources(&task));

    let mut revocable_cpus = cpus.clone();
    revocable_cpus.revocable = Some(RevocableInfo {});

    // Only revocable cpus.
    task.resources = vec![revocable_cpus.clone()];
    executor.resources = vec![revocable_cpus.clone()];
    task.executor = Some(executor.clone());

    assert_ok(task::validate_task_and_executor_resources(&task));

    // Revocable cpus for the task, non-revocable for its executor.
    task.resources = vec![revocable_cpus.clone()];
    executor.resources = vec![cpus.clone()];
    task.executor = Some(executor.clone());

    assert!(task::validate_task_and_executor_resources(&task).is_err());

    // Non-revocable cpus for the task, revocable for its executor.
    task.resources = vec![cpus.clone()];
    executor.resources = vec![revocable_cpus.clone()];
    task.executor = Some(executor.clone());

    assert!(task::validate_task_and_executor_resources(&task).is_err());
}
