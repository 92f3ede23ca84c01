//! libprocess' `ProcessRemoteLinkTest`: links to a process in another OS
//! process (the `test-linkee` helper), over a real socket.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use libprocess::testing;
use libprocess::{
    dispatch, link, link_with, send, spawn, terminate, wait, Builder, Handlers, Message, Process,
    Promise, RemoteConnection, PID, UPID,
};

/// Starts the helper on loopback and reads the linkee's UPID.
fn linkee() -> (Child, UPID) {
    linkee_with(&[])
}

/// Starts the helper on loopback with `environment` added to its own.
pub(crate) fn linkee_with(environment: &[(String, String)]) -> (Child, UPID) {
    start_linkee(&[], environment)
}

/// Starts the helper as libprocess' own linkee: a bare socket that never
/// answers, and exits when it receives anything.
fn raw_linkee() -> (Child, UPID) {
    start_linkee(&["--raw"], &[])
}

fn start_linkee(arguments: &[&str], environment: &[(String, String)]) -> (Child, UPID) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_test-linkee"))
        .args(arguments)
        .env("LIBPROCESS_IP", "127.0.0.1")
        .env_remove("LIBPROCESS_PORT")
        .envs(environment.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the helper starts");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().expect("piped"))
        .read_line(&mut line)
        .expect("the helper prints its UPID");
    let pid = UPID::parse(line.trim()).expect("a UPID");
    (child, pid)
}

/// Links to `pid`, pings it, reports the pong and `exited`.
pub(crate) struct Linker {
    pub(crate) pid: UPID,
    pub(crate) pong: Option<Promise<Message>>,
    pub(crate) exited: Option<Promise<UPID>>,
}

impl Process for Linker {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install_message("pong", |l: &mut Linker, m: &Message| {
            if let Some(pong) = l.pong.take() {
                pong.set(m.clone());
            }
        });
        link(&self.pid);
        send(&self.pid, "ping", "hello");
    }

    fn exited(&mut self, pid: &UPID) {
        if let Some(exited) = self.exited.take() {
            exited.set(pid.clone());
        }
    }
}

#[test]
fn remote_link() {
    let _rt = testing::runtime_with(
        Builder::default()
            .workers(2)
            .listen("127.0.0.1:0".parse().unwrap()),
    );
    let (mut child, pid) = linkee();
    let (pong, exited) = (Promise::new(), Promise::new());
    let (pong_future, exited_future) = (pong.future(), exited.future());
    let linker = spawn(Linker {
        pid: pid.clone(),
        pong: Some(pong),
        exited: Some(exited),
    });

    // The peer answers over its own connection to us.
    let message = testing::await_ready(&pong_future);
    assert_eq!(message.from, pid);
    assert_eq!(&message.body[..], b"hello");
    assert!(exited_future.is_pending());

    // The linkee's OS process dies: the linked connection breaks.
    child.kill().expect("kills the helper");
    child.wait().expect("reaps the helper");
    testing::await_eq(pid, &exited_future);

    terminate(&linker, true);
    wait(&linker, None);
}

/// libprocess' `RemoteLinkTestProcess`: links or relinks on request and
/// counts the `exited` events it gets.
struct RemoteLinkTestProcess {
    pid: UPID,
    exited: Vec<UPID>,
    first: Option<Promise<UPID>>,
}

impl Process for RemoteLinkTestProcess {
    fn exited(&mut self, pid: &UPID) {
        self.exited.push(pid.clone());
        if let Some(first) = self.first.take() {
            first.set(pid.clone());
        }
    }
}

impl RemoteLinkTestProcess {
    fn linkup(&mut self) {
        link(&self.pid);
    }

    fn relink(&mut self) {
        link_with(&self.pid, RemoteConnection::Reconnect);
    }

    fn ping_linkee(&mut self) {
        send(&self.pid, "ping", "");
    }
}

fn listening() -> testing::TestRuntime {
    testing::runtime_with(
        Builder::default()
            .workers(2)
            .listen("127.0.0.1:0".parse().expect("an address")),
    )
}

fn remote_link_test_process(pid: &UPID) -> (PID<RemoteLinkTestProcess>, libprocess::Future<UPID>) {
    let first = Promise::new();
    let exited = first.future();
    let process = spawn(RemoteLinkTestProcess {
        pid: pid.clone(),
        exited: Vec::new(),
        first: Some(first),
    });
    (process, exited)
}

/// Kills the helper, waits for the `exited` event, and checks that it was
/// the only one.
fn kill_and_expect_one_exited(
    mut child: Child,
    linkee: &UPID,
    process: &PID<RemoteLinkTestProcess>,
    exited: &libprocess::Future<UPID>,
) {
    assert!(exited.is_pending());
    child.kill().expect("kills the helper");
    child.wait().expect("reaps the helper");
    testing::await_eq(linkee.clone(), exited);
    // Served after any other exited event already queued.
    let all = testing::await_ready(&dispatch(process, |p| p.exited.clone()));
    assert_eq!(vec![linkee.clone()], all);
    terminate(process, false);
    wait(process, None);
}

#[test]
fn remote_relink() {
    let _rt = listening();
    let (child, pid) = linkee();
    let (process, exited) = remote_link_test_process(&pid);
    testing::await_ready(&dispatch(&process, |p| p.relink()));
    kill_and_expect_one_exited(child, &pid, &process, &exited);
}

#[test]
fn remote_link_relink() {
    let _rt = listening();
    let (child, pid) = linkee();
    let (process, exited) = remote_link_test_process(&pid);
    testing::await_ready(&dispatch(&process, |p| p.linkup()));
    testing::await_ready(&dispatch(&process, |p| p.relink()));
    kill_and_expect_one_exited(child, &pid, &process, &exited);
}

#[test]
fn remote_double_link_relink() {
    let _rt = listening();
    let (child, pid) = linkee();
    let (linker, linker_exited) = remote_link_test_process(&pid);
    let (relinker, relinker_exited) = remote_link_test_process(&pid);
    testing::await_ready(&dispatch(&linker, |p| p.linkup()));
    testing::await_ready(&dispatch(&relinker, |p| p.linkup()));
    testing::await_ready(&dispatch(&relinker, |p| p.relink()));

    // The relink carried the other linker over to the new connection.
    let mut child = child;
    child.kill().expect("kills the helper");
    child.wait().expect("reaps the helper");
    testing::await_eq(pid.clone(), &linker_exited);
    testing::await_eq(pid.clone(), &relinker_exited);
    for process in [&linker, &relinker] {
        let all = testing::await_ready(&dispatch(process, |p| p.exited.clone()));
        assert_eq!(vec![pid.clone()], all);
        terminate(process, false);
        wait(process, None);
    }
}

// The C++ test exhausts file descriptors so that creating the socket
// fails; here the connection cannot be made (nothing listens on the
// port). Either way a link that cannot be made reports `exited`.
#[test]
fn remote_link_leak() {
    let _rt = listening();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let address = match closed.local_addr().expect("bound") {
        std::net::SocketAddr::V4(address) => address,
        other => panic!("not IPv4: {}", other),
    };
    drop(closed);
    let pid = UPID::new("linkee", address);
    let (process, exited) = remote_link_test_process(&pid);
    testing::await_ready(&dispatch(&process, |p| p.linkup()));
    testing::await_eq(pid.clone(), &exited);
    terminate(&process, false);
    wait(&process, None);
}

// The link's socket goes stale unbeknownst to the transport (its write
// side shut down, the linkee none the wiser and silent): nothing is
// noticed until the next send fails, which breaks the link.
#[test]
fn remote_use_stale_link() {
    let _rt = listening();
    let (mut child, pid) = raw_linkee();
    let (process, exited) = remote_link_test_process(&pid);
    let stale = testing::stale_next_connection(pid.address());
    testing::await_ready(&dispatch(&process, |p| p.linkup()));
    testing::await_ready(&stale);
    assert!(exited.is_pending());

    testing::await_ready(&dispatch(&process, |p| p.ping_linkee()));
    testing::await_eq(pid.clone(), &exited);
    let all = testing::await_ready(&dispatch(&process, |p| p.exited.clone()));
    assert_eq!(vec![pid], all);
    terminate(&process, false);
    wait(&process, None);
    // Nothing reached the linkee so far (it exits on any bytes).
    assert!(child.try_wait().expect("polls the helper").is_none());
    child.kill().expect("kills the helper");
    child.wait().expect("reaps the helper");
}

// A relinked connection carries the messages sent after the relink: the
// linkee still answers, over its own connection to us.
#[test]
fn remote_stale_link_relink() {
    let _rt = listening();
    let (child, pid) = linkee();
    let (process, exited) = remote_link_test_process(&pid);
    testing::await_ready(&dispatch(&process, |p| p.linkup()));
    testing::await_ready(&dispatch(&process, |p| p.relink()));
    let pong = testing::future_message("pong", &pid, &process);
    testing::await_ready(&dispatch(&process, |p| p.ping_linkee()));
    testing::await_ready(&pong);
    kill_and_expect_one_exited(child, &pid, &process, &exited);
}

/// Sends `count` pings to `to` at once and completes `done` when every
/// pong came back.
struct Burst {
    to: UPID,
    count: usize,
    pongs: usize,
    done: Option<Promise<()>>,
}

impl Process for Burst {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("pong", |b: &mut Burst, _, _| {
            b.pongs += 1;
            if b.pongs == b.count {
                if let Some(done) = b.done.take() {
                    done.set(());
                }
            }
        });
        for _ in 0..self.count {
            send(&self.to, "ping", &[b'x'; 64][..]);
        }
    }
}

/// 20,000 pings to the helper (started with `environment`) from a runtime
/// with `ssl`, and every pong back: nothing is lost either way, though
/// neither side is linked (the helper's temporary connections close and
/// reopen as they drain).
pub(crate) fn burst_between_os_processes(
    ssl: libprocess::ssl::Flags,
    environment: &[(String, String)],
) {
    let runtime = Builder::default()
        .workers(2)
        .listen("127.0.0.1:0".parse().unwrap())
        .ssl(ssl)
        .build();
    let _enter = runtime.enter();
    let (mut child, pid) = linkee_with(environment);
    let done = Promise::new();
    let future = done.future();
    let burst = spawn(Burst {
        to: pid,
        count: 20_000,
        pongs: 0,
        done: Some(done),
    });
    testing::await_ready(&future);
    terminate(&burst, true);
    wait(&burst, None);
    child.kill().expect("kills the helper");
    child.wait().expect("reaps the helper");
}
