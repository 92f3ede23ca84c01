//! Mesos' `PathsTest` (`paths_tests.cpp`): the agent's work_dir layout.

use std::os::unix::fs::{MetadataExt, PermissionsExt};

use mesos::slave::paths;
use mesos::{ContainerId, ExecutorId, FrameworkId, SlaveId, TaskId};
use stout::path::join_all;

struct Fixture {
    _dir: tempfile::TempDir,
    root: String,
    slave_id: SlaveId,
    framework_id: FrameworkId,
    executor_id: ExecutorId,
    task_id: TaskId,
    container_id: ContainerId,
}

fn fixture() -> Fixture {
    // Container IDs come from the runtime's random source.
    let _runtime = libprocess::testing::runtime();
    let dir = tempfile::tempdir().expect("a temporary directory");
    Fixture {
        root: dir.path().to_string_lossy().into_owned(),
        _dir: dir,
        slave_id: SlaveId {
            value: "agent1".to_string(),
        },
        framework_id: FrameworkId {
            value: "framework1".to_string(),
        },
        executor_id: ExecutorId {
            value: "executor1".to_string(),
        },
        task_id: TaskId {
            value: "task1".to_string(),
        },
        container_id: mesos::common::id::new_container_id(),
    }
}

impl Fixture {
    fn run_path(&self, root: &str) -> String {
        paths::get_executor_run_path(
            root,
            &self.slave_id,
            &self.framework_id,
            &self.executor_id,
            &self.container_id,
        )
    }
}

#[test]
fn create_executor_directory() {
    let f = fixture();
    let directory = paths::create_executor_directory(
        &f.root,
        &f.slave_id,
        &f.framework_id,
        &f.executor_id,
        &f.container_id,
        None,
    )
    .expect("created");
    let expected = join_all([
        f.root.as_str(),
        "slaves",
        "agent1",
        "frameworks",
        "framework1",
        "executors",
        "executor1",
        "runs",
        &f.container_id.value,
    ]);
    assert_eq!(directory, expected);

    let metadata = std::fs::metadata(&directory).expect("exists");
    assert_eq!(metadata.permissions().mode() & 0o777, 0o750);
    let latest =
        paths::get_executor_latest_run_path(&f.root, &f.slave_id, &f.framework_id, &f.executor_id);
    assert_eq!(
        std::fs::read_link(&latest).expect("a link"),
        std::path::PathBuf::from(&directory)
    );

    // A new run moves the link.
    let second = mesos::common::id::new_container_id();
    let directory = paths::create_executor_directory(
        &f.root,
        &f.slave_id,
        &f.framework_id,
        &f.executor_id,
        &second,
        None,
    )
    .expect("created");
    assert_eq!(
        std::fs::read_link(&latest).expect("a link"),
        std::path::PathBuf::from(&directory)
    );
    let runs = paths::get_executor_run_paths(&f.root, &f.slave_id, &f.framework_id, &f.executor_id)
        .expect("listed");
    assert_eq!(runs.len(), 3, "two runs and the link: {:?}", runs);

    // IDs that could name a directory elsewhere are refused.
    let bad = ExecutorId {
        value: "../x".to_string(),
    };
    assert!(paths::create_executor_directory(
        &f.root,
        &f.slave_id,
        &f.framework_id,
        &bad,
        &second,
        None
    )
    .is_err());
}

#[test]
fn create_executor_directory_for_a_user() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("Skipped: chown needs root");
        return;
    }
    let Ok(Some(nobody)) = nix::unistd::User::from_name("nobody") else {
        eprintln!("Skipped: no user 'nobody'");
        return;
    };
    let f = fixture();
    let directory = paths::create_executor_directory(
        &f.root,
        &f.slave_id,
        &f.framework_id,
        &f.executor_id,
        &f.container_id,
        Some("nobody"),
    )
    .expect("created");
    let metadata = std::fs::metadata(&directory).expect("exists");
    assert_eq!(metadata.uid(), nobody.uid.as_raw());
    assert_eq!(metadata.gid(), nobody.gid.as_raw());

    let error =
        paths::create_sandbox_directory(&format!("{}/other", f.root), Some("no-such-user-here"))
            .expect_err("unknown user");
    assert!(error
        .to_string()
        .starts_with("Failed to chown directory to 'no-such-user-here'"));
    assert!(!std::path::Path::new(&format!("{}/other", f.root)).exists());
}

#[test]
fn parse_executor_run_path() {
    let f = fixture();
    let good = f.run_path(&f.root);
    let bad1 = paths::get_executor_path(
        "/some/other/root",
        &f.slave_id,
        &f.framework_id,
        &f.executor_id,
    );
    let bad2 = paths::get_executor_path(&f.root, &f.slave_id, &f.framework_id, &f.executor_id);
    let bad3 = join_all([
        f.root.as_str(),
        "notslaves",
        "agent1",
        "notframeworks",
        "framework1",
        "notexecutors",
        "executor1",
        "notruns",
        &f.container_id.value,
    ]);

    let path = paths::parse_executor_run_path(&f.root, &good).expect("parses");
    assert_eq!(path.slave_id, f.slave_id);
    assert_eq!(path.framework_id, f.framework_id);
    assert_eq!(path.executor_id, f.executor_id);
    assert_eq!(path.container_id, f.container_id);

    assert!(paths::parse_executor_run_path(&f.root, &bad1).is_err());
    assert!(paths::parse_executor_run_path(&f.root, &bad2).is_err());
    assert!(paths::parse_executor_run_path(&f.root, &bad3).is_err());
}

#[test]
fn meta() {
    let f = fixture();
    assert_eq!(
        paths::get_meta_root_dir(&f.root),
        format!("{}/meta", f.root)
    );
}

#[test]
fn provisioner_dir() {
    let f = fixture();
    assert_eq!(
        paths::get_provisioner_dir(&f.root),
        format!("{}/provisioner", f.root)
    );
}

#[test]
fn boot_id() {
    let f = fixture();
    assert_eq!(
        paths::get_boot_id_path(&f.root),
        format!("{}/boot_id", f.root)
    );
}

#[test]
fn slave() {
    let f = fixture();
    let slaves = format!("{}/slaves", f.root);
    assert_eq!(
        paths::get_latest_slave_path(&f.root),
        format!("{}/latest", slaves)
    );
    assert_eq!(
        paths::get_slave_path(&f.root, &f.slave_id),
        format!("{}/agent1", slaves)
    );
    assert_eq!(
        paths::get_slave_info_path(&f.root, &f.slave_id),
        format!("{}/agent1/slave.info", slaves)
    );
    let directory = paths::create_slave_directory(&f.root, &f.slave_id).expect("created");
    assert_eq!(
        std::fs::read_link(paths::get_latest_slave_path(&f.root)).expect("a link"),
        std::path::PathBuf::from(directory)
    );
}

#[test]
fn framework() {
    let f = fixture();
    let frameworks = format!("{}/frameworks", paths::get_slave_path(&f.root, &f.slave_id));
    let framework = format!("{}/framework1", frameworks);
    assert_eq!(
        paths::get_framework_path(&f.root, &f.slave_id, &f.framework_id),
        framework
    );
    assert_eq!(
        paths::get_framework_info_path(&f.root, &f.slave_id, &f.framework_id),
        format!("{}/framework.info", framework)
    );
    assert_eq!(
        paths::get_framework_pid_path(&f.root, &f.slave_id, &f.framework_id),
        format!("{}/framework.pid", framework)
    );
}

#[test]
fn executor() {
    let f = fixture();
    let executors = format!(
        "{}/executors",
        paths::get_framework_path(&f.root, &f.slave_id, &f.framework_id)
    );
    assert_eq!(
        paths::get_executor_path(&f.root, &f.slave_id, &f.framework_id, &f.executor_id),
        format!("{}/executor1", executors)
    );
    assert_eq!(
        f.run_path(&f.root),
        format!("{}/executor1/runs/{}", executors, f.container_id.value)
    );
    assert_eq!(
        paths::get_executor_info_path(&f.root, &f.slave_id, &f.framework_id, &f.executor_id),
        format!("{}/executor1/executor.info", executors)
    );
    assert_eq!(
        paths::get_executor_sentinel_path(
            &f.root,
            &f.slave_id,
            &f.framework_id,
            &f.executor_id,
            &f.container_id
        ),
        format!("{}/executor.sentinel", f.run_path(&f.root))
    );
    assert_eq!(
        paths::get_executor_virtual_path(&f.framework_id, &f.executor_id),
        "/frameworks/framework1/executors/executor1/runs/latest"
    );
}

#[test]
fn lib_process_pid() {
    let f = fixture();
    assert_eq!(
        paths::get_libprocess_pid_path(
            &f.root,
            &f.slave_id,
            &f.framework_id,
            &f.executor_id,
            &f.container_id
        ),
        format!("{}/pids/libprocess.pid", f.run_path(&f.root))
    );
    assert_eq!(
        paths::get_forked_pid_path(
            &f.root,
            &f.slave_id,
            &f.framework_id,
            &f.executor_id,
            &f.container_id
        ),
        format!("{}/pids/forked.pid", f.run_path(&f.root))
    );
}

#[test]
fn task() {
    let f = fixture();
    let meta = paths::get_meta_root_dir(&f.root);
    let task = format!("{}/tasks/task1", f.run_path(&meta));
    let args = (
        &f.slave_id,
        &f.framework_id,
        &f.executor_id,
        &f.container_id,
        &f.task_id,
    );
    assert_eq!(
        paths::get_task_path(&meta, args.0, args.1, args.2, args.3, args.4),
        task
    );
    assert_eq!(
        paths::get_task_info_path(&meta, args.0, args.1, args.2, args.3, args.4),
        format!("{}/task.info", task)
    );
    assert_eq!(
        paths::get_task_updates_path(&meta, args.0, args.1, args.2, args.3, args.4),
        format!("{}/task.updates", task)
    );
    assert_eq!(
        paths::get_task_paths(&meta, args.0, args.1, args.2, args.3).expect("no tasks yet"),
        Vec::<String>::new()
    );
}
