//! A helper for libprocess' remote tests (libprocess' `test-linkee`): a
//! second OS process with a listening runtime and one process, `linkee`,
//! that answers `ping` with `pong` (and panics on `panic`). It prints the linkee's UPID on one
//! line and runs until its standard input closes.
//!
//! `test-linkee <upid>` instead pings the linkee at `<upid>` once, prints
//! who answered and exits (1 when no answer came within 30 seconds): two
//! OS processes talking, e.g. over TLS with `LIBPROCESS_SSL_*` set.
//!
//! `test-linkee --raw` is libprocess' own `test-linkee`: no runtime, a
//! bare socket on `LIBPROCESS_IP` that takes connections and never
//! answers nor closes them (also not when the peer shuts its side down),
//! and exits with success as soon as any bytes arrive. It prints a UPID
//! naming `linkee` at that socket, for the stale-link tests.

use std::io::{BufRead, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::process::ExitCode;

use bytes::Bytes;
use libprocess::{send, spawn_with_id, Builder, Handlers, Message, Process, Promise, UPID};

struct Linkee;

impl Process for Linkee {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("ping", |_, from, body| {
            send(from, "pong", Bytes::copy_from_slice(body))
        });
        // For the fault tests: a daemon aborts when a handler panics.
        handlers.install("panic", |_, _, body| {
            panic!("asked to panic: {}", String::from_utf8_lossy(body))
        });
    }
}

/// Pings `to` and reports the answer.
struct Pinger {
    to: UPID,
    pong: Option<Promise<UPID>>,
}

impl Process for Pinger {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install_message("pong", |p: &mut Pinger, m: &Message| {
            if let Some(pong) = p.pong.take() {
                pong.set(m.from.clone());
            }
        });
        send(&self.to, "ping", "hello");
    }
}

fn main() -> ExitCode {
    // The runtime's warnings and errors on stderr (a failed TLS handshake
    // says why there).
    let _ = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .without_time()
        .try_init();
    if std::env::args().nth(1).as_deref() == Some("--raw") {
        return raw();
    }
    let runtime = match Builder::from_environment().and_then(|b| b.workers(2).try_build()) {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("test-linkee: {}", error);
            return ExitCode::FAILURE;
        }
    };
    let _enter = runtime.enter();
    if let Some(target) = std::env::args().nth(1) {
        return ping(&target);
    }
    let Some(pid) = spawn_with_id(Linkee, "linkee") else {
        eprintln!("test-linkee: could not spawn the linkee");
        return ExitCode::FAILURE;
    };
    println!("{}", pid);
    let _ = std::io::stdout().flush();
    // Serve until the parent closes our standard input (or dies).
    for line in std::io::stdin().lock().lines() {
        if line.is_err() {
            break;
        }
    }
    ExitCode::SUCCESS
}

fn ping(target: &str) -> ExitCode {
    let Ok(to) = UPID::parse(target) else {
        eprintln!("test-linkee: '{}' is not a UPID", target);
        return ExitCode::FAILURE;
    };
    let pong = Promise::new();
    let answered = pong.future();
    let Some(_pinger) = spawn_with_id(
        Pinger {
            to,
            pong: Some(pong),
        },
        "pinger",
    ) else {
        eprintln!("test-linkee: could not spawn the pinger");
        return ExitCode::FAILURE;
    };
    if !answered.wait_for(stout::Duration::from_secs(30)) {
        eprintln!("test-linkee: no pong within 30 seconds");
        return ExitCode::FAILURE;
    }
    match answered.value() {
        Some(from) => {
            println!("pong from {}", from);
            ExitCode::SUCCESS
        }
        None => ExitCode::FAILURE,
    }
}

/// Serves `--raw` until standard input closes.
fn raw() -> ExitCode {
    let ip = match std::env::var("LIBPROCESS_IP") {
        Ok(ip) => match ip.parse::<Ipv4Addr>() {
            Ok(ip) => ip,
            Err(_) => {
                eprintln!(
                    "test-linkee: LIBPROCESS_IP must be an IPv4 address, got '{}'",
                    ip
                );
                return ExitCode::FAILURE;
            }
        },
        Err(_) => Ipv4Addr::LOCALHOST,
    };
    let listener = match TcpListener::bind((ip, 0)) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("test-linkee: could not listen on {}: {}", ip, error);
            return ExitCode::FAILURE;
        }
    };
    let Ok(SocketAddr::V4(address)) = listener.local_addr() else {
        eprintln!("test-linkee: no IPv4 address to listen on");
        return ExitCode::FAILURE;
    };
    println!("{}", UPID::new("linkee", address));
    let _ = std::io::stdout().flush();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut buffer = [0u8; 1024];
                if matches!(stream.read(&mut buffer), Ok(n) if n > 0) {
                    // Any message means "exit", as upstream's linkee does.
                    std::process::exit(0);
                }
                // Never closed: the peer must find a stale connection
                // out by itself.
                std::mem::forget(stream);
            });
        }
    });
    for line in std::io::stdin().lock().lines() {
        if line.is_err() {
            break;
        }
    }
    ExitCode::SUCCESS
}
