/* SPDX-License-Identifier: MIT */
/* sched_op (29): yield, block, shutdown, poll and friends. */
#ifndef HVABI_SCHED_H
#define HVABI_SCHED_H

#include <stdint.h>

#define SCHEDOP_yield 0
#define SCHEDOP_block 1
#define SCHEDOP_shutdown 2		/* struct sched_shutdown */
#define SCHEDOP_poll 3			/* struct sched_poll */
#define SCHEDOP_remote_shutdown 4	/* struct sched_remote_shutdown */
#define SCHEDOP_shutdown_code 5		/* struct sched_shutdown */
#define SCHEDOP_watchdog 6		/* struct sched_watchdog */
#define SCHEDOP_pin_override 7

#define SHUTDOWN_poweroff 0
#define SHUTDOWN_reboot 1
#define SHUTDOWN_suspend 2
#define SHUTDOWN_crash 3
#define SHUTDOWN_watchdog 4
#define SHUTDOWN_soft_reset 5
#define SHUTDOWN_MAX SHUTDOWN_soft_reset

struct sched_shutdown {
	uint32_t reason;	/* SHUTDOWN_* */
};

struct sched_poll {
	uint64_t ports;		/* guest VA of evtchn_port_t[nr_ports] */
	uint32_t nr_ports;
	uint32_t pad;
	uint64_t timeout;	/* absolute system time in ns, 0 = none */
};

struct sched_remote_shutdown {
	uint16_t domain_id;
	uint16_t pad;
	uint32_t reason;
};

struct sched_watchdog {
	uint32_t id;		/* 0 = allocate, else the watchdog's id */
	uint32_t timeout;	/* seconds; 0 = destroy */
};

_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll");
_Static_assert(sizeof(struct sched_remote_shutdown) == 8, "remote_shutdown");

#endif
