//! The external containerizer's "record-io": each protobuf on the
//! program's stdin or stdout is preceded by its length, a 4-byte unsigned
//! integer in the host's byte order (the seeds' hexdump starts `4002 0000`
//! for 576 bytes on x86). Not to be confused with Mesos' v1 RecordIO,
//! which writes the length in decimal.

use std::os::fd::{AsFd, OwnedFd};
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use libprocess::{io, Future};

/// The size of the length prefix.
const LENGTH_SIZE: usize = 4;

/// The largest result the agent reads: far above any `Termination`,
/// `ResourceStatistics` or `Containers`, so that garbage announcing
/// gigabytes fails instead of allocating them.
const MAX_LENGTH: usize = 64 * 1024 * 1024;

/// How much one read asks for.
const CHUNK: usize = 64 * 1024;

/// `message` with its length prefix, as written to the program's stdin.
pub fn frame(message: &impl prost::Message) -> Vec<u8> {
    let payload = message.encode_to_vec();
    let mut framed = Vec::with_capacity(LENGTH_SIZE + payload.len());
    // Messages are far below 4 GB: the agent builds them.
    framed.extend_from_slice(&(payload.len() as u32).to_ne_bytes());
    framed.extend_from_slice(&payload);
    framed
}

/// The payload of one record at the start of `data`: an error for a
/// short prefix or a payload shorter than announced. An empty payload is
/// an empty message (`Containers` without containers). Bytes after the
/// record are ignored, as the program's reader would.
pub fn unframe(data: &[u8]) -> Result<&[u8], String> {
    let length = length(data)?;
    let payload = &data[LENGTH_SIZE..];
    if payload.len() < length {
        return Err(format!(
            "Expected {} bytes protobuf, received {} bytes",
            length,
            payload.len()
        ));
    }
    Ok(&payload[..length])
}

/// The payload length the prefix at the start of `data` announces.
fn length(data: &[u8]) -> Result<usize, String> {
    let Some(prefix) = data.get(..LENGTH_SIZE) else {
        return Err(format!(
            "Expected a {}-byte protobuf size, received {} bytes",
            LENGTH_SIZE,
            data.len()
        ));
    };
    let mut length = [0; LENGTH_SIZE];
    length.copy_from_slice(prefix);
    Ok(u32::from_ne_bytes(length) as usize)
}

/// Reads one record from `fd` (a pipe), stopping at its end so that a
/// child of the program holding the pipe open cannot stall the reader: the
/// payload, or why there is none (nothing written, a short read).
pub(super) fn read(fd: impl AsFd) -> Future<Result<Bytes, String>> {
    let fd = match fd.as_fd().try_clone_to_owned() {
        Ok(fd) => Arc::new(fd),
        Err(e) => return Future::failed(format!("Failed to duplicate the pipe: {}", e)),
    };
    if let Err(e) = io::prepare_async(fd.as_ref()) {
        return Future::failed(e.to_string());
    }
    read_at_least(fd.clone(), BytesMut::new(), LENGTH_SIZE).then(move |prefix| {
        if prefix.is_empty() {
            return Future::ready(Err("the program wrote no result".to_string()));
        }
        let length = match length(&prefix) {
            Ok(length) if length > MAX_LENGTH => {
                return Future::ready(Err(format!(
                    "a record of {} bytes is over the limit of {} bytes",
                    length, MAX_LENGTH
                )))
            }
            Ok(length) => length,
            Err(e) => return Future::ready(Err(e)),
        };
        read_at_least(fd, prefix, LENGTH_SIZE + length)
            .map(|data| unframe(&data).map(Bytes::copy_from_slice))
    })
}

/// Reads until `data` holds `size` bytes or the pipe ends.
fn read_at_least(fd: Arc<OwnedFd>, mut data: BytesMut, size: usize) -> Future<BytesMut> {
    if data.len() >= size {
        return Future::ready(data);
    }
    io::read(fd.as_ref(), (size - data.len()).min(CHUNK)).then(move |chunk| {
        if chunk.is_empty() {
            return Future::ready(data);
        }
        data.extend_from_slice(&chunk);
        read_at_least(fd, data, size)
    })
}
