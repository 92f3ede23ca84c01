//! The agent's HTTP endpoints: the v1 executor API for now; the state
//! and operator endpoints come with the agent's HTTP issue.

pub mod executor;
