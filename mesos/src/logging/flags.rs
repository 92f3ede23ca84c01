//! Mesos' logging flags (`src/logging/flags.cpp`), for every binary's
//! flags to embed, as Mesos' flags classes inherit `logging::Flags`.

use stout::{FlagSet, Flags as StoutFlags};

/// The logging flags with Mesos' names and defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flags {
    /// `--quiet`: no logging to stderr.
    pub quiet: bool,
    /// `--logging_level`: `INFO`, `WARNING` or `ERROR`.
    pub logging_level: String,
    /// `--log_dir`: where log files go; none by default.
    pub log_dir: Option<String>,
    /// `--logbufsecs`: how long logs may be buffered.
    pub logbufsecs: i32,
    /// `--initialize_driver_logging`: whether the drivers set up logging.
    pub initialize_driver_logging: bool,
    /// `--external_log_file`: a log file managed outside Mesos, shown in
    /// the WebUI and HTTP API.
    pub external_log_file: Option<String>,
}

impl Default for Flags {
    fn default() -> Flags {
        Flags {
            quiet: false,
            logging_level: "INFO".to_string(),
            log_dir: None,
            logbufsecs: 0,
            initialize_driver_logging: true,
            external_log_file: None,
        }
    }
}

impl AsRef<Flags> for Flags {
    fn as_ref(&self) -> &Flags {
        self
    }
}

impl AsMut<Flags> for Flags {
    fn as_mut(&mut self) -> &mut Flags {
        self
    }
}

impl StoutFlags for Flags {
    fn define(set: &mut FlagSet<Self>) {
        add_flags(set);
    }
}

/// Adds the logging flags to the flag set of a flags struct that holds a
/// [`Flags`] (reached through `AsRef`/`AsMut`), as a Mesos flags class
/// deriving from `logging::Flags` gets them.
pub fn add_flags<F: AsRef<Flags> + AsMut<Flags> + 'static>(set: &mut FlagSet<F>) {
    set.add(
        "quiet",
        |f: &F| &f.as_ref().quiet,
        |f: &mut F| &mut f.as_mut().quiet,
    )
    .help("Disable logging to stderr.")
    .default(false);
    set.add(
        "logging_level",
        |f: &F| &f.as_ref().logging_level,
        |f: &mut F| &mut f.as_mut().logging_level,
    )
    .help(
        "Log message at or above this level.\n\
         Possible values: `INFO`, `WARNING`, `ERROR`.\n\
         If `--quiet` is specified, this will only affect the logs\n\
         written to `--log_dir`, if specified.",
    )
    .default("INFO");
    set.add(
        "log_dir",
        |f: &F| &f.as_ref().log_dir,
        |f: &mut F| &mut f.as_mut().log_dir,
    )
    .help(
        "Location to put log files.  By default, nothing is written to disk.\n\
         Does not affect logging to stderr.\n\
         If specified, the log file will appear in the Mesos WebUI.\n\
         NOTE: 3rd party log messages (e.g. ZooKeeper) are\n\
         only written to stderr!",
    );
    set.add(
        "logbufsecs",
        |f: &F| &f.as_ref().logbufsecs,
        |f: &mut F| &mut f.as_mut().logbufsecs,
    )
    .help(
        "Maximum number of seconds that logs may be buffered for.\n\
         By default, logs are flushed immediately.",
    )
    .default(0);
    set.add(
        "initialize_driver_logging",
        |f: &F| &f.as_ref().initialize_driver_logging,
        |f: &mut F| &mut f.as_mut().initialize_driver_logging,
    )
    .help(
        "Whether the master/agent should initialize Google logging for the\n\
         scheduler and executor drivers, in the same way as described here.\n\
         The scheduler/executor drivers have separate logs and do not get\n\
         written to the master/agent logs.\n\n\
         This option has no effect when using the HTTP scheduler/executor APIs.\n\
         By default, this option is true.",
    )
    .default(true);
    set.add(
        "external_log_file",
        |f: &F| &f.as_ref().external_log_file,
        |f: &mut F| &mut f.as_mut().external_log_file,
    )
    .help(
        "Location of the externally managed log file.  Mesos does not write to\n\
         this file directly and merely exposes it in the WebUI and HTTP API.\n\
         This is only useful when logging to stderr in combination with an\n\
         external logging mechanism, like syslog or journald.\n\n\
         This option is meaningless when specified along with `--quiet`.\n\n\
         This option takes precedence over `--log_dir` in the WebUI.\n\
         However, logs will still be written to the `--log_dir` if\n\
         that option is specified.",
    );
}
