#![doc = include_str!("../README.md")]

mod cell;
mod chain;
mod clock;
mod collect;
mod dispatch;
mod event;
mod executor;
mod fault;
pub mod filter;
pub mod firewall;
mod future;
pub mod http;
mod id;
pub mod io;
mod latch;
mod limiter;
mod r#loop;
pub mod metrics;
mod mutex;
pub mod network;
mod pid;
mod process;
mod protobuf;
mod queue;
pub mod random;
mod reap;
mod runtime;
mod scheduler;
mod sequence;
mod simulation;
mod spin;
pub mod ssl;
pub mod subprocess;
pub mod testing;
mod time;
mod transport;
pub mod wire;

pub use chain::{undiscardable, undiscardable_fn};
pub use clock::{Clock, Timer, SETTLE_TIMEOUT};
pub use collect::{await_all, await_one, collect, select};
#[doc(hidden)]
pub use dispatch::__private;
pub use dispatch::{
    defer, defer_here, delay, dispatch, dispatch_method, self_typed, Method, SelfPid,
};
pub use event::{EventRef, Message};
pub use executor::{async_, run, Executor};
pub use future::{Future, FutureError, Outcome, Promise, WeakFuture};
pub use latch::{CountDownLatch, Latch};
pub use limiter::RateLimiter;
pub use mutex::Mutex;
pub use pid::{Address, PID, UPID};
pub use process::{Handlers, Process, RouteOptions};
pub use protobuf::{name_of, send_protobuf, ProtobufMessage};
pub use queue::Queue;
pub use r#loop::{loop_, loop_on, ControlFlow};
pub use reap::{reap, MAX_REAP_INTERVAL};
pub use runtime::{
    address, inject_exited, link, link_with, post, self_pid, send, spawn, spawn_unmanaged,
    spawn_with_id, terminate, wait, Builder, EnterGuard, Handle, RemoteConnection, Runtime,
    Spawned,
};
pub use sequence::Sequence;
pub use simulation::Simulation;
pub use time::Time;
