// SPDX-License-Identifier: MIT
/*
 * hello: the first conformance kernel. Console output and input through
 * console_io as domain 0 uses them (the bad-argument cases are in badargs).
 */
#include "lib.h"

TEST_CATEGORY(functional);

static void test_write(void)
{
	static const char msg[] = "hello from the pv test kernel\n";

	CHECK_RC(hv_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg), 0);
	/* A zero-length write touches no memory, even through NULL. */
	CHECK_RC(hv_console_io(CONSOLEIO_write, 0, NULL), 0);
}

static void test_write_long(void)
{
	static char line[3000];
	size_t i;

	/* Longer than any sane internal bounce buffer: must be consumed. */
	for (i = 0; i < sizeof(line) - 1; i++)
		line[i] = 'a' + (char)(i % 26);
	line[sizeof(line) - 1] = '\n';
	CHECK_RC(hv_console_io(CONSOLEIO_write, sizeof(line), line), 0);
}

static void test_read_empty(void)
{
	char buf[16];

	/* stdin of the test machine is empty: nothing is pending. */
	memset(buf, 0x5a, sizeof(buf));
	CHECK_RC(hv_console_io(CONSOLEIO_read, sizeof(buf), buf), 0);
	CHECK(buf[0] == 0x5a, "read wrote to the buffer with nothing pending");
	CHECK_RC(hv_console_io(CONSOLEIO_read, 0, buf), 0);
}

/*
 * A hypercall returns its result in rax and clobbers rcx, r11 and the
 * argument registers; every other register keeps its value.
 */
static void test_preserved_registers(void)
{
	static const char *const names[] = {
		"rbx", "rbp", "r12", "r13", "r14", "r15", "r9",
	};
	uint64_t out[7];
	unsigned int i;

	asm volatile("push %%rbp\n\t"
		     "push %[out]\n\t"
		     "movabs $0x5b5b5b5b00000001, %%rbx\n\t"
		     "movabs $0x5b5b5b5b00000002, %%rbp\n\t"
		     "movabs $0x5b5b5b5b00000003, %%r12\n\t"
		     "movabs $0x5b5b5b5b00000004, %%r13\n\t"
		     "movabs $0x5b5b5b5b00000005, %%r14\n\t"
		     "movabs $0x5b5b5b5b00000006, %%r15\n\t"
		     "movabs $0x5b5b5b5b00000007, %%r9\n\t"
		     "mov $17, %%eax\n\t"		/* xen_version */
		     "xor %%edi, %%edi\n\t"
		     "xor %%esi, %%esi\n\t"
		     "syscall\n\t"
		     "pop %%rax\n\t"
		     "mov %%rbx, 0(%%rax)\n\t"
		     "mov %%rbp, 8(%%rax)\n\t"
		     "mov %%r12, 16(%%rax)\n\t"
		     "mov %%r13, 24(%%rax)\n\t"
		     "mov %%r14, 32(%%rax)\n\t"
		     "mov %%r15, 40(%%rax)\n\t"
		     "mov %%r9, 48(%%rax)\n\t"
		     "pop %%rbp"
		     : : [out] "r"(out)
		     : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9",
		       "r10", "r11", "r12", "r13", "r14", "r15", "memory", "cc");
	for (i = 0; i < ARRAY_SIZE(out); i++)
		CHECK(out[i] == (0x5b5b5b5b00000000UL | (i + 1)),
		      "%s changed to %#lx", names[i], out[i]);
}

void test_main(void)
{
	run_case("write", test_write);
	run_case("write_long", test_write_long);
	run_case("read_empty", test_read_empty);
	run_case("preserved_registers", test_preserved_registers);
}
