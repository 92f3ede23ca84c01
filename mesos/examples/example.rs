//! What the example frameworks share (Mesos' `src/examples/flags.hpp`):
//! their flags, where they find their executor, and printing that a
//! closed stdout does not turn into a panic.

use std::path::PathBuf;

use stout::{FlagSet, Flags as StoutFlags};

/// Prints a line to stdout, as `println!` does, except that a closed
/// stdout (`test-framework | head -1`) is not worth dying for.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}
// Not every framework prints to stdout.
#[allow(unused_imports)]
pub(crate) use say;

/// The `AsRef`/`AsMut` impls through which stout's flag parsing reaches
/// the example flags (and their logging flags) that a framework's own
/// `Flags` struct embeds as its `example` field. Only the frameworks with
/// flags of their own use it.
#[allow(unused_macros)]
macro_rules! embed_flags {
    ($flags:ty) => {
        impl AsRef<example::Flags> for $flags {
            fn as_ref(&self) -> &example::Flags {
                &self.example
            }
        }

        impl AsMut<example::Flags> for $flags {
            fn as_mut(&mut self) -> &mut example::Flags {
                &mut self.example
            }
        }

        impl AsRef<mesos::logging::Flags> for $flags {
            fn as_ref(&self) -> &mesos::logging::Flags {
                &self.example.logging
            }
        }

        impl AsMut<mesos::logging::Flags> for $flags {
            fn as_mut(&mut self) -> &mut mesos::logging::Flags {
                &mut self.example.logging
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use embed_flags;

/// The flags every example framework takes, with Mesos' names, defaults
/// and help.
#[derive(Clone, Debug, Default)]
pub(crate) struct Flags {
    /// The logging flags.
    pub(crate) logging: mesos::logging::Flags,
    /// `--master`: the master to connect to.
    pub(crate) master: String,
    /// `--authenticate`: framework authentication.
    pub(crate) authenticate: bool,
    /// `--principal`: the framework's principal.
    pub(crate) principal: String,
    /// `--secret`: the secret to authenticate with.
    pub(crate) secret: Option<String>,
    /// `--checkpoint`: whether the framework is checkpointed.
    pub(crate) checkpoint: bool,
    /// `--role`: the role the framework subscribes with.
    pub(crate) role: String,
}

impl AsRef<mesos::logging::Flags> for Flags {
    fn as_ref(&self) -> &mesos::logging::Flags {
        &self.logging
    }
}

impl AsMut<mesos::logging::Flags> for Flags {
    fn as_mut(&mut self) -> &mut mesos::logging::Flags {
        &mut self.logging
    }
}

impl StoutFlags for Flags {
    fn define(set: &mut FlagSet<Self>) {
        add_flags(set);
    }
}

/// Adds the example flags to the set of a framework's own flags, which
/// hold [`Flags`] (as Mesos' framework flags derive from them).
pub(crate) fn add_flags<F>(set: &mut FlagSet<F>)
where
    F: AsRef<Flags> + AsMut<Flags> + AsRef<mesos::logging::Flags> + AsMut<mesos::logging::Flags>,
    F: 'static,
{
    mesos::logging::add_flags(set);
    set.add(
        "master",
        |f: &F| &of(f).master,
        |f: &mut F| &mut of_mut(f).master,
    )
    .help(
        "The master to connect to. May be one of:\n  \
         `host:port`\n  \
         `master@host:port` (PID of the master)\n  \
         `zk://host1:port1,host2:port2,.../path`\n  \
         `zk://username:password@host1:port1,host2:port2,.../path`\n  \
         `file://path/to/file` (where file contains one of the above)\n  \
         `local` (launches mesos-local)",
    );
    set.add(
        "authenticate",
        |f: &F| &of(f).authenticate,
        |f: &mut F| &mut of_mut(f).authenticate,
    )
    .help("Set to 'true' to enable framework authentication.")
    .default(false);
    set.add(
        "principal",
        |f: &F| &of(f).principal,
        |f: &mut F| &mut of_mut(f).principal,
    )
    .help("The principal used to identify this framework.")
    .default("test");
    set.add(
        "secret",
        |f: &F| &of(f).secret,
        |f: &mut F| &mut of_mut(f).secret,
    )
    .help(
        "The secret used to authenticate this framework.\n\
         If the value starts with '/' or 'file://' it will be parsed as the\n\
         path to a file containing the secret. Otherwise the string value is\n\
         treated as the secret.",
    );
    set.add(
        "checkpoint",
        |f: &F| &of(f).checkpoint,
        |f: &mut F| &mut of_mut(f).checkpoint,
    )
    .help("Whether this framework should be checkpointed.")
    .default(false);
    set.add("role", |f: &F| &of(f).role, |f: &mut F| &mut of_mut(f).role)
        .help("Role to use when registering.")
        .default("*");
}

/// The example flags within a framework's flags.
fn of<F: AsRef<Flags>>(flags: &F) -> &Flags {
    flags.as_ref()
}

/// The example flags within a framework's flags, to load.
fn of_mut<F: AsMut<Flags>>(flags: &mut F) -> &mut Flags {
    flags.as_mut()
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

/// Loads a framework's flags from `MESOS_EXAMPLE_*` variables and `args`
/// and sets up logging, as Mesos' examples do; `Err` is the exit status
/// (after `--help` or an error, already printed).
pub(crate) fn load<F: StoutFlags + AsRef<Flags>>(args: &[String]) -> Result<F, u8> {
    let mut set = FlagSet::<F>::new();
    let load = set.load(Some("MESOS_EXAMPLE_"), args);
    if set.help() {
        say!("{}", set.usage(None));
        return Err(0);
    }
    let warnings = match load {
        Ok(warnings) => warnings,
        Err(e) => {
            eprintln!("{}", set.usage(Some(&e.to_string())));
            return Err(1);
        }
    };
    let flags = set.into_values();
    let argv0 = args.first().map(String::as_str).unwrap_or("example");
    if let Err(e) = mesos::logging::initialize(argv0, &of(&flags).logging) {
        eprintln!("{}", e);
        return Err(1);
    }
    for warning in warnings {
        tracing::warn!("{}", warning.message);
    }
    // Frameworks authenticate only once the drivers can.
    if of(&flags).authenticate {
        eprintln!("Framework authentication (--authenticate) is not supported by this build");
        return Err(1);
    }
    Ok(flags)
}

/// With `--master=local`, configures the local cluster through the
/// environment it is launched from, as Mesos' examples do: the master
/// allows `role`, the agents' resources default to it. (Mesos also sets
/// ACLs and authentication there; this build has neither.)
pub(crate) fn configure_local(flags: &Flags) {
    if flags.master == "local" {
        // Before any other thread runs: nothing reads the environment
        // concurrently.
        std::env::set_var("MESOS_ROLES", &flags.role);
        std::env::set_var("MESOS_DEFAULT_ROLE", &flags.role);
    }
}

/// The path of the executor binary `name`: in `MESOS_HELPER_DIR` when it
/// is set, else next to this program (Mesos' examples look beside
/// `argv[0]`).
pub(crate) fn executor_path(name: &str) -> String {
    let dir = match std::env::var_os("MESOS_HELPER_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(PathBuf::from))
            .unwrap_or_default(),
    };
    dir.join(name).to_string_lossy().into_owned()
}

/// A runtime from libprocess' environment (`LIBPROCESS_IP`, ...), as a
/// framework's libprocess initializes itself; `Err` is the exit status.
pub(crate) fn runtime() -> Result<libprocess::Runtime, u8> {
    libprocess::Builder::from_environment()
        .and_then(|builder| builder.try_build())
        .map_err(|e| {
            eprintln!("Failed to initialize libprocess: {}", e);
            1
        })
}
