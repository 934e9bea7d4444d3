// SPDX-License-Identifier: MIT
/*
 * libxenstore public operations: each builds one request, sends it with
 * xsl_talkv() and converts the reply (string lists, permissions, numbers).
 * Watches are in xs_watch.c, the connection itself in xs_conn.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_private.h"

/* Pack @len bytes of NUL-terminated strings into one malloc'd vector. */
static char **strings_to_vec(const char *strings, unsigned int len,
			     unsigned int *num)
{
	unsigned int n = xs_count_strings(strings, len);
	char **vec = malloc((n + 1) * sizeof(char *) + len);
	char *p;
	unsigned int i;

	if (!vec)
		return NULL;
	p = (char *)(vec + n + 1);
	memcpy(p, strings, len);
	for (i = 0; i < n; i++) {
		vec[i] = p;
		p += strlen(p) + 1;
	}
	vec[n] = NULL;
	*num = n;
	return vec;
}

/* DIRECTORY_PART loop for directories whose listing exceeds 4 KiB. */
static char *directory_part(struct xs_handle *h, xs_transaction_t t,
			    const char *path, unsigned int *len)
{
	char *all = NULL, *gen = NULL;
	unsigned int total = 0;
	char off[16];

	for (;;) {
		struct iovec iov[2] = {
			{ (void *)(uintptr_t)path, strlen(path) + 1 },
			{ off, 0 },
		};
		unsigned int rlen, glen, dlen;
		char *reply, *tmp;

		iov[1].iov_len = (size_t)snprintf(off, sizeof(off), "%u",
						  total) + 1;
		reply = xsl_talkv(h, t, XS_DIRECTORY_PART, iov, 2, &rlen);
		if (!reply)
			goto err;
		glen = (unsigned int)strnlen(reply, rlen) + 1;
		if (glen > rlen || (gen && strcmp(gen, reply))) {
			/* Changed while we listed it: start again. */
			free(reply);
			free(all);
			free(gen);
			all = gen = NULL;
			total = 0;
			continue;
		}
		if (!gen)
			gen = strdup(reply);
		tmp = realloc(all, total + rlen - glen + 1);
		if (!tmp || !gen) {
			free(reply);
			free(tmp);
			all = NULL;
			errno = ENOMEM;
			goto err;
		}
		all = tmp;
		dlen = rlen - glen;
		memcpy(all + total, reply + glen, dlen);
		free(reply);
		/* The end of the list is marked by an extra empty string. */
		if (dlen <= 1 || all[total + dlen - 2] == '\0') {
			total += dlen ? dlen - 1 : 0;
			break;
		}
		total += dlen;
	}
	free(gen);
	*len = total;
	return all;
err:
	free(all);
	free(gen);
	return NULL;
}

char **xs_directory(struct xs_handle *h, xs_transaction_t t,
		    const char *path, unsigned int *num)
{
	unsigned int len;
	char *strings = xsl_single(h, t, XS_DIRECTORY, path, &len);
	char **vec;

	if (!strings) {
		if (errno != E2BIG)
			return NULL;
		strings = directory_part(h, t, path, &len);
		if (!strings) {
			if (errno == ENOSYS)
				errno = E2BIG;
			return NULL;
		}
	}
	vec = strings_to_vec(strings, len, num);
	free(strings);
	return vec;
}

void *xs_read(struct xs_handle *h, xs_transaction_t t, const char *path,
	      unsigned int *len)
{
	return xsl_single(h, t, XS_READ, path, len);
}

bool xs_write(struct xs_handle *h, xs_transaction_t t, const char *path,
	      const void *data, unsigned int len)
{
	struct iovec iov[2] = {
		{ (void *)(uintptr_t)path, strlen(path) + 1 },
		{ (void *)(uintptr_t)data, len },
	};

	return xsl_bool(xsl_talkv(h, t, XS_WRITE, iov, 2, NULL));
}

bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	return xsl_bool(xsl_single(h, t, XS_MKDIR, path, NULL));
}

bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	return xsl_bool(xsl_single(h, t, XS_RM, path, NULL));
}

bool xs_restrict(struct xs_handle *h, unsigned int domid)
{
	(void)h;
	(void)domid;
	errno = ENOSYS;
	return false;
}

struct xs_permissions *xs_get_permissions(struct xs_handle *h,
					  xs_transaction_t t,
					  const char *path, unsigned int *num)
{
	unsigned int len, n;
	char *strings = xsl_single(h, t, XS_GET_PERMS, path, &len);
	struct xs_permissions *perms;

	if (!strings)
		return NULL;
	n = xs_count_strings(strings, len);
	perms = n ? malloc(n * sizeof(*perms)) : NULL;
	if (!perms || !xs_strings_to_perms(perms, n, strings)) {
		free(perms);
		free(strings);
		errno = EINVAL;
		return NULL;
	}
	free(strings);
	*num = n;
	return perms;
}

bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t,
			const char *path, struct xs_permissions *perms,
			unsigned int num_perms)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t used = 0;
	unsigned int i;
	struct iovec iov[2] = {
		{ (void *)(uintptr_t)path, strlen(path) + 1 },
		{ buf, 0 },
	};

	for (i = 0; i < num_perms; i++) {
		if (sizeof(buf) - used < PERMS_STRLEN) {
			errno = E2BIG;
			return false;
		}
		if (!xs_perm_to_string(&perms[i], buf + used,
				       sizeof(buf) - used))
			return false;
		used += strlen(buf + used) + 1;
	}
	iov[1].iov_len = used;
	return xsl_bool(xsl_talkv(h, t, XS_SET_PERMS, iov, 2, NULL));
}

xs_transaction_t xs_transaction_start(struct xs_handle *h)
{
	char *id = xsl_single(h, XBT_NULL, XS_TRANSACTION_START, "", NULL);
	xs_transaction_t t;

	if (!id)
		return XBT_NULL;
	t = (xs_transaction_t)strtoul(id, NULL, 0);
	free(id);
	return t;
}

bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort)
{
	return xsl_bool(xsl_single(h, t, XS_TRANSACTION_END,
				   abort ? "F" : "T", NULL));
}

/* Send up to three decimal/NUL-terminated arguments. */
static void *talk_args(struct xs_handle *h, uint32_t type,
		       const char *const *args, unsigned int n,
		       unsigned int *len)
{
	struct iovec iov[3];
	unsigned int i;

	for (i = 0; i < n; i++) {
		iov[i].iov_base = (void *)(uintptr_t)args[i];
		iov[i].iov_len = strlen(args[i]) + 1;
	}
	return xsl_talkv(h, XBT_NULL, type, iov, n, len);
}

bool xs_introduce_domain(struct xs_handle *h, unsigned int domid,
			 unsigned long mfn, unsigned int eventchn)
{
	char d[16], m[24], e[16];
	const char *args[] = { d, m, e };

	snprintf(d, sizeof(d), "%u", domid);
	snprintf(m, sizeof(m), "%lu", mfn);
	snprintf(e, sizeof(e), "%u", eventchn);
	return xsl_bool(talk_args(h, XS_INTRODUCE, args, 3, NULL));
}

bool xs_set_target(struct xs_handle *h, unsigned int domid,
		   unsigned int target)
{
	char d[16], t[16];
	const char *args[] = { d, t };

	snprintf(d, sizeof(d), "%u", domid);
	snprintf(t, sizeof(t), "%u", target);
	return xsl_bool(talk_args(h, XS_SET_TARGET, args, 2, NULL));
}

static void *domid_op(struct xs_handle *h, uint32_t type, unsigned int domid)
{
	char d[16];
	const char *args[] = { d };

	snprintf(d, sizeof(d), "%u", domid);
	return talk_args(h, type, args, 1, NULL);
}

bool xs_resume_domain(struct xs_handle *h, unsigned int domid)
{
	return xsl_bool(domid_op(h, XS_RESUME, domid));
}

bool xs_release_domain(struct xs_handle *h, unsigned int domid)
{
	return xsl_bool(domid_op(h, XS_RELEASE, domid));
}

char *xs_get_domain_path(struct xs_handle *h, unsigned int domid)
{
	return domid_op(h, XS_GET_DOMAIN_PATH, domid);
}

bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid)
{
	char *reply = domid_op(h, XS_IS_DOMAIN_INTRODUCED, domid);
	bool ret;

	if (!reply)
		return false;
	ret = !strcmp(reply, "T");
	free(reply);
	return ret;
}

char *xs_control_command(struct xs_handle *h, const char *cmd,
			 void *data, unsigned int len)
{
	struct iovec iov[2] = {
		{ (void *)(uintptr_t)cmd, strlen(cmd) + 1 },
		{ data, len },
	};

	return xsl_talkv(h, XBT_NULL, XS_CONTROL, iov, 2, NULL);
}

char *xs_debug_command(struct xs_handle *h, const char *cmd,
		       void *data, unsigned int len)
{
	return xs_control_command(h, cmd, data, len);
}

int xs_suspend_evtchn_port(int domid)
{
	struct xs_handle *h = xs_open(0);
	char path[64];
	char *port;
	int ret = -1;

	if (!h)
		return -1;
	snprintf(path, sizeof(path),
		 "/local/domain/%d/device/suspend/event-channel", domid);
	port = xs_read(h, XBT_NULL, path, NULL);
	if (port && *port)
		ret = atoi(port);
	free(port);
	xs_close(h);
	return ret;
}
