//! Protobuf messages as JSON, the way stout's `protobuf.hpp` and
//! `jsonify.hpp` map them, by reflection over the message's descriptor
//! (`prost_reflect`), so it works for any message of any schema:
//!
//! - [`to_json`] is `JSON::protobuf(message)`: an object whose keys come
//!   out sorted (as stout's `JSON::Object`, a `std::map`, prints them).
//! - [`jsonify`] is `jsonify(JSON::Protobuf(message))`, what Mesos' HTTP
//!   APIs send: compact text with the fields in declaration order.
//! - [`parse`] is `protobuf::parse<T>(json)`.
//!
//! The rules are Mesos': original (snake_case) field names; enums by name;
//! `bytes` as base64 on output; 64-bit integers as JSON numbers; a
//! singular field is written when set, or when the schema gives it an
//! explicit default and it is not deprecated; empty repeated fields are
//! left out; infinite doubles are the strings `"Infinity"` and
//! `"-Infinity"`. On input unknown keys and `null` are ignored, numbers
//! and booleans may come as strings, an unknown enum name drops an
//! optional or repeated value, and missing required fields are an error
//! naming them (`Missing required fields: name, type`).
//!
//! [`missing_required_fields`] is `IsInitialized()` on an encoding, for
//! the required fields prost does not check, against a static [`Schema`]
//! table generated with the types.
//!
//! [`write`] and [`read`] frame binary messages with a 4-byte size, as
//! stout does for files and the external containerizer's pipes.

mod file;
mod initialized;
mod parse;
mod write;

pub use file::{read, write};
pub use initialized::{missing_required_fields, Field, MessageField, Schema, WireError};
pub use parse::{parse, parse_array};
pub use write::{format_double, jsonify, to_json};
