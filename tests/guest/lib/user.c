// SPDX-License-Identifier: MIT
/*
 * Guest user mode for the test kernels. The user page table is the
 * builder's L4 itself (every PV mapping carries _PAGE_USER), so user code
 * runs on the kernel's mappings; entries from user mode land on
 * user_entry_stack (stack_switch) and reach syscall_entry (entry.S).
 */
#include <hvabi/callback.h>
#include "lib.h"
#include "private.h"

struct syscall_record last_syscall;
static uint8_t user_stack[16384]
	__attribute__((aligned(4096), section(".bss.page_aligned")));

extern char user_entry_stack_top[];
extern char syscall_entry[];
uint64_t user_enter(uint64_t rip, uint64_t rsp, uint64_t rdi);

long user_mode_init(void)
{
	struct mmuext_op op = {
		.cmd = MMUEXT_NEW_USER_BASEPTR,
		.arg1.mfn = virt_to_mfn((void *)(uintptr_t)start_info->pt_base),
	};
	struct callback_register cb = {
		.type = CALLBACKTYPE_syscall,
		.flags = CALLBACKF_mask_events,
		.address = (uint64_t)(uintptr_t)syscall_entry,
	};
	long rc;

	rc = hv_mmuext_op(&op, 1, NULL, DOMID_SELF);
	if (rc)
		return rc;
	rc = hv_stack_switch(FLAT_KERNEL_SS,
			     (uint64_t)(uintptr_t)user_entry_stack_top);
	if (rc)
		return rc;
	return hv_callback_op(CALLBACKOP_register, &cb);
}

uint64_t user_run(uint64_t rip, uint64_t rsp, uint64_t rdi)
{
	uint64_t ret;

	memset(&last_syscall, 0, sizeof(last_syscall));
	if (!rsp)
		rsp = (uint64_t)(uintptr_t)(user_stack + sizeof(user_stack));
	ret = user_enter(rip, rsp, rdi);
	user_kernel_rsp = 0;
	return ret;
}
