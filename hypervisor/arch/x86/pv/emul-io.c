// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O from a PV guest (in/out with an immediate or %dx port; string
 * forms are not emulated). Guests run with IOPL 0, so every access traps
 * here as #GP(0). With enough virtual IOPL (physdev_op set_iopl: >= 1 in
 * guest kernel mode, 3 in user mode, as Xen), or when the vCPU's I/O
 * bitmap (physdev_op set_iobitmap, Linux's ioperm()) has every bit of the
 * accessed ports clear, the access is allowed:
 *   - the hardware domain's ports are accessed for real;
 *   - the hypervisor's own (PICs, PIT, COM1) and PCI configuration space
 *     (0xcf8-0xcff, hidden: dom0 sees no PCI devices) read as all-ones
 *     and ignore writes, as does every port for other domains.
 * cli and sti are accepted as no-ops under the same IOPL rule (as Xen:
 * the virtual interrupt flag is evtchn_upcall_mask, not EFLAGS.IF).
 * Without the IOPL the #GP goes to the guest.
 */
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>
#include <asm/pv.h>

/* Ports the hypervisor keeps for itself or hides from every guest. */
static bool port_is_hvs(unsigned int port)
{
	static const uint16_t ranges[][2] = {
		{ 0x20, 0x21 },   /* master PIC */
		{ 0x40, 0x43 },   /* PIT */
		{ 0xa0, 0xa1 },   /* slave PIC */
		{ 0x3f8, 0x3ff }, /* COM1: the hypervisor console */
		{ 0xcf8, 0xcff }, /* PCI configuration: hidden */
	};

	for (unsigned int i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (port >= ranges[i][0] && port <= ranges[i][1])
			return true;
	return false;
}

static bool io_allowed(const struct vcpu *v)
{
	return v->arch.iopl >= (v->arch.kernel_mode ? 1U : 3U);
}

/*
 * The guest's bitmap lives in its kernel's memory: from user mode it is
 * read under the kernel page tables. Bytes that cannot be read deny.
 */
static bool iobitmap_allows(const struct vcpu *v, unsigned int port,
			    unsigned int size)
{
	uint8_t bits[2] = { 0xff, 0xff };
	bool user = !v->arch.kernel_mode;
	unsigned int mask = ((1U << size) - 1) << (port & 7);

	if (port + size > v->arch.iobmp_limit)
		return false;
	if (user)
		write_cr3(mfn_x(v->arch.guest_table) << PAGE_SHIFT);
	for (unsigned int i = 0; i < 2; i++)
		if (copy_from_guest(&bits[i], v->arch.iobmp + (port >> 3) + i,
				    1))
			bits[i] = 0xff;
	if (user)
		write_cr3(mfn_x(v->arch.guest_table_user) << PAGE_SHIFT);
	return !((bits[0] | (unsigned int)bits[1] << 8) & mask);
}

static uint32_t port_read(const struct domain *d, unsigned int port,
			  unsigned int size)
{
	uint32_t v;

	if (!d->is_hardware_domain || port_is_hvs(port) ||
	    port + size > 0x10000)
		return ~0U;
	switch (size) {
	case 1: asm volatile("inb %w1, %b0" : "=a"(v) : "Nd"(port)); break;
	case 2: asm volatile("inw %w1, %w0" : "=a"(v) : "Nd"(port)); break;
	default: asm volatile("inl %w1, %0" : "=a"(v) : "Nd"(port)); break;
	}
	return v;
}

static void port_write(const struct domain *d, unsigned int port,
		       unsigned int size, uint32_t v)
{
	if (!d->is_hardware_domain || port_is_hvs(port) ||
	    port + size > 0x10000)
		return;
	switch (size) {
	case 1: asm volatile("outb %b0, %w1" ::"a"(v), "Nd"(port)); break;
	case 2: asm volatile("outw %w0, %w1" ::"a"(v), "Nd"(port)); break;
	default: asm volatile("outl %0, %w1" ::"a"(v), "Nd"(port)); break;
	}
}

bool pv_emulate_io(struct cpu_regs *r)
{
	struct vcpu *v = current;
	uint8_t b[4] = { 0 };
	unsigned int i = 0, size = 4, port, len;
	uint32_t val;
	uint8_t op;

	/* The instruction may end just before an unmapped page. */
	for (len = sizeof(b); len && copy_from_guest(b, r->rip, len); len--)
		;
	if (!len)
		return false;
	if (b[0] == 0x66) {
		size = 2;
		i = 1;
	}
	op = b[i];
	if (op == 0xfa || op == 0xfb) {	/* cli, sti */
		if (!io_allowed(v))
			return false;
		r->rip += i + 1;
		return true;
	}
	if ((op & 0xf4) != 0xe4)	/* E4-E7, EC-EF */
		return false;
	if (op & 0x08) {
		port = (uint16_t)r->rdx;
		len = i + 1;
	} else {
		port = b[i + 1];
		len = i + 2;
	}
	if (!(op & 1))
		size = 1;
	if (!io_allowed(v) && !iobitmap_allows(v, port, size))
		return false;
	if (op & 2) {
		port_write(v->domain, port, size, (uint32_t)r->rax);
	} else {
		val = port_read(v->domain, port, size);
		if (size == 4)
			r->rax = val;	/* 32-bit results zero-extend */
		else if (size == 2)
			r->rax = (r->rax & ~0xffffULL) | (val & 0xffff);
		else
			r->rax = (r->rax & ~0xffULL) | (val & 0xff);
	}
	r->rip += len;
	return true;
}
