// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's own PV console backend, for the boot-time domains.
 * They have no toolstack and so no xenconsoled to serve their console
 * ring (Xen's dom0less domains get a hypervisor-emulated UART for the
 * same reason); without one, Linux's hvc0 would have nowhere to go.
 *
 * The builder gives such a domain a console page (struct
 * xencons_interface, in its own memory) and a port whose far end is this
 * file (start_info.console.domU). A send on the port drains the output
 * ring to the serial line, each line prefixed with "(dN) "; serial input
 * typed while the domain has the input focus (console-io.c: three
 * Ctrl-A move it on) is put on the input ring and the port raised.
 *
 * The page is writable by the guest: each index is read once, their
 * distance is checked against the ring size before a byte is copied, and
 * only the backend's own index is written. A guest that corrupts its
 * ring loses its own output (reported once, then resynchronised); the
 * hypervisor's state never depends on what it reads there.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/mm.h>
#include <hv/string.h>
#include <hv/vsnprintf.h>
#include <hvabi/io/console.h>

#define MAX_VCONS 8

/* The domains with a console here, in creation order (boot only). */
static struct domain *vcons_domains[MAX_VCONS];

#define RING_IDX_MASK(ring, i) ((i) & (sizeof(ring) - 1))

int vcons_init(struct domain *d, mfn_t mfn)
{
	struct vcons *vc = &d->vcons;
	unsigned int slot;
	int port;

	for (slot = 0; slot < MAX_VCONS && vcons_domains[slot]; slot++)
		;
	if (slot == MAX_VCONS)
		return -ENOSPC;
	port = evtchn_alloc_xen(d, XEN_CONSUMER_CONSOLE);
	if (port < 0)
		return port;
	vc->intf = mfn_to_virt(mfn);
	memset(vc->intf, 0, PAGE_SIZE);
	vc->port = (evtchn_port_t)port;
	vc->line_start = true;
	vcons_domains[slot] = d;
	console_input_start();
	return 0;
}

/* Output bytes of @d as text lines with the domain's prefix. */
static void emit(struct vcons *vc, domid_t domid, const char *s, size_t n)
{
	char prefix[12];

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (vc->line_start) {
			int len = hv_snprintf(prefix, sizeof(prefix), "(d%u) ",
					      domid);

			console_write(prefix, (size_t)len);
			vc->line_start = false;
		}
		if (c == '\n')
			vc->line_start = true;
		else if (c == '\r')
			continue;	/* the serial line gets "\n" only */
		else if ((c < ' ' && c != '\t' && c != '\b') || c > '~')
			c = '.';
		console_write(&c, 1);
	}
}

static void report_corrupt(struct domain *d, const char *ring)
{
	if (!d->vcons.corrupt_reported)
		log_warn("d%u: console %s ring indexes corrupt: resynchronised",
			 d->domid, ring);
	d->vcons.corrupt_reported = true;
}

void vcons_notify(struct domain *d)
{
	struct vcons *vc = &d->vcons;
	struct xencons_interface *intf = vc->intf;
	xencons_ring_idx_t cons, prod;
	char buf[sizeof(intf->out)];
	size_t n = 0;

	if (!intf)
		return;
	cons = __atomic_load_n(&intf->out_cons, __ATOMIC_RELAXED);
	prod = __atomic_load_n(&intf->out_prod, __ATOMIC_ACQUIRE);
	if (prod - cons > sizeof(intf->out)) {
		report_corrupt(d, "output");
		cons = prod;
	}
	for (; cons != prod; cons++)
		buf[n++] = intf->out[RING_IDX_MASK(intf->out, cons)];
	__atomic_store_n(&intf->out_cons, cons, __ATOMIC_RELEASE);
	emit(vc, d->domid, buf, n);
	evtchn_raise_from_xen(d, vc->port, XEN_CONSUMER_CONSOLE);
}

size_t vcons_input(struct domain *d, const char *s, size_t n)
{
	struct xencons_interface *intf = d->vcons.intf;
	xencons_ring_idx_t cons, prod;
	size_t done = 0;

	if (!intf)
		return 0;
	cons = __atomic_load_n(&intf->in_cons, __ATOMIC_ACQUIRE);
	prod = __atomic_load_n(&intf->in_prod, __ATOMIC_RELAXED);
	if (prod - cons > sizeof(intf->in)) {
		report_corrupt(d, "input");
		prod = cons;
	}
	for (; done < n && prod - cons < sizeof(intf->in); done++)
		intf->in[RING_IDX_MASK(intf->in, prod++)] = s[done];
	__atomic_store_n(&intf->in_prod, prod, __ATOMIC_RELEASE);
	evtchn_raise_from_xen(d, d->vcons.port, XEN_CONSUMER_CONSOLE);
	return done;
}

void vcons_release(struct domain *d)
{
	for (unsigned int i = 0; i < MAX_VCONS; i++)
		if (vcons_domains[i] == d)
			vcons_domains[i] = NULL;
	d->vcons.intf = NULL;
	console_forget_domain(d);
}

struct domain *vcons_next_focus(const struct domain *cur)
{
	unsigned int i = 0;

	if (cur)
		while (i < MAX_VCONS && vcons_domains[i] != cur)
			i++;
	for (i = cur ? i + 1 : 0; i < MAX_VCONS; i++)
		if (vcons_domains[i] &&
		    vcons_domains[i]->state == DOMAIN_RUNNING)
			return vcons_domains[i];
	return NULL;	/* back to the hardware domain */
}
