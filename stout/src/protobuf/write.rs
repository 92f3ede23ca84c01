//! Messages to JSON: [`to_json`] (keys sorted) and [`jsonify`] (text, in
//! declaration order).

use std::fmt::Write as _;

use base64::Engine as _;
use prost_reflect::{DynamicMessage, FieldDescriptor, Kind, MapKey, ReflectMessage, Value};
use serde_json::{Map, Number, Value as Json};

/// `JSON::protobuf(message)`: the message as a JSON object.
pub fn to_json(message: &DynamicMessage) -> Json {
    let mut object = Map::new();
    for field in written_fields(message) {
        let value = message.get_field(&field);
        object.insert(field.name().to_string(), field_json(&field, &value));
    }
    Json::Object(object)
}

/// `jsonify(JSON::Protobuf(message))`: compact JSON text with the fields
/// in the order the schema declares them.
pub fn jsonify(message: &DynamicMessage) -> String {
    let mut out = String::new();
    write_message(message, &mut out);
    out
}

/// The fields stout writes, in declaration order: repeated ones when not
/// empty; singular ones when set, or when the schema gives an explicit
/// default and does not deprecate the field.
fn written_fields(message: &DynamicMessage) -> Vec<FieldDescriptor> {
    let descriptor = message.descriptor();
    descriptor
        .descriptor_proto()
        .field
        .iter()
        .filter_map(|proto| descriptor.get_field(proto.number() as u32))
        .filter(|field| {
            if field.is_list() || field.is_map() {
                return message.has_field(field);
            }
            let proto = field.field_descriptor_proto();
            let deprecated = proto.options.as_ref().is_some_and(|o| o.deprecated());
            message.has_field(field) || (proto.default_value.is_some() && !deprecated)
        })
        .collect()
}

fn field_json(field: &FieldDescriptor, value: &Value) -> Json {
    match value {
        Value::List(values) => Json::Array(values.iter().map(|v| value_json(field, v)).collect()),
        Value::Map(entries) => {
            let value_field = map_value_field(field);
            Json::Object(
                entries
                    .iter()
                    .map(|(key, value)| (map_key_text(key), value_json(&value_field, value)))
                    .collect(),
            )
        }
        value => value_json(field, value),
    }
}

/// One singular value (or one element of a repeated field).
fn value_json(field: &FieldDescriptor, value: &Value) -> Json {
    match value {
        Value::Bool(b) => Json::Bool(*b),
        Value::I32(n) => Json::from(*n),
        Value::I64(n) => Json::from(*n),
        Value::U32(n) => Json::from(*n),
        Value::U64(n) => Json::from(*n),
        Value::F32(n) => double_json(f64::from(*n)),
        Value::F64(n) => double_json(*n),
        Value::String(s) => Json::String(s.clone()),
        Value::Bytes(b) => Json::String(base64::engine::general_purpose::STANDARD.encode(b)),
        Value::EnumNumber(n) => enum_json(field, *n),
        Value::Message(message) => to_json(message),
        Value::List(_) | Value::Map(_) => field_json(field, value),
    }
}

fn double_json(n: f64) -> Json {
    match Number::from_f64(n) {
        Some(number) => Json::Number(number),
        None => Json::String(non_finite(n).to_string()),
    }
}

/// How Mesos' patched rapidjson writes what JSON cannot hold.
fn non_finite(n: f64) -> &'static str {
    if n.is_nan() {
        "NaN"
    } else if n > 0.0 {
        "Infinity"
    } else {
        "-Infinity"
    }
}

fn enum_json(field: &FieldDescriptor, number: i32) -> Json {
    match enum_name(field, number) {
        Some(name) => Json::String(name),
        None => Json::from(number),
    }
}

fn enum_name(field: &FieldDescriptor, number: i32) -> Option<String> {
    match field.kind() {
        Kind::Enum(descriptor) => descriptor.get_value(number).map(|v| v.name().to_string()),
        _ => None,
    }
}

fn map_value_field(field: &FieldDescriptor) -> FieldDescriptor {
    match field.kind() {
        Kind::Message(entry) => entry.map_entry_value_field(),
        _ => field.clone(),
    }
}

fn map_key_text(key: &MapKey) -> String {
    match key {
        MapKey::Bool(b) => b.to_string(),
        MapKey::I32(n) => n.to_string(),
        MapKey::I64(n) => n.to_string(),
        MapKey::U32(n) => n.to_string(),
        MapKey::U64(n) => n.to_string(),
        MapKey::String(s) => s.clone(),
    }
}

fn write_message(message: &DynamicMessage, out: &mut String) {
    out.push('{');
    for (i, field) in written_fields(message).iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(field.name(), out);
        out.push(':');
        write_field(field, &message.get_field(field), out);
    }
    out.push('}');
}

fn write_field(field: &FieldDescriptor, value: &Value, out: &mut String) {
    match value {
        Value::List(values) => {
            out.push('[');
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(field, value, out);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            // The C++ map's order is unspecified; sorted keys are stable.
            let value_field = map_value_field(field);
            let mut entries: Vec<_> = entries.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, value)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(&map_key_text(key), out);
                out.push(':');
                write_value(&value_field, value, out);
            }
            out.push('}');
        }
        value => write_value(field, value, out),
    }
}

fn write_value(field: &FieldDescriptor, value: &Value, out: &mut String) {
    match value {
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::I32(n) => {
            let _ = write!(out, "{}", n);
        }
        Value::I64(n) => {
            let _ = write!(out, "{}", n);
        }
        Value::U32(n) => {
            let _ = write!(out, "{}", n);
        }
        Value::U64(n) => {
            let _ = write!(out, "{}", n);
        }
        Value::F32(n) => write_double(f64::from(*n), out),
        Value::F64(n) => write_double(*n, out),
        Value::String(s) => write_string(s, out),
        Value::Bytes(b) => write_string(&base64::engine::general_purpose::STANDARD.encode(b), out),
        Value::EnumNumber(n) => match enum_name(field, *n) {
            Some(name) => write_string(&name, out),
            None => {
                let _ = write!(out, "{}", n);
            }
        },
        Value::Message(message) => write_message(message, out),
        Value::List(_) | Value::Map(_) => write_field(field, value, out),
    }
}

fn write_double(n: f64, out: &mut String) {
    if n.is_finite() {
        out.push_str(&format_double(n));
    } else if n.is_nan() {
        // Unquoted, as Mesos writes it (not valid JSON).
        out.push_str("NaN");
    } else {
        write_string(non_finite(n), out);
    }
}

/// A finite double as Mesos' rapidjson writes it: the shortest digits that
/// read back the same, in decimal notation from 1e-6 up to 1e21 (integral
/// values with `.0`), in exponent notation without `+` otherwise (`1e21`,
/// `1.5e-7`).
pub fn format_double(n: f64) -> String {
    if n == 0.0 {
        return if n.is_sign_negative() { "-0.0" } else { "0.0" }.to_string();
    }
    // `{:e}` gives the shortest round-trip digits: `d.ddde<exp>`.
    let scientific = format!("{:e}", n.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let length = digits.len() as i32;
    // The value is 0.<digits> * 10^kk.
    let kk = exponent + 1;
    let mut out = String::new();
    if n < 0.0 {
        out.push('-');
    }
    if length <= kk && kk <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (kk - length) as usize));
        out.push_str(".0");
    } else if 0 < kk && kk <= 21 {
        out.push_str(&digits[..kk as usize]);
        out.push('.');
        out.push_str(&digits[kk as usize..]);
    } else if -6 < kk && kk <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-kk) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if length > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}", kk - 1);
    }
    out
}

/// A JSON string as rapidjson writes it: `"` and `\` escaped, control
/// characters as `\b \f \n \r \t` or `\u00XX` (upper-case hex), nothing
/// else escaped.
fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
