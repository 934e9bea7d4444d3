// SPDX-License-Identifier: MIT
/*
 * hello: the first conformance kernel. Console output and input through
 * console_io, and the error paths of console_io itself.
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

void test_main(void)
{
	run_case("write", test_write);
}
