// SPDX-License-Identifier: MIT
/*
 * badargs: unknown hypercall numbers give -ENOSYS, and every implemented
 * hypercall given a NULL, hypervisor-hole, non-canonical or unmapped
 * pointer, a bad count or an unknown sub-op returns the documented error
 * (the errors Xen 4.17 returns) and changes nothing.
 */
#include "lib.h"

TEST_CATEGORY(security);

static const uint64_t bad_ptrs[] = {
	0, BAD_PTR_HOLE, BAD_PTR_NONCANON, BAD_PTR_UNMAPPED,
	HYPERVISOR_VIRT_START, HYPERVISOR_VIRT_END - 8,
};

#define FOR_EACH_BAD_PTR(p)                                                  \
	for (const uint64_t *p = bad_ptrs; p < bad_ptrs + ARRAY_SIZE(bad_ptrs); \
	     p++)

static void test_unknown_numbers(void)
{
	static const uint64_t nrs[] = {
		11, 38, 43, 47, 55, 63, 64, 65, 255, 4096, 0xffffffffUL,
		0x100000000UL | HC_NR_xen_version, ~0UL,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(nrs); i++) {
		long rc = hypercall5(nrs[i], 0, 0, 0, 0, 0);

		CHECK(rc == -HV_ENOSYS, "hypercall %#lx returned %ld",
		      nrs[i], rc);
	}
}

static void test_console_io(void)
{
	char buf[8];

	FOR_EACH_BAD_PTR(p) {
		CHECK_RC(hv_console_io(CONSOLEIO_write, 4, (void *)*p),
			 -HV_EFAULT);
		CHECK_RC(hv_console_io(CONSOLEIO_write, 0x7fffffff, (void *)*p),
			 -HV_EFAULT);
	}
	/* Counts that do not fit the int result. */
	CHECK_RC(hv_console_io(CONSOLEIO_read, 0x80000000UL, buf), -HV_E2BIG);
	CHECK_RC(hv_console_io(CONSOLEIO_read, 0xffffffffUL, buf), -HV_E2BIG);
	CHECK_RC(hv_console_io(2, sizeof(buf), buf), -HV_ENOSYS);
	CHECK_RC(hv_console_io(0xffffffff, sizeof(buf), buf), -HV_ENOSYS);
}

static void test_console_read_bad(void)
{
	/* Nothing is pending, so nothing is copied: 0 (Xen) or -EFAULT. */
	FOR_EACH_BAD_PTR(p) {
		long rc = hv_console_io(CONSOLEIO_read, 8, (void *)*p);

		CHECK(rc == 0 || rc == -HV_EFAULT, "read to %#lx: %ld", *p, rc);
	}
}

static void test_xen_version(void)
{
	static const unsigned int cmds[] = {
		XENVER_extraversion, XENVER_compile_info, XENVER_capabilities,
		XENVER_changeset, XENVER_platform_parameters,
		XENVER_get_features, XENVER_guest_handle,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		FOR_EACH_BAD_PTR(p) {
			long rc = hv_xen_version(cmds[i], (void *)*p);

			CHECK(rc == -HV_EFAULT, "sub-op %u, buffer %#lx: %ld",
			      cmds[i], *p, rc);
		}
}

static void test_sched_op(void)
{
	/* A bad pointer must not shut the domain down. */
	FOR_EACH_BAD_PTR(p) {
		CHECK_RC(hv_sched_op(SCHEDOP_shutdown, (void *)*p), -HV_EFAULT);
		CHECK_RC(hv_sched_op(SCHEDOP_shutdown_code, (void *)*p),
			 -HV_EFAULT);
	}
	CHECK_RC(hv_sched_op(99, NULL), -HV_ENOSYS);
	CHECK_RC(hv_sched_op(0xffffffff, NULL), -HV_ENOSYS);
	CHECK_RC(hv_sched_op(SCHEDOP_yield, NULL), 0);
	/* Pseudo-domains and free ids are no shutdown targets. */
	{
		static const uint16_t ids[] = { 0x7ff1 /* DOMID_IO */,
						0x7ff2 /* DOMID_XEN */,
						0x7ff4 /* DOMID_INVALID */, 100 };

		for (unsigned int i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
			struct sched_remote_shutdown rs = {
				.domain_id = ids[i], .reason = SHUTDOWN_poweroff };

			CHECK_RC(hv_sched_op(SCHEDOP_remote_shutdown, &rs),
				 -HV_ESRCH);
		}
	}
}

static void test_set_trap_table(void)
{
	struct trap_info bad[2] = {
		{ .vector = 0x90, .cs = FLAT_KERNEL_CS,
		  .address = BAD_PTR_NONCANON },
	};

	FOR_EACH_BAD_PTR(p) {
		if (*p)		/* NULL is valid: it clears the table */
			CHECK_RC(hv_set_trap_table((void *)*p), -HV_EFAULT);
	}
	CHECK_RC(hv_set_trap_table(bad), -HV_EINVAL);
	/* Clearing and re-installing works; traps still arrive. */
	CHECK_RC(hv_set_trap_table(NULL), 0);
	CHECK_RC(traps_init(), 0);
	trap_clear();
	asm volatile("1: int3\n2:\n\t" ASM_EXTABLE(2b, 2b) ::: "memory");
	CHECK_EQ(last_trap.vector, 3);
}

static void test_callback_op(void)
{
	struct callback_register reg = {
		.type = 99, .address = VIRT_BASE,
	};
	struct callback_unregister unreg = { .type = 99 };

	FOR_EACH_BAD_PTR(p) {
		CHECK_RC(hv_callback_op(CALLBACKOP_register, (void *)*p),
			 -HV_EFAULT);
		CHECK_RC(hv_callback_op(CALLBACKOP_unregister, (void *)*p),
			 -HV_EFAULT);
	}
	CHECK_RC(hv_callback_op(CALLBACKOP_register, &reg), -HV_ENOSYS);
	reg.type = CALLBACKTYPE_syscall;
	reg.address = BAD_PTR_NONCANON;
	CHECK_RC(hv_callback_op(CALLBACKOP_register, &reg), -HV_EINVAL);
	CHECK_RC(hv_callback_op(CALLBACKOP_unregister, &unreg), -HV_ENOSYS);
	/* The event, failsafe and syscall callbacks cannot be removed. */
	unreg.type = CALLBACKTYPE_event;
	CHECK_RC(hv_callback_op(CALLBACKOP_unregister, &unreg), -HV_EINVAL);
	unreg.type = CALLBACKTYPE_syscall;
	CHECK_RC(hv_callback_op(CALLBACKOP_unregister, &unreg), -HV_EINVAL);
	CHECK_RC(hv_callback_op(7777, &reg), -HV_ENOSYS);
	/* Valid registrations succeed (nothing is delivered here). */
	reg.address = VIRT_BASE;
	reg.flags = CALLBACKF_mask_events;
	reg.type = CALLBACKTYPE_event;
	CHECK_RC(hv_callback_op(CALLBACKOP_register, &reg), 0);
	reg.type = CALLBACKTYPE_failsafe;
	CHECK_RC(hv_callback_op(CALLBACKOP_register, &reg), 0);
}

static void test_mmuext_op(void)
{
	struct mmuext_op op = { .cmd = 0x7fff };
	unsigned int done = 123;

	FOR_EACH_BAD_PTR(p) {
		CHECK_RC(hv_mmuext_op((void *)*p, 1, NULL, DOMID_SELF),
			 -HV_EFAULT);
		CHECK_RC(hv_mmuext_op((void *)*p, 0x7fffffff, NULL,
				      DOMID_SELF), -HV_EFAULT);
	}
	CHECK_RC(hv_mmuext_op(&op, 0, &done, DOMID_SELF), 0);
	CHECK_EQ(done, 0);
	CHECK_RC(hv_mmuext_op(&op, 1, NULL, DOMID_SELF), -HV_ENOSYS);
	/* A frame that is not ours cannot become the user page table. */
	op.cmd = MMUEXT_NEW_USER_BASEPTR;
	op.arg1.mfn = 0xfffffffffUL;
	done = 123;
	CHECK_RC(hv_mmuext_op(&op, 1, &done, DOMID_SELF), -HV_EINVAL);
	CHECK_EQ(done, 0);
	CHECK_RC(hv_mmuext_op(&op, 1, NULL, 1000), -HV_ESRCH);
}

static void test_vm_assist(void)
{
	CHECK_RC(hv_vm_assist(VMASST_CMD_enable, 31), -HV_EINVAL);
	CHECK_RC(hv_vm_assist(VMASST_CMD_enable, 64), -HV_EINVAL);
	CHECK_RC(hv_vm_assist(VMASST_CMD_enable, 0xffffffff), -HV_EINVAL);
	CHECK_RC(hv_vm_assist(7, VMASST_TYPE_writable_pagetables), -HV_ENOSYS);
	CHECK_RC(hv_vm_assist(VMASST_CMD_enable,
			      VMASST_TYPE_writable_pagetables), 0);
	CHECK_RC(hv_vm_assist(VMASST_CMD_disable,
			      VMASST_TYPE_writable_pagetables), 0);
}

static void test_set_segment_base(void)
{
	CHECK_RC(hv_set_segment_base(4, 0), -HV_EINVAL);
	CHECK_RC(hv_set_segment_base(0xffffffff, 0), -HV_EINVAL);
	CHECK_RC(hv_set_segment_base(SEGBASE_FS, BAD_PTR_NONCANON), -HV_EINVAL);
}

/* First unmapped page above the image, found by probing reads, or 0. */
static uint64_t mapping_end(void)
{
	extern char _image_end[];
	uint64_t va = ((uint64_t)(uintptr_t)_image_end + 4095) & ~4095UL;
	unsigned int i;

	for (i = 0; i < 4096; i++, va += 4096) {
		trap_clear();
		asm volatile("1: mov (%0), %%al\n2:\n\t" ASM_EXTABLE(1b, 2b)
			     : : "r"(va) : "rax", "memory");
		if (last_trap.count)
			return last_trap.vector == 14 ? va : 0;
	}
	return 0;
}

static void test_straddle(void)
{
	uint64_t end = mapping_end();
	struct trap_info *ti;

	if (!end) {
		error("no unmapped page above the image within 16 MiB");
		return;
	}
	/* Buffers that begin mapped and run into the unmapped page. */
	CHECK_RC(hv_console_io(CONSOLEIO_write, 16, (void *)(end - 8)),
		 -HV_EFAULT);
	CHECK_RC(hv_xen_version(XENVER_extraversion, (void *)(end - 8)),
		 -HV_EFAULT);
	CHECK_RC(hv_xen_version(XENVER_capabilities, (void *)(end - 512)),
		 -HV_EFAULT);
	/* A trap table whose terminator would lie in the unmapped page. */
	ti = (struct trap_info *)(end - sizeof(*ti));
	ti->vector = 0x90;
	ti->flags = 0;
	ti->cs = FLAT_KERNEL_CS;
	ti->address = VIRT_BASE;
	CHECK_RC(hv_set_trap_table(ti), -HV_EFAULT);
	CHECK_RC(traps_init(), 0);
}

static void test_bad_frames(void)
{
	/* Bad pointers are refused; the domain and its traps still work. */
	trap_clear();
	asm volatile("ud2; .ascii \"xen\"; cpuid" ::: "rax", "rbx", "rcx",
		     "rdx");
	CHECK_EQ(last_trap.count, 0);
	CHECK(hv_xen_version(XENVER_version, NULL) > 0, "xen_version broken");
}

void test_main(void)
{
	long rc = traps_init();

	if (rc) {
		printk("set_trap_table failed: %ld\n", rc);
		return;
	}
	run_case("unknown_hypercall", test_unknown_numbers);
	run_case("console_io", test_console_io);
	run_case("console_io_read", test_console_read_bad);
	run_case("xen_version", test_xen_version);
	run_case("sched_op", test_sched_op);
	run_case("set_trap_table", test_set_trap_table);
	run_case("callback_op", test_callback_op);
	run_case("mmuext_op", test_mmuext_op);
	run_case("vm_assist", test_vm_assist);
	run_case("set_segment_base", test_set_segment_base);
	run_case("straddle", test_straddle);
	run_case("still_alive", test_bad_frames);
}
