// SPDX-License-Identifier: MIT
/*
 * Malformed input over the socket, byte-exact: oversized payloads, missing
 * terminators, unknown types, bad transaction ids, bad paths and
 * permission strings, clients vanishing mid-message or mid-transaction,
 * and a client that never reads its watch events. Each gets the
 * protocol's error or is dropped, and the daemon keeps serving.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <xenstore.h>
#include "tests.h"

static char buf[XENSTORE_PAYLOAD_MAX + 1];

/* The daemon still answers a fresh client. */
static void assert_alive(void)
{
	int fd = raw_connect();

	CU_ASSERT_EQUAL(raw_call(fd, XS_READ, 0, "/", 2, buf), XS_READ);
	close(fd);
}

static void expect_err(int fd, uint32_t type, uint32_t tx, const char *p,
		       uint32_t len, const char *err)
{
	CU_ASSERT_EQUAL(raw_call(fd, type, tx, p, len, buf), XS_ERROR);
	CU_ASSERT_STRING_EQUAL(buf, err);
}

static void test_oversized(void)
{
	int fd = raw_connect();
	char big[5000] = { 0 };

	CU_ASSERT_EQUAL(raw_send(fd, XS_WRITE, 0, big, sizeof(big)), 0);
	CU_ASSERT_TRUE(raw_closed(fd, 2000));
	close(fd);
	assert_alive();
}

static void test_bad_messages(void)
{
	int fd = raw_connect();
	char longpath[3200];

	expect_err(fd, 99, 0, "x", 2, "ENOSYS");
	expect_err(fd, XS_RESTRICT, 0, "1", 2, "ENOSYS");
	expect_err(fd, XS_WATCH_EVENT, 0, "a\0b", 4, "ENOSYS");
	expect_err(fd, XS_INVALID, 0, "", 0, "ENOSYS");
	expect_err(fd, XS_READ, 0, "/tool", 5, "EINVAL");	/* no NUL */
	expect_err(fd, XS_READ, 0, "", 0, "EINVAL");
	expect_err(fd, XS_READ, 0, "/a\0/b", 6, "EINVAL");
	expect_err(fd, XS_WRITE, 0, "/novalue", 8, "EINVAL");
	expect_err(fd, XS_READ, 12345, "/tool", 6, "ENOENT");
	expect_err(fd, XS_READ, 0, "/a b", 5, "EINVAL");
	expect_err(fd, XS_READ, 0, "//a", 4, "EINVAL");
	expect_err(fd, XS_READ, 0, "/a/", 4, "EINVAL");
	expect_err(fd, XS_MKDIR, 0, "/a/\xff", 5, "EINVAL");
	memset(longpath, 'p', sizeof(longpath));
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	expect_err(fd, XS_WRITE, 0, longpath, sizeof(longpath), "EINVAL");
	expect_err(fd, XS_SET_PERMS, 0, "/tool\0x5", 9, "EINVAL");
	expect_err(fd, XS_SET_PERMS, 0, "/tool\0r", 8, "EINVAL");
	expect_err(fd, XS_SET_PERMS, 0, "/tool\0r5", 8, "EINVAL");
	expect_err(fd, XS_SET_PERMS, 0, "/tool", 6, "EINVAL");
	expect_err(fd, XS_TRANSACTION_END, 0, "T", 2, "ENOENT");
	expect_err(fd, XS_TRANSACTION_END, 0, "X", 2, "EINVAL");
	expect_err(fd, XS_WATCH, 0, "/a", 3, "EINVAL");
	expect_err(fd, XS_WATCH, 0, "/a\0t\0x", 7, "EINVAL");
	expect_err(fd, XS_UNWATCH, 0, "/a\0nope", 8, "ENOENT");
	expect_err(fd, XS_INTRODUCE, 0, "x\0" "1\0" "1", 6, "EINVAL");
	expect_err(fd, XS_INTRODUCE, 0, "0\0" "1\0" "1", 6, "EINVAL");
	expect_err(fd, XS_INTRODUCE, 0, "5\0", 2, "EINVAL");
	expect_err(fd, XS_RELEASE, 0, "99999999999", 12, "EINVAL");
	expect_err(fd, XS_RELEASE, 0, "300", 4, "ENOENT");
	expect_err(fd, XS_GET_DOMAIN_PATH, 0, "-1", 3, "EINVAL");
	expect_err(fd, XS_DIRECTORY_PART, 0, "/\0zz", 5, "EINVAL");
	expect_err(fd, XS_SET_QUOTA, 0, "bogus\0" "1", 8, "EINVAL");
	expect_err(fd, XS_CONTROL, 0, "log\0loud", 9, "EINVAL");
	expect_err(fd, XS_RM, 0, "/", 2, "EINVAL");
	/* Nested transaction start. */
	CU_ASSERT_EQUAL(raw_call(fd, XS_TRANSACTION_START, 0, "", 1, buf),
			XS_TRANSACTION_START);
	expect_err(fd, XS_TRANSACTION_START, (uint32_t)atoi(buf), "", 1,
		   "EBUSY");
	/* Still usable after all of it. */
	CU_ASSERT_EQUAL(raw_call(fd, XS_READ, 0, "/", 2, buf), XS_READ);
	close(fd);
	assert_alive();
}

static void test_vanishing_clients(void)
{
	int fd = raw_connect();
	char txid[16];
	struct xs_handle *h = xs_open(0);
	char *v;

	/* Half a header, then gone. */
	CU_ASSERT_EQUAL(send(fd, "\x02\0\0", 3, 0), 3);
	close(fd);
	/* Half a payload, then gone. */
	fd = raw_connect();
	{
		struct xsd_sockmsg hdr = { .type = XS_WRITE, .len = 100 };
		char msg[sizeof(hdr) + 10] = { 0 };

		memcpy(msg, &hdr, sizeof(hdr));
		memcpy(msg + sizeof(hdr), "/bad/half", 9);
		CU_ASSERT_EQUAL(send(fd, msg, sizeof(msg), 0),
				(ssize_t)sizeof(msg));
	}
	close(fd);
	/* Mid-transaction. */
	fd = raw_connect();
	CU_ASSERT_EQUAL(raw_call(fd, XS_TRANSACTION_START, 0, "", 1, txid),
			XS_TRANSACTION_START);
	CU_ASSERT_EQUAL(raw_call(fd, XS_WRITE, (uint32_t)atoi(txid),
				 "/bad/intx\0v", 11, buf), XS_WRITE);
	close(fd);
	usleep(50000);
	v = xs_read(h, XBT_NULL, "/bad/intx", NULL);
	CU_ASSERT_PTR_NULL(v);
	free(v);
	xs_close(h);
	assert_alive();
}

static void test_watch_flood(void)
{
	struct xs_handle *h = xs_open(0);
	int lazy = raw_connect();
	char val[1024], req[2048] = "/flood";
	int i;

	memset(val, 'f', sizeof(val));
	/* A 2 KiB token makes every event 2 KiB: 3000 of them are 6 MiB. */
	memset(req + 7, 't', sizeof(req) - 8);
	CU_ASSERT_EQUAL(raw_send(lazy, XS_WATCH, 0, req, sizeof(req)), 0);
	/* It never reads: its queue must hit the bound, not our memory. */
	for (i = 0; i < 3000; i++)
		if (!xs_write(h, XBT_NULL, "/flood/x", val, sizeof(val)))
			break;
	CU_ASSERT_EQUAL(i, 3000);
	CU_ASSERT_TRUE(raw_closed(lazy, 2000));
	close(lazy);
	xs_rm(h, XBT_NULL, "/flood");
	xs_close(h);
	assert_alive();
}

void suite_bad_register(void)
{
	CU_pSuite s = CU_add_suite("bad input", NULL, NULL);

	CU_add_test(s, "oversized payload drops the client", test_oversized);
	CU_add_test(s, "malformed requests get precise errors",
		    test_bad_messages);
	CU_add_test(s, "clients vanishing mid-message/transaction",
		    test_vanishing_clients);
	CU_add_test(s, "client never reading watch events", test_watch_flood);
}
