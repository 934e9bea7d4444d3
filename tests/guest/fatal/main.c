// SPDX-License-Identifier: MIT
/*
 * fatal: guest errors the hypervisor must answer by crashing the domain
 * (never itself). The command line picks one: mode=no_trap_table (#UD with
 * no trap table), mode=bad_bounce_stack (exception with RSP in the
 * hypervisor hole), mode=unmapped_bounce_stack (RSP unmapped),
 * mode=bad_iret (iret frame unreadable), mode=user_no_baseptr (iret to
 * user mode without a user page table). The runner expects "crash".
 */
#include "lib.h"

TEST_CATEGORY(security);

static void exception_on_stack(uint64_t rsp)
{
	asm volatile("mov %0, %%rsp\n\t"
		     "ud2" : : "r"(rsp) : "memory");
}

static void bad_iret(void)
{
	asm volatile("mov %0, %%rsp\n\t"
		     "mov $23, %%eax\n\t"
		     "syscall" : : "r"(BAD_PTR_UNMAPPED) : "rax", "memory");
}

static void user_no_baseptr(void)
{
	/* As user_run() does, but without MMUEXT_NEW_USER_BASEPTR. */
	asm volatile("pushq $0xe02b\n\t"
		     "pushq %%rsp\n\t"
		     "pushq $0x2\n\t"
		     "pushq $0xe033\n\t"
		     "lea 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "pushq $0\n\t"
		     "pushq $0\n\t"
		     "pushq $0\n\t"
		     "pushq $0\n\t"
		     "mov $23, %%eax\n\t"
		     "syscall\n"
		     "1: ud2" : : : "rax", "memory");
}

void test_main(void)
{
	char mode[32];

	if (!cmdline_value("mode", mode, sizeof(mode)))
		lib_panic_msg("no mode= on the command line");
	printk("FATAL mode %s: expecting the domain to be crashed\n", mode);
	if (!strcmp(mode, "no_trap_table")) {
		asm volatile("ud2");
	} else if (!strcmp(mode, "bad_bounce_stack")) {
		if (!traps_init())
			exception_on_stack(BAD_PTR_HOLE + 0x1000);
	} else if (!strcmp(mode, "unmapped_bounce_stack")) {
		if (!traps_init())
			exception_on_stack(BAD_PTR_UNMAPPED + 0x1000);
	} else if (!strcmp(mode, "bad_iret")) {
		bad_iret();
	} else if (!strcmp(mode, "user_no_baseptr")) {
		if (!traps_init())
			user_no_baseptr();
	}
	printk("still alive after mode %s\n", mode);
}
