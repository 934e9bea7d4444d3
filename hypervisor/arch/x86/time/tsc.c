// SPDX-License-Identifier: GPL-2.0
/*
 * TSC calibration against PIT channel 2 (gate through port 0x61), and
 * conversion of TSC ticks to nanoseconds with a 32.32 fixed-point factor.
 */
#include <hv/console.h>
#include <hv/time.h>
#include <asm/processor.h>

#define PIT_HZ 1193182
#define CALIBRATE_MS 10

uint64_t tsc_khz;
static uint64_t tsc_boot;
static uint64_t ns_per_tsc_32;	/* (ns per tick) << 32 */

void tsc_calibrate(void)
{
	uint16_t count = PIT_HZ * CALIBRATE_MS / 1000;
	uint64_t t0, t1, spins = 0;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(0x43, 0xb0);			/* ch2, lo/hi, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20) && ++spins < (1ULL << 32))
		;
	t1 = rdtsc();
	tsc_khz = (t1 - t0) / CALIBRATE_MS;
	if (!tsc_khz)
		tsc_khz = 1000000;	/* no PIT: assume 1 GHz */
	ns_per_tsc_32 = (1000000ULL << 32) / tsc_khz;
	tsc_boot = rdtsc();
	log_info("time: TSC %llu.%03llu MHz (PIT calibrated)",
		 (unsigned long long)(tsc_khz / 1000),
		 (unsigned long long)(tsc_khz % 1000));
}

uint64_t now_ns(void)
{
	uint64_t d = rdtsc() - tsc_boot;

	return (uint64_t)(((unsigned __int128)d * ns_per_tsc_32) >> 32);
}
