//! libprocess' `ProtobufProcess::install` as Mesos' daemons rely on it:
//! a message whose body does not parse, or lacks required fields
//! (protobuf's `IsInitialized()`, which prost does not check), is logged
//! and dropped before any handler sees it.

use libprocess::{name_of, Handlers, Message, ProtobufMessage, UPID};
use mesos_protos::SCHEMAS;
use stout::protobuf::WireError;

/// The required fields `bytes`, as an `M`, lacks: protobuf's
/// `IsInitialized()`, which prost does not check.
pub fn missing_required_fields<M: prost::Name>(bytes: &[u8]) -> Result<Vec<String>, WireError> {
    stout::protobuf::missing_required_fields(SCHEMAS, schema_index::<M>(), bytes)
}

fn schema_index<M: prost::Name>() -> usize {
    mesos_protos::schema_index(&M::full_name()).expect("every generated message is in the table")
}

/// Calls `handler(process, from, message)` for each well-formed `M`.
pub fn install<P, M, F>(handlers: &mut Handlers<P>, mut handler: F)
where
    M: ProtobufMessage,
    F: FnMut(&mut P, &UPID, M) + Send + 'static,
{
    let schema = schema_index::<M>();
    handlers.install_message(name_of::<M>(), move |process, message: &Message| {
        let missing = stout::protobuf::missing_required_fields(SCHEMAS, schema, &message.body);
        let decoded = match missing {
            Ok(missing) if missing.is_empty() => M::decode(message.body.clone()).ok(),
            Ok(missing) => {
                tracing::warn!(
                    "Dropping '{}' message from {}: Initialization errors: {}",
                    message.name,
                    message.from,
                    missing.join(", ")
                );
                return;
            }
            Err(_) => None,
        };
        match decoded {
            Some(decoded) => handler(process, &message.from, decoded),
            None => tracing::warn!(
                "Dropping '{}' message from {}: Failed to parse the protobuf",
                message.name,
                message.from
            ),
        }
    });
}
