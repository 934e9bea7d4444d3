// SPDX-License-Identifier: MIT
/*
 * libxenstore calls added after Xen 4.17 (symbol versions VERS_4.1 and
 * VERS_4.2): server and per-domain feature bits, global and per-domain
 * quotas, and watches with a depth. They need a daemon that knows
 * GET/SET_FEATURE and GET/SET_QUOTA (ours does).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_private.h"

/* Send @n string arguments of @type; returns the malloc'd reply. */
static char *talk_strings(struct xs_handle *h, uint32_t type,
			  const char *const *args, unsigned int n,
			  unsigned int *len)
{
	struct iovec iov[3];
	unsigned int i;

	memset(iov, 0, sizeof(iov));
	for (i = 0; i < n; i++) {
		iov[i].iov_base = (void *)(uintptr_t)args[i];
		iov[i].iov_len = strlen(args[i]) + 1;
	}
	return xsl_talkv(h, XBT_NULL, type, iov, n, len);
}

/* Parse a decimal reply into *@val and free it. */
static bool reply_uint(char *reply, unsigned int *val)
{
	char *end;
	unsigned long v;

	if (!reply)
		return false;
	errno = 0;
	v = strtoul(reply, &end, 10);
	if (errno || end == reply || *end || v > UINT32_MAX) {
		free(reply);
		errno = EINVAL;
		return false;
	}
	*val = (unsigned int)v;
	free(reply);
	return true;
}

bool xs_get_features_supported(struct xs_handle *h, unsigned int *features)
{
	return reply_uint(talk_strings(h, XS_GET_FEATURE, NULL, 0, NULL),
			  features);
}

bool xs_get_features_domain(struct xs_handle *h, unsigned int domid,
			    unsigned int *features)
{
	char d[16];
	const char *args[] = { d };

	snprintf(d, sizeof(d), "%u", domid);
	return reply_uint(talk_strings(h, XS_GET_FEATURE, args, 1, NULL),
			  features);
}

bool xs_set_features_domain(struct xs_handle *h, unsigned int domid,
			    unsigned int features)
{
	char d[16], f[16];
	const char *args[] = { d, f };

	snprintf(d, sizeof(d), "%u", domid);
	snprintf(f, sizeof(f), "%u", features);
	return xsl_bool(talk_strings(h, XS_SET_FEATURE, args, 2, NULL));
}

const char **xs_get_quota_names(struct xs_handle *h, unsigned int *num)
{
	unsigned int len, n = 0, i;
	char *names = talk_strings(h, XS_GET_QUOTA, NULL, 0, &len);
	const char **vec;
	char *p, *save = NULL;

	if (!names)
		return NULL;
	for (i = 0; names[i]; i++)
		n += names[i] != ' ' && (i == 0 || names[i - 1] == ' ');
	vec = malloc((n + 1) * sizeof(*vec) + len + 1);
	if (!vec) {
		free(names);
		return NULL;
	}
	p = memcpy((char *)(vec + n + 1), names, len);
	p[len] = '\0';
	free(names);
	for (i = 0, p = strtok_r(p, " ", &save); p && i < n;
	     p = strtok_r(NULL, " ", &save))
		vec[i++] = p;
	vec[i] = NULL;
	*num = i;
	return vec;
}

bool xs_get_global_quota(struct xs_handle *h, const char *quota,
			 unsigned int *value)
{
	const char *args[] = { quota };

	return reply_uint(talk_strings(h, XS_GET_QUOTA, args, 1, NULL),
			  value);
}

bool xs_set_global_quota(struct xs_handle *h, const char *quota,
			 unsigned int value)
{
	char v[16];
	const char *args[] = { quota, v };

	snprintf(v, sizeof(v), "%u", value);
	return xsl_bool(talk_strings(h, XS_SET_QUOTA, args, 2, NULL));
}

bool xs_get_domain_quota(struct xs_handle *h, unsigned int domid,
			 const char *quota, unsigned int *value)
{
	char d[16];
	const char *args[] = { d, quota };

	snprintf(d, sizeof(d), "%u", domid);
	return reply_uint(talk_strings(h, XS_GET_QUOTA, args, 2, NULL),
			  value);
}

bool xs_set_domain_quota(struct xs_handle *h, unsigned int domid,
			 const char *quota, unsigned int value)
{
	char d[16], v[16];
	const char *args[] = { d, quota, v };

	snprintf(d, sizeof(d), "%u", domid);
	snprintf(v, sizeof(v), "%u", value);
	return xsl_bool(talk_strings(h, XS_SET_QUOTA, args, 3, NULL));
}

static bool watch_with_depth(struct xs_handle *h, const char *path,
			     const char *token, unsigned int depth)
{
	char d[16];
	struct iovec iov[3] = {
		{ (void *)(uintptr_t)path, strlen(path) + 1 },
		{ (void *)(uintptr_t)token, strlen(token) + 1 },
		{ d, 0 },
	};
	int err = xsl_start_reader(h);

	if (err) {
		errno = -err;
		return false;
	}
	iov[2].iov_len = (size_t)snprintf(d, sizeof(d), "%u", depth) + 1;
	return xsl_bool(xsl_talkv(h, XBT_NULL, XS_WATCH, iov, 3, NULL));
}

bool xs_watch_depth(struct xs_handle *h, const char *path, const char *token,
		    unsigned int depth)
{
	unsigned int f;

	if (!xs_get_features_supported(h, &f))
		return false;
	if (!(f & XENSTORE_SERVER_FEATURE_WATCHDEPTH)) {
		errno = EOPNOTSUPP;
		return false;
	}
	return watch_with_depth(h, path, token, depth);
}

bool xs_watch_try_depth(struct xs_handle *h, const char *path,
			const char *token, unsigned int depth)
{
	unsigned int f;

	if (xs_get_features_supported(h, &f) &&
	    (f & XENSTORE_SERVER_FEATURE_WATCHDEPTH))
		return watch_with_depth(h, path, token, depth);
	return xs_watch(h, path, token);
}
