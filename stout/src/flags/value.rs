//! How a flag's text becomes a typed value: `file://` fetching, then parsing.

use std::borrow::Cow;
use std::net::IpAddr;
use std::path::PathBuf;

use crate::{strerror, Bytes, Duration, Error, Try};

/// A type a flag can hold: stout's `flags::parse<T>` and `flags::fetch<T>`.
///
/// Implemented for `bool`, the integer types, `f64`, `String`, [`Duration`],
/// [`Bytes`], [`PathBuf`], [`IpAddr`] and `serde_json::Value` (JSON flags).
/// Implement it for a type of your own to use that type in flags.
pub trait FlagValue: Sized + 'static {
    /// Whether the flag is a boolean: `--[no-]name` forms, and an absent
    /// value means true.
    const BOOLEAN: bool = false;

    /// Parses the (already fetched) text.
    fn parse(text: &str) -> Try<Self>;

    /// The text to parse for a raw value. By default a `file://<path>` value
    /// is replaced by the file's contents, as stout does for every type
    /// but paths.
    fn fetch(value: &str) -> Try<Cow<'_, str>> {
        fetch_file(value)
    }

    /// The value as Mesos prints it in `--help` defaults, `/flags` and
    /// the environment built from flags.
    fn stringify(&self) -> String;
}

/// A field a flag writes into: a [`FlagValue`] (required unless it has a
/// default) or an `Option` of one (optional, unset until loaded).
pub trait FlagField: Sized + 'static {
    /// Whether the flag is a boolean.
    const BOOLEAN: bool;
    /// Whether the field is an `Option` (never required, no default).
    const OPTIONAL: bool;

    /// Fetches and parses `value` into the field.
    fn load(&mut self, value: &str) -> Try<()>;

    /// The current value as text, `None` for an unset option.
    fn stringify(&self) -> Option<String>;
}

impl<T: FlagValue> FlagField for T {
    const BOOLEAN: bool = T::BOOLEAN;
    const OPTIONAL: bool = false;

    fn load(&mut self, value: &str) -> Try<()> {
        *self = T::parse(&T::fetch(value)?)?;
        Ok(())
    }

    fn stringify(&self) -> Option<String> {
        Some(FlagValue::stringify(self))
    }
}

impl<T: FlagValue> FlagField for Option<T> {
    const BOOLEAN: bool = T::BOOLEAN;
    const OPTIONAL: bool = true;

    fn load(&mut self, value: &str) -> Try<()> {
        *self = Some(T::parse(&T::fetch(value)?)?);
        Ok(())
    }

    fn stringify(&self) -> Option<String> {
        self.as_ref().map(FlagValue::stringify)
    }
}

const FILE_PREFIX: &str = "file://";

/// Replaces a `file://<path>` value with the file's contents (untrimmed).
fn fetch_file(value: &str) -> Try<Cow<'_, str>> {
    match value.strip_prefix(FILE_PREFIX) {
        Some(path) => read(path).map(Cow::Owned),
        None => Ok(Cow::Borrowed(value)),
    }
}

fn read(path: &str) -> Try<String> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::new(format!("Error reading file '{}': {}", path, strerror(&e))))
}

const CONVERT_ERROR: &str = "Failed to convert into required type";

impl FlagValue for bool {
    const BOOLEAN: bool = true;

    fn parse(text: &str) -> Try<bool> {
        match text {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(Error::new("Expecting a boolean (e.g., true or false)")),
        }
    }

    fn stringify(&self) -> String {
        self.to_string()
    }
}

impl FlagValue for String {
    fn parse(text: &str) -> Try<String> {
        Ok(text.to_string())
    }

    fn stringify(&self) -> String {
        self.clone()
    }
}

// Numbers are read as a C++ stream reads them: leading whitespace skipped,
// the whole rest consumed.
macro_rules! numeric_flag_value {
    ($($t:ty),*) => {$(
        impl FlagValue for $t {
            fn parse(text: &str) -> Try<$t> {
                text.trim_start().parse().map_err(|_| Error::new(CONVERT_ERROR))
            }

            fn stringify(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

numeric_flag_value!(i8, i16, i32, i64, u8, u16, u32, u64, usize, f64);

impl FlagValue for Duration {
    fn parse(text: &str) -> Try<Duration> {
        Duration::parse(text)
    }

    fn stringify(&self) -> String {
        self.to_string()
    }
}

impl FlagValue for Bytes {
    fn parse(text: &str) -> Try<Bytes> {
        Bytes::parse(text)
    }

    fn stringify(&self) -> String {
        self.to_string()
    }
}

impl FlagValue for IpAddr {
    fn parse(text: &str) -> Try<IpAddr> {
        crate::net::parse_ip(text)
    }

    fn stringify(&self) -> String {
        self.to_string()
    }
}

impl FlagValue for PathBuf {
    fn parse(text: &str) -> Try<PathBuf> {
        Ok(PathBuf::from(text))
    }

    /// A path is never fetched: the value is the path itself.
    fn fetch(value: &str) -> Try<Cow<'_, str>> {
        Ok(Cow::Borrowed(value))
    }

    fn stringify(&self) -> String {
        self.display().to_string()
    }
}

impl FlagValue for serde_json::Value {
    fn parse(text: &str) -> Try<serde_json::Value> {
        crate::json::parse(text)
    }

    /// Besides `file://`, an absolute path names a file holding the JSON
    /// (deprecated in Mesos, still accepted by its JSON flags).
    fn fetch(value: &str) -> Try<Cow<'_, str>> {
        if value.starts_with('/') {
            read(value).map(Cow::Owned)
        } else {
            fetch_file(value)
        }
    }

    fn stringify(&self) -> String {
        self.to_string()
    }
}
