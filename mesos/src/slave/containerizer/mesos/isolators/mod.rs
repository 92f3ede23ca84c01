//! The isolators the Mesos containerizer can be given.

pub(crate) mod posix;
