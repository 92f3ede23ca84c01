//! The external containerizer's framing, checked against the record the
//! protocol's documentation shows (a `containerizer::Launch` as the agent
//! sent it to a test containerizer): 4-byte size in the host's byte order,
//! then the message.

use mesos::containerizer::Launch;

/// The documentation's hexdump, 580 bytes.
const LAUNCH_RECORD: &str = "\
400200000a260a2434333532353361622d643234362d343762652d613335302d3335343230343635643836381a81020a\
030a01312a160a046370757310001a0909000000000000004032012a2a150a036d656d10001a09090000000000009040\
32012a2a160a046469736b10001a0909000000000000904032012a2a180a05706f7274731001220a0a080898f2011080\
fa0132012a3a2a1a286563686f20274e6f20737563682066696c65206f72206469726563746f7279273b206578697420\
31422b0a2932303134303532362d3031353030362d31363737373334332d35353430332d36323536372d303030304a3d\
436f6d6d616e64204578656375746f7220285461736b3a2031292028436f6d6d616e643a207368202d6320277768696c\
652074727565203b2e2e2e272952013122c5012f746d702f45787465726e616c436f6e7461696e6572697a6572546573\
745f4c61756e63685f6c58556839662f736c617665732f32303134303532362d3031353030362d31363737373334332d\
35353430332d36323536372d302f6672616d65776f726b732f32303134303532362d3031353030362d31363737373334\
332d35353430332d36323536372d303030302f6578656375746f72732f312f72756e732f34333532353361622d643234\
362d343762652d613335302d3335343230343635643836382a0474696c6c32280a2632303134303532362d3031353030\
362d31363737373334332d35353430332d36323536372d303a18736c617665283129403132372e302e302e313a353534\
30334000";

pub(crate) fn record() -> Vec<u8> {
    (0..LAUNCH_RECORD.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&LAUNCH_RECORD[i..i + 2], 16).expect("hex"))
        .collect()
}

/// A resource as (name, type, scalar, ranges, role).
type Summary<'a> = (&'a str, i32, Option<f64>, Vec<(u64, u64)>, Option<&'a str>);

const RUN: &str = "435253ab-d246-47be-a350-35420465d868";
const FRAMEWORK: &str = "20140526-015006-16777343-55403-62567-0000";
const SLAVE: &str = "20140526-015006-16777343-55403-62567-0";

#[test]
#[cfg(target_endian = "little")]
// The record carries `source` and `role`, deprecated since.
#[allow(deprecated)]
fn launch_record_from_the_documentation() {
    let bytes = record();
    assert_eq!(bytes.len(), 4 + 576);
    assert_eq!(&bytes[..4], &576u32.to_le_bytes());

    let launch: Launch = stout::protobuf::read(&mut bytes.as_slice())
        .expect("decodes")
        .expect("a message");
    assert_eq!(launch.container_id.value, RUN);
    assert!(launch.task_info.is_none());
    let executor = launch.executor_info.as_ref().expect("an executor");
    assert_eq!(executor.executor_id.value, "1");
    assert_eq!(
        executor.framework_id.as_ref().map(|id| id.value.as_str()),
        Some(FRAMEWORK)
    );
    assert_eq!(
        executor.command.as_ref().and_then(|c| c.value.as_deref()),
        Some("echo 'No such file or directory'; exit 1")
    );
    assert_eq!(
        executor.name.as_deref(),
        Some("Command Executor (Task: 1) (Command: sh -c 'while true ;...')")
    );
    assert_eq!(executor.source.as_deref(), Some("1"));

    let resources: Vec<Summary<'_>> = executor
        .resources
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                r.r#type,
                r.scalar.as_ref().map(|s| s.value),
                r.ranges
                    .iter()
                    .flat_map(|ranges| ranges.range.iter().map(|r| (r.begin, r.end)))
                    .collect(),
                r.role.as_deref(),
            )
        })
        .collect();
    let scalar = mesos::value::Type::Scalar as i32;
    let ranges = mesos::value::Type::Ranges as i32;
    assert_eq!(
        resources,
        vec![
            ("cpus", scalar, Some(2.0), vec![], Some("*")),
            ("mem", scalar, Some(1024.0), vec![], Some("*")),
            ("disk", scalar, Some(1024.0), vec![], Some("*")),
            ("ports", ranges, None, vec![(31000, 32000)], Some("*")),
        ]
    );

    assert_eq!(
        launch.directory.as_deref(),
        Some(
            format!(
                "/tmp/ExternalContainerizerTest_Launch_lXUh9f/slaves/{SLAVE}/frameworks/{FRAMEWORK}/executors/1/runs/{RUN}"
            )
            .as_str()
        )
    );
    assert_eq!(launch.user.as_deref(), Some("till"));
    assert_eq!(
        launch.slave_id.as_ref().map(|id| id.value.as_str()),
        Some(SLAVE)
    );
    assert_eq!(
        launch.slave_pid.as_deref(),
        Some("slave(1)@127.0.0.1:55403")
    );
    assert_eq!(launch.checkpoint, Some(false));

    // Our encoding of the same message is the same bytes.
    let mut written = Vec::new();
    stout::protobuf::write(&mut written, &launch).expect("writes");
    assert_eq!(written, bytes);
}

#[test]
fn framing_errors() {
    // Nothing at all is the end of the input, not an error.
    let none: Option<Launch> = stout::protobuf::read(&mut &b""[..]).expect("no error");
    assert!(none.is_none());

    let error =
        stout::protobuf::read::<_, Launch>(&mut &b"\x05\x00"[..]).expect_err("partial size");
    assert_eq!(
        error.to_string(),
        "Failed to read size: hit EOF unexpectedly, possible corruption"
    );

    let mut truncated = record();
    truncated.truncate(100);
    let error = stout::protobuf::read::<_, Launch>(&mut truncated.as_slice()).expect_err("partial");
    assert_eq!(
        error.to_string(),
        "Failed to read message of size 576 bytes: hit EOF unexpectedly, possible corruption"
    );

    let garbage = [3u8, 0, 0, 0, 0xff, 0xff, 0xff];
    let error = stout::protobuf::read::<_, Launch>(&mut &garbage[..]).expect_err("garbage");
    assert_eq!(error.to_string(), "Failed to deserialize message");

    // Several records follow each other on one pipe.
    let mut pipe = Vec::new();
    let mut launch = Launch::default();
    launch.container_id.value = "a".to_string();
    stout::protobuf::write(&mut pipe, &launch).expect("writes");
    launch.container_id.value = "b".to_string();
    stout::protobuf::write(&mut pipe, &launch).expect("writes");
    let mut reader = pipe.as_slice();
    let ids: Vec<String> =
        std::iter::from_fn(|| stout::protobuf::read::<_, Launch>(&mut reader).expect("reads"))
            .map(|l| l.container_id.value)
            .collect();
    assert_eq!(ids, ["a", "b"]);
}
