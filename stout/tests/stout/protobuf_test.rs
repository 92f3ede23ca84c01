//! stout's `ProtobufTest.*` (protobuf_tests.cpp), over messages of the
//! schema in `protobuf_tests.proto`, compiled at test time with protox and
//! built as `prost_reflect::DynamicMessage`s.
//!
//! Every upstream test is ported; none is skipped. Where C++ APIs have no
//! direct equivalent the test uses the closest one:
//! - `JSON::protobuf(RepeatedPtrField)` (JSONArray) is `to_json` of each
//!   element collected into an array;
//! - `jsonify` of an `ArrayWriter` lambda (JsonifyArray) is the elements'
//!   `jsonify` text joined into `[..]`;
//! - `MessageDifferencer::Equals` and the hand-written `operator==` of
//!   `SimpleMessage` / `FloatMessage` are `DynamicMessage`'s `PartialEq`;
//! - `SerializeAsString()` is `prost::Message::encode_to_vec`;
//! - `JSON::Number(±infinity)` (JsonInfinity) cannot exist in serde_json,
//!   so the reference object holds the strings `to_json` gives for them.
//!
//! Where upstream compares `stringify(JSON::protobuf(message))` with a
//! text, the test compares `to_json(&message)` with the
//! `serde_json::Value` parsed from that text, and also its serde_json text
//! with the compacted expected text (serde_json prints these numbers,
//! `1.0`, `42.0`, the 64-bit integers, exactly as stout does).

use std::sync::LazyLock;

use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage, MapKey, MessageDescriptor, Value};
use serde_json::{json, Value as Json};
use stout::{protobuf, Uuid};

/// The values of `tests::Enum`.
const UNKNOWN: i32 = 0;
const ONE: i32 = 1;
const TWO: i32 = 2;

static POOL: LazyLock<DescriptorPool> = LazyLock::new(|| {
    let mut compiler = protox::Compiler::new([concat!(env!("CARGO_MANIFEST_DIR"), "/tests/stout")])
        .expect("the include path is usable");
    compiler
        .open_file("protobuf_tests.proto")
        .expect("protobuf_tests.proto compiles");
    compiler.descriptor_pool()
});

/// The descriptor of `tests.<name>`.
fn descriptor(name: &str) -> MessageDescriptor {
    POOL.get_message_by_name(&format!("tests.{name}"))
        .expect("the message is in protobuf_tests.proto")
}

fn new_message(name: &str) -> DynamicMessage {
    DynamicMessage::new(descriptor(name))
}

/// `message.set_<name>(value)`.
fn set(message: &mut DynamicMessage, name: &str, value: Value) {
    message
        .try_set_field_by_name(name, value)
        .expect("the field exists and takes the value");
}

/// `message.add_<name>(value)`.
fn add(message: &mut DynamicMessage, name: &str, value: Value) {
    let mut values = message
        .get_field_by_name(name)
        .expect("the field exists")
        .into_owned();
    values
        .as_list_mut()
        .expect("the field is repeated")
        .push(value);
    set(message, name, values);
}

/// `(*message.mutable_<name>())[key] = value`.
fn insert(message: &mut DynamicMessage, name: &str, key: MapKey, value: Value) {
    let mut entries = message
        .get_field_by_name(name)
        .expect("the field exists")
        .into_owned();
    entries
        .as_map_mut()
        .expect("the field is a map")
        .insert(key, value);
    set(message, name, entries);
}

fn string(s: &str) -> Value {
    Value::String(s.to_string())
}

fn bytes(b: &[u8]) -> Value {
    Value::Bytes(b.to_vec().into())
}

/// A `tests::Nested` with `str` set.
fn nested(s: &str) -> DynamicMessage {
    let mut nested = new_message("Nested");
    set(&mut nested, "str", string(s));
    nested
}

/// A `tests::SimpleMessage`.
fn simple_message(id: &str, numbers: &[i32]) -> DynamicMessage {
    let mut message = new_message("SimpleMessage");
    set(&mut message, "id", string(id));
    for number in numbers {
        add(&mut message, "numbers", Value::I32(*number));
    }
    message
}

/// The `tests::Message` of the JSON and Jsonify tests.
fn message_of_every_type() -> DynamicMessage {
    let mut message = new_message("Message");
    set(&mut message, "b", Value::Bool(true));
    set(&mut message, "str", string("string"));
    set(&mut message, "bytes", bytes(b"bytes"));
    set(&mut message, "int32", Value::I32(-1));
    set(&mut message, "int64", Value::I64(-1));
    set(&mut message, "uint32", Value::U32(1));
    set(&mut message, "uint64", Value::U64(1));
    set(&mut message, "sint32", Value::I32(-1));
    set(&mut message, "sint64", Value::I64(-1));
    set(&mut message, "f", Value::F32(1.0));
    set(&mut message, "d", Value::F64(1.0));
    set(&mut message, "e", Value::EnumNumber(ONE));
    set(&mut message, "nested", Value::Message(nested("nested")));
    add(&mut message, "repeated_bool", Value::Bool(true));
    add(&mut message, "repeated_string", string("repeated_string"));
    add(&mut message, "repeated_bytes", bytes(b"repeated_bytes"));
    add(&mut message, "repeated_int32", Value::I32(-2));
    add(&mut message, "repeated_int64", Value::I64(-2));
    add(&mut message, "repeated_uint32", Value::U32(2));
    add(&mut message, "repeated_uint64", Value::U64(2));
    add(&mut message, "repeated_sint32", Value::I32(-2));
    add(&mut message, "repeated_sint64", Value::I64(-2));
    add(&mut message, "repeated_float", Value::F32(1.0));
    add(&mut message, "repeated_double", Value::F64(1.0));
    add(&mut message, "repeated_double", Value::F64(2.0));
    add(&mut message, "repeated_enum", Value::EnumNumber(TWO));
    add(
        &mut message,
        "repeated_nested",
        Value::Message(nested("repeated_nested")),
    );
    message
}

/// The `tests::Message` of the large integer tests: values equal or close
/// to the integer limits, and the required fields.
fn message_of_large_integers() -> DynamicMessage {
    let mut message = new_message("Message");
    set(&mut message, "int32", Value::I32(-2147483647));
    set(&mut message, "int64", Value::I64(-9223372036854775807));
    set(&mut message, "uint32", Value::U32(4294967295));
    set(&mut message, "uint64", Value::U64(9223372036854775807));
    set(&mut message, "sint32", Value::I32(-1234567890));
    set(&mut message, "sint64", Value::I64(-1234567890123456789));
    add(&mut message, "repeated_int32", Value::I32(-2000000000));
    add(
        &mut message,
        "repeated_int64",
        Value::I64(-9000000000000000000),
    );
    add(&mut message, "repeated_uint32", Value::U32(3000000000));
    add(
        &mut message,
        "repeated_uint64",
        Value::U64(7000000000000000000),
    );
    add(&mut message, "repeated_sint32", Value::I32(-1000000000));
    add(
        &mut message,
        "repeated_sint64",
        Value::I64(-8000000000000000000),
    );

    set(&mut message, "b", Value::Bool(true));
    set(&mut message, "str", string("string"));
    set(&mut message, "bytes", bytes(b"bytes"));
    set(&mut message, "f", Value::F32(1.0));
    set(&mut message, "d", Value::F64(1.0));
    set(&mut message, "e", Value::EnumNumber(ONE));
    set(&mut message, "nested", Value::Message(nested("nested")));
    message
}

/// The `tests::ArrayMessage` holding `message1` and `message2`.
fn array_message() -> DynamicMessage {
    let mut message = new_message("ArrayMessage");
    add(
        &mut message,
        "values",
        Value::Message(simple_message("message1", &[1, 2])),
    );
    add(
        &mut message,
        "values",
        Value::Message(simple_message("message2", &[1, 2])),
    );
    message
}

/// The messages of a repeated message field.
fn messages(message: &DynamicMessage, name: &str) -> Vec<DynamicMessage> {
    message
        .get_field_by_name(name)
        .expect("the field exists")
        .as_list()
        .expect("the field is repeated")
        .iter()
        .map(|value| value.as_message().expect("a message").clone())
        .collect()
}

/// `expected` without white space, as the C++ tests erase `::isspace`.
fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `JSON::parse(text)`.
fn parse_json(text: &str) -> Json {
    stout::json::parse(text).expect("the JSON parses")
}

/// `JSON::parse<JSON::Object>(text)`.
fn parse_json_object(text: &str) -> Json {
    Json::Object(stout::json::parse_object(text).expect("the JSON parses as an object"))
}

#[test]
fn json() {
    let mut message = message_of_every_type();

    // The keys are in alphabetical order.
    let expected = compact(
        r#"
        {
          "b": true,
          "bytes": "Ynl0ZXM=",
          "d": 1.0,
          "e": "ONE",
          "f": 1.0,
          "int32": -1,
          "int64": -1,
          "nested": { "str": "nested"},
          "optional_default": 42.0,
          "repeated_bool": [true],
          "repeated_bytes": ["cmVwZWF0ZWRfYnl0ZXM="],
          "repeated_double": [1.0, 2.0],
          "repeated_enum": ["TWO"],
          "repeated_float": [1.0],
          "repeated_int32": [-2],
          "repeated_int64": [-2],
          "repeated_nested": [ { "str": "repeated_nested" } ],
          "repeated_sint32": [-2],
          "repeated_sint64": [-2],
          "repeated_string": ["repeated_string"],
          "repeated_uint32": [2],
          "repeated_uint64": [2],
          "sint32": -1,
          "sint64": -1,
          "str": "string",
          "uint32": 1,
          "uint64": 1
        }"#,
    );

    // The same, with all the booleans and numbers as strings.
    let accepted = r#"
        {
          "b": "true",
          "bytes": "Ynl0ZXM=",
          "d": "1.0",
          "e": "ONE",
          "f": "1.0",
          "int32": "-1",
          "int64": "-1",
          "nested": { "str": "nested"},
          "optional_default": "42.0",
          "repeated_bool": ["true"],
          "repeated_bytes": ["cmVwZWF0ZWRfYnl0ZXM="],
          "repeated_double": ["1.0", "2.0"],
          "repeated_enum": ["TWO"],
          "repeated_float": ["1.0"],
          "repeated_int32": ["-2"],
          "repeated_int64": ["-2"],
          "repeated_nested": [ { "str": "repeated_nested" } ],
          "repeated_sint32": ["-2"],
          "repeated_sint64": ["-2"],
          "repeated_string": ["repeated_string"],
          "repeated_uint32": ["2"],
          "repeated_uint64": ["2"],
          "sint32": "-1",
          "sint64": "-1",
          "str": "string",
          "uint32": "1",
          "uint64": "1"
        }"#;

    let object = protobuf::to_json(&message);

    // Upstream compares `stringify(object)` with `expected`: compare the
    // values, and the text.
    assert_eq!(object, parse_json(&expected));
    assert_eq!(object.to_string(), expected);

    // Test parsing too.
    let parse = protobuf::parse(&object, &descriptor("Message")).expect("the object parses");
    assert_eq!(protobuf::to_json(&parse), object);

    // All the booleans and numbers given as strings are accepted.
    let json = parse_json_object(accepted);
    let parse = protobuf::parse(&json, &descriptor("Message")).expect("the strings parse");
    assert_eq!(protobuf::to_json(&parse), object);

    // Random bytes (a UUID's) survive the round trip.
    set(&mut message, "bytes", bytes(&Uuid::random().to_bytes()));

    let object = protobuf::to_json(&message);

    let parse = protobuf::parse(&object, &descriptor("Message")).expect("the object parses");
    assert_eq!(protobuf::to_json(&parse), object);

    // Now convert the JSON to text and parse it back.
    assert_eq!(
        stout::json::parse(&object.to_string()).expect("the text parses"),
        object
    );
}

#[test]
fn json_array() {
    // The keys are in alphabetical order.
    let expected = compact(
        r#"
        [
          {
            "id": "message1",
            "numbers": [1, 2]
          },
          {
            "id": "message2",
            "numbers": [1, 2]
          }
        ]"#,
    );

    // `JSON::protobuf(arrayMessage.values())`.
    let array = Json::Array(
        messages(&array_message(), "values")
            .iter()
            .map(protobuf::to_json)
            .collect(),
    );

    // Upstream compares `stringify(array)` with `expected`.
    assert_eq!(array, parse_json(&expected));
    assert_eq!(array.to_string(), expected);
}

// Integer precision is kept between JSON and protobuf.
#[test]
fn json_large_integers() {
    let message = message_of_large_integers();

    // The keys are in alphabetical order.
    let expected = compact(
        r#"
        {
          "b": true,
          "bytes": "Ynl0ZXM=",
          "d": 1.0,
          "e": "ONE",
          "f": 1.0,
          "int32": -2147483647,
          "int64": -9223372036854775807,
          "nested": {"str": "nested"},
          "optional_default": 42.0,
          "repeated_int32": [-2000000000],
          "repeated_int64": [-9000000000000000000],
          "repeated_sint32": [-1000000000],
          "repeated_sint64": [-8000000000000000000],
          "repeated_uint32": [3000000000],
          "repeated_uint64": [7000000000000000000],
          "sint32": -1234567890,
          "sint64": -1234567890123456789,
          "str": "string",
          "uint32": 4294967295,
          "uint64": 9223372036854775807
        }"#,
    );

    // Check JSON -> String (upstream compares `stringify(object)`).
    let object = protobuf::to_json(&message);
    assert_eq!(object, parse_json(&expected));
    assert_eq!(object.to_string(), expected);

    // Check JSON -> Protobuf.
    let parse = protobuf::parse(&object, &descriptor("Message")).expect("the object parses");

    // Check Protobuf -> JSON.
    assert_eq!(protobuf::to_json(&parse), object);

    // Check String -> JSON.
    assert_eq!(parse_json_object(&expected), object);
}

#[test]
fn simple_message_equals() {
    let message1 = simple_message("message1", &[1, 2]);

    // A message equals itself.
    assert_eq!(message1, message1.clone());

    // Messages with different ids are not equal.
    let message2 = simple_message("message2", &[1, 2]);
    assert_ne!(message1, message2);

    // Messages with different numbers are not equal.
    let message3 = simple_message("message1", &[1]);
    assert_ne!(message1, message3);

    let message4 = simple_message("message1", &[2, 1]);
    assert_ne!(message1, message4);

    // Different messages with the same id and numbers are equal, and so
    // are their JSON counterparts.
    let message5 = simple_message("message1", &[1, 2]);
    assert_eq!(message1, message5);
    assert_eq!(protobuf::to_json(&message1), protobuf::to_json(&message5));
}

#[test]
fn parse_json_array() {
    let message = simple_message("message1", &[1, 2]);

    // The message as a JSON object, twice in an array.
    let object = protobuf::to_json(&message);
    let array = Json::Array(vec![object.clone(), object]);

    // `protobuf::parse<RepeatedPtrField<tests::SimpleMessage>>(array)`.
    let repeated =
        protobuf::parse_array(&array, &descriptor("SimpleMessage")).expect("the array parses");

    // The parsed messages equal the original one.
    assert_eq!(repeated[0], message);
    assert_eq!(repeated[1], message);
}

#[test]
fn parse_json_null() {
    let nested = nested("value");

    // An optional field set to null.
    let json = parse_json_object(
        r#"
        {
          "str": "value",
          "optional_str": null
        }"#,
    );
    let parse = protobuf::parse(&json, &descriptor("Nested")).expect("null is ignored");
    assert_eq!(parse.encode_to_vec(), nested.encode_to_vec());

    // A repeated field set to null.
    let json = parse_json_object(
        r#"
        {
          "str": "value",
          "repeated_str": null
        }"#,
    );
    let parse = protobuf::parse(&json, &descriptor("Nested")).expect("null is ignored");
    assert_eq!(parse.encode_to_vec(), nested.encode_to_vec());

    // A required field set to null.
    let json = parse_json_object(
        r#"
        {
          "str": null
        }"#,
    );
    assert!(protobuf::parse(&json, &descriptor("Nested")).is_err());
}

#[test]
fn parse_json_nested_error() {
    // An error parsing the 'nested' message: its string field `str` is a
    // number.
    let json = parse_json_object(
        r#"
        {
          "b": true,
          "str": "string",
          "bytes": "Ynl0ZXM=",
          "f": 1.0,
          "d": 1.0,
          "e": "ONE",
          "nested": {
              "str": 1.0
          }
        }"#,
    );

    let error = protobuf::parse(&json, &descriptor("Message")).expect_err("a number is no string");
    assert!(
        error
            .message()
            .contains("Not expecting a JSON number for field"),
        "{error}"
    );
}

// An unrecognized enum name leaves an optional enum field unset (its
// getter gives the default) and is left out of a repeated enum field.
#[test]
fn parse_json_unrecognized_enum() {
    let json = parse_json_object(
        r#"
        {
          "e1": "XXX",
          "e2": "",
          "repeated_enum": ["ONE", "XXX", "", "TWO"]
        }"#,
    );

    let parse =
        protobuf::parse(&json, &descriptor("EnumMessage")).expect("unknown enum names are dropped");

    assert!(!parse.has_field_by_name("e1"));
    assert_eq!(
        *parse.get_field_by_name("e1").expect("e1 exists"),
        Value::EnumNumber(UNKNOWN)
    );
    assert!(!parse.has_field_by_name("e2"));
    assert_eq!(
        *parse.get_field_by_name("e2").expect("e2 exists"),
        Value::EnumNumber(UNKNOWN)
    );

    let repeated = parse
        .get_field_by_name("repeated_enum")
        .expect("repeated_enum exists");
    let repeated = repeated.as_list().expect("repeated_enum is repeated");
    assert_eq!(repeated.len(), 2);
    assert_eq!(repeated[0], Value::EnumNumber(ONE));
    assert_eq!(repeated[1], Value::EnumNumber(TWO));
}

#[test]
fn jsonify() {
    let message = message_of_every_type();

    // The fields are in declaration order.
    let expected = compact(
        r#"
        {
          "b": true,
          "str": "string",
          "bytes": "Ynl0ZXM=",
          "int32": -1,
          "int64": -1,
          "uint32": 1,
          "uint64": 1,
          "sint32": -1,
          "sint64": -1,
          "f": 1.0,
          "d": 1.0,
          "e": "ONE",
          "nested": { "str": "nested"},
          "repeated_bool": [true],
          "repeated_string": ["repeated_string"],
          "repeated_bytes": ["cmVwZWF0ZWRfYnl0ZXM="],
          "repeated_int32": [-2],
          "repeated_int64": [-2],
          "repeated_uint32": [2],
          "repeated_uint64": [2],
          "repeated_sint32": [-2],
          "repeated_sint64": [-2],
          "repeated_float": [1.0],
          "repeated_double": [1.0, 2.0],
          "repeated_enum": ["TWO"],
          "repeated_nested": [ { "str": "repeated_nested" } ],
          "optional_default": 42.0
        }"#,
    );

    assert_eq!(protobuf::jsonify(&message), expected);
}

#[test]
fn jsonify_array() {
    let expected = compact(
        r#"
        [
          {
            "id": "message1",
            "numbers": [1, 2]
          },
          {
            "id": "message2",
            "numbers": [1, 2]
          }
        ]"#,
    );

    // An array writer writing each of `arrayMessage.values()` as an element.
    let elements: Vec<String> = messages(&array_message(), "values")
        .iter()
        .map(protobuf::jsonify)
        .collect();
    let actual = format!("[{}]", elements.join(","));

    assert_eq!(actual, expected);
}

// Integer precision is kept between JSON and protobuf.
#[test]
fn jsonify_large_integers() {
    let message = message_of_large_integers();

    // The fields are in declaration order.
    let expected = compact(
        r#"
        {
          "b": true,
          "str": "string",
          "bytes": "Ynl0ZXM=",
          "int32": -2147483647,
          "int64": -9223372036854775807,
          "uint32": 4294967295,
          "uint64": 9223372036854775807,
          "sint32": -1234567890,
          "sint64": -1234567890123456789,
          "f": 1.0,
          "d": 1.0,
          "e": "ONE",
          "nested": {"str": "nested"},
          "repeated_int32": [-2000000000],
          "repeated_int64": [-9000000000000000000],
          "repeated_uint32": [3000000000],
          "repeated_uint64": [7000000000000000000],
          "repeated_sint32": [-1000000000],
          "repeated_sint64": [-8000000000000000000],
          "optional_default": 42.0
        }"#,
    );

    assert_eq!(protobuf::jsonify(&message), expected);
}

#[test]
fn jsonify_map() {
    let key = |s: &str| MapKey::String(s.to_string());

    let mut message = new_message("MapMessage");
    insert(
        &mut message,
        "string_to_string",
        key("key1"),
        string("value1"),
    );
    insert(
        &mut message,
        "string_to_string",
        key("key2"),
        string("value2"),
    );
    insert(
        &mut message,
        "string_to_bool",
        key("key1"),
        Value::Bool(true),
    );
    insert(
        &mut message,
        "string_to_bool",
        key("key2"),
        Value::Bool(false),
    );
    insert(&mut message, "string_to_bytes", key("key"), bytes(b"bytes"));

    // Values equal or close to the integer limits.
    insert(
        &mut message,
        "string_to_int32",
        key("key"),
        Value::I32(-2147483647),
    );
    insert(
        &mut message,
        "string_to_int64",
        key("key"),
        Value::I64(-9223372036854775807),
    );
    insert(
        &mut message,
        "string_to_uint32",
        key("key"),
        Value::U32(4294967295),
    );
    insert(
        &mut message,
        "string_to_uint64",
        key("key"),
        Value::U64(9223372036854775807),
    );
    insert(
        &mut message,
        "string_to_sint32",
        key("key"),
        Value::I32(-1234567890),
    );
    insert(
        &mut message,
        "string_to_sint64",
        key("key"),
        Value::I64(-1234567890123456789),
    );

    insert(&mut message, "string_to_float", key("key"), Value::F32(1.0));
    insert(
        &mut message,
        "string_to_double",
        key("key"),
        Value::F64(1.0),
    );
    insert(
        &mut message,
        "string_to_enum",
        key("key"),
        Value::EnumNumber(ONE),
    );
    insert(
        &mut message,
        "string_to_nested",
        key("key"),
        Value::Message(nested("nested")),
    );

    insert(
        &mut message,
        "bool_to_string",
        MapKey::Bool(true),
        string("value1"),
    );
    insert(
        &mut message,
        "bool_to_string",
        MapKey::Bool(false),
        string("value2"),
    );

    // Keys equal or close to the integer limits.
    insert(
        &mut message,
        "int32_to_string",
        MapKey::I32(-2147483647),
        string("value"),
    );
    insert(
        &mut message,
        "int64_to_string",
        MapKey::I64(-9223372036854775807),
        string("value"),
    );
    insert(
        &mut message,
        "uint32_to_string",
        MapKey::U32(4294967295),
        string("value"),
    );
    insert(
        &mut message,
        "uint64_to_string",
        MapKey::U64(9223372036854775807),
        string("value"),
    );
    insert(
        &mut message,
        "sint32_to_string",
        MapKey::I32(-1234567890),
        string("value"),
    );
    insert(
        &mut message,
        "sint64_to_string",
        MapKey::I64(-1234567890123456789),
        string("value"),
    );

    // The value of `string_to_bytes` is base64 encoded.
    let expected = r#"
        {
          "string_to_string": {
            "key1": "value1",
            "key2": "value2"
          },
          "string_to_bool": {
            "key1": true,
            "key2": false
          },
          "string_to_bytes": {
            "key": "Ynl0ZXM="
          },
          "string_to_int32": {
            "key": -2147483647
          },
          "string_to_int64": {
            "key": -9223372036854775807
          },
          "string_to_uint32": {
            "key": 4294967295
          },
          "string_to_uint64": {
            "key": 9223372036854775807
          },
          "string_to_sint32": {
            "key": -1234567890
          },
          "string_to_sint64": {
            "key": -1234567890123456789
          },
          "string_to_float": {
            "key": 1.0
          },
          "string_to_double": {
            "key": 1.0
          },
          "string_to_enum": {
            "key": "ONE"
          },
          "string_to_nested": {
            "key": {
              "str": "nested"
            }
          },
          "bool_to_string": {
            "false": "value2",
            "true": "value1"
          },
          "int32_to_string": {
            "-2147483647": "value"
          },
          "int64_to_string": {
            "-9223372036854775807": "value"
          },
          "uint32_to_string": {
            "4294967295": "value"
          },
          "uint64_to_string": {
            "9223372036854775807": "value"
          },
          "sint32_to_string": {
            "-1234567890": "value"
          },
          "sint64_to_string": {
            "-1234567890123456789": "value"
          }
        }"#;

    // Map entries have no particular order: compare the parsed values.
    let json_expected = parse_json(expected);
    let json_actual = parse_json(&protobuf::jsonify(&message));
    assert_eq!(json_expected, json_actual);

    // The JSON maps back to the message.
    let proto_from_json =
        protobuf::parse(&json_actual, &descriptor("MapMessage")).expect("the maps parse");
    assert_eq!(message, proto_from_json);
}

#[test]
fn json_infinity() {
    let mut message = new_message("FloatMessage");
    set(&mut message, "f1", Value::F32(f32::INFINITY));
    set(&mut message, "f2", Value::F32(f32::NEG_INFINITY));
    set(&mut message, "d1", Value::F64(f64::INFINITY));
    set(&mut message, "d2", Value::F64(f64::NEG_INFINITY));

    // The keys are in alphabetical order.
    let expected = compact(
        r#"
        {
          "d1": "Infinity",
          "d2": "-Infinity",
          "f1": "Infinity",
          "f2": "-Infinity"
        }"#,
    );

    // Upstream's reference object holds `JSON::Number(±infinity)`, which
    // serde_json cannot hold: `to_json` gives the strings stout prints.
    let reference = json!({
        "d1": "Infinity",
        "d2": "-Infinity",
        "f1": "Infinity",
        "f2": "-Infinity",
    });

    // Check Protobuf -> JSON.
    let protobuf_object = protobuf::to_json(&message);
    assert_eq!(protobuf_object, reference);
    assert_eq!(protobuf_object.to_string(), expected);

    // Check JSON -> Protobuf.
    let parse =
        protobuf::parse(&protobuf_object, &descriptor("FloatMessage")).expect("the object parses");
    assert_eq!(message, parse);

    // Check String -> JSON: without the field types "Infinity" is a
    // string.
    let parsed_object = parse_json_object(&expected);
    assert_eq!(parsed_object, reference);

    // Check JSON -> Protobuf.
    let parse =
        protobuf::parse(&parsed_object, &descriptor("FloatMessage")).expect("the object parses");
    assert_eq!(message, parse);
}

#[test]
fn parse_json_missing_required_in_map_value() {
    // Not in stout's suite: a map value missing a required field is as
    // incomplete as a repeated one.
    let error = protobuf::parse(
        &json!({"string_to_nested": {"a": {"str": "x"}, "b": {}}}),
        &descriptor("MapMessage"),
    )
    .expect_err("a nested message lacks `str`");
    assert_eq!(
        error.to_string(),
        "Missing required fields: string_to_nested[1].value.str"
    );
}
