//! A scriptable external containerizer program: a shell script that
//! records each invocation (stdin, environment, working directory) and
//! answers with what the test put in place: a result record, an exit
//! status, or a hold that keeps the command running until released.

use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

/// One recorded invocation.
#[derive(Debug)]
pub(crate) struct Call {
    pub(crate) stdin: Vec<u8>,
    pub(crate) env: HashMap<String, String>,
    pub(crate) cwd: String,
}

/// The program and the directory it records into.
pub(crate) struct FakeEcp {
    dir: tempfile::TempDir,
}

const SCRIPT: &str = r#"#!/bin/sh
dir="$(dirname "$0")"
cmd="$1"
echo "start $cmd" >> "$dir/log"
cat > "$dir/$cmd.$$.stdin"
env > "$dir/$cmd.$$.env"
pwd > "$dir/$cmd.$$.cwd"
echo "ecp stderr for $cmd" >&2
[ -e "$dir/$cmd.stderr" ] && cat "$dir/$cmd.stderr" >&2
while [ -e "$dir/$cmd.hold" ]; do sleep 0.01; done
[ -e "$dir/$cmd.reply" ] && cat "$dir/$cmd.reply"
echo "end $cmd" >> "$dir/log"
exit "$(cat "$dir/$cmd.exit" 2>/dev/null || echo 0)"
"#;

impl FakeEcp {
    pub(crate) fn new() -> FakeEcp {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("ecp");
        std::fs::write(&path, SCRIPT).expect("write the script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let ecp = FakeEcp { dir };
        ecp.reply("containers", &mesos::containerizer::Containers::default());
        ecp
    }

    pub(crate) fn path(&self) -> String {
        self.file("ecp").to_string_lossy().into_owned()
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `command` runs until [`release`](FakeEcp::release)d.
    pub(crate) fn hold(&self, command: &str) {
        std::fs::write(self.file(&format!("{command}.hold")), "").expect("hold");
    }

    pub(crate) fn release(&self, command: &str) {
        std::fs::remove_file(self.file(&format!("{command}.hold"))).expect("release");
    }

    /// `command` writes `bytes` to stdout.
    pub(crate) fn reply_raw(&self, command: &str, bytes: &[u8]) {
        std::fs::write(self.file(&format!("{command}.reply")), bytes).expect("reply");
    }

    /// `command` writes `message`, framed, to stdout.
    pub(crate) fn reply(&self, command: &str, message: &impl prost::Message) {
        self.reply_raw(
            command,
            &mesos::slave::containerizer::external::frame(message),
        );
    }

    /// `command` exits with `status` after writing `stderr` to stderr.
    pub(crate) fn fail(&self, command: &str, status: i32, stderr: &str) {
        std::fs::write(self.file(&format!("{command}.exit")), status.to_string()).expect("exit");
        std::fs::write(self.file(&format!("{command}.stderr")), stderr).expect("stderr");
    }

    /// The lines of the log: `start <command>` and `end <command>`.
    pub(crate) fn log(&self) -> Vec<String> {
        std::fs::read_to_string(self.file("log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Every invocation of `command` so far, in pid order.
    pub(crate) fn calls(&self, command: &str) -> Vec<Call> {
        let prefix = format!("{command}.");
        let mut pids: Vec<u32> = std::fs::read_dir(self.dir.path())
            .expect("list")
            .filter_map(|entry| {
                let name = entry.ok()?.file_name().into_string().ok()?;
                name.strip_prefix(&prefix)?
                    .strip_suffix(".cwd")?
                    .parse()
                    .ok()
            })
            .collect();
        pids.sort_unstable();
        pids.into_iter()
            .map(|pid| {
                let read = |suffix: &str| {
                    std::fs::read(self.file(&format!("{command}.{pid}.{suffix}")))
                        .expect("a recorded file")
                };
                let env = String::from_utf8_lossy(&read("env"))
                    .lines()
                    .filter_map(|line| line.split_once('='))
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                Call {
                    stdin: read("stdin"),
                    env,
                    cwd: String::from_utf8_lossy(&read("cwd")).trim().to_string(),
                }
            })
            .collect()
    }

    /// The only invocation of `command`.
    pub(crate) fn call(&self, command: &str) -> Call {
        let mut calls = self.calls(command);
        assert_eq!(calls.len(), 1, "one '{command}' invocation: {calls:?}");
        calls.remove(0)
    }
}

/// The message in a recorded stdin.
pub(crate) fn decode<M: prost::Message + Default>(stdin: &[u8]) -> M {
    let payload = mesos::slave::containerizer::external::unframe(stdin).expect("a framed record");
    M::decode(payload).expect("the message")
}
