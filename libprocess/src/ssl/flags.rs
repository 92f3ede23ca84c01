//! libprocess' SSL settings (`openssl::Flags`), read from
//! `LIBPROCESS_SSL_<NAME>` or the deprecated `SSL_<NAME>`; the
//! `LIBPROCESS_SSL_` spelling wins when both are set.

use std::path::PathBuf;

use stout::{Error, Try};

/// How a peer's certificate is matched against its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HostnameValidationScheme {
    /// After the handshake: the peer's name (from reverse DNS of its IP
    /// when that resolves, else the name connected to) must be in the
    /// certificate's DNS names, or its IP in the IP addresses with
    /// `verify_ipadd`. An unknown name passes unless this process
    /// requires client certificates.
    #[default]
    Legacy,
    /// During the handshake, clients only: the name connected to (or the
    /// IP with `verify_ipadd`) must be in the server's certificate.
    OpenSsl,
}

/// The SSL settings of a runtime, as libprocess reads them from its
/// environment. The defaults are libprocess' (`Flags::default()`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flags {
    /// `ENABLED`: messages and HTTP use TLS (default false).
    pub enabled: bool,
    /// `SUPPORT_DOWNGRADE`: the listening socket also takes plain
    /// connections, and an outgoing TLS connection that fails is retried
    /// in plain text (default false).
    pub support_downgrade: bool,
    /// `CERT_FILE`: this process' certificate chain (PEM); required when
    /// enabled.
    pub cert_file: Option<PathBuf>,
    /// `KEY_FILE`: this process' private key (PEM); required when enabled.
    pub key_file: Option<PathBuf>,
    /// `VERIFY_CERT`: deprecated spelling of `verify_server_cert`.
    pub verify_cert: bool,
    /// `VERIFY_SERVER_CERT`: clients verify servers' certificates.
    pub verify_server_cert: bool,
    /// `REQUIRE_CERT`: deprecated spelling of `require_client_cert`.
    pub require_cert: bool,
    /// `REQUIRE_CLIENT_CERT`: servers require and verify clients'
    /// certificates (and clients then verify servers').
    pub require_client_cert: bool,
    /// `VERIFY_IPADD`: a certificate may match the peer by IP address.
    pub verify_ipadd: bool,
    /// `VERIFICATION_DEPTH`: the most intermediate certificates a peer's
    /// chain may have (default 4).
    pub verification_depth: u32,
    /// `CA_DIR`: a directory of PEM files with trusted certificates.
    pub ca_dir: Option<PathBuf>,
    /// `CA_FILE`: a PEM file of trusted certificates.
    pub ca_file: Option<PathBuf>,
    /// `CIPHERS`: OpenSSL names of the TLS 1.2 suites to offer. Unset
    /// means libprocess' default list, none of whose suites rustls has;
    /// rustls' TLS 1.2 suites are used instead.
    pub ciphers: Option<String>,
    /// `ECDH_CURVES`: `auto` or a list such as `P-256:P-384`.
    pub ecdh_curves: String,
    /// `HOSTNAME_VALIDATION_SCHEME`: `legacy` (default) or `openssl`.
    pub hostname_validation_scheme: HostnameValidationScheme,
    /// `ENABLE_SSL_V3`: not available in rustls (an error when true).
    pub enable_ssl_v3: bool,
    /// `ENABLE_TLS_V1_0`: not available in rustls (an error when true).
    pub enable_tls_v1_0: bool,
    /// `ENABLE_TLS_V1_1`: not available in rustls (an error when true).
    pub enable_tls_v1_1: bool,
    /// `ENABLE_TLS_V1_2` (default true).
    pub enable_tls_v1_2: bool,
    /// `ENABLE_TLS_V1_3` (default false).
    pub enable_tls_v1_3: bool,
}

impl Default for Flags {
    fn default() -> Flags {
        Flags {
            enabled: false,
            support_downgrade: false,
            cert_file: None,
            key_file: None,
            verify_cert: false,
            verify_server_cert: false,
            require_cert: false,
            require_client_cert: false,
            verify_ipadd: false,
            verification_depth: 4,
            ca_dir: None,
            ca_file: None,
            ciphers: None,
            ecdh_curves: "auto".to_string(),
            hostname_validation_scheme: HostnameValidationScheme::Legacy,
            enable_ssl_v3: false,
            enable_tls_v1_0: false,
            enable_tls_v1_1: false,
            enable_tls_v1_2: true,
            enable_tls_v1_3: false,
        }
    }
}

impl Flags {
    /// Reads the settings from this OS process' environment.
    pub fn from_environment() -> Try<Flags> {
        Flags::from_variables(|name| std::env::var(name).ok())
    }

    /// Reads the settings from `variable` (a lookup by environment
    /// variable name), so tests need not touch the process' environment.
    /// A bad value is an error naming the variable.
    pub fn from_variables(variable: impl Fn(&str) -> Option<String>) -> Try<Flags> {
        let lookup = |key: &str| -> Option<(String, String)> {
            let new = format!("LIBPROCESS_SSL_{}", key);
            let old = format!("SSL_{}", key);
            match (variable(&new), variable(&old)) {
                (Some(value), old_value) => {
                    if old_value.as_ref().is_some_and(|v| *v != value) {
                        tracing::warn!(
                            "Mismatched values for SSL environment variables {} and {}",
                            old,
                            new
                        );
                    }
                    Some((new, value))
                }
                (None, Some(value)) => Some((old, value)),
                (None, None) => None,
            }
        };
        let boolean = |key: &str, default: bool| -> Try<bool> {
            match lookup(key) {
                None => Ok(default),
                Some((name, value)) => match value.as_str() {
                    "true" | "1" => Ok(true),
                    "false" | "0" => Ok(false),
                    _ => Err(Error::new(format!(
                        "{} must be 'true', 'false', '1' or '0', got '{}'",
                        name, value
                    ))),
                },
            }
        };
        let path = |key: &str| lookup(key).map(|(_, value)| PathBuf::from(value));
        let defaults = Flags::default();
        let verification_depth = match lookup("VERIFICATION_DEPTH") {
            None => defaults.verification_depth,
            Some((name, value)) => value.parse().map_err(|_| {
                Error::new(format!(
                    "{} must be a non-negative integer, got '{}'",
                    name, value
                ))
            })?,
        };
        let hostname_validation_scheme = match lookup("HOSTNAME_VALIDATION_SCHEME") {
            None => defaults.hostname_validation_scheme,
            Some((_, value)) if value == "legacy" => HostnameValidationScheme::Legacy,
            Some((_, value)) if value == "openssl" => HostnameValidationScheme::OpenSsl,
            Some((name, value)) => {
                return Err(Error::new(format!(
                    "Unknown value for hostname_validation_scheme: {} (from {}; expected 'legacy' or 'openssl')",
                    value, name
                )))
            }
        };
        Ok(Flags {
            enabled: boolean("ENABLED", defaults.enabled)?,
            support_downgrade: boolean("SUPPORT_DOWNGRADE", defaults.support_downgrade)?,
            cert_file: path("CERT_FILE"),
            key_file: path("KEY_FILE"),
            verify_cert: boolean("VERIFY_CERT", defaults.verify_cert)?,
            verify_server_cert: boolean("VERIFY_SERVER_CERT", defaults.verify_server_cert)?,
            require_cert: boolean("REQUIRE_CERT", defaults.require_cert)?,
            require_client_cert: boolean("REQUIRE_CLIENT_CERT", defaults.require_client_cert)?,
            verify_ipadd: boolean("VERIFY_IPADD", defaults.verify_ipadd)?,
            verification_depth,
            ca_dir: path("CA_DIR"),
            ca_file: path("CA_FILE"),
            ciphers: lookup("CIPHERS").map(|(_, value)| value),
            ecdh_curves: lookup("ECDH_CURVES").map_or(defaults.ecdh_curves, |(_, value)| value),
            hostname_validation_scheme,
            enable_ssl_v3: boolean("ENABLE_SSL_V3", defaults.enable_ssl_v3)?,
            enable_tls_v1_0: boolean("ENABLE_TLS_V1_0", defaults.enable_tls_v1_0)?,
            enable_tls_v1_1: boolean("ENABLE_TLS_V1_1", defaults.enable_tls_v1_1)?,
            enable_tls_v1_2: boolean("ENABLE_TLS_V1_2", defaults.enable_tls_v1_2)?,
            enable_tls_v1_3: boolean("ENABLE_TLS_V1_3", defaults.enable_tls_v1_3)?,
        })
    }

    /// Servers require client certificates (`REQUIRE_CLIENT_CERT` or its
    /// deprecated `REQUIRE_CERT`).
    pub(crate) fn requires_client_cert(&self) -> bool {
        self.require_client_cert || self.require_cert
    }

    /// Clients verify servers: asked for, or implied by requiring client
    /// certificates, as in libprocess.
    pub(crate) fn verifies_server_cert(&self) -> bool {
        self.verify_server_cert || self.verify_cert || self.requires_client_cert()
    }
}
