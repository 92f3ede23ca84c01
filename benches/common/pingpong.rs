//! ThroughputPerformance's processes: a destination that answers each
//! `ping` with a `pong`, and a client that keeps up to [`IN_FLIGHT`] pings
//! in flight until `repeat` are answered.

use bytes::Bytes;
use libprocess::{send, Handlers, Process, Promise, UPID};

/// Pings a client keeps in flight.
pub(crate) const IN_FLIGHT: u64 = 1000;

pub(crate) struct Destination;

impl Process for Destination {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("ping", |_, from, _| send(from, "pong", Bytes::new()));
    }
}

/// Starts on a `run` message; `done` is set once `repeat` pongs came.
pub(crate) struct Client {
    destination: UPID,
    repeat: u64,
    sent: u64,
    received: u64,
    done: Option<Promise<()>>,
}

impl Client {
    pub(crate) fn new(destination: UPID, repeat: u64, done: Promise<()>) -> Client {
        Client {
            destination,
            repeat,
            sent: 0,
            received: 0,
            done: Some(done),
        }
    }
}

impl Process for Client {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("run", |client: &mut Client, _, _| {
            client.sent = IN_FLIGHT.min(client.repeat);
            for _ in 0..client.sent {
                send(&client.destination, "ping", Bytes::new());
            }
        });
        handlers.install("pong", |client: &mut Client, _, _| {
            client.received += 1;
            if client.sent < client.repeat {
                send(&client.destination, "ping", Bytes::new());
                client.sent += 1;
            } else if client.received == client.repeat {
                if let Some(done) = client.done.take() {
                    done.set(());
                }
            }
        });
    }
}
