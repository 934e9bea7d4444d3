// SPDX-License-Identifier: MIT
/*
 * Transactions: lifetime, the per-transaction table of node copies made by
 * node_get() (store.c), and commit. Commit succeeds only if every node the
 * transaction touched still has the generation it had at first access
 * (absent nodes must still be absent); otherwise EAGAIN and the client
 * retries. Watch events raised inside are held and fired at commit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"

struct txn_event {
	struct txn_event *next;
	bool recurse;
	unsigned int np;
	struct xs_perm *perms;
	char path[];
};

struct node *txn_lookup(struct txn *t, const char *path)
{
	struct node *n;

	for (n = t->hash[xs_hash(path) & (t->hsize - 1)]; n; n = n->hnext)
		if (!strcmp(n->path, path))
			return n;
	return NULL;
}

static void txn_rehash(struct txn *t)
{
	unsigned int nsize = t->hsize * 2, i;
	struct node **nh = calloc(nsize, sizeof(*nh));

	if (!nh)
		return;
	for (i = 0; i < t->hsize; i++) {
		struct node *n, *next;

		for (n = t->hash[i]; n; n = next) {
			size_t b = xs_hash(n->path) & (nsize - 1);

			next = n->hnext;
			n->hnext = nh[b];
			nh[b] = n;
		}
	}
	free(t->hash);
	t->hash = nh;
	t->hsize = nsize;
}

int txn_insert(struct txn *t, struct node *n)
{
	size_t b;

	if (t->nr_nodes >= t->hsize)
		txn_rehash(t);
	b = xs_hash(n->path) & (t->hsize - 1);
	n->hnext = t->hash[b];
	t->hash[b] = n;
	t->nr_nodes++;
	return 0;
}

struct txn *txn_find(struct conn *conn, uint32_t id)
{
	struct txn *t;

	for (t = conn->txns; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

int txn_start(struct conn *conn, uint32_t *id)
{
	struct txn *t;

	if (quota_exceeded(conn, Q_TXNS, conn->nr_txns))
		return -ENOSPC;
	t = xs_zalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->hsize = 16;
	t->hash = calloc(t->hsize, sizeof(*t->hash));
	if (!t->hash) {
		free(t);
		return -ENOMEM;
	}
	do {
		t->id = ++conn->next_txn_id;
	} while (!t->id || txn_find(conn, t->id));
	t->conn = conn;
	t->next = conn->txns;
	conn->txns = t;
	conn->nr_txns++;
	*id = t->id;
	return 0;
}

int txn_add_event(struct txn *t, const char *path, bool recurse,
		  const struct xs_perm *p, unsigned int np)
{
	size_t len = strlen(path) + 1;
	struct txn_event *e = malloc(sizeof(*e) + len);

	if (!e)
		goto err;
	e->perms = malloc(np * sizeof(*p));
	if (!e->perms) {
		free(e);
		goto err;
	}
	memcpy(e->perms, p, np * sizeof(*p));
	e->np = np;
	memcpy(e->path, path, len);
	e->recurse = recurse;
	e->next = t->events;
	t->events = e;
	return 0;
err:
	t->failed = 1;
	return -ENOMEM;
}

static void txn_free(struct txn *t)
{
	struct txn_event *e, *enext;
	unsigned int i;

	for (i = 0; i < t->hsize; i++) {
		struct node *n, *next;

		for (n = t->hash[i]; n; n = next) {
			next = n->hnext;
			store_free_node(n);
		}
	}
	for (e = t->events; e; e = enext) {
		enext = e->next;
		free(e->perms);
		free(e);
	}
	free(t->hash);
	free(t);
}

static bool txn_conflicts(struct txn *t)
{
	unsigned int i;

	for (i = 0; i < t->hsize; i++) {
		struct node *n;

		for (n = t->hash[i]; n; n = n->hnext) {
			struct node *m = store_lookup(n->path);

			if ((m ? m->gen : 0) != n->orig_gen)
				return true;
		}
	}
	return false;
}

/*
 * By depth (deletions run deepest first, insertions parents first), then
 * creation order, so siblings are listed in the order the transaction
 * created them, and a journal replay appends them in the same order.
 */
static unsigned int depth(const char *path)
{
	unsigned int d = 0;

	for (; *path; path++)
		d += *path == '/';
	return d;
}

static int cmp_depth(const void *a, const void *b)
{
	const struct node *x = *(struct node *const *)a;
	const struct node *y = *(struct node *const *)b;
	unsigned int dx = depth(x->path), dy = depth(y->path);

	if (dx != dy)
		return dx < dy ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int txn_apply(struct txn *t)
{
	struct node **mod = malloc((t->nr_nodes + 1) * sizeof(*mod));
	struct txn_event *e, *rev = NULL, *next;
	unsigned int i, n = 0;

	if (!mod)
		return -ENOMEM;
	for (i = 0; i < t->hsize; i++) {
		struct node **pp = &t->hash[i];

		while (*pp) {
			struct node *c = *pp;

			if (c->modified) {
				*pp = c->hnext;	/* now owned by mod[] */
				mod[n++] = c;
			} else {
				pp = &c->hnext;
			}
		}
	}
	qsort(mod, n, sizeof(*mod), cmp_depth);
	for (i = n; i-- > 0;)
		if ((mod[i]->deleted || mod[i]->recreated) && mod[i]->orig_gen)
			store_apply_delete(mod[i]);
	for (i = 0; i < n; i++)
		if (mod[i]->deleted || !store_apply_set(mod[i]))
			store_free_node(mod[i]);
	free(mod);
	/* Fire in the order the events were raised. */
	for (e = t->events; e; e = next) {
		next = e->next;
		e->next = rev;
		rev = e;
	}
	t->events = rev;
	for (e = t->events; e; e = e->next)
		watch_fire(e->path, e->perms, e->np, e->recurse);
	return 0;
}

int txn_end(struct conn *conn, struct txn *t, bool commit)
{
	struct txn **pp = &conn->txns;
	int err = 0;

	while (*pp && *pp != t)
		pp = &(*pp)->next;
	if (*pp) {
		*pp = t->next;
		conn->nr_txns--;
	}
	if (commit) {
		if (t->failed)
			err = -ENOMEM;
		else if (txn_conflicts(t))
			err = -EAGAIN;
		else
			err = txn_apply(t);
	}
	txn_free(t);
	return err;
}

void txn_free_all(struct conn *conn)
{
	while (conn->txns)
		txn_end(conn, conn->txns, false);
}
