// SPDX-License-Identifier: MIT
/*
 * Exception capture: installs the trap table, records every bounce frame
 * in last_trap and decides how to resume (exception table fixup, end of
 * user mode, or abort of the current test case). The entry stubs and the
 * iret return path are in entry.S.
 */
#include "lib.h"
#include "private.h"

#define X86_EFLAGS_TF (1UL << 8)
#define EC_FLAG 0x100

/* The stack trap_common builds, lowest address first. */
struct trap_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;	/* | EC_FLAG when the hypervisor pushed one */
	uint64_t f_rcx, f_r11, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

struct stub_entry {
	uint64_t vector;
	uint64_t address;
};

struct extable_entry {
	uint64_t from;
	uint64_t to;
};

extern const struct stub_entry trap_stub_list[];
extern const struct extable_entry _ex_table_start[], _ex_table_end[];
extern char user_fault_return[];

struct trap_record last_trap;
static struct trap_info trap_table[40];

bool vector_has_error_code(unsigned int vector)
{
	switch (vector) {
	case 8: case 10: case 11: case 12: case 13: case 14: case 17:
	case 21: case 29: case 30:
		return true;
	default:
		return false;
	}
}

static uint8_t trap_dpl(uint64_t vector)
{
	/* int3, int $4, int $5 and int $0x80 may be used as instructions. */
	return (vector == 3 || vector == 4 || vector == 5 || vector == 0x80) ?
		3 : 0;
}

long traps_init(void)
{
	unsigned int i;

	for (i = 0; trap_stub_list[i].vector != (uint64_t)-1; i++) {
		trap_table[i].vector = (uint8_t)trap_stub_list[i].vector;
		trap_table[i].flags = trap_dpl(trap_stub_list[i].vector);
		trap_table[i].cs = FLAT_KERNEL_CS;
		trap_table[i].address = trap_stub_list[i].address;
	}
	trap_table[i].address = 0;	/* terminator */
	return hv_set_trap_table(trap_table);
}

long trap_set_flags(unsigned int vector, uint8_t flags)
{
	struct trap_info one[2];
	unsigned int i;

	memset(one, 0, sizeof(one));
	for (i = 0; trap_table[i].address; i++) {
		if (trap_table[i].vector != vector)
			continue;
		one[0] = trap_table[i];
		one[0].flags = flags;
		/* Only the listed vector changes. */
		return hv_set_trap_table(one);
	}
	return -HV_EINVAL;
}

void trap_clear(void)
{
	memset(&last_trap, 0, sizeof(last_trap));
}

static void record(const struct trap_regs *r)
{
	bool had_ec = r->vector & EC_FLAG;

	last_trap.vector = r->vector & 0xff;
	last_trap.error_code = r->error_code;
	last_trap.frame_addr = (uint64_t)(uintptr_t)&r->f_rcx +
			       (had_ec ? 0 : 8);
	last_trap.rcx = r->f_rcx;
	last_trap.r11 = r->f_r11;
	last_trap.rip = r->rip;
	last_trap.cs = r->cs;
	last_trap.rflags = r->rflags;
	last_trap.rsp = r->rsp;
	last_trap.ss = r->ss;
	last_trap.r12 = r->r12;
	last_trap.r13 = r->r13;
	last_trap.r14 = r->r14;
	last_trap.r15 = r->r15;
	last_trap.count++;
	last_trap.upcall_mask = shared_info ?
		shared_info->vcpu_info[0].evtchn_upcall_mask : ~0UL;
}

static bool extable_fixup(struct trap_regs *r)
{
	const struct extable_entry *e;

	for (e = _ex_table_start; e < _ex_table_end; e++) {
		if (e->from == r->rip) {
			r->rip = e->to;
			return true;
		}
	}
	return false;
}

/* Resume in guest-kernel mode at rip on stack rsp, events masked. */
static void resume_kernel_at(struct trap_regs *r, uint64_t rip, uint64_t rsp)
{
	r->rip = rip;
	r->cs = FLAT_KERNEL_CS & ~3U;	/* RPL 0: stay in kernel mode */
	r->ss = FLAT_KERNEL_SS;
	r->rsp = rsp;
	r->rflags = 0x2;
}

void trap_dispatch(struct trap_regs *r);
void trap_dispatch(struct trap_regs *r)
{
	uint64_t vec = r->vector & 0xff;

	record(r);
	if (vec == 1)
		r->rflags &= ~X86_EFLAGS_TF;	/* single step: one trap only */
	if ((r->cs & 3) == 0 && extable_fixup(r))
		return;
	if ((r->cs & 3) == 3 && user_kernel_rsp) {
		resume_kernel_at(r, (uint64_t)(uintptr_t)user_fault_return,
				 user_kernel_rsp);
		return;
	}
	printk("unexpected exception %lu ec %#lx at rip %#lx cs %#lx "
	       "rsp %#lx\n", vec, r->error_code, r->rip, r->cs, r->rsp);
	if (!case_running())
		lib_panic("unexpected exception outside a test case");
	fail("unexpected exception %lu (ec %#lx) at %#lx", vec,
	     r->error_code, r->rip);
	resume_kernel_at(r, (uint64_t)(uintptr_t)case_abort,
			 case_abort_stack());
}
