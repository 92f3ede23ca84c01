//! The port of Apache Mesos' stout: the utility layer under libprocess and
//! Mesos.
//!
//! Where Rust already has the thing, stout's vocabulary maps onto it:
//!
//! | stout (C++)            | here                                  |
//! |------------------------|---------------------------------------|
//! | `Try<T>`               | [`Try<T>`] = `Result<T, Error>`       |
//! | `Error`, `ErrnoError`  | [`Error`], [`Error::errno`]           |
//! | `Option<T>`, `None()`  | `Option<T>`, `None`                   |
//! | `Result<T>` (some, none or error) | `Try<Option<T>>`           |
//! | `Nothing`              | `()`                                  |
//! | `Duration`, `Seconds(n)`... | [`Duration`], [`Duration::from_secs`]... |
//! | `Bytes`, `Megabytes(n)`... | [`Bytes`], [`Bytes::megabytes`]... |
//! | `flags::FlagsBase`     | [`Flags`] + [`FlagSet`]               |
//! | `id::UUID`             | [`Uuid`]                              |
//! | `JSON::Value`          | `serde_json::Value` with [`json`] helpers |
//! | `JSON::protobuf`, `protobuf::parse` | [`protobuf::to_json`], [`protobuf::parse`] (over `prost_reflect`) |
//! | `net::IP`, `IP::Network` | `std::net::IpAddr`, [`net::IpNetwork`] |
//! | `os::`, `path::`       | [`os`], [`path`]                      |
//! | `hashmap`, `hashset`   | `std::collections::{HashMap, HashSet}` |
//!
//! Every parser returns an [`Error`] on bad input; nothing here panics on
//! input from outside the program.

mod bytes;
mod duration;
mod error;
pub mod flags;
pub mod json;
pub mod net;
pub mod numify;
pub mod os;
pub mod path;
pub mod protobuf;
pub mod recordio;
pub mod strings;
mod uuid;

pub use bytes::Bytes;
pub use duration::Duration;
pub use error::{strerror, Error, Try};
pub use flags::{FlagSet, Flags};
pub use uuid::Uuid;
