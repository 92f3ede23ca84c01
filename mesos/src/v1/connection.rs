//! What the v1 scheduler and executor libraries share: the state of
//! their two connections, and the subscription's decoded event stream.

use std::fmt;

use libprocess::http::{pipe, Connection};

use crate::common::http::ContentType;
use crate::common::recordio;

/// Where a library is with its connections (Mesos' `State` in both
/// `scheduler.cpp` and `executor.cpp`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum State {
    /// Either connection is broken, or there is nothing to connect to.
    Disconnected,
    /// Both connections are being opened.
    Connecting,
    /// Both connections are open.
    Connected,
    /// The SUBSCRIBE call is in flight.
    Subscribing,
    /// The event stream is open.
    Subscribed,
}

impl State {
    /// Whether both connections are up (whatever the subscription).
    pub(crate) fn connected(self) -> bool {
        matches!(
            self,
            State::Connected | State::Subscribing | State::Subscribed
        )
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            State::Disconnected => "DISCONNECTED",
            State::Connecting => "CONNECTING",
            State::Connected => "CONNECTED",
            State::Subscribing => "SUBSCRIBING",
            State::Subscribed => "SUBSCRIBED",
        })
    }
}

/// The two persistent connections.
pub(crate) struct Connections {
    /// For the SUBSCRIBE call and its streamed response.
    pub(crate) subscribe: Connection,
    /// For every other call.
    pub(crate) non_subscribe: Connection,
}

impl Connections {
    /// Closes both.
    pub(crate) fn disconnect(&self) {
        self.subscribe.disconnect();
        self.non_subscribe.disconnect();
    }
}

/// The subscription's event stream, decoded as it arrives.
pub(crate) struct Subscribed<E: Send + Sync + 'static> {
    pub(crate) reader: pipe::Reader,
    pub(crate) decoder: recordio::Reader<E>,
    /// Tells this stream's reads from those of an older one.
    pub(crate) id: u64,
}

impl<E: crate::json::Reflect + Send + Sync + 'static> Subscribed<E> {
    /// A stream of `E`s in `content_type` read from `reader`.
    pub(crate) fn new(reader: pipe::Reader, content_type: ContentType, id: u64) -> Subscribed<E> {
        let decoder = recordio::Reader::new(
            move |bytes: &[u8]| content_type.deserialize::<E>(bytes),
            reader.clone(),
        );
        Subscribed {
            reader,
            decoder,
            id,
        }
    }
}
