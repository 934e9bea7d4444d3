// SPDX-License-Identifier: GPL-2.0
/*
 * What the hypervisor prints when it cannot go on: the trap frame, the
 * control registers, a frame-pointer backtrace and the domain/vCPU it was
 * running, then it ends the machine with the panic status.
 */
#include <stdarg.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/shutdown.h>
#include <hv/vsnprintf.h>
#include <asm/cpu_info.h>
#include <asm/layout.h>
#include <asm/processor.h>
#include <asm/traps.h>

extern char _start[], _end[];

static bool in_image(uint64_t a)
{
	return a >= (uint64_t)_start && a < (uint64_t)_end;
}

void show_backtrace(uint64_t rip, uint64_t rbp)
{
	uint64_t stack_lo = (uint64_t)get_cpu_info() + sizeof(struct cpu_info) -
			    STACK_SIZE;
	uint64_t stack_hi = stack_lo + STACK_SIZE;

	log_err("backtrace (addr2line -e build/hypervisor.elf):");
	log_err("  [<%#llx>]", (unsigned long long)rip);
	for (unsigned int depth = 0; depth < 32; depth++) {
		const uint64_t *fp = (const uint64_t *)rbp;

		if (rbp < stack_lo || rbp + 16 > stack_hi || (rbp & 7))
			break;
		if (!in_image(fp[1]))
			break;
		log_err("  [<%#llx>]", (unsigned long long)fp[1]);
		rbp = fp[0];
	}
}

static void show_context(void)
{
	struct vcpu *v = current;

	if (v)
		log_err("running d%uv%u (%s mode)", v->domain->domid,
			v->vcpu_id, v->arch.kernel_mode ? "kernel" : "user");
	else
		log_err("running the hypervisor (no vCPU)");
}

void fatal_trap(const struct cpu_regs *r, const char *why)
{
	log_err("*** FATAL: %s: vector %u error %#x", why, r->entry_vector,
		r->error_code);
	log_err("rip %#018llx cs %#llx rflags %#llx rsp %#018llx ss %#llx",
		(unsigned long long)r->rip, (unsigned long long)r->cs,
		(unsigned long long)r->rflags, (unsigned long long)r->rsp,
		(unsigned long long)r->ss);
	log_err("rax %#018llx rbx %#018llx rcx %#018llx rdx %#018llx",
		(unsigned long long)r->rax, (unsigned long long)r->rbx,
		(unsigned long long)r->rcx, (unsigned long long)r->rdx);
	log_err("rsi %#018llx rdi %#018llx rbp %#018llx r8  %#018llx",
		(unsigned long long)r->rsi, (unsigned long long)r->rdi,
		(unsigned long long)r->rbp, (unsigned long long)r->r8);
	log_err("r9  %#018llx r10 %#018llx r11 %#018llx r12 %#018llx",
		(unsigned long long)r->r9, (unsigned long long)r->r10,
		(unsigned long long)r->r11, (unsigned long long)r->r12);
	log_err("r13 %#018llx r14 %#018llx r15 %#018llx",
		(unsigned long long)r->r13, (unsigned long long)r->r14,
		(unsigned long long)r->r15);
	log_err("cr0 %#llx cr2 %#llx cr3 %#llx cr4 %#llx",
		(unsigned long long)read_cr0(), (unsigned long long)read_cr2(),
		(unsigned long long)read_cr3(), (unsigned long long)read_cr4());
	show_context();
	if (!regs_from_guest(r))
		show_backtrace(r->rip, r->rbp);
	machine_exit(DEBUG_EXIT_PANIC);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	local_irq_disable();
	va_start(ap, fmt);
	console_write("\n", 1);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
	show_context();
	show_backtrace((uint64_t)__builtin_return_address(0),
		       (uint64_t)__builtin_frame_address(0));
	log_err("*** PANIC: halting the machine");
	machine_exit(DEBUG_EXIT_PANIC);
}

void machine_exit(uint8_t value)
{
	local_irq_disable();
	outb(DEBUG_EXIT_PORT, value);
	/* No isa-debug-exit device: stop here, never reboot. */
	for (;;)
		halt();
}
