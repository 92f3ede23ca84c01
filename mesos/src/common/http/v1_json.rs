//! A v0 message as Mesos writes it for the v1 operator API's state calls
//! (`asV1Protobuf` in `common/http.cpp`): the v0 message's JSON with
//! `slave` renamed `agent` in field names and `SLAVE` renamed `AGENT` in
//! enum values. Fields only the v0 schema has stay (Mesos keeps them).

use prost_reflect::{FieldDescriptor, Kind, MessageDescriptor};
use serde_json::{Map, Value};

use crate::json::{descriptor, to_json, Reflect};

/// `message`'s JSON with v1 names.
pub fn as_v1_json<M: Reflect>(message: &M) -> Value {
    rename_message(to_json(message), &descriptor::<M>())
}

/// `message`'s JSON with v1 names, and the arrays Mesos' writers write
/// whatever their length (its `jsonifyGet*`): under each JSON pointer of
/// `always_written` that is an object, each named array, empty if the
/// message had none.
pub fn as_v1_json_with_arrays<M: Reflect>(
    message: &M,
    always_written: &[(&str, &[&str])],
) -> Value {
    let mut json = as_v1_json(message);
    for (path, arrays) in always_written {
        if let Some(Value::Object(object)) = json.pointer_mut(path) {
            for array in *arrays {
                object
                    .entry(array.to_string())
                    .or_insert_with(|| Value::Array(Vec::new()));
            }
        }
    }
    json
}

fn rename_message(json: Value, message: &MessageDescriptor) -> Value {
    let Value::Object(object) = json else {
        return json;
    };
    let renamed: Map<String, Value> = object
        .into_iter()
        .map(|(name, value)| {
            let value = match message.get_field_by_name(&name) {
                Some(field) => rename_field(value, &field),
                None => value,
            };
            (name.replace("slave", "agent"), value)
        })
        .collect();
    Value::Object(renamed)
}

fn rename_field(value: Value, field: &FieldDescriptor) -> Value {
    if field.is_map() {
        let Kind::Message(entry) = field.kind() else {
            return value;
        };
        let value_field = entry.map_entry_value_field();
        return match value {
            Value::Object(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, rename_value(v, &value_field)))
                    .collect(),
            ),
            other => other,
        };
    }
    match value {
        Value::Array(values) => {
            Value::Array(values.into_iter().map(|v| rename_value(v, field)).collect())
        }
        value => rename_value(value, field),
    }
}

fn rename_value(value: Value, field: &FieldDescriptor) -> Value {
    match (field.kind(), value) {
        (Kind::Message(message), value) => rename_message(value, &message),
        (Kind::Enum(_), Value::String(name)) => Value::String(name.replace("SLAVE", "AGENT")),
        (_, value) => value,
    }
}
