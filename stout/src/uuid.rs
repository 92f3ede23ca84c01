//! `Uuid`: stout's `id::UUID`, random version-4 identifiers in Mesos'
//! lowercase hyphenated form.

use std::fmt;
use std::str::FromStr;

use crate::{Error, Try};

/// A 16-byte UUID. Displays as `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`
/// (lowercase), which is how Mesos prints and sends them.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uuid(uuid::Uuid);

impl Uuid {
    /// A random (version 4) UUID from the operating system's generator.
    pub fn random() -> Uuid {
        Uuid(uuid::Uuid::new_v4())
    }

    /// A version-4 UUID from caller-supplied random bytes, for code that
    /// draws randomness from a seeded source to stay deterministic.
    pub fn from_random_bytes(bytes: [u8; 16]) -> Uuid {
        Uuid(uuid::Builder::from_random_bytes(bytes).into_uuid())
    }

    /// The UUID whose raw bytes are `bytes` (as Mesos puts UUIDs in
    /// protobuf `bytes` fields). Fails unless there are exactly 16 bytes
    /// with an RFC 4122 version from 1 to 5, as stout requires.
    pub fn from_bytes(bytes: &[u8]) -> Try<Uuid> {
        let bytes: [u8; 16] = bytes
            .try_into()
            .map_err(|_| Error::new("Not a valid UUID"))?;
        let uuid = uuid::Uuid::from_bytes(bytes);
        match uuid.get_version_num() {
            1..=5 => Ok(Uuid(uuid)),
            _ => Err(Error::new("Not a valid UUID")),
        }
    }

    /// Parses the hyphenated (or plain 32-digit, or braced) text form.
    pub fn from_string(s: &str) -> Try<Uuid> {
        uuid::Uuid::try_parse(s)
            .map(Uuid)
            .map_err(|e| Error::new(format!("Failed to parse UUID '{}': {}", s, e)))
    }

    /// The 16 raw bytes.
    pub fn to_bytes(&self) -> [u8; 16] {
        *self.0.as_bytes()
    }

    /// The RFC 4122 version number.
    pub fn version(&self) -> usize {
        self.0.get_version_num()
    }

    /// Whether the variant is RFC 4122's.
    pub fn is_rfc4122(&self) -> bool {
        self.0.get_variant() == uuid::Variant::RFC4122
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl fmt::Debug for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Uuid {
    type Err = Error;

    fn from_str(s: &str) -> Try<Uuid> {
        Uuid::from_string(s)
    }
}
