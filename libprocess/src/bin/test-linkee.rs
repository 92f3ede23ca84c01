//! A helper for libprocess' remote tests (libprocess' `test-linkee`): a
//! second OS process with a listening runtime and one process, `linkee`,
//! that answers `ping` with `pong`. It prints the linkee's UPID on one
//! line and runs until its standard input closes.

use std::io::{BufRead, Write};

use bytes::Bytes;
use libprocess::{send, spawn_with_id, Builder, Handlers, Process};

struct Linkee;

impl Process for Linkee {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("ping", |_, from, body| {
            send(from, "pong", Bytes::copy_from_slice(body))
        });
    }
}

fn main() -> std::process::ExitCode {
    let runtime = match Builder::from_environment().and_then(|b| b.workers(2).try_build()) {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("test-linkee: {}", error);
            return std::process::ExitCode::FAILURE;
        }
    };
    let _enter = runtime.enter();
    let Some(pid) = spawn_with_id(Linkee, "linkee") else {
        eprintln!("test-linkee: could not spawn the linkee");
        return std::process::ExitCode::FAILURE;
    };
    println!("{}", pid);
    let _ = std::io::stdout().flush();
    // Serve until the parent closes our standard input (or dies).
    for line in std::io::stdin().lock().lines() {
        if line.is_err() {
            break;
        }
    }
    std::process::ExitCode::SUCCESS
}
