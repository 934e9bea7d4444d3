/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host unit-test harness: CUnit plus the hypervisor's include paths. Each
 * test-*.c file builds real hypervisor sources and registers one suite.
 * Tests compare against HV_E* (hvabi/errno.h), never libc's E* names,
 * because CUnit pulls in <errno.h> and hv/errno.h would clash with it.
 */
#ifndef TESTS_UNIT_HARNESS_H
#define TESTS_UNIT_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <CUnit/CUnit.h>
#include <hvabi/errno.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

/* Add a suite of @n tests; returns false (after CUnit reports) on error. */
bool unit_add_suite(const char *name, const struct unit_test *tests, size_t n);

#define UNIT_SUITE(name, tests) unit_add_suite(name, tests, ARRAY_LEN(tests))
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Suites, one per test file. */
bool suite_elf(void);
bool suite_elf_malformed(void);
bool suite_elf_fixture(void);
bool suite_cmdline(void);
bool suite_vsnprintf(void);
bool suite_string(void);
bool suite_guest_range(void);
bool suite_frame_bitmap(void);
bool suite_hypercall_table(void);
bool suite_evtchn_ports(void);
bool suite_sched_runq(void);
bool suite_page_type(void);
bool suite_page_tables(void);
bool suite_mod_entry(void);
bool suite_page_type_random(void);

#endif
