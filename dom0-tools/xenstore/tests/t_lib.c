// SPDX-License-Identifier: MIT
/*
 * Unit tests of pure code: libxenstore's helpers (permission strings,
 * subpaths, daemon location) and the daemon's permission parser, access
 * rule and path canonicalization, linked in from daemon/perms.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xenstore.h>
#include "../daemon/xenstored.h"
#include "tests.h"

static void test_strings_to_perms(void)
{
	struct xs_permissions p[3];
	char buf[PERMS_STRLEN];

	CU_ASSERT_TRUE(xs_strings_to_perms(p, 3, "n0\0r5\0b7\0"));
	CU_ASSERT_EQUAL(p[0].id, 0);
	CU_ASSERT_EQUAL(p[0].perms, XS_PERM_NONE);
	CU_ASSERT_EQUAL(p[1].id, 5);
	CU_ASSERT_EQUAL(p[1].perms, XS_PERM_READ);
	CU_ASSERT_EQUAL(p[2].perms, XS_PERM_READ | XS_PERM_WRITE);
	CU_ASSERT_FALSE(xs_strings_to_perms(p, 1, "x5"));
	CU_ASSERT_EQUAL(errno, EINVAL);
	CU_ASSERT_FALSE(xs_strings_to_perms(p, 1, "r"));
	CU_ASSERT_FALSE(xs_strings_to_perms(p, 1, "r5x"));
	CU_ASSERT_FALSE(xs_strings_to_perms(p, 0, ""));
	p[0].id = 12;
	p[0].perms = XS_PERM_WRITE;
	CU_ASSERT_TRUE(xs_perm_to_string(&p[0], buf, sizeof(buf)));
	CU_ASSERT_STRING_EQUAL(buf, "w12");
	p[0].perms = 0x40;
	CU_ASSERT_FALSE(xs_perm_to_string(&p[0], buf, sizeof(buf)));
}

static void test_subpath(void)
{
	CU_ASSERT_TRUE(xs_path_is_subpath("/a", "/a"));
	CU_ASSERT_TRUE(xs_path_is_subpath("/a", "/a/b"));
	CU_ASSERT_FALSE(xs_path_is_subpath("/a", "/ab"));
	CU_ASSERT_TRUE(xs_path_is_subpath("/", "/x"));
	CU_ASSERT_FALSE(xs_path_is_subpath("/a/b", "/a"));
	CU_ASSERT_EQUAL(xs_count_strings("a\0b\0\0", 5), 3);
}

static void test_daemon_location(void)
{
	const char *saved = getenv("XENSTORED_PATH");
	char *copy = saved ? strdup(saved) : NULL;

	setenv("XENSTORED_PATH", "/tmp/xyz", 1);
	CU_ASSERT_STRING_EQUAL(xs_daemon_socket(), "/tmp/xyz");
	unsetenv("XENSTORED_PATH");
	setenv("XENSTORED_RUNDIR", "/run/q", 1);
	CU_ASSERT_STRING_EQUAL(xs_daemon_socket(), "/run/q/socket");
	CU_ASSERT_STRING_EQUAL(xs_daemon_rundir(), "/run/q");
	unsetenv("XENSTORED_RUNDIR");
	CU_ASSERT_STRING_EQUAL(xs_daemon_socket(), "/var/run/xenstored/socket");
	CU_ASSERT_STRING_EQUAL(xs_daemon_socket_ro(), xs_daemon_socket());
	if (copy)
		setenv("XENSTORED_PATH", copy, 1);
	free(copy);
}

static void test_perms_parse(void)
{
	struct xs_perm *p;
	unsigned int n;
	char buf[64];

	CU_ASSERT_EQUAL(perms_parse("n3\0r0\0", 6, &p, &n), 0);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(p[0].id, 3);
	CU_ASSERT_EQUAL(perms_format(p, n, buf, sizeof(buf)), 6);
	CU_ASSERT_EQUAL(memcmp(buf, "n3\0r0\0", 6), 0);
	CU_ASSERT_EQUAL(perms_format(p, n, buf, 4), -E2BIG);
	free(p);
	CU_ASSERT_EQUAL(perms_parse("n3", 2, &p, &n), -EINVAL);
	CU_ASSERT_EQUAL(perms_parse("q3\0", 3, &p, &n), -EINVAL);
	CU_ASSERT_EQUAL(perms_parse("r99999\0", 7, &p, &n), -EINVAL);
	CU_ASSERT_EQUAL(perms_parse("r-1\0", 4, &p, &n), -EINVAL);
	CU_ASSERT_EQUAL(perms_parse("", 0, &p, &n), -EINVAL);
}

static void test_perms_for_conn(void)
{
	struct domain d = { .domid = 5, .target = DOMID_FIRST_RESERVED };
	struct conn c = { .domid = 5, .domain = &d };
	struct xs_perm owner5[] = { { 5, 0 } };
	struct xs_perm ro5[] = { { 0, 0 }, { 5, XS_PERM_R } };
	struct xs_perm def_r[] = { { 0, XS_PERM_R }, { 6, XS_PERM_W } };
	struct xs_perm any[] = { { 0, 0 }, { DOMID_ANY, XS_PERM_W } };

	CU_ASSERT_EQUAL(perms_for_conn(&c, owner5, 1) & 3, 3);
	CU_ASSERT_EQUAL(perms_for_conn(&c, ro5, 2), XS_PERM_R);
	CU_ASSERT_EQUAL(perms_for_conn(&c, def_r, 2), XS_PERM_R);
	CU_ASSERT_EQUAL(perms_for_conn(&c, any, 2), XS_PERM_W);
	d.target = 0;		/* SET_TARGET 5 -> 0: acts as owner of 0's */
	CU_ASSERT_EQUAL(perms_for_conn(&c, ro5, 2) & XS_PERM_OWNER,
			XS_PERM_OWNER);
	c.priv = true;
	c.domain = NULL;
	CU_ASSERT_EQUAL(perms_for_conn(&c, ro5, 2) & 3, 3);
}

static void test_path_canonical(void)
{
	struct conn c = { .domid = 7 };
	char out[XENSTORE_ABS_PATH_MAX + 1];
	char *big = malloc(4000);

	CU_ASSERT_EQUAL(path_canonical(&c, "data/x", false, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "/local/domain/7/data/x");
	CU_ASSERT_EQUAL(path_canonical(&c, "/a/b-c_d@", false, out, sizeof(out)), 0);
	CU_ASSERT_EQUAL(path_canonical(&c, "/", false, out, sizeof(out)), 0);
	CU_ASSERT_EQUAL(path_canonical(&c, "/a/", false, out, sizeof(out)), -EINVAL);
	CU_ASSERT_EQUAL(path_canonical(&c, "/a//b", false, out, sizeof(out)), -EINVAL);
	CU_ASSERT_EQUAL(path_canonical(&c, "/a b", false, out, sizeof(out)), -EINVAL);
	CU_ASSERT_EQUAL(path_canonical(&c, "", false, out, sizeof(out)), -EINVAL);
	CU_ASSERT_EQUAL(path_canonical(&c, "@releaseDomain", false, out, sizeof(out)), -EINVAL);
	CU_ASSERT_EQUAL(path_canonical(&c, "@releaseDomain", true, out, sizeof(out)), 0);
	memset(big, 'a', 3999);
	big[0] = '/';
	big[3999] = '\0';
	CU_ASSERT_EQUAL(path_canonical(&c, big, false, out, sizeof(out)), -EINVAL);
	/* path-max (2048) counts below /local/domain/7/ for guests. */
	memset(big, 'a', 2100);
	big[2100] = '\0';
	CU_ASSERT_EQUAL(path_canonical(&c, big, false, out, sizeof(out)), -EINVAL);
	big[2000] = '\0';
	CU_ASSERT_EQUAL(path_canonical(&c, big, false, out, sizeof(out)), 0);
	free(big);
}

void suite_lib_register(void)
{
	CU_pSuite s = CU_add_suite("lib+perms", NULL, NULL);

	CU_add_test(s, "xs_strings_to_perms", test_strings_to_perms);
	CU_add_test(s, "xs_path_is_subpath", test_subpath);
	CU_add_test(s, "daemon location", test_daemon_location);
	CU_add_test(s, "perms_parse/format", test_perms_parse);
	CU_add_test(s, "perms_for_conn", test_perms_for_conn);
	CU_add_test(s, "path_canonical", test_path_canonical);
}
