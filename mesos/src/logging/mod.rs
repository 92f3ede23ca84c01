//! Mesos' logging (`src/logging`): glog's line format and log files for
//! every binary, on `tracing`, and the logging flags binaries embed.
//!
//! ```no_run
//! let flags = mesos::logging::Flags::default();
//! mesos::logging::initialize("mesos-master", &flags).expect("logging starts");
//! tracing::info!("Build: ...");
//! ```

mod file;
mod flags;
mod format;

use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use tracing::level_filters::LevelFilter;
use tracing::Level;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::Layer;

pub use flags::{add_flags, Flags};
pub use format::{GlogFormat, Prefix};

/// Why logging could not start; Mesos prints it and exits with failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// `--logging_level` is none of Mesos' levels.
    InvalidLevel(String),
    /// `--log_dir` could not be created.
    LogDir {
        /// The directory.
        dir: String,
        /// Why.
        error: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidLevel(level) => write!(
                f,
                "'{}' is not a valid logging level. Possible values for \
                 'logging_level' flag are: 'INFO', 'WARNING', 'ERROR'.",
                level
            ),
            Error::LogDir { dir, error } => write!(
                f,
                "Could not initialize logging: Failed to create directory {}: {}",
                dir, error
            ),
        }
    }
}

impl std::error::Error for Error {}

/// The glog level a `--logging_level` value names.
pub fn parse_level(level: &str) -> Result<Level, Error> {
    match level {
        "INFO" => Ok(Level::INFO),
        "WARNING" => Ok(Level::WARN),
        "ERROR" => Ok(Level::ERROR),
        other => Err(Error::InvalidLevel(other.to_string())),
    }
}

/// What [`initialize`] was given, for [`get_log_file`].
struct Initialized {
    program: String,
    log_dir: Option<String>,
}

static INITIALIZED: OnceLock<Initialized> = OnceLock::new();

/// Starts logging for the program `argv0` as `flags` say (Mesos'
/// `logging::initialize`): lines in glog's format at `--logging_level`
/// and above, to stderr unless `--quiet`, and to glog's files under
/// `--log_dir` if given. Only the first call acts. If the process already
/// has a global `tracing` subscriber (a test harness), that one stays.
pub fn initialize(argv0: &str, flags: &Flags) -> Result<(), Error> {
    if INITIALIZED.get().is_some() {
        return Ok(());
    }
    let level = parse_level(&flags.logging_level)?;
    let program = Path::new(argv0)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| argv0.to_string());
    let filter = LevelFilter::from_level(level);

    let files = match &flags.log_dir {
        Some(dir) => {
            stout::os::mkdir(dir, true).map_err(|e| Error::LogDir {
                dir: dir.clone(),
                error: e.to_string(),
            })?;
            Some(file::LogFiles::new(
                Path::new(dir),
                &program,
                file::severity_index(level),
            ))
        }
        None => None,
    };
    let stderr = (!flags.quiet).then(|| {
        tracing_subscriber::fmt::layer()
            .event_format(GlogFormat)
            .with_writer(std::io::stderr)
            .with_filter(filter)
    });
    let to_files = files.map(|files| {
        tracing_subscriber::fmt::layer()
            .event_format(GlogFormat)
            .with_writer(files)
            .with_filter(filter)
    });
    let subscriber = tracing_subscriber::registry().with(stderr).with(to_files);
    let installed = tracing::subscriber::set_global_default(subscriber).is_ok();
    let _ = INITIALIZED.set(Initialized {
        program,
        log_dir: flags.log_dir.clone(),
    });

    if installed && flags.log_dir.is_some() {
        // glog creates a file on its first line: this one makes it exist
        // from the start.
        match level {
            Level::ERROR => tracing::error!("ERROR level logging started!"),
            Level::WARN => tracing::warn!("WARNING level logging started!"),
            _ => tracing::info!("INFO level logging started!"),
        }
    }
    tracing::debug!(
        "Logging to {}",
        flags.log_dir.as_deref().unwrap_or("STDERR")
    );
    Ok(())
}

/// The path of the log file of `severity` (`INFO`, `WARNING`, `ERROR`):
/// the symlink `<log_dir>/<program>.<severity>` (Mesos' `getLogFile`).
pub fn get_log_file(severity: &str) -> stout::Try<String> {
    let initialized = INITIALIZED
        .get()
        .and_then(|i| i.log_dir.as_ref().map(|dir| (dir, &i.program)));
    let Some((dir, program)) = initialized else {
        return Err(stout::Error::new("The 'log_dir' option was not specified"));
    };
    if !file::SEVERITIES.contains(&severity) {
        return Err(stout::Error::new(format!(
            "Unknown log severity: {}",
            severity
        )));
    }
    Ok(Path::new(dir)
        .join(format!("{}.{}", program, severity))
        .to_string_lossy()
        .into_owned())
}
