//! Mesos' JSON for the v1 APIs: records a real Mesos master sent
//! (captured from Apache Mesos 1.12, whose v1 scheduler and operator
//! messages used here are the same as 1.11's) are read and written back
//! byte for byte, and the seed documents' request shapes parse.

use mesos::v1::master::Response;
use mesos::v1::scheduler::{call, event, Call, Event};
use mesos::{json, v1};

/// The first records of a SUBSCRIBE response's RecordIO stream.
const SUBSCRIBED: &str = r#"{"type":"SUBSCRIBED","subscribed":{"framework_id":{"value":"d337eff3-8163-4f45-abb1-9e36f461d03d-0001"},"heartbeat_interval_seconds":15.0,"master_info":{"id":"d337eff3-8163-4f45-abb1-9e36f461d03d","ip":16777343,"port":15050,"pid":"master@127.0.0.1:15050","hostname":"localhost","version":"1.12.0","address":{"hostname":"localhost","ip":"127.0.0.1","port":15050},"capabilities":[{"type":"AGENT_UPDATE"},{"type":"AGENT_DRAINING"},{"type":"QUOTA_V2"}]}}}"#;
const HEARTBEAT: &str = r#"{"type":"HEARTBEAT"}"#;
const OFFERS: &str = r#"{"type":"OFFERS","offers":{"offers":[{"id":{"value":"d337eff3-8163-4f45-abb1-9e36f461d03d-O1"},"framework_id":{"value":"d337eff3-8163-4f45-abb1-9e36f461d03d-0001"},"agent_id":{"value":"d337eff3-8163-4f45-abb1-9e36f461d03d-S0"},"hostname":"localhost","url":{"scheme":"http","address":{"hostname":"localhost","ip":"127.0.0.1","port":15051},"path":"/slave(1)"},"resources":[{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":32000}]},"role":"*"},{"name":"cpus","type":"SCALAR","scalar":{"value":2.0},"role":"*"},{"name":"mem","type":"SCALAR","scalar":{"value":2048.0},"role":"*"},{"name":"disk","type":"SCALAR","scalar":{"value":4096.0},"role":"*"}],"attributes":[{"name":"rack","type":"TEXT","text":{"value":"r1"}},{"name":"zone","type":"TEXT","text":{"value":"west"}}]}]}}"#;

/// The master's answer to `GET_VERSION` on `/api/v1`.
const GET_VERSION: &str = r#"{"type":"GET_VERSION","get_version":{"version_info":{"version":"1.12.0","build_date":"2026-11-22 03:26:43","build_time":1795318003.0,"build_user":""}}}"#;

fn parse<M: json::Reflect>(text: &str) -> stout::Try<M> {
    json::parse(&stout::json::parse(text)?)
}

#[test]
fn v1_scheduler_events_read_and_write_back_byte_for_byte() {
    // 1.12 added `QUOTA_V2` to the v1 `MasterInfo.Capability.Type`; 1.11's
    // v1 schema lacks it (its v0 schema has it), so a 1.11 master writes
    // that capability as `{}`, and so do we.
    let subscribed_in_1_11 = SUBSCRIBED.replace(r#"{"type":"QUOTA_V2"}"#, "{}");
    for (record, written) in [
        (SUBSCRIBED, subscribed_in_1_11.as_str()),
        (HEARTBEAT, HEARTBEAT),
        (OFFERS, OFFERS),
    ] {
        let event: Event = parse(record).expect("an event");
        assert_eq!(json::jsonify(&event), written);
    }

    let subscribed: Event = parse(SUBSCRIBED).expect("an event");
    assert_eq!(subscribed.r#type(), event::Type::Subscribed);
    let details = subscribed.subscribed.expect("subscribed");
    assert_eq!(
        details.framework_id.value,
        "d337eff3-8163-4f45-abb1-9e36f461d03d-0001"
    );
    assert_eq!(details.heartbeat_interval_seconds, Some(15.0));

    let offers: Event = parse(OFFERS).expect("an event");
    let offer = &offers.offers.expect("offers").offers[0];
    let names: Vec<&str> = offer.resources.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["ports", "cpus", "mem", "disk"]);
    assert_eq!(
        offer.resources[3].scalar.as_ref().map(|s| s.value),
        Some(4096.0)
    );
    assert_eq!(
        offer.attributes[1].text.as_ref().map(|t| t.value.as_str()),
        Some("west")
    );
}

#[test]
fn v1_event_stream_is_recordio() {
    let records = [SUBSCRIBED, HEARTBEAT, OFFERS];
    let stream: Vec<u8> = records
        .iter()
        .flat_map(|r| stout::recordio::encode(r.as_bytes()))
        .collect();
    // The lengths a real master put before each record.
    let expected = format!("451\n{SUBSCRIBED}20\n{HEARTBEAT}792\n{OFFERS}");
    assert_eq!(stream, expected.as_bytes());

    // Split anywhere, the stream decodes into the same events.
    let mut decoder = stout::recordio::Decoder::new();
    let mut decoded = Vec::new();
    for chunk in stream.chunks(7) {
        decoded.extend(decoder.decode(chunk).expect("decodes"));
    }
    let events: Vec<Event> = decoded
        .iter()
        .map(|record| parse(std::str::from_utf8(record).expect("UTF-8")).expect("an event"))
        .collect();
    let types: Vec<event::Type> = events.iter().map(Event::r#type).collect();
    assert_eq!(
        types,
        [
            event::Type::Subscribed,
            event::Type::Heartbeat,
            event::Type::Offers
        ]
    );
}

#[test]
fn v1_operator_response_round_trips() {
    let response: Response = parse(GET_VERSION).expect("a response");
    let info = response
        .get_version
        .as_ref()
        .map(|v| &v.version_info)
        .expect("version info");
    assert_eq!(info.version, "1.12.0");
    assert_eq!(info.build_time, Some(1795318003.0));
    assert_eq!(json::jsonify(&response), GET_VERSION);
}

#[test]
fn seed_subscribe_call_parses() {
    // The 0.24 documentation's SUBSCRIBE body; `force` is gone from the
    // 1.11 schema, and unknown keys are ignored.
    let call: Call = parse(
        r#"{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"foo","name":"Example HTTP Framework"},"force":true}}"#,
    )
    .expect("a call");
    assert_eq!(call.r#type(), call::Type::Subscribe);
    let info = &call.subscribe.as_ref().expect("subscribe").framework_info;
    assert_eq!(
        (info.user.as_str(), info.name.as_str()),
        ("foo", "Example HTTP Framework")
    );
    // Defaults the schema spells out are written; the deprecated `role`
    // (default "*") is not.
    assert_eq!(
        json::jsonify(&call),
        r#"{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"foo","name":"Example HTTP Framework","failover_timeout":0.0,"checkpoint":false}}}"#
    );
    // JSON::protobuf sorts the keys.
    assert_eq!(
        json::to_json(&call).to_string(),
        r#"{"subscribe":{"framework_info":{"checkpoint":false,"failover_timeout":0.0,"name":"Example HTTP Framework","user":"foo"}},"type":"SUBSCRIBE"}"#
    );
}

#[test]
fn parse_errors_name_what_is_wrong() {
    let error = |text: &str| parse::<v1::TaskInfo>(text).expect_err("fails").to_string();
    assert_eq!(
        error("{}"),
        "Missing required fields: name, task_id, agent_id"
    );
    assert_eq!(
        error(
            r#"{"name":"t","task_id":{"value":"1"},"agent_id":{"value":"a"},"resources":[{"name":"cpus"}]}"#
        ),
        "Missing required fields: resources[0].type"
    );
    assert_eq!(
        error(r#"{"name":1}"#),
        "Not expecting a JSON number for field 'name'"
    );
    assert_eq!(
        error(r#"{"name":"t","resources":[{"name":"cpus","type":"NOPE"}]}"#),
        "Failed to find enum for 'NOPE'"
    );
    assert_eq!(
        parse::<v1::TaskInfo>("[]").expect_err("fails").to_string(),
        "Expecting a JSON object"
    );
}

#[test]
fn parse_accepts_what_stout_accepts() {
    // An unknown name in an optional enum is dropped, not an error.
    let call: Call = parse(r#"{"type":"NOPE"}"#).expect("a call");
    assert!(call.r#type.is_none());

    // Bytes are base64; numbers and booleans may be strings; null is unset.
    let message: call::Message =
        parse(r#"{"agent_id":{"value":"a"},"executor_id":{"value":"e"},"data":"aGVsbG8="}"#)
            .expect("a message");
    assert_eq!(&message.data[..], b"hello");
    let error = parse::<call::Message>(
        r#"{"agent_id":{"value":"a"},"executor_id":{"value":"e"},"data":"!!"}"#,
    )
    .expect_err("bad base64");
    assert_eq!(
        error.to_string(),
        "Failed to base64 decode bytes field 'data': Invalid character '!'"
    );
    let scalar: v1::value::Scalar = parse(r#"{"value":"1.5"}"#).expect("a scalar");
    assert_eq!(scalar.value, 1.5);
    let info: v1::FrameworkInfo =
        parse(r#"{"user":"u","name":"n","checkpoint":"true","hostname":null}"#).expect("info");
    assert_eq!((info.checkpoint, info.hostname), (Some(true), None));
}
