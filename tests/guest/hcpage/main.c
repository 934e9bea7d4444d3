// SPDX-License-Identifier: MIT
/*
 * hcpage: a kernel that declares XEN_ELFNOTE_HYPERCALL_PAGE (as Linux up to
 * 6.1.0-28 does) gets that page filled by the domain builder with one
 * 32-byte stub per hypercall number, callable like a function with the
 * arguments in rdi, rsi, rdx, r10, r8. The stubs preserve rcx and r11.
 */
#include "lib.h"

TEST_CATEGORY(functional);

extern uint8_t hypercall_page[4096];

/* The note (ELFNOTE_HYPERCALL_PAGE = 2) and the page, inside the image. */
asm(".pushsection .note.xen, \"a\"\n\t"
    ".p2align 2\n\t"
    ".long 4, 8, 2\n\t"
    ".asciz \"Xen\"\n\t"
    ".p2align 2\n\t"
    ".quad hypercall_page\n\t"
    ".popsection\n\t"
    ".pushsection .bss.page_aligned, \"aw\", @nobits\n\t"
    ".p2align 12\n\t"
    ".globl hypercall_page\n"
    "hypercall_page:\n\t"
    ".skip 4096\n\t"
    ".popsection");

struct page_call {
	long ret;
	uint64_t rcx, r11;
};

static struct page_call call_page(unsigned int nr, uint64_t a1, uint64_t a2,
				  uint64_t a3)
{
	struct page_call c;
	register uint64_t r10 asm("r10") = 0;
	register uint64_t r8 asm("r8") = 0;
	uint64_t stub = (uint64_t)(uintptr_t)(hypercall_page + 32 * nr);

	asm volatile("movabs $0x1c1c2c2c3c3c4c4c, %%rcx\n\t"
		     "movabs $0x0b1b2b3b4b5b6b7b, %%r11\n\t"
		     "call *%[stub]\n\t"
		     "mov %%rcx, %[rcx]\n\t"
		     "mov %%r11, %[r11]"
		     : "=a"(c.ret), [rcx] "=m"(c.rcx), [r11] "=m"(c.r11),
		       "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
		     : [stub] "b"(stub)
		     : "rcx", "r11", "r9", "memory");
	return c;
}

static void test_filled(void)
{
	size_t i, zero = 0;

	for (i = 0; i < 32; i++)
		zero += hypercall_page[32 * HC_NR_xen_version + i] == 0;
	CHECK(zero < 32, "the xen_version stub is empty");
}

static void test_calls(void)
{
	static const char msg[] = "console_io through the hypercall page\n";
	struct page_call c;

	c = call_page(HC_NR_xen_version, XENVER_version, 0, 0);
	CHECK_RC(c.ret, hv_xen_version(XENVER_version, NULL));
	CHECK_EQ(c.rcx, 0x1c1c2c2c3c3c4c4cUL);
	CHECK_EQ(c.r11, 0x0b1b2b3b4b5b6b7bUL);
	c = call_page(HC_NR_console_io, CONSOLEIO_write, sizeof(msg) - 1,
		      (uint64_t)(uintptr_t)msg);
	CHECK_RC(c.ret, 0);
	c = call_page(HC_NR_xen_version, XENVER_pagesize, 0, 0);
	CHECK_RC(c.ret, 4096);
}

static void test_unknown(void)
{
	CHECK_RC(call_page(63, 0, 0, 0).ret, -HV_ENOSYS);
	CHECK_RC(call_page(11, 0, 0, 0).ret, -HV_ENOSYS);
}

void test_main(void)
{
	run_case("page_filled", test_filled);
	run_case("calls", test_calls);
	run_case("unknown_number", test_unknown);
}
