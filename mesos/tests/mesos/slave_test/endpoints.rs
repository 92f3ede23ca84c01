//! Mesos' `SlaveTest` cases about the agent's read endpoints (`/state`,
//! `/monitor/statistics`, `/containers`), on the in-process cluster over
//! loopback.

use std::sync::Arc;

use libprocess::testing::{await_ready, future_dispatch, future_protobuf, ANY};
use libprocess::{Clock, Future, Promise};
use mesos::common::http::model;
use mesos::internal::SlaveRegisteredMessage;
use mesos::slave::containerizer::{Containerizer, LaunchResult};
use mesos::slave::state::SlaveState as CheckpointedState;
use mesos::slave::{ContainerConfig, ContainerTermination};
use mesos::testing::cluster::Slave;
use mesos::testing::{
    create_executor_info, default_framework_info, send_status_update_from_task, MockExecutor,
    MockScheduler, TestContainerizer,
};
use mesos::{
    cgroup_info, network_info, CgroupInfo, ContainerId, ContainerStatus, NetworkInfo,
    ResourceStatistics, Resources, TaskId, TaskInfo, TaskState,
};
use serde_json::{json, Value};

use crate::cluster_helpers as ch;
use crate::http_helpers::{get, get_json, loopback_runtime};

#[test]
fn state_endpoint() {
    let _runtime = loopback_runtime();
    let master = ch::start_master();
    let resources = "cpus:4;gpus:0;mem:2048;disk:512;ports:[33000-34000]";
    let exec = ch::default_exec();
    let containerizer = Arc::new(TestContainerizer::new(&exec));

    // The start time is taken with the clock paused.
    Clock::pause();
    let recovered = future_dispatch(ANY, mesos::slave::Slave::recovered);
    let slave = Slave::start_with(master.create_detector(), containerizer, |flags| {
        flags.hostname = Some("localhost".into());
        flags.resources = Some(resources.into());
        flags.attributes = Some("rack:abc;host:myhost".into());
    })
    .expect("the agent starts");
    await_ready(&recovered);
    Clock::settle();

    let state = get_json(slave.pid.upid(), "state");
    // The name older tools use answers the same.
    assert_eq!(get_json(slave.pid.upid(), "state.json")["id"], state["id"]);
    assert_eq!(state["version"], json!(mesos::MESOS_VERSION));
    let build = mesos::version::build();
    assert_eq!(state["build_date"], json!(build.date));
    assert_eq!(state["build_time"], json!(build.time));
    assert_eq!(state["build_user"], json!(build.user));
    let start_time = state["start_time"].as_f64().expect("a number");
    assert!((Clock::now().secs() - start_time).abs() <= 1.0);
    assert!(state["id"].is_string());
    assert_eq!(state["pid"], json!(slave.pid.to_string()));
    assert_eq!(state["hostname"], json!("localhost"));
    let capabilities = json!([
        "MULTI_ROLE",
        "HIERARCHICAL_ROLE",
        "RESERVATION_REFINEMENT",
        "RESOURCE_PROVIDER",
        "RESIZE_VOLUME",
        "AGENT_OPERATION_FEEDBACK",
        "AGENT_DRAINING",
        "TASK_RESOURCE_LIMITS"
    ]);
    assert_eq!(state["capabilities"], capabilities);
    let parsed = Resources::parse(resources).expect("resources");
    assert_eq!(state["resources"], model::resources(parsed.iter()));
    assert_eq!(
        state["attributes"],
        json!({"rack": "abc", "host": "myhost"})
    );
    assert_eq!(state["frameworks"], json!([]));
    assert_eq!(state["completed_frameworks"], json!([]));
    assert!(state["flags"].as_object().is_some_and(|f| !f.is_empty()));

    // Registration, then an offer.
    let registered = future_protobuf::<SlaveRegisteredMessage>(ANY, &slave.pid);
    Clock::advance(stout::Duration::from_millis(10));
    await_ready(&registered);
    Clock::resume();
    let sched = MockScheduler::new();
    let driver = ch::driver(&sched, &master);
    let offers = ch::start_and_await_offers(&driver, &sched);
    let offer = &offers[0];

    let mut executor_resources = Resources::parse("cpus:0.1;mem:32").expect("resources");
    executor_resources.allocate("*");
    let mut executor = mesos::testing::default_executor_info();
    executor.resources = executor_resources.to_vec();
    let task = TaskInfo {
        name: String::new(),
        task_id: TaskId { value: "1".into() },
        slave_id: offer.slave_id.clone(),
        resources: (Resources::from(offer.resources.clone()) - executor_resources.clone()).to_vec(),
        executor: Some(executor),
        ..TaskInfo::default()
    };
    exec.launch_task
        .will_once(send_status_update_from_task(TaskState::TaskRunning));
    let status = sched.status_update.future();
    driver.launch_tasks(
        vec![offer.id.clone()],
        vec![task.clone()],
        mesos::Filters::default(),
    );
    assert_eq!(await_ready(&status).state(), TaskState::TaskRunning);

    let state = get_json(slave.pid.upid(), "state");
    let frameworks = state["frameworks"].as_array().expect("frameworks");
    assert_eq!(frameworks.len(), 1);
    let framework = &frameworks[0];
    assert_eq!(framework["roles"], json!(default_framework_info().roles));
    assert_eq!(framework["name"], json!("default"));
    assert_eq!(state["resources"], model::resources(parsed.iter()));
    let executors = framework["executors"].as_array().expect("executors");
    assert_eq!(executors.len(), 1);
    let executor = &executors[0];
    assert_eq!(executor["id"], json!("default"));
    assert_eq!(executor["source"], json!(""));
    assert_eq!(executor["role"], json!("*"));
    let used = Resources::from(task.resources.clone()) + executor_resources;
    assert_eq!(executor["resources"], model::resources(used.iter()));
    let tasks = executor["tasks"].as_array().expect("tasks");
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0]["executor_id"], json!("default"));
    assert_eq!(tasks[0]["name"], json!(""));
    assert_eq!(tasks[0]["id"], json!("1"));
    assert_eq!(tasks[0]["state"], json!("TASK_RUNNING"));
    assert_eq!(tasks[0]["role"], json!("*"));
    assert_eq!(tasks[0]["resources"], model::resources(&task.resources));
    ch::stop(&driver);
}

/// A containerizer whose recovery does not end (the agent stays
/// RECOVERING).
struct Recovering(Future<()>);

impl Containerizer for Recovering {
    fn recover(&self, _state: Option<&CheckpointedState>) -> Future<()> {
        self.0.clone()
    }

    fn launch(
        &self,
        _: &ContainerId,
        _: ContainerConfig,
        _: std::collections::BTreeMap<String, String>,
        _: Option<String>,
    ) -> Future<LaunchResult> {
        Future::failed("not recovered")
    }

    fn update(
        &self,
        _: &ContainerId,
        _: Resources,
        _: std::collections::BTreeMap<String, f64>,
    ) -> Future<()> {
        Future::failed("not recovered")
    }

    fn usage(&self, _: &ContainerId) -> Future<ResourceStatistics> {
        Future::failed("not recovered")
    }

    fn status(&self, _: &ContainerId) -> Future<ContainerStatus> {
        Future::failed("not recovered")
    }

    fn wait(&self, _: &ContainerId) -> Future<Option<ContainerTermination>> {
        Future::ready(None)
    }

    fn destroy(&self, _: &ContainerId) -> Future<Option<ContainerTermination>> {
        Future::ready(None)
    }

    fn kill(&self, _: &ContainerId, _: i32) -> Future<bool> {
        Future::ready(false)
    }

    fn containers(&self) -> Future<std::collections::HashSet<ContainerId>> {
        Future::ready(Default::default())
    }
}

#[test]
fn state_endpoint_unavailable_during_recovery() {
    let _runtime = loopback_runtime();
    let master = ch::start_master();
    let recovery = Promise::new();
    let slave = Slave::start(
        master.create_detector(),
        Arc::new(Recovering(recovery.future())),
    )
    .expect("the agent starts");
    let response = get(slave.pid.upid(), "state", None);
    assert_eq!(response.code, 503);
    assert_eq!(
        String::from_utf8_lossy(&response.body_bytes()),
        "Agent has not finished recovery"
    );
    recovery.set(());
}

/// The read endpoints call the `jsonp` callback with their JSON, as
/// Mesos' `OK(json, jsonp)` does.
#[test]
fn endpoints_jsonp() {
    let _runtime = loopback_runtime();
    let master = ch::start_master();
    // `/state` answers once the agent recovered.
    let recovered = future_dispatch(ANY, mesos::slave::Slave::recovered);
    let (_containerizer, slave) = ch::start_slave(&master, &ch::default_exec());
    await_ready(&recovered);
    for path in ["state", "flags", "containers", "monitor/statistics"] {
        let response = get(slave.pid.upid(), path, Some("jsonp=callback"));
        assert_eq!(response.code, 200, "{}", path);
        assert_eq!(
            response.headers.get("Content-Type"),
            Some("text/javascript"),
            "{}",
            path
        );
        let body = String::from_utf8_lossy(&response.body_bytes()).into_owned();
        let json = body
            .strip_prefix("callback(")
            .and_then(|rest| rest.strip_suffix(')'))
            .unwrap_or_else(|| panic!("{}: {}", path, body));
        serde_json::from_str::<Value>(json).expect("JSON inside the call");
    }
}

#[test]
fn statistics_endpoint_no_executor() {
    let _runtime = loopback_runtime();
    let master = ch::start_master();
    let (_containerizer, slave) = ch::start_slave(&master, &ch::default_exec());
    assert_eq!(get_json(slave.pid.upid(), "monitor/statistics"), json!([]));
}

/// A running executor and the test containerizer, whose answers the
/// tests set.
struct RunningExecutor {
    driver: mesos::sched::MesosSchedulerDriver,
    containerizer: Arc<TestContainerizer>,
    slave: Slave,
    _master: mesos::testing::cluster::Master,
}

impl Drop for RunningExecutor {
    fn drop(&mut self) {
        ch::stop(&self.driver);
    }
}

/// Runs one task per executor of `execs`, each on `cpus:1;mem:512` (the
/// first offer must hold them all).
fn running_executors(execs: &[(MockExecutor, mesos::ExecutorInfo)]) -> RunningExecutor {
    let master = ch::start_master();
    let containerizer = Arc::new(TestContainerizer::default());
    for (exec, _) in execs {
        containerizer.add(exec);
    }
    let slave =
        Slave::start(master.create_detector(), containerizer.clone()).expect("the agent starts");
    let sched = MockScheduler::new();
    let driver = ch::driver(&sched, &master);
    let offers = ch::start_and_await_offers(&driver, &sched);
    let mut tasks = Vec::new();
    let mut statuses = Vec::new();
    for (n, (exec, info)) in execs.iter().enumerate() {
        exec.launch_task
            .will_once(send_status_update_from_task(TaskState::TaskRunning));
        statuses.push(sched.status_update.future());
        tasks.push(TaskInfo {
            name: String::new(),
            task_id: TaskId {
                value: (n + 1).to_string(),
            },
            slave_id: offers[0].slave_id.clone(),
            resources: Resources::parse("cpus:1;mem:512")
                .expect("resources")
                .to_vec(),
            executor: Some(info.clone()),
            ..TaskInfo::default()
        });
    }
    driver.launch_tasks(vec![offers[0].id.clone()], tasks, mesos::Filters::default());
    for status in statuses {
        assert_eq!(await_ready(&status).state(), TaskState::TaskRunning);
    }
    RunningExecutor {
        driver,
        containerizer,
        slave,
        _master: master,
    }
}

#[test]
fn statistics_endpoint_missing_statistics() {
    let _runtime = loopback_runtime();
    let exec = ch::default_exec();
    let running = running_executors(&[(exec, mesos::testing::default_executor_info())]);
    // The next usage fails: the executor has no statistics to show.
    running
        .containerizer
        .will_report_usage(Err("Injected failure".into()));
    let statistics = get_json(running.slave.pid.upid(), "monitor/statistics");
    assert_eq!(statistics, json!([]));
}

/// The statistics of a command task's container under the Mesos
/// containerizer: its limits are the task's and the command executor's
/// resources.
#[test]
fn statistics_endpoint_running_executor() {
    let _runtime = ch::loopback_runtime();
    let master = ch::start_master();
    let slave = Slave::start_mesos(master.create_detector(), |_| {}).expect("the agent starts");
    let sched = MockScheduler::new();
    let driver = ch::driver(&sched, &master);
    let offers = ch::start_and_await_offers(&driver, &sched);
    let mut task = mesos::testing::create_task(&offers[0], "sleep 1000");
    task.resources = Resources::parse("cpus:1;mem:32")
        .expect("resources")
        .to_vec();
    let starting = sched.status_update.future();
    let running = sched.status_update.future();
    driver.launch_tasks(
        vec![offers[0].id.clone()],
        vec![task],
        mesos::Filters::default(),
    );
    assert_eq!(await_ready(&starting).state(), TaskState::TaskStarting);
    assert_eq!(await_ready(&running).state(), TaskState::TaskRunning);

    let statistics = get_json(slave.pid.upid(), "monitor/statistics");
    let entries = statistics.as_array().expect("an array");
    assert_eq!(entries.len(), 1);
    let statistics = &entries[0]["statistics"];
    let cpus = 1.0 + mesos::slave::constants::DEFAULT_EXECUTOR_CPUS;
    let mem = (32 << 20) + mesos::slave::constants::DEFAULT_EXECUTOR_MEM.bytes();
    assert_eq!(statistics["cpus_soft_limit"], json!(cpus));
    assert_eq!(statistics["mem_limit_bytes"], json!(mem));
    assert_eq!(statistics["mem_soft_limit_bytes"], json!(mem));
    ch::stop(&driver);
}

#[test]
fn containers_endpoint_no_executor() {
    let _runtime = loopback_runtime();
    let master = ch::start_master();
    let (_containerizer, slave) = ch::start_slave(&master, &ch::default_exec());
    assert_eq!(get_json(slave.pid.upid(), "containers"), json!([]));
}

/// Whether every key of `expected` is in `value` with the same value, in
/// objects down the tree (stout's `JSON::Value::contains`).
fn contains(value: &Value, expected: &Value) -> bool {
    match (value, expected) {
        (Value::Object(value), Value::Object(expected)) => expected
            .iter()
            .all(|(key, e)| value.get(key).is_some_and(|v| contains(v, e))),
        (Value::Array(value), Value::Array(expected)) => {
            value.len() == expected.len() && value.iter().zip(expected).all(|(v, e)| contains(v, e))
        }
        (value, expected) => value == expected,
    }
}

#[test]
fn containers_endpoint() {
    let _runtime = loopback_runtime();
    let executor1 = create_executor_info("executor-1", "exit 1");
    let executor2 = create_executor_info("executor-2", "exit 1");
    let exec1 = MockExecutor::new(executor1.executor_id.clone());
    let exec2 = MockExecutor::new(executor2.executor_id.clone());
    let running = running_executors(&[(exec1, executor1), (exec2, executor2)]);

    running
        .containerizer
        .will_report_usage(Ok(ResourceStatistics {
            mem_limit_bytes: Some(2048),
            ..ResourceStatistics::default()
        }));
    let parent = ContainerId {
        value: "parent".into(),
        parent: None,
    };
    let status = ContainerStatus {
        container_id: Some(ContainerId {
            value: "child1".into(),
            parent: Some(Box::new(parent)),
        }),
        cgroup_info: Some(CgroupInfo {
            net_cls: Some(cgroup_info::NetCls { classid: Some(42) }),
        }),
        network_infos: vec![NetworkInfo {
            ip_addresses: vec![network_info::IpAddress {
                ip_address: Some("192.168.1.20".into()),
                ..Default::default()
            }],
            ..NetworkInfo::default()
        }],
        ..ContainerStatus::default()
    };
    running.containerizer.will_report_status(status);
    let expected = json!({
        "executor_name": "",
        "source": "",
        "statistics": {"mem_limit_bytes": 2048},
        "status": {
            "container_id": {"parent": {"value": "parent"}, "value": "child1"},
            "cgroup_info": {"net_cls": {"classid": 42}},
            "network_infos": [{"ip_addresses": [{"ip_address": "192.168.1.20"}]}],
        },
    });

    let containers = get_json(running.slave.pid.upid(), "containers");
    let entries = containers.as_array().expect("an array");
    assert_eq!(entries.len(), 2);
    assert!(
        entries.iter().all(|e| contains(e, &expected)),
        "{:#}",
        containers
    );

    let container_id = entries[0]["container_id"].as_str().expect("an ID");
    let query = format!("container_id={}", container_id);
    let response = get(running.slave.pid.upid(), "containers", Some(&query));
    assert_eq!(response.code, 200);
    let selected: Value = serde_json::from_slice(&response.body_bytes()).expect("JSON");
    let mut expected = expected;
    expected["container_id"] = json!(container_id);
    assert!(contains(&selected, &json!([expected])), "{:#}", selected);
}
