// SPDX-License-Identifier: MIT
/*
 * Console output of the test kernels. The initial domain writes with
 * console_io(CONSOLEIO_write), which it may use on both hypervisors. An
 * unprivileged domain writes to its PV console ring (start_info's
 * console.domU page and port, served by xenconsoled on Xen and by the
 * hypervisor itself for our boot-time domains) and reads input from it.
 * printk formats into a bounded buffer; longer messages are truncated,
 * never split.
 */
#include <hvabi/io/console.h>
#include "lib.h"
#include "mm.h"

static struct xencons_interface *ring;	/* a domU's console, or NULL */

static struct xencons_interface *domu_ring(void)
{
	if (!ring && !(start_info->flags & SIF_INITDOMAIN) &&
	    start_info->console.domU.evtchn)
		ring = mfn_to_virt(start_info->console.domU.mfn);
	return ring;
}

/* Waits (polling the port) until the backend makes room. */
static void ring_wait(void)
{
	uint32_t port = start_info->console.domU.evtchn;
	struct sched_poll p = {.ports = HV_PTR(&port), .nr_ports = 1,
			       .timeout = pvclock_read() + 10000000ULL};

	hv_sched_op(SCHEDOP_poll, &p);
	port_clear(port);
}

static void ring_write(struct xencons_interface *r, const char *s,
		       size_t len)
{
	while (len) {
		xencons_ring_idx_t cons = __atomic_load_n(&r->out_cons,
							  __ATOMIC_ACQUIRE);
		xencons_ring_idx_t prod = r->out_prod;
		size_t n = 0;

		while (n < len && prod - cons < sizeof(r->out))
			r->out[prod++ & (sizeof(r->out) - 1)] = s[n++];
		__atomic_store_n(&r->out_prod, prod, __ATOMIC_RELEASE);
		evtchn_send_port(start_info->console.domU.evtchn);
		s += n;
		len -= n;
		if (len)
			ring_wait();
	}
}

size_t console_read_ring(char *buf, size_t size)
{
	struct xencons_interface *r = domu_ring();
	xencons_ring_idx_t cons, prod;
	size_t n = 0;

	if (!r)
		return 0;
	cons = r->in_cons;
	prod = __atomic_load_n(&r->in_prod, __ATOMIC_ACQUIRE);
	while (n < size && cons != prod)
		buf[n++] = r->in[cons++ & (sizeof(r->in) - 1)];
	__atomic_store_n(&r->in_cons, cons, __ATOMIC_RELEASE);
	return n;
}

void console_write(const char *s, size_t len)
{
	struct xencons_interface *r = domu_ring();

	if (r) {
		ring_write(r, s, len);
		return;
	}
	while (len) {
		size_t n = len > 1024 ? 1024 : len;

		if (hv_console_io(CONSOLEIO_write, n, s) < 0)
			return;		/* nothing better to do */
		s += n;
		len -= n;
	}
}

void printk(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	console_write(buf, (size_t)n);
}
