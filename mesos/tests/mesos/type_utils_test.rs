//! Mesos' TypeUtilsTest (src/tests/common/type_utils_tests.cpp).

use mesos::common::type_utils::task_groups_equal;
use mesos::{CommandInfo, Resources, SlaveId, TaskGroupInfo, TaskId, TaskInfo};

use crate::helpers::*;

/// `createTask(slaveId, resources, command)` of `src/tests/mesos.hpp`: a
/// command task named `test-task` with a random UUID for its ID.
fn create_task(slave_id: &SlaveId, resources: &Resources, command: &str) -> TaskInfo {
    TaskInfo {
        name: "test-task".to_string(),
        task_id: TaskId {
            value: stout::Uuid::random().to_string(),
        },
        slave_id: slave_id.clone(),
        resources: resources.to_vec(),
        command: Some(CommandInfo {
            value: Some(command.to_string()),
            ..CommandInfo::default()
        }),
        ..TaskInfo::default()
    }
}

#[test]
fn task_group_equality() {
    let slave_id = SlaveId {
        value: "default-agent".to_string(),
    };

    let resources = resources("cpus:0.1;mem:32;disk:32");

    let task1 = create_task(&slave_id, &resources, "default-command1");

    let task2 = create_task(&slave_id, &resources, "default-command2");

    // Task groups with the same tasks.
    {
        let task_group1 = TaskGroupInfo {
            tasks: vec![task1.clone(), task2.clone()],
        };

        let task_group2 = TaskGroupInfo {
            tasks: vec![task1.clone(), task2.clone()],
        };

        assert!(task_groups_equal(&task_group1, &task_group2));
    }

    // Task groups with the same tasks in another order.
    {
        let task_group1 = TaskGroupInfo {
            tasks: vec![task1.clone(), task2.clone()],
        };

        let task_group2 = TaskGroupInfo {
            tasks: vec![task2.clone(), task1.clone()],
        };

        assert!(task_groups_equal(&task_group1, &task_group2));
    }

    // Task groups with different tasks.
    {
        let task_group1 = TaskGroupInfo {
            tasks: vec![task1.clone(), task2.clone()],
        };

        let task_group2 = TaskGroupInfo {
            tasks: vec![task1.clone()],
        };

        assert!(!task_groups_equal(&task_group1, &task_group2));
    }
}
