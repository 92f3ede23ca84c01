//! libprocess' `SSLTest` (and `SSLVerifyIPAddTest`, `SSLProtocolTest`)
//! as far as its meaning survives the move from OpenSSL to rustls: a
//! server runtime with one set of `LIBPROCESS_SSL_*` settings, a client
//! with another, and an HTTPS request (or a plain one) between them.
//! Certificates are made by the test: a "good" one naming this host
//! (`localhost`, its reverse-DNS name and 127.0.0.1) and a "scrap" one
//! naming nothing here.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, SocketAddrV4, TcpStream};
use std::path::PathBuf;

use libprocess::http::{self, Scheme, Url};
use libprocess::ssl::Flags;
use libprocess::testing::{await_failed, await_ready};
use libprocess::{spawn, spawn_with_id, Builder, Future, Handlers, Process, Promise, Runtime};

use crate::process_remote_link_test::{burst_between_os_processes, linkee_with, Linker};

/// Key and certificate files for the tests, in a temporary directory.
pub(crate) struct Certificates {
    dir: tempfile::TempDir,
}

impl Certificates {
    pub(crate) fn new() -> Certificates {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
        if let Ok(name) = dns_lookup::lookup_addr(&IpAddr::V4(Ipv4Addr::LOCALHOST)) {
            names.push(name);
        }
        write_certificate(&dir, "good", names, "localhost");
        write_certificate(&dir, "scrap", vec!["scrap.invalid".to_string()], "scrap");
        Certificates { dir }
    }

    pub(crate) fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// Variables enabling TLS with the `which` ("good" or "scrap") key and
    /// certificate, plus `more`.
    fn variables(&self, which: &str, more: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut variables = vec![
            ("LIBPROCESS_SSL_ENABLED".to_string(), "true".to_string()),
            (
                "LIBPROCESS_SSL_KEY_FILE".to_string(),
                self.path(&format!("{}_key.pem", which)),
            ),
            (
                "LIBPROCESS_SSL_CERT_FILE".to_string(),
                self.path(&format!("{}_cert.pem", which)),
            ),
        ];
        variables.extend(more.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        variables
    }

    /// A helper process' environment: TLS with the good certificate.
    pub(crate) fn environment(&self, more: &[(&str, &str)]) -> Vec<(String, String)> {
        self.variables("good", more)
    }

    /// Settings as [`Certificates::variables`] give them (later
    /// variables override earlier ones).
    pub(crate) fn flags(&self, which: &str, more: &[(&str, &str)]) -> Flags {
        let variables: HashMap<String, String> = self.variables(which, more).into_iter().collect();
        Flags::from_variables(|name| variables.get(name).cloned()).expect("valid settings")
    }

    /// The good certificate as the only trusted CA.
    fn ca(&self) -> String {
        self.path("good_cert.pem")
    }
}

fn write_certificate(dir: &tempfile::TempDir, name: &str, names: Vec<String>, cn: &str) {
    let mut params = rcgen::CertificateParams::new(names).expect("certificate names");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, cn);
    let key = rcgen::KeyPair::generate().expect("a key pair");
    let certificate = params.self_signed(&key).expect("a certificate");
    let path = |suffix: &str| -> PathBuf { dir.path().join(format!("{}_{}.pem", name, suffix)) };
    std::fs::write(path("cert"), certificate.pem()).expect("writes the certificate");
    std::fs::write(path("key"), key.serialize_pem()).expect("writes the key");
}

/// Answers `/hello/hello` with "Hello World!" and `/hello/echo` with the
/// request's body and the client's address.
struct Hello;

impl Process for Hello {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.route("/hello", |_, _| Future::ready(http::ok("Hello World!")));
        handlers.route("/echo", |_, request| {
            let client = request.client.map(|c| c.to_string()).unwrap_or_default();
            let mut response = http::ok(request.body);
            response.headers.insert("X-Client", client);
            Future::ready(response)
        });
    }
}

/// A listening runtime on 127.0.0.1 with `flags`, serving `Hello`.
struct Server {
    runtime: Runtime,
}

impl Server {
    fn new(flags: Flags) -> Server {
        let runtime = Builder::default()
            .workers(2)
            .listen(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))
            .ssl(flags)
            .build();
        {
            let _enter = runtime.enter();
            spawn_with_id(Hello, "hello").expect("spawns the process");
        }
        Server { runtime }
    }

    fn port(&self) -> u16 {
        self.runtime.address().port()
    }

    fn url(&self, scheme: &str, host: &str, path: &str) -> Url {
        Url::new(scheme, host, self.port(), &format!("hello/{}", path))
    }
}

/// A runtime that only makes requests, with `flags`.
fn client(flags: Flags) -> Runtime {
    Builder::default().workers(1).ssl(flags).build()
}

/// GET `url` from the `client` runtime.
fn get(client: &Runtime, url: &Url) -> Future<http::Response> {
    let _enter = client.enter();
    http::request(http::Request::new("GET", url.clone()), false)
}

fn assert_hello(response: &Future<http::Response>) {
    let response = await_ready(response);
    assert_eq!(200, response.code);
    assert_eq!(&b"Hello World!"[..], &response.body_bytes()[..]);
}

#[test]
fn disabled() {
    let client = Builder::default().workers(1).build();
    let url = Url::new("https", "127.0.0.1", 1, "hello");
    assert_eq!("SSL is disabled", await_failed(&get(&client, &url)));
}

#[test]
fn ssl_socket() {
    let certificates = Certificates::new();
    let server = Server::new(certificates.flags("good", &[]));
    let client = client(certificates.flags("good", &[]));
    assert_hello(&get(&client, &server.url("https", "127.0.0.1", "hello")));
}

#[test]
fn non_ssl_socket() {
    let certificates = Certificates::new();
    let server = Server::new(certificates.flags("good", &[]));
    let client = client(Flags::default());
    await_failed(&get(&client, &server.url("http", "127.0.0.1", "hello")));
}

#[test]
fn no_verify_bad_ca() {
    for scheme in ["legacy", "openssl"] {
        let certificates = Certificates::new();
        let server = Server::new(certificates.flags(
            "good",
            &[
                ("LIBPROCESS_SSL_REQUIRE_CLIENT_CERT", "false"),
                ("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME", scheme),
            ],
        ));
        let client = client(certificates.flags(
            "scrap",
            &[
                ("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "false"),
                ("LIBPROCESS_SSL_CA_FILE", &certificates.ca()),
                ("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME", scheme),
            ],
        ));
        assert_hello(&get(&client, &server.url("https", "127.0.0.1", "hello")));
    }
}

// The server trusts only the good certificate (libprocess' test relies on
// the system's CAs not trusting the scrap one).
#[test]
fn require_bad_ca() {
    let certificates = Certificates::new();
    let server = Server::new(certificates.flags(
        "good",
        &[
            ("LIBPROCESS_SSL_REQUIRE_CLIENT_CERT", "true"),
            ("LIBPROCESS_SSL_CA_FILE", &certificates.ca()),
            ("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME", "openssl"),
        ],
    ));
    let client =
        client(certificates.flags("scrap", &[("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "false")]));
    await_failed(&get(&client, &server.url("https", "127.0.0.1", "hello")));
}

#[test]
fn verify_bad_ca() {
    for scheme in ["legacy", "openssl"] {
        let certificates = Certificates::new();
        let server = Server::new(
            certificates.flags("scrap", &[("LIBPROCESS_SSL_REQUIRE_CLIENT_CERT", "false")]),
        );
        let client = client(certificates.flags(
            "good",
            &[
                ("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "true"),
                ("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME", scheme),
            ],
        ));
        await_failed(&get(&client, &server.url("https", "localhost", "hello")));
    }
}

#[test]
fn verify_certificate() {
    for scheme in ["legacy", "openssl"] {
        let certificates = Certificates::new();
        let server = Server::new(certificates.flags(
            "good",
            &[
                ("LIBPROCESS_SSL_REQUIRE_CLIENT_CERT", "true"),
                ("LIBPROCESS_SSL_CA_FILE", &certificates.ca()),
                ("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME", scheme),
            ],
        ));
        let client = client(certificates.flags(
            "good",
            &[
                ("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "true"),
                ("LIBPROCESS_SSL_CA_FILE", &certificates.ca()),
                ("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME", scheme),
            ],
        ));
        assert_hello(&get(&client, &server.url("https", "localhost", "hello")));
    }
}

#[test]
fn hostname_mismatch() {
    let certificates = Certificates::new();
    let server =
        Server::new(certificates.flags("good", &[("LIBPROCESS_SSL_CA_FILE", &certificates.ca())]));
    let client = client(certificates.flags(
        "good",
        &[
            ("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "true"),
            ("LIBPROCESS_SSL_CA_FILE", &certificates.ca()),
            ("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME", "openssl"),
        ],
    ));
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, server.port()));
    let _enter = client.enter();
    await_failed(&http::connect_to(
        address,
        Scheme::Https,
        Some("invalid.example.org"),
    ));
    // The same server, named right, is accepted.
    await_ready(&http::connect_to(address, Scheme::Https, Some("localhost")));
}

// rustls has no anonymous suites (libprocess' `NoAnonymousCipherIfVerify`
// asks for `ADH-AES256-SHA`): a name with no rustls equivalent is refused
// when the runtime starts, never dropped silently.
#[test]
fn unsupported_cipher_is_a_startup_error() {
    let certificates = Certificates::new();
    for ciphers in [
        "ADH-AES256-SHA",
        "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256",
    ] {
        let flags = certificates.flags("good", &[("LIBPROCESS_SSL_CIPHERS", ciphers)]);
        let error = Builder::default()
            .workers(1)
            .ssl(flags)
            .try_build()
            .expect_err("an unsupported cipher is refused");
        assert!(
            error.to_string().contains("has no equivalent in rustls"),
            "{}",
            error
        );
    }
}

// libprocess' `ECDHESupport` with the suites rustls has for the test's
// (ECDSA) certificates.
#[test]
fn ecdhe_support() {
    let certificates = Certificates::new();
    let ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384";
    let server = Server::new(certificates.flags("good", &[("LIBPROCESS_SSL_CIPHERS", ciphers)]));
    let client = client(certificates.flags("good", &[("LIBPROCESS_SSL_CIPHERS", ciphers)]));
    assert_hello(&get(&client, &server.url("https", "127.0.0.1", "hello")));
}

#[test]
fn valid_downgrade() {
    let certificates = Certificates::new();
    let server = Server::new(certificates.flags(
        "good",
        &[
            ("LIBPROCESS_SSL_SUPPORT_DOWNGRADE", "true"),
            ("LIBPROCESS_SSL_REQUIRE_CLIENT_CERT", "true"),
            ("LIBPROCESS_SSL_CA_FILE", &certificates.ca()),
        ],
    ));
    let client = client(Flags::default());
    assert_hello(&get(&client, &server.url("http", "127.0.0.1", "hello")));
}

#[test]
fn no_valid_downgrade() {
    let certificates = Certificates::new();
    let server = Server::new(certificates.flags(
        "good",
        &[
            ("LIBPROCESS_SSL_SUPPORT_DOWNGRADE", "false"),
            ("LIBPROCESS_SSL_REQUIRE_CLIENT_CERT", "true"),
            ("LIBPROCESS_SSL_CA_FILE", &certificates.ca()),
        ],
    ));
    let client = client(Flags::default());
    await_failed(&get(&client, &server.url("http", "127.0.0.1", "hello")));
}

/// The protocols rustls has (libprocess' list without SSLv3).
const PROTOCOLS: [&str; 2] = [
    "LIBPROCESS_SSL_ENABLE_TLS_V1_2",
    "LIBPROCESS_SSL_ENABLE_TLS_V1_3",
];

/// Only `protocol` enabled, plus `more`.
fn only<'a>(protocol: &'a str, more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut settings: Vec<(&str, &str)> = PROTOCOLS
        .iter()
        .map(|p| (*p, if *p == protocol { "true" } else { "false" }))
        .collect();
    settings.extend_from_slice(more);
    settings
}

#[test]
fn valid_downgrade_each_protocol() {
    let certificates = Certificates::new();
    for protocol in PROTOCOLS {
        let server = Server::new(certificates.flags(
            "good",
            &only(protocol, &[("LIBPROCESS_SSL_SUPPORT_DOWNGRADE", "true")]),
        ));
        // A TLS client of the same protocol, and a plain one.
        let tls = client(certificates.flags("good", &only(protocol, &[])));
        assert_hello(&get(&tls, &server.url("https", "127.0.0.1", "hello")));
        let plain = client(Flags::default());
        assert_hello(&get(&plain, &server.url("http", "127.0.0.1", "hello")));
    }
}

#[test]
fn no_valid_downgrade_each_protocol() {
    let certificates = Certificates::new();
    for protocol in PROTOCOLS {
        let server = Server::new(certificates.flags(
            "good",
            &only(protocol, &[("LIBPROCESS_SSL_SUPPORT_DOWNGRADE", "false")]),
        ));
        let plain = client(Flags::default());
        await_failed(&get(&plain, &server.url("http", "127.0.0.1", "hello")));
    }
}

#[test]
fn peer_address() {
    let certificates = Certificates::new();
    let server = Server::new(certificates.flags("good", &[]));
    let client = client(certificates.flags("good", &[]));
    let _enter = client.enter();
    let connection = await_ready(&http::connect(&server.url("https", "127.0.0.1", "echo")));
    assert_eq!(
        SocketAddr::from((Ipv4Addr::LOCALHOST, server.port())),
        connection.peer_address()
    );
    let request = http::Request::new("POST", server.url("https", "127.0.0.1", "echo"));
    let response = await_ready(&connection.send(request, false));
    // The server saw the client's end of this connection.
    assert_eq!(
        Some(connection.local_address().to_string().as_str()),
        response.headers.get("X-Client")
    );
}

#[test]
fn https_get() {
    let certificates = Certificates::new();
    let server = Server::new(certificates.flags("good", &[]));
    let client = client(certificates.flags("good", &[]));
    assert_hello(&get(&client, &server.url("https", "localhost", "hello")));
}

#[test]
fn https_post() {
    let certificates = Certificates::new();
    let server = Server::new(certificates.flags("good", &[]));
    let client = client(certificates.flags("good", &[]));
    let mut request = http::Request::new("POST", server.url("https", "localhost", "echo"));
    request.body = "payload".into();
    let response = {
        let _enter = client.enter();
        await_ready(&http::request(request, false))
    };
    assert_eq!(200, response.code);
    assert_eq!(&b"payload"[..], &response.body_bytes()[..]);
}

/// A connection that sends nothing holds up neither the accept loop nor
/// other connections (with and without downgrade, MESOS-10114).
#[test]
fn silent_socket() {
    for downgrade in ["false", "true"] {
        let certificates = Certificates::new();
        let server = Server::new(
            certificates.flags("good", &[("LIBPROCESS_SSL_SUPPORT_DOWNGRADE", downgrade)]),
        );
        let _silent = TcpStream::connect((Ipv4Addr::LOCALHOST, server.port()))
            .expect("connects a silent socket");
        let client = client(certificates.flags("good", &[]));
        assert_hello(&get(&client, &server.url("https", "127.0.0.1", "hello")));
    }
}

/// libprocess' `SSLVerifyIPAddTest.BasicSameProcess`: one runtime is both
/// server and client, requires and verifies certificates, and names its
/// peer by reverse DNS (or by IP with `VERIFY_IPADD`).
#[test]
fn basic_same_process() {
    for verify_ipadd in ["false", "true"] {
        let certificates = Certificates::new();
        let server = Server::new(certificates.flags(
            "good",
            &[
                ("LIBPROCESS_SSL_REQUIRE_CLIENT_CERT", "true"),
                (
                    "LIBPROCESS_SSL_CA_DIR",
                    &certificates.dir.path().display().to_string(),
                ),
                ("LIBPROCESS_SSL_CA_FILE", &certificates.ca()),
                ("LIBPROCESS_SSL_VERIFY_IPADD", verify_ipadd),
                ("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME", "legacy"),
            ],
        ));
        assert_hello(&get(
            &server.runtime,
            &server.url("https", "127.0.0.1", "hello"),
        ));
    }
}

/// Under the `legacy` scheme a server checks a client's certificate
/// against the client's reverse-DNS name (here `localhost`) after the
/// handshake; under `openssl` it checks only the chain.
#[test]
fn legacy_scheme_checks_client_names() {
    for (scheme, accepted) in [("legacy", false), ("openssl", true)] {
        let certificates = Certificates::new();
        let server = Server::new(certificates.flags(
            "good",
            &[
                ("LIBPROCESS_SSL_REQUIRE_CLIENT_CERT", "true"),
                (
                    "LIBPROCESS_SSL_CA_FILE",
                    &certificates.path("scrap_cert.pem"),
                ),
                ("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME", scheme),
            ],
        ));
        let client = client(certificates.flags("scrap", &[]));
        let response = get(&client, &server.url("https", "127.0.0.1", "hello"));
        if accepted {
            assert_hello(&response);
        } else {
            await_failed(&response);
        }
    }
}

#[test]
fn require_certificate() {
    for verify_ipadd in ["false", "true"] {
        let certificates = Certificates::new();
        let settings = [
            ("LIBPROCESS_SSL_REQUIRE_CLIENT_CERT", "true"),
            ("LIBPROCESS_SSL_CA_FILE", &certificates.ca()),
            ("LIBPROCESS_SSL_VERIFY_IPADD", verify_ipadd),
        ];
        let server = Server::new(certificates.flags("good", &settings));
        let client = client(certificates.flags("good", &settings));
        assert_hello(&get(&client, &server.url("https", "127.0.0.1", "hello")));
    }
}

/// libprocess' `SSLProtocolTest.Mismatch`: the same protocol on both
/// sides works, different ones do not.
#[test]
fn mismatch() {
    let certificates = Certificates::new();
    for server_protocol in PROTOCOLS {
        for client_protocol in PROTOCOLS {
            let server = Server::new(certificates.flags("good", &only(server_protocol, &[])));
            let client = client(certificates.flags("good", &only(client_protocol, &[])));
            let response = get(&client, &server.url("https", "127.0.0.1", "hello"));
            if server_protocol == client_protocol {
                assert_hello(&response);
            } else {
                await_failed(&response);
            }
        }
    }
}

#[test]
fn settings_from_environment_variables() {
    let variables: HashMap<&str, &str> = [
        ("SSL_ENABLED", "false"),
        ("LIBPROCESS_SSL_ENABLED", "true"),
        ("SSL_VERIFY_CERT", "1"),
        ("LIBPROCESS_SSL_VERIFICATION_DEPTH", "7"),
        ("SSL_HOSTNAME_VALIDATION_SCHEME", "openssl"),
    ]
    .into_iter()
    .collect();
    let flags = Flags::from_variables(|name| variables.get(name).map(|v| v.to_string()))
        .expect("valid settings");
    // The LIBPROCESS_SSL_ spelling wins; the old one still counts alone.
    assert!(flags.enabled);
    assert!(flags.verify_cert);
    assert_eq!(7, flags.verification_depth);
    assert_eq!(
        libprocess::ssl::HostnameValidationScheme::OpenSsl,
        flags.hostname_validation_scheme
    );
    // libprocess' defaults.
    assert!(flags.enable_tls_v1_2);
    assert!(!flags.enable_tls_v1_3);
    assert_eq!("auto", flags.ecdh_curves);

    let error = |name: &str, value: &str| {
        Flags::from_variables(|n| (n == name).then(|| value.to_string()))
            .expect_err("a bad value")
            .to_string()
    };
    assert!(error("SSL_ENABLED", "yes").contains("SSL_ENABLED"));
    assert!(error("LIBPROCESS_SSL_VERIFICATION_DEPTH", "-1")
        .contains("LIBPROCESS_SSL_VERIFICATION_DEPTH"));
    assert!(error("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME", "dns")
        .starts_with("Unknown value for hostname_validation_scheme: dns"));
}

#[test]
fn unsupported_settings_are_startup_errors() {
    let certificates = Certificates::new();
    let start = |flags: Flags| {
        Builder::default()
            .workers(1)
            .ssl(flags)
            .try_build()
            .expect_err("refused")
            .to_string()
    };
    for protocol in ["SSL_V3", "TLS_V1_0", "TLS_V1_1"] {
        let name = format!("LIBPROCESS_SSL_ENABLE_{}", protocol);
        let error = start(certificates.flags("good", &[(&name, "true")]));
        assert!(error.contains(&name), "{}", error);
    }
    let mut flags = certificates.flags("good", &[]);
    flags.key_file = None;
    assert_eq!(
        "SSL requires key! NOTE: Set path with LIBPROCESS_SSL_KEY_FILE",
        start(flags)
    );
    let mut flags = certificates.flags("good", &[]);
    flags.cert_file = None;
    assert_eq!(
        "SSL requires certificate! NOTE: Set path with LIBPROCESS_SSL_CERT_FILE",
        start(flags)
    );
    let error = start(certificates.flags("good", &[("LIBPROCESS_SSL_ECDH_CURVES", "P-521")]));
    assert!(error.contains("P-521"), "{}", error);
}

/// rustls' server side of a TLS connection, with the good certificate.
pub(crate) fn rustls_server(
    certificates: &Certificates,
    suites: Option<Vec<rustls::SupportedCipherSuite>>,
) -> tokio_rustls::TlsAcceptor {
    let mut provider = rustls::crypto::ring::default_provider();
    if let Some(suites) = suites {
        provider.cipher_suites = suites;
    }
    let read = |name: &str| {
        std::fs::read(certificates.path(name)).expect("reads the test's certificate files")
    };
    let chain = rustls_pemfile::certs(&mut &read("good_cert.pem")[..])
        .collect::<Result<Vec<_>, _>>()
        .expect("a certificate");
    let key = rustls_pemfile::private_key(&mut &read("good_key.pem")[..])
        .expect("a key file")
        .expect("a key");
    let config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(provider))
        .with_safe_default_protocol_versions()
        .expect("valid versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("a usable certificate");
    tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config))
}

/// libprocess' `ShutdownThenSend`: a TLS socket shut down (close_notify,
/// then the TCP write side) fails the next send at once, without hanging
/// or panicking. The socket is the accepting end of a connection our
/// runtime made for a link (with rustls' server standing in for the
/// listening socket the C++ test makes), so the runtime's side is checked
/// too: it sees the peer's shutdown as the link breaking.
#[test]
fn shutdown_then_send() {
    use tokio::io::AsyncWriteExt;

    let certificates = Certificates::new();
    let runtime = Builder::default()
        .workers(2)
        .listen(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))
        .ssl(certificates.flags("good", &[]))
        .build();
    let _enter = runtime.enter();
    let io = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let listener = io
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("binds");
    let peer = match listener.local_addr().expect("bound") {
        SocketAddr::V4(address) => libprocess::UPID::new("peer", address),
        other => panic!("not IPv4: {}", other),
    };
    let exited = Promise::new();
    let exited_future = exited.future();
    let linker = spawn(Linker {
        pid: peer.clone(),
        pong: None,
        exited: Some(exited),
    });

    let acceptor = rustls_server(&certificates, None);
    let sent = io.block_on(async {
        let (tcp, _) = listener.accept().await.expect("the runtime connects");
        let mut socket = acceptor.accept(tcp).await.expect("the handshake completes");
        socket.shutdown().await.expect("shuts down");
        let send = async {
            socket.write_all(b"Hello World").await?;
            socket.flush().await
        };
        tokio::time::timeout(std::time::Duration::from_secs(15), send)
            .await
            .expect("the send does not hang")
    });
    assert!(sent.is_err(), "a send after shutdown succeeded");

    assert_eq!(peer, await_ready(&exited_future));
    libprocess::terminate(&linker, true);
    libprocess::wait(&linker, None);
}

/// Messages between two OS processes over TLS: the helper reads its
/// settings from `LIBPROCESS_SSL_*`, as a libprocess binary would.
#[test]
fn ssl_messages_between_os_processes() {
    let certificates = Certificates::new();
    let environment = certificates.environment(&[]);
    ping_pong(certificates.flags("good", &[]), &environment);
}

/// libprocess/README.md's how-to: two helper processes, both configured
/// by `LIBPROCESS_SSL_*` only, ping and pong over TLS.
#[test]
fn two_processes_over_tls() {
    let certificates = Certificates::new();
    let environment = certificates.environment(&[
        ("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "true"),
        ("LIBPROCESS_SSL_CA_FILE", &certificates.ca()),
    ]);
    let (mut server, pid) = linkee_with(&environment);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_test-linkee"))
        .arg(pid.to_string())
        .env("LIBPROCESS_IP", "127.0.0.1")
        .envs(environment.iter().map(|(k, v)| (k, v)))
        .output()
        .expect("the pinger runs");
    assert!(output.status.success(), "{:?}", output);
    assert_eq!(
        format!("pong from {}\n", pid),
        String::from_utf8_lossy(&output.stdout)
    );
    server.kill().expect("kills the helper");
    server.wait().expect("reaps the helper");
}

/// A burst of messages each way over TLS: TLS buffers records, so a
/// connection that has written a batch must flush it before it waits
/// for more.
#[test]
fn burst_of_messages_over_tls() {
    let certificates = Certificates::new();
    let environment = certificates.environment(&[]);
    burst_between_os_processes(certificates.flags("good", &[]), &environment);
}

/// A TLS runtime that supports downgrade talks to a plain one: its TLS
/// connection fails and is retried in plain text, and it takes the plain
/// peer's connections on its TLS port.
#[test]
fn downgraded_messages_between_os_processes() {
    let certificates = Certificates::new();
    let flags = certificates.flags("good", &[("LIBPROCESS_SSL_SUPPORT_DOWNGRADE", "true")]);
    ping_pong(flags, &[]);
}

fn ping_pong(flags: Flags, environment: &[(String, String)]) {
    let runtime = Builder::default()
        .workers(2)
        .listen(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))
        .ssl(flags)
        .build();
    let _enter = runtime.enter();
    let (mut child, pid) = linkee_with(environment);
    let pong = Promise::new();
    let future = pong.future();
    let linker = spawn(Linker {
        pid: pid.clone(),
        pong: Some(pong),
        exited: None,
    });
    let message = await_ready(&future);
    assert_eq!(pid, message.from);
    assert_eq!(&b"hello"[..], &message.body[..]);
    libprocess::terminate(&linker, true);
    libprocess::wait(&linker, None);
    child.kill().expect("kills the helper");
    child.wait().expect("reaps the helper");
}
