#!/bin/sh
# /init of the Linux integration initramfs: mount what Linux needs, load
# the Xen modules, run the checks, power off (the hypervisor then ends
# the machine with dom0's shutdown reason). With hvmode=shell on the
# kernel command line it starts an interactive shell instead (make run).
# With hvmode=bench it runs guest-bench and powers off without loading the
# Xen modules (the same init runs natively, where they do not load).
# The first command prints the TSC: power-on to /init for run-bench.
/guest-bench tsc
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts	# consback's ptys
if grep -q hvmode=bench /proc/cmdline; then
	/guest-bench rtc
	/guest-bench
	echo "LINUXINIT bench done"
	poweroff -f
fi
for m in xen-privcmd xenfs xen-evtchn xen-gntdev xen-gntalloc; do
	insmod /lib/modules/$m.ko && echo "LINUXMOD $m loaded"
done
mount -t xenfs xenfs /proc/xen
if grep -q hvmode=shell /proc/cmdline; then
	if grep -q control_d /proc/xen/capabilities; then
		# xenstored, and the boot-time domUs introduced to it.
		if [ -x /usr/sbin/xenstored ]; then
			mkdir -p /tmp /var/lib/xenstored
			/usr/sbin/xenstored --no-persist
			sleep 1
			xen-init-bootdomains -q
		fi
		echo "dom0 is up: Linux $(uname -r) on the hypervisor."
		echo "This is a busybox shell on hvc0; 'poweroff -f' ends the machine."
	else
		echo "A domU is up: Linux $(uname -r), unprivileged."
		echo "This is a busybox shell on its hvc0; 'poweroff -f' ends this domain."
	fi
	exec setsid cttyhack /bin/sh
fi
# hvmode=pair (run-linux pair): this initramfs boots as dom0 and as d1, a
# boot-time domU with a xenstore ring (domu_xenstore). dom0 starts
# xenstored and introduces d1 (xen-init-bootdomains); d1 runs the checks
# with xenstore (privcmd works then), writes the tally to its data/ node
# and powers off; dom0 reports what it read there.
pair=; grep -q hvmode=pair /proc/cmdline && pair=1
# dom0: give domain $1 virtual disk $2 (51712 xvda, 51728 xvdb, 51744 xvdc)
# with the keys a toolstack writes (xl block-attach): backend type $3
# (qdisk: our blkback, as xl's backendtype=qdisk; vbd: Linux's kernel
# blkback), file or device $4; for vbd, $5 is the device's major:minor
# (hex), which xl's block hotplug script writes as physical-device.
# Both ends' keys go in one transaction (xenstore-write's), as xl adds a
# device: Linux's backend bus skips a backend whose frontend directory does
# not exist yet, and no later event under backend/ makes it look again.
vbd_attach() {
	be=/local/domain/0/backend/$3/$1/$2 fe=/local/domain/$1/device/vbd/$2
	letter=$(printf "\\$(printf %o $((97 + ($2 - 51712) / 16)))")
	xenstore-write $be/frontend $fe $be/frontend-id $1 $be/online 1 \
		$be/state 1 $be/params "$4" $be/type file $be/mode w \
		$be/device-type disk $be/dev xvd$letter \
		${5:+$be/physical-device $5} \
		$fe/backend $be $fe/backend-id 0 $fe/state 1 \
		$fe/virtual-device $2 $fe/device-type disk &&
	xenstore-chmod -r $be n0 r$1 && xenstore-chmod -r $fe n$1 r0
}
# dom0: give domain $1 network interface $2 (vif$1.$2 in dom0, 10.0.$2.1)
# served by back end type $3: qnic, our netback (a tap); vif, Linux's
# kernel xen-netback. In the background, what xl's vif hotplug script does
# once the interface appears: address, link up, hotplug-status (Linux's
# back end waits for it before it connects, and refuses a device without
# a script key: xl writes the script's path there).
vif_attach() {
	be=/local/domain/0/backend/$3/$1/$2 fe=/local/domain/$1/device/vif/$2
	mac=00:16:3e:00:0$2:0$1 ifc=vif$1.$2
	xenstore-write $be/frontend $fe $be/frontend-id $1 $be/online 1 \
		$be/state 1 $be/handle $2 $be/mac $mac \
		$be/script /etc/xen/scripts/vif-route \
		$fe/backend $be $fe/backend-id 0 $fe/state 1 \
		$fe/handle $2 $fe/mac $mac &&
	xenstore-chmod -r $be n0 r$1 && xenstore-chmod -r $fe n$1 r0 ||
		return 1
	(i=0
	while ! ip link show $ifc > /dev/null 2>&1 && [ $i -lt 300 ]; do
		sleep 1
		i=$((i + 1))
	done
	ip addr add 10.0.$2.1/24 dev $ifc && ip link set $ifc up &&
		xenstore-write $be/hotplug-status connected) &
}
# dom0: a secondary console for domain $1 (device/console/1, Linux's
# hvc_xen makes it /dev/hvc1) served by our consback; in the background,
# read the line d1 writes on it from the pty consback names in "tty" and
# answer with another. The back end first, readable by d1: hvc_xen is
# built in and probes the front end the moment it appears (our consback
# does not mind the order Linux's backend bus needs, see vbd_attach).
con_attach() {
	be=/local/domain/0/backend/console/$1/1 fe=/local/domain/$1/device/console/1
	xenstore-write $be/frontend $fe $be/frontend-id $1 $be/online 1 \
		$be/state 1 $be/protocol vt100 &&
	xenstore-chmod -r $be n0 r$1 &&
	xenstore-write $fe/backend $be $fe/backend-id 0 $fe/state 1 \
		$fe/type ioemu &&
	xenstore-chmod -r $fe n$1 r0 || return 1
	(i=0
	until tty=$(xenstore-read $fe/tty 2>/dev/null) || [ $i -ge 200 ]; do
		sleep 1
		i=$((i + 1))
	done
	l=$(timeout 100 sh -c "read -r l < $tty; echo \"\$l\"" | tr -d '\r')
	if [ "$l" = hvc1-ping ]; then
		echo "LINUXTEST dom0_hvc1_read PASS"
	else
		echo "LINUXTEST dom0_hvc1_read FAIL got '$l' from '$tty'"
		xenstore-ls -f $be; xenstore-ls -f $fe
	fi
	echo hvc1-pong > "$tty") &
}
# domU: its secondary console (hvc_xen over xenbus) against our consback.
console_check() {
	i=0
	until [ -c /dev/hvc1 ] &&
	      [ "$(xenstore-read device/console/1/state 2>/dev/null)" = 4 ] ||
	      [ $i -ge 60 ]; do
		sleep 1
		i=$((i + 1))
	done
	echo hvc1-ping > /dev/hvc1
	l=$(timeout 60 sh -c 'read -r l < /dev/hvc1; echo "$l"' | tr -d '\r')
	if [ "$l" = hvc1-pong ]; then
		echo "LINUXTEST domu_hvc1_console PASS"
	else
		echo "LINUXTEST domu_hvc1_console FAIL got '$l' after ${i}s"
	fi
}
# domU: Linux's own xen-netfront against our netback: ping dom0.
netfront_check() {
	insmod /lib/modules/xen-netfront.ko
	i=0
	while ! ip link show eth0 > /dev/null 2>&1 && [ $i -lt 60 ]; do
		sleep 1
		i=$((i + 1))
	done
	ip addr add 10.0.0.2/24 dev eth0 && ip link set eth0 up
	n=0
	until ping -c 1 -W 2 10.0.0.1 > /dev/null 2>&1 || [ $n -ge 30 ]; do
		n=$((n + 1))
	done
	if ping -c 5 -W 2 10.0.0.1 > /tmp/ping.out 2>&1 &&
	   grep -q " 0% packet loss" /tmp/ping.out; then
		echo "LINUXTEST domu_netfront_ping PASS"
	else
		cat /tmp/ping.out
		echo "LINUXTEST domu_netfront_ping FAIL (eth0 after ${i}s)"
	fi
}
# domU: Linux's own xen-blkfront against our blkback in dom0: 4 MiB
# written to the disk and read back.
blkfront_check() {
	insmod /lib/modules/xen-blkfront.ko
	i=0
	while [ ! -b /dev/xvda ] && [ $i -lt 60 ]; do
		sleep 1
		i=$((i + 1))
	done
	dd if=/guest-checks of=/tmp/pattern bs=1M count=4 2>/dev/null
	n=$(wc -c < /tmp/pattern)
	if [ -b /dev/xvda ] &&
	   dd if=/tmp/pattern of=/dev/xvda bs=64k conv=fsync 2>/dev/null &&
	   echo 3 > /proc/sys/vm/drop_caches &&
	   dd if=/dev/xvda of=/tmp/back bs=64k count=$((n / 65536 + 1)) \
		2>/dev/null &&
	   cmp -n "$n" /tmp/pattern /tmp/back; then
		echo "LINUXTEST domu_blkfront_io PASS"
	else
		echo "LINUXTEST domu_blkfront_io FAIL (/dev/xvda after ${i}s)"
	fi
}
if [ -n "$pair" ] && ! grep -q control_d /proc/xen/capabilities; then
	mkdir -p /tmp
	/guest-checks --xenstore > /tmp/checks.out
	cat /tmp/checks.out
	v=$(xenstore-read domid)
	if [ "$v" = 1 ]; then
		echo "LINUXTEST domu_xenstore_read PASS"
	else
		echo "LINUXTEST domu_xenstore_read FAIL domid '$v'"
	fi
	# Our blkfront (user space, /dev/xen) against our blkback in dom0,
	# before Linux's xen-blkfront loads and claims every vbd node.
	if timeout 120 blkfront-linux-test 51728; then
		echo "LINUXTEST domu_our_blkfront PASS"
	else
		echo "LINUXTEST domu_our_blkfront FAIL"
	fi
	# ... and against Linux's kernel blkback in dom0 (xvdc), once dom0
	# has set it up and the back end waits for us.
	i=0
	until [ "$(xenstore-read \
		"$(xenstore-read device/vbd/51744/backend 2>/dev/null)/state" \
		2>/dev/null)" = 2 ] || [ $i -ge 120 ]; do
		sleep 1
		i=$((i + 1))
	done
	if timeout 120 blkfront-linux-test 51744; then
		echo "LINUXTEST domu_our_blkfront_linux_blkback PASS"
	else
		echo "LINUXTEST domu_our_blkfront_linux_blkback FAIL"
	fi
	# Our netfront against Linux's kernel netback in dom0 (vif/1); then
	# its node goes, so Linux's xen-netfront leaves it alone.
	if timeout 120 netfront-linux-test 1; then
		echo "LINUXTEST domu_our_netfront_linux_netback PASS"
	else
		echo "LINUXTEST domu_our_netfront_linux_netback FAIL"
	fi
	xenstore-rm device/vif/1
	blkfront_check
	netfront_check
	console_check
	xenstore-write data/checks "$(sed -n 's/^LINUXDONE //p' /tmp/checks.out)"
	echo "LINUXINIT done"
	poweroff -f
fi
/guest-checks
# Our xenstored in dom0: clients over its socket, and the kernel's xenbus
# (/dev/xen/xenbus) over the dom0 ring it serves through xsd_kva.
if [ -x /usr/sbin/xenstored ] && grep -q control_d /proc/xen/capabilities; then
	mkdir -p /tmp /var/lib/xenstored
	/usr/sbin/xenstored --no-persist -T /tmp/xs.log
	sleep 1
	if xenstore-write /hv/test dom0-ring; then
		echo "LINUXTEST xenstore_socket PASS"
	else
		echo "LINUXTEST xenstore_socket FAIL write over the socket"
	fi
	if [ -n "$pair" ]; then
		if xen-init-bootdomains; then
			echo "LINUXTEST init_bootdomains PASS"
		else
			echo "LINUXTEST init_bootdomains FAIL"
		fi
		dd if=/dev/zero of=/tmp/disk.img bs=1M count=16 2>/dev/null
		insmod /lib/modules/tun.ko
		/usr/sbin/hv-backendd --blk --blk-type qdisk --net \
			--net-type qnic --console &
		vbd_attach 1 51712 qdisk /tmp/disk.img ||
			echo "LINUXTEST vbd_attach FAIL"
		vif_attach 1 0 qnic || echo "LINUXTEST vif_attach FAIL"
		# xvdb: for our own blkfront, from d1's user space.
		dd if=/dev/zero of=/tmp/disk2.img bs=1M count=8 2>/dev/null
		vbd_attach 1 51728 qdisk /tmp/disk2.img ||
			echo "LINUXTEST vbd_attach FAIL"
		con_attach 1 || echo "LINUXTEST con_attach FAIL"
		# xvda of d2, our PV test kernel: our blkfront, freestanding.
		dd if=/dev/zero of=/tmp/disk4.img bs=1M count=1 2>/dev/null
		vbd_attach 2 51712 qdisk /tmp/disk4.img ||
			echo "LINUXTEST vbd_attach FAIL"
		# xvdc: Linux's own blkback on a loop device, for our
		# blkfront (its xenbus backend bus probes once xenstored
		# has notified the kernel).
		dd if=/dev/zero of=/tmp/disk3.img bs=1M count=8 2>/dev/null
		if insmod /lib/modules/loop.ko &&
		   insmod /lib/modules/xen-blkback.ko &&
		   losetup /dev/loop0 /tmp/disk3.img; then
			vbd_attach 1 51744 vbd /dev/loop0 7:0 ||
				echo "LINUXTEST vbd_attach FAIL"
		else
			echo "LINUXTEST linux_blkback_setup FAIL"
		fi
		# vif/1: Linux's own netback, for our netfront.
		{ insmod /lib/modules/xen-netback.ko && vif_attach 1 1 vif; } ||
			echo "LINUXTEST linux_netback_setup FAIL"
	fi
	v=$(XENSTORED_RUNDIR=/nonexistent timeout 30 xenstore-read /hv/test)
	if [ "$v" = dom0-ring ]; then
		echo "LINUXTEST xenstore_dom0_ring PASS"
	else
		echo "LINUXTEST xenstore_dom0_ring FAIL read via /dev/xen/xenbus: '$v'"
	fi
	[ -x /usr/bin/xenstore-dom0-ring-test ] &&
		timeout 120 /usr/bin/xenstore-dom0-ring-test /tmp/xs.log
	# The split drivers' /dev/xen transport, looped back to dom0.
	if [ -x /usr/bin/xenv-linux-test ]; then
		if timeout 60 xenv-linux-test > /tmp/xenv.out 2>&1; then
			echo "LINUXTEST xenv_linux_transport PASS"
		else
			cat /tmp/xenv.out
			echo "LINUXTEST xenv_linux_transport FAIL"
		fi
	fi
	if [ -n "$pair" ]; then
		# $v: the node $1 once a domU wrote it, waiting up to $2 s ($i).
		wait_read() {
			i=0
			until v=$(xenstore-read $1 2>/dev/null) || [ $i -ge $2 ]
			do
				sleep 1
				i=$((i + 1))
			done
		}
		wait_read /local/domain/1/data/checks 300
		if [ "$v" = "0 failed" ]; then
			echo "LINUXTEST domu_checks_via_xenstore PASS"
		else
			echo "LINUXTEST domu_checks_via_xenstore FAIL '$v' after ${i}s"
		fi
		wait_read /local/domain/2/data/result 60
		if [ "$v" = pass ]; then
			echo "LINUXTEST freestanding_blkfront_xenbus PASS"
		else
			echo "LINUXTEST freestanding_blkfront_xenbus FAIL '$v'"
		fi
		sleep 3	# let d1 finish powering off
	fi
fi
echo "LINUXINIT done"
poweroff -f
