//! stout's `protobuf::write` and `protobuf::read`: a message prefixed by
//! its size as a 4-byte unsigned integer in the host's byte order. The
//! external containerizer protocol frames its messages on the program's
//! stdin and stdout this way, and Mesos checkpoints with it.

use std::io::{ErrorKind, Read, Write};

use crate::{Error, Try};

/// Writes `message`, framed.
pub fn write<W: Write, M: prost::Message>(writer: &mut W, message: &M) -> Try<()> {
    let bytes = message.encode_to_vec();
    let size =
        u32::try_from(bytes.len()).map_err(|_| Error::new("Failed to write/serialize message"))?;
    writer
        .write_all(&size.to_ne_bytes())
        .map_err(|e| Error::new(format!("Failed to write size: {}", e)))?;
    writer
        .write_all(&bytes)
        .and_then(|()| writer.flush())
        .map_err(|_| Error::new("Failed to write/serialize message"))
}

/// Reads one framed message: `None` at the end of the input (before any
/// byte of a message); an error for a partial or undecodable message.
pub fn read<R: Read, M: prost::Message + Default>(reader: &mut R) -> Try<Option<M>> {
    let mut size = [0u8; 4];
    match read_fully(reader, &mut size)
        .map_err(|e| Error::new(format!("Failed to read size: {}", e)))?
    {
        0 => return Ok(None),
        4 => {}
        _ => {
            return Err(Error::new(
                "Failed to read size: hit EOF unexpectedly, possible corruption",
            ))
        }
    }
    let size = u32::from_ne_bytes(size) as usize;
    let mut bytes = Vec::new();
    reader
        .take(size as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::new(format!("Failed to read message: {}", e)))?;
    if bytes.len() < size {
        return Err(Error::new(format!(
            "Failed to read message of size {} bytes: hit EOF unexpectedly, possible corruption",
            size
        )));
    }
    M::decode(bytes.as_slice())
        .map(Some)
        .map_err(|_| Error::new("Failed to deserialize message"))
}

/// Fills `buffer` unless the input ends first; returns how much it read.
fn read_fully<R: Read>(reader: &mut R, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
