//! JSON to messages: stout's `protobuf::parse<T>`.

use base64::Engine as _;
use prost_reflect::{
    DynamicMessage, FieldDescriptor, Kind, MapKey, MessageDescriptor, ReflectMessage, Value,
};
use serde_json::Value as Json;

use crate::{Error, Try};

/// `protobuf::parse<T>(json)`: a message of type `descriptor` from a JSON
/// object. Fails when a value does not fit its field, or when required
/// fields are missing once everything is read.
pub fn parse(json: &Json, descriptor: &MessageDescriptor) -> Try<DynamicMessage> {
    let Json::Object(_) = json else {
        return Err(Error::new("Expecting a JSON object"));
    };
    let message = parse_message(json, descriptor)?;
    let mut missing = Vec::new();
    missing_required(&message, "", &mut missing);
    if !missing.is_empty() {
        return Err(Error::new(format!(
            "Missing required fields: {}",
            missing.join(", ")
        )));
    }
    Ok(message)
}

/// `protobuf::parse<RepeatedPtrField<T>>(json)`: messages from a JSON
/// array of objects.
pub fn parse_array(json: &Json, descriptor: &MessageDescriptor) -> Try<Vec<DynamicMessage>> {
    let Json::Array(items) = json else {
        return Err(Error::new("Expecting a JSON array"));
    };
    items.iter().map(|item| parse(item, descriptor)).collect()
}

/// Fills a message from an object without checking required fields
/// (checked once, at the top).
fn parse_message(json: &Json, descriptor: &MessageDescriptor) -> Try<DynamicMessage> {
    let mut message = DynamicMessage::new(descriptor.clone());
    if let Json::Object(object) = json {
        for (key, value) in object {
            // Unknown keys are ignored.
            if let Some(field) = descriptor.get_field_by_name(key) {
                set(&mut message, &field, value)?;
            }
        }
    }
    Ok(message)
}

/// Sets (or, for repeated fields, appends) `json` to `field`.
fn set(message: &mut DynamicMessage, field: &FieldDescriptor, json: &Json) -> Try<()> {
    match json {
        Json::Null => Ok(()),
        Json::Array(items) if field.is_list() => {
            for item in items {
                set(message, field, item)?;
            }
            Ok(())
        }
        Json::Array(_) => Err(not_expecting("array", field)),
        Json::Object(object) if field.is_map() => {
            let Kind::Message(entry) = field.kind() else {
                return Err(not_expecting("object", field));
            };
            let key_field = entry.map_entry_key_field();
            let value_field = entry.map_entry_value_field();
            for (key, value) in object {
                let Some(key) = map_key(&key_field, key)? else {
                    continue;
                };
                let Some(value) = singular(&value_field, value)? else {
                    continue;
                };
                if let Value::Map(map) = message.get_field_mut(field) {
                    map.insert(key, value);
                }
            }
            Ok(())
        }
        json => {
            let Some(value) = singular(field, json)? else {
                return Ok(());
            };
            if field.is_list() {
                if let Value::List(list) = message.get_field_mut(field) {
                    list.push(value);
                }
                Ok(())
            } else {
                message.try_set_field(field, value).map_err(|e| {
                    Error::new(format!("Failed to set field '{}': {}", field.name(), e))
                })
            }
        }
    }
}

/// One value for `field` (an element, when repeated); `None` for what
/// is dropped (an unknown enum name in a field that is not required).
fn singular(field: &FieldDescriptor, json: &Json) -> Try<Option<Value>> {
    let kind = field.kind();
    let value = match (json, &kind) {
        (Json::Object(_), Kind::Message(descriptor)) => {
            Value::Message(parse_message(json, descriptor)?)
        }
        (Json::Object(_), _) => return Err(not_expecting("object", field)),
        (Json::String(s), Kind::String) => Value::String(s.clone()),
        (Json::String(s), Kind::Bytes) => Value::Bytes(
            decode_base64(s)
                .map_err(|e| {
                    Error::new(format!(
                        "Failed to base64 decode bytes field '{}': {}",
                        field.name(),
                        e
                    ))
                })?
                .into(),
        ),
        (Json::String(s), Kind::Enum(descriptor)) => match descriptor.get_value_by_name(s) {
            Some(value) => Value::EnumNumber(value.number()),
            None if field.is_required() => {
                return Err(Error::new(format!("Failed to find enum for '{}'", s)))
            }
            None => return Ok(None),
        },
        (Json::String(s), Kind::Double) if s == "Infinity" => Value::F64(f64::INFINITY),
        (Json::String(s), Kind::Double) if s == "-Infinity" => Value::F64(f64::NEG_INFINITY),
        (Json::String(s), Kind::Float) if s == "Infinity" => Value::F32(f32::INFINITY),
        (Json::String(s), Kind::Float) if s == "-Infinity" => Value::F32(f32::NEG_INFINITY),
        (Json::String(s), Kind::Bool) => match crate::json::parse(s) {
            Ok(Json::Bool(b)) => Value::Bool(b),
            _ => {
                return Err(Error::new(format!(
                    "Failed to parse '{}' as a JSON boolean for field '{}'",
                    s,
                    field.name()
                )))
            }
        },
        (Json::String(s), _) if is_number_kind(&kind) => match crate::json::parse(s) {
            Ok(Json::Number(n)) => {
                from_number(&kind, &n).ok_or_else(|| not_expecting("number", field))?
            }
            _ => {
                return Err(Error::new(format!(
                    "Failed to parse '{}' as a JSON number for field '{}'",
                    s,
                    field.name()
                )))
            }
        },
        (Json::String(_), _) => return Err(not_expecting("string", field)),
        (Json::Number(n), _) => {
            from_number(&kind, n).ok_or_else(|| not_expecting("number", field))?
        }
        (Json::Bool(b), Kind::Bool) => Value::Bool(*b),
        (Json::Bool(_), _) => return Err(not_expecting("boolean", field)),
        (Json::Array(_), _) => return Err(not_expecting("array", field)),
        (Json::Null, _) => return Ok(None),
    };
    Ok(Some(value))
}

fn is_number_kind(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::Double
            | Kind::Float
            | Kind::Int32
            | Kind::Sint32
            | Kind::Sfixed32
            | Kind::Int64
            | Kind::Sint64
            | Kind::Sfixed64
            | Kind::Uint32
            | Kind::Fixed32
            | Kind::Uint64
            | Kind::Fixed64
    )
}

/// A JSON number cast to the field's type as C++'s `static_cast` does:
/// fractions truncate, negative numbers wrap into unsigned fields.
fn from_number(kind: &Kind, n: &serde_json::Number) -> Option<Value> {
    let float = n.as_f64().unwrap_or_default();
    let signed = n
        .as_i64()
        .or_else(|| n.as_u64().map(|u| u as i64))
        .unwrap_or(float as i64);
    let unsigned = n.as_u64().unwrap_or(signed as u64);
    number_value(kind, signed, unsigned, float)
}

fn number_value(kind: &Kind, signed: i64, unsigned: u64, float: f64) -> Option<Value> {
    // An integer JSON number keeps its precision; a fractional one
    // truncates.
    Some(match kind {
        Kind::Double => Value::F64(float),
        Kind::Float => Value::F32(float as f32),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => Value::I32(signed as i32),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => Value::I64(signed),
        Kind::Uint32 | Kind::Fixed32 => Value::U32(unsigned as u32),
        Kind::Uint64 | Kind::Fixed64 => Value::U64(unsigned),
        _ => return None,
    })
}

/// A map key from its JSON text, read as the key's type.
fn map_key(field: &FieldDescriptor, text: &str) -> Try<Option<MapKey>> {
    if let Kind::String = field.kind() {
        return Ok(Some(MapKey::String(text.to_string())));
    }
    let json = crate::json::parse(text).unwrap_or_else(|_| Json::String(text.to_string()));
    Ok(match singular(field, &json)? {
        Some(Value::Bool(b)) => Some(MapKey::Bool(b)),
        Some(Value::I32(n)) => Some(MapKey::I32(n)),
        Some(Value::I64(n)) => Some(MapKey::I64(n)),
        Some(Value::U32(n)) => Some(MapKey::U32(n)),
        Some(Value::U64(n)) => Some(MapKey::U64(n)),
        Some(Value::String(s)) => Some(MapKey::String(s)),
        _ => None,
    })
}

fn not_expecting(what: &str, field: &FieldDescriptor) -> Error {
    Error::new(format!(
        "Not expecting a JSON {} for field '{}'",
        what,
        field.name()
    ))
}

/// Base64 as stout decodes it: white space skipped, everything from the
/// first `=` ignored.
fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    let text: String = text
        .chars()
        .take_while(|&c| c != '=')
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    engine.decode(text.as_bytes()).map_err(|e| match e {
        base64::DecodeError::InvalidByte(_, byte) => {
            format!("Invalid character '{}'", char::from(byte))
        }
        e => e.to_string(),
    })
}

/// Protobuf's `InitializationErrorString()` parts: the missing required
/// fields in declaration order, then those of set sub-messages in field
/// number order (`nested.str`, `resources[0].name`).
fn missing_required(message: &DynamicMessage, prefix: &str, missing: &mut Vec<String>) {
    let descriptor = message.descriptor();
    for proto in &descriptor.descriptor_proto().field {
        if let Some(field) = descriptor.get_field(proto.number() as u32) {
            if field.is_required() && !message.has_field(&field) {
                missing.push(format!("{}{}", prefix, field.name()));
            }
        }
    }
    for (field, value) in message.fields() {
        match value {
            Value::Message(sub) => {
                missing_required(sub, &format!("{}{}.", prefix, field.name()), missing)
            }
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let Value::Message(sub) = item {
                        let prefix = format!("{}{}[{}].", prefix, field.name(), i);
                        missing_required(sub, &prefix, missing);
                    }
                }
            }
            // Protobuf sees a map as repeated entries (`key`, `value`).
            Value::Map(entries) => {
                let mut entries: Vec<_> = entries.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                for (i, (_, value)) in entries.into_iter().enumerate() {
                    if let Value::Message(sub) = value {
                        let prefix = format!("{}{}[{}].value.", prefix, field.name(), i);
                        missing_required(sub, &prefix, missing);
                    }
                }
            }
            _ => {}
        }
    }
}
