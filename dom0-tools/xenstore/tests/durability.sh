#!/bin/sh
# SPDX-License-Identifier: MIT
# Durability: every acknowledged write survives kill -9 of the daemon, the
# tree and permissions are the same after a restart (also after the
# journal was compacted into a snapshot).
set -u
BUILD=$1 D=$2
X=$BUILD/bin/xenstore
mkdir -p "$D"
export XENSTORED_PATH="$D/sock"
start() {
	"$BUILD/xenstored" -N -D "$D/data" 2>>"$D/log" &
	PID=$!
	i=0; while [ ! -S "$D/sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}
fail() { echo "durability: $*"; kill -9 $PID 2>/dev/null; exit 1; }

start
for i in $(seq 1 200); do $X-write /dur/k$i v$i >/dev/null || fail "write $i"; done
$X-write /dur/a 1 /dur/b 2 || fail "txn write"
$X-chmod /dur/a n3 r4 || fail chmod
$X-rm /dur/k7 || fail rm
$X-write /dur/o/x 1 /dur/o/bbb 1 /dur/o/a 1 /dur/o/cc/d 1 || fail "siblings"
$X-ls -f -p /dur >"$D/before"
rm -f "$D/sock"
kill -9 $PID; wait $PID 2>/dev/null
start
$X-ls -f -p /dur >"$D/after" || fail "ls after restart"
cmp -s "$D/before" "$D/after" || { diff "$D/before" "$D/after" | head; fail "tree differs after kill -9"; }
# A torn last journal record (crash mid-write) is ignored on replay.
$X-write /dur/torn 1 || fail "write before tear"
$X-ls -f -p /dur >"$D/before1"
rm -f "$D/sock"
kill -9 $PID; wait $PID 2>/dev/null
printf 'JXS1\377\377\0\0garbage' >>"$D/data/store.journal"
start
$X-ls -f -p /dur >"$D/after1" || fail "ls after torn journal"
cmp -s "$D/before1" "$D/after1" || fail "tree differs after a torn journal record"
# Many changes: the journal is compacted into a snapshot on the way.
for i in $(seq 1 30); do $X-write /dur/big$i "$(head -c 1500 /dev/zero | tr '\0' z)" >/dev/null; done
$X-ls -f -p /dur >"$D/before2"
kill -TERM $PID; wait $PID 2>/dev/null
start
$X-ls -f -p /dur >"$D/after2"
cmp -s "$D/before2" "$D/after2" || fail "tree differs after clean restart"
# After a random concurrent workload too, and the result is consistent.
python3 "$(dirname "$0")/stress.py" "$D/sock" 500 >/dev/null || fail "workload"
$X-ls -f -p / >"$D/before3"
rm -f "$D/sock"
kill -9 $PID; wait $PID 2>/dev/null
start
$X-ls -f -p / >"$D/after3"
cmp -s "$D/before3" "$D/after3" || fail "tree differs after workload and kill -9"
$BUILD/bin/xenstore-control check || fail "consistency check"
kill -TERM $PID; wait $PID 2>/dev/null
echo "durability: ok ($(wc -l <"$D/after2") nodes compared)"
