//! JSON as stout uses it, over `serde_json`: parsing with Mesos' errors,
//! dotted-path lookup (`find`) and structural containment (`contains`,
//! which Mesos' tests use to compare endpoint output).
//!
//! `serde_json::Value` is the JSON value; with serde_json's default
//! features objects keep their keys sorted, so output is in key order as
//! stout's `JSON::Object` prints it.

use serde_json::Value;

use crate::{Error, Try};

/// Parses one JSON document; surrounding whitespace is allowed, trailing
/// text is an error. Nesting deeper than serde_json's limit (128) is an
/// error, never a stack overflow.
pub fn parse(text: &str) -> Try<Value> {
    serde_json::from_str(text).map_err(|e| Error::new(format!("Failed to parse JSON: {}", e)))
}

/// Parses a document that must be an object.
pub fn parse_object(text: &str) -> Try<serde_json::Map<String, Value>> {
    match parse(text)? {
        Value::Object(object) => Ok(object),
        _ => Err(Error::new("Unexpected JSON type parsed")),
    }
}

/// Looks up a dotted path such as `nested1.nested2.array[0]` (stout's
/// `JSON::Object::find`). `Ok(None)` when a key is missing or an index is
/// out of bounds; an error when the path is malformed or walks into a
/// value that is not an object (or, for `[N]`, not an array).
pub fn find<'a>(value: &'a Value, path: &str) -> Try<Option<&'a Value>> {
    let mut current = value;
    for segment in path.split('.') {
        let (key, index) = parse_segment(segment)
            .ok_or_else(|| Error::new(format!("Malformed path segment '{}'", segment)))?;
        let Value::Object(object) = current else {
            return Err(Error::new(format!(
                "Intermediate JSON value before '{}' is not an object",
                segment
            )));
        };
        let Some(entry) = object.get(key) else {
            return Ok(None);
        };
        current = match index {
            None => entry,
            Some(i) => match entry {
                Value::Array(items) => match items.get(i) {
                    Some(item) => item,
                    None => return Ok(None),
                },
                Value::Null => return Ok(None),
                _ => return Err(Error::new(format!("JSON value '{}' is not an array", key))),
            },
        };
    }
    Ok(Some(current))
}

/// `key` or `key[N]`.
fn parse_segment(segment: &str) -> Option<(&str, Option<usize>)> {
    let Some(open) = segment.find('[') else {
        return (!segment.is_empty() && !segment.contains(']')).then_some((segment, None));
    };
    let key = &segment[..open];
    let index = segment[open + 1..].strip_suffix(']')?;
    if key.is_empty() || index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((key, Some(index.parse().ok()?)))
}

/// Whether `value` structurally contains `part` (stout's
/// `JSON::Value::contains`): objects contain a subset of keys whose values
/// contain each other; arrays have the same length and contain each other
/// element-wise; everything else is equality (numbers compare by value).
pub fn contains(value: &Value, part: &Value) -> bool {
    match (value, part) {
        (Value::Object(a), Value::Object(b)) => b
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|av| contains(av, v))),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| contains(x, y))
        }
        (Value::Number(a), Value::Number(b)) => numbers_equal(a, b),
        _ => value == part,
    }
}

fn numbers_equal(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
        (Some(x), Some(y), _, _) => x == y,
        (_, _, Some(x), Some(y)) => x == y,
        _ if a.is_f64() || b.is_f64() => a.as_f64() == b.as_f64(),
        // One is a negative integer, the other beyond i64: never equal.
        _ => false,
    }
}
