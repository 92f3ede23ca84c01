//! The demo binary, driven through its command line as a user runs it.

use std::process::{Command, Output};

fn demo(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mesos-demo"));
    command
        .args(args)
        .env_remove("MESOS_PORT")
        .env_remove("MESOS_MEMORY");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("mesos-demo runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn help_lists_every_flag_with_its_default() {
    let output = demo(&["--help"], &[]);
    assert!(output.status.success());
    let help = stdout(&output);
    assert!(help.starts_with("Usage: mesos-demo [options]\n"));
    for line in [
        "  --[no-]help ",
        "  --ip=VALUE ",
        "Port to listen on. (default: 5050)\n",
        "Memory to offer. (default: 512MB)\n",
        "Agent registration backoff factor. (default: 1secs)\n",
    ] {
        assert!(help.contains(line), "{line:?} missing from:\n{help}");
    }
}

#[test]
fn command_line_wins_over_environment() {
    let output = demo(
        &["--port=6000", "--registration_backoff_factor=1.5mins"],
        &[("MESOS_PORT", "7000"), ("MESOS_MEMORY", "2GB")],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("--port=\"6000\""), "{out}");
    assert!(out.contains("--memory=\"2GB\""), "{out}");
    assert!(
        out.contains(
            "Registration backoff: 90secs (90000000000 ns); memory: 2GB (2147483648 bytes)"
        ),
        "{out}"
    );
    assert!(out.contains("Would listen on 0.0.0.0:6000"), "{out}");
}

#[test]
fn bad_flags_fail_with_the_error_and_usage() {
    let cases = [
        (
            "--port=x",
            "Failed to load flag 'port': Failed to load value 'x': Failed to convert into required type",
        ),
        ("--bogus", "Failed to load unknown flag 'bogus'"),
        (
            "--memory=1.5GB",
            "Failed to load flag 'memory': Failed to load value '1.5GB': Fractional bytes '1.5GB'",
        ),
        (
            "--ip=not-an-ip",
            "Failed to load flag 'ip': Failed to load value 'not-an-ip': Failed to parse IP 'not-an-ip'",
        ),
    ];
    for (arg, message) in cases {
        let output = demo(&[arg], &[]);
        assert_eq!(output.status.code(), Some(1), "{arg}");
        let err = stderr(&output);
        assert!(
            err.starts_with(&format!("{}\n\nUsage: mesos-demo", message)),
            "{err}"
        );
        assert!(stdout(&output).is_empty());
    }
}

#[test]
fn quiet_prints_nothing() {
    let output = demo(&["--quiet", "--ip=127.0.0.1"], &[]);
    assert!(output.status.success());
    assert!(stdout(&output).is_empty());
}
