// SPDX-License-Identifier: MIT
/*
 * portio: port I/O from a PV guest under physdev_op's I/O privilege.
 * set_iopl (the virtual IOPL: >= 1 allows guest-kernel accesses, 3 also
 * user-mode ones, cli/sti included) and set_iobitmap (a bitmap in guest
 * memory, clear bit = allowed port, consulted when the IOPL is not
 * enough; Linux's ioperm()). A denied access is a #GP(0) bounced to the
 * guest. Port 0x80 (POST diagnostics) is used: dom0 may touch it on both
 * hypervisors, and only whether the access traps is checked.
 */
#include <hvabi/physdev.h>
#include "lib.h"

TEST_CATEGORY(functional);

#define FN(f) ((uint64_t)(uintptr_t)(f))
#define GP 13

void user_inb80(void);
void user_inb81(void);
asm(".text\n"
    "user_inb80:\n\t"
    "inb $0x80, %al\n\t"
    "syscall\n"
    "user_inb81:\n\t"
    "inb $0x81, %al\n\t"
    "syscall\n");

static uint8_t iobitmap[PHYSDEV_IOBITMAP_BYTES + 1]
	__attribute__((aligned(4096)));
static long user_rc;

static long physdev(unsigned int cmd, void *arg)
{
	return hypercall2(HC_NR_physdev_op, cmd, FN(arg));
}

static long set_iopl(uint32_t iopl)
{
	struct physdev_set_iopl s = {.iopl = iopl};

	return physdev(PHYSDEVOP_set_iopl, &s);
}

static long set_iobitmap(const void *bitmap, uint32_t nr_ports)
{
	struct physdev_set_iobitmap s = {.bitmap = FN(bitmap),
					 .nr_ports = nr_ports};

	return physdev(PHYSDEVOP_set_iobitmap, &s);
}

/* Kernel-mode accesses: true if they ran without a trap. */
static bool kernel_inb(bool port81)
{
	trap_clear();
	if (port81)
		asm volatile("1: inb $0x81, %%al\n2:\n\t" ASM_EXTABLE(1b, 2b)
			     ::: "rax");
	else
		asm volatile("1: inb $0x80, %%al\n2:\n\t" ASM_EXTABLE(1b, 2b)
			     ::: "rax");
	return last_trap.count == 0;
}

static bool kernel_inw7f(void)
{
	trap_clear();
	asm volatile("1: inw $0x7f, %%ax\n2:\n\t" ASM_EXTABLE(1b, 2b)
		     ::: "rax");
	return last_trap.count == 0;
}

static bool kernel_cli_sti(void)
{
	trap_clear();
	asm volatile("1: cli\n2: sti\n3:\n\t" ASM_EXTABLE(1b, 2b)
		     ASM_EXTABLE(2b, 3b));
	return last_trap.count == 0;
}

static uint64_t user_stack_top(void)
{
	static uint8_t stack[8192] __attribute__((aligned(16)));

	return FN(stack + sizeof(stack));
}

/* User-mode access: true if it reached its syscall without a trap. */
static bool user_inb(void (*fn)(void))
{
	trap_clear();
	return user_run(FN(fn), user_stack_top(), 0) != USER_FAULTED;
}

static void check_gp(void)
{
	CHECK_EQ(last_trap.vector, GP);
	CHECK_EQ(last_trap.error_code, 0);
}

static void test_iopl(void)
{
	CHECK_RC(set_iopl(4), -HV_EINVAL);
	CHECK_RC(set_iopl(0), 0);
	CHECK(!kernel_inb(false), "IOPL 0: kernel inb did not trap");
	check_gp();
	CHECK(!kernel_cli_sti(), "IOPL 0: cli did not trap");
	CHECK_RC(set_iopl(1), 0);
	CHECK(kernel_inb(false), "IOPL 1: kernel inb trapped");
	CHECK(kernel_cli_sti(), "IOPL 1: cli/sti trapped");
	if (user_rc)
		return error("user mode set-up failed: %ld", user_rc);
	CHECK(!user_inb(user_inb80), "IOPL 1: user inb did not trap");
	check_gp();
	CHECK_RC(set_iopl(3), 0);
	CHECK(user_inb(user_inb80), "IOPL 3: user inb trapped");
	CHECK_RC(set_iopl(0), 0);
}

static void test_iobitmap(void)
{
	memset(iobitmap, 0xff, sizeof(iobitmap));
	iobitmap[0x80 / 8] &= (uint8_t)~1;	/* port 0x80 only */
	CHECK_RC(set_iopl(0), 0);
	CHECK_RC(set_iobitmap(iobitmap, 65536), 0);
	CHECK(kernel_inb(false), "bitmap: kernel inb 0x80 trapped");
	CHECK(!kernel_inb(true), "bitmap: kernel inb 0x81 did not trap");
	check_gp();
	CHECK(!kernel_inw7f(), "bitmap: inw 0x7f (0x7f denied) did not trap");
	CHECK(!kernel_cli_sti(), "bitmap: cli is not a port");
	if (user_rc)
		return error("user mode set-up failed: %ld", user_rc);
	CHECK(user_inb(user_inb80), "bitmap: user inb 0x80 trapped");
	CHECK(!user_inb(user_inb81), "bitmap: user inb 0x81 did not trap");
	/* Ports at or beyond nr_ports are denied. */
	CHECK_RC(set_iobitmap(iobitmap, 0x80), 0);
	CHECK(!kernel_inb(false), "nr_ports 0x80: inb 0x80 did not trap");
	CHECK_RC(set_iobitmap(iobitmap, 0x81), 0);
	CHECK(kernel_inb(false), "nr_ports 0x81: inb 0x80 trapped");
	CHECK_RC(set_iobitmap(iobitmap, 0), 0);
	CHECK(!kernel_inb(false), "no bitmap: inb 0x80 did not trap");
}

static void test_iobitmap_bad(void)
{
	CHECK_RC(set_iobitmap(iobitmap, 65537), -HV_EINVAL);
	CHECK_RC(set_iobitmap((void *)0xffff800000000000UL, 65536),
		 -HV_EINVAL);
	CHECK_RC(hypercall2(HC_NR_physdev_op, PHYSDEVOP_set_iobitmap, 16),
		 -HV_EFAULT);
	/* An unmapped bitmap denies every port, and nothing else happens. */
	CHECK_RC(set_iobitmap((void *)0x400000UL, 65536), 0);
	CHECK(!kernel_inb(false), "unmapped bitmap: inb 0x80 did not trap");
	check_gp();
	CHECK_RC(set_iobitmap(iobitmap, 0), 0);
}

void test_main(void)
{
	long rc = traps_init();

	if (rc) {
		printk("set_trap_table failed: %ld\n", rc);
		return;
	}
	user_rc = user_mode_init();
	run_case("iopl", test_iopl);
	run_case("iobitmap", test_iobitmap);
	run_case("iobitmap_bad", test_iobitmap_bad);
	set_iopl(1);
}
