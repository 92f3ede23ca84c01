//! Protobuf's `IsInitialized()` on a message's encoding: which required
//! fields are missing (prost fills them with defaults instead), found by
//! walking the wire format against a compact [`Schema`] table, without
//! decoding the values.
//!
//! The table, not a reflection descriptor, because every daemon checks
//! each message it receives from its start: a table generated with the
//! types is static data, where a descriptor pool is megabytes of heap.

/// A message type as the check sees it: an entry of a table of every
/// message type of a schema, which its fields refer to by index.
#[derive(Debug)]
pub struct Schema {
    /// The full name, `mesos.TaskInfo`.
    pub name: &'static str,
    /// The required fields.
    pub required: &'static [Field],
    /// The fields whose values are messages (maps' entries included).
    pub messages: &'static [MessageField],
}

/// A field: its number and its name.
#[derive(Debug)]
pub struct Field {
    /// The field number.
    pub number: u32,
    /// The field name, for the paths of missing fields.
    pub name: &'static str,
}

/// A field whose values are messages of the type at `schema` in the table.
#[derive(Debug)]
pub struct MessageField {
    /// The field number and name.
    pub field: Field,
    /// Repeated (or a map): paths index its values, `resources[0].name`.
    pub repeated: bool,
    /// The index of the values' type in the table.
    pub schema: usize,
}

/// The wire format broke off or is not protobuf's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError(&'static str);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for WireError {}

/// `InitializationErrorString()`'s parts for `bytes` as a message of the
/// type at `index` in `table`: the required fields it lacks, nested ones
/// with their path (`update.status.task_id.value`, `resources[0].name`);
/// empty when it is initialized.
pub fn missing_required_fields(
    table: &[Schema],
    index: usize,
    bytes: &[u8],
) -> Result<Vec<String>, WireError> {
    let mut missing = Vec::new();
    scan(table, index, bytes, "", &mut missing)?;
    Ok(missing)
}

fn scan(
    table: &[Schema],
    index: usize,
    mut bytes: &[u8],
    prefix: &str,
    missing: &mut Vec<String>,
) -> Result<(), WireError> {
    let schema = table.get(index).ok_or(WireError("no such message type"))?;
    let mut seen = vec![false; schema.required.len()];
    // Occurrences of each repeated message field so far, for the path.
    let mut counts: Vec<(u32, usize)> = Vec::new();
    while !bytes.is_empty() {
        let key = varint(&mut bytes)?;
        let number = u32::try_from(key >> 3).map_err(|_| WireError("field number too large"))?;
        if number == 0 {
            return Err(WireError("field number 0"));
        }
        if let Some(i) = schema.required.iter().position(|f| f.number == number) {
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
                let Some(field) = schema.messages.iter().find(|f| f.field.number == number) else {
                    continue;
                };
                let path = if field.repeated {
                    let count = match counts.iter_mut().find(|(n, _)| *n == number) {
                        Some((_, count)) => count,
                        None => {
                            counts.push((number, 0));
                            &mut counts.last_mut().expect("just pushed").1
                        }
                    };
                    *count += 1;
                    format!("{}{}[{}].", prefix, field.field.name, *count - 1)
                } else {
                    format!("{}{}.", prefix, field.field.name)
                };
                scan(table, field.schema, payload, &path, missing)?;
            }
            // Groups: not in Mesos' schemas.
            _ => return Err(WireError("unsupported wire type")),
        }
    }
    for (field, seen) in schema.required.iter().zip(seen) {
        if !seen {
            missing.push(format!("{}{}", prefix, field.name));
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

    /// `message Inner { required string name = 1; }` (index 0) and
    /// `message Outer { required Inner inner = 1; repeated Inner items = 2; optional int32 n = 3; }`
    /// (index 1).
    static TABLE: &[Schema] = &[
        Schema {
            name: "t.Inner",
            required: &[Field {
                number: 1,
                name: "name",
            }],
            messages: &[],
        },
        Schema {
            name: "t.Outer",
            required: &[Field {
                number: 1,
                name: "inner",
            }],
            messages: &[
                MessageField {
                    field: Field {
                        number: 1,
                        name: "inner",
                    },
                    repeated: false,
                    schema: 0,
                },
                MessageField {
                    field: Field {
                        number: 2,
                        name: "items",
                    },
                    repeated: true,
                    schema: 0,
                },
            ],
        },
    ];
    const OUTER: usize = 1;

    #[test]
    fn required_fields_at_every_depth() {
        assert_eq!(
            Ok(vec!["inner".to_string()]),
            missing_required_fields(TABLE, OUTER, &[])
        );
        // inner { name: "a" }, items { }, items { name: "b" }, n: 300
        let bytes = [
            0x0a, 0x03, 0x0a, 0x01, b'a', 0x12, 0x00, 0x12, 0x03, 0x0a, 0x01, b'b', 0x18, 0xac,
            0x02,
        ];
        assert_eq!(
            Ok(vec!["items[0].name".to_string()]),
            missing_required_fields(TABLE, OUTER, &bytes)
        );
        // inner { }
        assert_eq!(
            Ok(vec!["inner.name".to_string()]),
            missing_required_fields(TABLE, OUTER, &[0x0a, 0x00])
        );
    }

    #[test]
    fn broken_encodings() {
        for bytes in [
            &[0xff; 11][..],
            &[0x0a, 0x7f, b'a'],
            &[0x00, 0x01],
            &[0x0c],
            &[0x19, 0x00],
        ] {
            assert!(missing_required_fields(TABLE, OUTER, bytes).is_err());
        }
        assert!(missing_required_fields(TABLE, 2, &[]).is_err());
    }
}
