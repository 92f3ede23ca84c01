//! The master's HTTP read side through the real daemons: a release
//! `mesos-master` with one registered `mesos-agent` on loopback, and one
//! sequential client on one keep-alive connection (one request in flight).
//!
//! - `master_http/state`: `GET /master/state`, the whole state as JSON.
//!   Anchor: real Mesos 1.12 answered 630 req/s here with one agent.
//! - `master_http/health`: `GET /master/health`, an empty 200: the same
//!   connection, parser and dispatch to the master process, without the
//!   model, so the difference is what `/state` itself costs.
//!
//! Criterion's throughput is requests (round trips) per second.
//!
//! The binaries come from `target/release`: build them first with
//! `cargo build --release -p mesos --bins`.

mod daemons;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

use criterion::{criterion_group, Criterion, Throughput};

use daemons::start_cluster;

/// One keep-alive connection, one request at a time.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    host: String,
}

impl Client {
    fn connect(address: &str) -> Client {
        let stream = TcpStream::connect(address).expect("the master accepts");
        stream.set_nodelay(true).expect("TCP_NODELAY");
        Client {
            reader: BufReader::new(stream.try_clone().expect("a second handle")),
            writer: stream,
            host: address.to_string(),
        }
    }

    /// `GET path`: the body of its 200 response.
    fn get(&mut self, path: &str) -> Vec<u8> {
        write!(
            self.writer,
            "GET {} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n\r\n",
            path, self.host
        )
        .expect("the request is written");
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("a status line");
        assert!(
            line.starts_with("HTTP/1.1 200"),
            "{}: {}",
            path,
            line.trim()
        );
        let mut length = None;
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("a header line");
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                assert!(
                    !(name.eq_ignore_ascii_case("transfer-encoding")),
                    "{} answered a stream",
                    path
                );
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse::<usize>().ok();
                }
            }
        }
        let mut body = vec![0; length.expect("a Content-Length")];
        self.reader.read_exact(&mut body).expect("the body");
        body
    }
}

fn master_http(c: &mut Criterion) {
    let cluster = start_cluster("cpus:2;mem:1024;disk:1024;ports:[31000-32000]");
    let mut client = Client::connect(&cluster.master_address);
    // The state really has the agent in it.
    let state = client.get("/master/state");
    let state: serde_json::Value = serde_json::from_slice(&state).expect("JSON");
    assert_eq!(state["slaves"].as_array().map(Vec::len), Some(1));

    let mut group = c.benchmark_group("master_http");
    group.sample_size(20);
    group.throughput(Throughput::Elements(1));
    group.bench_function("state", |b| b.iter(|| client.get("/master/state")));
    group.bench_function("health", |b| b.iter(|| client.get("/master/health")));
    group.finish();
    drop(client);
    drop(cluster);
}

criterion_group!(benches, master_http);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
