// SPDX-License-Identifier: MIT
/*
 * events: 2-level event channels on one vCPU. Delivery and masking in
 * every order (send to self, send while the port or the upcall is masked,
 * unmask by hypercall, by xen_version(0) and by an iret that re-enables
 * events), every op's result and status, a domain binding to itself,
 * port exhaustion and reset, each bad input's error, and VCPUOP_send_nmi.
 */
#include <hvabi/event_channel.h>
#include <hvabi/vcpu.h>
#include "lib.h"

TEST_CATEGORY(functional);

#define X86_EFLAGS_IF (1UL << 9)
#define NO_DOMAIN 0x7fe0 /* no domain has this id */

static long evtop(unsigned int cmd, void *arg)
{
	return hv_event_channel_op(cmd, arg);
}

static uint32_t new_ipi(void)
{
	uint32_t port = 0;

	if (evtchn_bind_ipi_port(0, &port))
		error("bind_ipi failed");
	return port;
}

static void setup(void)
{
	if (!shared_info || events_init())
		error("no shared_info or event callback");
}

static void test_send_self(void)
{
	uint32_t port = new_ipi();
	uint64_t before = upcall_count;
	uint32_t seen = event_count[port];

	events_enable();
	CHECK_RC(evtchn_send_port(port), 0);
	/* Delivered on the way out of the send hypercall. */
	CHECK_EQ(upcall_count, before + 1);
	CHECK_EQ(event_count[port], seen + 1);
	CHECK(!port_pending(port), "handler cleared the port");
	CHECK_EQ(lib_vcpu_info->evtchn_upcall_mask, 0);
	events_disable();
	CHECK_RC(evtchn_close_port(port), 0);
}

static void test_port_masked(void)
{
	uint32_t port = new_ipi();
	struct evtchn_unmask u = {.port = port};
	uint64_t before = upcall_count;
	uint32_t seen = event_count[port];

	events_enable();
	port_mask(port, true);
	CHECK_RC(evtchn_send_port(port), 0);
	CHECK_EQ(upcall_count, before);
	CHECK(port_pending(port), "masked port pending");
	CHECK_EQ(lib_vcpu_info->evtchn_upcall_pending, 0);
	/* A second send of a pending port changes nothing. */
	CHECK_RC(evtchn_send_port(port), 0);
	CHECK_RC(evtop(EVTCHNOP_unmask, &u), 0);
	CHECK_EQ(upcall_count, before + 1);
	CHECK_EQ(event_count[port], seen + 1);
	events_disable();
	CHECK_RC(evtchn_close_port(port), 0);
}

static void test_upcall_masked(void)
{
	uint32_t port = new_ipi();
	uint64_t before = upcall_count;
	uint32_t seen = event_count[port];

	events_disable();
	CHECK_RC(evtchn_send_port(port), 0);
	CHECK_EQ(upcall_count, before);
	CHECK_EQ(lib_vcpu_info->evtchn_upcall_pending, 1);
	CHECK(lib_vcpu_info->evtchn_pending_sel & (1ULL << (port / 64)),
	      "selector bit set");
	/* Unmask by hand, then the xen_version(0) "check events" idiom. */
	lib_vcpu_info->evtchn_upcall_mask = 0;
	CHECK_EQ(upcall_count, before);
	hv_xen_version(0, NULL);
	CHECK_EQ(upcall_count, before + 1);
	CHECK_EQ(event_count[port], seen + 1);
	events_disable();
	CHECK_RC(evtchn_close_port(port), 0);
}

/* An iret hypercall back to the next instruction with IF set. */
static void iret_enable_events(void)
{
	asm volatile("mov %%rsp, %%rax\n\t"
		     "push $0xe02b\n\t" /* ss */
		     "push %%rax\n\t"	/* rsp */
		     "pushfq\n\t"
		     "orq $0x200, (%%rsp)\n\t" /* rflags.IF */
		     "push $0xe030\n\t"	       /* cs, RPL 0: kernel */
		     "lea 1f(%%rip), %%rax\n\t"
		     "push %%rax\n\t" /* rip */
		     "push $0\n\t"    /* flags */
		     "push %%rcx\n\t"
		     "push %%r11\n\t"
		     "push $0\n\t" /* rax */
		     "mov $23, %%eax\n\t"
		     "syscall\n"
		     "1:"
		     :
		     :
		     : "rax", "rcx", "r11", "memory");
}

static void test_iret_unmask(void)
{
	uint32_t port = new_ipi();
	uint64_t before = upcall_count;
	uint32_t seen = event_count[port];

	events_disable();
	CHECK_RC(evtchn_send_port(port), 0);
	CHECK_EQ(upcall_count, before);
	iret_enable_events();
	CHECK_EQ(upcall_count, before + 1);
	CHECK_EQ(event_count[port], seen + 1);
	CHECK_EQ(lib_vcpu_info->evtchn_upcall_mask, 0);
	events_disable();
	CHECK_RC(evtchn_close_port(port), 0);
}

static long status_of(uint32_t port, struct evtchn_status *s)
{
	*s = (struct evtchn_status){.dom = DOMID_SELF, .port = port};
	return evtop(EVTCHNOP_status, s);
}

static void test_status(void)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF,
					 .remote_dom = DOMID_SELF};
	struct evtchn_status s;
	uint32_t ipi = new_ipi(), virq = 0;

	CHECK_RC(status_of(ipi, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_ipi);
	CHECK_EQ(s.vcpu, 0);
	CHECK_RC(evtchn_bind_virq_port(VIRQ_DEBUG, 0, &virq), 0);
	CHECK_RC(status_of(virq, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_virq);
	CHECK_EQ(s.u.virq, VIRQ_DEBUG);
	CHECK_RC(evtop(EVTCHNOP_alloc_unbound, &a), 0);
	CHECK_RC(status_of(a.port, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_unbound);
	CHECK_EQ(s.u.unbound.dom, start_info->flags & SIF_PRIVILEGED ? 0 : 0);
	CHECK_RC(evtchn_close_port(a.port), 0);
	CHECK_RC(status_of(a.port, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_closed);
	CHECK_RC(status_of(0, &s), 0); /* port 0 is reserved */
	CHECK_EQ(s.status, EVTCHNSTAT_closed);
	CHECK_RC(evtchn_close_port(ipi), 0);
	CHECK_RC(evtchn_close_port(virq), 0);
}

static void test_loopback(void)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF,
					 .remote_dom = DOMID_SELF};
	struct evtchn_bind_interdomain b = {.remote_dom = DOMID_SELF};
	struct evtchn_status s;

	events_disable();
	CHECK_RC(evtop(EVTCHNOP_alloc_unbound, &a), 0);
	CHECK_RC(evtchn_send_port(a.port), 0); /* unbound: dropped */
	CHECK(!port_pending(a.port), "send on unbound port dropped");
	b.remote_port = a.port;
	CHECK_RC(evtop(EVTCHNOP_bind_interdomain, &b), 0);
	CHECK(b.local_port != a.port, "a new local port");
	CHECK(port_pending(b.local_port), "new port raised once on bind");
	port_clear(b.local_port);
	CHECK_RC(status_of(b.local_port, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_interdomain);
	CHECK_EQ(s.u.interdomain.port, a.port);
	CHECK_RC(status_of(a.port, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_interdomain);
	CHECK_EQ(s.u.interdomain.port, b.local_port);
	CHECK_RC(evtchn_send_port(b.local_port), 0);
	CHECK(port_pending(a.port) && !port_pending(b.local_port),
	      "send reaches the other end");
	port_clear(a.port);
	CHECK_RC(evtchn_send_port(a.port), 0);
	CHECK(port_pending(b.local_port), "and back");
	port_clear(b.local_port);
	/* Binding an already bound port fails. */
	CHECK_RC(evtop(EVTCHNOP_bind_interdomain, &b), -HV_EINVAL);
	/* Closing one end leaves the other unbound. */
	CHECK_RC(evtchn_close_port(b.local_port), 0);
	CHECK_RC(status_of(a.port, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_unbound);
	CHECK_RC(evtchn_close_port(a.port), 0);
	events_enable(); /* deliver what the test left pending */
	events_disable();
}

static void test_bad_ports(void)
{
	static const uint32_t bad[] = {4096, 5000, 100000, 0xffffffffU};
	struct evtchn_status s;
	struct evtchn_unmask u;
	struct evtchn_bind_vcpu bv;

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		u.port = bad[i];
		bv = (struct evtchn_bind_vcpu){.port = bad[i], .vcpu = 0};
		CHECK_RC(evtchn_send_port(bad[i]), -HV_EINVAL);
		CHECK_RC(evtchn_close_port(bad[i]), -HV_EINVAL);
		CHECK_RC(evtop(EVTCHNOP_unmask, &u), -HV_EINVAL);
		CHECK_RC(status_of(bad[i], &s), -HV_EINVAL);
		CHECK_RC(evtop(EVTCHNOP_bind_vcpu, &bv), -HV_EINVAL);
	}
	CHECK_RC(evtchn_close_port(0), -HV_EINVAL);
	CHECK_RC(evtchn_send_port(0), -HV_EINVAL);
}

static void test_bad_args(void)
{
	struct evtchn_alloc_unbound a = {.dom = NO_DOMAIN,
					 .remote_dom = DOMID_SELF};
	struct evtchn_bind_interdomain b = {.remote_dom = NO_DOMAIN};
	struct evtchn_status s = {.dom = NO_DOMAIN, .port = 1};
	struct evtchn_set_priority p = {.port = 4096};
	uint32_t port = 0, ipi = new_ipi();

	CHECK_RC(evtop(EVTCHNOP_alloc_unbound, &a), -HV_ESRCH);
	CHECK_RC(evtop(EVTCHNOP_bind_interdomain, &b), -HV_ESRCH);
	CHECK_RC(evtop(EVTCHNOP_status, &s), -HV_ESRCH);
	/* A port that is not unbound cannot be bound to. */
	b = (struct evtchn_bind_interdomain){.remote_dom = DOMID_SELF,
					     .remote_port = ipi};
	CHECK_RC(evtop(EVTCHNOP_bind_interdomain, &b), -HV_EINVAL);
	b.remote_port = 4096;
	CHECK_RC(evtop(EVTCHNOP_bind_interdomain, &b), -HV_EINVAL);
	CHECK_RC(evtchn_bind_virq_port(NR_VIRQS, 0, &port), -HV_EINVAL);
	CHECK_RC(evtchn_bind_virq_port(0xffffffffU, 0, &port), -HV_EINVAL);
	CHECK_RC(evtchn_bind_virq_port(VIRQ_DOM_EXC, 1, &port), -HV_EINVAL);
	CHECK_RC(evtchn_bind_virq_port(VIRQ_TIMER, 77, &port), -HV_ENOENT);
	CHECK_RC(evtchn_bind_ipi_port(77, &port), -HV_ENOENT);
	CHECK_RC(evtchn_bind_virq_port(VIRQ_XENOPROF, 0, &port), 0);
	CHECK_RC(evtchn_bind_virq_port(VIRQ_XENOPROF, 0, &port), -HV_EEXIST);
	CHECK_RC(evtchn_close_port(port), 0);
	CHECK_RC(evtchn_close_port(port), -HV_EINVAL); /* twice */
	CHECK_RC(evtop(EVTCHNOP_bind_vcpu,
		       &(struct evtchn_bind_vcpu){.port = ipi, .vcpu = 77}),
		 -HV_ENOENT);
	CHECK_RC(evtop(EVTCHNOP_bind_vcpu,
		       &(struct evtchn_bind_vcpu){.port = ipi, .vcpu = 0}),
		 -HV_EINVAL); /* IPIs stay on their vCPU */
	CHECK_RC(evtop(EVTCHNOP_set_priority, &p), -HV_EINVAL);
	p.port = ipi;
	CHECK_RC(evtop(EVTCHNOP_set_priority, &p), -HV_ENOSYS);
	CHECK_RC(evtop(99, &port), -HV_ENOSYS);
	CHECK_RC(evtop(EVTCHNOP_send, NULL), -HV_EFAULT);
	CHECK_RC(evtop(EVTCHNOP_status, (void *)BAD_PTR_HOLE), -HV_EFAULT);
	CHECK_RC(evtop(EVTCHNOP_alloc_unbound, (void *)BAD_PTR_NONCANON),
		 -HV_EFAULT);
	CHECK_RC(evtop(EVTCHNOP_bind_virq, (void *)BAD_PTR_UNMAPPED),
		 -HV_EFAULT);
	CHECK_RC(evtchn_close_port(ipi), 0);
}

/* Allocate every port, then EVTCHNOP_reset closes them all. */
static void test_exhaust_reset(void)
{
	struct evtchn_alloc_unbound a;
	struct evtchn_reset r = {.dom = DOMID_SELF};
	struct evtchn_status s;
	uint32_t last = 0, n = 0;
	long rc;

	for (;;) {
		a = (struct evtchn_alloc_unbound){.dom = DOMID_SELF,
						  .remote_dom = DOMID_SELF};
		rc = evtop(EVTCHNOP_alloc_unbound, &a);
		if (rc)
			break;
		last = a.port;
		if (++n > 5000)
			break;
	}
	CHECK_RC(rc, -HV_ENOSPC);
	CHECK_EQ(last, EVTCHN_2L_NR_CHANNELS - 1);
	CHECK_RC(evtop(EVTCHNOP_reset, &r), 0);
	CHECK_RC(status_of(last, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_closed);
	CHECK_RC(status_of(1, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_closed);
	r.dom = NO_DOMAIN;
	CHECK_RC(evtop(EVTCHNOP_reset, &r), -HV_ESRCH);
	/* Ports are handed out lowest first again. */
	a = (struct evtchn_alloc_unbound){.dom = DOMID_SELF,
					  .remote_dom = DOMID_SELF};
	CHECK_RC(evtop(EVTCHNOP_alloc_unbound, &a), 0);
	CHECK_EQ(a.port, 1);
	CHECK_RC(evtchn_close_port(a.port), 0);
}

/* VCPUOP_send_nmi to ourselves: vector 2 of the trap table, on return. */
static void test_nmi(void)
{
	long rc;

	if (traps_init())
		error("set_trap_table failed");
	trap_clear();
	asm volatile("syscall\n1:\n\t" ASM_EXTABLE(1b, 1b)
		     : "=a"(rc)
		     : "a"(HC_NR_vcpu_op), "D"(VCPUOP_send_nmi), "S"(0), "d"(0)
		     : "rcx", "r11", "r8", "r9", "r10", "memory");
	CHECK_RC(rc, 0);
	CHECK_EQ(last_trap.count, 1);
	CHECK_EQ(last_trap.vector, 2);
	CHECK_RC(hv_vcpu_op(VCPUOP_send_nmi, 0, (void *)0x1000), -HV_EINVAL);
	CHECK_RC(hv_vcpu_op(VCPUOP_send_nmi, 77, NULL), -HV_ENOENT);
	CHECK_EQ(last_trap.count, 1);
}

void test_main(void)
{
	run_case("setup", setup);
	run_case("send_self", test_send_self);
	run_case("port_masked", test_port_masked);
	run_case("upcall_masked", test_upcall_masked);
	run_case("iret_unmask", test_iret_unmask);
	run_case("status", test_status);
	run_case("loopback", test_loopback);
	run_case("bad_ports", test_bad_ports);
	run_case("bad_args", test_bad_args);
	run_case("exhaust_reset", test_exhaust_reset);
	run_case("nmi", test_nmi);
}
