// SPDX-License-Identifier: GPL-2.0
/*
 * TSC calibration against PIT channel 2 (gate through port 0x61), and
 * system time: nanoseconds since calibration, computed from the TSC with
 * the same (mul, shift) scale the guests get in vcpu_time_info, so that
 * the hypervisor's clock and every guest's pvclock are one function.
 */
#include <hv/console.h>
#include <hv/time.h>
#include <asm/processor.h>

#define PIT_HZ 1193182
#define CALIBRATE_MS 10

uint64_t tsc_khz;
uint64_t tsc_boot;
struct time_scale tsc_scale;

/*
 * ns = ((ticks << shift) * mul) >> 32 (right shift if shift < 0), with mul
 * in [2^31, 2^32) for the most precision: the pvclock formula.
 */
static void compute_scale(struct time_scale *s, uint64_t khz)
{
	int shift = 0;
	uint64_t f = (1000000ULL << 32) / khz;

	/* Both loops stay within 64 bits for TSCs of 1 MHz to 100 GHz. */
	while (f >= (1ULL << 32) && shift < 20)
		f = (1000000ULL << (32 - ++shift)) / khz;
	while (f < (1ULL << 31) && shift > -20)
		f = (1000000ULL << (32 - --shift)) / khz;
	s->mul = (uint32_t)f;
	s->shift = (int8_t)shift;
}

uint64_t scale_delta(uint64_t delta, const struct time_scale *s)
{
	if (s->shift < 0)
		delta >>= -s->shift;
	else
		delta <<= s->shift;
	return (uint64_t)(((unsigned __int128)delta * s->mul) >> 32);
}

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
	compute_scale(&tsc_scale, tsc_khz);
	tsc_boot = rdtsc();
	log_info("time: TSC %llu.%03llu MHz (PIT calibrated), scale %u >> %d",
		 (unsigned long long)(tsc_khz / 1000),
		 (unsigned long long)(tsc_khz % 1000), tsc_scale.mul,
		 tsc_scale.shift);
}

uint64_t now_ns(void)
{
	return scale_delta(rdtsc() - tsc_boot, &tsc_scale);
}
