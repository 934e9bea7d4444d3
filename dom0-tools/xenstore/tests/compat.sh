#!/bin/sh
# SPDX-License-Identifier: MIT
# Compatibility checks against the daemon at $XENSTORED_PATH: Debian's
# xenstore-utils (with Xen's own libxenstore) for every tool and for
# concurrent transactions, and the same commands through our tools and
# through Debian's tools on our libxenstore.so.4, whose outputs must match.
set -u
BUILD=$1
P=$BUILD/peers/xenstore-utils
DEB="env LD_LIBRARY_PATH=$P/lib $P/bin/xenstore"
DEBOURS="env LD_LIBRARY_PATH=$BUILD/lib $P/bin/xenstore"
OURS=$BUILD/bin/xenstore
T=$(mktemp -d /tmp/xs-compat.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0

check() {	# description, command...
	d=$1; shift
	if "$@" >"$T/out" 2>&1; then echo "  ok: $d"
	else echo "  FAILED: $d"; cat "$T/out"; fails=$((fails + 1)); fi
}

expect() {	# description, expected output, command...
	d=$1 want=$2; shift 2
	got=$("$@" 2>&1)
	if [ "$got" = "$want" ]; then echo "  ok: $d"
	else echo "  FAILED: $d: got [$got] want [$want]"; fails=$((fails + 1)); fi
}

[ -x "$P/bin/xenstore" ] || { echo "no Debian peers (scripts/fetch-peers xenstore)"; exit 1; }

echo "Debian xenstore-utils against our daemon:"
check "write several keys" $DEB-write /c/a hello /c/b "two words" /c/d/e/f deep
expect "read" "hello" $DEB-read /c/a
expect "read -p" "/c/b: two words" $DEB-read -p /c/b
expect "list" "a
b
d" $DEB-list /c
check "exists (present)" $DEB-exists /c/a
check "exists (absent) fails" sh -c "! $DEB-exists /c/none"
check "read (absent) fails" sh -c "! $DEB-read /c/none"
check "chmod" $DEB-chmod /c/a n0 r5 w6
check "ls -p shows perms" sh -c "$DEB-ls -p /c | head -1 | grep -q '^a = \"hello\"  \\. .*\\.  (n0,r5,w6)\$'"
check "chmod -r" $DEB-chmod -r /c/d b7
expect "recursive perms" "/c/d/e/f = \"deep\"   (b7)" sh -c "$DEB-ls -f -p /c/d | tail -1"
check "rm" $DEB-rm /c/d
check "rm (absent, parent exists)" $DEB-rm /c/d
check "rm -t tidies empty parents" sh -c "$DEB-write /t1/x/y 1 && $DEB-rm -t /t1/x/y && ! $DEB-exists /t1"
expect "escaped values" 'a\001b\tc\\d\x7f' sh -c "$DEB-write /c/esc 'a\\x01b\\tc\\\\d\\x7f' && $DEB-read /c/esc"
$DEB-watch -n 2 /c/w >"$T/watch" 2>&1 &
wp=$!
# The initial event shows the watch is registered.
i=0; while [ ! -s "$T/watch" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
$DEB-write /c/w/x 1
i=0; while kill -0 $wp 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill $wp 2>/dev/null
expect "watch: initial event then change" "/c/w
/c/w/x" cat "$T/watch"

echo "Concurrent transactions from several tools:"
$DEB-write /cc/a 0 /cc/b 0
for w in 1 2 3 4; do
	( for i in $(seq 1 25); do $DEB-write /cc/a "$w.$i" /cc/b "$w.$i" || exit 1; done ) &
done
for w in 5 6; do
	( for i in $(seq 1 25); do $OURS-write /cc/a "$w.$i" /cc/b "$w.$i" || exit 1; done ) &
done
bad=0
for i in $(seq 1 40); do
	# Debian's and our reader; a retried transaction must not print twice.
	for r in "$DEB" "$OURS"; do
		v=$($r-read /cc/a /cc/b | tr '\n' ' ')
		set -- $v
		{ [ $# -eq 2 ] && [ "$1" = "$2" ]; } || { bad=1; echo "  torn read: $v"; }
	done
done
wait
check "readers never see a torn pair" test $bad -eq 0
expect "last writes landed" "25" sh -c "$DEB-read /cc/a | cut -d. -f2"

echo "Our tools and our library give Debian's output:"
$DEB-write /o/a hello /o/c "wor ld" /o/d/e/f "$(printf 'x%.0s' $(seq 1 90))" /o/g "$(printf 'y%.0s' $(seq 1 60))"
$DEB-chmod /o/a n0 r5
for args in "ls /o" "ls -p /o" "ls -f /o" "ls -f -p /o" "read /c/esc" \
	"read -p /o/a /o/c" "read -R /c/esc" "list -p /o" "list /o" \
	"exists /o/zz" "read /o/zz" "ls /zz" "ls /"; do
	$DEB $args >"$T/deb" 2>/dev/null; r1=$?
	$OURS $args >"$T/ours" 2>/dev/null; r2=$?
	$DEBOURS $args >"$T/debours" 2>/dev/null; r3=$?
	if cmp -s "$T/deb" "$T/ours" && cmp -s "$T/deb" "$T/debours" &&
	   [ $r1 = $r2 ] && [ $r1 = $r3 ]; then
		echo "  ok: xenstore $args"
	else
		echo "  FAILED: xenstore $args (exit $r1/$r2/$r3)"
		diff "$T/deb" "$T/ours" | head -5
		diff "$T/deb" "$T/debours" | head -5
		fails=$((fails + 1))
	fi
done
check "our write + Debian read" sh -c "$OURS-write /o/w 'tab\\there' && [ \"\$($DEB-read /o/w)\" = 'tab\\there' ]"
check "our chmod + Debian ls -p" sh -c "$OURS-chmod /o/c n0 b3 && $DEB-ls -p /o | grep -q '(n0,b3)'"
check "our rm + exists" sh -c "$OURS-rm /o/c && ! $OURS-exists /o/c"
check "xenstore-control quota" sh -c "$BUILD/bin/xenstore-control quota | grep -q '^nodes *: *1000 '"
check "xenstore-control check" $BUILD/bin/xenstore-control check
$DEB-rm /c /cc /o

echo "compat: $fails failed"
[ $fails -eq 0 ]
