// SPDX-License-Identifier: GPL-2.0
/*
 * Guest time: the pvclock record (vcpu_time_info) of each vCPU, the
 * wallclock in shared_info, and set_timer_op.
 *
 * Every vcpu_time_info holds the same pair (tsc_boot, system time 0) and
 * the hypervisor's own scale, so a guest's reading is exactly the
 * hypervisor's now_ns(): monotonic on each vCPU and equal across vCPUs
 * (the TSC is common to all CPUs). Records are rewritten with the version
 * protocol (odd while changing) whenever a vCPU is scheduled in or its
 * vcpu_info moves.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>

#define NS_PER_SEC 1000000000ULL

static uint64_t wc_boot_sec; /* wall time at system time 0 */
static uint32_t wc_boot_nsec;
static uint8_t pvclock_flags;

#define barrier() asm volatile("" ::: "memory")

static void fill_time_info(volatile struct vcpu_time_info *t)
{
	t->tsc_timestamp = tsc_boot;
	t->system_time = 0;
	t->tsc_to_system_mul = tsc_scale.mul;
	t->tsc_shift = tsc_scale.shift;
	t->flags = pvclock_flags;
}

void vcpu_time_update(struct vcpu *v)
{
	volatile struct vcpu_time_info *t = &v->vcpu_info->time;
	struct vcpu_time_info copy;
	uint32_t version = t->version;

	/* The guest must see the odd version before any field changes. */
	t->version = (version + 1) | 1;
	barrier();
	fill_time_info(t);
	barrier();
	t->version = (version | 1) + 1;

	if (!v->time_area_guest || v != current)
		return;
	copy = v->vcpu_info->time;
	if (copy_to_guest(v->time_area_guest, &copy, sizeof(copy)))
		return; /* the guest unmapped its copy: its loss */
}

/* The CMOS clock, in binary or BCD as its status register B says. */
static unsigned int cmos_read(unsigned int reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static unsigned int from_bcd(unsigned int v, bool bcd)
{
	return bcd ? (v & 0xf) + (v >> 4) * 10 : v;
}

/* Days from 1970-01-01 to @y-@m-@d (proleptic Gregorian). */
static uint64_t days_from_civil(unsigned int y, unsigned int m, unsigned int d)
{
	uint64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void wallclock_init(void)
{
	unsigned int sec, min, hour, day, mon, year, b;
	uint64_t t0 = now_ns(), secs;
	struct cpuid_regs r;

	while ((cmos_read(0x0a) & 0x80) && now_ns() - t0 < NS_PER_SEC)
		cpu_relax(); /* update in progress */
	b = cmos_read(0x0b);
	sec = from_bcd(cmos_read(0x00), !(b & 4));
	min = from_bcd(cmos_read(0x02), !(b & 4));
	hour = from_bcd(cmos_read(0x04) & 0x7f, !(b & 4));
	day = from_bcd(cmos_read(0x07), !(b & 4));
	mon = from_bcd(cmos_read(0x08), !(b & 4));
	year = from_bcd(cmos_read(0x09), !(b & 4)) + 2000;
	if (!(b & 2) && (cmos_read(0x04) & 0x80))
		hour = (hour % 12) + 12; /* 12-hour clock, PM */
	secs = days_from_civil(year, mon, day) * 86400 + hour * 3600 +
	       min * 60 + sec;
	t0 = now_ns();
	wc_boot_sec = secs - t0 / NS_PER_SEC;
	wc_boot_nsec = 0;
	if (t0 % NS_PER_SEC) {
		wc_boot_sec--;
		wc_boot_nsec = (uint32_t)(NS_PER_SEC - t0 % NS_PER_SEC);
	}
	/* Invariant TSC: tell guests their pvclock never jumps. */
	cpuid_count(0x80000007, 0, &r);
	if (r.d & (1U << 8))
		pvclock_flags |= PVCLOCK_TSC_STABLE_BIT;
	log_info("time: wallclock %04u-%02u-%02u %02u:%02u:%02u UTC%s", year,
		 mon, day, hour, min, sec,
		 (pvclock_flags & PVCLOCK_TSC_STABLE_BIT) ? ", TSC stable"
							  : "");
}

void domain_wallclock_update(struct domain *d)
{
	volatile struct shared_info *si = d->shared_info;
	uint32_t version = si->wc_version;

	si->wc_version = (version + 1) | 1;
	barrier();
	si->wc_sec = (uint32_t)wc_boot_sec;
	si->wc_sec_hi = (uint32_t)(wc_boot_sec >> 32);
	si->wc_nsec = wc_boot_nsec;
	barrier();
	si->wc_version = (version | 1) + 1;
}

/*
 * set_timer_op(15): the singleshot timer at absolute @timeout, 0 stops
 * it. As Xen, a negative or more than 2^50 ns away timeout (a wrapped
 * guest computation) fires in 100 ms instead.
 */
long do_set_timer_op(unsigned long timeout)
{
	struct vcpu *v = current;
	int64_t offset = (int64_t)(timeout - now_ns());

	if (timeout == 0) {
		vcpu_stop_singleshot_timer(v);
	} else if ((int64_t)timeout < 0 || (offset > 0 && (offset >> 50))) {
		vcpu_set_singleshot_timer(v, now_ns() + 100000000ULL);
	} else {
		vcpu_set_singleshot_timer(v, timeout);
	}
	return 0;
}
