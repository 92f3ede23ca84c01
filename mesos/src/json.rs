//! Mesos' messages as JSON, as Mesos' HTTP endpoints read and write them
//! (see [`stout::protobuf`] for the rules): typed front ends over the
//! descriptors of the schemas this crate is generated from.

use std::sync::LazyLock;

use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor};
use serde_json::Value;
use stout::{Error, Try};

/// A generated message type whose descriptor is in [`descriptor_pool`].
pub trait Reflect: prost::Message + prost::Name + Default + Sized {}

impl<M: prost::Message + prost::Name + Default> Reflect for M {}

static POOL: LazyLock<DescriptorPool> = LazyLock::new(|| {
    DescriptorPool::decode(mesos_protos::DESCRIPTORS)
        .expect("the descriptors built with this crate decode")
});

/// The descriptors of every message in the schemas.
pub fn descriptor_pool() -> &'static DescriptorPool {
    &POOL
}

/// The descriptor of `M`.
pub fn descriptor<M: Reflect>() -> MessageDescriptor {
    POOL.get_message_by_name(&M::full_name())
        .expect("every generated message is in the pool")
}

fn dynamic<M: Reflect>(message: &M) -> DynamicMessage {
    // Bytes from prost decode as the same message: the types are one schema.
    let mut message = DynamicMessage::decode(descriptor::<M>(), message.encode_to_vec().as_slice())
        .expect("a message decodes as its own type");
    drop_unknown_enum_values(&mut message);
    message
}

/// Protobuf (proto2) keeps an enum value its schema does not name among
/// the unknown fields, not in the field: the field reads as unset and
/// Mesos' JSON leaves it out. prost keeps the number (say, a v0 value
/// evolved into a v1 enum that lacks it); this drops it the same way.
fn drop_unknown_enum_values(message: &mut DynamicMessage) {
    use prost_reflect::{Kind, Value};
    let known = |kind: &Kind, value: &Value| match (kind, value) {
        (Kind::Enum(descriptor), Value::EnumNumber(n)) => descriptor.get_value(*n).is_some(),
        _ => true,
    };
    let fields: Vec<_> = message.fields().map(|(field, _)| field).collect();
    for field in fields {
        let kind = field.kind();
        let keep = match message.get_field_mut(&field) {
            Value::List(values) => {
                values.retain(|value| known(&kind, value));
                for value in values.iter_mut() {
                    if let Value::Message(sub) = value {
                        drop_unknown_enum_values(sub);
                    }
                }
                true
            }
            Value::Map(entries) => {
                for value in entries.values_mut() {
                    if let Value::Message(sub) = value {
                        drop_unknown_enum_values(sub);
                    }
                }
                true
            }
            Value::Message(sub) => {
                drop_unknown_enum_values(sub);
                true
            }
            value => known(&kind, value),
        };
        if !keep {
            message.clear_field(&field);
        }
    }
}

/// `JSON::protobuf(message)`: a JSON object, keys sorted.
pub fn to_json<M: Reflect>(message: &M) -> Value {
    stout::protobuf::to_json(&dynamic(message))
}

/// `jsonify(JSON::Protobuf(message))`: the text Mesos' HTTP APIs send,
/// fields in declaration order.
pub fn jsonify<M: Reflect>(message: &M) -> String {
    stout::protobuf::jsonify(&dynamic(message))
}

/// `protobuf::parse<M>(json)`.
pub fn parse<M: Reflect>(json: &Value) -> Try<M> {
    let message = stout::protobuf::parse(json, &descriptor::<M>())?;
    typed(&message)
}

/// `protobuf::parse<RepeatedPtrField<M>>(json)`.
pub fn parse_array<M: Reflect>(json: &Value) -> Try<Vec<M>> {
    stout::protobuf::parse_array(json, &descriptor::<M>())?
        .iter()
        .map(typed)
        .collect()
}

/// `message.ParseFromString(bytes)`: fails on malformed bytes and, as
/// protobuf does, on missing required fields (which prost would fill
/// with defaults).
pub fn decode<M: Reflect>(bytes: &[u8]) -> Try<M> {
    let missing = crate::common::messages::missing_required_fields::<M>(bytes)
        .map_err(|e| Error::new(format!("Failed to parse {}: {}", M::full_name(), e)))?;
    if !missing.is_empty() {
        return Err(Error::new(format!(
            "Missing required fields: {}",
            missing.join(", ")
        )));
    }
    M::decode(bytes).map_err(|e| Error::new(format!("Failed to parse {}: {}", M::full_name(), e)))
}

fn typed<M: Reflect>(message: &DynamicMessage) -> Try<M> {
    M::decode(prost::Message::encode_to_vec(message).as_slice()).map_err(|e| {
        Error::new(format!(
            "Failed to convert JSON to {}: {}",
            M::full_name(),
            e
        ))
    })
}
