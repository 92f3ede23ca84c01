use stout::{flag, FlagSet, Flags};

use crate::flags_test::{json_object, JsonFlags};

#[test]
fn json_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file.json");
    stout::os::write(&file, json_object().to_string()).unwrap();

    // A bare absolute path is read as a file (deprecated in Mesos).
    let mut flags = FlagSet::<JsonFlags>::new();
    flags
        .load_map([("json", Some(file.display().to_string()))], None)
        .unwrap();
    assert_eq!(flags.json, Some(json_object()));
}

#[derive(Default)]
struct FileFlags {
    something: Option<String>,
    number: Option<u32>,
    path: Option<std::path::PathBuf>,
}

impl Flags for FileFlags {
    fn define(set: &mut FlagSet<Self>) {
        flag!(set, something).help("arg to be loaded from file");
        flag!(set, number).help("a number from a file");
        flag!(set, path).help("a path, never read");
    }
}

#[test]
fn file_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    stout::os::write(&file, "testing").unwrap();

    let mut flags = FlagSet::<FileFlags>::new();
    let value = format!("file://{}", file.display());
    flags
        .load_map([("something", Some(value.clone()))], None)
        .unwrap();
    assert_eq!(flags.something.as_deref(), Some("testing"));

    // Paths are never fetched.
    let mut flags = FlagSet::<FileFlags>::new();
    flags
        .load_map([("path", Some(value.clone()))], None)
        .unwrap();
    assert_eq!(flags.path, Some(std::path::PathBuf::from(value)));
}

// Beyond the C++ suite: fetch failures and unparsable file contents name
// the flag, the raw value and the cause.
#[test]
fn file_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let mut flags = FlagSet::<FileFlags>::new();
    let error = flags
        .load(
            None,
            ["prog", &format!("--something=file://{}", missing.display())],
        )
        .unwrap_err();
    assert_eq!(
        error.message(),
        format!(
            "Failed to load flag 'something': Failed to load value 'file://{0}': \
             Error reading file '{0}': No such file or directory",
            missing.display()
        )
    );

    // Contents are not trimmed: a trailing newline makes a number invalid.
    let file = dir.path().join("number");
    stout::os::write(&file, "42\n").unwrap();
    let mut flags = FlagSet::<FileFlags>::new();
    let error = flags
        .load(
            None,
            ["prog", &format!("--number=file://{}", file.display())],
        )
        .unwrap_err();
    assert!(error
        .message()
        .ends_with("Failed to convert into required type"));

    let mut flags = FlagSet::<JsonFlags>::new();
    let error = flags.load(None, ["prog", "--json={not json"]).unwrap_err();
    assert!(error.message().starts_with(
        "Failed to load flag 'json': Failed to load value '{not json': Failed to parse JSON:"
    ));
}
