//! RecordIO, the framing of Mesos' v1 API streams: each record is its
//! length in decimal, a newline, then the record's bytes
//! (`6\nhello!`).

use crate::{Error, Try};

/// `recordio::encode`: one record, framed.
pub fn encode(record: &[u8]) -> Vec<u8> {
    let mut out = record.len().to_string().into_bytes();
    out.push(b'\n');
    out.extend_from_slice(record);
    out
}

/// `recordio::Decoder`: turns chunks of a stream into records, however
/// the chunks split them. A bad length fails the decoder for good.
#[derive(Debug, Default)]
pub struct Decoder {
    state: State,
    buffer: Vec<u8>,
}

#[derive(Debug, Default)]
enum State {
    #[default]
    Header,
    Record(usize),
    Failed,
}

impl Decoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// The records `data` completes, in order.
    pub fn decode(&mut self, mut data: &[u8]) -> Try<Vec<Vec<u8>>> {
        let mut records = Vec::new();
        loop {
            match self.state {
                State::Failed => return Err(Error::new("Decoder is in a FAILED state")),
                State::Header => {
                    let Some(newline) = data.iter().position(|&b| b == b'\n') else {
                        self.buffer.extend_from_slice(data);
                        return Ok(records);
                    };
                    self.buffer.extend_from_slice(&data[..newline]);
                    data = &data[newline + 1..];
                    let header = String::from_utf8_lossy(&self.buffer).into_owned();
                    self.buffer.clear();
                    match header.parse::<usize>() {
                        Ok(0) => records.push(Vec::new()),
                        Ok(length) => self.state = State::Record(length),
                        Err(_) => {
                            self.state = State::Failed;
                            return Err(Error::new(format!(
                                "Failed to decode length '{}': Failed to convert '{}' to number",
                                header, header
                            )));
                        }
                    }
                }
                State::Record(length) => {
                    let wanted = length - self.buffer.len();
                    if data.len() < wanted {
                        self.buffer.extend_from_slice(data);
                        return Ok(records);
                    }
                    self.buffer.extend_from_slice(&data[..wanted]);
                    data = &data[wanted..];
                    records.push(std::mem::take(&mut self.buffer));
                    self.state = State::Header;
                }
            }
        }
    }
}
