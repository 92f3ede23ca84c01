//! What Mesos' `common/http` holds that the HTTP APIs share: the
//! content types of their bodies.

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
