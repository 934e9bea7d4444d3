// SPDX-License-Identifier: MIT
/*
 * Node request handlers: READ, WRITE, MKDIR, RM, DIRECTORY,
 * DIRECTORY_PART, GET_PERMS and SET_PERMS. Each parses and validates its
 * payload, checks permissions and quotas, then changes the store (main
 * tree or the request's transaction) and raises the watch event.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"

#define PATHBUF (XENSTORE_ABS_PATH_MAX + 1)

/* The single NUL-terminated path argument of @r, canonicalized. */
static int one_path(struct request *r, bool special, char *out)
{
	if (!r->hdr.len || r->data[r->hdr.len - 1] != '\0' ||
	    strlen(r->data) + 1 != r->hdr.len)
		return -EINVAL;
	return path_canonical(r->conn, r->data, special, out, PATHBUF);
}

/* ENOENT for a missing node, or EACCES if its parent hides it. */
static int errno_from_parents(struct request *r, const char *path)
{
	char p[PATHBUF];
	struct node *n;

	strcpy(p, path);
	while (strcmp(p, "/") && p[0] == '/') {
		path_parent(p, p);
		if (!node_get(r->txn, p, &n))
			return perms_for_conn(r->conn, n->perms, n->nperms) &
			       XS_PERM_R ? -ENOENT : -EACCES;
	}
	return -ENOENT;
}

/* Get @path and check @need permission bits. */
static int get_checked(struct request *r, const char *path, unsigned int need,
		       struct node **out)
{
	int err = node_get(r->txn, path, out);

	if (err == -ENOENT)
		return errno_from_parents(r, path);
	if (err)
		return err;
	if ((perms_for_conn(r->conn, (*out)->perms, (*out)->nperms) & need) !=
	    need)
		return -EACCES;
	return 0;
}

int do_read(struct request *r)
{
	char path[PATHBUF];
	struct node *n;
	int err = one_path(r, false, path);

	if (!err)
		err = get_checked(r, path, XS_PERM_R, &n);
	return err ?: wire_reply(r, n->value, n->vlen);
}

static bool too_big(struct request *r, const struct node *n, size_t vlen)
{
	size_t size = vlen + n->clen + n->nperms * sizeof(struct xs_perm);

	return quota_exceeded(r->conn, Q_NODE_SIZE, size);
}

/* Create @path under its existing @parent, inheriting its perms. */
static int create_one(struct request *r, const char *path,
		      struct node *parent, struct node **out)
{
	struct xs_perm *perms;
	int err;

	if (!(perms_for_conn(r->conn, parent->perms, parent->nperms) &
	      XS_PERM_W))
		return -EACCES;
	if (!r->conn->priv &&
	    quota_exceeded(r->conn, Q_NODES, domain_nodes(r->conn->domid) +
			   (r->txn ? r->txn->created : 0)))
		return -ENOSPC;
	if (too_big(r, parent, strlen(path)))
		return -ENOSPC;
	perms = malloc(parent->nperms * sizeof(*perms));
	if (!perms)
		return -ENOMEM;
	memcpy(perms, parent->perms, parent->nperms * sizeof(*perms));
	if (!r->conn->priv)
		perms[0].id = r->conn->domid;	/* creator owns it */
	err = node_create(r->txn, path, perms, parent->nperms, out);
	free(perms);
	return err;
}

/*
 * Create @path and its missing ancestors: up to the nearest existing
 * ancestor, then down one level at a time. Iterative, in one heap buffer:
 * a guest-chosen depth costs no stack.
 */
static int create_path(struct request *r, const char *path, struct node **out)
{
	size_t len = strlen(path), end;
	char *buf = malloc(PATHBUF);
	struct node *n = NULL;
	int err;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, path, len + 1);
	do {
		char *slash = strrchr(buf, '/');

		if (slash == buf)
			slash[1] = '\0';	/* the parent is "/" */
		else
			*slash = '\0';
		err = node_get(r->txn, buf, &n);
	} while (err == -ENOENT && strcmp(buf, "/"));
	end = strcmp(buf, "/") ? strlen(buf) : 0;	/* path[end] == '/' */
	memcpy(buf, path, len + 1);
	while (!err) {
		char *next = strchr(buf + end + 1, '/');

		end = next ? (size_t)(next - buf) : len;
		buf[end] = '\0';
		err = create_one(r, buf, n, &n);
		if (end == len)
			break;
		buf[end] = '/';
	}
	free(buf);
	if (!err)
		*out = n;
	return err;
}

static int write_node(struct request *r, const char *path, const char *val,
		      size_t vlen, bool mkdir)
{
	struct node *n;
	int err = node_get(r->txn, path, &n);

	if (err == -ENOENT) {
		err = create_path(r, path, &n);
	} else if (!err) {
		if (mkdir)
			return 0;
		if (!(perms_for_conn(r->conn, n->perms, n->nperms) &
		      XS_PERM_W))
			return -EACCES;
	}
	if (err)
		return err;
	if (!mkdir) {
		if (too_big(r, n, vlen))
			return -ENOSPC;
		if (node_set_value(n, val, vlen) < 0)
			return -ENOMEM;
		node_write(r->txn, n);
	}
	watch_fire_txn(r->txn, path, false, n->perms, n->nperms);
	return 0;
}

int do_write(struct request *r)
{
	char path[PATHBUF];
	size_t plen = strnlen(r->data, r->hdr.len);
	int err;

	if (plen == r->hdr.len)
		return -EINVAL;
	err = path_canonical(r->conn, r->data, false, path, PATHBUF);
	if (err)
		return err;
	err = write_node(r, path, r->data + plen + 1, r->hdr.len - plen - 1,
			 false);
	return err ?: wire_ok(r);
}

int do_mkdir(struct request *r)
{
	char path[PATHBUF];
	int err = one_path(r, false, path);

	if (!err)
		err = write_node(r, path, "", 0, true);
	return err ?: wire_ok(r);
}

int do_rm(struct request *r)
{
	char path[PATHBUF], parent[PATHBUF];
	struct node *n;
	int err = one_path(r, false, path);

	if (err)
		return err;
	if (!strcmp(path, "/"))
		return -EINVAL;
	err = node_get(r->txn, path, &n);
	if (err == -ENOENT) {
		/* Absent is fine if the parent exists. */
		path_parent(path, parent);
		err = get_checked(r, parent, XS_PERM_R, &n);
		return err ?: wire_ok(r);
	}
	if (err)
		return err;
	if (!(perms_for_conn(r->conn, n->perms, n->nperms) & XS_PERM_W))
		return -EACCES;
	watch_fire_txn(r->txn, path, true, n->perms, n->nperms);
	err = node_delete(r->txn, path);
	return err ?: wire_ok(r);
}

int do_directory(struct request *r)
{
	char path[PATHBUF];
	struct node *n;
	int err = one_path(r, false, path);

	if (!err)
		err = get_checked(r, path, XS_PERM_R, &n);
	if (err)
		return err;
	return wire_reply(r, n->children ? n->children : "", n->clen);
}

int do_directory_part(struct request *r)
{
	char path[PATHBUF], buf[XENSTORE_PAYLOAD_MAX];
	const char *argv[2];
	unsigned long off;
	struct node *n;
	size_t used;
	int err;

	if (wire_args(r, argv, 2) != 2 || r->data[r->hdr.len - 1] != '\0' ||
	    xs_parse_uint(argv[1], UINT32_MAX, &off) < 0)
		return -EINVAL;
	err = path_canonical(r->conn, argv[0], false, path, PATHBUF);
	if (!err)
		err = get_checked(r, path, XS_PERM_R, &n);
	if (err)
		return err;
	used = (size_t)snprintf(buf, sizeof(buf), "%llu",
				(unsigned long long)n->gen) + 1;
	while (off < n->clen) {
		size_t l = strnlen(n->children + off, n->clen - off) + 1;

		if (used + l + 1 > sizeof(buf))
			break;
		memcpy(buf + used, n->children + off, l);
		used += l;
		off += l;
	}
	if (off >= n->clen)
		buf[used++] = '\0';
	return wire_reply(r, buf, used);
}

int do_get_perms(struct request *r)
{
	char path[PATHBUF], buf[XENSTORE_PAYLOAD_MAX];
	struct node *n;
	int len, err = one_path(r, true, path);

	if (!err)
		err = get_checked(r, path, XS_PERM_R, &n);
	if (err)
		return err;
	len = perms_format(n->perms, n->nperms, buf, sizeof(buf));
	return len < 0 ? len : wire_reply(r, buf, (size_t)len);
}

int do_set_perms(struct request *r)
{
	char path[PATHBUF];
	size_t plen = strnlen(r->data, r->hdr.len);
	struct xs_perm *p;
	unsigned int np;
	struct node *n;
	int err;

	if (plen + 1 >= r->hdr.len)
		return -EINVAL;
	err = path_canonical(r->conn, r->data, true, path, PATHBUF);
	if (err)
		return err;
	err = perms_parse(r->data + plen + 1, r->hdr.len - plen - 1, &p, &np);
	if (err)
		return err;
	/* node-permissions counts the entries after the owner's. */
	if (!r->conn->priv && quota_of(r->conn->domid, Q_PERMS) &&
	    np - 1 > quota_of(r->conn->domid, Q_PERMS)) {
		err = -ENOSPC;
		goto out;
	}
	err = get_checked(r, path, XS_PERM_W | XS_PERM_OWNER, &n);
	if (err)
		goto out;
	if (!r->conn->priv && p[0].id != n->perms[0].id) {
		err = -EPERM;
		goto out;
	}
	err = node_set_perms(n, p, np);
	if (err)
		goto out;
	node_write(r->txn, n);
	if (path[0] != '@')
		watch_fire_txn(r->txn, path, false, n->perms, n->nperms);
	err = wire_ok(r);
out:
	free(p);
	return err;
}
