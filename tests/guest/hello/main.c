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

void test_main(void)
{
	run_case("write", test_write);
	run_case("write_long", test_write_long);
	run_case("read_empty", test_read_empty);
}
