//! The TLS context built from [`Flags`]: rustls configurations for both
//! sides. What rustls cannot do as OpenSSL would (SSLv3, TLS 1.0/1.1, a
//! cipher or curve it does not implement) is an error here, at startup,
//! never a silent change of protocol.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;

use rustls::client::danger::ServerCertVerifier;
use rustls::crypto::ring::{self, cipher_suite as suite};
use rustls::crypto::{CryptoProvider, SupportedKxGroup};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{NoServerSessionStorage, WebPkiClientVerifier};
use rustls::{ClientConfig, RootCertStore, ServerConfig, SignatureAlgorithm, SupportedCipherSuite};
use stout::{Error, Try};

use super::verify::{LegacyCheck, ServerVerifier};
use super::{Flags, HostnameValidationScheme};

/// Where OpenSSL's default verify paths point on Debian and Red Hat.
const DEFAULT_CA_FILES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
];

/// OpenSSL's names of the TLS 1.2 suites rustls implements.
const CIPHERS: &[(&str, SupportedCipherSuite)] = &[
    (
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ),
    (
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        suite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    ),
    (
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        suite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ),
    (
        "ECDHE-RSA-AES128-GCM-SHA256",
        suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    ),
    (
        "ECDHE-RSA-AES256-GCM-SHA384",
        suite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    ),
    (
        "ECDHE-RSA-CHACHA20-POLY1305",
        suite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ),
];

/// A runtime's TLS settings, ready for connections.
#[derive(Debug)]
pub(crate) struct Context {
    pub(super) client: Arc<ClientConfig>,
    pub(super) server: Arc<ServerConfig>,
    pub(super) support_downgrade: bool,
    /// The `legacy` name check after a client's handshake.
    pub(super) client_check: Option<LegacyCheck>,
    /// The `legacy` name check after a server's handshake.
    pub(super) server_check: Option<LegacyCheck>,
    /// OpenSSL's names of the TLS 1.2 suites a peer may use with this
    /// side's server (those its key can sign for), and with its client:
    /// what a failed handshake for want of a shared suite suggests.
    pub(super) server_suites: String,
    pub(super) client_suites: String,
}

impl Context {
    /// Builds the context for enabled `flags`.
    pub(crate) fn new(flags: &Flags) -> Try<Context> {
        let cert_file = flags.cert_file.as_deref().ok_or_else(|| {
            Error::new("SSL requires certificate! NOTE: Set path with LIBPROCESS_SSL_CERT_FILE")
        })?;
        let key_file = flags.key_file.as_deref().ok_or_else(|| {
            Error::new("SSL requires key! NOTE: Set path with LIBPROCESS_SSL_KEY_FILE")
        })?;
        let certificates = load_certificates(cert_file)?;
        let key = load_key(key_file)?;
        let provider = Arc::new(provider(flags)?);
        let client_suites = tls12_names(&provider, None);
        let server_suites = match provider.key_provider.load_private_key(key.clone_key()) {
            Ok(signer) => tls12_names(&provider, Some(signer.algorithm())),
            Err(_) => client_suites.clone(),
        };
        let versions = versions(flags)?;
        let algorithms = provider.signature_verification_algorithms;
        let depth = usize::try_from(flags.verification_depth).unwrap_or(usize::MAX);
        let legacy = flags.hostname_validation_scheme == HostnameValidationScheme::Legacy;
        let verifies_server = flags.verifies_server_cert();
        let requires_client = flags.requires_client_cert();
        let roots = if verifies_server || requires_client {
            Some(Arc::new(load_roots(flags)?))
        } else {
            None
        };

        let verifier: Arc<dyn ServerCertVerifier> = Arc::new(ServerVerifier {
            roots: roots.clone().filter(|_| verifies_server),
            check_name: !legacy,
            verify_ipadd: flags.verify_ipadd,
            depth,
            algorithms,
        });
        let mut client = ClientConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&versions)
            .map_err(|e| Error::new(format!("Invalid TLS settings: {}", e)))?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_client_auth_cert(certificates.clone(), key.clone_key())
            .map_err(|e| Error::new(format!("Could not use the SSL certificate and key: {}", e)))?;
        // libprocess names the peer only for verification, never in SNI.
        client.enable_sni = false;

        let builder = ServerConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&versions)
            .map_err(|e| Error::new(format!("Invalid TLS settings: {}", e)))?;
        let builder = match roots.as_ref().filter(|_| requires_client) {
            Some(roots) => {
                let verifier =
                    WebPkiClientVerifier::builder_with_provider(roots.clone(), provider.clone())
                        .build()
                        .map_err(|e| {
                            Error::new(format!(
                                "Could not verify client certificates with the trusted CAs: {}",
                                e
                            ))
                        })?;
                builder.with_client_cert_verifier(verifier)
            }
            None => builder.with_no_client_auth(),
        };
        let mut server = builder
            .with_single_cert(certificates, key)
            .map_err(|e| Error::new(format!("Could not use the SSL certificate and key: {}", e)))?;
        // As libprocess: the server's cipher order, no session cache.
        server.ignore_client_order = true;
        server.session_storage = Arc::new(NoServerSessionStorage {});

        let check = LegacyCheck {
            verify_ipadd: flags.verify_ipadd,
            require_client_cert: requires_client,
        };
        Ok(Context {
            client: Arc::new(client),
            server: Arc::new(server),
            support_downgrade: flags.support_downgrade,
            client_check: (legacy && verifies_server).then(|| check.clone()),
            server_check: (legacy && requires_client).then_some(check),
            server_suites,
            client_suites,
        })
    }
}

/// rustls' ring provider with the suites and groups the flags allow.
fn provider(flags: &Flags) -> Try<CryptoProvider> {
    let mut provider = ring::default_provider();
    if let Some(list) = &flags.ciphers {
        let mut tls12 = Vec::new();
        for name in names(list) {
            match CIPHERS.iter().find(|(known, _)| *known == name) {
                Some((_, suite)) => tls12.push(*suite),
                None => {
                    return Err(Error::new(format!(
                        "LIBPROCESS_SSL_CIPHERS: '{}' has no equivalent in rustls (supported: {})",
                        name,
                        CIPHERS
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(":")
                    )))
                }
            }
        }
        if tls12.is_empty() {
            return Err(Error::new("LIBPROCESS_SSL_CIPHERS names no cipher"));
        }
        // The list covers TLS 1.2 only, as OpenSSL's does; TLS 1.3 keeps
        // its default suites.
        provider
            .cipher_suites
            .retain(|suite| suite.version() == &rustls::version::TLS13);
        provider.cipher_suites.extend(tls12);
    }
    if flags.ecdh_curves != "auto" {
        let mut groups: Vec<&'static dyn SupportedKxGroup> = Vec::new();
        for name in names(&flags.ecdh_curves) {
            groups.push(match name {
                "P-256" | "prime256v1" | "secp256r1" => ring::kx_group::SECP256R1,
                "P-384" | "secp384r1" => ring::kx_group::SECP384R1,
                "X25519" | "x25519" => ring::kx_group::X25519,
                _ => {
                    return Err(Error::new(format!(
                        "LIBPROCESS_SSL_ECDH_CURVES: '{}' has no equivalent in rustls (supported: P-256, P-384, X25519)",
                        name
                    )))
                }
            });
        }
        if groups.is_empty() {
            return Err(Error::new("LIBPROCESS_SSL_ECDH_CURVES names no curve"));
        }
        provider.kx_groups = groups;
    }
    Ok(provider)
}

/// OpenSSL's names of the TLS 1.2 suites `provider` has, joined as
/// `LIBPROCESS_SSL_CIPHERS` takes them; with `key`, only those a key of
/// that kind can authenticate (ECDSA suites for ECDSA and Ed25519 keys).
fn tls12_names(provider: &CryptoProvider, key: Option<SignatureAlgorithm>) -> String {
    let wanted = match key {
        Some(SignatureAlgorithm::RSA) => Some("-RSA-"),
        Some(SignatureAlgorithm::ECDSA | SignatureAlgorithm::ED25519) => Some("-ECDSA-"),
        _ => None,
    };
    CIPHERS
        .iter()
        .filter(|(name, suite)| {
            provider.cipher_suites.contains(suite) && wanted.is_none_or(|w| name.contains(w))
        })
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(":")
}

/// An OpenSSL list: names separated by colons, commas or spaces.
fn names(list: &str) -> impl Iterator<Item = &str> {
    list.split([':', ',', ' ']).filter(|name| !name.is_empty())
}

fn versions(flags: &Flags) -> Try<Vec<&'static rustls::SupportedProtocolVersion>> {
    for (enabled, name) in [
        (flags.enable_ssl_v3, "LIBPROCESS_SSL_ENABLE_SSL_V3"),
        (flags.enable_tls_v1_0, "LIBPROCESS_SSL_ENABLE_TLS_V1_0"),
        (flags.enable_tls_v1_1, "LIBPROCESS_SSL_ENABLE_TLS_V1_1"),
    ] {
        if enabled {
            return Err(Error::new(format!(
                "{} is set, but rustls implements only TLS 1.2 and TLS 1.3",
                name
            )));
        }
    }
    let mut versions = Vec::new();
    if flags.enable_tls_v1_2 {
        versions.push(&rustls::version::TLS12);
    }
    if flags.enable_tls_v1_3 {
        versions.push(&rustls::version::TLS13);
    }
    if versions.is_empty() {
        return Err(Error::new(
            "No TLS version is enabled (set LIBPROCESS_SSL_ENABLE_TLS_V1_2 or _V1_3)",
        ));
    }
    Ok(versions)
}

fn open(path: &Path, what: &str) -> Try<BufReader<File>> {
    File::open(path)
        .map(BufReader::new)
        .map_err(|e| Error::errno(format!("Could not load {} '{}'", what, path.display()), &e))
}

fn load_certificates(path: &Path) -> Try<Vec<CertificateDer<'static>>> {
    let certificates = rustls_pemfile::certs(&mut open(path, "cert file")?)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::errno(format!("Could not load cert file '{}'", path.display()), &e))?;
    if certificates.is_empty() {
        return Err(Error::new(format!(
            "Could not load cert file '{}': no PEM certificate in it",
            path.display()
        )));
    }
    Ok(certificates)
}

fn load_key(path: &Path) -> Try<PrivateKeyDer<'static>> {
    rustls_pemfile::private_key(&mut open(path, "key file")?)
        .map_err(|e| Error::errno(format!("Could not load key file '{}'", path.display()), &e))?
        .ok_or_else(|| {
            Error::new(format!(
                "Could not load key file '{}': no PEM private key in it",
                path.display()
            ))
        })
}

/// The trusted CAs: `CA_FILE` and every PEM file in `CA_DIR`, or the
/// system's bundle when neither is set (OpenSSL's default paths).
fn load_roots(flags: &Flags) -> Try<RootCertStore> {
    let mut files = Vec::new();
    if let Some(file) = &flags.ca_file {
        files.push(file.clone());
    }
    if let Some(dir) = &flags.ca_dir {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            Error::errno(
                format!("Could not read CA directory '{}'", dir.display()),
                &e,
            )
        })?;
        files.extend(
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.is_file()),
        );
    }
    if flags.ca_file.is_none() && flags.ca_dir.is_none() {
        files.extend(
            DEFAULT_CA_FILES
                .iter()
                .map(Path::new)
                .filter(|path| path.is_file())
                .map(Path::to_path_buf),
        );
    }
    let mut roots = RootCertStore::empty();
    for file in files {
        // Files in a CA directory need not all be certificates.
        let explicit = flags.ca_file.as_ref() == Some(&file);
        let certificates: Vec<_> = rustls_pemfile::certs(&mut open(&file, "CA file")?)
            .filter_map(Result::ok)
            .collect();
        let (added, _) = roots.add_parsable_certificates(certificates);
        if explicit && added == 0 {
            return Err(Error::new(format!(
                "Could not load CA file '{}': no usable PEM certificate in it",
                file.display()
            )));
        }
    }
    Ok(roots)
}
