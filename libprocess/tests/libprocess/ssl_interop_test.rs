//! TLS with peers whose cipher suites differ from ours: Apache Mesos' own
//! C++ libprocess when it is at hand, and rustls configured to stand in
//! for a peer that shares no suite with us (which is what a C++ peer with
//! its default `LIBPROCESS_SSL_CIPHERS` is). Beyond the C++ suites.
//!
//! `cpp_peer_over_tls` needs the `peer` program of
//! `shared/tools/cpp-libprocess` built with `SSL=1`; set
//! `LIBPROCESS_CPP_PEER` to its path (e.g.
//! `LIBPROCESS_CPP_PEER=/tmp/cpp-libprocess-ssl/peer`). Without it the
//! test prints that it was skipped and passes.

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Once};
use std::time::{Duration, Instant};

use bytes::Bytes;
use libprocess::http::{self, Url};
use libprocess::testing::{await_failed, await_ready};
use libprocess::{send, spawn, spawn_with_id, Builder, Handlers, Process, Promise, Runtime, UPID};
use parking_lot::{Condvar, Mutex};
use rustls::crypto::ring::{self, cipher_suite, kx_group};

use crate::process_remote_link_test::Linker;
use crate::ssl_test::Certificates;

/// The TLS 1.2 suites our ECDSA test certificate can serve.
const ECDSA_SUITES: &str =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305";

/// Every warning and error logged in this test binary, so a test can
/// check what the runtime said (it logs from its own I/O thread, so a
/// thread-local subscriber would miss it).
static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());
static LOGGED: Condvar = Condvar::new();

/// Appends what one event formats to [`LOG`], as one line.
#[derive(Default)]
struct Recorder(Vec<u8>);

impl std::io::Write for Recorder {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let line = String::from_utf8_lossy(&self.0).trim_end().to_string();
        if !line.is_empty() {
            LOG.lock().push(line);
            LOGGED.notify_all();
        }
    }
}

fn record_logs() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::WARN)
            .with_writer(Recorder::default)
            .with_ansi(false)
            .without_time()
            .try_init()
            .expect("no other global subscriber");
    });
}

/// Waits (15 s at most) for a logged line that has every one of `parts`.
fn logged(parts: &[&str]) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut log = LOG.lock();
    loop {
        if let Some(line) = log.iter().find(|l| parts.iter().all(|p| l.contains(p))) {
            return line.clone();
        }
        if LOGGED.wait_until(&mut log, deadline).timed_out() {
            panic!(
                "nothing logged with {:?}; the log:\n{}",
                parts,
                log.join("\n")
            );
        }
    }
}

fn loopback() -> SocketAddrV4 {
    SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)
}

/// A listening runtime with the good certificate and the settings `more`.
fn runtime(certificates: &Certificates, more: &[(&str, &str)]) -> Runtime {
    Builder::default()
        .workers(2)
        .listen(loopback())
        .ssl(certificates.flags("good", more))
        .build()
}

/// A rustls client offering TLS 1.2 with only `suites` and `groups`.
fn rustls_client(
    certificates: &Certificates,
    suites: Vec<rustls::SupportedCipherSuite>,
    groups: Vec<&'static dyn rustls::crypto::SupportedKxGroup>,
) -> tokio_rustls::TlsConnector {
    let mut provider = ring::default_provider();
    provider.cipher_suites = suites;
    provider.kx_groups = groups;
    let pem = std::fs::read(certificates.path("good_cert.pem")).expect("reads the certificate");
    let mut roots = rustls::RootCertStore::empty();
    for certificate in rustls_pemfile::certs(&mut &pem[..]) {
        roots
            .add(certificate.expect("a certificate"))
            .expect("a trusted certificate");
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&[&rustls::version::TLS12])
        .expect("TLS 1.2")
        .with_root_certificates(roots)
        .with_no_client_auth();
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

/// Runs a handshake with `connector` against `server`: it must fail.
/// Returns the client's own address (which the server's log names).
fn failed_handshake(connector: tokio_rustls::TlsConnector, server: SocketAddrV4) -> SocketAddr {
    let io = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    io.block_on(async {
        let tcp = tokio::net::TcpStream::connect(server)
            .await
            .expect("connects");
        let local = tcp.local_addr().expect("bound");
        let name = rustls::pki_types::ServerName::try_from("localhost").expect("a name");
        let handshake = tokio::time::timeout(Duration::from_secs(15), connector.connect(name, tcp))
            .await
            .expect("the handshake ends");
        assert!(handshake.is_err(), "the handshake succeeded");
        local
    })
}

/// A peer offering only suites our server lacks is refused, and our
/// server's log says which setting to change and to what.
#[test]
fn no_shared_cipher_is_logged_by_the_server() {
    record_logs();
    let certificates = Certificates::new();
    let server = runtime(
        &certificates,
        &[("LIBPROCESS_SSL_CIPHERS", "ECDHE-ECDSA-AES128-GCM-SHA256")],
    );
    let client = rustls_client(
        &certificates,
        vec![cipher_suite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256],
        ring::default_provider().kx_groups,
    );
    let local = failed_handshake(client, server.address());
    let line = logged(&[&format!("TLS handshake with {} failed", local)]);
    assert!(line.starts_with("ERROR "), "{}", line);
    assert!(
        line.contains(
            "the peer offered no cipher suite this side has. Set LIBPROCESS_SSL_CIPHERS on the \
             peer to suites this side supports: ECDHE-ECDSA-AES128-GCM-SHA256 "
        ),
        "{}",
        line
    );
}

/// A peer naming no curve of ours, as OpenSSL does when it offers no
/// ECDHE suite, is refused with the same advice.
#[test]
fn no_shared_group_is_logged_by_the_server() {
    record_logs();
    let certificates = Certificates::new();
    let server = runtime(
        &certificates,
        &[
            ("LIBPROCESS_SSL_ECDH_CURVES", "P-384"),
            (
                "LIBPROCESS_SSL_CIPHERS",
                "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384",
            ),
        ],
    );
    let client = rustls_client(
        &certificates,
        vec![cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256],
        vec![kx_group::X25519],
    );
    let local = failed_handshake(client, server.address());
    let line = logged(&[&format!("TLS handshake with {} failed", local)]);
    assert!(line.starts_with("ERROR "), "{}", line);
    assert!(
        line.contains("the peer offered no key exchange this side has"),
        "{}",
        line
    );
    // Of the suites enabled, only those our ECDSA certificate can serve.
    assert!(
        line.contains(
            "Set LIBPROCESS_SSL_CIPHERS on the peer to suites this side supports: \
             ECDHE-ECDSA-AES256-GCM-SHA384 "
        ),
        "{}",
        line
    );
}

/// Our client refused for want of a shared suite says so: in the log,
/// and in the error of the request or link that needed the connection.
#[test]
fn no_shared_cipher_fails_the_client_with_advice() {
    record_logs();
    let certificates = Certificates::new();
    let server = runtime(
        &certificates,
        &[("LIBPROCESS_SSL_CIPHERS", "ECDHE-ECDSA-AES128-GCM-SHA256")],
    );
    let client = runtime(
        &certificates,
        &[("LIBPROCESS_SSL_CIPHERS", "ECDHE-ECDSA-CHACHA20-POLY1305")],
    );
    let _enter = client.enter();
    let advice = "failed: the peer refused it (handshake_failure), most likely for want of a \
                  shared cipher suite. Set LIBPROCESS_SSL_CIPHERS on the peer to suites this \
                  side supports: ECDHE-ECDSA-CHACHA20-POLY1305 ";
    let url = Url::new("https", "127.0.0.1", server.address().port(), "nobody");
    let failure = await_failed(&http::request(http::Request::new("GET", url), false));
    assert!(failure.contains(advice), "{}", failure);

    // A link over the transport breaks; the log names the peer.
    let linkee = UPID::new("nobody", server.address());
    let exited = Promise::new();
    let exited_future = exited.future();
    let linker = spawn(Linker {
        pid: linkee.clone(),
        pong: None,
        exited: Some(exited),
    });
    assert_eq!(linkee, await_ready(&exited_future));
    let line = logged(&[&format!(
        "TLS handshake with {} {}",
        server.address(),
        advice
    )]);
    assert!(line.starts_with("ERROR "), "{}", line);
    libprocess::terminate(&linker, true);
    libprocess::wait(&linker, None);
}

/// Answers `ping` with `pong`, echoing the body.
struct Ponger;

impl Process for Ponger {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("ping", |_, from, body| {
            send(from, "pong", Bytes::copy_from_slice(body))
        });
    }
}

/// The C++ peer (`LIBPROCESS_CPP_PEER`), if there is one.
fn cpp_peer() -> Option<String> {
    match std::env::var("LIBPROCESS_CPP_PEER") {
        Ok(path) if std::path::Path::new(&path).is_file() => Some(path),
        _ => {
            println!(
                "skipped: set LIBPROCESS_CPP_PEER to the C++ libprocess `peer` program \
                 (shared/tools/cpp-libprocess, built with SSL=1) to run this test"
            );
            None
        }
    }
}

/// `peer <arguments>` with TLS on (the good certificate) and `ciphers`,
/// if any; its standard error goes to `stderr`.
fn cpp_command(
    path: &str,
    certificates: &Certificates,
    ciphers: Option<&str>,
    stderr: &std::path::Path,
) -> Command {
    let mut command = Command::new(path);
    command
        .env("LIBPROCESS_IP", "127.0.0.1")
        .env_remove("LIBPROCESS_PORT")
        .env_remove("LIBPROCESS_SSL_CIPHERS")
        // The deprecated spelling of LIBPROCESS_SSL_CERT_FILE, to OpenSSL's
        // libprocess as to ours: keep it out of the comparison.
        .env_remove("SSL_CERT_FILE")
        .envs(certificates.environment(&[]))
        .stderr(std::fs::File::create(stderr).expect("creates a log file"));
    if let Some(ciphers) = ciphers {
        command.env("LIBPROCESS_SSL_CIPHERS", ciphers);
    }
    command
}

/// Starts `peer serve` and reads its linkee's UPID.
fn cpp_serve(mut command: Command) -> (Child, UPID) {
    let mut child = command
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the C++ peer starts");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().expect("piped"))
        .read_line(&mut line)
        .expect("the C++ peer prints its UPID");
    let pid = UPID::parse(line.trim()).expect("a UPID");
    (child, pid)
}

fn stop(mut child: Child) {
    child.kill().expect("kills the C++ peer");
    child.wait().expect("reaps the C++ peer");
}

/// Messages both ways between our runtime and C++ libprocess over TLS
/// when both name ECDHE suites in `LIBPROCESS_SSL_CIPHERS`; with C++'
/// default list the handshake fails both ways, and our side's log says
/// why, as the C++ side's does ("no shared cipher").
#[test]
fn cpp_peer_over_tls() {
    let Some(path) = cpp_peer() else {
        return;
    };
    record_logs();
    let certificates = Certificates::new();
    let logs = tempfile::tempdir().expect("a temporary directory");
    let ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";

    // ECDHE on both sides: a ping from us, then one from C++.
    let serve_log = logs.path().join("serve-ecdhe.log");
    let (server, cpp) = cpp_serve(cpp_command(&path, &certificates, Some(ciphers), &serve_log));
    let ours = runtime(&certificates, &[("LIBPROCESS_SSL_CIPHERS", ciphers)]);
    {
        let _enter = ours.enter();
        let pong = Promise::new();
        let pong_future = pong.future();
        let linker = spawn(Linker {
            pid: cpp.clone(),
            pong: Some(pong),
            exited: None,
        });
        let message = await_ready(&pong_future);
        assert_eq!(cpp, message.from);
        assert_eq!(&b"hello"[..], &message.body[..]);
        libprocess::terminate(&linker, true);
        libprocess::wait(&linker, None);

        let ponger = spawn_with_id(Ponger, "linkee").expect("a free id");
        let ping_log = logs.path().join("ping-ecdhe.log");
        let output = cpp_command(&path, &certificates, Some(ciphers), &ping_log)
            .arg("ping")
            .arg(ponger.upid().to_string())
            .output()
            .expect("the C++ pinger runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.contains(&format!("pong from {}", ponger.upid())),
            "{}\n{}",
            stdout,
            std::fs::read_to_string(&ping_log).unwrap_or_default()
        );
    }
    drop(ours);
    stop(server);

    // C++' default list against ours (unset: all of rustls' TLS 1.2 suites).
    let serve_log = logs.path().join("serve-default.log");
    let (server, cpp) = cpp_serve(cpp_command(&path, &certificates, None, &serve_log));
    let ours = runtime(&certificates, &[]);
    let _enter = ours.enter();
    let exited = Promise::new();
    let exited_future = exited.future();
    let linker = spawn(Linker {
        pid: cpp.clone(),
        pong: None,
        exited: Some(exited),
    });
    assert_eq!(cpp, await_ready(&exited_future));
    let line = logged(&[
        &format!("TLS handshake with {} failed", cpp.address()),
        "LIBPROCESS_SSL_CIPHERS",
    ]);
    println!("ours, as the client: {}", line);
    libprocess::terminate(&linker, true);
    libprocess::wait(&linker, None);

    let ping_log = logs.path().join("ping-default.log");
    let pinger = cpp_command(&path, &certificates, None, &ping_log)
        .arg("ping")
        .arg(format!("linkee@{}", ours.address()))
        .stdout(Stdio::null())
        .spawn()
        .expect("the C++ pinger starts");
    let line = logged(&[
        "failed: the peer offered no",
        &format!("this side supports: {} ", ECDSA_SUITES),
    ]);
    println!("ours, as the server: {}", line);
    stop(pinger);
    stop(server);
    let cpp_log = std::fs::read_to_string(&serve_log).expect("reads the C++ log");
    assert!(cpp_log.contains("no shared cipher"), "{}", cpp_log);
}
