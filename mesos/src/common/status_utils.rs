//! Wait statuses in words (Mesos' `common/status_utils.hpp`), as
//! `WSTRINGIFY` gives them:
//! `exited with status 3`, `terminated with signal Killed`.

/// `status` (a `waitpid` status) as Mesos words it after "Command ".
pub fn wstringify(status: i32) -> String {
    let signal = status & 0x7f;
    if signal == 0 {
        format!("exited with status {}", (status >> 8) & 0xff)
    } else if signal != 0x7f {
        format!("terminated with signal {}", strsignal(signal))
    } else {
        format!("stopped with signal {}", strsignal((status >> 8) & 0xff))
    }
}

/// Whether `status` is a normal exit with status 0 (`WSUCCEEDED`).
pub fn succeeded(status: i32) -> bool {
    status & 0x7f == 0 && (status >> 8) & 0xff == 0
}

/// glibc's description of a signal (`strsignal`).
fn strsignal(signal: i32) -> String {
    let text = match signal {
        1 => "Hangup",
        2 => "Interrupt",
        3 => "Quit",
        4 => "Illegal instruction",
        5 => "Trace/breakpoint trap",
        6 => "Aborted",
        7 => "Bus error",
        8 => "Floating point exception",
        9 => "Killed",
        10 => "User defined signal 1",
        11 => "Segmentation fault",
        12 => "User defined signal 2",
        13 => "Broken pipe",
        14 => "Alarm clock",
        15 => "Terminated",
        16 => "Stack fault",
        17 => "Child exited",
        18 => "Continued",
        19 => "Stopped (signal)",
        20 => "Stopped",
        21 => "Stopped (tty input)",
        22 => "Stopped (tty output)",
        23 => "Urgent I/O condition",
        24 => "CPU time limit exceeded",
        25 => "File size limit exceeded",
        26 => "Virtual timer expired",
        27 => "Profiling timer expired",
        28 => "Window changed",
        29 => "I/O possible",
        30 => "Power failure",
        31 => "Bad system call",
        _ => return format!("Unknown signal {}", signal),
    };
    text.to_string()
}
