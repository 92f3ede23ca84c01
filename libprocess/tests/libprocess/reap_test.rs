//! `ReapTest.*` (reap_tests.cpp). Children are started with
//! `std::process::Command`, which never reaps them by itself, as stout's
//! `Fork`/`Exec` in the originals.

// `reap` is what reaps them.
#![allow(clippy::zombie_processes)]

use std::io::Read;
use std::process::{Command, Stdio};

use libprocess::testing;
use libprocess::{reap, Clock, Future, MAX_REAP_INTERVAL};
use nix::sys::signal::{kill, Signal};
use nix::sys::wait::{waitid, Id, WaitPidFlag};
use nix::unistd::Pid;

/// Advances the paused clock until the reaper has reported.
fn advance_until_reaped(status: &Future<Option<i32>>) {
    while status.is_pending() && !status.is_abandoned() {
        Clock::advance(MAX_REAP_INTERVAL);
        Clock::settle();
    }
}

#[test]
fn non_child_process() {
    let _rt = testing::runtime();
    // The child starts a grandchild that sleeps, prints its pid and exits;
    // the grandchild is then re-parented away from us.
    let mut child = Command::new("sh")
        .args(["-c", "sleep 10 >/dev/null 2>&1 & echo $!"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("sh starts");
    let mut output = String::new();
    child
        .stdout
        .take()
        .expect("a pipe")
        .read_to_string(&mut output)
        .expect("the grandchild's pid");
    let grandchild: i32 = output.trim().parse().expect("a pid");

    let status = reap(grandchild);
    assert!(status.is_pending());

    kill(Pid::from_raw(grandchild), Signal::SIGKILL).expect("the grandchild is killed");

    Clock::pause();
    advance_until_reaped(&status);

    // Not our child: no status.
    assert_eq!(None, testing::await_ready(&status));

    // Reap the child too.
    let status = reap(child.id() as i32);
    advance_until_reaped(&status);
    testing::await_wexitstatus_eq(0, &status);

    Clock::resume();
}

#[test]
fn child_process() {
    let _rt = testing::runtime();
    let pid = sleeping_child();

    let status = reap(pid);

    kill(Pid::from_raw(pid), Signal::SIGKILL).expect("the child is killed");

    Clock::pause();
    advance_until_reaped(&status);

    testing::await_wtermsig_eq(libc_sigkill(), &status);

    Clock::resume();
}

#[test]
fn terminated_child_process() {
    let _rt = testing::runtime();
    let child = Command::new("sh")
        .args(["-c", "exit 0"])
        .spawn()
        .expect("sh starts");
    let pid = child.id() as i32;

    // Wait until it is a zombie, without reaping it (WNOWAIT): no sleep.
    waitid(
        Id::Pid(Pid::from_raw(pid)),
        WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT,
    )
    .expect("the child exits");
    let process = stout::os::process(pid)
        .expect("/proc is readable")
        .expect("the child is not reaped yet");
    assert!(process.zombie);

    let status = reap(pid);

    Clock::pause();
    advance_until_reaped(&status);

    testing::await_wexitstatus_eq(0, &status);

    Clock::resume();
}

/// Not in the original: a process that is already gone is `None` at once,
/// and a pid that names a process group is refused.
#[test]
fn gone_process_and_invalid_pid() {
    let _rt = testing::runtime();
    let mut child = Command::new("true").spawn().expect("true starts");
    let pid = child.id() as i32;
    child.wait().expect("reaped here");

    assert_eq!(None, testing::await_ready(&reap(pid)));
    testing::await_failed(&reap(0));
    testing::await_failed(&reap(-1));
}

/// Not in the original: where the kernel has pidfds (Linux 5.3), a child
/// is reaped as soon as it ends, with no poll: here the clock stays
/// paused and never advances.
#[test]
fn child_reaped_when_it_ends() {
    let _rt = testing::runtime();
    Clock::pause();
    let pid = sleeping_child();
    let status = reap(pid);
    Clock::settle();
    assert!(status.is_pending());

    kill(Pid::from_raw(pid), Signal::SIGKILL).expect("the child is killed");
    testing::await_wtermsig_eq(libc_sigkill(), &status);
    Clock::resume();
}

/// A child that sleeps for 10 s (not waited for by `Command`): its pid.
fn sleeping_child() -> i32 {
    let child = Command::new("sleep")
        .arg("10")
        .spawn()
        .expect("sleep starts");
    child.id() as i32
}

fn libc_sigkill() -> i32 {
    Signal::SIGKILL as i32
}
