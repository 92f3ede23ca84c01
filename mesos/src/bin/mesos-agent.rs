//! `mesos-agent`: Mesos' agent.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(mesos::slave::main::run(std::env::args().collect()))
}
