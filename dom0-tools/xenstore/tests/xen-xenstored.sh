#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs Debian's build of Xen's C xenstored (peer from `scripts/fetch-peers
# xenstored`) on this host, for comparisons: our shim libraries replace the
# Xen control libraries, and a private mount namespace gives it the
# /proc/xen/xsd_port and xsd_kva files its dom0 set-up reads. Needs root.
# Usage: xen-xenstored.sh BUILD SOCKET  (execs; the pid is the daemon's)
set -eu
BUILD=$1 SOCK=$2
XSD=$BUILD/peers/xenstored/xenstored
SHIM=$BUILD/dom0-tools/xen-shim
if [ "${XS_IN_NS:-}" != 1 ]; then
	XS_IN_NS=1 exec unshare -m "$0" "$@"
fi
mount -t tmpfs xs-proc /proc
mkdir -p /proc/xen
echo 1 >/proc/xen/xsd_port
head -c 4096 /dev/zero >/proc/xen/xsd_kva
dir=$(dirname "$SOCK")
exec env XENSTORED_PATH="$SOCK" XENSTORED_RUNDIR="$dir" \
	LD_LIBRARY_PATH="$SHIM" "$XSD" -N
