//! `mesos-local`: a master and agents in one process.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(mesos::local::run(std::env::args().collect()))
}
