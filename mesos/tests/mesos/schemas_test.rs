//! Every message of the schemas, filled in field by field, survives the
//! round trips Mesos puts it through: bytes (decoded by the generated
//! type and encoded again) and both JSON forms.

use mesos::json::{self, Reflect};
use prost_reflect::{DynamicMessage, FieldDescriptor, Kind, MapKey, MessageDescriptor, Value};

/// Fields of message type are filled down to this depth (required ones
/// always, so the message is complete).
const DEPTH: usize = 3;

/// A message with every field set (repeated fields twice, maps once).
fn sample(descriptor: &MessageDescriptor, depth: usize) -> DynamicMessage {
    let mut message = DynamicMessage::new(descriptor.clone());
    for field in descriptor.fields() {
        let is_message = matches!(field.kind(), Kind::Message(_));
        if is_message && depth >= DEPTH && !field.is_required() {
            continue;
        }
        let value = if field.is_map() {
            let Kind::Message(entry) = field.kind() else {
                continue;
            };
            let key = map_key(&entry.map_entry_key_field());
            let value = element(&entry.map_entry_value_field(), depth);
            Value::Map([(key, value)].into_iter().collect())
        } else if field.is_list() {
            Value::List(vec![element(&field, depth), element(&field, depth)])
        } else {
            element(&field, depth)
        };
        message.set_field(&field, value);
    }
    message
}

fn element(field: &FieldDescriptor, depth: usize) -> Value {
    match field.kind() {
        Kind::Double => Value::F64(1.5),
        Kind::Float => Value::F32(-2.25),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => Value::I32(-7),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => Value::I64(-(1 << 40)),
        Kind::Uint32 | Kind::Fixed32 => Value::U32(7),
        Kind::Uint64 | Kind::Fixed64 => Value::U64(1 << 63),
        Kind::Bool => Value::Bool(true),
        Kind::String => Value::String(format!("{} \"é\"\n", field.name())),
        Kind::Bytes => Value::Bytes(vec![0, 1, 0xfe, 0xff].into()),
        Kind::Enum(descriptor) => {
            let last = descriptor.values().last().map(|v| v.number());
            Value::EnumNumber(last.unwrap_or_default())
        }
        Kind::Message(descriptor) => Value::Message(sample(&descriptor, depth + 1)),
    }
}

fn map_key(field: &FieldDescriptor) -> MapKey {
    match field.kind() {
        Kind::Bool => MapKey::Bool(true),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => MapKey::I32(-3),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => MapKey::I64(-3),
        Kind::Uint32 | Kind::Fixed32 => MapKey::U32(3),
        Kind::Uint64 | Kind::Fixed64 => MapKey::U64(3),
        _ => MapKey::String("key".to_string()),
    }
}

/// The round trips of one message type; an error says which failed.
fn round_trips<M: Reflect + PartialEq + std::fmt::Debug>(name: &str) -> Result<(), String> {
    if M::full_name() != name {
        return Err(format!("the generated type is named {}", M::full_name()));
    }
    let descriptor = json::descriptor::<M>();
    let filled = sample(&descriptor, 0);
    let bytes = prost::Message::encode_to_vec(&filled);

    // Bytes: the generated type keeps every field.
    let typed = M::decode(bytes.as_slice()).map_err(|e| format!("decode: {e}"))?;
    let again = DynamicMessage::decode(descriptor.clone(), typed.encode_to_vec().as_slice())
        .map_err(|e| format!("re-decode: {e}"))?;
    if again != filled {
        return Err("bytes round trip lost or changed fields".to_string());
    }

    // JSON, both writers.
    let text = json::jsonify(&typed);
    let parsed: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("jsonify wrote bad JSON: {e}"))?;
    let back: M = json::parse(&parsed).map_err(|e| format!("parse(jsonify): {e}"))?;
    if back != typed {
        return Err(format!("jsonify round trip changed the message: {text}"));
    }
    let back: M =
        json::parse(&json::to_json(&typed)).map_err(|e| format!("parse(to_json): {e}"))?;
    if back != typed {
        return Err("to_json round trip changed the message".to_string());
    }
    Ok(())
}

#[test]
fn every_message_round_trips_through_bytes_and_json() {
    type Check = fn(&str) -> Result<(), String>;
    macro_rules! messages {
        ($($name:literal => $type:ty,)*) => {
            vec![$(($name, round_trips::<$type> as Check),)*]
        };
    }
    let checks: Vec<(&str, Check)> = mesos_protos::message_types!(messages, mesos);

    // Every message of the pool is listed (map entries are not types).
    let pool = json::descriptor_pool();
    let in_pool = pool
        .all_messages()
        .filter(|m| !m.is_map_entry() && !m.full_name().starts_with("google."))
        .count();
    assert_eq!(checks.len(), in_pool);
    assert!(checks.len() > 900, "{} messages", checks.len());

    let failures: Vec<String> = checks
        .iter()
        .filter_map(|(name, check)| check(name).err().map(|e| format!("{name}: {e}")))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// The required-field check's static table says what the descriptors say:
// every message type, its required fields, and each message-typed field
// pointing at the right type.
#[test]
fn required_field_table_matches_the_descriptors() {
    let pool = json::descriptor_pool();
    let table = mesos_protos::SCHEMAS;
    assert_eq!(table.len(), pool.all_messages().count());
    for message in pool.all_messages() {
        let index = mesos_protos::schema_index(message.full_name())
            .unwrap_or_else(|| panic!("{} is not in the table", message.full_name()));
        let schema = &table[index];
        let required: Vec<(u32, String)> = message
            .fields()
            .filter(|f| f.is_required())
            .map(|f| (f.number(), f.name().to_string()))
            .collect();
        let listed: Vec<(u32, String)> = schema
            .required
            .iter()
            .map(|f| (f.number, f.name.to_string()))
            .collect();
        // In any order: the descriptors sort fields by number.
        let sorted = |mut v: Vec<(u32, String)>| {
            v.sort();
            v
        };
        assert_eq!(sorted(required), sorted(listed), "{}", message.full_name());
        let messages: Vec<(u32, bool, String)> = message
            .fields()
            .filter_map(|f| match f.kind() {
                Kind::Message(m) => Some((
                    f.number(),
                    f.is_list() || f.is_map(),
                    m.full_name().to_string(),
                )),
                _ => None,
            })
            .collect();
        let mut listed: Vec<(u32, bool, String)> = schema
            .messages
            .iter()
            .map(|f| (f.field.number, f.repeated, table[f.schema].name.to_string()))
            .collect();
        listed.sort();
        assert_eq!(messages, listed, "{}", message.full_name());
    }
}
