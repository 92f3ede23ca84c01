//! Between the internal (v0) protocol and v1 (`src/internal/evolve.hpp`,
//! `devolve.hpp`): the two schemas give each message the same fields and
//! numbers, so a message crosses over as its bytes.

use prost::Message;
use stout::{Error, Try};

/// `message` (a v0 type) as the v1 type `V1`, e.g.
/// `evolve::<v1::ExecutorInfo>(&executor_info)`. There is no size limit.
pub fn evolve<V1: Message + Default>(message: &impl Message) -> Try<V1> {
    transcode(message)
}

/// `message` (a v1 type) as the v0 type `V0`.
pub fn devolve<V0: Message + Default>(message: &impl Message) -> Try<V0> {
    transcode(message)
}

fn transcode<T: Message + Default>(message: &impl Message) -> Try<T> {
    T::decode(message.encode_to_vec().as_slice())
        .map_err(|e| Error::new(format!("Failed to convert the message: {}", e)))
}
