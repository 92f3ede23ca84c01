//! The port of Apache Mesos' libprocess: an actor runtime of processes
//! addressed by `UPID`, with dispatch, futures, a controllable clock and a
//! wire-compatible message transport.
//!
//! The runtime arrives with the libprocess issues; this crate is the place
//! it lands in the workspace's dependency order (`stout <- libprocess <-
//! mesos`).
