//! What Mesos' `common/http` holds that the HTTP APIs share: the
//! content types of their bodies, and the streamed connections events
//! go out on.

use bytes::Bytes;

/// How a v1 API call, event or response is encoded (Mesos'
/// `ContentType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentType {
    /// `application/x-protobuf`.
    Protobuf,
    /// `application/json`.
    Json,
}

impl ContentType {
    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            ContentType::Protobuf => "application/x-protobuf",
            ContentType::Json => "application/json",
        }
    }

    /// `message` in this encoding.
    pub fn serialize<M: crate::json::Reflect>(self, message: &M) -> Bytes {
        match self {
            ContentType::Protobuf => Bytes::from(message.encode_to_vec()),
            ContentType::Json => Bytes::from(crate::json::jsonify(message)),
        }
    }

    /// A message in this encoding.
    pub fn deserialize<M: crate::json::Reflect>(self, bytes: &[u8]) -> stout::Try<M> {
        match self {
            ContentType::Protobuf => M::decode(bytes).map_err(|e| {
                stout::Error::new(format!("Failed to parse body into {}: {}", M::NAME, e))
            }),
            ContentType::Json => {
                let json: serde_json::Value = serde_json::from_slice(bytes)
                    .map_err(|e| stout::Error::new(format!("Failed to parse JSON: {}", e)))?;
                crate::json::parse::<M>(&json)
            }
        }
    }
}

/// A subscriber's streamed response (Mesos' `StreamingHttpConnection`):
/// events written to it as RecordIO records in the subscriber's content
/// type, under the stream ID the subscription was answered with. Clones
/// write to the same stream.
#[derive(Clone)]
pub struct StreamingHttpConnection {
    writer: libprocess::http::pipe::Writer,
    /// How events are encoded.
    pub content_type: ContentType,
    /// What the subscriber names the stream by (`Mesos-Stream-Id`).
    pub stream_id: stout::Uuid,
}

impl StreamingHttpConnection {
    /// A stream writing to `writer`.
    pub fn new(
        writer: libprocess::http::pipe::Writer,
        content_type: ContentType,
        stream_id: stout::Uuid,
    ) -> StreamingHttpConnection {
        StreamingHttpConnection {
            writer,
            content_type,
            stream_id,
        }
    }

    /// Writes `event` as one record; false if the stream is closed.
    pub fn send<E: crate::json::Reflect>(&self, event: &E) -> bool {
        let record = self.content_type.serialize(event);
        self.writer.write(stout::recordio::encode(&record))
    }

    /// Ends the stream; false if it already ended.
    pub fn close(&self) -> bool {
        self.writer.close()
    }

    /// Completes when the subscriber closes its end (goes away) while the
    /// stream is open.
    pub fn closed(&self) -> libprocess::Future<()> {
        self.writer.reader_closed()
    }
}

impl std::fmt::Debug for StreamingHttpConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamingHttpConnection")
            .field("content_type", &self.content_type)
            .field("stream_id", &self.stream_id)
            .finish()
    }
}

/// Two connections are the same stream when their stream IDs are.
impl PartialEq for StreamingHttpConnection {
    fn eq(&self, other: &StreamingHttpConnection) -> bool {
        self.stream_id == other.stream_id
    }
}

impl Eq for StreamingHttpConnection {}
