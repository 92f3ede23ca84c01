//! glog's line format as a `tracing-subscriber` event formatter:
//! `I1122 03:09:02.936779  1255 master.rs:123] message`.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// Formats events as glog does: severity letter, month and day, time of
/// day with microseconds, thread id right-aligned in five columns, the
/// source file's name and line, then `] ` and the message.
///
/// Times are UTC: the process may not know its time zone, and a paused
/// test clock must not leak into log lines, so this is the wall clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct GlogFormat;

impl<S, N> FormatEvent<S, N> for GlogFormat
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let metadata = event.metadata();
        let prefix = Prefix {
            level: *metadata.level(),
            time: SystemTime::now(),
            thread: thread_id(),
            file: metadata.file().unwrap_or("unknown"),
            line: metadata.line().unwrap_or(0),
        };
        write!(writer, "{}", prefix)?;
        ctx.field_format().format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}

/// The part of a glog line before the message, from its parts; the
/// formatter above fills them in from the event.
#[derive(Clone, Copy, Debug)]
pub struct Prefix<'a> {
    /// The event's level: `I` for INFO and below (glog's `VLOG`s are INFO
    /// too), `W`, `E`.
    pub level: Level,
    /// When it happened.
    pub time: SystemTime,
    /// The OS thread id (`gettid`), as glog prints it.
    pub thread: i64,
    /// The source file: only its name is printed.
    pub file: &'a str,
    /// The source line.
    pub line: u32,
}

impl fmt::Display for Prefix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let since = self.time.duration_since(UNIX_EPOCH).unwrap_or_default();
        let secs = since.as_secs();
        let (_, month, day) = civil_from_days((secs / 86_400) as i64);
        let of_day = secs % 86_400;
        let file = self.file.rsplit('/').next().unwrap_or(self.file);
        write!(
            f,
            "{}{:02}{:02} {:02}:{:02}:{:02}.{:06} {:>5} {}:{}] ",
            severity_letter(self.level),
            month,
            day,
            of_day / 3600,
            of_day % 3600 / 60,
            of_day % 60,
            since.subsec_micros(),
            self.thread,
            file,
            self.line
        )
    }
}

/// glog's letter for a severity.
pub(crate) fn severity_letter(level: Level) -> char {
    match level {
        Level::ERROR => 'E',
        Level::WARN => 'W',
        _ => 'I',
    }
}

/// The calling thread's OS id.
fn thread_id() -> i64 {
    i64::from(nix::unistd::gettid().as_raw())
}

/// Year, month and day of the day `days` after 1970-01-01 (proleptic
/// Gregorian; Howard Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}
