#!/bin/sh
# SPDX-License-Identifier: MIT
# Our tools and Debian's, run "inside" a simulated guest: xs-ring-bridge
# carries their requests over the host ring transport as domain 20, so
# relative paths, permissions and watches are those of an unprivileged
# domain. Needs the daemon at XENSTORED_PATH with its registry at
# XS_HOSTRING. Usage: ring-tools.sh BUILD BRIDGE
set -u
BUILD=$1 BRIDGE=$2
T=$(mktemp -d /tmp/xs-ringtools.XXXXXX)
DOM0=$XENSTORED_PATH
"$BRIDGE" "$XS_HOSTRING" 20 "$T/guest.sock" 2>"$T/bridge.log" &
BPID=$!
trap 'kill $BPID 2>/dev/null; rm -rf "$T"' EXIT
i=0; while [ ! -S "$T/guest.sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
P=$BUILD/peers/xenstore-utils
G="env XENSTORED_PATH=$T/guest.sock $BUILD/bin/xenstore"
GDEB="env XENSTORED_PATH=$T/guest.sock LD_LIBRARY_PATH=$P/lib $P/bin/xenstore"
D="env XENSTORED_PATH=$DOM0 $BUILD/bin/xenstore"
fails=0
check() {
	d=$1; shift
	if "$@" >"$T/out" 2>&1; then echo "  ok: $d"
	else echo "  FAILED: $d"; cat "$T/out"; fails=$((fails + 1)); fi
}

echo "Tools running as domain 20 over the ring:"
check "introduced" sh -c "[ -S $T/guest.sock ]"
check "relative write (ours)" $G-write data/x 1 data/y 2
check "dom0 sees it, owned by 20" sh -c "$D-ls -f -p /local/domain/20/data | grep -q '/local/domain/20/data/x = \"1\"   (n20)'"
check "relative read (Debian)" sh -c "[ \"\$($GDEB-read data/y)\" = 2 ]"
check "list own home" sh -c "$G-list /local/domain/20 | grep -qx data"
check "cannot read dom0-only node" sh -c "! $G-read /tool/xenstored"
check "cannot write read-only home" sh -c "! $GDEB-write name evil"
check "cannot chmod to another owner" sh -c "! $G-chmod data/x n0"
check "rm own node (Debian)" $GDEB-rm data/y
$G-watch -n 2 data >"$T/watch" 2>&1 &
WP=$!
i=0; while [ ! -s "$T/watch" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
$D-write /local/domain/20/data/z 3
i=0; while kill -0 $WP 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill $WP 2>/dev/null
check "watch over the ring (relative events)" sh -c "[ \"\$(cat $T/watch | tr '\n' ' ')\" = 'data data/z ' ]"
echo "ring tools: $fails failed"
[ $fails -eq 0 ]
