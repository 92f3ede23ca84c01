//! Certificate checks as libprocess makes them: a client that does not
//! verify accepts any server certificate; one that does checks the chain
//! against the trusted CAs and, under the `openssl` scheme, the name it
//! connected to. The `legacy` scheme's name check runs after the
//! handshake ([`legacy_check`]), on both sides.

use std::net::IpAddr;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

/// The client side's check of a server's certificate.
#[derive(Debug)]
pub(super) struct ServerVerifier {
    /// The trusted CAs; `None` when servers are not verified.
    pub(super) roots: Option<Arc<RootCertStore>>,
    /// Check the name during the handshake (the `openssl` scheme).
    pub(super) check_name: bool,
    pub(super) verify_ipadd: bool,
    pub(super) depth: usize,
    pub(super) algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for ServerVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(roots) = &self.roots else {
            return Ok(ServerCertVerified::assertion());
        };
        check_depth(intermediates, self.depth)?;
        let cert = ParsedCertificate::try_from(end_entity)?;
        rustls::client::verify_server_cert_signed_by_trust_anchor(
            &cert,
            roots,
            intermediates,
            now,
            self.algorithms.all,
        )?;
        if self.check_name {
            if matches!(server_name, ServerName::IpAddress(_)) && !self.verify_ipadd {
                return Err(rustls::Error::General(
                    "No DNS name given and IP address verification is disabled".to_string(),
                ));
            }
            rustls::client::verify_server_name(&cert, server_name)?;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// `VERIFICATION_DEPTH`: how many intermediates a chain may carry.
fn check_depth(intermediates: &[CertificateDer<'_>], depth: usize) -> Result<(), rustls::Error> {
    if intermediates.len() > depth {
        return Err(rustls::Error::General(format!(
            "Certificate chain has {} intermediates, more than the verification depth {}",
            intermediates.len(),
            depth
        )));
    }
    Ok(())
}

/// What the `legacy` check needs to know about a connection.
#[derive(Debug, Clone)]
pub(super) struct LegacyCheck {
    pub(super) verify_ipadd: bool,
    pub(super) require_client_cert: bool,
}

impl LegacyCheck {
    /// Checks `certificate` (the peer's, `None` if it sent none) against
    /// the peer's name: the reverse DNS name of `ip` when it resolves,
    /// else `hostname`; or `ip` itself with `verify_ipadd`.
    pub(super) async fn check(
        &self,
        certificate: Option<CertificateDer<'static>>,
        hostname: Option<String>,
        ip: Option<IpAddr>,
    ) -> Result<(), String> {
        let Some(certificate) = certificate else {
            return Err("Peer did not provide certificate".to_string());
        };
        let resolved = match ip {
            Some(ip) => tokio::task::spawn_blocking(move || dns_lookup::lookup_addr(&ip).ok())
                .await
                .ok()
                .flatten(),
            None => None,
        };
        let hostname = resolved.or(hostname);
        if hostname.is_none() && !self.verify_ipadd {
            return if self.require_client_cert {
                Err("Cannot verify peer certificate: peer hostname unknown".to_string())
            } else {
                Ok(())
            };
        }
        let cert = ParsedCertificate::try_from(&certificate).map_err(|e| e.to_string())?;
        if let Some(name) = hostname
            .as_deref()
            .and_then(|h| ServerName::try_from(h.to_string()).ok())
        {
            if rustls::client::verify_server_name(&cert, &name).is_ok() {
                return Ok(());
            }
        }
        if let Some(IpAddr::V4(v4)) = ip.filter(|_| self.verify_ipadd) {
            if rustls::client::verify_server_name(&cert, &ServerName::from(IpAddr::V4(v4))).is_ok()
            {
                return Ok(());
            }
        }
        Err(format!(
            "Could not verify presented certificate with hostname {}, IP {}",
            hostname.as_deref().unwrap_or("unknown"),
            ip.map_or_else(|| "unknown".to_string(), |ip| ip.to_string())
        ))
    }
}
