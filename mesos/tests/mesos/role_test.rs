//! The role-name tests of Mesos' RoleTest (src/tests/role_tests.cpp); the
//! rest of that suite drives a running master.

use mesos::common::roles;

#[test]
fn parsing() {
    let expected = vec!["abc", "edf", "hgi"];

    assert_eq!(expected, roles::parse("abc,edf,hgi").unwrap());
    assert_eq!(expected, roles::parse("abc,edf,hgi,").unwrap());
    assert_eq!(expected, roles::parse(",abc,edf,hgi").unwrap());
    assert_eq!(expected, roles::parse("abc,,edf,hgi").unwrap());

    assert!(roles::parse("foo,.,*").is_err());
}

#[test]
fn ancestors() {
    assert!(roles::ancestors("role").is_empty());
    assert_eq!(vec!["a/b/c", "a/b", "a"], roles::ancestors("a/b/c/d"));
}

#[test]
fn validate() {
    for valid in [
        "foo",
        "123",
        "foo_123",
        "*",
        "foo-bar",
        "foo.bar",
        "foo..bar",
        "...",
        "foo/bar",
        "foo/.bar",
        "foo/bar/baz",
        "a/b/c/d/e/f/g/h",
    ] {
        assert!(roles::validate(valid).is_ok(), "{valid:?}");
    }

    for invalid in [
        "", ".", "..", "-foo", "/", "/foo", "foo/", "foo//bar", "foo/bar/", "foo bar", "foo\tbar",
        "foo\nbar",
    ] {
        assert!(roles::validate(invalid).is_err(), "{invalid:?}");
    }

    for invalid in [
        "./.",
        "../..",
        "./foo",
        "../foo",
        "foo/.",
        "foo/..",
        "foo/./bar",
        "foo/../bar",
        "foo/-bar",
        "foo/*",
        "foo/*/bar",
        "*/foo",
    ] {
        assert!(roles::validate(invalid).is_err(), "{invalid:?}");
    }

    assert!(roles::validate_all(&["foo", "bar", "*"]).is_ok());
    assert!(roles::validate_all(&["foo", ".", "*"]).is_err());
}

#[test]
fn is_strict_subrole_of() {
    assert!(roles::is_strict_subrole_of("foo/bar", "foo"));
    assert!(roles::is_strict_subrole_of("foo/bar/baz", "foo"));
    assert!(!roles::is_strict_subrole_of("foo", "foo"));
    assert!(!roles::is_strict_subrole_of("bar", "foo"));
    assert!(!roles::is_strict_subrole_of("foobar", "foo"));
}

/// The texts Mesos gives for each kind of bad name.
#[test]
fn validation_errors_name_the_problem() {
    let error = |role: &str| roles::validate(role).unwrap_err().to_string();
    assert_eq!("Role '/foo' cannot start with a slash", error("/foo"));
    assert_eq!("Role 'foo/' cannot end with a slash", error("foo/"));
    assert_eq!(
        "Role 'a//b' cannot contain two adjacent slashes",
        error("a//b")
    );
    assert_eq!("Role names cannot be the empty string", error(""));
    assert_eq!("Role 'a/.' cannot include '.' as a component", error("a/."));
    assert_eq!(
        "Role '../a' cannot include '..' as a component",
        error("../a")
    );
    assert_eq!("Role '*/a' cannot include '*' as a component", error("*/a"));
    assert_eq!(
        "Role component '-a' is invalid because it starts with a dash",
        error("b/-a")
    );
    assert_eq!(
        "Role component 'a b' is invalid because it contains backspace or whitespace",
        error("a b")
    );
}
