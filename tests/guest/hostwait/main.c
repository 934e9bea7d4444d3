// SPDX-License-Identifier: MIT
/*
 * hostwait: a dom0 that only hosts boot-time domUs (our hypervisor's
 * "domu=" option) and ends the machine when the first of them shuts
 * down: it waits for VIRQ_DOM_EXC (at most timeout_s=N virtual seconds,
 * default 300) and powers off, or crashes if none came. The domU does
 * the testing and prints through its own console (tests/guest/vcons,
 * Linux in tests/linux run-domu). OURS ONLY, like every boot-time domU.
 */
#include <hvabi/event_channel.h>
#include "lib.h"

TEST_CATEGORY(demo);

#define SECOND 1000000000ULL

void test_main(void)
{
	char buf[16];
	uint64_t timeout_s = 300, deadline;
	uint32_t port;

	if (cmdline_value("timeout_s", buf, sizeof(buf))) {
		timeout_s = 0;
		for (const char *p = buf; *p >= '0' && *p <= '9'; p++)
			timeout_s = timeout_s * 10 + (uint64_t)(*p - '0');
	}
	if (!shared_info || events_init() ||
	    evtchn_bind_virq_port(VIRQ_DOM_EXC, 0, &port))
		lib_panic_msg("hostwait: cannot bind VIRQ_DOM_EXC");
	events_disable();
	deadline = pvclock_read() + timeout_s * SECOND;
	while (!port_pending(port) && pvclock_read() < deadline) {
		struct sched_poll p = {.ports = HV_PTR(&port), .nr_ports = 1,
				       .timeout = deadline};

		hv_sched_op(SCHEDOP_poll, &p);
	}
	if (!port_pending(port)) {
		printk("hostwait: no domain shut down in %llu s\n",
		       (unsigned long long)timeout_s);
		shutdown(SHUTDOWN_crash);
	}
	printk("hostwait: a domain shut down; powering off\n");
	shutdown(SHUTDOWN_poweroff);
}
