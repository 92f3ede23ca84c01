//! What Mesos' `src/launcher` holds that this port has: the command
//! executor, which runs one task's command for the agent.

pub mod executor;
