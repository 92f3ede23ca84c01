//! Mesos' `ComposingContainerizerTest` (`composing_containerizer_tests.cpp`),
//! with mock containerizers whose answers the tests hold back, plus the
//! composition `--containerizers=mesos,external` under a real agent's
//! flags.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use libprocess::testing::{await_failed, await_ready};
use libprocess::{Future, Promise};
use mesos::common::resources::Resources;
use mesos::slave::containerizer::{ComposingContainerizer, Containerizer, LaunchResult};
use mesos::slave::state::SlaveState;
use mesos::slave::{ContainerConfig, ContainerTermination};
use mesos::{container_info, ContainerId, ContainerInfo, ContainerStatus, ResourceStatistics};
use parking_lot::Mutex;

/// A containerizer whose `launch` and `destroy` answer what the test
/// gives them, and which counts its calls.
#[derive(Default)]
struct MockContainerizer {
    launch: Mutex<Option<Future<LaunchResult>>>,
    destroy: Mutex<Option<Future<Option<ContainerTermination>>>>,
    launches: Mutex<usize>,
    destroyed: Promise<()>,
}

impl MockContainerizer {
    fn new(launch: Future<LaunchResult>) -> Arc<MockContainerizer> {
        let mock = MockContainerizer::default();
        *mock.launch.lock() = Some(launch);
        Arc::new(mock)
    }

    fn launches(&self) -> usize {
        *self.launches.lock()
    }
}

impl Containerizer for MockContainerizer {
    fn recover(&self, _: Option<&SlaveState>) -> Future<()> {
        Future::ready(())
    }

    fn launch(
        &self,
        _: &ContainerId,
        _: ContainerConfig,
        _: BTreeMap<String, String>,
        _: Option<String>,
    ) -> Future<LaunchResult> {
        *self.launches.lock() += 1;
        self.launch
            .lock()
            .take()
            .unwrap_or_else(|| Future::failed("unexpected launch"))
    }

    fn update(&self, _: &ContainerId, _: Resources, _: BTreeMap<String, f64>) -> Future<()> {
        Future::ready(())
    }

    fn usage(&self, _: &ContainerId) -> Future<ResourceStatistics> {
        Future::ready(ResourceStatistics::default())
    }

    fn status(&self, _: &ContainerId) -> Future<ContainerStatus> {
        Future::ready(ContainerStatus::default())
    }

    fn wait(&self, _: &ContainerId) -> Future<Option<ContainerTermination>> {
        Promise::new().future()
    }

    fn destroy(&self, _: &ContainerId) -> Future<Option<ContainerTermination>> {
        self.destroyed.set(());
        self.destroy
            .lock()
            .take()
            .unwrap_or_else(|| Future::failed("unexpected destroy"))
    }

    fn kill(&self, _: &ContainerId, _: i32) -> Future<bool> {
        Future::ready(false)
    }

    fn containers(&self) -> Future<HashSet<ContainerId>> {
        Future::ready(HashSet::new())
    }
}

fn container() -> ContainerId {
    ContainerId {
        value: "container".to_string(),
        parent: None,
    }
}

fn config() -> ContainerConfig {
    ContainerConfig {
        directory: "dir".to_string(),
        user: Some("user".to_string()),
        ..ContainerConfig::default()
    }
}

/// Two mocks, the first's launch and destroy held back; the composed
/// containerizer has been asked to launch, then to destroy.
struct DestroyDuringLaunch {
    first: Arc<MockContainerizer>,
    second: Arc<MockContainerizer>,
    launch: Promise<LaunchResult>,
    destroy: Promise<Option<ContainerTermination>>,
    launched: Future<LaunchResult>,
    destroyed: Future<Option<ContainerTermination>>,
    _containerizer: ComposingContainerizer,
}

fn destroy_during_launch(count: usize) -> DestroyDuringLaunch {
    let launch = Promise::new();
    let destroy = Promise::new();
    let first = MockContainerizer::new(launch.future());
    *first.destroy.lock() = Some(destroy.future());
    let second = MockContainerizer::new(Future::failed("the second is never asked"));
    let mut containerizers: Vec<Arc<dyn Containerizer>> = vec![first.clone()];
    if count == 2 {
        containerizers.push(second.clone());
    }
    let containerizer = ComposingContainerizer::new(containerizers);
    let launched = containerizer.launch(&container(), config(), BTreeMap::new(), None);
    assert!(launched.is_pending());
    let destroyed = containerizer.destroy(&container());
    await_ready(&first.destroyed.future());
    DestroyDuringLaunch {
        first,
        second,
        launch,
        destroy,
        launched,
        destroyed,
        _containerizer: containerizer,
    }
}

#[test]
fn destroy_during_unsupported_launch_loop() {
    let t = destroy_during_launch(2);
    t.launch.set(LaunchResult::NotSupported);
    t.destroy.set(None);
    await_failed(&t.launched);
    assert_eq!(None, await_ready(&t.destroyed));
    assert_eq!(1, t.first.launches());
    assert_eq!(0, t.second.launches());
}

#[test]
fn destroy_during_supported_launch_loop() {
    let t = destroy_during_launch(2);
    t.launch.set(LaunchResult::Success);
    t.destroy.set(Some(ContainerTermination::default()));
    assert_eq!(LaunchResult::Success, await_ready(&t.launched));
    assert!(await_ready(&t.destroyed).is_some());
    assert_eq!(0, t.second.launches());
}

#[test]
fn destroy_after_launch_loop() {
    let t = destroy_during_launch(1);
    t.launch.set(LaunchResult::NotSupported);
    t.destroy.set(None);
    assert_eq!(LaunchResult::NotSupported, await_ready(&t.launched));
    assert_eq!(None, await_ready(&t.destroyed));
}

fn two_mocks() -> ComposingContainerizer {
    ComposingContainerizer::new(vec![
        MockContainerizer::new(Future::failed("never asked")),
        MockContainerizer::new(Future::failed("never asked")),
    ])
}

#[test]
fn destroy_unknown_container() {
    let containerizer = two_mocks();
    let id = mesos::common::id::new_container_id();
    assert_eq!(None, await_ready(&containerizer.destroy(&id)));
}

#[test]
fn wait_unknown_container() {
    let containerizer = two_mocks();
    let id = mesos::common::id::new_container_id();
    assert_eq!(None, await_ready(&containerizer.wait(&id)));
}

/// Not in Mesos: a launch goes on to the next containerizer when one
/// does not support it, and later calls go to the one that took it.
#[test]
fn launch_goes_to_the_first_that_supports_it() {
    let first = MockContainerizer::new(Future::ready(LaunchResult::NotSupported));
    let second = MockContainerizer::new(Future::ready(LaunchResult::Success));
    let destroy = Promise::new();
    *second.destroy.lock() = Some(destroy.future());
    let containerizer = ComposingContainerizer::new(vec![first.clone(), second.clone()]);
    let launched = containerizer.launch(&container(), config(), BTreeMap::new(), None);
    assert_eq!(LaunchResult::Success, await_ready(&launched));
    assert_eq!((1, 1), (first.launches(), second.launches()));
    assert_eq!(
        HashSet::from([container()]),
        await_ready(&containerizer.containers())
    );
    let destroyed = containerizer.destroy(&container());
    await_ready(&second.destroyed.future());
    assert!(first.destroyed.future().is_pending());
    destroy.set(Some(ContainerTermination::default()));
    assert!(await_ready(&destroyed).is_some());
    assert!(await_ready(&containerizer.containers()).is_empty());
}

/// `--containerizers=mesos,external`: the Mesos containerizer refuses a
/// Docker container, which the external containerizer then takes.
#[test]
fn mesos_then_external() {
    let ecp = crate::external_containerizer_test::fake_ecp::FakeEcp::new();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let work_dir = dir.path().join("work").to_string_lossy().into_owned();
    let mut flags = mesos::testing::cluster::create_slave_flags(&work_dir).expect("flags");
    flags.containerizers = "mesos,external".to_string();
    flags.containerizer_path = Some(ecp.path());
    let containerizer = mesos::slave::containerizer::create(&flags).expect("the containerizers");
    await_ready(&containerizer.recover(None));

    let sandbox = dir.path().join("sandbox");
    std::fs::create_dir_all(&sandbox).expect("mkdir");
    let config = ContainerConfig {
        directory: sandbox.to_string_lossy().into_owned(),
        container_info: Some(ContainerInfo {
            r#type: container_info::Type::Docker as i32,
            ..ContainerInfo::default()
        }),
        ..ContainerConfig::default()
    };
    let launched = containerizer.launch(&container(), config, BTreeMap::new(), None);
    assert_eq!(LaunchResult::Success, await_ready(&launched));
    assert_eq!(1, ecp.calls("launch").len());
    ecp.hold("wait");
    assert!(await_ready(&containerizer.destroy(&container())).is_some());
    assert_eq!(1, ecp.calls("destroy").len());
}
