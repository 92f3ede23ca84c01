//! stout's string helpers that Mesos' parsers rely on.

/// What stout's `strings::trim` removes by default: spaces, tabs,
/// newlines and carriage returns (not every Unicode space).
pub const WHITESPACE: [char; 4] = [' ', '\t', '\n', '\r'];

/// stout's `strings::trim`: `text` without [`WHITESPACE`] at either end.
///
/// ```
/// assert_eq!("cpus", stout::strings::trim(" \tcpus\r\n"));
/// assert_eq!("\u{a0}cpus", stout::strings::trim("\u{a0}cpus "));
/// ```
pub fn trim(text: &str) -> &str {
    text.trim_matches(WHITESPACE)
}
