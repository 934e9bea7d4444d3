#!/bin/sh
# /init of the Linux integration initramfs: mount what Linux needs, load
# the Xen modules, run the checks, power off (the hypervisor then ends
# the machine with dom0's shutdown reason).
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in xen-privcmd xenfs xen-evtchn xen-gntdev xen-gntalloc; do
	insmod /lib/modules/$m.ko && echo "LINUXMOD $m loaded"
done
mount -t xenfs xenfs /proc/xen
/guest-checks
echo "LINUXINIT done"
poweroff -f
