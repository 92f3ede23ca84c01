//! The protocol's framing ("record-io"): a message is its length as a
//! 4-byte unsigned integer in the host's byte order, then its bytes.

use std::io::{Read, Write};

use crate::{Error, Try};

/// Reads one frame's payload from `input`.
pub(crate) fn read_payload(input: &mut impl Read) -> Try<Vec<u8>> {
    let mut size = [0u8; 4];
    let received = read_up_to(input, &mut size)?;
    if received < size.len() {
        return Err(Error::new(format!(
            "Expected 4 bytes protobuf size over stdin. Received {} bytes.",
            received
        )));
    }
    let size = u32::from_ne_bytes(size);
    if size == 0 {
        return Err(Error::new(
            "Expected protobuf size over stdin. Received 0 bytes.",
        ));
    }
    let mut payload = Vec::new();
    input
        .take(u64::from(size))
        .read_to_end(&mut payload)
        .map_err(|e| Error::new(format!("Failed to read stdin: {}", e)))?;
    if payload.len() != size as usize {
        return Err(Error::new(format!(
            "Expected {} bytes protobuf over stdin. Received {} bytes.",
            size,
            payload.len()
        )));
    }
    Ok(payload)
}

/// Decodes a payload as an `M`.
pub(crate) fn decode<M: prost::Message + prost::Name + Default>(payload: &[u8]) -> Try<M> {
    M::decode(payload)
        .map_err(|e| Error::new(format!("Could not deserialise {} protobuf: {}", M::NAME, e)))
}

/// Reads one framed `M` from stdin.
pub(crate) fn receive<M: prost::Message + prost::Name + Default>() -> Try<M> {
    decode(&read_payload(&mut std::io::stdin().lock())?)
}

/// Writes `payload` framed to `output`.
pub(crate) fn write_payload(output: &mut impl Write, payload: &[u8]) -> Try<()> {
    let size = u32::try_from(payload.len())
        .map_err(|_| Error::new(format!("A {} byte message is too large", payload.len())))?;
    output
        .write_all(&size.to_ne_bytes())
        .and_then(|()| output.write_all(payload))
        .and_then(|()| output.flush())
        .map_err(|e| Error::new(format!("Failed to write the reply: {}", e)))
}

/// Writes `message` framed to stdout.
pub(crate) fn send(message: &impl prost::Message) -> Try<()> {
    write_payload(&mut std::io::stdout().lock(), &message.encode_to_vec())
}

/// Fills `buffer` unless the input ends first; returns how much it got.
fn read_up_to(input: &mut impl Read, buffer: &mut [u8]) -> Try<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match input.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::new(format!("Failed to read stdin: {}", e))),
        }
    }
    Ok(filled)
}
