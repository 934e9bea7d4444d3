#!/bin/sh
# SPDX-License-Identifier: MIT
# xenstore benchmarks: xs-bench against a fresh build/xenstored
# (persistence on, as deployed) and, when the peer is available, against
# Xen 4.17's own C xenstored (xen-xenstored.sh), both from the same client
# library. Prints "BENCH <name> ours=<v> xen=<v> native=- unit=<u>".
# The in-process store benchmark has no Xen counterpart (xen=-).
# Usage: run-bench.sh BUILD XS_BENCH XS_STORE_BENCH
set -u
BUILD=$1 BENCH=$2 STORE_BENCH=$3
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/xs-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT

wait_sock() {
	i=0; while [ ! -S "$1" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	[ -S "$1" ]
}

mkdir -p "$T/ours" "$T/xen"
XENSTORED_PATH="$T/ours/sock" "$BUILD/xenstored" -N -D "$T/ours/data" \
	2>"$T/ours.log" &
PID=$!
wait_sock "$T/ours/sock" || { echo "bench: our daemon did not start"; exit 1; }
XENSTORED_PATH="$T/ours/sock" "$BENCH" $PID >"$T/ours.out"
rc=$?
kill -TERM $PID; wait $PID

: >"$T/xen.out"
if [ -x "$BUILD/peers/xenstored/xenstored" ] && [ "$(id -u)" = 0 ]; then
	"$HERE/xen-xenstored.sh" "$BUILD" "$T/xen/sock" >"$T/xen.log" 2>&1 &
	XPID=$!
	if wait_sock "$T/xen/sock"; then
		XENSTORED_PATH="$T/xen/sock" "$BENCH" $XPID >"$T/xen.out" ||
			echo "bench: run against Xen's xenstored failed"
	else
		echo "bench: Xen's xenstored did not start"; cat "$T/xen.log"
	fi
	kill -TERM $XPID 2>/dev/null; wait $XPID 2>/dev/null
fi

"$STORE_BENCH" >>"$T/ours.out" || rc=1
while read -r tag name v unit; do
	[ "$tag" = RESULT ] || continue
	x=$(awk -v n="$name" '$1 == "RESULT" && $2 == n { print $3 }' "$T/xen.out")
	echo "BENCH $name ours=$v xen=${x:--} native=- unit=$unit"
done <"$T/ours.out"
exit $rc
