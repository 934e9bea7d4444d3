// SPDX-License-Identifier: MIT
/*
 * In-process benchmark of the daemon's store (store.c/txn.c, no IPC, so
 * no scheduler noise): nanoseconds per lookup and per value update with
 * 1k, 10k and 100k nodes, and per transaction commit. Shows that the cost
 * does not grow with the tree. Prints "RESULT <name> <value> <unit>".
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../daemon/xenstored.h"

static const struct xs_perm n0[] = { { 0, 0 } };

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void key(char *buf, size_t size, long k)
{
	snprintf(buf, size, "/b/d%ld/n%ld", k % 100, k);
}

static void grow(long from, long to)
{
	char path[64];
	struct node *n;
	long k;

	for (k = from; k < to; k++) {
		snprintf(path, sizeof(path), "/b/d%ld", k % 100);
		if (node_get(NULL, path, &n))
			node_create(NULL, path, n0, 1, &n);
		key(path, sizeof(path), k);
		node_create(NULL, path, n0, 1, &n);
	}
}

static double ns_per(long nodes, int write)
{
	char path[64];
	struct node *n;
	long long t0 = now_ns();
	long i;

	for (i = 0; i < 200000; i++) {
		key(path, sizeof(path), (i * 7919L) % nodes);
		if (node_get(NULL, path, &n) == 0 && write) {
			node_set_value(n, "v2", 2);
			node_write(NULL, n);
		}
	}
	return (now_ns() - t0) / 200000.0;
}

static double ns_per_txn(long nodes)
{
	static struct conn dom0 = { .priv = true };
	char path[64];
	struct node *n;
	struct txn *t;
	uint32_t id;
	long long t0 = now_ns();
	long i;

	for (i = 0; i < 50000; i++) {
		txn_start(&dom0, &id);
		t = txn_find(&dom0, id);
		key(path, sizeof(path), (i * 7919L) % nodes);
		if (node_get(t, path, &n) == 0) {
			node_set_value(n, "t", 1);
			node_write(t, n);
		}
		txn_end(&dom0, t, true);
	}
	return (now_ns() - t0) / 50000.0;
}

int main(void)
{
	static const long sizes[] = { 1000, 10000, 100000 };
	struct node *n;
	long have = 0;
	int s;

	xs_log_level = LOG_ERR;
	if (store_init() || node_create(NULL, "/b", n0, 1, &n))
		return 1;
	for (s = 0; s < 3; s++) {
		grow(have, sizes[s]);
		have = sizes[s];
		printf("RESULT store-lookup-at-%ldnodes %.1f ns/op\n", have,
		       ns_per(have, 0));
		printf("RESULT store-update-at-%ldnodes %.1f ns/op\n", have,
		       ns_per(have, 1));
		printf("RESULT store-txn-commit-at-%ldnodes %.1f ns/op\n", have,
		       ns_per_txn(have));
	}
	return 0;
}
