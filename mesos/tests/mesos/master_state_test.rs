//! The master's bookkeeping as plain data: framework and agent records
//! account the resources of tasks, executors and offers without any
//! process running.

use libprocess::{Time, UPID};
use mesos::common::protobuf_utils::create_task;
use mesos::master::{Framework, FrameworkState, Slave};
use mesos::{
    ExecutorId, ExecutorInfo, FrameworkId, FrameworkInfo, OfferId, Resources, SlaveId, SlaveInfo,
    TaskState,
};

use crate::master_helpers::task;

fn resources(text: &str) -> Resources {
    Resources::parse_with_role(text, "*").expect("resources")
}

fn framework() -> Framework {
    let info = FrameworkInfo {
        id: Some(FrameworkId { value: "f".into() }),
        ..FrameworkInfo::default()
    };
    Framework::new(info, None, Time::EPOCH, 2, false)
}

fn slave_id() -> SlaveId {
    SlaveId { value: "s".into() }
}

#[test]
fn framework_task_resources() {
    let mut framework = framework();
    assert_eq!(framework.state, FrameworkState::Recovered);
    let running = create_task(
        &task("1", &slave_id(), "cpus:1;mem:64"),
        TaskState::TaskRunning,
        &framework.id,
    );
    framework.add_task(running);
    assert_eq!(framework.total_used_resources(), resources("cpus:1;mem:64"));
    // A terminal task's resources stop counting before it is removed.
    framework
        .tasks
        .get_mut(&mesos::TaskId { value: "1".into() })
        .expect("task")
        .set_state(TaskState::TaskFinished);
    framework.recover_resources(&mesos::TaskId { value: "1".into() });
    assert!(framework.total_used_resources().is_empty());
    framework.remove_task(&mesos::TaskId { value: "1".into() }, false);
    assert!(framework.total_used_resources().is_empty());
    assert_eq!(framework.completed_tasks.len(), 1);
}

#[test]
fn framework_removing_running_task_gives_resources_back() {
    let mut framework = framework();
    for id in ["1", "2", "3"] {
        let t = create_task(
            &task(id, &slave_id(), "cpus:1"),
            TaskState::TaskRunning,
            &framework.id,
        );
        framework.add_task(t);
    }
    assert_eq!(framework.total_used_resources(), resources("cpus:3"));
    for id in ["1", "2", "3"] {
        framework.remove_task(&mesos::TaskId { value: id.into() }, false);
    }
    assert!(framework.total_used_resources().is_empty());
    // At most --max_completed_tasks_per_framework (2 here) are kept.
    let kept: Vec<_> = framework
        .completed_tasks
        .iter()
        .map(|t| t.task_id.value.clone())
        .collect();
    assert_eq!(kept, vec!["2", "3"]);
}

#[test]
fn framework_offers_and_executors() {
    let mut framework = framework();
    let offer = OfferId { value: "o".into() };
    framework.add_offer(offer.clone(), &slave_id(), &resources("cpus:2"));
    assert_eq!(framework.total_offered_resources(), resources("cpus:2"));
    framework.remove_offer(&offer, &slave_id(), &resources("cpus:2"));
    assert!(framework.offers.is_empty());
    assert!(framework.total_offered_resources().is_empty());

    let executor = ExecutorInfo {
        executor_id: ExecutorId { value: "e".into() },
        resources: resources("cpus:0.1;mem:32").to_vec(),
        ..ExecutorInfo::default()
    };
    framework.add_executor(&slave_id(), executor);
    assert!(framework.has_executor(&slave_id(), &ExecutorId { value: "e".into() }));
    assert_eq!(
        framework.total_used_resources(),
        resources("cpus:0.1;mem:32")
    );
    framework.remove_executor(&slave_id(), &ExecutorId { value: "e".into() });
    assert!(framework.executors.is_empty());
    assert!(framework.total_used_resources().is_empty());
}

#[test]
fn slave_accounts_by_framework() {
    let info = SlaveInfo {
        id: Some(slave_id()),
        resources: resources("cpus:4;mem:1024").to_vec(),
        ..SlaveInfo::default()
    };
    let mut slave = Slave::new(
        info,
        UPID::empty(),
        "1.11.0".into(),
        Vec::new(),
        Time::EPOCH,
    );
    assert!(slave.connected && slave.active);
    assert_eq!(slave.total_resources, resources("cpus:4;mem:1024"));
    let framework_id = FrameworkId { value: "f".into() };
    let t = create_task(
        &task("1", &slave_id(), "cpus:1;mem:128"),
        TaskState::TaskStaging,
        &framework_id,
    );
    slave.add_task(&t);
    assert!(slave.has_task(&framework_id, &t.task_id));
    assert_eq!(
        slave.used_resources[&framework_id],
        resources("cpus:1;mem:128")
    );
    slave.remove_task(&t);
    assert!(slave.tasks.is_empty());
    assert!(slave.used_resources.is_empty());

    let offer = OfferId { value: "o".into() };
    slave.add_offer(offer.clone(), &resources("cpus:3"));
    assert_eq!(slave.offered_resources, resources("cpus:3"));
    slave.remove_offer(&offer, &resources("cpus:3"));
    assert!(slave.offered_resources.is_empty());
}
