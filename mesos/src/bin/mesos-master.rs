//! `mesos-master`: Mesos' master.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(mesos::master::main::run(std::env::args().collect()))
}
