//! `bench-peer`: the other OS process of the transport benchmarks
//! (`benches/transport.rs`). `bench-peer libprocess` serves a listening
//! libprocess runtime with a `sink` (counts messages, answers `flush`
//! with `done`) and an `echo` (answers `ping` with `pong`, linked to the
//! pinger); `bench-peer raw` serves the baseline: length-prefixed frames
//! over TCP (kind 0: data, 1: flush, answered with one byte; 2: echoed
//! back). Either prints its address and serves until its standard input
//! closes. With `LIBPROCESS_SSL_*` set, the libprocess runtime uses TLS.

use std::io::{BufRead, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;

use libprocess::{link, send, spawn_with_id, Builder, Handlers, Process};

#[derive(Default)]
struct Sink {
    received: u64,
}

impl Process for Sink {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("m", |sink: &mut Sink, _, _| sink.received += 1);
        handlers.install("flush", |sink: &mut Sink, from, _| {
            send(from, "done", sink.received.to_string());
            sink.received = 0;
        });
    }
}

/// Links to whoever pings it first, as Mesos daemons link to their
/// peers, so pongs go out on a persistent connection rather than a new
/// one per pong.
#[derive(Default)]
struct Echo {
    linked: bool,
}

impl Process for Echo {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("ping", |echo: &mut Echo, from, body| {
            if !echo.linked {
                link(from);
                echo.linked = true;
            }
            send(from, "pong", bytes::Bytes::copy_from_slice(body))
        });
    }
}

fn serve_libprocess() -> Result<(), String> {
    // TLS when the parent sets LIBPROCESS_SSL_*.
    let ssl = libprocess::ssl::Flags::from_environment().map_err(|e| e.to_string())?;
    let runtime = Builder::default()
        .workers(2)
        .listen("127.0.0.1:0".parse().map_err(|e| format!("{e}"))?)
        .ssl(ssl)
        .try_build()
        .map_err(|e| e.to_string())?;
    let _enter = runtime.enter();
    spawn_with_id(Sink::default(), "sink").ok_or("could not spawn the sink")?;
    spawn_with_id(Echo::default(), "echo").ok_or("could not spawn the echo")?;
    println!("{}", runtime.address());
    wait_for_stdin();
    Ok(())
}

/// Reads frames: a 4-byte big-endian length, a kind byte, the payload.
fn serve_raw_connection(stream: TcpStream) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut reader = std::io::BufReader::with_capacity(256 * 1024, stream.try_clone()?);
    let mut writer = stream;
    let mut frame = Vec::new();
    loop {
        let mut head = [0u8; 5];
        reader.read_exact(&mut head)?;
        let length = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        frame.resize(length, 0);
        reader.read_exact(&mut frame)?;
        match head[4] {
            1 => writer.write_all(&[1])?,
            2 => {
                let mut echo = head.to_vec();
                echo.extend_from_slice(&frame);
                writer.write_all(&echo)?;
            }
            _ => {}
        }
    }
}

fn serve_raw() -> Result<(), String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    println!("{}", listener.local_addr().map_err(|e| e.to_string())?);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve_raw_connection(stream));
        }
    });
    wait_for_stdin();
    Ok(())
}

fn wait_for_stdin() {
    let _ = std::io::stdout().flush();
    for line in std::io::stdin().lock().lines() {
        if line.is_err() {
            break;
        }
    }
}

fn main() -> ExitCode {
    let served = match std::env::args().nth(1).as_deref() {
        Some("libprocess") => serve_libprocess(),
        Some("raw") => serve_raw(),
        _ => Err("usage: bench-peer libprocess|raw".to_string()),
    };
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench-peer: {error}");
            ExitCode::FAILURE
        }
    }
}
