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
    DynamicMessage::decode(descriptor::<M>(), message.encode_to_vec().as_slice())
        .expect("a message decodes as its own type")
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

fn typed<M: Reflect>(message: &DynamicMessage) -> Try<M> {
    M::decode(prost::Message::encode_to_vec(message).as_slice()).map_err(|e| {
        Error::new(format!(
            "Failed to convert JSON to {}: {}",
            M::full_name(),
            e
        ))
    })
}
