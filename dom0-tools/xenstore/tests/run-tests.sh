#!/bin/sh
# SPDX-License-Identifier: MIT
# xenstore test driver: starts build/xenstored under valgrind (leaks and
# memory errors fail the run), runs the CUnit suites (unit, socket client,
# bad input, simulated guests over the host ring), the compatibility
# checks with Debian's xenstore-utils, the durability check (kill -9,
# restart), our and Debian's tools run as a guest over the host ring, and
# a bounded libFuzzer run. Usage: run-tests.sh BUILD CUNIT FUZZ BRIDGE
set -u
BUILD=$1 CUNIT=$2 FUZZ=$3 BRIDGE=$4
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/xs-test.XXXXXX)
PASS=0 FAIL=0 SKIP=0
DPID="" XPID=""

result() {	# name status
	if [ "$2" -eq 0 ]; then PASS=$((PASS + 1)); echo "PASS: $1"
	else FAIL=$((FAIL + 1)); echo "FAIL: $1"; fi
}

cleanup() {
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null
	[ -n "$XPID" ] && kill "$XPID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# start_daemon SOCKET [wrapper...]: daemon in the background, wait for it
start_daemon() {
	sock=$1; shift
	XENSTORED_PATH=$sock "$@" "$BUILD/xenstored" -N -D "$T/data" \
		-H "$T/hostring" -O 65536 2>>"$T/daemon.log" &
	DPID=$!
	i=0
	while [ ! -S "$sock" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
	[ -S "$sock" ]
}

stop_daemon() {
	kill -TERM "$DPID" 2>/dev/null
	wait "$DPID"
	rc=$?
	DPID=""
	return $rc
}

export XENSTORED_PATH="$T/sock"
export XS_HOSTRING="$T/hostring"

# 1. Everything against the daemon under valgrind.
start_daemon "$T/sock" valgrind -q --leak-check=full \
	--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	--log-file="$T/valgrind.log"
result "daemon starts under valgrind" $?
"$CUNIT"
result "CUnit suites (unit, client, bad input, ring, freestanding client)" $?
"$HERE/compat.sh" "$BUILD"
result "compatibility with Debian xenstore-utils" $?
python3 "$HERE/stress.py" "$T/sock" 800
result "random concurrent workload (8 clients)" $?
"$HERE/ring-tools.sh" "$BUILD" "$BRIDGE"
result "tools as a simulated guest over the host ring" $?
# Same requests to Xen 4.17's own xenstored: same answers.
mkdir -p "$T/xen"
if [ -x "$BUILD/peers/xenstored/xenstored" ]; then
	"$HERE/xen-xenstored.sh" "$BUILD" "$T/xen/sock" >"$T/xen.log" 2>&1 &
	XPID=$!
	i=0; while [ ! -S "$T/xen/sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
fi
if [ -S "$T/xen/sock" ]; then
	python3 "$HERE/xen-diff.py" "$T/sock" "$T/xen/sock"
	result "wire answers equal Xen 4.17 xenstored's" $?
	kill "$XPID"; XPID=""
else
	echo "SKIP: Xen's xenstored could not run here (peer or namespaces missing)"
	cat "$T/xen.log" 2>/dev/null
	SKIP=$((SKIP + 1))
fi
stop_daemon
rc=$?
[ $rc -ne 0 ] && { echo "daemon exit $rc"; cat "$T/valgrind.log"; }
result "valgrind: no leaks or memory errors in the daemon" $rc

# 2. Quotas from the command line in Xen's spelling, seen by
#    xenstore-control quota / quota-soft.
opts_check() {
	XENSTORED_PATH="$T/qsock" "$BUILD/xenstored" -N --no-persist \
		--no-domain-init --entry-nb 77 --watch-nb 9 -M 4096 \
		-Q memory=300000 -Q outstanding=4 --quota-soft memory=200000 \
		2>"$T/q.log" &
	qpid=$!
	i=0; while [ ! -S "$T/qsock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	q=$(XENSTORED_PATH="$T/qsock" "$BUILD/bin/xenstore-control" quota)
	qs=$(XENSTORED_PATH="$T/qsock" "$BUILD/bin/xenstore-control" quota-soft)
	kill "$qpid"; wait "$qpid"
	echo "$q" | grep -q '^nodes *: *77 ' &&
	echo "$q" | grep -q '^watches *: *9 ' &&
	echo "$q" | grep -q '^path-max *: *2048 ' &&
	echo "$q" | grep -q '^memory *: *300000 ' &&
	echo "$q" | grep -q '^outstanding *: *4 ' &&
	echo "$qs" | grep -q '^memory *: *200000 ' &&
	! timeout 5 "$BUILD/xenstored" -N --no-persist -Q nosuch=1 2>/dev/null &&
	! timeout 5 "$BUILD/xenstored" -N --no-persist -q nodes=1 2>/dev/null
}
opts_check
result "quota options (Xen spelling) and xenstore-control quota" $?

# 3. Durability: committed data survives kill -9 and a restart.
"$HERE/durability.sh" "$BUILD" "$T/dur"
result "durability across kill -9 and restart" $?

# 4. Bounded fuzz run over the parser and the ring consumer.
if [ -x "$FUZZ" ]; then
	mkdir -p "$T/corpus"
	"$FUZZ" -max_total_time="${XS_FUZZ_SECONDS:-30}" -max_len=4200 \
		-timeout=10 -artifact_prefix="$T/" "$T/corpus" \
		>"$T/fuzz.log" 2>&1
	rc=$?
	tail -3 "$T/fuzz.log"
	if [ $rc -ne 0 ]; then
		tail -40 "$T/fuzz.log"
		for f in "$T"/crash-* "$T"/leak-* "$T"/timeout-*; do
			[ -f "$f" ] && { echo "input $f:"; od -An -tx1 "$f" | head -20; }
		done
	fi
	result "libFuzzer run (${XS_FUZZ_SECONDS:-30}s)" $rc
else
	result "libFuzzer target built" 1
fi

echo "xenstore: $PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" -eq 0 ]
