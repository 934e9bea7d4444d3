// SPDX-License-Identifier: MIT
/*
 * libxenstore against the running daemon over the socket: node
 * operations, transactions (isolation, EAGAIN), watches (initial event,
 * subpaths, relative paths, unwatch filter, xs_fileno), permissions,
 * large directories (DIRECTORY_PART fallback), control and threads.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xenstore.h>
#include "tests.h"

static struct xs_handle *h;

static int init(void)
{
	h = xs_open(0);
	return h ? 0 : -1;
}

static int fini(void)
{
	xs_close(h);
	return 0;
}

static char *rd(const char *path)
{
	return xs_read(h, XBT_NULL, path, NULL);
}

static void test_basic(void)
{
	unsigned int len, num;
	char *v, **d;

	CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/t/basic/a", "hello", 5));
	v = xs_read(h, XBT_NULL, "/t/basic/a", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(len, 5);
	CU_ASSERT_STRING_EQUAL(v, "hello");
	free(v);
	CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/t/basic/bin", "a\0b", 3));
	v = xs_read(h, XBT_NULL, "/t/basic/bin", &len);
	CU_ASSERT_EQUAL(len, 3);
	CU_ASSERT_EQUAL(memcmp(v, "a\0b", 3), 0);
	free(v);
	CU_ASSERT_TRUE(xs_mkdir(h, XBT_NULL, "/t/basic/dir"));
	CU_ASSERT_TRUE(xs_mkdir(h, XBT_NULL, "/t/basic/dir"));
	d = xs_directory(h, XBT_NULL, "/t/basic", &num);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(num, 3);
	CU_ASSERT_STRING_EQUAL(d[0], "a");
	CU_ASSERT_STRING_EQUAL(d[2], "dir");
	free(d);
	CU_ASSERT_PTR_NULL(rd("/t/basic/none"));
	CU_ASSERT_EQUAL(errno, ENOENT);
	CU_ASSERT_TRUE(xs_rm(h, XBT_NULL, "/t/basic/none"));
	CU_ASSERT_FALSE(xs_rm(h, XBT_NULL, "/t/nothere/x"));
	CU_ASSERT_EQUAL(errno, ENOENT);
	CU_ASSERT_FALSE(xs_rm(h, XBT_NULL, "/"));
	CU_ASSERT_EQUAL(errno, EINVAL);
	CU_ASSERT_TRUE(xs_rm(h, XBT_NULL, "/t/basic"));
	CU_ASSERT_PTR_NULL(rd("/t/basic/a"));
	/* Relative paths of a socket client resolve below dom0's home. */
	CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "rel", "r", 1));
	v = rd("/local/domain/0/rel");
	CU_ASSERT_PTR_NOT_NULL(v);
	free(v);
	v = xs_get_domain_path(h, 12);
	CU_ASSERT_STRING_EQUAL(v, "/local/domain/12");
	free(v);
	CU_ASSERT_FALSE(xs_is_domain_introduced(h, 12));
	CU_ASSERT_FALSE(xs_write(h, XBT_NULL, "/bad path", "", 0));
	CU_ASSERT_EQUAL(errno, EINVAL);
}

static void test_transactions(void)
{
	xs_transaction_t t1, t2;
	char *v;

	CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/t/tx/a", "0", 1));
	t1 = xs_transaction_start(h);
	CU_ASSERT_NOT_EQUAL(t1, XBT_NULL);
	CU_ASSERT_TRUE(xs_write(h, t1, "/t/tx/a", "1", 1));
	v = rd("/t/tx/a");
	CU_ASSERT_STRING_EQUAL(v, "0");	/* not visible before commit */
	free(v);
	v = xs_read(h, t1, "/t/tx/a", NULL);
	CU_ASSERT_STRING_EQUAL(v, "1");
	free(v);
	CU_ASSERT_TRUE(xs_transaction_end(h, t1, false));
	t1 = xs_transaction_start(h);
	t2 = xs_transaction_start(h);
	CU_ASSERT_NOT_EQUAL(t1, t2);
	v = xs_read(h, t1, "/t/tx/a", NULL);
	free(v);
	CU_ASSERT_TRUE(xs_write(h, t2, "/t/tx/a", "2", 1));
	CU_ASSERT_TRUE(xs_transaction_end(h, t2, false));	/* commit */
	CU_ASSERT_TRUE(xs_write(h, t1, "/t/tx/b", "x", 1));
	CU_ASSERT_FALSE(xs_transaction_end(h, t1, false));
	CU_ASSERT_EQUAL(errno, EAGAIN);
	CU_ASSERT_PTR_NULL(rd("/t/tx/b"));
	CU_ASSERT_FALSE(xs_transaction_end(h, 4242, false));
	CU_ASSERT_EQUAL(errno, ENOENT);
	CU_ASSERT_PTR_NULL(xs_read(h, 4242, "/t/tx/a", NULL));
	CU_ASSERT_EQUAL(errno, ENOENT);
}

static char **wait_event(struct xs_handle *x)
{
	struct pollfd p = { .fd = xs_fileno(x), .events = POLLIN };

	if (poll(&p, 1, 3000) <= 0)
		return NULL;
	return xs_check_watch(x);
}

static void test_watches(void)
{
	struct xs_handle *w = xs_open(0);
	char **ev;

	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_PTR_NULL(xs_check_watch(w));
	CU_ASSERT_EQUAL(errno, EAGAIN);
	CU_ASSERT_TRUE(xs_watch(w, "/t/w", "tok"));
	ev = wait_event(w);	/* fired once up front */
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
	CU_ASSERT_STRING_EQUAL(ev[XS_WATCH_PATH], "/t/w");
	CU_ASSERT_STRING_EQUAL(ev[XS_WATCH_TOKEN], "tok");
	free(ev);
	CU_ASSERT_FALSE(xs_watch(w, "/t/w", "tok"));
	CU_ASSERT_EQUAL(errno, EEXIST);
	CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/t/w/x/y", "1", 1));
	ev = wait_event(w);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
	CU_ASSERT_STRING_EQUAL(ev[XS_WATCH_PATH], "/t/w/x/y");
	free(ev);
	CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/t/other", "1", 1));
	CU_ASSERT_TRUE(xs_rm(h, XBT_NULL, "/t/w"));
	ev = wait_event(w);	/* not /t/other */
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
	CU_ASSERT_STRING_EQUAL(ev[XS_WATCH_PATH], "/t/w");
	free(ev);
	/* Relative watch: relative event path. */
	CU_ASSERT_TRUE(xs_watch(w, "relw", "r"));
	free(wait_event(w));
	CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/local/domain/0/relw/k", "", 0));
	ev = wait_event(w);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
	CU_ASSERT_STRING_EQUAL(ev[XS_WATCH_PATH], "relw/k");
	free(ev);
	CU_ASSERT_TRUE(xs_unwatch(w, "relw", "r"));
	CU_ASSERT_FALSE(xs_unwatch(w, "relw", "r"));
	CU_ASSERT_EQUAL(errno, ENOENT);
	/* Removing an ancestor reports the watched path itself. */
	CU_ASSERT_TRUE(xs_watch(w, "/t/deep/a/b", "d"));
	free(wait_event(w));
	CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/t/deep/a/b/c", "", 0));
	free(wait_event(w));
	CU_ASSERT_TRUE(xs_rm(h, XBT_NULL, "/t/deep"));
	ev = wait_event(w);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
	CU_ASSERT_STRING_EQUAL(ev[XS_WATCH_PATH], "/t/deep/a/b");
	free(ev);
	xs_close(w);
}

static void test_watch_in_txn(void)
{
	struct xs_handle *w = xs_open(XS_UNWATCH_FILTER);
	xs_transaction_t t;
	char **ev;

	CU_ASSERT_TRUE(xs_watch(w, "/t/wt", "t"));
	free(wait_event(w));
	t = xs_transaction_start(h);
	CU_ASSERT_TRUE(xs_write(h, t, "/t/wt/a", "1", 1));
	usleep(100000);
	CU_ASSERT_PTR_NULL(xs_check_watch(w));	/* not before commit */
	CU_ASSERT_TRUE(xs_transaction_end(h, t, false));
	ev = wait_event(w);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
	CU_ASSERT_STRING_EQUAL(ev[XS_WATCH_PATH], "/t/wt/a");
	free(ev);
	/* With XS_UNWATCH_FILTER queued events of the watch go away. */
	CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/t/wt/b", "1", 1));
	usleep(100000);
	CU_ASSERT_TRUE(xs_unwatch(w, "/t/wt", "t"));
	CU_ASSERT_PTR_NULL(xs_check_watch(w));
	xs_close(w);
}

static void test_perms(void)
{
	struct xs_permissions set[2] = { { 3, XS_PERM_NONE },
					 { 4, XS_PERM_READ } };
	struct xs_permissions *p;
	unsigned int n;

	CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/t/perm/a", "", 0));
	CU_ASSERT_TRUE(xs_set_permissions(h, XBT_NULL, "/t/perm", set, 2));
	p = xs_get_permissions(h, XBT_NULL, "/t/perm", &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(p[0].id, 3);
	CU_ASSERT_EQUAL(p[1].perms, XS_PERM_READ);
	free(p);
	/* New children inherit the parent's list. */
	CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/t/perm/new", "", 0));
	p = xs_get_permissions(h, XBT_NULL, "/t/perm/new", &n);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(p[0].id, 3);
	free(p);
	p = xs_get_permissions(h, XBT_NULL, "@releaseDomain", &n);
	CU_ASSERT_PTR_NOT_NULL(p);
	free(p);
	CU_ASSERT_FALSE(xs_set_permissions(h, XBT_NULL, "/t/perm", set, 0));
	CU_ASSERT_EQUAL(errno, EINVAL);
}

static void test_big_directory(void)
{
	char path[128], **d;
	unsigned int num, i;
	xs_transaction_t t = xs_transaction_start(h);

	/* 200 names of 40 bytes: 8 KiB, over one message. */
	for (i = 0; i < 200; i++) {
		snprintf(path, sizeof(path),
			 "/t/big/child-with-a-long-name-number-%04u", i);
		CU_ASSERT_TRUE(xs_write(h, t, path, "", 0));
	}
	CU_ASSERT_TRUE(xs_transaction_end(h, t, false));
	d = xs_directory(h, XBT_NULL, "/t/big", &num);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(num, 200);
	CU_ASSERT_STRING_EQUAL(d[199], "child-with-a-long-name-number-0199");
	free(d);
	CU_ASSERT_TRUE(xs_rm(h, XBT_NULL, "/t/big"));
}

/* 1530 levels (3065 bytes): creation, removal and checks use no stack
 * per level in the daemon. */
static void test_deep_path(void)
{
	char *deep = malloc(XENSTORE_ABS_PATH_MAX + 1), *v, *r;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(deep);
	strcpy(deep, "/t/deep2");
	for (i = 0; i < 1520; i++)
		strcat(deep, "/a");
	CU_ASSERT_TRUE(xs_write(h, XBT_NULL, deep, "leaf", 4));
	v = rd(deep);
	CU_ASSERT_PTR_NOT_NULL(v);
	free(v);
	r = xs_control_command(h, "check", NULL, 0);
	CU_ASSERT_PTR_NOT_NULL(r);
	free(r);
	CU_ASSERT_TRUE(xs_rm(h, XBT_NULL, "/t/deep2"));
	CU_ASSERT_PTR_NULL(rd(deep));
	free(deep);
}

static void test_control(void)
{
	char *r = xs_control_command(h, "check", NULL, 0);

	CU_ASSERT_PTR_NOT_NULL(r);
	free(r);
	r = xs_control_command(h, "quota", NULL, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_PTR_NOT_NULL(strstr(r, "transactions"));
	free(r);
	/* Every request is logged at debug level, to a chosen file. */
	{
		char log[] = "/tmp/xs-ctl-log.XXXXXX", line[512];
		char dbg[] = "debug", warn[] = "warn", dash[] = "-";
		int fd = mkstemp(log), seen = 0;
		FILE *f;

		close(fd);
		r = xs_control_command(h, "logfile", log, sizeof(log));
		CU_ASSERT_PTR_NOT_NULL(r);
		free(r);
		free(xs_control_command(h, "log", dbg, sizeof(dbg)));
		free(rd("/tool"));
		free(xs_control_command(h, "log", warn, sizeof(warn)));
		free(xs_control_command(h, "logfile", dash, sizeof(dash)));
		f = fopen(log, "r");
		while (f && fgets(line, sizeof(line), f))
			seen |= strstr(line, "dom 0: READ") != NULL;
		if (f)
			fclose(f);
		unlink(log);
		CU_ASSERT_TRUE(seen);
	}
	CU_ASSERT_PTR_NULL(xs_control_command(h, "no-such-cmd", NULL, 0));
	CU_ASSERT_EQUAL(errno, EINVAL);
	CU_ASSERT_FALSE(xs_restrict(h, 1));
}

static void test_features_quotas(void)
{
	struct xs_handle *w = xs_open(0);
	unsigned int f = 0, n = 0, v = 0, old = 0;
	const char **names;
	char **ev;

	CU_ASSERT_TRUE(xs_get_features_supported(h, &f));
	CU_ASSERT_EQUAL(f & XENSTORE_SERVER_FEATURE_WATCHDEPTH,
			XENSTORE_SERVER_FEATURE_WATCHDEPTH);
	names = xs_get_quota_names(h, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(names);
	CU_ASSERT_TRUE(n >= 7);
	CU_ASSERT_STRING_EQUAL(names[0], "nodes");
	free(names);
	CU_ASSERT_TRUE(xs_get_global_quota(h, "watches", &old));
	CU_ASSERT_EQUAL(old, 128);
	CU_ASSERT_TRUE(xs_set_global_quota(h, "watches", 77));
	CU_ASSERT_TRUE(xs_get_global_quota(h, "watches", &v));
	CU_ASSERT_EQUAL(v, 77);
	CU_ASSERT_TRUE(xs_set_global_quota(h, "watches", old));
	CU_ASSERT_FALSE(xs_get_global_quota(h, "no-such-quota", &v));
	CU_ASSERT_EQUAL(errno, EINVAL);
	CU_ASSERT_FALSE(xs_get_domain_quota(h, 999, "nodes", &v));
	CU_ASSERT_EQUAL(errno, ENOENT);
	/* Depth 1: the node and its children, not grandchildren. */
	CU_ASSERT_TRUE(xs_watch_depth(w, "/t/dep", "d", 1));
	free(wait_event(w));
	CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/t/dep/a/b", "", 0));
	CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/t/dep/a", "x", 1));
	ev = wait_event(w);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
	CU_ASSERT_STRING_EQUAL(ev[XS_WATCH_PATH], "/t/dep/a");
	free(ev);
	xs_close(w);
}

static void *reader(void *arg)
{
	long ok = 0;
	int i;

	(void)arg;
	for (i = 0; i < 500; i++) {
		char *v = rd("/t/thr");

		ok += v && !strcmp(v, "shared");
		free(v);
	}
	return (void *)ok;
}

static void test_threads(void)
{
	pthread_t th[4];
	void *ret;
	int i;

	CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/t/thr", "shared", 6));
	for (i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, reader, NULL);
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], &ret);
		CU_ASSERT_EQUAL((long)ret, 500);
	}
}

void suite_client_register(void)
{
	CU_pSuite s = CU_add_suite("client (socket)", init, fini);

	CU_add_test(s, "basic operations", test_basic);
	CU_add_test(s, "transactions", test_transactions);
	CU_add_test(s, "watches", test_watches);
	CU_add_test(s, "watch events wait for commit", test_watch_in_txn);
	CU_add_test(s, "permissions", test_perms);
	CU_add_test(s, "directory over 4 KiB", test_big_directory);
	CU_add_test(s, "very deep path", test_deep_path);
	CU_add_test(s, "control", test_control);
	CU_add_test(s, "features, quotas, watch depth", test_features_quotas);
	CU_add_test(s, "one handle, four threads", test_threads);
}
