// SPDX-License-Identifier: MIT
/*
 * Permissions and paths: parsing and formatting of "r5"/"w5"/"b5"/"n5"
 * permission lists, the access decision for a connection, and the
 * validation/canonicalization of every path a client sends.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"

static int perm_parse_one(const char *s, struct xs_perm *p)
{
	unsigned long id;

	switch (s[0]) {
	case 'r':
		p->perms = XS_PERM_R;
		break;
	case 'w':
		p->perms = XS_PERM_W;
		break;
	case 'b':
		p->perms = XS_PERM_R | XS_PERM_W;
		break;
	case 'n':
		p->perms = 0;
		break;
	default:
		return -EINVAL;
	}
	if (xs_parse_uint(s + 1, 0xffff, &id) < 0)
		return -EINVAL;
	p->id = (uint32_t)id;
	return 0;
}

int perms_parse(const char *s, size_t len, struct xs_perm **out,
		unsigned int *n)
{
	unsigned int count = 0, i;
	struct xs_perm *p;
	size_t off;

	for (off = 0; off < len; off++)
		if (!s[off])
			count++;
	if (!count || s[len - 1] != '\0')
		return -EINVAL;
	p = calloc(count, sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (i = 0, off = 0; i < count; i++) {
		if (perm_parse_one(s + off, &p[i]) < 0) {
			free(p);
			return -EINVAL;
		}
		off += strlen(s + off) + 1;
	}
	*out = p;
	*n = count;
	return 0;
}

int perms_format(const struct xs_perm *p, unsigned int n, char *buf,
		 size_t size)
{
	static const char letter[] = { 'n', 'r', 'w', 'b' };
	size_t used = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		int w = snprintf(buf + used, size - used, "%c%u",
				 letter[p[i].perms & 3], p[i].id);

		if (w < 0 || (size_t)w + 1 > size - used)
			return -E2BIG;
		used += (size_t)w + 1;
	}
	return (int)used;
}

unsigned int perms_for_conn(const struct conn *conn, const struct xs_perm *p,
			    unsigned int n)
{
	unsigned int id = conn->domid;
	unsigned int target = conn->domain ? conn->domain->target :
			      DOMID_FIRST_RESERVED;
	unsigned int i;

	if (conn->priv)
		return XS_PERM_R | XS_PERM_W | XS_PERM_OWNER;
	if (p[0].id == id || p[0].id == target)
		return XS_PERM_R | XS_PERM_W | XS_PERM_OWNER;
	for (i = 1; i < n; i++)
		if (p[i].id == id || p[i].id == target ||
		    p[i].id == DOMID_ANY)
			return p[i].perms;
	return p[0].perms;
}

static bool valid_chars(const char *s)
{
	for (; *s; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '/' ||
		      c == '_' || c == '@'))
			return false;
	}
	return true;
}

int path_canonical(const struct conn *conn, const char *g_path, bool special,
		   char *out, size_t size)
{
	size_t glen = strlen(g_path);
	size_t prefix_len = 0;
	unsigned int max;

	if (g_path[0] == '@') {
		if (!special || !valid_chars(g_path) ||
		    glen > XENSTORE_REL_PATH_MAX || glen + 1 > size)
			return -EINVAL;
		memcpy(out, g_path, glen + 1);
		return 0;
	}
	if (g_path[0] != '/') {
		int w = snprintf(out, size, "/local/domain/%u/",
				 conn->domid);

		if (w < 0 || (size_t)w >= size || !glen)
			return -EINVAL;
		prefix_len = (size_t)w;
	}
	if (!valid_chars(g_path) || strstr(g_path, "//") ||
	    (glen > 1 && g_path[glen - 1] == '/') ||
	    prefix_len + glen + 1 > size ||
	    prefix_len + glen > XENSTORE_ABS_PATH_MAX)
		return -EINVAL;
	memcpy(out + prefix_len, g_path, glen + 1);
	/* path-max applies to the part below /local/domain/<id>/. */
	max = quota_of(conn->domid, Q_PATH_MAX);
	if (max && !conn->priv) {
		const char *rel = out;
		unsigned int d;
		int off = 0;

		if (sscanf(out, "/local/domain/%u/%n", &d, &off) == 1 && off)
			rel = out + off;
		if (strlen(rel) > max)
			return -EINVAL;
	}
	return 0;
}

void path_parent(const char *path, char *out)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	if (n == 0) {
		strcpy(out, "/");
		return;
	}
	memmove(out, path, n);	/* @out may be @path */
	out[n] = '\0';
}
