//! What the master checks in the input frameworks and operators send
//! (Mesos' `src/master/validation.cpp`), with Mesos' error texts: the
//! checks that are functions of the messages alone, or of a few facts
//! about the framework or the agent given as parameters (a
//! `FrameworkInfo`, an agent's capabilities
//! ([`Capabilities`](crate::common::protobuf_utils::slave::Capabilities)),
//! its checkpointed resources).
//!
//! - [`resource`]: resources in tasks, executors and operations;
//! - [`executor`]: an `ExecutorInfo`;
//! - [`task`]: the parts of a `TaskInfo`, and of a task group's resources;
//! - [`operation`]: RESERVE, UNRESERVE, CREATE, DESTROY, GROW_VOLUME,
//!   SHRINK_VOLUME, CREATE_DISK and DESTROY_DISK.

use std::borrow::Cow;

use stout::{Error, Try};

pub mod call;
pub mod executor;
pub mod operation;
pub mod resource;
pub mod task;

fn fail<T>(message: impl Into<Cow<'static, str>>) -> Try<T> {
    Err(Error::new(message))
}
