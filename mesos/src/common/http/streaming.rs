//! Mesos' `StreamingHttpConnection`: a subscriber's stream of events.

use super::ContentType;

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
