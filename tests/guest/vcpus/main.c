// SPDX-License-Identifier: MIT
/*
 * vcpus: dom0 with two vCPUs (dom0_max_vcpus=2; QEMU -smp 2 so that Xen,
 * which gives dom0 at most one vCPU per CPU, can run it too). Bring-up of
 * vCPU 1 with VCPUOP_initialise and VCPUOP_up (bad contexts, twice),
 * is_up, IPIs between the two vCPUs over event channels, both vCPUs
 * running at the same time on the two physical CPUs, the other vCPU's
 * runstate, VCPUOP_down and up again.
 *
 * vCPU 1 runs ap_main() with events masked: it polls its IPI port and
 * answers each IPI with one to vCPU 0, or counts in a loop while ap_spin.
 */
#include <hvabi/event_channel.h>
#include <hvabi/vcpu.h>
#include "lib.h"

TEST_CATEGORY(functional);

#define MS 1000000ULL

static uint8_t ap_stack[16384] __attribute__((aligned(16)));
static struct vcpu_guest_context ctxt;
static volatile uint32_t ap_alive, ap_pings;
static uint32_t ap_port, bsp_port; /* IPI ports of vCPU 1 and 0 */
static volatile uint32_t ap_spin;
static volatile uint64_t ap_count;

void ap_main(void);
void ap_main(void)
{
	ap_alive = 1;
	for (;;) {
		uint32_t port = ap_port;
		struct sched_poll p = {.ports = HV_PTR(&port), .nr_ports = 1};

		while (ap_spin)
			ap_count++;
		if (!port_pending(ap_port)) {
			hv_sched_op(SCHEDOP_poll, &p);
			continue;
		}
		port_clear(ap_port);
		ap_pings++;
		evtchn_send_port(bsp_port);
	}
}

static bool wait_for(volatile uint32_t *flag, uint64_t ms)
{
	uint64_t deadline = pvclock_read() + ms * MS;

	while (!*flag && pvclock_read() < deadline) {
		struct sched_poll p = {.timeout = pvclock_read() + MS};

		hv_sched_op(SCHEDOP_poll, &p);
	}
	return *flag;
}

static void setup(void)
{
	if (!shared_info || events_init())
		error("no shared_info or event callback");
	events_disable();
	CHECK_RC(evtchn_bind_ipi_port(1, &ap_port), 0);
	CHECK_RC(evtchn_bind_ipi_port(0, &bsp_port), 0);
}

static void test_is_up(void)
{
	CHECK_RC(hv_vcpu_op(VCPUOP_is_up, 0, NULL), 1);
	CHECK_RC(hv_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
	CHECK_RC(hv_vcpu_op(VCPUOP_is_up, 2, NULL), -HV_ENOENT);
	CHECK_RC(hv_vcpu_op(VCPUOP_up, 1, NULL), -HV_EINVAL); /* no context */
}

static void fill_context(void)
{
	memset(&ctxt, 0, sizeof(ctxt));
	ctxt.flags = VGCF_in_kernel;
	ctxt.user_regs.rip = (uint64_t)(uintptr_t)ap_main;
	ctxt.user_regs.rsp =
	    (uint64_t)(uintptr_t)(ap_stack + sizeof(ap_stack)) - 8;
	ctxt.user_regs.cs = FLAT_KERNEL_CS;
	ctxt.user_regs.ss = FLAT_KERNEL_SS;
	ctxt.user_regs.rflags = 0x1000; /* as Linux: virtual IOPL 1 */
	ctxt.kernel_ss = FLAT_KERNEL_SS;
	ctxt.kernel_sp = ctxt.user_regs.rsp;
	ctxt.ctrlreg[3] = virt_to_mfn((void *)(uintptr_t)start_info->pt_base)
			  << 12;
}

static void test_initialise(void)
{
	fill_context();
	ctxt.user_regs.rip = BAD_PTR_NONCANON;
	CHECK_RC(hv_vcpu_op(VCPUOP_initialise, 1, &ctxt), -HV_EINVAL);
	fill_context();
	CHECK_RC(hv_vcpu_op(VCPUOP_initialise, 1, (void *)BAD_PTR_HOLE),
		 -HV_EFAULT);
	CHECK_RC(hv_vcpu_op(VCPUOP_initialise, 2, &ctxt), -HV_ENOENT);
	CHECK_RC(hv_vcpu_op(VCPUOP_initialise, 0, &ctxt), -HV_EEXIST);
	CHECK_RC(hv_vcpu_op(VCPUOP_initialise, 1, &ctxt), 0);
	CHECK_RC(hv_vcpu_op(VCPUOP_initialise, 1, &ctxt), -HV_EEXIST);
	CHECK_RC(hv_vcpu_op(VCPUOP_is_up, 1, NULL), 0); /* not yet */
}

static void test_up(void)
{
	CHECK_RC(hv_vcpu_op(VCPUOP_up, 1, NULL), 0);
	CHECK(wait_for(&ap_alive, 2000), "vCPU 1 never ran");
	CHECK_RC(hv_vcpu_op(VCPUOP_is_up, 1, NULL), 1);
}

static void test_ipi(void)
{
	unsigned int ok = 0;
	uint64_t t0 = pvclock_read();

	port_clear(bsp_port);
	for (unsigned int i = 0; i < 100; i++) {
		uint32_t port = bsp_port;
		uint64_t deadline = pvclock_read() + 1000 * MS;

		CHECK_RC(evtchn_send_port(ap_port), 0);
		while (!port_pending(bsp_port) && pvclock_read() < deadline) {
			struct sched_poll p = {.ports = HV_PTR(&port),
					       .nr_ports = 1,
					       .timeout = deadline};

			hv_sched_op(SCHEDOP_poll, &p);
		}
		ok += port_pending(bsp_port);
		port_clear(bsp_port);
	}
	CHECK_EQ(ok, 100);
	CHECK_EQ(ap_pings, 100);
	printk("vcpus: 100 IPI round trips in %lu us\n",
	       (pvclock_read() - t0) / 1000);
}

/*
 * vCPU 0 samples vCPU 1's counter for 50 ms without giving up its CPU.
 * Time-sliced on one physical CPU, vCPU 0 could see it move only after
 * being preempted (a few times at most); on two, it moves all the time.
 */
static void test_parallel(void)
{
	uint64_t t, last, changes = 0;

	ap_spin = 1;
	CHECK_RC(evtchn_send_port(ap_port), 0); /* out of its poll */
	for (t = pvclock_read() + 2000 * MS; !ap_count && pvclock_read() < t;)
		;
	CHECK(ap_count != 0, "vCPU 1 did not start counting");
	last = ap_count;
	for (t = pvclock_read() + 50 * MS; pvclock_read() < t;) {
		uint64_t c = ap_count;

		changes += c != last;
		last = c;
	}
	ap_spin = 0;
	CHECK(changes >= 1000, "vCPU 1's counter moved %lu times in 50 ms",
	      changes);
	printk("vcpus: vCPU 1's counter moved %lu times in 50 ms\n", changes);
}

static void test_runstate_other(void)
{
	struct vcpu_runstate_info r;

	CHECK_RC(hv_vcpu_op(VCPUOP_get_runstate_info, 1, &r), 0);
	CHECK(r.state != RUNSTATE_offline, "vCPU 1 state %u", r.state);
	CHECK(r.time[RUNSTATE_running] > 0, "vCPU 1 ran");
}

static void test_down_up(void)
{
	uint32_t before;

	CHECK_RC(hv_vcpu_op(VCPUOP_down, 1, NULL), 0);
	CHECK_RC(hv_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
	CHECK_RC(hv_vcpu_op(VCPUOP_up, 1, NULL), 0);
	CHECK_RC(hv_vcpu_op(VCPUOP_is_up, 1, NULL), 1);
	/* It carries on where it stopped. */
	before = ap_pings;
	port_clear(bsp_port);
	CHECK_RC(evtchn_send_port(ap_port), 0);
	for (uint64_t t = pvclock_read();
	     ap_pings == before && pvclock_read() < t + 2000 * MS;) {
		struct sched_poll p = {.timeout = pvclock_read() + MS};

		hv_sched_op(SCHEDOP_poll, &p);
	}
	CHECK_EQ(ap_pings, before + 1);
}

void test_main(void)
{
	run_case("setup", setup);
	run_case("is_up", test_is_up);
	run_case("initialise", test_initialise);
	run_case("up", test_up);
	run_case("ipi", test_ipi);
	run_case("parallel", test_parallel);
	run_case("runstate_other", test_runstate_other);
	run_case("down_up", test_down_up);
}
