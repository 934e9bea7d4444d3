#!/bin/sh
# SPDX-License-Identifier: MIT
# xenstore benchmarks: a fresh daemon (persistence on, as deployed) in a
# temporary directory, then xs-bench. Usage: run-bench.sh BUILD XS_BENCH
set -u
BUILD=$1 BENCH=$2
T=$(mktemp -d /tmp/xs-bench.XXXXXX)
export XENSTORED_PATH="$T/sock"
"$BUILD/xenstored" -N -D "$T/data" 2>"$T/log" &
PID=$!
i=0; while [ ! -S "$T/sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
"$BENCH" $PID
rc=$?
kill -TERM $PID; wait $PID
rm -rf "$T"
exit $rc
