//! One-way sends and request/response round trips between two processes,
//! beside the same workloads on actix, ractor and tokio tasks over
//! `tokio::sync::mpsc`, all in one run.
//!
//! - `one_way`: one actor sends 1,000,000 messages to another, timed
//!   until the receiver has counted them all.
//! - `round_trip`: 100,000 sequential ping/pong exchanges between two
//!   actors (one message in flight), reported per exchange.

mod common;

use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion};
use libprocess::{post, send, spawn, terminate, wait, Handlers, Process, Promise, Runtime, UPID};

const ONE_WAY: u64 = 1_000_000;
const ROUND_TRIPS: u64 = 100_000;

// ---- libprocess ----

struct Counter {
    expected: u64,
    received: u64,
    done: Option<Promise<()>>,
}

impl Process for Counter {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("msg", |c: &mut Counter, _, _| {
            c.received += 1;
            if c.received == c.expected {
                if let Some(done) = c.done.take() {
                    done.set(());
                }
            }
        });
    }
}

struct Sender {
    to: UPID,
}

impl Process for Sender {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("run", |s: &mut Sender, _, _| {
            for _ in 0..ONE_WAY {
                send(&s.to, "msg", Bytes::new());
            }
        });
    }
}

fn libprocess_one_way(runtime: &Runtime) -> Duration {
    let _enter = runtime.enter();
    let promise = Promise::new();
    let done = promise.future();
    let receiver = spawn(Counter {
        expected: ONE_WAY,
        received: 0,
        done: Some(promise),
    });
    let sender = spawn(Sender {
        to: receiver.upid().clone(),
    });
    let start = Instant::now();
    post(&UPID::empty(), sender.upid(), "run", Bytes::new());
    assert!(done.wait_for(stout::Duration::from_secs(600)));
    let elapsed = start.elapsed();
    for pid in [sender.upid(), receiver.upid()] {
        terminate(pid, true);
        wait(pid, None);
    }
    elapsed
}

struct Server;

impl Process for Server {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("ping", |_, from, _| send(from, "pong", Bytes::new()));
    }
}

struct Client {
    server: UPID,
    left: u64,
    done: Option<Promise<()>>,
}

impl Process for Client {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("run", |c: &mut Client, _, _| {
            send(&c.server, "ping", Bytes::new())
        });
        handlers.install("pong", |c: &mut Client, _, _| {
            c.left -= 1;
            if c.left > 0 {
                send(&c.server, "ping", Bytes::new());
            } else if let Some(done) = c.done.take() {
                done.set(());
            }
        });
    }
}

fn libprocess_round_trip(runtime: &Runtime) -> Duration {
    let _enter = runtime.enter();
    let server = spawn(Server);
    let promise = Promise::new();
    let done = promise.future();
    let client = spawn(Client {
        server: server.upid().clone(),
        left: ROUND_TRIPS,
        done: Some(promise),
    });
    let start = Instant::now();
    post(&UPID::empty(), client.upid(), "run", Bytes::new());
    assert!(done.wait_for(stout::Duration::from_secs(600)));
    let elapsed = start.elapsed();
    for pid in [client.upid(), server.upid()] {
        terminate(pid, true);
        wait(pid, None);
    }
    elapsed
}

// ---- tokio ----

fn tokio_one_way(runtime: &tokio::runtime::Runtime) -> Duration {
    runtime.block_on(async {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
        let receiver = tokio::spawn(async move {
            for _ in 0..ONE_WAY {
                rx.recv().await.unwrap();
            }
        });
        let start = Instant::now();
        tokio::spawn(async move {
            for _ in 0..ONE_WAY {
                tx.send(()).unwrap();
            }
        });
        receiver.await.unwrap();
        start.elapsed()
    })
}

fn tokio_round_trip(runtime: &tokio::runtime::Runtime) -> Duration {
    runtime.block_on(async {
        let (ping_tx, mut ping_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
        let (pong_tx, mut pong_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
        tokio::spawn(async move {
            while ping_rx.recv().await.is_some() {
                if pong_tx.send(()).is_err() {
                    break;
                }
            }
        });
        let start = Instant::now();
        let client = tokio::spawn(async move {
            for _ in 0..ROUND_TRIPS {
                ping_tx.send(()).unwrap();
                pong_rx.recv().await.unwrap();
            }
        });
        client.await.unwrap();
        start.elapsed()
    })
}

// ---- actix ----

mod actix_actors {
    use actix::prelude::*;

    #[derive(Message)]
    #[rtype(result = "()")]
    pub(crate) struct Msg;

    pub(crate) struct Count {
        pub(crate) expected: u64,
        pub(crate) received: u64,
        pub(crate) done: Option<tokio::sync::oneshot::Sender<()>>,
    }

    impl Actor for Count {
        type Context = Context<Self>;
    }

    impl Handler<Msg> for Count {
        type Result = ();
        fn handle(&mut self, _: Msg, _: &mut Context<Self>) {
            self.received += 1;
            if self.received == self.expected {
                if let Some(done) = self.done.take() {
                    let _ = done.send(());
                }
            }
        }
    }

    #[derive(Message)]
    #[rtype(result = "()")]
    pub(crate) struct Run;

    pub(crate) struct Send {
        pub(crate) to: Addr<Count>,
    }

    impl Actor for Send {
        type Context = Context<Self>;
    }

    impl Handler<Run> for Send {
        type Result = ();
        fn handle(&mut self, _: Run, _: &mut Context<Self>) {
            for _ in 0..super::ONE_WAY {
                self.to.do_send(Msg);
            }
        }
    }

    #[derive(Message)]
    #[rtype(result = "()")]
    pub(crate) struct Ping(pub(crate) Addr<PingClient>);

    #[derive(Message)]
    #[rtype(result = "()")]
    pub(crate) struct Pong;

    pub(crate) struct PingServer;

    impl Actor for PingServer {
        type Context = Context<Self>;
    }

    impl Handler<Ping> for PingServer {
        type Result = ();
        fn handle(&mut self, ping: Ping, _: &mut Context<Self>) {
            ping.0.do_send(Pong);
        }
    }

    pub(crate) struct PingClient {
        pub(crate) server: Addr<PingServer>,
        pub(crate) left: u64,
        pub(crate) done: Option<tokio::sync::oneshot::Sender<()>>,
    }

    impl Actor for PingClient {
        type Context = Context<Self>;
        fn started(&mut self, ctx: &mut Context<Self>) {
            self.server.do_send(Ping(ctx.address()));
        }
    }

    impl Handler<Pong> for PingClient {
        type Result = ();
        fn handle(&mut self, _: Pong, ctx: &mut Context<Self>) {
            self.left -= 1;
            if self.left > 0 {
                self.server.do_send(Ping(ctx.address()));
            } else if let Some(done) = self.done.take() {
                let _ = done.send(());
            }
        }
    }
}

fn actix_one_way(system: &mut actix::SystemRunner) -> Duration {
    use actix::Actor;
    system.block_on(async {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let addr = actix_actors::Count {
            expected: ONE_WAY,
            received: 0,
            done: Some(tx),
        }
        .start();
        let sender = actix_actors::Send { to: addr }.start();
        let start = Instant::now();
        sender.do_send(actix_actors::Run);
        rx.await.unwrap();
        start.elapsed()
    })
}

fn actix_round_trip(system: &mut actix::SystemRunner) -> Duration {
    use actix::Actor;
    system.block_on(async {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let server = actix_actors::PingServer.start();
        let start = Instant::now();
        let _client = actix_actors::PingClient {
            server,
            left: ROUND_TRIPS,
            done: Some(tx),
        }
        .start();
        rx.await.unwrap();
        start.elapsed()
    })
}

// ---- ractor ----

mod ractor_actors {
    use ractor::{Actor, ActorProcessingErr, ActorRef};

    pub(crate) struct Count;

    pub(crate) struct CountState {
        pub(crate) expected: u64,
        pub(crate) received: u64,
        pub(crate) done: Option<tokio::sync::oneshot::Sender<()>>,
    }

    impl Actor for Count {
        type Msg = ();
        type State = CountState;
        type Arguments = CountState;

        async fn pre_start(
            &self,
            _: ActorRef<()>,
            state: CountState,
        ) -> Result<CountState, ActorProcessingErr> {
            Ok(state)
        }

        async fn handle(
            &self,
            _: ActorRef<()>,
            _: (),
            state: &mut CountState,
        ) -> Result<(), ActorProcessingErr> {
            state.received += 1;
            if state.received == state.expected {
                if let Some(done) = state.done.take() {
                    let _ = done.send(());
                }
            }
            Ok(())
        }
    }

    pub(crate) struct Sender;

    impl Actor for Sender {
        type Msg = ();
        type State = ActorRef<()>;
        type Arguments = ActorRef<()>;

        async fn pre_start(
            &self,
            _: ActorRef<()>,
            to: ActorRef<()>,
        ) -> Result<ActorRef<()>, ActorProcessingErr> {
            Ok(to)
        }

        async fn handle(
            &self,
            _: ActorRef<()>,
            _: (),
            to: &mut ActorRef<()>,
        ) -> Result<(), ActorProcessingErr> {
            for _ in 0..super::ONE_WAY {
                to.cast(())?;
            }
            Ok(())
        }
    }

    pub(crate) struct Server;

    impl Actor for Server {
        type Msg = ActorRef<()>;
        type State = ();
        type Arguments = ();

        async fn pre_start(&self, _: ActorRef<Self::Msg>, _: ()) -> Result<(), ActorProcessingErr> {
            Ok(())
        }

        async fn handle(
            &self,
            _: ActorRef<Self::Msg>,
            client: ActorRef<()>,
            _: &mut (),
        ) -> Result<(), ActorProcessingErr> {
            client.cast(())?;
            Ok(())
        }
    }

    pub(crate) struct Client;

    pub(crate) struct ClientState {
        pub(crate) server: ActorRef<ActorRef<()>>,
        pub(crate) left: u64,
        pub(crate) done: Option<tokio::sync::oneshot::Sender<()>>,
    }

    impl Actor for Client {
        type Msg = ();
        type State = ClientState;
        type Arguments = ClientState;

        async fn pre_start(
            &self,
            myself: ActorRef<()>,
            state: ClientState,
        ) -> Result<ClientState, ActorProcessingErr> {
            state.server.cast(myself)?;
            Ok(state)
        }

        async fn handle(
            &self,
            myself: ActorRef<()>,
            _: (),
            state: &mut ClientState,
        ) -> Result<(), ActorProcessingErr> {
            state.left -= 1;
            if state.left > 0 {
                state.server.cast(myself)?;
            } else if let Some(done) = state.done.take() {
                let _ = done.send(());
            }
            Ok(())
        }
    }
}

fn ractor_one_way(runtime: &tokio::runtime::Runtime) -> Duration {
    use ractor::Actor;
    runtime.block_on(async {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let state = ractor_actors::CountState {
            expected: ONE_WAY,
            received: 0,
            done: Some(tx),
        };
        let (actor, handle) = Actor::spawn(None, ractor_actors::Count, state)
            .await
            .unwrap();
        let (sender, sender_handle) = Actor::spawn(None, ractor_actors::Sender, actor.clone())
            .await
            .unwrap();
        let start = Instant::now();
        sender.cast(()).unwrap();
        rx.await.unwrap();
        let elapsed = start.elapsed();
        sender.stop(None);
        actor.stop(None);
        sender_handle.await.unwrap();
        handle.await.unwrap();
        elapsed
    })
}

fn ractor_round_trip(runtime: &tokio::runtime::Runtime) -> Duration {
    use ractor::Actor;
    runtime.block_on(async {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let (server, server_handle) = Actor::spawn(None, ractor_actors::Server, ()).await.unwrap();
        let start = Instant::now();
        let state = ractor_actors::ClientState {
            server: server.clone(),
            left: ROUND_TRIPS,
            done: Some(tx),
        };
        let (client, client_handle) = Actor::spawn(None, ractor_actors::Client, state)
            .await
            .unwrap();
        rx.await.unwrap();
        let elapsed = start.elapsed();
        client.stop(None);
        server.stop(None);
        client_handle.await.unwrap();
        server_handle.await.unwrap();
        elapsed
    })
}

fn bench(c: &mut Criterion) {
    let runtime = common::libprocess_runtime();
    let tokio = common::tokio_runtime();
    let mut actix = actix::System::new();

    let mut group = common::group(c, "one_way", Some(ONE_WAY));
    group.bench_function("libprocess", |b| {
        b.iter_custom(|n| (0..n).map(|_| libprocess_one_way(&runtime)).sum())
    });
    group.bench_function("baseline_actix", |b| {
        b.iter_custom(|n| (0..n).map(|_| actix_one_way(&mut actix)).sum())
    });
    group.bench_function("baseline_ractor", |b| {
        b.iter_custom(|n| (0..n).map(|_| ractor_one_way(&tokio)).sum())
    });
    group.bench_function("baseline_tokio_mpsc", |b| {
        b.iter_custom(|n| (0..n).map(|_| tokio_one_way(&tokio)).sum())
    });
    group.finish();

    let mut group = common::group(c, "round_trip", Some(ROUND_TRIPS));
    group.bench_function("libprocess", |b| {
        b.iter_custom(|n| (0..n).map(|_| libprocess_round_trip(&runtime)).sum())
    });
    group.bench_function("baseline_actix", |b| {
        b.iter_custom(|n| (0..n).map(|_| actix_round_trip(&mut actix)).sum())
    });
    group.bench_function("baseline_ractor", |b| {
        b.iter_custom(|n| (0..n).map(|_| ractor_round_trip(&tokio)).sum())
    });
    group.bench_function("baseline_tokio_mpsc", |b| {
        b.iter_custom(|n| (0..n).map(|_| tokio_round_trip(&tokio)).sum())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
