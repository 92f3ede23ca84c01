//! Protobuf's `IsInitialized()` on a message's encoding: which required
//! fields are missing (prost fills them with defaults instead), found by
//! walking the wire format against the descriptor, without decoding the
//! values.

use prost_reflect::{Kind, MessageDescriptor};

/// The wire format broke off or is not protobuf's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError(&'static str);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for WireError {}

/// `InitializationErrorString()`'s parts for `bytes` as a `descriptor`
/// message: the required fields it lacks, nested ones with their path
/// (`update.status.task_id.value`, `resources[0].name`); empty when it is
/// initialized.
pub fn missing_required_fields(
    descriptor: &MessageDescriptor,
    bytes: &[u8],
) -> Result<Vec<String>, WireError> {
    let mut missing = Vec::new();
    scan(descriptor, bytes, "", &mut missing)?;
    Ok(missing)
}

fn scan(
    descriptor: &MessageDescriptor,
    mut bytes: &[u8],
    prefix: &str,
    missing: &mut Vec<String>,
) -> Result<(), WireError> {
    let required: Vec<u32> = descriptor
        .fields()
        .filter(|f| f.is_required())
        .map(|f| f.number())
        .collect();
    let mut seen = vec![false; required.len()];
    // Occurrences of each repeated message field so far, for the path.
    let mut counts: Vec<(u32, usize)> = Vec::new();
    while !bytes.is_empty() {
        let key = varint(&mut bytes)?;
        let number = u32::try_from(key >> 3).map_err(|_| WireError("field number too large"))?;
        if number == 0 {
            return Err(WireError("field number 0"));
        }
        if let Some(i) = required.iter().position(|n| *n == number) {
            seen[i] = true;
        }
        match key & 7 {
            0 => {
                varint(&mut bytes)?;
            }
            1 => bytes = skip(bytes, 8)?,
            5 => bytes = skip(bytes, 4)?,
            2 => {
                let len = usize::try_from(varint(&mut bytes)?)
                    .map_err(|_| WireError("length too large"))?;
                if len > bytes.len() {
                    return Err(WireError("length past the end"));
                }
                let (payload, rest) = bytes.split_at(len);
                bytes = rest;
                let field = descriptor.get_field(number);
                if let Some(field) = field {
                    if let Kind::Message(sub) = field.kind() {
                        let path = if field.is_list() || field.is_map() {
                            let count = match counts.iter_mut().find(|(n, _)| *n == number) {
                                Some((_, count)) => count,
                                None => {
                                    counts.push((number, 0));
                                    &mut counts.last_mut().expect("just pushed").1
                                }
                            };
                            *count += 1;
                            format!("{}{}[{}].", prefix, field.name(), *count - 1)
                        } else {
                            format!("{}{}.", prefix, field.name())
                        };
                        scan(&sub, payload, &path, missing)?;
                    }
                }
            }
            // Groups: not in Mesos' schemas.
            _ => return Err(WireError("unsupported wire type")),
        }
    }
    for (number, seen) in required.iter().zip(seen) {
        if !seen {
            if let Some(field) = descriptor.get_field(*number) {
                missing.push(format!("{}{}", prefix, field.name()));
            }
        }
    }
    Ok(())
}

fn varint(bytes: &mut &[u8]) -> Result<u64, WireError> {
    let mut value = 0u64;
    for (i, byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            *bytes = &bytes[i + 1..];
            return Ok(value);
        }
    }
    Err(WireError("invalid varint"))
}

fn skip(bytes: &[u8], n: usize) -> Result<&[u8], WireError> {
    bytes
        .get(n..)
        .ok_or(WireError("fixed-size value past the end"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost_reflect::prost_types::field_descriptor_proto::{Label, Type};
    use prost_reflect::prost_types::{DescriptorProto, FieldDescriptorProto, FileDescriptorProto};
    use prost_reflect::DescriptorPool;

    /// `message Inner { required string name = 1; }` and
    /// `message Outer { required Inner inner = 1; repeated Inner items = 2; optional int32 n = 3; }`.
    fn outer() -> MessageDescriptor {
        let field = |name: &str, number, label: Label, kind: Type, type_name: Option<&str>| {
            FieldDescriptorProto {
                name: Some(name.to_string()),
                number: Some(number),
                label: Some(label as i32),
                r#type: Some(kind as i32),
                type_name: type_name.map(str::to_string),
                ..FieldDescriptorProto::default()
            }
        };
        let file = FileDescriptorProto {
            name: Some("t.proto".to_string()),
            package: Some("t".to_string()),
            syntax: Some("proto2".to_string()),
            message_type: vec![
                DescriptorProto {
                    name: Some("Inner".to_string()),
                    field: vec![field("name", 1, Label::Required, Type::String, None)],
                    ..DescriptorProto::default()
                },
                DescriptorProto {
                    name: Some("Outer".to_string()),
                    field: vec![
                        field("inner", 1, Label::Required, Type::Message, Some(".t.Inner")),
                        field("items", 2, Label::Repeated, Type::Message, Some(".t.Inner")),
                        field("n", 3, Label::Optional, Type::Int32, None),
                    ],
                    ..DescriptorProto::default()
                },
            ],
            ..FileDescriptorProto::default()
        };
        let mut pool = DescriptorPool::new();
        pool.add_file_descriptor_proto(file).expect("a valid file");
        pool.get_message_by_name("t.Outer").expect("Outer")
    }

    #[test]
    fn required_fields_at_every_depth() {
        let outer = outer();
        assert_eq!(
            Ok(vec!["inner".to_string()]),
            missing_required_fields(&outer, &[])
        );
        // inner { name: "a" }, items { }, items { name: "b" }, n: 300
        let bytes = [
            0x0a, 0x03, 0x0a, 0x01, b'a', 0x12, 0x00, 0x12, 0x03, 0x0a, 0x01, b'b', 0x18, 0xac,
            0x02,
        ];
        assert_eq!(
            Ok(vec!["items[0].name".to_string()]),
            missing_required_fields(&outer, &bytes)
        );
        // inner { }
        assert_eq!(
            Ok(vec!["inner.name".to_string()]),
            missing_required_fields(&outer, &[0x0a, 0x00])
        );
    }

    #[test]
    fn broken_encodings() {
        let outer = outer();
        assert!(missing_required_fields(&outer, &[0xff; 11]).is_err());
        assert!(missing_required_fields(&outer, &[0x0a, 0x7f, b'a']).is_err());
        assert!(missing_required_fields(&outer, &[0x00, 0x01]).is_err());
        assert!(missing_required_fields(&outer, &[0x0c]).is_err());
        assert!(missing_required_fields(&outer, &[0x19, 0x00]).is_err());
    }
}
