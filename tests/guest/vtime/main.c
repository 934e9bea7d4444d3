// SPDX-License-Identifier: MIT
/*
 * vtime: time, timers and waiting on one vCPU. The pvclock record (valid
 * at boot, version protocol, monotonic), the wallclock, VIRQ_TIMER from
 * the singleshot timer, set_timer_op and the periodic timer, SCHEDOP_block
 * and SCHEDOP_poll wake-ups and timeouts, vcpu_op bad input,
 * register_vcpu_info (once, with the documented errors), the runstate
 * area and the watchdog. Times are the guest's own pvclock readings.
 */
#include <hvabi/event_channel.h>
#include <hvabi/vcpu.h>
#include "lib.h"

TEST_CATEGORY(functional);

#define MS 1000000ULL
#define NO_VCPU 77

static uint32_t timer_port;
static uint8_t vcpu_info_page[4096] __attribute__((aligned(4096)));
static struct vcpu_runstate_info runstate_area;

static void setup(void)
{
	if (!shared_info || events_init())
		error("no shared_info or event callback");
	CHECK_RC(hv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
	CHECK_RC(evtchn_bind_virq_port(VIRQ_TIMER, 0, &timer_port), 0);
}

static void test_pvclock(void)
{
	const volatile struct vcpu_time_info *t = &lib_vcpu_info->time;
	uint64_t khz;

	CHECK(!(t->version & 1), "version %u even", t->version);
	CHECK(t->tsc_to_system_mul != 0, "mul set");
	/* TSC frequency as Linux's pvclock_tsc_khz derives it. */
	khz = (1000000ULL << 32) / t->tsc_to_system_mul;
	if (t->tsc_shift < 0)
		khz <<= -t->tsc_shift;
	else
		khz >>= t->tsc_shift;
	CHECK(khz > 100000 && khz < 100000000, "tsc %lu kHz", khz);
}

static void test_monotonic(void)
{
	uint64_t prev = pvclock_read(), now, start = prev;

	for (unsigned int i = 0; i < 20000; i++) {
		now = pvclock_read();
		if (now < prev) {
			fail("pvclock went back: %lu then %lu", prev, now);
			return;
		}
		prev = now;
	}
	CHECK(prev > start, "time advanced");
}

static void test_wallclock(void)
{
	uint32_t v = shared_info->wc_version;

	CHECK(!(v & 1), "wc_version %u even", v);
	CHECK(shared_info->wc_sec > 1577836800U, "wc_sec %u after 2020",
	      shared_info->wc_sec);
	CHECK(shared_info->wc_nsec < 1000000000U, "wc_nsec %u",
	      shared_info->wc_nsec);
}

/* Waits with SCHEDOP_block until VIRQ_TIMER has come @n more times. */
static uint64_t block_for_timer(uint32_t seen)
{
	uint64_t deadline = pvclock_read() + 2000 * MS;

	while (event_count[timer_port] == seen && pvclock_read() < deadline) {
		events_disable();
		if (event_count[timer_port] != seen)
			break;
		CHECK_RC(hv_sched_op(SCHEDOP_block, NULL), 0);
	}
	events_disable();
	return pvclock_read();
}

static void test_singleshot(void)
{
	uint32_t seen = event_count[timer_port];
	uint64_t t0 = pvclock_read(), t1;
	struct vcpu_set_singleshot_timer st = {.timeout_abs_ns = t0 + 5 * MS};

	CHECK_RC(hv_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st), 0);
	t1 = block_for_timer(seen);
	CHECK_EQ(event_count[timer_port], seen + 1);
	CHECK(t1 >= t0 + 5 * MS, "woke after %lu ns, before the deadline",
	      t1 - t0);
	CHECK(t1 < t0 + 1000 * MS, "woke after %lu ns", t1 - t0);
	/* Block unmasked events for the delivery. */
	CHECK_EQ(lib_vcpu_info->evtchn_upcall_mask, 1);
}

static void test_singleshot_past(void)
{
	uint32_t seen = event_count[timer_port];
	struct vcpu_set_singleshot_timer st = {.timeout_abs_ns =
						   pvclock_read() - MS,
					       .flags = VCPU_SSHOTTMR_future};

	/* The "future" flag is ignored (Xen 4.17.3 on): it fires at once. */
	CHECK_RC(hv_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st), 0);
	block_for_timer(seen);
	CHECK_EQ(event_count[timer_port], seen + 1);
	st.flags = 0;
	CHECK_RC(hv_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st), 0);
	block_for_timer(seen + 1);
	CHECK_EQ(event_count[timer_port], seen + 2);
	CHECK_RC(hv_vcpu_op(VCPUOP_set_singleshot_timer, NO_VCPU, &st),
		 -HV_ENOENT);
	CHECK_RC(hv_vcpu_op(VCPUOP_set_singleshot_timer, 0, NULL), -HV_EFAULT);
	CHECK_RC(hv_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL), 0);
}

/* Polls the (masked) timer port until @until: 0 when nothing came. */
static long poll_port(uint32_t port, uint64_t until)
{
	struct sched_poll p = {
	    .ports = HV_PTR(&port), .nr_ports = 1, .timeout = until};

	return hv_sched_op(SCHEDOP_poll, &p);
}

static void test_timer_op(void)
{
	uint64_t t0 = pvclock_read(), t1;

	events_disable();
	port_clear(timer_port);
	CHECK_RC(hv_set_timer_op(t0 + 3 * MS), 0);
	CHECK_RC(poll_port(timer_port, t0 + 1000 * MS), 0);
	t1 = pvclock_read();
	CHECK(port_pending(timer_port), "timer port raised");
	CHECK(t1 >= t0 + 3 * MS && t1 < t0 + 900 * MS, "after %lu ns", t1 - t0);
	port_clear(timer_port);
	/* 0 cancels: a 10 ms poll then times out with nothing pending. */
	t0 = pvclock_read();
	CHECK_RC(hv_set_timer_op(t0 + 3 * MS), 0);
	CHECK_RC(hv_set_timer_op(0), 0);
	CHECK_RC(poll_port(timer_port, t0 + 10 * MS), 0);
	t1 = pvclock_read();
	CHECK(!port_pending(timer_port), "cancelled timer fired");
	CHECK(t1 >= t0 + 10 * MS, "poll timed out after %lu ns", t1 - t0);
	events_enable(); /* deliver what the polls left pending */
	events_disable();
}

/* A wrapped (negative) or > 2^50 ns away deadline fires in about 100 ms. */
static void test_timer_op_far(void)
{
	static const uint64_t far[2] = {1ULL << 63, 1ULL << 60};

	for (unsigned int i = 0; i < 2; i++) {
		uint64_t t0 = pvclock_read(), t1;

		events_disable();
		port_clear(timer_port);
		CHECK_RC(hv_set_timer_op(far[i]), 0);
		CHECK_RC(poll_port(timer_port, t0 + 2000 * MS), 0);
		t1 = pvclock_read();
		CHECK(port_pending(timer_port), "deadline %#lx never fired",
		      far[i]);
		CHECK(t1 - t0 >= 50 * MS && t1 - t0 < 1000 * MS,
		      "deadline %#lx fired after %lu ns", far[i], t1 - t0);
		port_clear(timer_port);
	}
	events_enable();
	events_disable();
}

static void test_periodic(void)
{
	struct vcpu_set_periodic_timer pt = {.period_ns = 5 * MS};
	uint32_t seen = event_count[timer_port], n;
	uint64_t t0;

	CHECK_RC(hv_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt), 0);
	events_enable();
	t0 = pvclock_read();
	while (pvclock_read() < t0 + 50 * MS)
		;
	events_disable();
	CHECK_RC(hv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
	n = event_count[timer_port] - seen;
	/* One at once, then one per period (interrupt latency stretches it). */
	CHECK(n >= 5 && n <= 11, "%u ticks of 5 ms in 50 ms", n);
	seen = event_count[timer_port];
	events_enable();
	t0 = pvclock_read();
	while (pvclock_read() < t0 + 10 * MS)
		;
	events_disable();
	CHECK_EQ(event_count[timer_port], seen);
	pt.period_ns = MS - 1;
	CHECK_RC(hv_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt), -HV_EINVAL);
	pt.period_ns = 1ULL << 63;
	CHECK_RC(hv_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt), -HV_EINVAL);
}

static void test_poll(void)
{
	uint32_t ipi = 0, ports[2];
	struct sched_poll p = {.ports = HV_PTR(ports), .nr_ports = 2};
	uint64_t t0;

	events_disable();
	CHECK_RC(evtchn_bind_ipi_port(0, &ipi), 0);
	port_mask(ipi, true);
	CHECK_RC(evtchn_send_port(ipi), 0);
	ports[0] = timer_port;
	ports[1] = ipi;
	/* A pending (even masked) port: at once. */
	t0 = pvclock_read();
	CHECK_RC(hv_sched_op(SCHEDOP_poll, &p), 0);
	CHECK(pvclock_read() - t0 < 100 * MS, "poll returned at once");
	port_clear(ipi);
	/* Nothing pending: the timeout ends it. */
	p.timeout = pvclock_read() + 5 * MS;
	CHECK_RC(hv_sched_op(SCHEDOP_poll, &p), 0);
	CHECK(pvclock_read() >= p.timeout, "woke before the timeout");
	ports[1] = 4096;
	CHECK_RC(hv_sched_op(SCHEDOP_poll, &p), -HV_EINVAL);
	p.nr_ports = 129;
	CHECK_RC(hv_sched_op(SCHEDOP_poll, &p), -HV_EINVAL);
	p.nr_ports = 1;
	p.ports = BAD_PTR_HOLE;
	CHECK_RC(hv_sched_op(SCHEDOP_poll, &p), -HV_EFAULT);
	CHECK_RC(hv_sched_op(SCHEDOP_poll, NULL), -HV_EFAULT);
	port_mask(ipi, false);
	CHECK_RC(evtchn_close_port(ipi), 0);
	events_enable(); /* deliver what the polls left pending */
	events_disable();
}

static void test_vcpu_op_bad(void)
{
	CHECK_RC(hv_vcpu_op(VCPUOP_is_up, 0, NULL), 1);
	CHECK_RC(hv_vcpu_op(VCPUOP_is_up, NO_VCPU, NULL), -HV_ENOENT);
	CHECK_RC(hv_vcpu_op(VCPUOP_is_up, 0xffffffffU, NULL), -HV_ENOENT);
	CHECK_RC(hv_vcpu_op(VCPUOP_up, NO_VCPU, NULL), -HV_ENOENT);
	CHECK_RC(hv_vcpu_op(99, 0, NULL), -HV_ENOSYS);
	CHECK_RC(hv_vcpu_op(VCPUOP_get_runstate_info, 0, (void *)BAD_PTR_HOLE),
		 -HV_EFAULT);
	CHECK_RC(hv_vcpu_op(VCPUOP_register_vcpu_info, 0, NULL), -HV_EFAULT);
}

static void test_runstate(void)
{
	struct vcpu_register_runstate_memory_area a = {
	    .addr = HV_PTR(&runstate_area)};
	struct vcpu_runstate_info r1, r2;
	uint32_t seen;

	CHECK_RC(hv_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a), 0);
	CHECK_RC(hv_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a), 0);
	CHECK_EQ(runstate_area.state, RUNSTATE_running);
	CHECK_RC(hv_vcpu_op(VCPUOP_get_runstate_info, 0, &r1), 0);
	CHECK_EQ(r1.state, RUNSTATE_running);
	CHECK(r1.time[RUNSTATE_running] > 0, "running time accounted");
	seen = event_count[timer_port];
	CHECK_RC(hv_set_timer_op(pvclock_read() + 10 * MS), 0);
	block_for_timer(seen);
	CHECK_RC(hv_vcpu_op(VCPUOP_get_runstate_info, 0, &r2), 0);
	CHECK(r2.time[RUNSTATE_blocked] >= r1.time[RUNSTATE_blocked] + 5 * MS,
	      "blocked time grew by %lu ns",
	      r2.time[RUNSTATE_blocked] - r1.time[RUNSTATE_blocked]);
	a.addr = 0; /* unregister before the area is reused */
	CHECK_RC(hv_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a), 0);
}

static void test_vcpu_info(void)
{
	struct vcpu_register_vcpu_info r = {.mfn = virt_to_mfn(vcpu_info_page)};
	struct vcpu_info *vi;
	uint32_t ipi = 0, seen;

	r.offset = 4096 - 32;
	CHECK_RC(hv_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -HV_ENXIO);
	r.offset = 4;
	CHECK_RC(hv_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -HV_ENXIO);
	r.offset = 128;
	r.mfn = virt_to_mfn(vcpu_info_page) ^ (1ULL << 40); /* not ours */
	CHECK_RC(hv_vcpu_op(VCPUOP_register_vcpu_info, NO_VCPU, &r),
		 -HV_ENOENT);
	CHECK_RC(hv_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -HV_EINVAL);
	r.mfn = virt_to_mfn(vcpu_info_page);
	events_disable();
	CHECK_RC(hv_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), 0);
	vi = (struct vcpu_info *)(vcpu_info_page + 128);
	/* Everything is marked pending, the mask and time carried over. */
	CHECK_EQ(vi->evtchn_upcall_mask, 1);
	CHECK_EQ(vi->evtchn_upcall_pending, 1);
	CHECK_EQ(vi->evtchn_pending_sel, ~0ULL);
	CHECK(vi->time.tsc_to_system_mul != 0 && !(vi->time.version & 1),
	      "time info in the new place");
	lib_vcpu_info = vi;
	events_enable(); /* takes the spurious upcall */
	CHECK_EQ(vi->evtchn_upcall_pending, 0);
	CHECK_RC(hv_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -HV_EINVAL);
	/* Events and time keep working through the new vcpu_info. */
	CHECK_RC(evtchn_bind_ipi_port(0, &ipi), 0);
	seen = event_count[ipi];
	CHECK_RC(evtchn_send_port(ipi), 0);
	CHECK_EQ(event_count[ipi], seen + 1);
	events_disable();
	CHECK_RC(evtchn_close_port(ipi), 0);
	seen = event_count[timer_port];
	CHECK_RC(hv_set_timer_op(pvclock_read() + 2 * MS), 0);
	block_for_timer(seen);
	CHECK_EQ(event_count[timer_port], seen + 1);
}

static void test_watchdog(void)
{
	struct sched_watchdog w = {.id = 0, .timeout = 1000};
	long id = hv_sched_op(SCHEDOP_watchdog, &w);

	CHECK(id >= 1, "watchdog id %ld", id);
	w.id = (uint32_t)id;
	w.timeout = 2000;
	CHECK_RC(hv_sched_op(SCHEDOP_watchdog, &w), 0); /* re-arm */
	w.timeout = 0;
	CHECK_RC(hv_sched_op(SCHEDOP_watchdog, &w), 0); /* destroy */
	CHECK_RC(hv_sched_op(SCHEDOP_watchdog, &w), -HV_EINVAL);
	w.id = 1000;
	CHECK_RC(hv_sched_op(SCHEDOP_watchdog, &w), -HV_EINVAL);
	CHECK_RC(hv_sched_op(SCHEDOP_watchdog, NULL), -HV_EFAULT);
}

void test_main(void)
{
	run_case("setup", setup);
	run_case("pvclock", test_pvclock);
	run_case("monotonic", test_monotonic);
	run_case("wallclock", test_wallclock);
	run_case("singleshot", test_singleshot);
	run_case("singleshot_past", test_singleshot_past);
	run_case("timer_op", test_timer_op);
	run_case("timer_op_far", test_timer_op_far);
	run_case("periodic", test_periodic);
	run_case("poll", test_poll);
	run_case("vcpu_op_bad", test_vcpu_op_bad);
	run_case("runstate", test_runstate);
	run_case("vcpu_info", test_vcpu_info);
	run_case("watchdog", test_watchdog);
}
