//! The error type every stout operation returns, and `Try<T>`.

use std::borrow::Cow;
use std::fmt;
use std::io;

/// A failed operation: a plain message (what Mesos prints) and, optionally,
/// the lower-level error that caused it.
///
/// This is stout's `Error` (and `ErrnoError`): `Display` prints only the
/// message, exactly as Mesos prints `error.message`. The cause stays
/// reachable through [`std::error::Error::source`] for callers that want
/// the chain.
pub struct Error {
    message: Cow<'static, str>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// stout's `Try<T>`: either a value or an [`Error`].
pub type Try<T> = std::result::Result<T, Error>;

impl Error {
    /// An error with the given message and no cause.
    pub fn new(message: impl Into<Cow<'static, str>>) -> Error {
        Error {
            message: message.into(),
            source: None,
        }
    }

    /// An error whose message is `message` and whose cause is `source`.
    /// The cause is not part of the message; see [`Error::context`] for the
    /// Mesos idiom `"Failed to X: " + error`.
    pub fn with_source(
        message: impl Into<Cow<'static, str>>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        Error {
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }

    /// stout's `ErrnoError`: `"<message>: <strerror(errno)>"`.
    pub fn errno(message: impl fmt::Display, error: &io::Error) -> Error {
        Error::new(format!("{}: {}", message, strerror(error)))
    }

    /// The Mesos idiom of wrapping an error as `"<prefix>: <message>"`,
    /// keeping the original error as the cause.
    pub fn context(self, prefix: impl fmt::Display) -> Error {
        Error {
            message: Cow::Owned(format!("{}: {}", prefix, self.message)),
            source: Some(Box::new(self)),
        }
    }

    /// The message, as Mesos prints it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The text C's `strerror` gives for an I/O error that carries an errno,
/// otherwise the error's own description (without Rust's `(os error N)`).
pub fn strerror(error: &io::Error) -> String {
    match error.raw_os_error() {
        Some(code) => nix::errno::Errno::from_raw(code).desc().to_string(),
        None => error.to_string(),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("message", &self.message);
        if let Some(source) = &self.source {
            d.field("source", source);
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl PartialEq for Error {
    /// Errors compare by message, as stout's do.
    fn eq(&self, other: &Error) -> bool {
        self.message == other.message
    }
}

impl Eq for Error {}

impl From<io::Error> for Error {
    fn from(error: io::Error) -> Error {
        Error {
            message: Cow::Owned(strerror(&error)),
            source: Some(Box::new(error)),
        }
    }
}

impl From<String> for Error {
    fn from(message: String) -> Error {
        Error::new(message)
    }
}

impl From<&'static str> for Error {
    fn from(message: &'static str) -> Error {
        Error::new(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_the_plain_message() {
        let e = Error::new("boom");
        assert_eq!(e.to_string(), "boom");
        assert!(std::error::Error::source(&e).is_none());
    }

    #[test]
    fn context_prefixes_and_keeps_the_cause() {
        let e = Error::new("inner").context("Failed to read");
        assert_eq!(e.to_string(), "Failed to read: inner");
        let cause = std::error::Error::source(&e).map(|s| s.to_string());
        assert_eq!(cause.as_deref(), Some("inner"));
    }

    #[test]
    fn errno_uses_strerror_text() {
        let io = io::Error::from_raw_os_error(2);
        let e = Error::errno("Failed to open '/x'", &io);
        assert_eq!(
            e.to_string(),
            "Failed to open '/x': No such file or directory"
        );
        assert_eq!(Error::from(io).to_string(), "No such file or directory");
    }
}
