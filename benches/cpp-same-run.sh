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
echo "== ours network"; ours network
