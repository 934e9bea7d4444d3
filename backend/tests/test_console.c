// SPDX-License-Identifier: MIT
/*
 * Console tests: consfront (this process as domain 1, and domain 2 for
 * the hostile guest) against the console back end in a forked domain 0,
 * discovered through our xenstored. Echo through the pty, bulk output
 * with flow control, the log file, and bad indexes / refs that must only
 * disconnect the console that sent them.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <CUnit/Basic.h>
#include "xbharness.h"
#include "../console/consback.h"
#include "../../frontend/consfront/consfront.h"

static struct xs_env xe;
static pid_t cons_pid;
static int cons_stop;

static int cons_child(struct xs_env *x, void *arg)
{
	struct consback cb;
	struct xenv *e = xenv_host_open(x->w, 0);
	int *p = arg, rc;

	close(p[1]);
	if (!e || consback_init(&cb, e, x->dir))
		return 2;
	rc = consback_run(&cb, p[0]);
	consback_fini(&cb);
	return rc ? 3 : 0;
}

static int suite_init(void)
{
	int p[2];

	if (xs_env_start(&xe, 3) || pipe(p))
		return 1;
	cons_pid = xs_env_fork(&xe, cons_child, p);
	close(p[0]);
	cons_stop = p[1];
	return cons_pid > 0 ? 0 : 1;
}

static int suite_clean(void)
{
	int st = -1;

	close(cons_stop);
	waitpid(cons_pid, &st, 0);
	return xs_env_stop(&xe) || !WIFEXITED(st) || WEXITSTATUS(st);
}

/* The toolstack's console keys (toolstack-compat.md 3.6). */
static int ts_add_console(unsigned int dom, grant_ref_t ref, evtchn_port_t port)
{
	char fp[64], bp[64];
	int rc = 0;

	snprintf(fp, sizeof(fp), "/local/domain/%u/console", dom);
	snprintf(bp, sizeof(bp), "/local/domain/0/backend/console/%u/0", dom);
	rc |= xb_write(&xe.xb, bp, "%s/backend", fp);
	rc |= xb_write(&xe.xb, "0", "%s/backend-id", fp);
	rc |= xb_write(&xe.xb, "1048576", "%s/limit", fp);
	rc |= xb_write(&xe.xb, "xenconsoled", "%s/type", fp);
	rc |= xb_write(&xe.xb, "pty", "%s/output", fp);
	rc |= xb_write(&xe.xb, "", "%s/tty", fp);
	rc |= xb_write_uint(&xe.xb, port, "%s/port", fp);
	rc |= xb_write_uint(&xe.xb, ref, "%s/ring-ref", fp);
	rc |= xb_write(&xe.xb, fp, "%s/frontend", bp);
	rc |= xb_write_uint(&xe.xb, dom, "%s/frontend-id", bp);
	rc |= xb_write(&xe.xb, "1", "%s/online", bp);
	rc |= xb_write(&xe.xb, "1", "%s/state", bp);
	rc |= xb_write(&xe.xb, "vt100", "%s/protocol", bp);
	return rc;
}

/* Wait for the back end to publish the pty of frontend @fp; open it. */
static int open_tty_of(const char *fp)
{
	char *tty = NULL;
	int i, fd = -1;

	for (i = 0; i < 300; i++) {
		tty = xb_read(&xe.xb, "%s/tty", fp);
		if (tty && *tty)
			break;
		free(tty);
		tty = NULL;
		usleep(10000);
	}
	if (tty)
		fd = open(tty, O_RDWR | O_NOCTTY | O_NONBLOCK);
	free(tty);
	return fd;
}

static int open_tty(unsigned int dom)
{
	char fp[64];

	snprintf(fp, sizeof(fp), "/local/domain/%u/console", dom);
	return open_tty_of(fp);
}

static int read_n(int fd, char *buf, size_t n)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	size_t got = 0;
	ssize_t r;

	while (got < n && poll(&p, 1, 3000) > 0) {
		r = read(fd, buf + got, n - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return (int)got;
}

static struct consfront cf1;
static int tty1 = -1;

static void test_echo(void)
{
	char buf[64];
	int n = 0, i, rc;

	CU_ASSERT_FATAL(consfront_init(&cf1, xe.fe, 0) == 0);
	CU_ASSERT_FATAL(ts_add_console(1, cf1.ref, cf1.port) == 0);
	tty1 = open_tty(1);
	CU_ASSERT_FATAL(tty1 >= 0);
	CU_ASSERT_TRUE(consfront_connected(&cf1));
	CU_ASSERT_EQUAL(consfront_write(&cf1, "hello console\n", 14), 14);
	CU_ASSERT_EQUAL(read_n(tty1, buf, 14), 14);
	CU_ASSERT(!memcmp(buf, "hello console\n", 14));
	/* User types at the pty; the guest echoes it back. */
	CU_ASSERT_EQUAL(write(tty1, "ping!", 5), 5);
	for (i = 0; i < 300 && n < 5; i++) {
		rc = consfront_read(&cf1, buf + n, sizeof(buf) - n);
		CU_ASSERT_FATAL(rc >= 0);
		n += rc;
		if (n < 5)
			xenv_evtchn_wait(xe.fe, 10);
	}
	CU_ASSERT_EQUAL(n, 5);
	CU_ASSERT_EQUAL(consfront_write(&cf1, buf, 5), 5);
	CU_ASSERT_EQUAL(read_n(tty1, buf + 10, 5), 5);
	CU_ASSERT(!memcmp(buf + 10, "ping!", 5));
}

static void test_bulk_and_log(void)
{
	static char out[100000], in[100000];
	size_t sent = 0;
	int i, rc, got;
	char path[128];
	FILE *f;

	for (i = 0; i < (int)sizeof(out); i++)
		out[i] = (char)('a' + i % 26);
	/* 100 KB through a 2 KiB ring: the back end must apply flow
	 * control, not drop. A reader thread is not needed: we alternate. */
	got = 0;
	while (sent < sizeof(out) || got < (int)sizeof(out)) {
		rc = consfront_write(&cf1, out + sent, sizeof(out) - sent);
		CU_ASSERT_FATAL(rc >= 0);
		sent += (size_t)rc;
		rc = (int)read(tty1, in + got, sizeof(in) - got);
		if (rc > 0)
			got += rc;
		else
			usleep(1000);
		if (rc <= 0 && sent == sizeof(out) && got < (int)sizeof(in)) {
			struct pollfd p = {.fd = tty1, .events = POLLIN};

			if (poll(&p, 1, 3000) <= 0)
				break;
		}
	}
	CU_ASSERT_EQUAL(got, (int)sizeof(out));
	CU_ASSERT(!memcmp(in, out, sizeof(out)));
	snprintf(path, sizeof(path), "%s/guest-1.log", xe.dir);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(fread(in, 1, 14, f) == 14 &&
		  !memcmp(in, "hello console\n", 14));
	fclose(f);
}

static void test_bad_guest(void)
{
	struct xenv *e2 = xenv_host_open(xe.w, 2);
	struct consfront cf2;
	char buf[16];
	int tty2;

	CU_ASSERT_FATAL(e2 != NULL);
	CU_ASSERT_FATAL(consfront_init(&cf2, e2, 0) == 0);
	/* A ring-ref that was never granted: no console, no crash. */
	CU_ASSERT_FATAL(ts_add_console(2, 4000, cf2.port) == 0);
	usleep(200000);
	{
		char *tty = xb_read(&xe.xb, "/local/domain/2/console/tty");

		CU_ASSERT(tty && !*tty);
		free(tty);
	}
	/* Now the real ref; then the guest runs out_prod far ahead. */
	xb_write_uint(&xe.xb, cf2.ref, "/local/domain/2/console/ring-ref");
	tty2 = open_tty(2);
	CU_ASSERT_FATAL(tty2 >= 0);
	cf2.intf->out_prod = 100000;
	xenv_evtchn_notify(e2, cf2.port);
	usleep(200000);
	/* Disconnected: nothing consumed, nothing reaches the pty. */
	CU_ASSERT_EQUAL(cf2.intf->out_cons, 0);
	CU_ASSERT_EQUAL(read_n(tty2, buf, 1), 0);
	/* Domain 1's console still works. */
	CU_ASSERT_EQUAL(consfront_write(&cf1, "still here", 10), 10);
	CU_ASSERT_EQUAL(read_n(tty1, buf, 10), 10);
	CU_ASSERT(!memcmp(buf, "still here", 10));
	close(tty2);
	consfront_fini(&cf2);
	xenv_close(e2);
}

/* Until "<@dir>/state" is @st (3 s at most); the last state seen. */
static uint64_t wait_state(const char *dir, uint64_t st)
{
	uint64_t v = XenbusStateUnknown;

	for (int i = 0; i < 300; i++) {
		if (!xb_read_uint(&xe.xb, &v, 8, "%s/state", dir) && v == st)
			break;
		usleep(10000);
	}
	return v;
}

/*
 * A secondary console as Linux's hvc_xen drives it over xenbus: the
 * toolstack's keys, the front end's ring-ref/port/type "ioemu" then
 * Initialised; we must go InitWait, then Connected, carry a line each
 * way, follow its Closing/Closed and offer ourselves again when it starts
 * over. A type we do not serve never connects.
 */
static void test_secondary(void)
{
	static const char fp[] = "/local/domain/1/device/console/1",
			  bp[] = "/local/domain/0/backend/console/1/1";
	struct consfront cf;
	char buf[16];
	int tty, rc = 0;

	CU_ASSERT_FATAL(consfront_init(&cf, xe.fe, 0) == 0);
	rc |= xb_write(&xe.xb, fp, "%s/frontend", bp);
	rc |= xb_write(&xe.xb, "1", "%s/frontend-id", bp);
	rc |= xb_write(&xe.xb, "1", "%s/online", bp);
	rc |= xb_write(&xe.xb, "1", "%s/state", bp);
	rc |= xb_write(&xe.xb, bp, "%s/backend", fp);
	rc |= xb_write(&xe.xb, "0", "%s/backend-id", fp);
	rc |= xb_write(&xe.xb, "1", "%s/state", fp);
	CU_ASSERT_FATAL(rc == 0);
	CU_ASSERT_EQUAL(wait_state(bp, XenbusStateInitWait),
			XenbusStateInitWait);
	rc |= xb_write_uint(&xe.xb, cf.ref, "%s/ring-ref", fp);
	rc |= xb_write_uint(&xe.xb, cf.port, "%s/port", fp);
	rc |= xb_write(&xe.xb, "vnc", "%s/type", fp);
	rc |= xb_switch(&xe.xb, fp, XenbusStateInitialised);
	CU_ASSERT_FATAL(rc == 0);
	usleep(200000);
	CU_ASSERT_EQUAL(wait_state(bp, XenbusStateInitWait),
			XenbusStateInitWait); /* not a console of ours */
	xb_write(&xe.xb, "ioemu", "%s/type", fp);
	CU_ASSERT_EQUAL(wait_state(bp, XenbusStateConnected),
			XenbusStateConnected);
	tty = open_tty_of(fp);
	CU_ASSERT_FATAL(tty >= 0);
	CU_ASSERT_EQUAL(consfront_write(&cf, "hvc1\n", 5), 5);
	CU_ASSERT_EQUAL(read_n(tty, buf, 5), 5);
	CU_ASSERT(!memcmp(buf, "hvc1\n", 5));
	CU_ASSERT_EQUAL(write(tty, "in", 2), 2);
	for (int i = 0, n = 0, r; i < 300 && n < 2; i++) {
		r = consfront_read(&cf, buf + n, sizeof(buf) - (size_t)n);
		CU_ASSERT_FATAL(r >= 0);
		n += r;
		if (n < 2)
			xenv_evtchn_wait(xe.fe, 10);
		if (n == 2)
			CU_ASSERT(!memcmp(buf, "in", 2));
	}
	/* The guest shuts down: it goes Closing and waits for us. */
	xb_switch(&xe.xb, fp, XenbusStateClosing);
	CU_ASSERT_EQUAL(wait_state(bp, XenbusStateClosing),
			XenbusStateClosing);
	xb_switch(&xe.xb, fp, XenbusStateClosed);
	CU_ASSERT_EQUAL(wait_state(bp, XenbusStateClosed), XenbusStateClosed);
	/* ... its ring is no longer ours: nothing moves. */
	CU_ASSERT_EQUAL(consfront_write(&cf, "late", 4), 4);
	CU_ASSERT_EQUAL(read_n(tty, buf, 4), 0);
	xb_switch(&xe.xb, fp, XenbusStateInitialising);
	CU_ASSERT_EQUAL(wait_state(bp, XenbusStateInitWait),
			XenbusStateInitWait);
	close(tty);
	xb_rm(&xe.xb, "%s", bp);
	xb_rm(&xe.xb, "%s", fp);
	consfront_fini(&cf);
}

int main(void)
{
	CU_pSuite s;
	unsigned int fails;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("console", suite_init, suite_clean);
	CU_add_test(s, "echo through the pty", test_echo);
	CU_add_test(s, "bulk output, flow control, log file",
		    test_bulk_and_log);
	CU_add_test(s, "bad ring-ref and indexes", test_bad_guest);
	CU_add_test(s, "secondary console over xenbus", test_secondary);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed() +
		CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
