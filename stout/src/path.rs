//! Path strings as stout handles them: joining, normalizing, basename and
//! dirname with POSIX semantics, relative paths. These work on text, not
//! on the filesystem, so they never touch the disk.

use crate::{Error, Try};

/// The separator on Linux.
pub const SEPARATOR: char = '/';

/// Joins two path parts with `/`, dropping one separator from the end of
/// `a` and one from the start of `b` (stout's `path::join`):
/// `join("a/", "/b") == "a/b"`, `join("", "a") == "/a"`.
pub fn join(a: &str, b: &str) -> String {
    join_with(a, b, SEPARATOR)
}

/// [`join`] with another separator.
pub fn join_with(a: &str, b: &str, separator: char) -> String {
    let a = a.strip_suffix(separator).unwrap_or(a);
    let b = b.strip_prefix(separator).unwrap_or(b);
    let mut joined = String::with_capacity(a.len() + b.len() + 1);
    joined.push_str(a);
    joined.push(separator);
    joined.push_str(b);
    joined
}

/// Joins every part in order with [`join`]; the empty string for none.
pub fn join_all<I, S>(parts: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut parts = parts.into_iter();
    let Some(first) = parts.next() else {
        return String::new();
    };
    parts.fold(first.as_ref().to_string(), |acc, p| join(&acc, p.as_ref()))
}

/// Whether the path starts at the root.
pub fn is_absolute(path: &str) -> bool {
    path.starts_with(SEPARATOR)
}

/// The path a `file://` URI names; other strings are returned unchanged.
pub fn from_uri(uri: &str) -> &str {
    uri.strip_prefix("file://").unwrap_or(uri)
}

/// Lexically removes `.`, `..` and repeated separators. An absolute path
/// that climbs above the root is an error; an empty path is `.`.
pub fn normalize(path: &str) -> Try<String> {
    if path.is_empty() {
        return Ok(".".to_string());
    }
    let absolute = is_absolute(path);
    let mut components: Vec<&str> = Vec::new();
    for component in path.split(SEPARATOR).filter(|c| !c.is_empty() && *c != ".") {
        if component != ".." {
            components.push(component);
        } else if components.last().is_some_and(|c| *c != "..") {
            components.pop();
        } else if absolute {
            return Err(Error::new(format!(
                "Absolute path '{}' tries to escape root",
                path
            )));
        } else {
            components.push("..");
        }
    }
    let joined = components.join("/");
    Ok(match (absolute, joined.is_empty()) {
        (true, _) => format!("/{}", joined),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    })
}

/// `path` relative to `base`, after normalizing both; both must be
/// absolute or both relative.
pub fn relative(path: &str, base: &str) -> Try<String> {
    if is_absolute(path) != is_absolute(base) {
        return Err(Error::new(
            "Relative paths can only be computed between paths which are either \
             both absolute or both relative",
        ));
    }
    let path = normalize(path)?;
    let base = normalize(base)?;
    if path == base {
        return Ok(".".to_string());
    }
    let path_parts = components(&path);
    let base_parts = components(&base);
    let common = path_parts
        .iter()
        .zip(&base_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let ups = std::iter::repeat_n("..", base_parts.len() - common);
    Ok(join_all(ups.chain(path_parts[common..].iter().copied())))
}

/// The path's components as stout's `Path` iterates them: no
/// normalization, a leading separator gives a first empty component, a
/// single trailing separator gives none.
pub fn components(path: &str) -> Vec<&str> {
    if path.is_empty() {
        return Vec::new();
    }
    let trimmed = path.strip_suffix(SEPARATOR).unwrap_or(path);
    trimmed.split(SEPARATOR).collect()
}

/// The last component, POSIX `basename(3)`: `/usr/lib` → `lib`,
/// `/usr/` → `usr`, `/` → `/`, `` → `.`.
pub fn basename(path: &str) -> &str {
    if path.is_empty() {
        return ".";
    }
    let trimmed = path.trim_end_matches(SEPARATOR);
    if trimmed.is_empty() {
        return "/";
    }
    match trimmed.rfind(SEPARATOR) {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// All but the last component, POSIX `dirname(3)`: `/usr/lib` → `/usr`,
/// `/usr/` → `/`, `usr` → `.`, `/` → `/`.
pub fn dirname(path: &str) -> &str {
    if path.is_empty() {
        return ".";
    }
    let trimmed = path.trim_end_matches(SEPARATOR);
    if trimmed.is_empty() {
        return "/";
    }
    let Some(i) = trimmed.rfind(SEPARATOR) else {
        return ".";
    };
    let parent = trimmed[..i].trim_end_matches(SEPARATOR);
    if parent.is_empty() {
        "/"
    } else {
        parent
    }
}

/// The extension of the last component including its dot (`a.tar.gz` →
/// `.gz`, `.bashrc` → `.bashrc`); `None` without one, and for `.`/`..`.
pub fn extension(path: &str) -> Option<&str> {
    let base = basename(path);
    if base == "." || base == ".." {
        return None;
    }
    base.rfind('.').map(|i| &base[i..])
}
