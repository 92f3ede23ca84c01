//! `mesos-slave`: the agent under its pre-1.0 name.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(mesos::slave::main::run(std::env::args().collect()))
}
