// The C++ libprocess side of `benches/transport.rs`, so that the transport
// is measured like for like: the same processes as `src/bin/bench-peer.rs`,
// and the same two clients as the Rust bench.
//
//   bench-peer serve
//       spawns `sink` (counts `m`, answers `flush` with `done`) and `echo`
//       (answers `ping` with `pong`, echoing the body, linked to its
//       pinger), prints the address they serve at, serves until stdin
//       closes.
//   bench-peer flood <sink UPID> <messages> <rounds>
//       sends <messages> 64-byte `m` messages and a `flush`, waits for
//       `done`; prints each round's messages per second.
//   bench-peer pingpong <echo UPID> <exchanges> <rounds>
//       sends `ping`, and again on each `pong`; prints each round's
//       microseconds per exchange.
//
// Built against a C++ libprocess build tree by `benches/cpp-bench-peer.sh`.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include <process/dispatch.hpp>
#include <process/future.hpp>
#include <process/pid.hpp>
#include <process/process.hpp>

#include <stout/duration.hpp>

using process::Future;
using process::Promise;
using process::UPID;

static const std::string BODY(64, 'x');

class Sink : public process::Process<Sink>
{
public:
  Sink() : ProcessBase("sink") {}

protected:
  void initialize() override
  {
    install("m", &Sink::m);
    install("flush", &Sink::flush);
  }

  void m(const UPID&, const std::string&) { ++received; }

  void flush(const UPID& from, const std::string&)
  {
    const std::string count = std::to_string(received);
    send(from, "done", count.data(), count.size());
    received = 0;
  }

private:
  uint64_t received = 0;
};

class Echo : public process::Process<Echo>
{
public:
  Echo() : ProcessBase("echo") {}

protected:
  void initialize() override { install("ping", &Echo::ping); }

  void ping(const UPID& from, const std::string& body)
  {
    if (!linked) {
      link(from);
      linked = true;
    }
    send(from, "pong", body.data(), body.size());
  }

private:
  bool linked = false;
};

// Runs one round at a time: `flood` or `pingpong`, completing `done`.
class Client : public process::Process<Client>
{
public:
  explicit Client(const UPID& _peer) : peer(_peer) {}

  Future<Nothing> flood(uint64_t messages)
  {
    done = Promise<Nothing>();
    for (uint64_t i = 0; i < messages; ++i) {
      send(peer, "m", BODY.data(), BODY.size());
    }
    send(peer, "flush");
    return done.future();
  }

  Future<Nothing> pingpong(uint64_t exchanges)
  {
    done = Promise<Nothing>();
    remaining = exchanges;
    send(peer, "ping", BODY.data(), BODY.size());
    return done.future();
  }

protected:
  void initialize() override
  {
    install("done", &Client::finished);
    install("pong", &Client::pong);
    link(peer);
  }

  void finished(const UPID&, const std::string&) { done.set(Nothing()); }

  void pong(const UPID&, const std::string& body)
  {
    if (--remaining > 0) {
      send(peer, "ping", body.data(), body.size());
    } else {
      done.set(Nothing());
    }
  }

private:
  UPID peer;
  Promise<Nothing> done;
  uint64_t remaining = 0;
};

static int run(const std::string& mode, const UPID& peer, uint64_t count, int rounds)
{
  Client* client = new Client(peer);
  process::spawn(client, true);
  // One round to warm up (the connection is made then), not printed.
  for (int round = -1; round < rounds; ++round) {
    auto start = std::chrono::steady_clock::now();
    Future<Nothing> done = mode == "flood"
      ? process::dispatch(client, &Client::flood, count)
      : process::dispatch(client, &Client::pingpong, count);
    if (!done.await(Seconds(60)) || !done.isReady()) {
      std::cerr << "bench-peer: round timed out" << std::endl;
      ::_exit(1);
    }
    double seconds = std::chrono::duration<double>(
        std::chrono::steady_clock::now() - start).count();
    if (round < 0) {
      continue;
    }
    if (mode == "flood") {
      std::cout << count / seconds << " messages/s" << std::endl;
    } else {
      std::cout << seconds * 1e6 / count << " us/exchange" << std::endl;
    }
  }
  std::cout.flush();
  ::_exit(0);
}

int main(int argc, char** argv)
{
  process::initialize();
  const std::string mode = argc >= 2 ? argv[1] : "";

  if (mode == "serve") {
    process::spawn(new Sink(), true);
    process::spawn(new Echo(), true);
    std::cout << process::address() << std::endl;
    std::cout.flush();
    std::string line;
    while (std::getline(std::cin, line)) {}
    ::_exit(0);
  }

  if ((mode == "flood" || mode == "pingpong") && argc == 5) {
    return run(mode, UPID(argv[2]), std::strtoull(argv[3], nullptr, 10), std::atoi(argv[4]));
  }

  std::cerr << "usage: bench-peer serve | flood <sink> <n> <rounds> | "
               "pingpong <echo> <n> <rounds>" << std::endl;
  return 2;
}
