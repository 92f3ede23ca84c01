//! The Mesos containerizer (Mesos' `slave/containerizer/mesos`): a
//! launcher starts each container's init process, isolators measure and
//! limit it.
//!
//! ```no_run
//! use mesos::slave::containerizer::mesos::{MesosContainerizer, Options};
//! use mesos::slave::containerizer::Containerizer;
//!
//! let options = Options::new("/var/lib/mesos", "/var/run/mesos");
//! let containerizer = MesosContainerizer::create(options).expect("valid --isolation");
//! let containers = containerizer.containers();
//! # let _ = containers;
//! ```

mod containerizer;
mod destroy;
mod isolator;
mod isolators;
mod launch;
mod launcher;
mod usage;

pub use containerizer::{
    MesosContainerizer, MesosContainerizerProcess, Options, DEFAULT_ISOLATION,
};
pub use isolator::Isolator;
pub use isolators::posix::PosixIsolator;
pub use launcher::{Launcher, SubprocessLauncher};
