//! Mesos' command line tools (`src/cli`): `mesos-execute`.

pub mod execute;
