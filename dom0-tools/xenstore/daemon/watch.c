// SPDX-License-Identifier: MIT
/*
 * Watches: registration per connection (quota "watches"), matching of
 * changed paths against every connection's watches (subpath rule, optional
 * depth, recursive delete reporting the watched path itself), read-
 * permission filtering, relative event paths and the special watches
 * @introduceDomain and @releaseDomain.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"

/* True if @child is @parent or below it. */
static bool is_subpath(const char *parent, const char *child)
{
	size_t n = strlen(parent);

	if (!strcmp(parent, "/"))
		return child[0] == '/';
	return !strncmp(parent, child, n) &&
	       (child[n] == '/' || child[n] == '\0');
}

/* Number of components of @child below @parent. */
static int depth_below(const char *parent, const char *child)
{
	const char *p = child + (strcmp(parent, "/") ? strlen(parent) : 0);
	int d = 0;

	for (; *p; p++)
		if (*p == '/')
			d++;
	return d;
}

static void send_event(struct conn *c, const struct watch *w,
		       const char *path)
{
	char buf[XENSTORE_ABS_PATH_MAX + XENSTORE_PAYLOAD_MAX + 2];
	size_t plen, tlen = strlen(w->token) + 1;

	if (w->relative) {
		int off = 0;
		unsigned int d;

		if (sscanf(path, "/local/domain/%u/%n", &d, &off) == 1 &&
		    off && d == c->domid)
			path += off;
	}
	plen = strlen(path) + 1;
	if (plen + tlen > XENSTORE_PAYLOAD_MAX)
		return;
	memcpy(buf, path, plen);
	memcpy(buf + plen, w->token, tlen);
	conn_send(c, XS_WATCH_EVENT, 0, 0, buf, plen + tlen, true);
}

void watch_fire(const char *path, const struct xs_perm *p, unsigned int np,
		bool recurse)
{
	struct conn *c;
	struct watch *w;

	for (c = conn_list; c; c = c->next) {
		if (c->dead || !c->watches)
			continue;
		if (np && !(perms_for_conn(c, p, np) & XS_PERM_R))
			continue;
		for (w = c->watches; w; w = w->next) {
			if (is_subpath(w->path, path)) {
				if (w->depth >= 0 &&
				    depth_below(w->path, path) > w->depth)
					continue;
				send_event(c, w, path);
			} else if (recurse && is_subpath(path, w->path)) {
				send_event(c, w, w->path);
			}
		}
	}
}

void watch_fire_txn(struct txn *t, const char *path, bool recurse,
		    const struct xs_perm *p, unsigned int np)
{
	if (t)
		txn_add_event(t, path, recurse, p, np);
	else
		watch_fire(path, p, np, recurse);
}

void watch_fire_special(const char *name, unsigned int domid)
{
	struct node *n = store_lookup(name);
	char sub[64];
	struct conn *c;
	struct watch *w;

	snprintf(sub, sizeof(sub), "%s/%u", name, domid);
	for (c = conn_list; c; c = c->next) {
		if (c->dead)
			continue;
		if (n && !(perms_for_conn(c, n->perms, n->nperms) &
			   XS_PERM_R))
			continue;
		for (w = c->watches; w; w = w->next) {
			if (!strcmp(w->path, name))
				send_event(c, w, w->depth > 0 ? sub : name);
			else if (!strcmp(w->path, sub))
				send_event(c, w, sub);
		}
	}
}

int watch_add(struct conn *conn, const char *g_path, const char *token,
	      int depth)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	struct watch *w;
	int err;

	err = path_canonical(conn, g_path, true, path, sizeof(path));
	if (err)
		return err;
	for (w = conn->watches; w; w = w->next)
		if (!strcmp(w->path, path) && !strcmp(w->token, token))
			return -EEXIST;
	if (quota_exceeded(conn, Q_WATCHES, conn->nr_watches))
		return -ENOSPC;
	if (domain_mem_check(conn, strlen(path) + strlen(token)))
		return -ENOMEM;
	w = xs_zalloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->path = strdup(path);
	w->token = strdup(token);
	if (!w->path || !w->token) {
		free(w->path);
		free(w->token);
		free(w);
		return -ENOMEM;
	}
	w->relative = g_path[0] != '/' && g_path[0] != '@';
	w->depth = depth;
	w->next = conn->watches;
	conn->watches = w;
	conn->nr_watches++;
	domain_acct(conn->domid, 0, (long)(strlen(path) + strlen(token)));
	return 0;
}

static void watch_free(struct conn *conn, struct watch *w)
{
	domain_acct(conn->domid, 0, -(long)(strlen(w->path) +
					    strlen(w->token)));
	free(w->path);
	free(w->token);
	free(w);
}

int watch_remove(struct conn *conn, const char *g_path, const char *token)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	struct watch **pp, *w;
	int err;

	err = path_canonical(conn, g_path, true, path, sizeof(path));
	if (err)
		return err;
	for (pp = &conn->watches; (w = *pp); pp = &w->next) {
		if (!strcmp(w->path, path) && !strcmp(w->token, token)) {
			*pp = w->next;
			conn->nr_watches--;
			watch_free(conn, w);
			return 0;
		}
	}
	return -ENOENT;
}

void watch_free_all(struct conn *conn)
{
	struct watch *w, *next;

	for (w = conn->watches; w; w = next) {
		next = w->next;
		watch_free(conn, w);
	}
	conn->watches = NULL;
	conn->nr_watches = 0;
}
