#!/bin/bash
# Runs C++ libprocess' benchmarks (three times each) and ours one after the
# other, for the same-run table in benches/README.md. The C++ program is
# built by ../shared/tools/cpp-libprocess/build.sh; pass its directory.
#
#   benches/cpp-same-run.sh /tmp/cpp-libprocess
set -euo pipefail
cpp_dir=${1:?usage: $0 <cpp-libprocess build directory>}
cd "$(dirname "$0")/.."

cpp() { # <workers> <benchmark>
  LIBPROCESS_IP=127.0.0.1 LIBPROCESS_NUM_WORKER_THREADS=$1 \
    "$cpp_dir/benchmarks" --gtest_filter="ProcessTest.Process_BENCHMARK_$2" 2>&1 |
    grep -E "Estimated Total|elapsed" | tr '\n' ' '
  echo
}
ours() { # <bench>
  cargo bench --bench "$1" 2>&1 | grep -E "^[A-Za-z_/]+|time:|thrpt:"
}

for workers in 2 8; do
  echo "== C++ ThroughputPerformance, $workers workers"
  for _ in 1 2 3; do cpp "$workers" ThroughputPerformance; done
done
echo "== ours ThroughputPerformance"; ours throughput_performance
echo "== C++ ClientServer, 2 workers"
for _ in 1 2 3; do cpp 2 ClientServer; done
echo "== ours ClientServer"; ours client_server
echo "== C++ DispatchDefer, 2 workers"
for _ in 1 2 3; do cpp 2 DispatchDefer; done
echo "== ours DispatchDefer"; ours dispatch_defer
echo "== ours messaging"; ours messaging
# The transport: C++ to C++ with benches/cpp/bench_peer.cpp on both sides,
# then ours against C++ (both ways) and ours against ours.
"$(dirname "$0")/cpp-bench-peer.sh" "$cpp_dir" >/dev/null
peer=$cpp_dir/bench-peer
export LIBPROCESS_IP=127.0.0.1 LIBPROCESS_NUM_WORKER_THREADS=2
cargo build --release --bin bench-peer 2>/dev/null
for server in "$peer serve" "target/release/bench-peer libprocess"; do
  coproc SERVER { $server 2>/dev/null; }
  read -r address <&"${SERVER[0]}"
  echo "== C++ client against $server: flood (messages/s), pingpong (us/exchange)"
  "$peer" flood "sink@$address" 100000 3 | tr '\n' ' '; echo
  "$peer" pingpong "echo@$address" 1000 3 | tr '\n' ' '; echo
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
done
unset LIBPROCESS_IP LIBPROCESS_NUM_WORKER_THREADS
echo "== ours transport (cpp_peer: ours against C++'s sink and echo)"
CPP_LIBPROCESS_BENCH_PEER=$peer ours transport
echo "== ours network"; ours network
