//! Role names (`src/common/roles.cpp`): validation and the hierarchy
//! that `a/b` is a subrole of `a`.

use stout::{Error, Try};

/// Whether `left` lies strictly below `right` in the role tree
/// (`a/b` below `a`, but not `ab` below `a`, nor `a` below itself).
pub fn is_strict_subrole_of(left: &str, right: &str) -> bool {
    left.len() > right.len() && left.as_bytes()[right.len()] == b'/' && left.starts_with(right)
}

/// A comma-separated list of roles (`--roles`), each one validated.
pub fn parse(text: &str) -> Try<Vec<String>> {
    let roles: Vec<String> = text
        .split(',')
        .filter(|role| !role.is_empty())
        .map(str::to_string)
        .collect();
    validate_all(&roles)?;
    Ok(roles)
}

/// The ancestors of `role`, nearest first: `a/b/c` gives `a/b`, `a`.
pub fn ancestors(role: &str) -> Vec<String> {
    role.char_indices()
        .rev()
        .filter(|&(_, c)| c == '/')
        .map(|(i, _)| role[..i].to_string())
        .collect()
}

/// Checks a role name as Mesos does, with Mesos' error texts. `*` is
/// valid.
pub fn validate(role: &str) -> Try<()> {
    if role == "*" {
        return Ok(());
    }
    let invalid = |what: &str| Err(Error::new(format!("Role '{}' {}", role, what)));
    if role.starts_with('/') {
        return invalid("cannot start with a slash");
    }
    if role.ends_with('/') {
        return invalid("cannot end with a slash");
    }
    if role.contains("//") {
        return invalid("cannot contain two adjacent slashes");
    }
    if role.is_empty() {
        return Err(Error::new("Role names cannot be the empty string"));
    }
    for component in role.split('/') {
        match component {
            "." => return invalid("cannot include '.' as a component"),
            ".." => return invalid("cannot include '..' as a component"),
            "*" => return invalid("cannot include '*' as a component"),
            _ => {}
        }
        let why = if component.starts_with('-') {
            "starts with a dash"
        } else if component
            .chars()
            .any(|c| matches!(c, '\t' | '\n' | '\x0b' | '\x0c' | '\r' | ' ' | '\x7f'))
        {
            "contains backspace or whitespace"
        } else {
            continue;
        };
        return Err(Error::new(format!(
            "Role component '{}' is invalid because it {}",
            component, why
        )));
    }
    Ok(())
}

/// [`validate`] on each role; the first error.
pub fn validate_all<S: AsRef<str>>(roles: &[S]) -> Try<()> {
    roles.iter().try_for_each(|role| validate(role.as_ref()))
}
