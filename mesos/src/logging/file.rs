//! glog's log files under `--log_dir`: one file per severity, named
//! `<program>.<hostname>.<user>.log.<SEVERITY>.<YYYYMMDD-HHMMSS>.<pid>`,
//! each reached through the symlink `<program>.<SEVERITY>`. A message goes
//! to the file of its severity and of every lower one, as in glog.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use parking_lot::Mutex;
use tracing::{Level, Metadata};
use tracing_subscriber::fmt::MakeWriter;

use super::format::civil_from_days;

/// glog's severities that Mesos logs at, lowest first.
pub(crate) const SEVERITIES: [&str; 3] = ["INFO", "WARNING", "ERROR"];

/// The index in [`SEVERITIES`] of a tracing level.
pub(crate) fn severity_index(level: Level) -> usize {
    match level {
        Level::ERROR => 2,
        Level::WARN => 1,
        _ => 0,
    }
}

/// The log files of one program, opened on first use.
#[derive(Clone, Debug)]
pub(crate) struct LogFiles {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    dir: PathBuf,
    program: String,
    hostname: String,
    user: String,
    /// The lowest severity written (`--logging_level`).
    min: usize,
    files: Mutex<[Option<File>; 3]>,
}

impl LogFiles {
    pub(crate) fn new(dir: &Path, program: &str, min: usize) -> LogFiles {
        LogFiles {
            inner: Arc::new(Inner {
                dir: dir.to_path_buf(),
                program: program.to_string(),
                hostname: stout::os::hostname().unwrap_or_else(|_| "(unknown)".to_string()),
                user: stout::os::user().unwrap_or_else(|_| "invalid-user".to_string()),
                min,
                files: Mutex::new([None, None, None]),
            }),
        }
    }

    /// Writes `line` to the files of `severity` and below.
    fn write(&self, severity: usize, line: &[u8]) -> io::Result<()> {
        let mut files = self.inner.files.lock();
        for index in self.inner.min..=severity {
            if files[index].is_none() {
                files[index] = Some(self.inner.create(index)?);
            }
            if let Some(file) = files[index].as_mut() {
                file.write_all(line)?;
            }
        }
        Ok(())
    }
}

impl Inner {
    /// Creates the file of `SEVERITIES[index]` with glog's header, and
    /// points the program's symlink at it.
    fn create(&self, index: usize) -> io::Result<File> {
        let severity = SEVERITIES[index];
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let (year, month, day) = civil_from_days((now / 86_400) as i64);
        let (hour, minute, second) = (now % 86_400 / 3600, now % 3600 / 60, now % 60);
        let name = format!(
            "{}.{}.{}.log.{}.{:04}{:02}{:02}-{:02}{:02}{:02}.{}",
            self.program,
            self.hostname,
            self.user,
            severity,
            year,
            month,
            day,
            hour,
            minute,
            second,
            std::process::id()
        );
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join(&name))?;
        write!(
            file,
            "Log file created at: {:04}/{:02}/{:02} {:02}:{:02}:{:02}\n\
             Running on machine: {}\n\
             Log line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg\n",
            year, month, day, hour, minute, second, self.hostname
        )?;
        // The symlink is a convenience: glog carries on without it.
        let link = self.dir.join(format!("{}.{}", self.program, severity));
        let _ = std::fs::remove_file(&link);
        let _ = std::os::unix::fs::symlink(&name, &link);
        Ok(file)
    }
}

/// Writes one formatted event to the files of its severity.
#[derive(Debug)]
pub(crate) struct SeverityWriter {
    files: LogFiles,
    severity: usize,
}

impl Write for SeverityWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.files.write(self.severity, buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for LogFiles {
    type Writer = SeverityWriter;

    fn make_writer(&'a self) -> SeverityWriter {
        SeverityWriter {
            files: self.clone(),
            severity: 0,
        }
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> SeverityWriter {
        SeverityWriter {
            files: self.clone(),
            severity: severity_index(*meta.level()),
        }
    }
}
