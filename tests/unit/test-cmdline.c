// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line parser: every option type, "no-" negation, '-'/'_'
 * equivalence, size suffixes, and every error reported without stopping
 * the parse. Builds hypervisor/common/lib/cmdline.c.
 */
#include <stdio.h>
#include <string.h>
#include <hv/cmdline.h>
#include "harness.h"

static bool opt_debug, opt_sync, opt_flag;
static uint64_t opt_mem, opt_level;
static char opt_console[16];
static char custom_seen[64];

static int custom_cb(const char *val, void *var)
{
	int *calls = var;

	(*calls)++;
	if (val && !strcmp(val, "bad"))
		return -HV_EINVAL;
	snprintf(custom_seen, sizeof(custom_seen), "%s", val ? val : "(bare)");
	return 0;
}

static int custom_calls;

static const struct cmdline_param table[] = {
    CMDLINE_BOOL_PARAM("debug", &opt_debug),
    CMDLINE_BOOL_PARAM("sync_console", &opt_sync),
    CMDLINE_BOOL_PARAM("flag", &opt_flag),
    CMDLINE_UINT_PARAM("dom0_mem", &opt_mem),
    CMDLINE_UINT_PARAM("loglvl", &opt_level),
    CMDLINE_STRING_PARAM("console", opt_console),
    CMDLINE_CUSTOM_PARAM("custom", custom_cb, &custom_calls),
};

struct report_log {
	unsigned int n;
	char words[8][CMDLINE_MAX_WORD];
	int errs[8];
};

static void report(void *ctx, const char *word, int err)
{
	struct report_log *log = ctx;

	if (log->n < 8) {
		snprintf(log->words[log->n], CMDLINE_MAX_WORD, "%s", word);
		log->errs[log->n] = err;
	}
	log->n++;
}

static void reset(struct report_log *log)
{
	opt_debug = opt_sync = opt_flag = false;
	opt_mem = opt_level = 0;
	strcpy(opt_console, "unset");
	custom_seen[0] = '\0';
	custom_calls = 0;
	memset(log, 0, sizeof(*log));
}

static int run(const char *line, struct report_log *log)
{
	reset(log);
	return cmdline_parse(line, table, ARRAY_LEN(table), report, log);
}

static void test_basic(void)
{
	static struct report_log log;

	CU_ASSERT_EQUAL(run("debug sync-console dom0_mem=512M loglvl=0x1f "
			    "console=com1,vga custom=abc",
			    &log),
			0);
	CU_ASSERT_EQUAL(log.n, 0);
	CU_ASSERT(opt_debug && opt_sync && !opt_flag);
	CU_ASSERT_EQUAL(opt_mem, 512ULL << 20);
	CU_ASSERT_EQUAL(opt_level, 0x1f);
	CU_ASSERT_STRING_EQUAL(opt_console, "com1,vga");
	CU_ASSERT_STRING_EQUAL(custom_seen, "abc");
	/* Separators, empty and NULL lines. */
	CU_ASSERT_EQUAL(run("  \tflag\n\n  debug  ", &log), 0);
	CU_ASSERT(opt_flag && opt_debug);
	CU_ASSERT_EQUAL(run("", &log), 0);
	CU_ASSERT_EQUAL(run("   ", &log), 0);
	CU_ASSERT_EQUAL(
	    cmdline_parse(NULL, table, ARRAY_LEN(table), NULL, NULL), 0);
	CU_ASSERT_EQUAL(run("custom", &log), 0);
	CU_ASSERT_STRING_EQUAL(custom_seen, "(bare)");
	CU_ASSERT_EQUAL(run("console=", &log), 0);
	CU_ASSERT_STRING_EQUAL(opt_console, "");
}

static void test_bools(void)
{
	static struct report_log log;
	static const char *const on[] = {"1", "yes", "on", "true", "enable"};
	static const char *const off[] = {"0", "no", "off", "false", "disable"};
	char line[64];
	unsigned int i;

	for (i = 0; i < ARRAY_LEN(on); i++) {
		snprintf(line, sizeof(line), "debug=%s flag no-flag flag=%s",
			 on[i], off[i]);
		CU_ASSERT_EQUAL(run(line, &log), 0);
		CU_ASSERT(opt_debug);
		CU_ASSERT_FALSE(opt_flag);
	}
	/* Later words win. */
	CU_ASSERT_EQUAL(run("debug no-debug", &log), 0);
	CU_ASSERT_FALSE(opt_debug);
	CU_ASSERT_EQUAL(run("no_debug debug", &log),
			-HV_ENOENT); /* "no_" is a name */
	CU_ASSERT(opt_debug);
	CU_ASSERT_EQUAL(run("debug=maybe", &log), -HV_EINVAL);
	CU_ASSERT_FALSE(opt_debug);
	CU_ASSERT_EQUAL(run("no-debug=1", &log), -HV_EINVAL);
	CU_ASSERT_EQUAL(run("no-loglvl", &log), -HV_EINVAL);
	CU_ASSERT_EQUAL(run("no-", &log), -HV_ENOENT);
}

static void test_numbers(void)
{
	static struct report_log log;
	uint64_t v = 7;

	CU_ASSERT_EQUAL(cmdline_parse_uint("0", &v), 0);
	CU_ASSERT_EQUAL(v, 0);
	CU_ASSERT_EQUAL(cmdline_parse_uint("4k", &v), 0);
	CU_ASSERT_EQUAL(v, 4096);
	CU_ASSERT_EQUAL(cmdline_parse_uint("1G", &v), 0);
	CU_ASSERT_EQUAL(v, 1ULL << 30);
	CU_ASSERT_EQUAL(cmdline_parse_uint("3t", &v), 0);
	CU_ASSERT_EQUAL(v, 3ULL << 40);
	CU_ASSERT_EQUAL(cmdline_parse_uint("0XfF", &v), 0);
	CU_ASSERT_EQUAL(v, 255);
	CU_ASSERT_EQUAL(cmdline_parse_uint("18446744073709551615", &v), 0);
	CU_ASSERT_EQUAL(v, UINT64_MAX);
	v = 7;
	CU_ASSERT_EQUAL(cmdline_parse_uint("18446744073709551616", &v),
			-HV_ERANGE);
	CU_ASSERT_EQUAL(cmdline_parse_uint("0x10000000000000000", &v),
			-HV_ERANGE);
	CU_ASSERT_EQUAL(cmdline_parse_uint("16777216T", &v), -HV_ERANGE);
	CU_ASSERT_EQUAL(cmdline_parse_uint("16777215T", &v), 0);
	CU_ASSERT_EQUAL(cmdline_parse_uint("", &v), -HV_EINVAL);
	CU_ASSERT_EQUAL(cmdline_parse_uint("0x", &v), -HV_EINVAL);
	CU_ASSERT_EQUAL(cmdline_parse_uint("M", &v), -HV_EINVAL);
	CU_ASSERT_EQUAL(cmdline_parse_uint("12MB", &v), -HV_EINVAL);
	CU_ASSERT_EQUAL(cmdline_parse_uint("12Q", &v), -HV_EINVAL);
	CU_ASSERT_EQUAL(cmdline_parse_uint("-1", &v), -HV_EINVAL);
	CU_ASSERT_EQUAL(cmdline_parse_uint("1 2", &v), -HV_EINVAL);
	CU_ASSERT_EQUAL(v, 16777215ULL << 40); /* untouched by failures */
	CU_ASSERT_EQUAL(run("dom0_mem loglvl=abc dom0-mem=1K", &log),
			-HV_EINVAL);
	CU_ASSERT_EQUAL(log.n, 2);
	CU_ASSERT_EQUAL(opt_mem, 1024);
	CU_ASSERT_EQUAL(opt_level, 0);
}

static void test_errors_reported(void)
{
	static struct report_log log;
	char line[600];

	CU_ASSERT_EQUAL(run("bogus debug console=0123456789abcdef "
			    "custom=bad loglvl=99999999999999999999 flag",
			    &log),
			-HV_ENOENT);
	CU_ASSERT(opt_debug && opt_flag); /* good words still applied */
	CU_ASSERT_EQUAL(log.n, 4);
	CU_ASSERT_STRING_EQUAL(log.words[0], "bogus");
	CU_ASSERT_EQUAL(log.errs[0], -HV_ENOENT);
	CU_ASSERT_STRING_EQUAL(log.words[1], "console=0123456789abcdef");
	CU_ASSERT_EQUAL(log.errs[1], -HV_ENOSPC);
	CU_ASSERT_STRING_EQUAL(opt_console, "unset");
	CU_ASSERT_EQUAL(log.errs[2], -HV_EINVAL);
	CU_ASSERT_EQUAL(custom_calls, 1);
	CU_ASSERT_EQUAL(log.errs[3], -HV_ERANGE);
	/* Exactly fitting string: 15 characters into 16 bytes. */
	CU_ASSERT_EQUAL(run("console=0123456789abcde", &log), 0);
	CU_ASSERT_STRING_EQUAL(opt_console, "0123456789abcde");
	/* A word longer than CMDLINE_MAX_WORD, then a normal one. */
	memset(line, 'x', sizeof(line));
	memcpy(line, "console=", 8);
	strcpy(line + 500, " debug");
	CU_ASSERT_EQUAL(run(line, &log), -HV_E2BIG);
	CU_ASSERT_EQUAL(log.n, 1);
	CU_ASSERT_EQUAL(strlen(log.words[0]), CMDLINE_MAX_WORD - 1);
	CU_ASSERT(opt_debug);
	/* No report callback: errors still returned. */
	reset(&log);
	CU_ASSERT_EQUAL(
	    cmdline_parse("what", table, ARRAY_LEN(table), NULL, NULL),
	    -HV_ENOENT);
	/* Name matching is exact apart from '-' and '_'. */
	CU_ASSERT_EQUAL(run("debu", &log), -HV_ENOENT);
	CU_ASSERT_EQUAL(run("debugx", &log), -HV_ENOENT);
	CU_ASSERT_EQUAL(run("DEBUG", &log), -HV_ENOENT);
	CU_ASSERT_EQUAL(run("=1", &log), -HV_ENOENT);
	CU_ASSERT_EQUAL(run("sync-console=on", &log), 0);
	CU_ASSERT(opt_sync);
}

bool suite_cmdline(void)
{
	static const struct unit_test tests[] = {
	    {"all types", test_basic},
	    {"booleans", test_bools},
	    {"numbers and suffixes", test_numbers},
	    {"errors reported, parse continues", test_errors_reported},
	};

	return UNIT_SUITE("cmdline", tests);
}
