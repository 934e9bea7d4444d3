// SPDX-License-Identifier: MIT
/*
 * In-process benchmark of the daemon's store (store.c/txn.c, no IPC, so
 * no scheduler noise): nanoseconds per lookup and per value update with
 * 1k, 10k and 100k nodes, and per transaction commit (best of 5 rounds
 * of keys visited in a scattered order, formatted before the clock
 * starts). Shows that the cost does not grow with the tree: "hot1k" looks
 * up the same 1000 nodes whatever the tree size (the work per lookup),
 * the plain lines spread over all nodes (adding the cache misses of a
 * bigger working set). The growth lines compare 100k nodes with 1k against
 * log2(100k)/log2(1k) = 1.67.
 * Prints "RESULT <name> <value> <unit>".
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

#define OPS 40000
#define ROUNDS 5
static char keys[OPS][32];

/* The keys of one round, in a scattered order (stride 7919) over the
 * first @span nodes: all of them, or a hot set of 1000. */
static void make_keys(long span, int round)
{
	long i;

	for (i = 0; i < OPS; i++)
		key(keys[i], sizeof(keys[i]),
		    ((round * (long)OPS + i) * 7919L) % span);
}

/* Best of ROUNDS: the machine is shared, the minimum is the cost. */
static double ns_per(long nodes, int write)
{
	double best = 1e12;
	struct node *n;
	int r;
	long i;

	for (r = 0; r < ROUNDS; r++) {
		long long t0;

		make_keys(nodes, r);
		t0 = now_ns();
		for (i = 0; i < OPS; i++) {
			if (node_get(NULL, keys[i], &n) == 0 && write) {
				node_set_value(n, "v2", 2);
				node_write(NULL, n);
			}
		}
		if ((now_ns() - t0) / (double)OPS < best)
			best = (now_ns() - t0) / (double)OPS;
	}
	return best;
}

static double ns_per_txn(long nodes)
{
	static struct conn dom0 = { .priv = true };
	double best = 1e12;
	struct node *n;
	struct txn *t;
	uint32_t id;
	int r;
	long i;

	for (r = 0; r < ROUNDS; r++) {
		long long t0;

		make_keys(nodes, r);
		t0 = now_ns();
		for (i = 0; i < OPS / 4; i++) {
			txn_start(&dom0, &id);
			t = txn_find(&dom0, id);
			if (node_get(t, keys[i], &n) == 0) {
				node_set_value(n, "t", 1);
				node_write(t, n);
			}
			txn_end(&dom0, t, true);
		}
		if ((now_ns() - t0) / (OPS / 4.0) < best)
			best = (now_ns() - t0) / (OPS / 4.0);
	}
	return best;
}

int main(void)
{
	static const long sizes[] = { 1000, 10000, 100000 };
	struct node *n;
	double look[3], hot[3];
	long have = 0;
	int s;

	xs_log_level = LOG_ERR;
	if (store_init() || node_create(NULL, "/b", n0, 1, &n))
		return 1;
	for (s = 0; s < 3; s++) {
		grow(have, sizes[s]);
		have = sizes[s];
		look[s] = ns_per(have, 0);
		printf("RESULT store-lookup-at-%ldnodes %.1f ns/op\n", have,
		       look[s]);
		hot[s] = ns_per(1000, 0);
		printf("RESULT store-lookup-hot1k-at-%ldnodes %.1f ns/op\n",
		       have, hot[s]);
		printf("RESULT store-update-at-%ldnodes %.1f ns/op\n", have,
		       ns_per(have, 1));
		printf("RESULT store-txn-commit-at-%ldnodes %.1f ns/op\n", have,
		       ns_per_txn(have));
	}
	/* log2(100000) / log2(1000) = 1.67: the logarithmic bound. */
	printf("RESULT store-lookup-growth-1k-to-100k %.2f x(log-bound=1.67)\n",
	       look[2] / look[0]);
	printf("RESULT store-lookup-hot1k-growth-1k-to-100k %.2f x(log-bound=1.67)\n",
	       hot[2] / hot[0]);
	return 0;
}
