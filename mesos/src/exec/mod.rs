//! The executor driver (Mesos' `MesosExecutorDriver`, `src/exec/`): an
//! [`Executor`] talks to its agent through a [`MesosExecutorDriver`],
//! which runs a libprocess process that registers with the agent, turns
//! the agent's messages into callbacks, and sends status updates, keeping
//! each until the agent acknowledges it.
//!
//! Callbacks run on the driver's process, one at a time; a callback may
//! call back into the driver it is given, but must not
//! [`join`](MesosExecutorDriver::join) it.

mod config;
mod driver;
mod executor;
mod process;
mod shutdown;
mod unacknowledged;

pub use config::{ExecutorConfig, ExecutorConfigError};
pub use driver::MesosExecutorDriver;
pub use executor::Executor;
