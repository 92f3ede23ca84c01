//! The fork and the child's side up to exec: the only `unsafe` of the
//! subprocess module.
//!
//! Between `fork` and `exec` the child of a multi-threaded process may
//! only make async-signal-safe calls: another thread may have held the
//! allocator's (or any) lock at the fork, and the child has only the
//! forking thread. So everything the child needs (C strings, pointer
//! arrays, descriptor numbers) is built by [`Plan::new`] before the fork,
//! and the child runs nothing but raw system calls: no allocation, no
//! locks, no Rust I/O, no panics. It reports a failure as three integers
//! on a close-on-exec pipe the parent reads until exec closes it.

#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, CString};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::libc;
use nix::sys::signal::{kill, Signal};
use nix::sys::wait::waitpid;
use nix::unistd::Pid;
use stout::{Error, Try};

/// A step run in the child (see `ChildHook`).
#[derive(Debug)]
pub(super) enum Hook {
    /// `Err` when the path held a NUL byte.
    Chdir(Result<CString, ()>),
    Setsid,
    Dup2(RawFd, RawFd),
    Supervisor,
    /// The supplementary groups, the group and the user to become.
    Su(Vec<libc::gid_t>, libc::gid_t, libc::uid_t),
}

/// Where the child failed, as reported on the pipe.
const STAGE_STDIO: c_int = 1;
const STAGE_SYNC: c_int = 2;
const STAGE_HOOK: c_int = 3;
const STAGE_EXEC: c_int = 4;

/// Bounds the descriptor scan when `close_range` is missing.
const MAX_FD_SCAN: c_int = 65536;

/// Everything the child needs, prepared before the fork.
pub(super) struct Plan {
    /// What to try to execute, in order (the `PATH` search, done here).
    programs: Vec<CString>,
    _argv: Vec<CString>,
    argv: Vec<*const c_char>,
    _envp: Vec<CString>,
    envp: Vec<*const c_char>,
    /// The child's stdin, stdout and stderr (all numbered 3 or more).
    stdio: [OwnedFd; 3],
    hooks: Vec<Hook>,
    whitelist: Vec<RawFd>,
    max_fd: c_int,
}

type ParentHook = Box<dyn FnOnce(i32) -> Try<()> + Send>;

impl Plan {
    pub(super) fn new(
        path: &str,
        argv: &[String],
        environment: Vec<Vec<u8>>,
        stdio: [OwnedFd; 3],
        hooks: Vec<Hook>,
        whitelist: Vec<RawFd>,
    ) -> Try<Plan> {
        let nul = |what: &str| {
            Error::new(format!(
                "Failed to launch '{}': {} holds a NUL byte",
                path, what
            ))
        };
        let programs = search(path)
            .into_iter()
            .map(CString::new)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| nul("the path"))?;
        let owned_argv = argv
            .iter()
            .map(|arg| CString::new(arg.as_bytes()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| nul("an argument"))?;
        let owned_envp = environment
            .into_iter()
            .map(CString::new)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| nul("the environment"))?;
        if hooks
            .iter()
            .any(|hook| matches!(hook, Hook::Chdir(Err(()))))
        {
            return Err(nul("the working directory"));
        }
        // Numbers 0-2 would be overwritten by the dup2s onto 0-2.
        let [stdin, stdout, stderr] = stdio;
        let stdio = [
            above_stdio(stdin)?,
            above_stdio(stdout)?,
            above_stdio(stderr)?,
        ];
        let pointers = |strings: &[CString]| {
            let mut pointers: Vec<*const c_char> = strings.iter().map(|s| s.as_ptr()).collect();
            pointers.push(std::ptr::null());
            pointers
        };
        let max_fd = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE)
            .map(|(soft, _)| soft.min(MAX_FD_SCAN as u64) as c_int)
            .unwrap_or(1024);
        Ok(Plan {
            programs,
            argv: pointers(&owned_argv),
            _argv: owned_argv,
            envp: pointers(&owned_envp),
            _envp: owned_envp,
            stdio,
            hooks,
            whitelist,
            max_fd,
        })
    }

    /// Forks; runs the parent hooks while the child waits; returns the
    /// child's pid once it has exec'd, or what failed (the child is then
    /// killed and reaped). `close` are descriptors the child must not keep
    /// (the parent's ends of its pipes).
    pub(super) fn spawn(self, path: &str, close: &[RawFd], hooks: Vec<ParentHook>) -> Try<i32> {
        let pipe = || {
            nix::unistd::pipe2(OFlag::O_CLOEXEC)
                .map_err(|e| Error::new(format!("Failed to create a pipe: {}", e.desc())))
        };
        let (report_read, report_write) = pipe()?;
        let sync = if hooks.is_empty() {
            None
        } else {
            Some(pipe()?)
        };
        let child = Child {
            plan: &self,
            close,
            sync: sync
                .as_ref()
                .map(|(read, write)| (read.as_raw_fd(), write.as_raw_fd())),
            report: report_write.as_raw_fd(),
        };
        // SAFETY: the child runs `Child::run`, which only makes
        // async-signal-safe system calls on data prepared above and never
        // returns (it execs or `_exit`s).
        let pid = unsafe { libc::fork() };
        if pid == -1 {
            return Err(Error::new(format!(
                "Failed to clone: {}",
                Errno::last().desc()
            )));
        }
        if pid == 0 {
            // SAFETY: we are the freshly forked child.
            unsafe { child.run() }
        }
        // The parent keeps none of the child's ends.
        drop(self);
        drop(report_write);
        if let Some((sync_read, sync_write)) = sync {
            drop(sync_read);
            for hook in hooks {
                if let Err(error) = hook(pid) {
                    tracing::warn!(pid, %error, "Failed to execute Subprocess::ParentHook");
                    drop(sync_write);
                    abort(pid);
                    return Err(Error::new(format!(
                        "Failed to execute Subprocess::ParentHook in parent for child '{}': {}",
                        pid, error
                    )));
                }
            }
            let written = loop {
                match nix::unistd::write(&sync_write, &[0]) {
                    Err(Errno::EINTR) => continue,
                    other => break other,
                }
            };
            if written != Ok(1) {
                abort(pid);
                return Err(Error::new("Failed to synchronize child process"));
            }
        }
        match read_report(&report_read) {
            None => Ok(pid),
            Some([stage, index, errno]) => {
                // The child has `_exit`ed or is about to: reap it.
                let _ = waitpid(Pid::from_raw(pid), None);
                Err(Error::new(describe(path, stage, index, errno)))
            }
        }
    }
}

/// Kills a child that must not run, and reaps it.
fn abort(pid: i32) {
    let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
    let _ = waitpid(Pid::from_raw(pid), None);
}

/// The child's failure report; `None` at end of file (it exec'd).
fn read_report(fd: &OwnedFd) -> Option<[c_int; 3]> {
    let mut bytes = [0u8; 12];
    let mut read = 0;
    while read < bytes.len() {
        match nix::unistd::read(fd, &mut bytes[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(Errno::EINTR) => continue,
            Err(_) => break,
        }
    }
    if read < bytes.len() {
        return None;
    }
    let word =
        |i: usize| c_int::from_ne_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    Some([word(0), word(4), word(8)])
}

fn describe(path: &str, stage: c_int, index: c_int, errno: c_int) -> String {
    let error = Errno::from_raw(errno).desc();
    match stage {
        STAGE_STDIO => format!("Failed to redirect the child's standard streams: {}", error),
        STAGE_SYNC => "Failed to synchronize with parent".to_string(),
        STAGE_HOOK => {
            let what = match index {
                -1 => "Failed to restrict inherited file descriptors",
                _ => "Failed to execute Subprocess::ChildHook",
            };
            format!("{} (hook {}): {}", what, index, error)
        }
        _ => format!("Failed to execute '{}': {}", path, error),
    }
}

/// The candidates `execvp` would try for `path`.
fn search(path: &str) -> Vec<Vec<u8>> {
    if path.contains('/') {
        return vec![path.as_bytes().to_vec()];
    }
    let directories =
        std::env::var_os("PATH").unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
    std::env::split_paths(&directories)
        .map(|directory| {
            let directory = if directory.as_os_str().is_empty() {
                ".".into()
            } else {
                directory
            };
            directory.join(path).as_os_str().as_bytes().to_vec()
        })
        .collect()
}

/// `fd`, renumbered to 3 or more (close-on-exec) if it is 0, 1 or 2.
fn above_stdio(fd: OwnedFd) -> Try<OwnedFd> {
    if fd.as_raw_fd() > 2 {
        return Ok(fd);
    }
    // std duplicates with F_DUPFD_CLOEXEC from 3.
    fd.try_clone()
        .map_err(|e| Error::errno("Failed to duplicate file descriptor", &e))
}

/// The child's view: raw numbers only.
struct Child<'a> {
    plan: &'a Plan,
    close: &'a [RawFd],
    sync: Option<(RawFd, RawFd)>,
    report: RawFd,
}

/// The last error number, read without allocating.
fn errno() -> c_int {
    Errno::last_raw()
}

impl Child<'_> {
    /// The child, from fork to exec.
    ///
    /// # Safety
    ///
    /// Only in a freshly forked child: it closes descriptors it does not
    /// own in the Rust sense, and never returns.
    unsafe fn run(&self) -> ! {
        // SAFETY (the whole function): each call below is an
        // async-signal-safe system call on integers or on pointers into
        // `self.plan`, which lives (unchanged) in this copy of the parent's
        // memory until exec.
        let mut empty: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut empty);
        libc::sigprocmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut());
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);

        for fd in self.close {
            libc::close(*fd);
        }
        if let Some((_, write)) = self.sync {
            libc::close(write);
        }

        for (target, fd) in self.plan.stdio.iter().enumerate() {
            while libc::dup2(fd.as_raw_fd(), target as c_int) == -1 {
                if errno() != libc::EINTR {
                    self.fail(STAGE_STDIO, target as c_int, errno());
                }
            }
        }
        for fd in &self.plan.stdio {
            libc::close(fd.as_raw_fd());
        }

        if let Some((read, _)) = self.sync {
            let mut byte = 0u8;
            let length = loop {
                let length = libc::read(read, (&mut byte as *mut u8).cast(), 1);
                if length != -1 || errno() != libc::EINTR {
                    break length;
                }
            };
            if length != 1 {
                // The parent hooks failed; the parent kills us.
                self.fail(STAGE_SYNC, 0, 0);
            }
            libc::close(read);
        }

        for (index, hook) in self.plan.hooks.iter().enumerate() {
            let failed = match hook {
                Hook::Chdir(Ok(directory)) => libc::chdir(directory.as_ptr()) == -1,
                Hook::Chdir(Err(())) => true,
                Hook::Setsid => libc::setsid() == -1,
                Hook::Dup2(old, new) => libc::dup2(*old, *new) == -1,
                Hook::Supervisor => !self.supervise(),
                // Groups first: once the user changed, they can't be.
                Hook::Su(groups, gid, uid) => {
                    libc::setgroups(groups.len(), groups.as_ptr()) == -1
                        || libc::setgid(*gid) == -1
                        || libc::setuid(*uid) == -1
                }
            };
            if failed {
                self.fail(STAGE_HOOK, index as c_int, errno());
            }
        }

        self.restrict_descriptors();

        let mut error = libc::ENOENT;
        for program in &self.plan.programs {
            libc::execve(
                program.as_ptr(),
                self.plan.argv.as_ptr(),
                self.plan.envp.as_ptr(),
            );
            // As execvp: a candidate we may not run is remembered, a
            // missing one skipped.
            match errno() {
                libc::ENOENT | libc::ENOTDIR => {}
                libc::EACCES => error = libc::EACCES,
                other => {
                    error = other;
                    break;
                }
            }
        }
        self.fail(STAGE_EXEC, 0, error)
    }

    /// Leaves only 0-2 and the whitelisted descriptors open across exec.
    unsafe fn restrict_descriptors(&self) {
        let whitelisted = |fd: c_int| self.plan.whitelist.contains(&fd);
        let all_cloexec = libc::syscall(
            libc::SYS_close_range,
            3 as libc::c_uint,
            libc::c_uint::MAX,
            libc::CLOSE_RANGE_CLOEXEC as libc::c_uint,
        ) == 0;
        if !all_cloexec {
            // An older kernel: look at each descriptor.
            for fd in 3..self.plan.max_fd {
                let flags = libc::fcntl(fd, libc::F_GETFD);
                if flags != -1 && flags & libc::FD_CLOEXEC == 0 && !whitelisted(fd) {
                    libc::close(fd);
                }
            }
        }
        for fd in &self.plan.whitelist {
            let flags = libc::fcntl(*fd, libc::F_GETFD);
            if flags == -1 || libc::fcntl(*fd, libc::F_SETFD, flags & !libc::FD_CLOEXEC) == -1 {
                self.fail(STAGE_HOOK, -1, errno());
            }
        }
    }

    /// libprocess' supervisor: true in the program's process (the
    /// supervisor's child); the supervisor itself never returns.
    unsafe fn supervise(&self) -> bool {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM as libc::c_ulong);
        if libc::setpgid(0, 0) != 0 {
            return false;
        }
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigterm as *const () as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        if libc::sigaction(libc::SIGTERM, &action, std::ptr::null_mut()) != 0 {
            return false;
        }
        let pid = libc::fork();
        if pid == -1 {
            return false;
        }
        if pid == 0 {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong);
            // The handler is for the supervisor only.
            libc::signal(libc::SIGTERM, libc::SIG_DFL);
            return true;
        }
        // The supervisor keeps no stream, and not the report pipe: the
        // parent learns of the exec from the program's copy.
        for fd in [0, 1, 2, self.report] {
            libc::close(fd);
        }
        let mut status = 0;
        while libc::waitpid(pid, &mut status, 0) == -1 {
            if errno() != libc::EINTR {
                libc::_exit(libc::EXIT_FAILURE);
            }
        }
        if libc::WIFEXITED(status) {
            libc::_exit(libc::WEXITSTATUS(status));
        }
        libc::_exit(libc::EXIT_FAILURE)
    }

    /// Reports the failure to the parent and exits.
    unsafe fn fail(&self, stage: c_int, index: c_int, errno: c_int) -> ! {
        let report = [stage, index, errno];
        libc::write(
            self.report,
            report.as_ptr().cast(),
            std::mem::size_of_val(&report),
        );
        libc::_exit(127)
    }
}

/// The supervisor's `SIGTERM` handler: its parent died; take the whole
/// process group down.
extern "C" fn on_sigterm(_signal: c_int) {
    // SAFETY: kill and _exit are async-signal-safe.
    unsafe {
        libc::kill(0, libc::SIGKILL);
        libc::_exit(libc::EXIT_FAILURE);
    }
}
