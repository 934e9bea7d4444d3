// SPDX-License-Identifier: MIT
/*
 * traps: every exception a PV guest can raise in 64-bit mode is bounced to
 * the trap table with the PV frame: RCX, R11, [error code], RIP, CS (RPL 0
 * from guest-kernel mode), RFLAGS (IF = !upcall mask), RSP, SS, placed at
 * (RSP & ~15) - frame size; #PF also sets vcpu_info.arch.cr2.
 *
 * Not here, because QEMU TCG (the test machine) cannot raise them: #DB by
 * icebp (TCG gives #UD), #SS (TCG gives #GP for a non-canonical stack
 * access), #XM (TCG does not raise SIMD exceptions), #BR (BOUND is invalid
 * in 64-bit mode and `int $5` depends on the #GP error code TCG gets
 * wrong), #AC (needs CR0.AM). #TS/#NP need a guest GDT (set_gdt).
 */
#include "lib.h"

TEST_CATEGORY(functional);

#define MAGIC_RCX "0x1c1c2c2c3c3c4c4c"
#define MAGIC_R11 "0x0b1b2b3b4b5b6b7b"
#define X86_EFLAGS_TF (1UL << 8)
#define X86_EFLAGS_IF (1UL << 9)
#define X86_EFLAGS_IOPL (3UL << 12)
#define X86_EFLAGS_AC (1UL << 18)
#define X86_EFLAGS_RF (1UL << 16)
#define UNMAPPED_VA 0x400000UL

/* Written by PROBE(): machine state at the probed instruction. */
struct probe {
	uint64_t rflags, rsp, fault, resume;	/* 0, 8, 16, 24 */
	uint64_t rcx_after, r11_after;		/* 32, 40 */
	uint64_t scratch;			/* 48 */
	uint64_t r12_after, r15_after;		/* 56, 64 */
};

#define MAGIC_R12 0x1212121212121212UL
#define MAGIC_R15 0x1515151515151515UL

/*
 * Runs `setup`, loads magic RCX/R11, records RFLAGS, RSP and the addresses
 * of the probed instruction (label 1) and of the one after it (label 2),
 * runs `insn`, and resumes at label 2 whether it faulted or trapped.
 */
#define PROBE(pr, setup, insn, post)                                         \
	asm volatile(setup "\n\t"                                            \
		     "movabs $" MAGIC_RCX ", %%rcx\n\t"                      \
		     "movabs $" MAGIC_R11 ", %%r11\n\t"                      \
		     "movabs $0x1212121212121212, %%r12\n\t"                \
		     "movabs $0x1515151515151515, %%r15\n\t"                \
		     "pushf\n\t"                                             \
		     "popq 0(%%rdi)\n\t"                                     \
		     "mov %%rsp, 8(%%rdi)\n\t"                               \
		     "lea 1f(%%rip), %%rsi\n\t"                              \
		     "mov %%rsi, 16(%%rdi)\n\t"                              \
		     "lea 2f(%%rip), %%rsi\n\t"                              \
		     "mov %%rsi, 24(%%rdi)\n\t"                              \
		     "1: " insn "\n"                                         \
		     "2:\n\t"                                                \
		     ASM_EXTABLE(1b, 2b) ASM_EXTABLE(2b, 2b)                 \
		     "mov %%rcx, 32(%%rdi)\n\t"                              \
		     "mov %%r11, 40(%%rdi)\n\t"                              \
		     "mov %%r12, 56(%%rdi)\n\t"                              \
		     "mov %%r15, 64(%%rdi)\n\t"                              \
		     post                                                    \
		     : : "D"(pr)                                             \
		     : "rax", "rbx", "rcx", "rdx", "rsi", "r8", "r9", "r10",  \
		       "r11", "r12", "r15", "memory", "cc")

static bool events_masked(void)
{
	/* The builder starts every vCPU with events masked. */
	return shared_info ? shared_info->vcpu_info[0].evtchn_upcall_mask : true;
}

enum kind { FAULT, TRAP };

static void check_frame(const struct probe *p, unsigned int vec,
			uint64_t ec, enum kind kind, uint64_t rflags_extra)
{
	bool has_ec = vector_has_error_code(vec);
	uint64_t flags = (p->rflags | rflags_extra) &
			 ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL | X86_EFLAGS_RF);

	if (!events_masked())
		flags |= X86_EFLAGS_IF;
	if (last_trap.count != 1) {
		fail("%lu exceptions seen, want exactly one", last_trap.count);
		return;
	}
	CHECK_EQ(last_trap.vector, vec);
	if (has_ec)
		CHECK_EQ(last_trap.error_code, ec);
	CHECK_EQ(last_trap.rip, kind == TRAP ? p->resume : p->fault);
	/* Bits 39:32 of the CS slot hold the saved upcall mask. */
	CHECK_EQ(last_trap.cs, (FLAT_KERNEL_CS & ~3U) |
			       ((uint64_t)events_masked() << 32));
	CHECK_EQ(last_trap.ss, FLAT_KERNEL_SS);
	CHECK_EQ(last_trap.rsp, p->rsp);
	CHECK_EQ(last_trap.frame_addr, (p->rsp & ~0xfUL) - (has_ec ? 64 : 56));
	CHECK_EQ(last_trap.rflags & ~X86_EFLAGS_RF, flags);
	CHECK_EQ(last_trap.rcx, 0x1c1c2c2c3c3c4c4cUL);
	CHECK_EQ(last_trap.r11, 0x0b1b2b3b4b5b6b7bUL);
	/* Other registers reach the handler untouched ... */
	CHECK_EQ(last_trap.r12, MAGIC_R12);
	CHECK_EQ(last_trap.r15, MAGIC_R15);
	/* ... and the iret back restores RCX and R11 from the frame. */
	CHECK_EQ(p->rcx_after, 0x1c1c2c2c3c3c4c4cUL);
	CHECK_EQ(p->r11_after, 0x0b1b2b3b4b5b6b7bUL);
	CHECK_EQ(p->r12_after, MAGIC_R12);
	CHECK_EQ(p->r15_after, MAGIC_R15);
}

static struct probe pr;

static void test_de(void)
{
	PROBE(&pr, "xor %%edx, %%edx; mov $1, %%eax; xor %%r8d, %%r8d",
	      "div %%r8", "");
	check_frame(&pr, 0, 0, FAULT, 0);
}

static void test_db_single_step(void)
{
	/* TF set by popf traps after the instruction following the popf. */
	PROBE(&pr, "", "pushf; orq $0x100, (%%rsp); popf; nop", "");
	check_frame(&pr, 1, 0, TRAP, X86_EFLAGS_TF);
}

static void test_bp(void)
{
	PROBE(&pr, "", "int3", "");
	check_frame(&pr, 3, 0, TRAP, 0);
}

static void test_of(void)
{
	/* INTO is invalid in 64-bit mode; `int $4` reaches the same vector. */
	PROBE(&pr, "", "int $4", "");
	check_frame(&pr, 4, 0, TRAP, 0);
}

static void test_ud(void)
{
	PROBE(&pr, "", "ud2", "");
	check_frame(&pr, 6, 0, FAULT, 0);
}

static void test_nm(void)
{
	CHECK_RC(hv_fpu_taskswitch(1), 0);
	PROBE(&pr, "", "fnop", "");
	check_frame(&pr, 7, 0, FAULT, 0);
	/* Delivering #NM cleared the virtual CR0.TS. */
	trap_clear();
	asm volatile("fnop");
	CHECK(last_trap.count == 0, "second FPU insn raised vector %lu",
	      last_trap.vector);
}

static void test_gp(void)
{
	PROBE(&pr, "movabs $0x8000000000000000, %%rax", "mov (%%rax), %%rax",
	      "");
	check_frame(&pr, 13, 0, FAULT, 0);
}

static void test_gp_int(void)
{
	uint64_t ec;

	/*
	 * No trap-table entry (DPL 0) for 0x81: #GP with the IDT error code.
	 * Hardware gives 0x81 << 3 | 2; QEMU TCG (7.2) gives 0x81 << 4 | 2,
	 * and the hypervisor passes on what the CPU gave.
	 */
	PROBE(&pr, "", "int $0x81", "");
	ec = last_trap.error_code == ((0x81 << 4) | 2) ? (0x81 << 4) | 2 :
							 (0x81 << 3) | 2;
	check_frame(&pr, 13, ec, FAULT, 0);
}

static void test_int80(void)
{
	PROBE(&pr, "", "int $0x80", "");
	check_frame(&pr, 0x80, 0, TRAP, 0);
}

/*
 * Events unmasked at the trap: the frame says so (IF set, saved mask 0),
 * and TI_MASK_EVENTS in the trap entry masks them in the handler.
 */
static void check_mask_events(uint8_t flags, uint64_t want_mask)
{
	uint64_t want_flags;

	CHECK_RC(trap_set_flags(0x80, flags), 0);
	shared_info->vcpu_info[0].evtchn_upcall_mask = 0;
	PROBE(&pr, "", "int $0x80", "");
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	CHECK_EQ(last_trap.count, 1);
	CHECK_EQ(last_trap.cs, FLAT_KERNEL_CS & ~3U);	/* saved mask 0 */
	want_flags = (pr.rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_RF)) |
		     X86_EFLAGS_IF;
	CHECK_EQ(last_trap.rflags & ~X86_EFLAGS_RF, want_flags);
	CHECK_EQ(last_trap.upcall_mask, want_mask);
}

static void test_mask_events(void)
{
	if (!shared_info) {
		skip("shared_info not mapped (update_va_mapping: %ld)",
		     shared_info_map_rc);
		return;
	}
	check_mask_events(3 | TI_MASK_EVENTS, 1);
	trap_clear();
	check_mask_events(3, 0);
	trap_set_flags(0x80, 3);
}

static void check_cr2(uint64_t want)
{
	if (!shared_info) {
		skip("shared_info not mapped (update_va_mapping: %ld)",
		     shared_info_map_rc);
		return;
	}
	CHECK_EQ(shared_info->vcpu_info[0].arch.cr2, want);
}

static void test_pf_read(void)
{
	PROBE(&pr, "mov $0x400000, %%eax", "mov (%%rax), %%rax", "");
	/* Not present, read, from guest-kernel mode: U clear. */
	check_frame(&pr, 14, 0, FAULT, 0);
	check_cr2(UNMAPPED_VA);
}

static void test_pf_write(void)
{
	PROBE(&pr, "mov $0x400008, %%eax", "movq $0, (%%rax)", "");
	check_frame(&pr, 14, 2, FAULT, 0);
	check_cr2(UNMAPPED_VA + 8);
}

static void test_mf(void)
{
	/* Unmask x87 #Z, make 1/0 pending; the next fwait reports it. */
	PROBE(&pr,
	      "fninit; movw $0x37b, 48(%%rdi); fldcw 48(%%rdi); "
	      "fld1; fldz; fdivrp",
	      "fwait", "fninit");
	check_frame(&pr, 16, 0, FAULT, 0);
}

void test_main(void)
{
	long rc = traps_init();

	if (rc) {
		printk("set_trap_table failed: %ld\n", rc);
		return;
	}
	run_case("de", test_de);
	run_case("db_single_step", test_db_single_step);
	run_case("bp", test_bp);
	run_case("of", test_of);
	run_case("ud", test_ud);
	run_case("nm", test_nm);
	run_case("gp", test_gp);
	run_case("gp_int", test_gp_int);
	run_case("int80", test_int80);
	run_case("mask_events", test_mask_events);
	run_case("pf_read", test_pf_read);
	run_case("pf_write", test_pf_write);
	run_case("mf", test_mf);
}
