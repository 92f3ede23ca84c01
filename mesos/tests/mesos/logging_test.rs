//! Mesos' logging: glog's line format and the logging flags.

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use mesos::logging::{self, GlogFormat, Prefix};
use parking_lot::Mutex;
use stout::FlagSet;
use tracing::Level;

#[test]
fn prefix_format() {
    // 2026-11-22 03:09:02.936779 UTC.
    let time = UNIX_EPOCH + Duration::from_micros(1_795_316_942_936_779);
    let prefix = Prefix {
        level: Level::INFO,
        time,
        thread: 1255,
        file: "mesos/src/master/master.rs",
        line: 123,
    };
    assert_eq!(
        "I1122 03:09:02.936779  1255 master.rs:123] ",
        prefix.to_string()
    );

    let prefix = Prefix {
        level: Level::WARN,
        thread: 123_456,
        ..prefix
    };
    assert_eq!(
        "W1122 03:09:02.936779 123456 master.rs:123] ",
        prefix.to_string()
    );
    let error = Prefix {
        level: Level::ERROR,
        ..prefix
    };
    assert!(error.to_string().starts_with('E'));
    let debug = Prefix {
        level: Level::DEBUG,
        ..prefix
    };
    assert!(debug.to_string().starts_with('I'), "VLOGs are INFO in glog");

    // Leap day, and the first microsecond of a year.
    let leap = Prefix {
        time: UNIX_EPOCH + Duration::from_secs(1_709_164_800),
        ..prefix
    };
    assert!(
        leap.to_string().starts_with("W0229 00:00:00.000000 "),
        "{}",
        leap
    );
}

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn event_format() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .event_format(GlogFormat)
        .with_writer(move || writer.clone())
        .finish();
    let line = line!() + 2;
    tracing::subscriber::with_default(subscriber, || {
        tracing::warn!(agent = "a1", "Agent {} disconnected", "host1");
    });
    let output = String::from_utf8(buffer.0.lock().clone()).expect("UTF-8");
    let tid = nix::unistd::gettid().as_raw();
    let expected = format!(
        " {:>5} logging_test.rs:{}] Agent host1 disconnected agent=\"a1\"\n",
        tid, line
    );
    assert!(output.starts_with('W'), "{}", output);
    assert_eq!(&output[21..], expected, "{}", output);
    assert_eq!(b' ', output.as_bytes()[5]);
    assert_eq!(b'.', output.as_bytes()[14]);
}

#[test]
fn flags() {
    let flags = FlagSet::<logging::Flags>::new();
    assert!(!flags.quiet);
    assert_eq!("INFO", flags.logging_level);
    assert_eq!(None, flags.log_dir);
    assert_eq!(0, flags.logbufsecs);
    assert!(flags.initialize_driver_logging);
    assert_eq!(None, flags.external_log_file);

    let mut flags = FlagSet::<logging::Flags>::new();
    flags
        .load(
            None,
            [
                "mesos-master",
                "--quiet",
                "--logging_level=WARNING",
                "--log_dir=/var/log/mesos",
                "--logbufsecs=5",
                "--no-initialize_driver_logging",
                "--external_log_file=/var/log/syslog",
            ],
        )
        .expect("valid flags");
    assert!(flags.quiet);
    assert_eq!("WARNING", flags.logging_level);
    assert_eq!(Some("/var/log/mesos"), flags.log_dir.as_deref());
    assert_eq!(5, flags.logbufsecs);
    assert!(!flags.initialize_driver_logging);
    assert_eq!(Some("/var/log/syslog"), flags.external_log_file.as_deref());
}

/// A binary's flags embed the logging flags, as Mesos' flags classes
/// derive from `logging::Flags`.
#[derive(Default)]
struct MasterFlags {
    logging: logging::Flags,
    port: u16,
}

impl AsRef<logging::Flags> for MasterFlags {
    fn as_ref(&self) -> &logging::Flags {
        &self.logging
    }
}

impl AsMut<logging::Flags> for MasterFlags {
    fn as_mut(&mut self) -> &mut logging::Flags {
        &mut self.logging
    }
}

impl stout::Flags for MasterFlags {
    fn define(set: &mut FlagSet<Self>) {
        logging::add_flags(set);
        stout::flag!(set, port).default(5050);
    }
}

#[test]
fn embedded_flags() {
    let mut flags = FlagSet::<MasterFlags>::new();
    flags
        .load(
            None,
            ["mesos-master", "--logging_level=ERROR", "--port=5051"],
        )
        .expect("valid flags");
    assert_eq!("ERROR", flags.logging.logging_level);
    assert_eq!(5051, flags.port);
    assert!(flags.usage(None).contains("--logging_level=VALUE"));
}

#[test]
fn levels() {
    assert_eq!(Ok(Level::INFO), logging::parse_level("INFO"));
    assert_eq!(Ok(Level::WARN), logging::parse_level("WARNING"));
    assert_eq!(Ok(Level::ERROR), logging::parse_level("ERROR"));
    assert_eq!(
        Err(logging::Error::InvalidLevel("FATAL".to_string())),
        logging::parse_level("FATAL")
    );
}
