//! libprocess' `ProcessRemoteLinkTest`: links to a process in another OS
//! process (the `test-linkee` helper), over a real socket.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use libprocess::testing;
use libprocess::{
    link, send, spawn, terminate, wait, Builder, Handlers, Message, Process, Promise, UPID,
};

/// Starts the helper on loopback and reads the linkee's UPID.
fn linkee() -> (Child, UPID) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_test-linkee"))
        .env("LIBPROCESS_IP", "127.0.0.1")
        .env_remove("LIBPROCESS_PORT")
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
struct Linker {
    pid: UPID,
    pong: Option<Promise<Message>>,
    exited: Option<Promise<UPID>>,
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
