use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use stout::os;

#[test]
fn environment() {
    std::env::set_var("SOME_SPECIAL_FLAG", "--flag=foobar");
    let environment = os::environment();
    for (key, value) in std::env::vars() {
        assert_eq!(environment.get(&key), Some(&value), "{key}");
    }
    assert_eq!(
        environment.get("SOME_SPECIAL_FLAG").map(String::as_str),
        Some("--flag=foobar")
    );
}

#[test]
fn trivial_environment() {
    std::env::set_var("test_key1", "value");
    assert_eq!(
        os::environment().get("test_key1").map(String::as_str),
        Some("value")
    );
    std::env::set_var("test_key1", "");
    assert_eq!(
        os::environment().get("test_key1").map(String::as_str),
        Some("")
    );
}

#[test]
fn system() {
    assert_eq!(os::system("exit 0").unwrap(), Some(0));
    assert_eq!(os::system("sleep 0").unwrap(), Some(0));
    assert_ne!(os::system("exit 1").unwrap(), Some(0));
    assert_ne!(os::system("invalid.command 2>/dev/null").unwrap(), Some(0));
    assert_eq!(os::system("").unwrap(), Some(0));
    assert_eq!(os::system(" ").unwrap(), Some(0));
}

#[test]
fn boot_id() {
    let id = os::boot_id().unwrap();
    assert!(!id.is_empty());
    let raw = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").unwrap();
    assert_eq!(id, raw.trim());
}

#[test]
fn process_exists() {
    assert!(os::exists_process(std::process::id() as i32));
    assert!(os::exists_process(1));

    let mut child = Command::new("sleep").arg("10").spawn().unwrap();
    let pid = child.id() as i32;
    assert!(os::exists_process(pid));
    child.kill().unwrap();
    // Killed but not reaped: a zombie still exists.
    assert!(os::exists_process(pid));
    let status = child.wait().unwrap();
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9)
    );
    assert!(!os::exists_process(pid));
    assert_eq!(os::process(pid).unwrap(), None);
}

#[test]
fn user() {
    let expected = os::shell("id -un").unwrap();
    assert_eq!(os::user().unwrap(), expected.trim());
}

#[test]
fn trivial_user() {
    assert!(!os::user().unwrap().is_empty());
}

#[test]
fn shell() {
    assert_eq!(os::shell("echo 'hello world'").unwrap(), "hello world\n");
    assert!(os::shell("foobar 2>/dev/null").is_err());
    assert!(os::shell("LC_ALL=C ls /tmp/foobar889076 2>&1 || true")
        .unwrap()
        .contains("No such file or directory"));

    let dir = tempfile::tempdir().unwrap();
    let page = 4096;
    let file = dir.path().join("file");
    let contents = "c".repeat(2 * page);
    os::write(&file, &contents).unwrap();
    assert_eq!(
        os::shell(&format!("cat {}", file.display())).unwrap(),
        contents
    );

    let touched = dir.path().join("touched");
    assert_eq!(
        os::shell(&format!("touch {}", touched.display())).unwrap(),
        ""
    );
    assert!(os::exists(&touched));
    assert_eq!(os::shell(&format!("rm {}", touched.display())).unwrap(), "");
    assert!(!os::exists(&touched));
}

#[test]
fn which() {
    assert!(os::which("sh").is_some());
    assert_eq!(os::which("bar"), None);
}

/// Starts `sh -c script`, where the script prints `ready` once it has
/// started its own children, and returns after reading that line.
fn spawn_tree(script: &str) -> std::process::Child {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "ready\n");
    child
}

// Other tests of this binary spawn children concurrently, so this checks
// membership rather than stout's exact sets.
#[test]
fn children() {
    let me = std::process::id() as i32;
    let mut child = spawn_tree("sleep 10 & echo ready; wait");
    let pid = child.id() as i32;

    let grandchildren = os::children(pid, false).unwrap();
    assert_eq!(grandchildren.len(), 1);
    let direct = os::children(me, false).unwrap();
    assert!(direct.contains(&pid));
    assert!(direct.is_disjoint(&grandchildren));
    let recursive = os::children(me, true).unwrap();
    assert!(recursive.contains(&pid));
    assert!(recursive.is_superset(&grandchildren));

    os::killtree(pid, 9, false, false).unwrap();
    child.wait().unwrap();
}

// A reduced form of stout's `OsTest.Killtree`: a shell with two sleeping
// children is killed as one tree, and every process in it dies. This test
// process becomes a child subreaper, so the orphaned grandchildren are
// reparented to it and can be waited for instead of polled.
#[test]
fn killtree() {
    nix::sys::prctl::set_child_subreaper(true).unwrap();
    let mut child = spawn_tree("sleep 100 & sleep 100 & echo ready; wait");
    let pid = child.id() as i32;
    let grandchildren = os::children(pid, false).unwrap();
    assert_eq!(grandchildren.len(), 2);

    let trees = os::killtree(pid, 9, false, false).unwrap();
    assert_eq!(trees.len(), 1);
    assert_eq!(trees[0].process.pid, pid);
    assert_eq!(trees[0].children.len(), 2);
    for grandchild in &grandchildren {
        assert!(trees[0].contains(*grandchild));
    }

    let status = child.wait().unwrap();
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9)
    );
    for grandchild in grandchildren {
        let status = nix::sys::wait::waitpid(nix::unistd::Pid::from_raw(grandchild), None).unwrap();
        assert_eq!(
            status,
            nix::sys::wait::WaitStatus::Signaled(
                nix::unistd::Pid::from_raw(grandchild),
                nix::sys::signal::Signal::SIGKILL,
                false
            )
        );
    }
}

#[test]
fn hostname() {
    let name = os::hostname().unwrap();
    assert!(!name.is_empty());
    assert_eq!(name, os::shell("hostname").unwrap().trim());
}
