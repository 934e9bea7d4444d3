// SPDX-License-Identifier: MIT
/*
 * The report API: runs test cases, keeps each case's worst status and its
 * first reason, prints one `TEST <suite>/<case> <STATUS> [reason]` line per
 * case and the closing `DONE` line. Protocol: tests/README.md.
 */
#include "lib.h"
#include "private.h"

static const char *const status_names[] = {
	[ST_PASS] = "PASS", [ST_SKIP] = "SKIP",
	[ST_ERROR] = "ERROR", [ST_FAIL] = "FAIL",
};

static struct {
	const char *name;	/* NULL outside a case */
	enum test_status status;
	char reason[160];
	struct jmp_buf jmp;
} cur;

static unsigned int totals[4];

bool case_running(void)
{
	return cur.name != NULL;
}

uint64_t case_abort_stack(void)
{
	/* Below run_case's frame, aligned as just after a call. */
	return (cur.jmp.rsp & ~0xfUL) - 256 - 8;
}

static void report(enum test_status st, const char *fmt, va_list ap)
{
	if (!cur.name) {
		char buf[160];

		vsnprintf(buf, sizeof(buf), fmt, ap);
		printk("%s outside a test case: %s\n", status_names[st], buf);
		return;
	}
	if (st > cur.status) {
		cur.status = st;
		vsnprintf(cur.reason, sizeof(cur.reason), fmt, ap);
	}
}

#define REPORT_FN(fn, st)                                                    \
	void fn(const char *fmt, ...)                                        \
	{                                                                    \
		va_list ap;                                                  \
		va_start(ap, fmt);                                           \
		report(st, fmt, ap);                                         \
		va_end(ap);                                                  \
	}

REPORT_FN(fail, ST_FAIL)
REPORT_FN(error, ST_ERROR)
REPORT_FN(skip, ST_SKIP)

void case_abort(void)
{
	pv_longjmp(&cur.jmp, 1);
}

void run_case(const char *name, void (*fn)(void))
{
	cur.name = name;
	cur.status = ST_PASS;
	cur.reason[0] = '\0';
	trap_clear();
	if (pv_setjmp(&cur.jmp) == 0)
		fn();
	totals[cur.status]++;
	if (cur.reason[0])
		printk("TEST %s/%s %s %s\n", test_suite, name,
		       status_names[cur.status], cur.reason);
	else
		printk("TEST %s/%s %s\n", test_suite, name,
		       status_names[cur.status]);
	cur.name = NULL;
}

void report_summary(void)
{
	printk("DONE %s %u passed, %u failed, %u errors, %u skipped\n",
	       test_suite, totals[ST_PASS], totals[ST_FAIL], totals[ST_ERROR],
	       totals[ST_SKIP]);
}

void lib_panic_msg(const char *why)
{
	lib_panic(why);
}

void lib_panic(const char *why)
{
	printk("PANIC %s: %s\n", test_suite, why);
	shutdown(SHUTDOWN_crash);
	for (;;)
		hypercall2(HC_NR_sched_op, 0 /* yield */, 0);
}
