//! IP addresses and networks, host name resolution, and the choice of the
//! address a daemon binds and advertises.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};
use std::str::FromStr;

use crate::{Error, Try};

/// Parses an IPv4 or IPv6 address.
pub fn parse_ip(text: &str) -> Try<IpAddr> {
    IpAddr::from_str(text).map_err(|_| Error::new(format!("Failed to parse IP '{}'", text)))
}

/// Parses an IPv4 address.
pub fn parse_ipv4(text: &str) -> Try<Ipv4Addr> {
    Ipv4Addr::from_str(text).map_err(|_| Error::new(format!("Failed to parse IPv4 '{}'", text)))
}

/// Parses an IPv6 address.
pub fn parse_ipv6(text: &str) -> Try<Ipv6Addr> {
    Ipv6Addr::from_str(text).map_err(|_| Error::new(format!("Failed to parse IPv6 '{}'", text)))
}

/// An address with a prefix length (`10.0.0.1/8`), stout's
/// `IP::Network`. The host bits of the address are kept.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpNetwork {
    address: IpAddr,
    prefix: u8,
}

impl IpNetwork {
    /// The network of `address` with a `prefix`-bit netmask; the prefix
    /// must fit the family (≤ 32 for IPv4, ≤ 128 for IPv6).
    pub fn new(address: IpAddr, prefix: i64) -> Try<IpNetwork> {
        let max = if address.is_ipv4() { 32 } else { 128 };
        if !(0..=max).contains(&prefix) {
            return Err(Error::new(format!(
                "Subnet prefix is larger than {} or negative: {}",
                max, prefix
            )));
        }
        Ok(IpNetwork {
            address,
            prefix: prefix as u8,
        })
    }

    /// The network of `address` with `netmask`, which must be of the same
    /// family and made of leading one bits.
    pub fn with_netmask(address: IpAddr, netmask: IpAddr) -> Try<IpNetwork> {
        let bits: u128 = match (address, netmask) {
            (IpAddr::V4(_), IpAddr::V4(mask)) => u128::from(u32::from(mask)) << 96,
            (IpAddr::V6(_), IpAddr::V6(mask)) => u128::from(mask),
            _ => {
                return Err(Error::new(
                    "The network and netmask must be of the same family",
                ))
            }
        };
        let prefix = bits.leading_ones();
        if bits.checked_shl(prefix).unwrap_or(0) != 0 {
            return Err(Error::new(format!("Netmask is not valid: {}", netmask)));
        }
        IpNetwork::new(address, i64::from(prefix))
    }

    /// Parses `<address>/<prefix>`.
    pub fn parse(text: &str) -> Try<IpNetwork> {
        let invalid = || Error::new(format!("Failed to parse IP network '{}'", text));
        let (address, prefix) = text.split_once('/').ok_or_else(invalid)?;
        let address = parse_ip(address)?;
        let prefix: i64 = prefix.parse().map_err(|_| invalid())?;
        IpNetwork::new(address, prefix)
    }

    /// The address, host bits included.
    pub fn address(&self) -> IpAddr {
        self.address
    }

    /// The prefix length.
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// The netmask as an address of the same family.
    pub fn netmask(&self) -> IpAddr {
        match self.address {
            IpAddr::V4(_) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                IpAddr::V4(Ipv4Addr::from(mask))
            }
            IpAddr::V6(_) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                IpAddr::V6(Ipv6Addr::from(mask))
            }
        }
    }
}

impl fmt::Display for IpNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

impl fmt::Debug for IpNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for IpNetwork {
    type Err = Error;

    fn from_str(s: &str) -> Try<IpNetwork> {
        IpNetwork::parse(s)
    }
}

/// The first IPv4 address `hostname` resolves to (stout's
/// `net::getIP(hostname, AF_INET)`); an IP literal resolves to itself.
pub fn resolve(hostname: &str) -> Try<IpAddr> {
    if let Ok(ip) = parse_ip(hostname) {
        return Ok(ip);
    }
    let addresses = (hostname, 0)
        .to_socket_addrs()
        .map_err(|e| Error::new(format!("Failed to resolve '{}': {}", hostname, e)))?;
    let addresses: Vec<IpAddr> = addresses.map(|a| a.ip()).collect();
    addresses
        .iter()
        .find(|ip| ip.is_ipv4())
        .or_else(|| addresses.first())
        .copied()
        .ok_or_else(|| Error::new(format!("No IP address found for '{}'", hostname)))
}

/// The address to advertise to peers for a socket bound to `bind`: `bind`
/// itself unless it is the wildcard, else what this host's name resolves
/// to, as libprocess does.
pub fn advertise_address(bind: IpAddr) -> Try<IpAddr> {
    if !bind.is_unspecified() {
        return Ok(bind);
    }
    let hostname = crate::os::hostname()?;
    resolve(&hostname).map_err(|e| {
        Error::new(format!(
            "Failed to obtain the IP address for '{}'; the DNS service may not be able \
             to resolve it: {}",
            hostname, e
        ))
    })
}
