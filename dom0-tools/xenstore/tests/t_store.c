// SPDX-License-Identifier: MIT
/*
 * Unit tests of the daemon's store and transactions, run in-process on the
 * real store.c/txn.c: creation with parents, recursive delete, snapshot
 * isolation, conflict detection (EAGAIN) and the transaction quota.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../daemon/xenstored.h"
#include "tests.h"

static struct conn dom0 = { .priv = true };
static const struct xs_perm n0[] = { { 0, 0 } };

static int mk(struct txn *t, const char *path, const char *val)
{
	struct node *n;
	int err = node_create(t, path, n0, 1, &n);

	if (!err && val) {
		node_set_value(n, val, strlen(val));
		node_write(t, n);
	}
	return err;
}

static int init(void)
{
	return store_init();
}

static void test_create_delete(void)
{
	struct node *n;

	CU_ASSERT_EQUAL(mk(NULL, "/s", "v"), 0);
	CU_ASSERT_EQUAL(mk(NULL, "/s", "v"), -EEXIST);
	CU_ASSERT_EQUAL(mk(NULL, "/nope/x", NULL), -ENOENT);
	CU_ASSERT_EQUAL(mk(NULL, "/s/a", NULL), 0);
	CU_ASSERT_EQUAL(mk(NULL, "/s/b", NULL), 0);
	CU_ASSERT_EQUAL(mk(NULL, "/s/a/c", NULL), 0);
	CU_ASSERT_EQUAL(node_get(NULL, "/s", &n), 0);
	CU_ASSERT_EQUAL(n->clen, 4);
	CU_ASSERT_EQUAL(memcmp(n->children, "a\0b\0", 4), 0);
	CU_ASSERT_EQUAL(node_delete(NULL, "/s/a"), 0);
	CU_ASSERT_EQUAL(node_get(NULL, "/s/a/c", &n), -ENOENT);
	CU_ASSERT_EQUAL(node_get(NULL, "/s", &n), 0);
	CU_ASSERT_EQUAL(memcmp(n->children, "b\0", 2), 0);
	CU_ASSERT_EQUAL(node_delete(NULL, "/s"), 0);
	CU_ASSERT_PTR_NULL(store_lookup("/s/b"));
}

static void test_txn_isolation(void)
{
	struct txn *t;
	struct node *n;
	uint32_t id;

	CU_ASSERT_EQUAL(txn_start(&dom0, &id), 0);
	t = txn_find(&dom0, id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(mk(t, "/iso", "1"), 0);
	CU_ASSERT_PTR_NULL(store_lookup("/iso"));
	CU_ASSERT_EQUAL(node_get(t, "/iso", &n), 0);
	CU_ASSERT_EQUAL(txn_end(&dom0, t, true), 0);
	CU_ASSERT_PTR_NOT_NULL(store_lookup("/iso"));
	/* Abort discards. */
	CU_ASSERT_EQUAL(txn_start(&dom0, &id), 0);
	t = txn_find(&dom0, id);
	CU_ASSERT_EQUAL(node_delete(t, "/iso"), 0);
	CU_ASSERT_EQUAL(txn_end(&dom0, t, false), 0);
	CU_ASSERT_PTR_NOT_NULL(store_lookup("/iso"));
}

static void test_txn_conflict(void)
{
	struct txn *t1, *t2;
	struct node *n;
	uint32_t a, b;

	CU_ASSERT_EQUAL(mk(NULL, "/c", "0"), 0);
	CU_ASSERT_EQUAL(txn_start(&dom0, &a), 0);
	CU_ASSERT_EQUAL(txn_start(&dom0, &b), 0);
	CU_ASSERT_NOT_EQUAL(a, b);
	t1 = txn_find(&dom0, a);
	t2 = txn_find(&dom0, b);
	CU_ASSERT_EQUAL(node_get(t1, "/c", &n), 0);
	CU_ASSERT_EQUAL(node_get(t2, "/c", &n), 0);
	node_set_value(n, "2", 1);
	node_write(t2, n);
	CU_ASSERT_EQUAL(txn_end(&dom0, t2, true), 0);
	/* t1 read /c before t2 changed it. */
	CU_ASSERT_EQUAL(txn_end(&dom0, t1, true), -EAGAIN);
	CU_ASSERT_EQUAL(node_get(NULL, "/c", &n), 0);
	CU_ASSERT_EQUAL(memcmp(n->value, "2", 1), 0);
	/* A node created by someone else after we saw it absent. */
	CU_ASSERT_EQUAL(txn_start(&dom0, &a), 0);
	t1 = txn_find(&dom0, a);
	CU_ASSERT_EQUAL(node_get(t1, "/late", &n), -ENOENT);
	CU_ASSERT_EQUAL(mk(NULL, "/late", NULL), 0);
	CU_ASSERT_EQUAL(txn_end(&dom0, t1, true), -EAGAIN);
}

static void test_txn_quota(void)
{
	struct conn guest = { .domid = 3 };
	uint32_t id;
	int i, err = 0;

	for (i = 0; i < 20 && !err; i++)
		err = txn_start(&guest, &id);
	CU_ASSERT_EQUAL(err, -ENOSPC);
	CU_ASSERT_EQUAL(guest.nr_txns, quota_global[Q_TXNS]);
	txn_free_all(&guest);
	CU_ASSERT_EQUAL(guest.nr_txns, 0);
}

void suite_store_register(void)
{
	CU_pSuite s = CU_add_suite("store", init, NULL);

	CU_add_test(s, "create/delete", test_create_delete);
	CU_add_test(s, "transaction isolation", test_txn_isolation);
	CU_add_test(s, "transaction conflict", test_txn_conflict);
	CU_add_test(s, "transaction quota", test_txn_quota);
}
