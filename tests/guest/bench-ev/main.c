// SPDX-License-Identifier: MIT
/*
 * bench-ev: event and timer costs in TSC cycles (run under -icount, where
 * the TSC counts instructions), on a dom0 with two vCPUs (-smp 2,
 * dom0_max_vcpus=2): send to self with the upcall delivered and with the
 * port masked, a timer event (set_timer_op 1 us ahead, block, upcall),
 * and an IPI round trip between the two vCPUs of the domain. Prints
 * `BENCHRESULT <name> <cycles per operation>`.
 */
#include <hvabi/event_channel.h>
#include <hvabi/vcpu.h>
#include "lib.h"

TEST_CATEGORY(bench);

#define ROUNDS 1000

static uint8_t ap_stack[16384] __attribute__((aligned(16)));
static struct vcpu_guest_context ctxt;
static volatile uint32_t ap_alive;
static uint32_t ap_port, bsp_port, self_port, timer_port;

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

void bench_ap_main(void);
void bench_ap_main(void)
{
	ap_alive = 1;
	for (;;) {
		uint32_t port = ap_port;
		struct sched_poll p = {.ports = HV_PTR(&port), .nr_ports = 1};

		if (!port_pending(ap_port)) {
			hv_sched_op(SCHEDOP_poll, &p);
			continue;
		}
		port_clear(ap_port);
		evtchn_send_port(bsp_port);
	}
}

static void op_send_self(void)
{
	evtchn_send_port(self_port); /* upcall on the way out */
}

static void op_send_masked(void)
{
	evtchn_send_port(self_port);
}

static void op_timer(void)
{
	uint64_t seen = event_count[timer_port];

	hv_set_timer_op(pvclock_read() + 1000);
	while (event_count[timer_port] == seen) {
		events_disable();
		if (event_count[timer_port] != seen)
			break;
		hv_sched_op(SCHEDOP_block, NULL); /* unmasks */
	}
}

static void op_ipi_rtt(void)
{
	uint32_t port = bsp_port;
	struct sched_poll p = {.ports = HV_PTR(&port), .nr_ports = 1};

	evtchn_send_port(ap_port);
	while (!port_pending(bsp_port))
		hv_sched_op(SCHEDOP_poll, &p);
	port_clear(bsp_port);
}

static void report(const char *name, void (*op)(void))
{
	uint64_t t0;

	op();
	t0 = rdtsc();
	for (unsigned int i = 0; i < ROUNDS; i++)
		op();
	printk("BENCHRESULT %s %lu\n", name,
	       (rdtsc() - t0 + ROUNDS / 2) / ROUNDS);
}

static int start_ap(void)
{
	memset(&ctxt, 0, sizeof(ctxt));
	ctxt.flags = VGCF_in_kernel;
	ctxt.user_regs.rip = (uint64_t)(uintptr_t)bench_ap_main;
	ctxt.user_regs.rsp =
	    (uint64_t)(uintptr_t)(ap_stack + sizeof(ap_stack)) - 8;
	ctxt.user_regs.cs = FLAT_KERNEL_CS;
	ctxt.user_regs.ss = FLAT_KERNEL_SS;
	ctxt.kernel_ss = FLAT_KERNEL_SS;
	ctxt.kernel_sp = ctxt.user_regs.rsp;
	ctxt.ctrlreg[3] = virt_to_mfn((void *)(uintptr_t)start_info->pt_base)
			  << 12;
	if (hv_vcpu_op(VCPUOP_initialise, 1, &ctxt) ||
	    hv_vcpu_op(VCPUOP_up, 1, NULL))
		return -1;
	while (!ap_alive)
		hv_sched_op(SCHEDOP_yield, NULL);
	return 0;
}

void test_main(void)
{
	if (!shared_info || events_init() ||
	    evtchn_bind_ipi_port(0, &self_port) ||
	    evtchn_bind_ipi_port(1, &ap_port) ||
	    evtchn_bind_ipi_port(0, &bsp_port) ||
	    evtchn_bind_virq_port(VIRQ_TIMER, 0, &timer_port) ||
	    hv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL)) {
		printk("bench-ev: set-up failed\n");
		return;
	}
	events_enable();
	report("evtchn_send_self_upcall", op_send_self);
	port_mask(self_port, true);
	report("evtchn_send_masked", op_send_masked);
	report("timer_event_block", op_timer);
	events_disable();
	if (start_ap()) {
		printk("bench-ev: vCPU 1 did not start\n");
		return;
	}
	report("evtchn_vcpu_rtt", op_ipi_rtt);
}
