use stout::{flag, Duration, Error, FlagSet, Flags};

#[derive(Default)]
struct TestFlags {
    name1: String,
    name2: i32,
    name3: bool,
    name4: Option<bool>,
    name5: Option<bool>,
}

impl Flags for TestFlags {
    fn define(set: &mut FlagSet<Self>) {
        flag!(set, name1).help("Set name1").default("ben folds");
        flag!(set, name2).help("Set name2").default(42);
        flag!(set, name3).help("Set name3").default(false);
        flag!(set, name4).help("Set name4");
        flag!(set, name5).help("Set name5");
    }
}

fn args(line: &[&str]) -> Vec<String> {
    line.iter().map(|s| s.to_string()).collect()
}

fn assert_loaded_values(flags: &FlagSet<TestFlags>) {
    assert_eq!(flags.name1, "billy joel");
    assert_eq!(flags.name2, 43);
    assert!(!flags.name3);
    assert_eq!(flags.name4, Some(false));
    assert_eq!(flags.name5, Some(true));
}

const LOAD_MAP: [(&str, Option<&str>); 5] = [
    ("name1", Some("billy joel")),
    ("name2", Some("43")),
    ("name3", Some("false")),
    ("no-name4", None),
    ("name5", None),
];

#[test]
fn load() {
    let mut flags = FlagSet::<TestFlags>::new();
    flags.load_map(LOAD_MAP, None).unwrap();
    assert_loaded_values(&flags);
}

#[test]
fn add() {
    #[derive(Default)]
    struct AddFlags {
        name1: Option<String>,
        name2: bool,
        name3: Option<String>,
        name4: Option<String>,
    }
    impl Flags for AddFlags {
        fn define(set: &mut FlagSet<Self>) {
            flag!(set, name1).help("Also set name1");
            flag!(set, name2).help("Also set name2").default(true);
            flag!(set, name3).help("Also set name3");
            flag!(set, name4).help("Also set name4");
        }
    }

    let mut flags = FlagSet::<AddFlags>::new();
    flags
        .load_map(
            [
                ("name1", Some("ben folds")),
                ("no-name2", None),
                ("name4", Some("")),
            ],
            None,
        )
        .unwrap();
    assert_eq!(flags.name1.as_deref(), Some("ben folds"));
    assert!(!flags.name2);
    assert_eq!(flags.name3, None);
    assert_eq!(flags.name4.as_deref(), Some(""));
}

#[derive(Default)]
struct AliasFlags {
    name1: Option<String>,
    name2: bool,
    name3: String,
}

impl Flags for AliasFlags {
    fn define(set: &mut FlagSet<Self>) {
        flag!(set, name1).alias("alias1").help("Also set name1");
        flag!(set, name2)
            .alias("alias2")
            .help("Also set name2")
            .default(true);
        flag!(set, name3)
            .alias("alias3")
            .help("Also set name3")
            .default("value8");
    }
}

#[test]
fn alias() {
    let mut flags = FlagSet::<AliasFlags>::new();
    flags
        .load_map(
            [
                ("alias1", Some("foo")),
                ("no-alias2", None),
                ("alias3", Some("bar")),
            ],
            None,
        )
        .unwrap();
    assert_eq!(flags.name1.as_deref(), Some("foo"));
    assert!(!flags.name2);
    assert_eq!(flags.name3, "bar");
}

#[test]
fn flags() {
    let mut flags = FlagSet::<TestFlags>::new();
    flags.load_map(LOAD_MAP, None).unwrap();
    assert_loaded_values(&flags);
}

#[test]
fn load_from_environment() {
    let vars = [
        ("FLAGSTEST_LFE_name1", "billy joel"),
        ("FLAGSTEST_LFE_name2", "43"),
        ("FLAGSTEST_LFE_no-name3", ""),
        ("FLAGSTEST_LFE_no-name4", ""),
        ("FLAGSTEST_LFE_name5", ""),
    ];
    for (k, v) in vars {
        std::env::set_var(k, v);
    }
    let mut flags = FlagSet::<TestFlags>::new();
    let load = flags.load_environment("FLAGSTEST_LFE_");
    for (k, _) in vars {
        std::env::remove_var(k);
    }
    assert_eq!(load.unwrap(), vec![]);
    assert_loaded_values(&flags);
}

#[test]
fn load_from_command_line() {
    let mut flags = FlagSet::<TestFlags>::new();
    let warnings = flags
        .load(
            Some("FLAGSTEST_"),
            [
                "/path/to/program",
                "--name1=billy joel",
                "--name2=43",
                "--no-name3",
                "--no-name4",
                "--name5",
            ],
        )
        .unwrap();
    assert!(warnings.is_empty());
    assert_loaded_values(&flags);
}

#[test]
fn load_from_command_line_with_non_flags() {
    let mut flags = FlagSet::<TestFlags>::new();
    let warnings = flags
        .load(
            Some("FLAGSTEST_"),
            [
                "/path/to/program",
                "more",
                "--name1=billy joel",
                "stuff",
                "at",
                "--name2=43",
                "--no-name3",
                "--no-name4",
                "--name5",
                "the",
                "end",
            ],
        )
        .unwrap();
    assert!(warnings.is_empty());
    assert_loaded_values(&flags);
}

const DASH_DASH_LINE: [&str; 10] = [
    "/path/to/program",
    "more",
    "--name1=billy joel",
    "stuff",
    "at",
    "--name2=43",
    "--no-name3",
    "--",
    "--no-name4",
    "--name5",
];

fn assert_dash_dash_values(flags: &FlagSet<TestFlags>) {
    assert_eq!(flags.name1, "billy joel");
    assert_eq!(flags.name2, 43);
    assert!(!flags.name3);
    assert_eq!(flags.name4, None);
    assert_eq!(flags.name5, None);
}

#[test]
fn load_from_command_line_with_dash_dash() {
    let mut flags = FlagSet::<TestFlags>::new();
    let mut line = args(&DASH_DASH_LINE);
    line.push("the".into());
    let warnings = flags.load(Some("FLAGSTEST_"), &line).unwrap();
    assert!(warnings.is_empty());
    assert_dash_dash_values(&flags);
}

#[test]
fn load_from_command_line_and_update_argc_argv() {
    let mut flags = FlagSet::<TestFlags>::new();
    let mut line = args(&DASH_DASH_LINE);
    line.push("the".into());
    let warnings = flags
        .load_and_update(Some("FLAGSTEST_"), &mut line)
        .unwrap();
    assert!(warnings.is_empty());
    assert_dash_dash_values(&flags);
    assert_eq!(
        line,
        args(&[
            "/path/to/program",
            "more",
            "stuff",
            "at",
            "--no-name4",
            "--name5",
            "the"
        ])
    );
}

#[test]
fn stringification() {
    #[derive(Default)]
    struct StringFlags {
        base: TestFlags,
        name6: Duration,
        name7: Option<bool>,
        name8: Option<bool>,
    }
    impl Flags for StringFlags {
        fn define(set: &mut FlagSet<Self>) {
            set.add("name1", |f| &f.base.name1, |f| &mut f.base.name1)
                .help("Set name1")
                .default("ben folds");
            set.add("name2", |f| &f.base.name2, |f| &mut f.base.name2)
                .help("Set name2")
                .default(42);
            set.add("name3", |f| &f.base.name3, |f| &mut f.base.name3)
                .help("Set name3")
                .default(false);
            set.add("name4", |f| &f.base.name4, |f| &mut f.base.name4)
                .help("Set name4");
            set.add("name5", |f| &f.base.name5, |f| &mut f.base.name5)
                .help("Set name5");
            flag!(set, name6)
                .help("Also set name6")
                .default(Duration::from_millis(42));
            flag!(set, name7).help("Optional name7");
            flag!(set, name8).help("Optional name8");
        }
    }

    let mut flags = FlagSet::<StringFlags>::new();
    flags
        .load_map(
            [("name2", Some("43")), ("no-name4", None), ("name5", None)],
            None,
        )
        .unwrap();
    let expected = [
        ("name1", Some("ben folds")),
        ("name2", Some("43")),
        ("name3", Some("false")),
        ("name4", Some("false")),
        ("name5", Some("true")),
        ("name6", Some("42ms")),
        ("name7", None),
        ("name8", None),
    ];
    for (name, value) in expected {
        assert_eq!(flags.stringify(name).as_deref(), value, "{name}");
    }
}

#[test]
fn effective_name() {
    #[derive(Default)]
    struct EffectiveFlags {
        name1: Option<String>,
        name2: String,
    }
    impl Flags for EffectiveFlags {
        fn define(set: &mut FlagSet<Self>) {
            flag!(set, name1).alias("alias1").help("Also set name1");
            flag!(set, name2)
                .alias("alias2")
                .help("Also set name2")
                .default("value7");
        }
    }

    let mut flags = FlagSet::<EffectiveFlags>::new();
    flags.load_map([("alias1", Some("value6"))], None).unwrap();
    assert_eq!(flags.effective_name("name1"), Some("alias1"));
    assert_eq!(flags.effective_name("name2"), Some("name2"));
}

#[derive(Default)]
struct DeprecatedFlags {
    name: Option<String>,
}

impl Flags for DeprecatedFlags {
    fn define(set: &mut FlagSet<Self>) {
        flag!(set, name)
            .deprecated_alias("alias")
            .help("Also set name");
    }
}

#[test]
fn deprecation_warning() {
    let mut flags = FlagSet::<DeprecatedFlags>::new();
    let warnings = flags.load_map([("alias", Some("value6"))], None).unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].message, "Loaded deprecated flag 'alias'");
}

#[test]
fn duplicates_from_environment() {
    std::env::set_var("FLAGSTEST_DFE_name1", "ben folds");
    std::env::set_var("FLAGSTEST_DFE_name2", "50");

    let mut flags = FlagSet::<TestFlags>::new();
    let first = flags.load(
        Some("FLAGSTEST_DFE_"),
        ["/path/to/program", "--name1=billy joel"],
    );
    let (first_name1, first_name2) = (flags.name1.clone(), flags.name2);

    let mut flags = FlagSet::<TestFlags>::new();
    let second = flags.load_map([("name1", Some("billy joel"))], Some("FLAGSTEST_DFE_"));
    let (second_name1, second_name2) = (flags.name1.clone(), flags.name2);

    let mut flags = FlagSet::<TestFlags>::new();
    let third = flags.load_map(
        [("name1", Some("billy joel")), ("name2", Some("51"))],
        Some("FLAGSTEST_DFE_"),
    );

    std::env::remove_var("FLAGSTEST_DFE_name1");
    std::env::remove_var("FLAGSTEST_DFE_name2");

    // The explicit value wins over the environment, without a duplicate.
    assert!(first.unwrap().is_empty());
    assert_eq!((first_name1.as_str(), first_name2), ("billy joel", 50));
    assert!(second.unwrap().is_empty());
    assert_eq!((second_name1.as_str(), second_name2), ("billy joel", 50));
    assert!(third.unwrap().is_empty());
    assert_eq!((flags.name1.as_str(), flags.name2), ("billy joel", 51));
}

#[test]
fn duplicates_from_command_line() {
    let mut flags = FlagSet::<TestFlags>::new();
    let error = flags
        .load(
            Some("FLAGSTEST_"),
            [
                "/path/to/program",
                "--name1=billy joel",
                "--name1=ben folds",
            ],
        )
        .unwrap_err();
    assert_eq!(
        error.message(),
        "Flag 'name1' is already loaded via name 'name1'"
    );
}

#[test]
fn alias_duplicate_from_command_line() {
    let mut flags = FlagSet::<DeprecatedFlags>::new();
    let error = flags
        .load(
            Some("FLAGSTEST_"),
            ["/path/to/program", "--name=billy joel", "--alias=ben folds"],
        )
        .unwrap_err();
    assert_eq!(
        error.message(),
        "Flag 'name' is already loaded via name 'alias'"
    );
}

#[test]
fn errors() {
    #[derive(Default)]
    struct ErrorFlags {
        base: TestFlags,
        name6: Option<i32>,
    }
    impl Flags for ErrorFlags {
        fn define(set: &mut FlagSet<Self>) {
            set.add("name1", |f| &f.base.name1, |f| &mut f.base.name1)
                .help("Set name1")
                .default("ben folds");
            set.add("name2", |f| &f.base.name2, |f| &mut f.base.name2)
                .help("Set name2")
                .default(42);
            set.add("name3", |f| &f.base.name3, |f| &mut f.base.name3)
                .help("Set name3")
                .default(false);
            flag!(set, name6).help("Also set name6");
        }
    }

    let cases = [
        ("--foo", "Failed to load unknown flag 'foo'"),
        ("--foo=value", "Failed to load unknown flag 'foo'"),
        ("--no-foo", "Failed to load unknown flag 'foo' via 'no-foo'"),
        (
            "--no-name3=value",
            "Failed to load boolean flag 'name3' via 'no-name3' with value 'value'",
        ),
        (
            "--name3=value",
            "Failed to load flag 'name3': Failed to load value 'value': \
             Expecting a boolean (e.g., true or false)",
        ),
        (
            "--name1",
            "Failed to load non-boolean flag 'name1': Missing value",
        ),
        (
            "--no-name2",
            "Failed to load non-boolean flag 'name2' via 'no-name2'",
        ),
        (
            "--name6=",
            "Failed to load flag 'name6': Failed to load value '': \
             Failed to convert into required type",
        ),
    ];
    let mut flags = FlagSet::<ErrorFlags>::new();
    for (arg, message) in cases {
        let error = flags
            .load(Some("FLAGSTEST_"), ["/path/to/program", arg])
            .unwrap_err();
        assert_eq!(error.message(), message, "{arg}");
    }
}

#[test]
fn missing_required_flag() {
    #[derive(Default)]
    struct RequiredFlags {
        name1: String,
        required_flag: String,
    }
    impl Flags for RequiredFlags {
        fn define(set: &mut FlagSet<Self>) {
            flag!(set, name1).help("Set name1").default("ben folds");
            flag!(set, required_flag).help("This flag is required");
        }
    }

    let mut flags = FlagSet::<RequiredFlags>::new();
    let error = flags
        .load(Some("FLAGSTEST_"), ["/path/to/program", "--name1=name"])
        .unwrap_err();
    assert_eq!(
        error.message(),
        "Flag 'required_flag' is required, but it was not provided"
    );
}

#[test]
fn validate() {
    #[derive(Default)]
    struct ValidateFlags {
        duration: Duration,
    }
    impl Flags for ValidateFlags {
        fn define(set: &mut FlagSet<Self>) {
            flag!(set, duration)
                .help("Duration to test")
                .default(Duration::from_secs(10))
                .validate(|value| {
                    (*value > Duration::from_hrs(1))
                        .then(|| Error::new("Expected --duration to be less than 1 hour"))
                });
        }
    }

    let mut flags = FlagSet::<ValidateFlags>::new();
    let error = flags
        .load(None, ["/path/to/program", "--duration=2hrs"])
        .unwrap_err();
    assert_eq!(
        error.message(),
        "Expected --duration to be less than 1 hour"
    );
}

#[derive(Default)]
struct UsageFlags {
    base: TestFlags,
    z6: Option<String>,
    z7: bool,
    z8: String,
}

impl Flags for UsageFlags {
    fn define(set: &mut FlagSet<Self>) {
        set.add("name1", |f| &f.base.name1, |f| &mut f.base.name1)
            .help("Set name1")
            .default("ben folds");
        set.add("name2", |f| &f.base.name2, |f| &mut f.base.name2)
            .help("Set name2")
            .default(42);
        set.add("name3", |f| &f.base.name3, |f| &mut f.base.name3)
            .help("Set name3")
            .default(false);
        set.add("name4", |f| &f.base.name4, |f| &mut f.base.name4)
            .help("Set name4");
        set.add("name5", |f| &f.base.name5, |f| &mut f.base.name5)
            .help("Set name5");
        flag!(set, z6).alias("a6").help("Also set name6");
        flag!(set, z7)
            .alias("a7")
            .help("Also set name7")
            .default(true);
        flag!(set, z8)
            .alias("a8")
            .help("Also set name8")
            .default("value8");
    }
}

#[test]
fn usage() {
    let flags = FlagSet::<UsageFlags>::new();
    assert_eq!(
        flags.usage(None),
        "Usage:  [options]\n\
         \n\
         \x20 --[no-]help                Prints this help message (default: false)\n\
         \x20 --name1=VALUE              Set name1 (default: ben folds)\n\
         \x20 --name2=VALUE              Set name2 (default: 42)\n\
         \x20 --[no-]name3               Set name3 (default: false)\n\
         \x20 --[no-]name4               Set name4\n\
         \x20 --[no-]name5               Set name5\n\
         \x20 --z6=VALUE, --a6=VALUE     Also set name6\n\
         \x20 --[no-]z7, --[no-]a7       Also set name7 (default: true)\n\
         \x20 --z8=VALUE, --a8=VALUE     Also set name8 (default: value8)\n"
    );
}

const TEST_FLAGS_LINES: &str = "\
\x20 --[no-]help       Prints this help message (default: false)
  --name1=VALUE     Set name1 (default: ben folds)
  --name2=VALUE     Set name2 (default: 42)
  --[no-]name3      Set name3 (default: false)
  --[no-]name4      Set name4
  --[no-]name5      Set name5
";

#[test]
fn usage_message() {
    let mut flags = FlagSet::<TestFlags>::new();
    flags.set_usage_message("This is a test");
    assert_eq!(
        flags.usage(None),
        format!("This is a test\n\n{}", TEST_FLAGS_LINES)
    );
}

#[derive(Default)]
struct EmptyFlags;

impl Flags for EmptyFlags {
    fn define(_: &mut FlagSet<Self>) {}
}

#[test]
fn empty_usage() {
    let flags = FlagSet::<EmptyFlags>::new();
    assert_eq!(
        flags.usage(None),
        "Usage:  [options]\n\n  --[no-]help     Prints this help message (default: false)\n"
    );
}

#[test]
fn program_name() {
    let mut flags = FlagSet::<EmptyFlags>::new();
    flags.set_program_name("TestProgram");
    assert_eq!(
        flags.usage(None),
        "Usage: TestProgram [options]\n\n  --[no-]help     Prints this help message (default: false)\n"
    );
    // Loading takes the program name from argv[0]'s basename.
    flags.load(None, ["/usr/sbin/mesos-master"]).unwrap();
    assert!(flags
        .usage(None)
        .starts_with("Usage: mesos-master [options]\n"));
}

#[test]
fn optional_message() {
    let flags = FlagSet::<TestFlags>::new();
    assert_eq!(
        flags.usage(Some("Good news: this test passed!")),
        format!(
            "Good news: this test passed!\n\nUsage:  [options]\n\n{}",
            TEST_FLAGS_LINES
        )
    );
}

#[test]
fn build_environment() {
    let mut flags = FlagSet::<TestFlags>::new();
    flags.name4 = Some(true);
    let env = flags.build_environment(Some("PREFIX_"));
    let get = |k: &str| env.get(k).map(String::as_str);
    assert_eq!(get("PREFIX_NAME1"), Some("ben folds"));
    assert_eq!(get("PREFIX_NAME2"), Some("42"));
    assert_eq!(get("PREFIX_NAME3"), Some("false"));
    assert_eq!(get("PREFIX_NAME4"), Some("true"));
    assert_eq!(get("PREFIX_NAME5"), None);
}

#[test]
fn duration() {
    #[derive(Default)]
    struct DurationFlags {
        name1: Duration,
        name2: Option<Duration>,
    }
    impl Flags for DurationFlags {
        fn define(set: &mut FlagSet<Self>) {
            flag!(set, name1)
                .help("Amount of time")
                .default(Duration::from_millis(100));
            flag!(set, name2).help("Also some amount of time");
        }
    }

    let mut flags = FlagSet::<DurationFlags>::new();
    flags
        .load_map([("name1", Some("2mins")), ("name2", Some("3hrs"))], None)
        .unwrap();
    assert_eq!(flags.name1, Duration::from_mins(2));
    assert_eq!(flags.name2, Some(Duration::from_hrs(3)));
}

#[derive(Default)]
pub(crate) struct JsonFlags {
    pub(crate) json: Option<serde_json::Value>,
}

impl Flags for JsonFlags {
    fn define(set: &mut FlagSet<Self>) {
        flag!(set, json).help("JSON string");
    }
}

pub(crate) fn json_object() -> serde_json::Value {
    serde_json::json!({
        "strings": "string",
        "integer": 1,
        "double": -1.42,
        "nested": {"string": "string"},
    })
}

#[test]
fn json() {
    let mut flags = FlagSet::<JsonFlags>::new();
    flags
        .load_map([("json", Some(json_object().to_string()))], None)
        .unwrap();
    assert_eq!(flags.json, Some(json_object()));
}

// Beyond the C++ suite: an unknown `MESOS_`-style environment variable is
// ignored, unknown flags can be allowed, flag names are case-insensitive
// on the command line, and Display lists the loaded values.
#[test]
fn environment_unknowns_and_display() {
    std::env::set_var("FLAGSTEST_EUD_NOT_A_FLAG", "x");
    std::env::set_var("FLAGSTEST_EUD_NAME2", "7");
    let mut flags = FlagSet::<TestFlags>::new();
    let load = flags.load(Some("FLAGSTEST_EUD_"), ["prog", "--NAME1=x"]);
    std::env::remove_var("FLAGSTEST_EUD_NOT_A_FLAG");
    std::env::remove_var("FLAGSTEST_EUD_NAME2");
    load.unwrap();
    assert_eq!((flags.name1.as_str(), flags.name2), ("x", 7));
    assert_eq!(
        flags.to_string(),
        "--help=\"false\" --name1=\"x\" --name2=\"7\" --name3=\"false\""
    );

    let mut flags = FlagSet::<TestFlags>::new();
    flags.allow_unknowns(true);
    flags
        .load(None, ["prog", "--unknown=1", "--name2=5"])
        .unwrap();
    assert_eq!(flags.name2, 5);

    let mut flags = FlagSet::<TestFlags>::new();
    flags.allow_duplicates(true);
    flags
        .load(None, ["prog", "--name2=5", "--name2=6"])
        .unwrap();
    assert_eq!(flags.name2, 6);

    let mut flags = FlagSet::<TestFlags>::new();
    flags.load(None, ["prog", "--help"]).unwrap();
    assert!(flags.help());
}
