//! URLs: where a request goes.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use super::{encode, query};
use crate::wire::WireError;

/// A URL as libprocess' `http::URL`: scheme, host (a domain or an IP),
/// port, path, query and fragment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https`.
    pub scheme: String,
    /// A domain name or an IP address; empty on the server side.
    pub host: String,
    /// The port; 80 by default.
    pub port: u16,
    /// The path, starting with `/`.
    pub path: String,
    /// The query's decoded pairs.
    pub query: BTreeMap<String, String>,
    /// The fragment.
    pub fragment: Option<String>,
}

impl Default for Url {
    fn default() -> Url {
        Url {
            scheme: "http".to_string(),
            host: String::new(),
            port: 80,
            path: "/".to_string(),
            query: BTreeMap::new(),
            fragment: None,
        }
    }
}

impl Url {
    /// `scheme://host:port/path`.
    pub fn new(scheme: &str, host: impl fmt::Display, port: u16, path: &str) -> Url {
        Url {
            scheme: scheme.to_string(),
            host: host.to_string(),
            port,
            path: if path.starts_with('/') {
                path.to_string()
            } else {
                format!("/{}", path)
            },
            ..Url::default()
        }
    }

    /// Parses `scheme://host[:port][/path]`; the port defaults to 80 for
    /// `http` and 443 for `https`.
    pub fn parse(text: &str) -> Result<Url, WireError> {
        let (scheme, rest) = text
            .split_once("://")
            .filter(|(scheme, _)| !scheme.is_empty())
            .ok_or_else(|| WireError::new("Missing scheme in url string"))?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if authority.is_empty() {
            return Err(WireError::new("Host not found in url"));
        }
        let (host, port) = match authority.split(':').collect::<Vec<_>>()[..] {
            [host] => (host, None),
            [host, port] => (
                host,
                Some(
                    port.parse::<u16>()
                        .map_err(|e| WireError::new(format!("Failed to parse port: {}", e)))?,
                ),
            ),
            _ => return Err(WireError::new("Found multiple ports in url")),
        };
        if host.is_empty() {
            return Err(WireError::new("Host not found in url"));
        }
        let port = match (port, scheme) {
            (Some(port), _) => port,
            (None, "http") => 80,
            (None, "https") => 443,
            _ => return Err(WireError::new("Unable to determine port from url")),
        };
        Ok(Url::new(scheme, host, port, path))
    }

    /// The host as an IP address, if it is one.
    pub fn ip(&self) -> Option<IpAddr> {
        self.host.parse().ok()
    }

    /// The request target: path, query and fragment.
    pub(crate) fn target(&self) -> String {
        let mut target = format!("/{}", self.path.trim_start_matches('/'));
        if !self.query.is_empty() {
            // The request line always writes `key=value`.
            let pairs: Vec<String> = self
                .query
                .iter()
                .map(|(k, v)| format!("{}={}", encode(k, ""), encode(v, "")))
                .collect();
            target.push('?');
            target.push_str(&pairs.join("&"));
        }
        if let Some(fragment) = &self.fragment {
            target.push('#');
            target.push_str(fragment);
        }
        target
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}://{}:{}/{}",
            self.scheme,
            self.host,
            self.port,
            self.path.trim_start_matches('/')
        )?;
        if !self.query.is_empty() {
            write!(f, "?{}", query::encode(&self.query))?;
        }
        if let Some(fragment) = &self.fragment {
            write!(f, "#{}", fragment)?;
        }
        Ok(())
    }
}
