// SPDX-License-Identifier: MIT
/*
 * bench: cost of a null hypercall (xen_version(XENVER_version)) and of an
 * exception bounce round trip (int3 -> trap handler -> iret hypercall), in
 * TSC cycles. Run under `-icount shift=0,sleep=off` the TSC counts executed
 * instructions, so the figures are deterministic and comparable across
 * hypervisors. Prints `BENCHRESULT <name> <cycles per operation>`.
 */
#include "lib.h"

TEST_CATEGORY(bench);

#define ROUNDS 2000

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static void op_empty(void)
{
	asm volatile("" ::: "memory");
}

static void op_null_hypercall(void)
{
	hv_xen_version(XENVER_version, NULL);
}

static void op_exception_bounce(void)
{
	asm volatile("1: int3\n2:\n\t" ASM_EXTABLE(2b, 2b) ::: "memory");
}

/* Cycles for ROUNDS calls of op (after one warm-up round). */
static uint64_t measure(void (*op)(void))
{
	uint64_t t0;
	unsigned int i;

	op();
	t0 = rdtsc();
	for (i = 0; i < ROUNDS; i++)
		op();
	return rdtsc() - t0;
}

static void report_op(const char *name, void (*op)(void), uint64_t base)
{
	uint64_t t = measure(op);

	t = t > base ? t - base : 0;
	printk("BENCHRESULT %s %lu\n", name, (t + ROUNDS / 2) / ROUNDS);
}

void test_main(void)
{
	uint64_t base;

	if (traps_init()) {
		printk("set_trap_table failed\n");
		return;
	}
	base = measure(op_empty);
	report_op("null_hypercall", op_null_hypercall, base);
	report_op("exception_bounce", op_exception_bounce, base);
}
