// SPDX-License-Identifier: MIT
/*
 * demo: the guest `make run` boots. Greets through console_io, shows what
 * it learned from the hypervisor (version, capabilities, memory, CPUID
 * signature), takes a breakpoint exception and a trip to user mode, then
 * powers off.
 */
#include "lib.h"

TEST_CATEGORY(demo);

static void show_identity(void)
{
	char caps[XEN_CAPABILITIES_LEN] = "";
	char extra[XEN_EXTRAVERSION_LEN] = "";
	long v = hv_xen_version(XENVER_version, NULL);
	uint32_t sig[3];
	uint32_t eax;

	hv_xen_version(XENVER_extraversion, extra);
	hv_xen_version(XENVER_capabilities, caps);
	printk("  hypervisor version %ld.%ld%s, capabilities \"%s\"\n",
	       v >> 16, v & 0xffff, extra, caps);
	asm volatile("ud2; .ascii \"xen\"; cpuid"
		     : "=a"(eax), "=b"(sig[0]), "=c"(sig[1]), "=d"(sig[2])
		     : "a"(0x40000000), "c"(0));
	printk("  CPUID 0x40000000: \"%.12s\", max leaf %#x\n",
	       (const char *)sig, eax);
}

static void show_memory(void)
{
	printk("  %lu pages (%lu MiB), start_info at %p, page tables at %#lx\n",
	       start_info->nr_pages, start_info->nr_pages >> 8,
	       (void *)start_info, start_info->pt_base);
	printk("  shared_info %s, dom0: %s, command line \"%s\"\n",
	       shared_info ? "mapped" : "not mapped",
	       (start_info->flags & SIF_INITDOMAIN) ? "yes" : "no",
	       start_info->cmd_line);
}

static void show_traps(void)
{
	if (traps_init()) {
		printk("  set_trap_table failed\n");
		return;
	}
	asm volatile("1: int3\n2:\n\t" ASM_EXTABLE(2b, 2b) ::: "memory");
	printk("  int3 bounced to our handler: vector %lu at %#lx\n",
	       last_trap.vector, last_trap.rip);
}

void user_hello(void);
asm(".text\n"
    "user_hello:\n\t"
    "mov $42, %eax\n\t"
    "syscall\n\t"
    "ud2\n");

static void show_user(void)
{
	uint64_t rc;

	if (user_mode_init()) {
		printk("  no user mode here\n");
		return;
	}
	rc = user_run((uint64_t)(uintptr_t)user_hello, 0, 0);
	printk("  user mode made a system call with rax=%lu, back in kernel\n",
	       rc);
}

void test_main(void)
{
	printk("Hello from a PV guest kernel running on the hypervisor!\n");
	show_identity();
	show_memory();
	show_traps();
	show_user();
	printk("Goodbye: SCHEDOP_shutdown(poweroff).\n");
}
