//! The scheduler driver (Mesos' `MesosSchedulerDriver`, `src/sched/`): a
//! framework's [`Scheduler`] talks to the leading master through a
//! [`MesosSchedulerDriver`], which runs a libprocess process that detects
//! the master, subscribes with backoff, turns the master's messages into
//! callbacks and the scheduler's calls into `mesos.scheduler.Call`
//! messages.
//!
//! Callbacks run on the driver's process, one at a time, as Mesos' run on
//! its libprocess thread; a callback may call back into the driver it is
//! given (the calls are dispatched to the process and run after it), but
//! must not [`join`](MesosSchedulerDriver::join) it.

mod agents;
pub mod constants;
mod driver;
mod process;
mod registration;
mod scheduler;

pub use driver::MesosSchedulerDriver;
pub use scheduler::Scheduler;
