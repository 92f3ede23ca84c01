//! `mesos-execute`: runs one command as a task on a Mesos cluster.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(mesos::cli::execute::run(std::env::args().collect()))
}
