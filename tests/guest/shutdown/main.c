// SPDX-License-Identifier: MIT
/*
 * shutdown: ends the domain with the reason named on the command line
 * (reason=poweroff|reboot|suspend|crash|watchdog|soft_reset); with
 * code=<reason>, SCHEDOP_shutdown_code first records that reason, which
 * then wins. The runner checks how the machine ended; one boot per reason.
 */
#include "lib.h"

TEST_CATEGORY(functional);

static const char *const reasons[] = {
	"poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset",
};

static int reason_number(const char *key)
{
	char buf[16];
	unsigned int i;

	if (!cmdline_value(key, buf, sizeof(buf)))
		return -1;
	for (i = 0; i < ARRAY_SIZE(reasons); i++)
		if (!strcmp(buf, reasons[i]))
			return (int)i;
	return -1;
}

void test_main(void)
{
	int reason = reason_number("reason");
	int code = reason_number("code");
	long rc;

	if (reason < 0)
		lib_panic_msg("no valid reason= on the command line");
	if (code >= 0) {
		struct sched_shutdown s = { .reason = (uint32_t)code };

		rc = hv_sched_op(SCHEDOP_shutdown_code, &s);
		printk("SCHEDOP_shutdown_code(%s): %ld\n", reasons[code], rc);
	}
	printk("SCHEDOP_shutdown(%s)\n", reasons[reason]);
	rc = shutdown((unsigned int)reason);
	printk("SCHEDOP_shutdown returned %ld\n", rc);
	lib_panic_msg("shutdown returned");
}
