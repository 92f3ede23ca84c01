#!/bin/sh
# Builds benches/cpp/bench_peer.cpp against the C++ libprocess build tree that
# ../shared/tools/cpp-libprocess/build.sh made in <dir> (in test-linkee's
# place, with its flags and libraries), as <dir>/bench-peer.
#   benches/cpp-bench-peer.sh /tmp/cpp-libprocess
set -eu
dir=${1:?usage: $0 <cpp-libprocess build dir>}
here=$(cd "$(dirname "$0")" && pwd)
source=$dir/src/3rdparty/libprocess/src/tests/test_linkee.cpp
cp "$source" "$dir/test_linkee.cpp.saved"
trap 'cp "$dir/test_linkee.cpp.saved" "$source"' EXIT
cp "$here/cpp/bench_peer.cpp" "$source"
make -C "$dir/build" test-linkee >"$dir/bench-peer.log" 2>&1 || {
  tail -30 "$dir/bench-peer.log"
  exit 1
}
cp "$dir/build/test-linkee" "$dir/bench-peer"
# Leave the tree's test-linkee as it was (the interop peer).
cp "$dir/test_linkee.cpp.saved" "$source"
make -C "$dir/build" test-linkee >>"$dir/bench-peer.log" 2>&1
echo "built $dir/bench-peer"
