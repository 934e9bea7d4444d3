// SPDX-License-Identifier: MIT
/*
 * vcons: runs as a boot-time domU (our hypervisor's "domu=" option, with
 * tests/guest/hostwait as dom0) and checks the console the hypervisor
 * serves for it: everything this kernel prints goes through that ring,
 * so the TEST lines reaching the log are themselves the output check.
 * Also: the port's status, a write much longer than the ring, serial
 * input after three Ctrl-A moved the focus here, and corrupt indexes
 * written by the guest (the hypervisor resynchronises, the guest alone
 * loses bytes). OURS ONLY.
 */
#include <hvabi/event_channel.h>
#include <hvabi/io/console.h>
#include "lib.h"
#include "mm.h"

TEST_CATEGORY(functional);

#define MS 1000000ULL

static struct xencons_interface *ring;
static uint32_t port;

static void wait_port(uint64_t ns)
{
	struct sched_poll p = {.ports = HV_PTR(&port), .nr_ports = 1,
			       .timeout = pvclock_read() + ns};

	hv_sched_op(SCHEDOP_poll, &p);
	port_clear(port);
}

/* The backend has consumed everything written so far. */
static bool drained(void)
{
	for (int i = 0; i < 100; i++) {
		if (__atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE) ==
		    ring->out_prod)
			return true;
		wait_port(MS);
	}
	return false;
}

static void test_setup(void)
{
	struct evtchn_status s = {.dom = DOMID_SELF};

	CHECK(!(start_info->flags & SIF_INITDOMAIN), "runs as a domU");
	port = start_info->console.domU.evtchn;
	CHECK(port != 0, "start_info has a console port");
	ring = mfn_to_virt(start_info->console.domU.mfn);
	CHECK(ring != NULL, "the console page is ours");
	s.port = port;
	CHECK_RC(hv_event_channel_op(EVTCHNOP_status, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_interdomain);
	CHECK_EQ(s.u.interdomain.dom, DOMID_XEN);
}

static void test_long_write(void)
{
	static char text[3 * sizeof(ring->out)];

	/* 96 lines of 63 'x' and a newline: three times the ring. */
	memset(text, 'x', sizeof(text));
	for (size_t i = 63; i < sizeof(text); i += 64)
		text[i] = '\n';
	console_write(text, sizeof(text));
	CHECK(drained(), "the backend drained %zu bytes", sizeof(text));
}

/*
 * Input after a corrupt backend index: the guest wrote in_prod (the
 * backend's) far ahead; the backend must resynchronise and still deliver
 * what the runner types ("^A^A^Aping\n": the focus switch, then ping).
 */
static void test_input(void)
{
	char buf[64];
	size_t n = 0;

	uint32_t bad = ring->in_cons + 5000;

	__atomic_store_n(&ring->in_prod, bad, __ATOMIC_RELEASE);
	printk("WAITING FOR INPUT\n");
	/* Read only once the backend has rewritten its index. */
	for (int i = 0; i < 500 && (!n || buf[n - 1] != '\n'); i++) {
		wait_port(10 * MS);
		if (__atomic_load_n(&ring->in_prod, __ATOMIC_ACQUIRE) != bad)
			n += console_read_ring(buf + n, sizeof(buf) - 1 - n);
	}
	buf[n] = '\0';
	CHECK(!strcmp(buf, "ping\n"), "input '%s', want 'ping'", buf);
}

static void test_corrupt_output(void)
{
	/* A producer far ahead of the consumer: the backend resyncs. */
	__atomic_store_n(&ring->out_prod, ring->out_cons + 100000,
			 __ATOMIC_RELEASE);
	CHECK_RC(evtchn_send_port(port), 0);
	CHECK(drained(), "the backend resynchronised its consumer");
	printk("vcons: output works after the resync\n");
	CHECK(drained(), "and still drains");
}

void test_main(void)
{
	if (!shared_info || events_init())
		error("no shared_info or event callback");
	events_disable();
	run_case("setup", test_setup);
	run_case("long_write", test_long_write);
	run_case("input", test_input);
	run_case("corrupt_output", test_corrupt_output);
}
