//! Apache Mesos' master, agent, drivers and containerizers as processes on
//! [`libprocess`].
//!
//! Empty until the runtime and the protocol schemas exist; it is here so
//! the workspace has its final shape.
