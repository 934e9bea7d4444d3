// SPDX-License-Identifier: MIT
/*
 * modes: the iret hypercall to guest-kernel and guest-user mode, the user
 * syscall round trip through the syscall callback, exceptions from user
 * mode (on the stack_switch stack), set_segment_base with kernel/user GS
 * swapping, fpu_taskswitch with the emulated CR0.TS, and debug registers.
 */
#include <hvabi/callback.h>
#include "lib.h"

TEST_CATEGORY(functional);

#define MAGIC_RAX 0x0a0a1a1a2a2a3a3aUL
#define MAGIC_RCX 0x1c1c2c2c3c3c4c4cUL
#define MAGIC_R11 0x0b1b2b3b4b5b6b7bUL
#define X86_EFLAGS_CF 0x1UL
#define X86_EFLAGS_ZF 0x40UL
#define X86_EFLAGS_IF 0x200UL
#define X86_CR0_TS 0x8UL

extern char user_entry_stack_top[];

/* ---- user-mode code (runs in ring 3 on the same mappings) ---- */
void user_syscall(void);
void user_syscall_ret(void);
void user_ud2(void);
void user_int3(void);
void user_pf(void);
void user_read_segs(void);
uint64_t user_flags, user_rsp, user_fs, user_gs;

asm(".text\n"
    "user_syscall:\n\t"
    "pushf\n\t"
    "popq user_flags(%rip)\n\t"
    "mov %rsp, user_rsp(%rip)\n\t"
    "lea 0x1000(%rdi), %rax\n\t"
    "syscall\n"
    "user_syscall_ret:\n\t"
    "ud2\n"
    "user_ud2:\n\t"
    "mov %rsp, user_rsp(%rip)\n\t"
    "ud2\n"
    "user_int3:\n\t"
    "mov %rsp, user_rsp(%rip)\n\t"
    "int3\n\t"
    "ud2\n"
    "user_pf:\n\t"
    "mov %rsp, user_rsp(%rip)\n\t"
    "mov (%rdi), %rax\n\t"
    "ud2\n"
    "user_read_segs:\n\t"
    "mov %fs:0, %rax\n\t"
    "mov %rax, user_fs(%rip)\n\t"
    "mov %gs:0, %rax\n\t"
    "mov %rax, user_gs(%rip)\n\t"
    "syscall\n\t"
    "ud2\n");

#define FN(f) ((uint64_t)(uintptr_t)(f))

static bool events_masked(void)
{
	return shared_info ? shared_info->vcpu_info[0].evtchn_upcall_mask : true;
}

/* ---- iret to kernel mode ---- */
struct iret_result {
	uint64_t rflags, rsp, rax, rcx, r11;
};

static uint8_t alt_stack[4096] __attribute__((aligned(16)));

static void iret_to_kernel(struct iret_result *res, uint64_t rflags)
{
	uint64_t target_sp = FN(alt_stack + sizeof(alt_stack) - 64);

	asm volatile("mov %%rsp, %%rbx\n\t"
		     "pushq $0xe02b\n\t"		/* ss */
		     "pushq %[sp]\n\t"			/* rsp */
		     "pushq %[fl]\n\t"			/* rflags */
		     "pushq $0xe030\n\t"		/* cs, RPL 0: kernel */
		     "lea 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"			/* rip */
		     "pushq $0\n\t"			/* flags */
		     "movabs $0x1c1c2c2c3c3c4c4c, %%rax\n\t"
		     "pushq %%rax\n\t"			/* rcx */
		     "movabs $0x0b1b2b3b4b5b6b7b, %%rax\n\t"
		     "pushq %%rax\n\t"			/* r11 */
		     "movabs $0x0a0a1a1a2a2a3a3a, %%rax\n\t"
		     "pushq %%rax\n\t"			/* rax */
		     "mov $23, %%eax\n\t"
		     "syscall\n\t"
		     "ud2\n"
		     "1:\n\t"
		     "mov %%rsp, 8(%%rdi)\n\t"
		     "pushf\n\t"
		     "popq 0(%%rdi)\n\t"
		     "mov %%rax, 16(%%rdi)\n\t"
		     "mov %%rcx, 24(%%rdi)\n\t"
		     "mov %%r11, 32(%%rdi)\n\t"
		     "mov %%rbx, %%rsp\n\t"
		     : : "D"(res), [sp] "r"(target_sp), [fl] "r"(rflags)
		     : "rax", "rbx", "rcx", "r11", "memory", "cc");
}

static void test_iret_kernel(void)
{
	struct iret_result res;

	iret_to_kernel(&res, 0x2 | X86_EFLAGS_CF | X86_EFLAGS_ZF);
	CHECK_EQ(res.rsp, FN(alt_stack + sizeof(alt_stack) - 64));
	CHECK_EQ(res.rax, MAGIC_RAX);
	CHECK_EQ(res.rcx, MAGIC_RCX);
	CHECK_EQ(res.r11, MAGIC_R11);
	CHECK_EQ(res.rflags & (X86_EFLAGS_CF | X86_EFLAGS_ZF),
		 X86_EFLAGS_CF | X86_EFLAGS_ZF);
	/* IF clear in the frame: events stay masked. */
	CHECK(events_masked(), "upcall mask cleared by iret with IF=0");
	/* Still in kernel mode: hypercalls work. */
	CHECK(hv_xen_version(0, NULL) > 0, "no hypercall after iret");
}

static void test_iret_unmask(void)
{
	struct iret_result res;

	if (!shared_info) {
		skip("shared_info not mapped (update_va_mapping: %ld)",
		     shared_info_map_rc);
		return;
	}
	iret_to_kernel(&res, 0x2 | X86_EFLAGS_IF);
	CHECK(!shared_info->vcpu_info[0].evtchn_upcall_mask,
	      "iret with IF set left events masked");
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	iret_to_kernel(&res, 0x2);
	CHECK(shared_info->vcpu_info[0].evtchn_upcall_mask,
	      "iret with IF clear unmasked events");
}

/* ---- user mode ---- */
static long user_rc;

static bool user_ready(void)
{
	if (user_rc) {
		error("user mode set-up failed: %ld", user_rc);
		return false;
	}
	return true;
}

static uint64_t user_stack_top(void)
{
	static uint8_t stack[8192] __attribute__((aligned(16)));

	return FN(stack + sizeof(stack));
}

static void test_user_syscall(void)
{
	uint64_t ret, entry_sp = FN(user_entry_stack_top);

	if (!user_ready())
		return;
	ret = user_run(FN(user_syscall), user_stack_top(), 0x1234);
	CHECK_EQ(ret, 0x1234 + 0x1000);
	CHECK_EQ(last_syscall.rcx, FN(user_syscall_ret));
	CHECK_EQ(last_syscall.rip, FN(user_syscall_ret));
	CHECK_EQ(last_syscall.r11 & 0xcd5, user_flags & 0xcd5);
	CHECK_EQ(last_syscall.cs & 0xffff, FLAT_USER_CS);
	CHECK_EQ(last_syscall.ss & 0xffff, FLAT_USER_SS);
	CHECK_EQ(last_syscall.rsp, user_rsp);
	CHECK_EQ(last_syscall.rsp, user_stack_top());
	/* Entered on the stack_switch stack. */
	CHECK_EQ(last_syscall.frame_addr, (entry_sp & ~0xfUL) - 56);
	CHECK(hv_xen_version(0, NULL) > 0, "no hypercall after user mode");
	/* Twice in a row works the same. */
	CHECK_EQ(user_run(FN(user_syscall), user_stack_top(), 7), 0x1007);
}

static void check_user_trap(unsigned int vec, uint64_t rip)
{
	uint64_t entry_sp = FN(user_entry_stack_top);
	bool ec = vector_has_error_code(vec);

	CHECK_EQ(last_trap.count, 1);
	CHECK_EQ(last_trap.vector, vec);
	CHECK_EQ(last_trap.rip, rip);
	/* RPL 3: interrupted in user mode. */
	CHECK_EQ(last_trap.cs & 0xffff, FLAT_USER_CS);
	CHECK_EQ(last_trap.ss & 0xffff, FLAT_USER_SS);
	CHECK_EQ(last_trap.rsp, user_rsp);
	CHECK_EQ(last_trap.frame_addr, (entry_sp & ~0xfUL) - (ec ? 64 : 56));
	CHECK(hv_xen_version(0, NULL) > 0, "no hypercall after user fault");
}

static void test_user_ud(void)
{
	if (!user_ready())
		return;
	CHECK_EQ(user_run(FN(user_ud2), user_stack_top(), 0), USER_FAULTED);
	check_user_trap(6, FN(user_ud2) + 7);	/* after the 7-byte mov */
}

static void test_user_bp(void)
{
	if (!user_ready())
		return;
	CHECK_EQ(user_run(FN(user_int3), user_stack_top(), 0), USER_FAULTED);
	check_user_trap(3, FN(user_int3) + 8);	/* after int3 */
}

static void test_user_pf(void)
{
	if (!user_ready())
		return;
	CHECK_EQ(user_run(FN(user_pf), user_stack_top(), 0x400000),
		 USER_FAULTED);
	check_user_trap(14, FN(user_pf) + 7);
	/* Not present, read, user mode. */
	CHECK_EQ(last_trap.error_code, 4);
	if (shared_info)
		CHECK_EQ(shared_info->vcpu_info[0].arch.cr2, 0x400000);
}

/* ---- segment bases ---- */
static uint64_t fs_word = 0xf5f5f5f5f5f5f5f5UL;
static uint64_t gs_kernel_word = 0x6b6b6b6b6b6b6b6bUL;
static uint64_t gs_user_word = 0x7575757575757575UL;

static uint64_t read_fs0(void)
{
	uint64_t v;

	asm volatile("mov %%fs:0, %0" : "=r"(v));
	return v;
}

static uint64_t read_gs0(void)
{
	uint64_t v;

	asm volatile("mov %%gs:0, %0" : "=r"(v));
	return v;
}

static void test_segment_base(void)
{
	CHECK_RC(hv_set_segment_base(SEGBASE_FS, FN(&fs_word)), 0);
	CHECK_RC(hv_set_segment_base(SEGBASE_GS_KERNEL, FN(&gs_kernel_word)),
		 0);
	CHECK_RC(hv_set_segment_base(SEGBASE_GS_USER, FN(&gs_user_word)), 0);
	CHECK_EQ(read_fs0(), fs_word);
	CHECK_EQ(read_gs0(), gs_kernel_word);
	/* Loading the null user selector keeps the kernel's GS base. */
	CHECK_RC(hv_set_segment_base(SEGBASE_GS_USER_SEL, 0), 0);
	CHECK_EQ(read_gs0(), gs_kernel_word);
	/* Non-canonical bases are refused and change nothing. */
	CHECK_RC(hv_set_segment_base(SEGBASE_FS, BAD_PTR_NONCANON), -HV_EINVAL);
	CHECK_RC(hv_set_segment_base(SEGBASE_GS_KERNEL, BAD_PTR_NONCANON),
		 -HV_EINVAL);
	CHECK_RC(hv_set_segment_base(SEGBASE_GS_USER, BAD_PTR_NONCANON),
		 -HV_EINVAL);
	CHECK_EQ(read_fs0(), fs_word);
	CHECK_EQ(read_gs0(), gs_kernel_word);
}

static void test_segment_base_user(void)
{
	if (!user_ready())
		return;
	CHECK_RC(hv_set_segment_base(SEGBASE_FS, FN(&fs_word)), 0);
	CHECK_RC(hv_set_segment_base(SEGBASE_GS_KERNEL, FN(&gs_kernel_word)),
		 0);
	CHECK_RC(hv_set_segment_base(SEGBASE_GS_USER, FN(&gs_user_word)), 0);
	user_fs = user_gs = 0;
	user_run(FN(user_read_segs), user_stack_top(), 0);
	CHECK_EQ(user_fs, fs_word);
	/* User mode sees the user GS base, kernel mode the kernel one. */
	CHECK_EQ(user_gs, gs_user_word);
	CHECK_EQ(read_gs0(), gs_kernel_word);
}

/* ---- FPU ---- */
static uint64_t read_cr0(void)
{
	uint64_t v;

	/* Privileged: emulated for the guest kernel. */
	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static void test_fpu_taskswitch(void)
{
	CHECK_RC(hv_fpu_taskswitch(1), 0);
	CHECK(read_cr0() & X86_CR0_TS, "CR0.TS clear after fpu_taskswitch(1)");
	CHECK_RC(hv_fpu_taskswitch(0), 0);
	CHECK(!(read_cr0() & X86_CR0_TS), "CR0.TS set after fpu_taskswitch(0)");
	asm volatile("fnop");
	CHECK_EQ(last_trap.count, 0);
}

static void test_fpu_clts(void)
{
	CHECK_RC(hv_fpu_taskswitch(1), 0);
	asm volatile("clts");	/* emulated like fpu_taskswitch(0) */
	CHECK(!(read_cr0() & X86_CR0_TS), "CR0.TS set after clts");
	asm volatile("fnop");
	CHECK_EQ(last_trap.count, 0);
}

static void test_nm_state(void)
{
	uint16_t cw = 0;

	/* The x87 state survives the #NM round trip. */
	asm volatile("fninit; fldcw %0" : : "m"((uint16_t){ 0x27f }));
	CHECK_RC(hv_fpu_taskswitch(1), 0);
	asm volatile("1: fnstcw %0\n2:\n\t" ASM_EXTABLE(1b, 1b)
		     : "=m"(cw));
	CHECK_EQ(last_trap.count, 1);
	CHECK_EQ(last_trap.vector, 7);
	CHECK_EQ(cw, 0x27f);
	asm volatile("fninit");
}

/* ---- debug registers ---- */
static void test_debugreg(void)
{
	uint64_t va = FN(&fs_word);

	CHECK_RC(hv_set_debugreg(0, va), 0);
	CHECK_RC(hv_get_debugreg(0), (long)va);
	CHECK_RC(hv_set_debugreg(3, 0), 0);
	CHECK_RC(hv_get_debugreg(3), 0);
	/* Breakpoints on hypervisor addresses are refused. */
	CHECK_RC(hv_set_debugreg(1, BAD_PTR_HOLE), -HV_EPERM);
	/* DR6/DR7: upper half reserved, GD privileged. */
	CHECK_RC(hv_set_debugreg(7, 1UL << 32), -HV_EINVAL);
	CHECK_RC(hv_set_debugreg(6, 1UL << 32), -HV_EINVAL);
	CHECK_RC(hv_set_debugreg(7, 1UL << 13), -HV_EPERM);
	CHECK_RC(hv_set_debugreg(7, 0), 0);
	CHECK_RC(hv_set_debugreg(8, 0), -HV_ENODEV);
	CHECK_RC(hv_get_debugreg(8), -HV_ENODEV);
}

static void test_breakpoint(void)
{
	uint64_t bp;

	/* An instruction breakpoint on label 1 raises #DB (a fault). */
	asm volatile("lea 1f(%%rip), %0\n\t"
		     "jmp 2f\n"
		     "1: nop\n"
		     "3: ret\n"
		     "2:\n\t"
		     ASM_EXTABLE(1b, 3b) : "=r"(bp));
	CHECK_RC(hv_set_debugreg(0, bp), 0);
	CHECK_RC(hv_set_debugreg(7, 0x1), 0);	/* L0, exec, 1 byte */
	asm volatile("call 1b\n\t" ::: "memory");
	hv_set_debugreg(7, 0);
	CHECK_EQ(last_trap.count, 1);
	CHECK_EQ(last_trap.vector, 1);
	CHECK_EQ(last_trap.rip, bp);
}

void test_main(void)
{
	long rc = traps_init();

	if (rc) {
		printk("set_trap_table failed: %ld\n", rc);
		return;
	}
	user_rc = user_mode_init();
	run_case("iret_kernel", test_iret_kernel);
	run_case("iret_unmask", test_iret_unmask);
	run_case("user_syscall", test_user_syscall);
	run_case("user_ud", test_user_ud);
	run_case("user_bp", test_user_bp);
	run_case("user_pf", test_user_pf);
	run_case("segment_base", test_segment_base);
	run_case("segment_base_user", test_segment_base_user);
	run_case("fpu_taskswitch", test_fpu_taskswitch);
	run_case("fpu_clts", test_fpu_clts);
	run_case("nm_state", test_nm_state);
	run_case("debugreg", test_debugreg);
	run_case("breakpoint", test_breakpoint);
}
