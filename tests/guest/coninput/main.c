// SPDX-License-Identifier: MIT
/*
 * coninput: VIRQ_CONSOLE. dom0 binds it, prints the runner's input prompt
 * (the runner then types "ping" and a newline on the serial port, see
 * tests/README.md `@stdin=`), waits for the VIRQ and reads the bytes with
 * console_io(CONSOLEIO_read). Also: binding it twice, and a read with no
 * input pending.
 */
#include <hvabi/event_channel.h>
#include "lib.h"

TEST_CATEGORY(functional);

#define MS 1000000ULL

static uint32_t con_port;

static void test_bind(void)
{
	uint32_t again = 0;

	if (!shared_info || events_init())
		error("no shared_info or event callback");
	events_disable();
	CHECK_RC(evtchn_bind_virq_port(VIRQ_CONSOLE, 0, &con_port), 0);
	CHECK_RC(evtchn_bind_virq_port(VIRQ_CONSOLE, 0, &again), -HV_EEXIST);
}

static void test_input(void)
{
	uint64_t deadline = pvclock_read() + 10000 * MS;
	char buf[64];
	size_t got = 0;

	printk("WAITING FOR INPUT\n");
	while (got < 5 && pvclock_read() < deadline) {
		struct sched_poll p = {.ports = HV_PTR(&con_port),
				       .nr_ports = 1,
				       .timeout = deadline};
		long n;

		if (!port_pending(con_port))
			hv_sched_op(SCHEDOP_poll, &p);
		if (!port_pending(con_port))
			continue;
		port_clear(con_port);
		n = hv_console_io(CONSOLEIO_read, sizeof(buf) - got, buf + got);
		CHECK(n >= 0, "console_io read returned %ld", n);
		if (n > 0)
			got += (size_t)n;
	}
	CHECK(got >= 4 && !memcmp(buf, "ping", 4),
	      "read %zu bytes after VIRQ_CONSOLE", got);
}

void test_main(void)
{
	run_case("bind", test_bind);
	run_case("input", test_input);
}
