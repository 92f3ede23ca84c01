//! The example external containerizer programs (ECPs), `test-containerizer`
//! (examples/test_containerizer.rs) and examples/python/test_containerizer.py,
//! driven as the agent drives them: `<program> <command>` with a framed
//! protobuf on stdin and a framed reply on stdout.

use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};

use mesos::containerizer::{Containers, Destroy, Launch, Termination, Update, Usage, Wait};
use mesos::{
    container_info, environment, CommandInfo, ContainerId, ContainerInfo, Environment, ExecutorId,
    ExecutorInfo, Resource, ResourceStatistics, Resources,
};
use prost::Message;
use tempfile::TempDir;

use crate::containerizer_test::record;

/// One of the two programs, with a work directory of its own.
struct Ecp {
    program: PathBuf,
    /// What its errors start with.
    prefix: &'static str,
    /// Where it keeps its state, under the work directory.
    state: &'static str,
    /// Whether it is the full one, which logs images and measures usage
    /// in /proc (the Python one is the short version).
    full: bool,
    work_dir: TempDir,
}

/// `test-containerizer`.
fn rust() -> Ecp {
    Ecp {
        program: PathBuf::from(env!("CARGO_BIN_EXE_test-containerizer")),
        prefix: "test-containerizer: ",
        state: "test-containerizer",
        full: true,
        work_dir: tempfile::tempdir().expect("a work directory"),
    }
}

/// `test_containerizer.py`, when there is a `python3` to run it.
fn python() -> Option<Ecp> {
    let python = Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !python.is_ok_and(|status| status.success()) {
        println!("python3 is not available: skipping test_containerizer.py");
        return None;
    }
    Some(Ecp {
        program: Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/python/test_containerizer.py"),
        prefix: "test_containerizer.py: ",
        state: "test-containerizer-py",
        full: false,
        work_dir: tempfile::tempdir().expect("a work directory"),
    })
}

/// Both programs (the Python one if it can run).
fn both() -> Vec<Ecp> {
    std::iter::once(rust()).chain(python()).collect()
}

fn frame(payload: &[u8]) -> Vec<u8> {
    let mut framed = u32::try_from(payload.len())
        .expect("a small message")
        .to_ne_bytes()
        .to_vec();
    framed.extend_from_slice(payload);
    framed
}

/// The one framed `M` that is all of `stdout`.
fn unframe<M: Message + Default>(stdout: &[u8]) -> M {
    assert!(stdout.len() >= 4, "no frame in {:?}", stdout);
    let (size, payload) = stdout.split_at(4);
    let size = u32::from_ne_bytes(size.try_into().expect("4 bytes")) as usize;
    assert_eq!(size, payload.len(), "the frame is the whole output");
    M::decode(payload).expect("a decodable reply")
}

fn container_id(id: &str) -> ContainerId {
    ContainerId {
        value: id.to_string(),
        ..ContainerId::default()
    }
}

fn resources(text: &str) -> Vec<Resource> {
    Resources::from_string(text, "*").expect("resources")
}

fn shell(command: &str) -> CommandInfo {
    CommandInfo {
        value: Some(command.to_string()),
        ..CommandInfo::default()
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

impl Ecp {
    /// Runs `<program> <command>` with `stdin`, in `cwd` (the work
    /// directory if none), with the environment the agent sets.
    fn run(&self, command: &str, stdin: &[u8], cwd: Option<&Path>, env: &[(&str, &str)]) -> Output {
        let mut child = Command::new(&self.program)
            .arg(command)
            .current_dir(cwd.unwrap_or(self.work_dir.path()))
            .env("MESOS_WORK_DIRECTORY", self.work_dir.path())
            .env("MESOS_LIBEXEC_DIRECTORY", env!("CARGO_MANIFEST_DIR"))
            .env_remove("MESOS_DEFAULT_CONTAINER_IMAGE")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the ECP starts");
        let mut input = child.stdin.take().expect("stdin");
        // A program that fails early may not read it all.
        let _ = input.write_all(stdin);
        drop(input);
        // Returns once the program exited and closed its output: a
        // monitor left holding the pipes would hang this.
        child.wait_with_output().expect("the ECP's output")
    }

    fn call(&self, command: &str, message: &impl Message) -> Output {
        self.run(command, &frame(&message.encode_to_vec()), None, &[])
    }

    /// A sandbox directory for container `id`.
    fn sandbox(&self, id: &str) -> PathBuf {
        let sandbox = self.work_dir.path().join("sandboxes").join(id);
        std::fs::create_dir_all(&sandbox).expect("a sandbox");
        sandbox
    }

    /// The Launch of container `id` running `command` in its sandbox.
    fn launch_message(&self, id: &str, command: CommandInfo, resources: Vec<Resource>) -> Launch {
        Launch {
            container_id: container_id(id),
            executor_info: Some(ExecutorInfo {
                executor_id: ExecutorId {
                    value: format!("executor-{}", id),
                },
                command: Some(command),
                resources,
                ..ExecutorInfo::default()
            }),
            directory: Some(self.sandbox(id).display().to_string()),
            ..Launch::default()
        }
    }

    /// Runs `launch` as the agent does: in the sandbox.
    fn launch_with(&self, launch: &Launch, env: &[(&str, &str)]) -> Output {
        let sandbox = PathBuf::from(launch.directory.as_deref().expect("a sandbox"));
        self.run(
            "launch",
            &frame(&launch.encode_to_vec()),
            Some(&sandbox),
            env,
        )
    }

    /// Launches `command` as container `id`, which must succeed.
    fn launch(&self, id: &str, command: &str, resources: Vec<Resource>) -> PathBuf {
        let launch = self.launch_message(id, shell(command), resources);
        let output = self.launch_with(&launch, &[]);
        assert!(output.status.success(), "launch: {}", stderr(&output));
        self.sandbox(id)
    }

    /// How container `id` ended (blocks until it did).
    fn wait(&self, id: &str) -> Termination {
        let output = self.call(
            "wait",
            &Wait {
                container_id: container_id(id),
            },
        );
        assert!(output.status.success(), "wait: {}", stderr(&output));
        unframe(&output.stdout)
    }

    fn destroy(&self, id: &str) -> Output {
        self.call(
            "destroy",
            &Destroy {
                container_id: container_id(id),
            },
        )
    }

    fn usage(&self, id: &str) -> ResourceStatistics {
        let output = self.call(
            "usage",
            &Usage {
                container_id: container_id(id),
            },
        );
        assert!(output.status.success(), "usage: {}", stderr(&output));
        unframe(&output.stdout)
    }

    fn containers(&self) -> Vec<String> {
        let output = self.run("containers", &[], None, &[]);
        assert!(output.status.success(), "containers: {}", stderr(&output));
        let containers: Containers = unframe(&output.stdout);
        containers
            .containers
            .into_iter()
            .map(|id| id.value)
            .collect()
    }

    /// Container `id`'s state directory.
    fn state_dir(&self, id: &str) -> PathBuf {
        self.work_dir
            .path()
            .join(self.state)
            .join("containers")
            .join(id)
    }

    /// Asserts a failure with exit status 1 and `message` on stderr.
    fn assert_fails(&self, output: &Output, message: &str) {
        assert_eq!(output.status.code(), Some(1), "{}", stderr(output));
        let expected = format!("{}{}", self.prefix, message);
        assert!(
            stderr(output).contains(&expected),
            "expected {:?} in {:?}",
            expected,
            stderr(output)
        );
    }
}

fn exit_status(termination: &Termination) -> ExitStatus {
    ExitStatus::from_raw(termination.status.expect("a status"))
}

#[test]
fn launch_then_wait_reports_the_exit_status() {
    for ecp in both() {
        ecp.launch("exit3", "exit 3", Vec::new());
        let termination = ecp.wait("exit3");
        assert_eq!(exit_status(&termination).code(), Some(3));
        assert!(!termination.killed);
        assert_eq!(termination.message, "");
        // A second wait reports the same.
        assert_eq!(ecp.wait("exit3"), termination);
    }
}

#[test]
fn launch_reads_the_documentation_record() {
    for ecp in both() {
        // As it is: its sandbox and user are not on this machine.
        let output = ecp.run("launch", &record(), None, &[]);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        if ecp.full {
            assert!(stderr(&output).contains(
                "Launching container 435253ab-d246-47be-a350-35420465d868 without an image"
            ));
        }
        assert!(ecp.containers().is_empty());

        // With a sandbox here, and no user to switch to.
        let mut launch = Launch::decode(&record()[4..]).expect("a Launch");
        launch.directory = Some(ecp.sandbox("record").display().to_string());
        launch.user = None;
        let output = ecp.launch_with(&launch, &[]);
        assert!(output.status.success(), "launch: {}", stderr(&output));
        let id = "435253ab-d246-47be-a350-35420465d868";
        assert_eq!(exit_status(&ecp.wait(id)).code(), Some(1));
        let stdout = std::fs::read_to_string(ecp.sandbox("record").join("stdout")).expect("stdout");
        assert_eq!(stdout, "No such file or directory\n");
    }
}

#[test]
fn executor_runs_in_its_sandbox_with_its_environment() {
    for ecp in both() {
        let mut command = shell("pwd; echo \"$MESOS_SANDBOX\"; echo \"$GREETING\"; echo oops >&2");
        command.environment = Some(Environment {
            variables: vec![environment::Variable {
                name: "GREETING".to_string(),
                value: Some("hello".to_string()),
                ..environment::Variable::default()
            }],
        });
        let launch = ecp.launch_message("env", command, Vec::new());
        let output = ecp.launch_with(&launch, &[]);
        assert!(output.status.success(), "launch: {}", stderr(&output));
        assert_eq!(exit_status(&ecp.wait("env")).code(), Some(0));

        let sandbox = ecp.sandbox("env");
        let sandbox_text = sandbox
            .canonicalize()
            .expect("the sandbox")
            .display()
            .to_string();
        let stdout = std::fs::read_to_string(sandbox.join("stdout")).expect("stdout");
        assert_eq!(
            stdout,
            format!("{}\n{}\nhello\n", sandbox_text, sandbox.display())
        );
        let stderr_file = std::fs::read_to_string(sandbox.join("stderr")).expect("stderr");
        assert!(stderr_file.contains("oops\n"), "{:?}", stderr_file);
    }
}

#[test]
fn launch_logs_the_image_and_runs_a_program_with_arguments() {
    let ecp = rust();
    let command = CommandInfo {
        shell: Some(false),
        value: Some("/bin/sh".to_string()),
        arguments: vec![
            "sh".into(),
            "-c".into(),
            "echo \"$0 $1\"; exit 4".into(),
            "zero".into(),
            "one".into(),
        ],
        ..CommandInfo::default()
    };
    let launch = ecp.launch_message("program", command, Vec::new());
    let output = ecp.launch_with(&launch, &[]);
    assert!(output.status.success(), "launch: {}", stderr(&output));
    assert!(stderr(&output).contains("Launching container program without an image"));
    assert_eq!(exit_status(&ecp.wait("program")).code(), Some(4));
    let stdout = std::fs::read_to_string(ecp.sandbox("program").join("stdout")).expect("stdout");
    assert_eq!(stdout, "zero one\n");

    // The agent's --default_container_image, when it is the host.
    let launch = ecp.launch_message("host", shell("exit 0"), Vec::new());
    let output = ecp.launch_with(&launch, &[("MESOS_DEFAULT_CONTAINER_IMAGE", "host")]);
    assert!(output.status.success(), "launch: {}", stderr(&output));
    assert!(stderr(&output).contains("Launching container host with image 'host'"));
    assert_eq!(exit_status(&ecp.wait("host")).code(), Some(0));
}

#[test]
fn launch_refuses_an_image_it_cannot_run() {
    let ecp = rust();
    let message = "cannot run image 'busybox': this containerizer runs executors on the host \
                   (use no image or 'host')";

    // The executor's ContainerInfo names a Docker image.
    let mut launch = ecp.launch_message("docker", shell("exit 0"), Vec::new());
    if let Some(executor) = launch.executor_info.as_mut() {
        executor.container = Some(ContainerInfo {
            docker: Some(container_info::DockerInfo {
                image: "busybox".to_string(),
                ..container_info::DockerInfo::default()
            }),
            ..ContainerInfo::default()
        });
    }
    let output = ecp.launch_with(&launch, &[]);
    ecp.assert_fails(&output, message);
    assert!(stderr(&output).contains("Launching container docker with image 'busybox'"));
    assert!(!ecp.state_dir("docker").exists());

    // The agent's default image.
    let launch = ecp.launch_message("default", shell("exit 0"), Vec::new());
    let output = ecp.launch_with(&launch, &[("MESOS_DEFAULT_CONTAINER_IMAGE", "busybox")]);
    ecp.assert_fails(&output, message);
    assert!(ecp.containers().is_empty());
}

#[test]
fn containers_lists_the_running_ones_only() {
    for ecp in both() {
        assert!(ecp.containers().is_empty());
        ecp.launch("running", "sleep 1000", Vec::new());
        ecp.launch("done", "exit 0", Vec::new());
        ecp.wait("done");
        assert_eq!(ecp.containers(), vec!["running".to_string()]);

        assert!(ecp.destroy("running").status.success());
        ecp.wait("running");
        assert!(ecp.containers().is_empty());
    }
}

#[test]
fn destroy_kills_the_executor() {
    for ecp in both() {
        ecp.launch("sleeper", "sleep 1000", Vec::new());
        let output = ecp.destroy("sleeper");
        assert!(output.status.success(), "destroy: {}", stderr(&output));

        let termination = ecp.wait("sleeper");
        assert_eq!(exit_status(&termination).signal(), Some(9));
        assert!(!termination.killed);

        // Again, and for a container never launched: nothing to do.
        assert!(ecp.destroy("sleeper").status.success());
        assert!(ecp.destroy("unknown").status.success());
    }
}

#[test]
fn usage_reports_the_group_and_the_latest_limits() {
    for ecp in both() {
        ecp.launch("used", "sleep 1000", resources("cpus:0.5;mem:64"));
        let statistics = ecp.usage("used");
        assert!(statistics.timestamp > 0.0);
        if ecp.full {
            assert!(statistics.processes.is_some_and(|n| n >= 1));
            assert!(statistics.mem_rss_bytes.is_some_and(|rss| rss > 0));
            assert!(statistics.cpus_user_time_secs.is_some());
            assert!(statistics.cpus_system_time_secs.is_some());
        }
        assert_eq!(statistics.cpus_limit, Some(0.5));
        assert_eq!(statistics.mem_limit_bytes, Some(64 * 1024 * 1024));

        let update = Update {
            container_id: container_id("used"),
            resources: resources("cpus:2;mem:128;disk:10"),
        };
        let output = ecp.call("update", &update);
        assert!(output.status.success(), "update: {}", stderr(&output));
        assert!(stderr(&output).contains("Received 3 resource elements"));
        let statistics = ecp.usage("used");
        assert_eq!(statistics.cpus_limit, Some(2.0));
        assert_eq!(statistics.mem_limit_bytes, Some(128 * 1024 * 1024));

        ecp.destroy("used");
        ecp.wait("used");

        ecp.assert_fails(
            &ecp.call(
                "usage",
                &Usage {
                    container_id: container_id("nope"),
                },
            ),
            "Unknown container 'nope'",
        );
    }
}

#[test]
fn memory_limit_kills_a_balloon() {
    let ecp = rust();
    // `tail` keeps its whole input, which has no newline: 100MB, held
    // until the input ends. If the limit were not enforced, the executor
    // would end by itself after the sleep, unkilled.
    ecp.launch(
        "balloon",
        "{ head -c 100000000 /dev/zero; sleep 20; } | tail > /dev/null",
        resources("cpus:1;mem:32"),
    );
    let termination = ecp.wait("balloon");
    assert!(termination.killed);
    assert!(
        termination
            .message
            .starts_with("Memory limit exceeded: Requested: 32MB Maximum Used: "),
        "{:?}",
        termination.message
    );
    assert_eq!(exit_status(&termination).signal(), Some(9));
}

#[test]
fn bad_input_is_an_error() {
    for ecp in both() {
        ecp.assert_fails(
            &ecp.run("wait", &[1, 0], None, &[]),
            "Expected 4 bytes protobuf size over stdin. Received 2 bytes.",
        );
        ecp.assert_fails(
            &ecp.run("wait", &0u32.to_ne_bytes(), None, &[]),
            "Expected protobuf size over stdin. Received 0 bytes.",
        );
        let mut short = 576u32.to_ne_bytes().to_vec();
        short.extend_from_slice(&[0; 10]);
        ecp.assert_fails(
            &ecp.run("launch", &short, None, &[]),
            "Expected 576 bytes protobuf over stdin. Received 10 bytes.",
        );
        // A length-delimited field whose length is cut off.
        ecp.assert_fails(
            &ecp.run("wait", &frame(&[0x0a, 0xff]), None, &[]),
            "Could not deserialise",
        );
        ecp.assert_fails(
            &ecp.call(
                "destroy",
                &Destroy {
                    container_id: container_id("../escape"),
                },
            ),
            "Invalid container id",
        );
        ecp.assert_fails(
            &ecp.call(
                "wait",
                &Wait {
                    container_id: container_id("nope"),
                },
            ),
            "Unknown container 'nope'",
        );

        let output = Command::new(&ecp.program)
            .arg("containers")
            .env_remove("MESOS_WORK_DIRECTORY")
            .output()
            .expect("the ECP runs");
        ecp.assert_fails(&output, "MESOS_WORK_DIRECTORY is not set");

        let output = Command::new(&ecp.program)
            .arg("frobnicate")
            .output()
            .expect("the ECP runs");
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains("Usage: "));
        let output = Command::new(&ecp.program).output().expect("the ECP runs");
        assert_eq!(output.status.code(), Some(2));
        let output = Command::new(&ecp.program)
            .arg("--help")
            .output()
            .expect("the ECP runs");
        assert!(output.status.success());
        assert!(String::from_utf8_lossy(&output.stdout)
            .contains("launch, update, usage, wait, destroy, containers, recover"));
    }
}

#[test]
fn recover_removes_ended_containers() {
    for ecp in both() {
        ecp.launch("alive", "sleep 1000", Vec::new());
        ecp.launch("ended", "exit 0", Vec::new());
        ecp.wait("ended");

        let output = ecp.run("recover", &[], None, &[]);
        assert!(output.status.success(), "recover: {}", stderr(&output));
        assert!(!ecp.state_dir("ended").exists());
        assert!(ecp.state_dir("alive").exists());
        assert_eq!(ecp.containers(), vec!["alive".to_string()]);

        ecp.destroy("alive");
        ecp.wait("alive");
        assert!(ecp.run("recover", &[], None, &[]).status.success());
        assert!(!ecp.state_dir("alive").exists());
    }
}

#[test]
fn recover_removes_a_container_whose_monitor_died() {
    let ecp = rust();
    ecp.launch("orphan", "sleep 1000", Vec::new());
    let monitor: i32 = std::fs::read_to_string(ecp.state_dir("orphan").join("monitor"))
        .expect("the monitor's pid")
        .trim()
        .parse()
        .expect("a pid");
    let executor: i32 = std::fs::read_to_string(ecp.state_dir("orphan").join("pid"))
        .expect("the executor's pid")
        .trim()
        .parse()
        .expect("a pid");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(monitor),
        nix::sys::signal::SIGKILL,
    )
    .expect("the monitor is killed");

    // `wait` blocks until the monitor's lock goes with it.
    let output = ecp.call(
        "wait",
        &Wait {
            container_id: container_id("orphan"),
        },
    );
    ecp.assert_fails(
        &output,
        "Container 'orphan' has no exit status: its monitor died",
    );

    let output = ecp.run("recover", &[], None, &[]);
    assert!(output.status.success(), "recover: {}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!(
            "Removed container 'orphan': its monitor (pid {}) is gone",
            monitor
        )),
        "{}",
        stderr(&output)
    );
    assert!(!ecp.state_dir("orphan").exists());
    // Its executor was killed. It is nobody's child here: libprocess'
    // reaper reports it `None` once it is gone (or a zombie).
    let _runtime = libprocess::testing::runtime();
    let ended = libprocess::reap(executor);
    assert_eq!(None, libprocess::testing::await_ready(&ended));
}

#[test]
fn launch_runs_the_executor_as_the_launch_user() {
    if !nix::unistd::geteuid().is_root() {
        println!("not root: skipping the switch to another user");
        return;
    }
    let ecp = rust();
    let nobody = nix::unistd::User::from_name("nobody")
        .ok()
        .flatten()
        .expect("a user 'nobody'");
    // The user needs to reach its sandbox.
    let open = |path: &Path| {
        std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o777))
            .expect("permissions");
    };
    let mut launch = ecp.launch_message("as-nobody", shell("id -u"), Vec::new());
    open(ecp.work_dir.path());
    open(&ecp.work_dir.path().join("sandboxes"));
    open(&ecp.sandbox("as-nobody"));
    launch.user = Some("nobody".to_string());
    let output = ecp.launch_with(&launch, &[]);
    assert!(output.status.success(), "launch: {}", stderr(&output));
    assert_eq!(exit_status(&ecp.wait("as-nobody")).code(), Some(0));
    let stdout = std::fs::read_to_string(ecp.sandbox("as-nobody").join("stdout")).expect("stdout");
    assert_eq!(stdout.trim(), nobody.uid.to_string());

    let mut launch = ecp.launch_message("as-nobody-else", shell("id -u"), Vec::new());
    launch.user = Some("no-such-user-here".to_string());
    ecp.assert_fails(
        &ecp.launch_with(&launch, &[]),
        "Unknown user 'no-such-user-here'",
    );
}
