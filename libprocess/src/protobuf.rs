//! Protobuf messages (libprocess' `ProtobufProcess`): a message's name is
//! its full type name (`mesos.internal.RegisterSlaveMessage`) and its body
//! the encoded message.

use std::any::TypeId;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use parking_lot::RwLock;

use crate::event::Message;
use crate::process::Handlers;
use crate::{send, UPID};

/// A protobuf message libprocess can send and install handlers for.
pub trait ProtobufMessage: prost::Message + prost::Name + Default + 'static {}

impl<M: prost::Message + prost::Name + Default + 'static> ProtobufMessage for M {}

/// `M`'s full name, computed once per type.
pub fn name_of<M: prost::Name + 'static>() -> &'static str {
    static NAMES: OnceLock<RwLock<HashMap<TypeId, &'static str>>> = OnceLock::new();
    let names = NAMES.get_or_init(Default::default);
    if let Some(name) = names.read().get(&TypeId::of::<M>()) {
        return name;
    }
    let name: &'static str = Box::leak(M::full_name().into_boxed_str());
    names.write().entry(TypeId::of::<M>()).or_insert(name)
}

impl<P> Handlers<P> {
    /// Calls `handler(process, from, message)` for each `M` received,
    /// decoded once; a body that does not decode is logged and dropped.
    pub fn install_protobuf<M, F>(&mut self, mut handler: F)
    where
        M: ProtobufMessage,
        F: FnMut(&mut P, &UPID, M) + Send + 'static,
    {
        self.install_message(
            Cow::Borrowed(name_of::<M>()),
            move |process, message: &Message| match M::decode(message.body.clone()) {
                Ok(decoded) => handler(process, &message.from, decoded),
                Err(error) => tracing::warn!(
                    name = %message.name,
                    from = %message.from,
                    %error,
                    "Failed to parse a protobuf message; dropping it"
                ),
            },
        );
    }
}

/// Sends `message` from the current process, named by its type.
pub fn send_protobuf<M: ProtobufMessage>(to: &UPID, message: &M) {
    send(to, name_of::<M>(), message.encode_to_vec());
}
