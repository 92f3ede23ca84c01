//! Process identifiers: `UPID` (`id@ip:port`) and the typed `PID<P>`.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::str::FromStr;
use std::sync::Weak;

use stout::{Error, Try};

use crate::id::Id;
use crate::runtime::Cell;

/// The address a libprocess instance listens on and puts in its UPIDs.
pub type Address = SocketAddrV4;

/// A process' identity and address, `id@ip:port` (libprocess' `UPID`):
/// `master@10.0.0.5:5050`, `slave(1)@127.0.0.1:5051`.
///
/// Equality, ordering and hashing use the id and the address only. A
/// UPID handed out by `spawn` also caches a weak reference to its local
/// process, so sends through it skip the registry lookup.
#[derive(Clone)]
pub struct UPID {
    id: Id,
    address: Address,
    pub(crate) reference: Option<Weak<Cell>>,
}

impl UPID {
    /// A UPID for `id` at `address`.
    pub fn new(id: impl AsRef<str>, address: Address) -> UPID {
        UPID {
            id: Id::new(id.as_ref()),
            address,
            reference: None,
        }
    }

    /// The empty UPID (`@0.0.0.0:0`): the sender of a message posted from
    /// outside any process.
    pub fn empty() -> UPID {
        UPID::new("", SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0))
    }

    /// The process id (`master`, `slave(1)`).
    pub fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn from_parts(id: Id, address: Address) -> UPID {
        UPID {
            id,
            address,
            reference: None,
        }
    }

    pub(crate) fn into_id(self) -> Id {
        self.id
    }

    pub(crate) fn raw_id(&self) -> &Id {
        &self.id
    }

    /// The address (`ip:port`).
    pub fn address(&self) -> Address {
        self.address
    }

    /// libprocess' `operator bool`: an id, an IP and a port are all set.
    pub fn is_valid(&self) -> bool {
        !self.id.is_empty() && !self.address.ip().is_unspecified() && self.address.port() != 0
    }

    /// libprocess' `operator!`: nothing is set at all.
    pub fn is_empty(&self) -> bool {
        self.id.is_empty() && self.address.ip().is_unspecified() && self.address.port() == 0
    }

    /// Parses `id@host:port`; a host name is resolved to its IPv4 address.
    /// Bad text is an error, never a panic.
    pub fn parse(text: &str) -> Try<UPID> {
        let invalid = || Error::new(format!("Failed to parse UPID '{}'", text));
        let (id, rest) = text.split_once('@').ok_or_else(invalid)?;
        let (host, port) = rest.split_once(':').ok_or_else(invalid)?;
        let port: u16 = port.parse().map_err(|_| invalid())?;
        let ip = match host.parse::<Ipv4Addr>() {
            Ok(ip) => ip,
            Err(_) => match stout::net::resolve(host) {
                Ok(std::net::IpAddr::V4(ip)) => ip,
                _ => return Err(invalid()),
            },
        };
        Ok(UPID::new(id, SocketAddrV4::new(ip, port)))
    }

    /// This UPID without its cached process reference.
    pub(crate) fn detached(&self) -> UPID {
        UPID {
            id: self.id.clone(),
            address: self.address,
            reference: None,
        }
    }
}

impl AsRef<UPID> for UPID {
    fn as_ref(&self) -> &UPID {
        self
    }
}

impl Default for UPID {
    fn default() -> UPID {
        UPID::empty()
    }
}

impl PartialEq for UPID {
    fn eq(&self, other: &UPID) -> bool {
        self.address == other.address && self.id == other.id
    }
}

impl Eq for UPID {}

impl Hash for UPID {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
        self.address.hash(state);
    }
}

impl PartialOrd for UPID {
    fn partial_cmp(&self, other: &UPID) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for UPID {
    /// By address, then id, as libprocess orders them.
    fn cmp(&self, other: &UPID) -> std::cmp::Ordering {
        (self.address.ip(), self.address.port(), &self.id).cmp(&(
            other.address.ip(),
            other.address.port(),
            &other.id,
        ))
    }
}

impl fmt::Display for UPID {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.id, self.address)
    }
}

impl fmt::Debug for UPID {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for UPID {
    type Err = Error;

    fn from_str(s: &str) -> Try<UPID> {
        UPID::parse(s)
    }
}

/// A UPID known to name a process of type `P`, so that `dispatch` can run
/// `P`'s methods on it.
pub struct PID<P> {
    upid: UPID,
    _process: PhantomData<fn() -> P>,
}

impl<P> PID<P> {
    pub(crate) fn from_upid(upid: UPID) -> PID<P> {
        PID {
            upid,
            _process: PhantomData,
        }
    }

    /// The untyped UPID.
    pub fn upid(&self) -> &UPID {
        &self.upid
    }

    /// The process id.
    pub fn id(&self) -> &str {
        self.upid.id()
    }
}

impl<P> Clone for PID<P> {
    fn clone(&self) -> PID<P> {
        PID::from_upid(self.upid.clone())
    }
}

impl<P> PartialEq for PID<P> {
    fn eq(&self, other: &PID<P>) -> bool {
        self.upid == other.upid
    }
}

impl<P> Eq for PID<P> {}

impl<P> Hash for PID<P> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.upid.hash(state)
    }
}

impl<P> fmt::Display for PID<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.upid, f)
    }
}

impl<P> fmt::Debug for PID<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.upid, f)
    }
}

impl<P> From<PID<P>> for UPID {
    fn from(pid: PID<P>) -> UPID {
        pid.upid
    }
}

impl<P> AsRef<UPID> for PID<P> {
    fn as_ref(&self) -> &UPID {
        &self.upid
    }
}
