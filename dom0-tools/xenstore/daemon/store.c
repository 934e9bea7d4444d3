// SPDX-License-Identifier: MIT
/*
 * The node store. Design: the main tree is a hash table keyed by absolute
 * path (open addressing, see below); each node keeps its value, permission list and the packed list of
 * its children's names (the DIRECTORY reply as is), so lookups cost O(1)
 * whatever the size of the tree. Every change bumps a global generation
 * and stamps the node with it; transactions use that to detect conflicts.
 *
 * Inside a transaction, node_get() copies a node into the transaction's own
 * table on first access (recording its generation, or 0 if absent) and
 * every later access and change works on that copy; txn.c applies the
 * copies at commit. Outside a transaction changes go straight to the main
 * tree, to the journal (persist.c) and to the domain node counts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"

/*
 * The main table: open addressing with linear probing, at most half full.
 * Each slot keeps the full 64-bit hash next to the node pointer, so a
 * lookup reads one slot (usually one cache line) and then only the node it
 * is after: no chain of other nodes to walk. Deletion shifts later entries
 * of the probe run back (no tombstones), so runs stay short.
 */
struct slot {
	uint64_t hash;
	struct node *n;		/* NULL: empty */
};

static struct slot *htab;
static size_t hsize, hcount;	/* hsize: a power of two */
static uint64_t store_gen;

static size_t slot_of(const char *path, uint64_t h)
{
	size_t mask = hsize - 1, i = (size_t)h & mask;

	while (htab[i].n &&
	       (htab[i].hash != h || strcmp(htab[i].n->path, path)))
		i = (i + 1) & mask;
	return i;
}

struct node *store_lookup(const char *path)
{
	return htab[slot_of(path, xs_hash(path))].n;
}

static void slot_put(struct slot *tab, size_t size, uint64_t h, struct node *n)
{
	size_t i = (size_t)h & (size - 1);

	while (tab[i].n)
		i = (i + 1) & (size - 1);
	tab[i].hash = h;
	tab[i].n = n;
}

static int hash_grow(void)
{
	size_t nsize = hsize * 2, i;
	struct slot *nt = calloc(nsize, sizeof(*nt));

	if (!nt)
		return -ENOMEM;
	for (i = 0; i < hsize; i++)
		if (htab[i].n)
			slot_put(nt, nsize, htab[i].hash, htab[i].n);
	free(htab);
	htab = nt;
	hsize = nsize;
	return 0;
}

/*
 * Room for one more node: the table grows at half full. If it cannot, it
 * fills up further (slower, still correct) but always keeps an empty slot
 * so that probes end; -ENOMEM only then. Call before main_insert().
 */
static int main_room(void)
{
	if (2 * (hcount + 1) <= hsize || !hash_grow())
		return 0;
	return hcount + 2 <= hsize ? 0 : -ENOMEM;
}

static void main_insert(struct node *n)
{
	slot_put(htab, hsize, xs_hash(n->path), n);
	hcount++;
}

static void main_remove(struct node *n)
{
	size_t mask = hsize - 1, i = slot_of(n->path, xs_hash(n->path)), j;

	if (htab[i].n != n)
		return;
	/* Shift back each later entry of the run whose home is not in
	 * (i, j]: it would become unreachable across the hole at i. */
	for (j = (i + 1) & mask; htab[j].n; j = (j + 1) & mask) {
		size_t home = (size_t)htab[j].hash & mask;

		if (((j - home) & mask) >= ((j - i) & mask)) {
			htab[i] = htab[j];
			i = j;
		}
	}
	htab[i].n = NULL;
	hcount--;
}

/*
 * Memory accounting of a main-tree node, charged to its owner: a record
 * header, the path, the permissions, the value and the children's names.
 * acct_charge() re-charges after any change (owner or size); acct_drop()
 * refunds when the node leaves the main tree.
 */
#define NODE_HDR_BYTES 24
static void acct_drop(struct node *n)
{
	if (!n->acct)
		return;
	domain_acct(n->acct_owner, -1, -(long)n->acct_mem);
	n->acct = false;
}

static void acct_charge(struct node *n)
{
	acct_drop(n);
	n->acct_owner = n->perms[0].id;
	n->acct_mem = NODE_HDR_BYTES + (uint32_t)strlen(n->path) + 1 +
		      n->nperms * (uint32_t)sizeof(struct xs_perm) + n->vlen +
		      n->clen;
	n->acct = true;
	domain_acct(n->acct_owner, 1, (long)n->acct_mem);
}

void store_free_node(struct node *n)
{
	if (!n)
		return;
	free(n->value);
	if (n->perms != &n->perm0)
		free(n->perms);
	free(n->children);
	free(n);
}

/* One allocation for the node and its path: most nodes are leaves. */
static struct node *node_alloc(const char *path)
{
	size_t len = strlen(path) + 1;
	struct node *n = xs_zalloc(sizeof(*n) + len);

	if (!n)
		return NULL;
	n->path = (char *)(n + 1);
	memcpy(n->path, path, len);
	return n;
}

int node_set_value(struct node *n, const void *data, size_t len)
{
	char *v = malloc(len ? len : 1);

	if (!v)
		return -ENOMEM;
	memcpy(v, data, len);
	free(n->value);
	n->value = v;
	n->vlen = (uint32_t)len;
	return 0;
}

int node_set_perms(struct node *n, const struct xs_perm *p, unsigned int np)
{
	struct xs_perm *old = n->perms == &n->perm0 ? NULL : n->perms;
	struct xs_perm *c = &n->perm0;

	if (np != 1) {
		c = malloc(np * sizeof(*c));
		if (!c)
			return -ENOMEM;
		memcpy(c, p, np * sizeof(*c));
	} else {
		n->perm0 = p[0];	/* @p may be @old: copy before freeing */
	}
	free(old);
	n->perms = c;
	n->nperms = np;
	return 0;
}

/* Exchange the permission lists of @a and @b (inline ones are copied). */
static void swap_perms(struct node *a, struct node *b)
{
	struct xs_perm *pa = a->perms == &a->perm0 ? NULL : a->perms;
	struct xs_perm *pb = b->perms == &b->perm0 ? NULL : b->perms;
	struct xs_perm ta = a->perm0;
	uint32_t na = a->nperms;

	a->perm0 = b->perm0;
	a->nperms = b->nperms;
	a->perms = pb ? pb : &a->perm0;
	b->perm0 = ta;
	b->nperms = na;
	b->perms = pa ? pa : &b->perm0;
}

static struct node *node_copy(const struct node *m)
{
	struct node *c = node_alloc(m->path);

	if (!c)
		return NULL;
	if (node_set_value(c, m->value, m->vlen) < 0 ||
	    node_set_perms(c, m->perms, m->nperms) < 0)
		goto err_free;
	if (m->clen) {
		c->children = malloc(m->clen);
		if (!c->children)
			goto err_free;
		memcpy(c->children, m->children, m->clen);
		c->clen = c->csize = m->clen;
	}
	c->gen = m->gen;
	return c;
err_free:
	store_free_node(c);
	return NULL;
}

static int child_add(struct node *n, const char *name)
{
	size_t len = strlen(name) + 1;

	if (n->clen + len > n->csize) {
		size_t ns = (n->csize + len) * 2;
		char *c = realloc(n->children, ns);

		if (!c)
			return -ENOMEM;
		n->children = c;
		n->csize = (uint32_t)ns;
	}
	memcpy(n->children + n->clen, name, len);
	n->clen += (uint32_t)len;
	return 0;
}

static void child_remove(struct node *n, const char *name)
{
	size_t len = strlen(name) + 1;
	uint32_t off = 0;

	while (off < n->clen) {
		size_t l = strlen(n->children + off) + 1;

		if (l == len && !memcmp(n->children + off, name, len)) {
			memmove(n->children + off, n->children + off + l,
				n->clen - off - l);
			n->clen -= (uint32_t)l;
			return;
		}
		off += (uint32_t)l;
	}
}

int node_get(struct txn *t, const char *path, struct node **out)
{
	struct node *n, *m;

	if (!t) {
		n = store_lookup(path);
		if (!n)
			return -ENOENT;
		*out = n;
		return 0;
	}
	n = txn_lookup(t, path);
	if (!n) {
		if (quota_exceeded(t->conn, Q_TXN_NODES, t->nr_nodes))
			return -ENOSPC;
		m = store_lookup(path);
		n = m ? node_copy(m) : node_alloc(path);
		if (!n || txn_insert(t, n) < 0) {
			store_free_node(n);
			return -ENOMEM;
		}
		n->orig_gen = m ? m->gen : 0;
		n->deleted = !m;
	}
	if (n->deleted)
		return -ENOENT;
	*out = n;
	return 0;
}

int node_write(struct txn *t, struct node *n)
{
	if (t) {
		n->modified = true;
		return 0;
	}
	n->gen = ++store_gen;
	acct_charge(n);
	persist_set(n);
	return 0;
}

int node_create(struct txn *t, const char *path, const struct xs_perm *perms,
		unsigned int nperms, struct node **out)
{
	char parent_path[XENSTORE_ABS_PATH_MAX + 1];
	struct node *parent, *n;
	int err;

	err = node_get(t, path, &n);
	if (err != -ENOENT)
		return err ? err : -EEXIST;
	path_parent(path, parent_path);
	err = node_get(t, parent_path, &parent);
	if (err)
		return err;
	n = t ? txn_lookup(t, path) : node_alloc(path);
	if (!n || (!t && main_room())) {
		if (!t)
			store_free_node(n);
		return -ENOMEM;
	}
	if (node_set_perms(n, perms, nperms) < 0 ||
	    node_set_value(n, "", 0) < 0 ||
	    child_add(parent, strrchr(path, '/') + 1) < 0) {
		if (!t)
			store_free_node(n);
		return -ENOMEM;
	}
	n->clen = 0;
	if (t) {
		/* Deleted and created again: commit removes, then inserts. */
		n->recreated = n->orig_gen != 0;
		n->deleted = false;
		n->modified = true;
		n->seq = ++t->created;
	} else {
		main_insert(n);
	}
	node_write(t, parent);
	node_write(t, n);
	*out = n;
	return 0;
}

/*
 * Delete the subtree at @buf (a path of @len bytes in a buffer of
 * PATH_BUF bytes that the recursion extends and restores, so a deep tree
 * costs no stack per level beyond the frame); @unlink: also remove it from
 * its parent's children.
 */
#define PATH_BUF (XENSTORE_ABS_PATH_MAX + 2)
static int delete_rec(struct txn *t, char *buf, size_t len, bool unlink)
{
	struct node *n, *parent;
	uint32_t off;
	int err;

	err = node_get(t, buf, &n);
	if (err)
		return err;
	for (off = 0; off < n->clen;
	     off += (uint32_t)strlen(n->children + off) + 1) {
		size_t clen = strlen(n->children + off);

		if (len + 1 + clen >= PATH_BUF)
			continue;
		buf[len] = '/';
		memcpy(buf + len + 1, n->children + off, clen + 1);
		err = delete_rec(t, buf, len + 1 + clen, false);
		buf[len] = '\0';
		if (err && err != -ENOENT)
			return err;
	}
	if (unlink) {
		char parent_path[XENSTORE_ABS_PATH_MAX + 1];

		path_parent(buf, parent_path);
		if (!node_get(t, parent_path, &parent)) {
			child_remove(parent, strrchr(buf, '/') + 1);
			node_write(t, parent);
		}
	}
	if (t) {
		n->deleted = true;
		n->modified = true;
		return 0;
	}
	main_remove(n);
	acct_drop(n);
	store_free_node(n);
	store_gen++;
	return 0;
}

/* delete_rec() on a copy of @path in a buffer it may extend. */
static int delete_path(struct txn *t, const char *path, bool unlink)
{
	char *buf = malloc(PATH_BUF);
	size_t len = strlen(path);
	int err;

	if (!buf)
		return -ENOMEM;
	if (len >= PATH_BUF) {
		free(buf);
		return -EINVAL;
	}
	memcpy(buf, path, len + 1);
	err = delete_rec(t, buf, len, unlink);
	free(buf);
	return err;
}

int node_delete(struct txn *t, const char *path)
{
	int err = delete_path(t, path, true);

	if (!err && !t)
		persist_del(path);
	return err;
}

unsigned long store_node_count(void)
{
	return hcount;
}

uint64_t store_generation(void)
{
	return store_gen;
}

/* Pre-order walk from the path in @buf (@len bytes, extended in place). */
static int walk_from(char *buf, size_t len, int (*fn)(struct node *, void *),
		     void *arg)
{
	struct node *n = store_lookup(len ? buf : "/");
	uint32_t off;
	int err;

	if (!n)
		return 0;
	err = fn(n, arg);
	for (off = 0; !err && off < n->clen;
	     off += (uint32_t)strlen(n->children + off) + 1) {
		size_t clen = strlen(n->children + off);

		if (len + 1 + clen >= PATH_BUF)
			continue;
		buf[len] = '/';
		memcpy(buf + len + 1, n->children + off, clen + 1);
		err = walk_from(buf, len + 1 + clen, fn, arg);
		buf[len] = '\0';
	}
	return err;
}

int store_walk(int (*fn)(struct node *n, void *arg), void *arg)
{
	char *buf = calloc(1, PATH_BUF);	/* "" stands for "/" */
	int err;

	if (!buf)
		return -ENOMEM;
	err = walk_from(buf, 0, fn, arg);
	free(buf);
	return err;
}

static int add_default(const char *path, unsigned int nperms,
		       const struct xs_perm *perms)
{
	return store_restore_set(path, "", 0, perms, nperms);
}

int store_init(void)
{
	static const struct xs_perm n0[] = { { 0, 0 } };
	static const struct xs_perm rel[] = { { 0, 0 }, { DOMID_ANY, XS_PERM_R } };

	if (!htab) {
		hsize = 2048;
		htab = calloc(hsize, sizeof(*htab));
		if (!htab)
			return -ENOMEM;
	}
	if (store_lookup("/"))
		return 0;
	if (add_default("/", 1, n0) || add_default("/tool", 1, n0) ||
	    add_default("/tool/xenstored", 1, n0) ||
	    add_default("@introduceDomain", 1, n0) ||
	    add_default("@releaseDomain", 2, rel))
		return -ENOMEM;
	return 0;
}

int store_restore_set(const char *path, const char *value, uint32_t vlen,
		      const struct xs_perm *p, unsigned int np)
{
	struct node *n = store_lookup(path);
	bool is_new = !n;
	char parent_path[XENSTORE_ABS_PATH_MAX + 1];
	struct node *parent = NULL;

	if (!np)
		return -EINVAL;
	if (is_new && path[0] == '/' && strcmp(path, "/")) {
		path_parent(path, parent_path);
		parent = store_lookup(parent_path);
		if (!parent)
			return -ENOENT;
	}
	if (is_new) {
		n = main_room() ? NULL : node_alloc(path);
		if (!n)
			return -ENOMEM;
	}
	if (node_set_value(n, value, vlen) < 0 ||
	    node_set_perms(n, p, np) < 0 ||
	    (parent && child_add(parent, strrchr(path, '/') + 1) < 0)) {
		if (is_new)
			store_free_node(n);
		return -ENOMEM;
	}
	if (is_new)
		main_insert(n);
	if (parent)
		acct_charge(parent);
	acct_charge(n);
	n->gen = ++store_gen;
	return 0;
}

int store_restore_del(const char *path)
{
	if (!store_lookup(path) || !strcmp(path, "/"))
		return 0;
	return delete_path(NULL, path, true);
}

/* The main-tree parent of @path, or NULL. */
static struct node *main_parent(const char *path)
{
	char parent_path[XENSTORE_ABS_PATH_MAX + 1];

	path_parent(path, parent_path);
	return store_lookup(parent_path);
}

/*
 * Commit, phase 1: remove a node the transaction deleted (or deleted and
 * created again). Callers go deepest first, so the parent is still there.
 */
void store_apply_delete(const struct node *c)
{
	struct node *m = store_lookup(c->path);
	struct node *parent = main_parent(c->path);

	if (!m)
		return;
	if (parent) {
		child_remove(parent, strrchr(c->path, '/') + 1);
		parent->gen = ++store_gen;
		acct_charge(parent);
	}
	main_remove(m);
	acct_drop(m);
	store_free_node(m);
	store_gen++;
	persist_del(c->path);
}

/*
 * Commit, phase 2, parents first: a new node is inserted (taking @c, true
 * is returned) and appended to its parent's children; an existing one
 * takes @c's value and permissions. Children lists change only through
 * these appends and phase-1 removals, exactly as a journal replay does
 * them, so the order of children survives a restart.
 */
bool store_apply_set(struct node *c)
{
	struct node *m = store_lookup(c->path);
	struct node *parent;

	if (!m) {
		parent = c->path[0] == '/' ? main_parent(c->path) : NULL;
		if (main_room() ||
		    (parent && child_add(parent, strrchr(c->path, '/') + 1)))
			return false;	/* no memory: the node is lost */
		if (parent) {
			parent->gen = ++store_gen;
			acct_charge(parent);
		}
		c->clen = 0;	/* its new children append themselves */
		c->modified = c->recreated = false;
		main_insert(c);
		acct_charge(c);
		c->gen = ++store_gen;
		persist_set(c);
		return true;
	}
#define SWAP(a, b) do { __typeof__(a) tmp_ = a; a = b; b = tmp_; } while (0)
	SWAP(m->value, c->value);
	SWAP(m->vlen, c->vlen);
#undef SWAP
	swap_perms(m, c);
	m->gen = ++store_gen;
	acct_charge(m);
	persist_set(m);
	return false;
}
