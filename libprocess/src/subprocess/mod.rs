//! `subprocess`: launching a program (libprocess' `process::subprocess`).
//!
//! ```no_run
//! use libprocess::io;
//! use libprocess::subprocess::{self, Io};
//!
//! let child = subprocess::shell("echo hello")
//!     .stdout(Io::pipe())
//!     .launch()
//!     .expect("sh runs");
//! let output = io::read_to_end(child.stdout().expect("a pipe"));
//! let status = child.status(); // the wait status, once reaped
//! # let _ = (output, status);
//! ```
//!
//! Each of stdin, stdout and stderr is a pipe (the parent's end is kept by
//! the [`Subprocess`]), a file, a descriptor, or (the default) the
//! parent's own. Parent hooks run in the parent with the child's pid after
//! the fork and before the child execs, which waits for them; child hooks
//! run in the child, after the parent hooks. A launch that fails (no such
//! program, a file that can't be opened, a failed hook) is an error with
//! the system's text, and leaves no process behind.
//!
//! Beyond libprocess, the child starts with no blocked signals and
//! `SIGPIPE` at its default (the Rust runtime ignores it, and an ignored
//! signal stays ignored across exec), and a program that cannot be
//! executed is reported by `launch` (libprocess' child exits with the
//! errno instead).

mod child;

use std::collections::BTreeMap;
use std::ffi::{CString, OsString};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStringExt;
use std::path::PathBuf;
use std::sync::Arc;

use nix::fcntl::OFlag;
use stout::{Error, Try};

use crate::future::Future;
use crate::undiscardable;

/// How one of the child's standard streams is set up (libprocess'
/// `Subprocess::IO`).
#[derive(Debug)]
pub struct Io(IoKind);

#[derive(Debug)]
enum IoKind {
    Pipe,
    Path(PathBuf),
    Fd(Result<OwnedFd, String>),
    Inherit,
}

impl Io {
    /// A new pipe; the parent's end is [`Subprocess::stdin`] (or
    /// `stdout`, `stderr`).
    pub fn pipe() -> Io {
        Io(IoKind::Pipe)
    }

    /// A file: opened for reading as stdin; for stdout and stderr created
    /// if missing (mode 0644) and appended to.
    pub fn path(path: impl Into<PathBuf>) -> Io {
        Io(IoKind::Path(path.into()))
    }

    /// A duplicate of `fd` (libprocess' `FD(fd, DUPLICATED)`): the caller
    /// may close its own right away.
    pub fn fd(fd: impl AsFd) -> Io {
        let fd = fd
            .as_fd()
            .try_clone_to_owned()
            .map_err(|e| Error::errno("Failed to duplicate file descriptor", &e).to_string());
        Io(IoKind::Fd(fd))
    }

    /// `fd` itself (libprocess' `FD(fd, OWNED)`): the child gets it and the
    /// parent's copy is closed once the child is launched.
    pub fn owned(fd: OwnedFd) -> Io {
        Io(IoKind::Fd(Ok(fd)))
    }

    /// The parent's own stream (libprocess' `FD(STDIN_FILENO)` and so on),
    /// the default.
    pub fn inherit() -> Io {
        Io(IoKind::Inherit)
    }
}

/// Code run in the parent with the child's pid, before the child execs
/// (libprocess' `Subprocess::ParentHook`); an error kills the child and
/// fails the launch.
pub struct ParentHook(Box<dyn FnOnce(i32) -> Try<()> + Send>);

impl ParentHook {
    /// A hook calling `setup` with the child's pid.
    pub fn new(setup: impl FnOnce(i32) -> Try<()> + Send + 'static) -> ParentHook {
        ParentHook(Box::new(setup))
    }
}

impl std::fmt::Debug for ParentHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ParentHook")
    }
}

/// A step run in the child before it execs (libprocess'
/// `Subprocess::ChildHook`). Only these fixed steps exist: between fork
/// and exec only async-signal-safe calls are allowed, so no arbitrary code.
#[derive(Debug)]
pub struct ChildHook(child::Hook);

impl ChildHook {
    /// Changes the working directory (`CHDIR`).
    pub fn chdir(directory: impl Into<PathBuf>) -> ChildHook {
        let directory = directory.into().into_os_string().into_vec();
        // A NUL byte can't be in a path: the error surfaces at launch.
        ChildHook(child::Hook::Chdir(CString::new(directory).map_err(|_| ())))
    }

    /// Starts a new session (`SETSID`).
    pub fn setsid() -> ChildHook {
        ChildHook(child::Hook::Setsid)
    }

    /// Duplicates descriptor `old` onto `new` (`DUP2`).
    pub fn dup2(old: RawFd, new: RawFd) -> ChildHook {
        ChildHook(child::Hook::Dup2(old, new))
    }

    /// Becomes user `uid` with primary group `gid` and the supplementary
    /// `groups` (stout's `os::su`, with the user's groups looked up by the
    /// caller, since the child may not read the group database).
    pub fn su(uid: u32, gid: u32, groups: Vec<u32>) -> ChildHook {
        ChildHook(child::Hook::Su(groups, gid, uid))
    }

    /// `SUPERVISOR`: the child becomes a supervisor that leads a new
    /// process group, forks the program and waits for it, exiting with
    /// its exit code; when the parent dies the supervisor gets `SIGTERM`
    /// and kills the group (and the program gets `SIGKILL` should the
    /// supervisor die). The parent is the thread that launched: launch
    /// from a long-lived thread. Don't `setsid` after it.
    pub fn supervisor() -> ChildHook {
        ChildHook(child::Hook::Supervisor)
    }
}

/// A launched child process (libprocess' `Subprocess`). Clones share it;
/// the parent's ends of its pipes are closed once the child has been
/// reaped and the last clone is gone.
#[derive(Clone, Debug)]
pub struct Subprocess {
    data: Arc<Data>,
}

#[derive(Debug)]
struct Data {
    pid: i32,
    stdin: Option<OwnedFd>,
    stdout: Option<OwnedFd>,
    stderr: Option<OwnedFd>,
    status: Future<Option<i32>>,
}

impl Subprocess {
    /// The child's process id.
    pub fn pid(&self) -> i32 {
        self.data.pid
    }

    /// The parent's (write) end of the child's stdin pipe, if a pipe
    /// (libprocess' `in()`).
    pub fn stdin(&self) -> Option<BorrowedFd<'_>> {
        self.data.stdin.as_ref().map(AsFd::as_fd)
    }

    /// The parent's (read) end of the child's stdout pipe, if a pipe.
    pub fn stdout(&self) -> Option<BorrowedFd<'_>> {
        self.data.stdout.as_ref().map(AsFd::as_fd)
    }

    /// The parent's (read) end of the child's stderr pipe, if a pipe.
    pub fn stderr(&self) -> Option<BorrowedFd<'_>> {
        self.data.stderr.as_ref().map(AsFd::as_fd)
    }

    /// The child's wait status once it has terminated ([`crate::reap`]),
    /// polled on the clock. Discarding it does nothing to the child.
    pub fn status(&self) -> Future<Option<i32>> {
        self.data.status.clone()
    }
}

/// What to launch and how: built by [`subprocess`] or [`shell`], started
/// by [`Launcher::launch`].
#[derive(Debug)]
pub struct Launcher {
    path: String,
    argv: Vec<String>,
    stdin: Io,
    stdout: Io,
    stderr: Io,
    environment: Option<BTreeMap<String, String>>,
    parent_hooks: Vec<ParentHook>,
    child_hooks: Vec<ChildHook>,
    whitelist: Vec<RawFd>,
}

/// Launches `path` (searched in `PATH` when it has no `/`) with `argv`
/// (`argv[0]` included) once [`Launcher::launch`] is called.
pub fn subprocess(path: impl Into<String>, argv: Vec<String>) -> Launcher {
    Launcher {
        path: path.into(),
        argv,
        stdin: Io::inherit(),
        stdout: Io::inherit(),
        stderr: Io::inherit(),
        environment: None,
        parent_hooks: Vec::new(),
        child_hooks: Vec::new(),
        whitelist: Vec::new(),
    }
}

/// Launches `sh -c command`.
pub fn shell(command: impl Into<String>) -> Launcher {
    subprocess("sh", vec!["sh".into(), "-c".into(), command.into()])
}

impl Launcher {
    /// The child's stdin (default: the parent's).
    pub fn stdin(mut self, io: Io) -> Launcher {
        self.stdin = io;
        self
    }

    /// The child's stdout (default: the parent's).
    pub fn stdout(mut self, io: Io) -> Launcher {
        self.stdout = io;
        self
    }

    /// The child's stderr (default: the parent's).
    pub fn stderr(mut self, io: Io) -> Launcher {
        self.stderr = io;
        self
    }

    /// The child's whole environment; without it, the child inherits the
    /// parent's.
    pub fn environment(mut self, environment: BTreeMap<String, String>) -> Launcher {
        self.environment = Some(environment);
        self
    }

    /// Appends `--<name>=<value>` for each flag of `flags` with a value.
    pub fn flags<F>(mut self, flags: &stout::FlagSet<F>) -> Launcher {
        self.argv.extend(flags.to_args());
        self
    }

    /// Adds a hook run in the parent before the child execs.
    pub fn parent_hook(mut self, hook: ParentHook) -> Launcher {
        self.parent_hooks.push(hook);
        self
    }

    /// Adds a step run in the child before it execs, after the parent
    /// hooks.
    pub fn child_hook(mut self, hook: ChildHook) -> Launcher {
        self.child_hooks.push(hook);
        self
    }

    /// Lets the child inherit `fd` (by number). Every other descriptor
    /// but 0, 1 and 2 is closed across exec, whether close-on-exec or not.
    pub fn whitelist_fd(mut self, fd: impl AsFd) -> Launcher {
        self.whitelist.push(fd.as_fd().as_raw_fd());
        self
    }

    /// Forks and execs the child; its [`Subprocess`], or what failed.
    pub fn launch(self) -> Try<Subprocess> {
        let (stdin, stdin_parent) = input(self.stdin)?;
        let (stdout_parent, stdout) = output(self.stdout, 1)?;
        let (stderr_parent, stderr) = output(self.stderr, 2)?;
        let plan = child::Plan::new(
            &self.path,
            &self.argv,
            environment(self.environment),
            [stdin, stdout, stderr],
            self.child_hooks.into_iter().map(|hook| hook.0).collect(),
            self.whitelist,
        )?;
        let hooks = self.parent_hooks.into_iter().map(|hook| hook.0).collect();
        let close: Vec<RawFd> = [&stdin_parent, &stdout_parent, &stderr_parent]
            .into_iter()
            .flatten()
            .map(AsRawFd::as_raw_fd)
            .collect();
        let pid = plan.spawn(&self.path, &close, hooks)?;
        let status = undiscardable(&crate::reap(pid));
        let data = Arc::new(Data {
            pid,
            stdin: stdin_parent,
            stdout: stdout_parent,
            stderr: stderr_parent,
            status: status.clone(),
        });
        // The parent's ends stay open at least until the child is reaped.
        let keep = data.clone();
        status.on_any(move |_| drop(keep));
        Ok(Subprocess { data })
    }
}

/// The child's and the parent's ends for stdin.
fn input(io: Io) -> Try<(OwnedFd, Option<OwnedFd>)> {
    match io.0 {
        IoKind::Pipe => {
            let (read, write) = pipe()?;
            Ok((read, Some(write)))
        }
        IoKind::Path(path) => {
            let file = std::fs::File::open(&path)
                .map_err(|e| Error::errno(format!("Failed to open '{}'", path.display()), &e))?;
            Ok((file.into(), None))
        }
        IoKind::Fd(fd) => Ok((fd.map_err(Error::new)?, None)),
        IoKind::Inherit => Ok((clone(std::io::stdin().as_fd())?, None)),
    }
}

/// The parent's and the child's ends for stdout (`stream` 1) or stderr (2).
fn output(io: Io, stream: i32) -> Try<(Option<OwnedFd>, OwnedFd)> {
    match io.0 {
        IoKind::Pipe => {
            let (read, write) = pipe()?;
            Ok((Some(read), write))
        }
        IoKind::Path(path) => {
            use std::os::unix::fs::OpenOptionsExt;
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .mode(0o644)
                .open(&path)
                .map_err(|e| Error::errno(format!("Failed to open '{}'", path.display()), &e))?;
            Ok((None, file.into()))
        }
        IoKind::Fd(fd) => Ok((None, fd.map_err(Error::new)?)),
        IoKind::Inherit if stream == 1 => Ok((None, clone(std::io::stdout().as_fd())?)),
        IoKind::Inherit => Ok((None, clone(std::io::stderr().as_fd())?)),
    }
}

fn pipe() -> Try<(OwnedFd, OwnedFd)> {
    nix::unistd::pipe2(OFlag::O_CLOEXEC)
        .map_err(|e| Error::new(format!("Failed to create a pipe: {}", e.desc())))
}

fn clone(fd: BorrowedFd<'_>) -> Try<OwnedFd> {
    fd.try_clone_to_owned()
        .map_err(|e| Error::errno("Failed to duplicate file descriptor", &e))
}

/// `KEY=value` entries: the given environment, else the parent's.
fn environment(environment: Option<BTreeMap<String, String>>) -> Vec<Vec<u8>> {
    match environment {
        Some(environment) => environment
            .into_iter()
            .map(|(key, value)| format!("{}={}", key, value).into_bytes())
            .collect(),
        None => std::env::vars_os()
            .map(|(key, value)| {
                let mut entry: OsString = key;
                entry.push("=");
                entry.push(value);
                entry.into_vec()
            })
            .collect(),
    }
}
