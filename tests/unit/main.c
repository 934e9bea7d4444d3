// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit-test runner: registers every suite, runs them with CUnit's
 * basic interface and exits non-zero if any assertion or suite failed.
 */
#include <stdbool.h>
#include <stdio.h>
#include <CUnit/Basic.h>
#include "harness.h"

bool unit_add_suite(const char *name, const struct unit_test *tests, size_t n)
{
	CU_pSuite s = CU_add_suite(name, NULL, NULL);
	size_t i;

	if (!s)
		return false;
	for (i = 0; i < n; i++)
		if (!CU_add_test(s, tests[i].name, tests[i].fn))
			return false;
	return true;
}

int main(void)
{
	bool (*const suites[])(void) = {
	    suite_elf,	   suite_elf_malformed, suite_elf_fixture,
	    suite_cmdline, suite_vsnprintf,	suite_string,
	    suite_frame_bitmap, suite_hypercall_table, suite_evtchn_ports,
	    suite_sched_runq, suite_guest_range,
	    suite_page_type, suite_page_tables, suite_mod_entry,
	    suite_page_type_random,
	};
	unsigned int failed;
	size_t i;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (!suites[i]()) {
			fprintf(stderr, "unit: cannot register suite: %s\n",
				CU_get_error_msg());
			CU_cleanup_registry();
			return 2;
		}
	}
	CU_basic_set_mode(CU_BRM_NORMAL);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() +
		 CU_get_number_of_suites_failed() +
		 CU_get_number_of_tests_failed();
	if (CU_get_error() != CUE_SUCCESS)
		failed++;
	CU_cleanup_registry();
	printf("unit: %s\n", failed ? "FAILED" : "all passed");
	return failed ? 1 : 0;
}
