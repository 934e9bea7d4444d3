// SPDX-License-Identifier: MIT
/*
 * Pure helpers of libxenstore: where the daemon lives, permission string
 * conversion, string counting and path containment. No connection state
 * and no allocation that outlives a call except the cached paths.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xs_private.h"

#define XS_DEFAULT_RUNDIR "/var/run/xenstored"

const char *xs_daemon_rundir(void)
{
	const char *s = getenv("XENSTORED_RUNDIR");

	return s ? s : XS_DEFAULT_RUNDIR;
}

const char *xs_daemon_socket(void)
{
	static __thread char buf[4096];
	const char *s = getenv("XENSTORED_PATH");

	if (s)
		return s;
	snprintf(buf, sizeof(buf), "%s/socket", xs_daemon_rundir());
	return buf;
}

const char *xs_daemon_socket_ro(void)
{
	return xs_daemon_socket();
}

/* Parse one "r5" permission; -EINVAL on anything else. */
static int perm_from_string(const char *s, struct xs_permissions *p)
{
	char *end;
	unsigned long id;

	switch (s[0]) {
	case 'r':
		p->perms = XS_PERM_READ;
		break;
	case 'w':
		p->perms = XS_PERM_WRITE;
		break;
	case 'b':
		p->perms = XS_PERM_READ | XS_PERM_WRITE;
		break;
	case 'n':
		p->perms = XS_PERM_NONE;
		break;
	default:
		return -EINVAL;
	}
	if (s[1] < '0' || s[1] > '9')
		return -EINVAL;
	errno = 0;
	id = strtoul(s + 1, &end, 10);
	if (errno || *end || id > UINT32_MAX)
		return -EINVAL;
	p->id = (unsigned int)id;
	return 0;
}

bool xs_strings_to_perms(struct xs_permissions *perms, unsigned int num,
			 const char *strings)
{
	const char *p = strings;
	unsigned int i;

	if (!num) {
		errno = EINVAL;
		return false;
	}
	for (i = 0; i < num; i++) {
		if (perm_from_string(p, &perms[i]) < 0) {
			errno = EINVAL;
			return false;
		}
		p += strlen(p) + 1;
	}
	return true;
}

bool xs_perm_to_string(const struct xs_permissions *perm, char *buffer,
		       size_t buf_len)
{
	char c;

	switch ((int)perm->perms & ~XS_PERM_OWNER) {
	case XS_PERM_WRITE:
		c = 'w';
		break;
	case XS_PERM_READ:
		c = 'r';
		break;
	case XS_PERM_READ | XS_PERM_WRITE:
		c = 'b';
		break;
	case XS_PERM_NONE:
		c = 'n';
		break;
	default:
		errno = EINVAL;
		return false;
	}
	if ((size_t)snprintf(buffer, buf_len, "%c%u", c, perm->id) >= buf_len) {
		errno = E2BIG;
		return false;
	}
	return true;
}

unsigned int xs_count_strings(const char *strings, unsigned int len)
{
	unsigned int num = 0;
	unsigned int i;

	for (i = 0; i < len; i++)
		if (strings[i] == '\0')
			num++;
	return num;
}

bool xs_path_is_subpath(const char *parent, const char *child)
{
	size_t n = strlen(parent);

	if (n && parent[n - 1] == '/')
		n--;
	if (strncmp(child, parent, n))
		return false;
	return child[n] == '/' || child[n] == '\0';
}

bool xs_write_all(int fd, const void *data, unsigned int len)
{
	const char *p = data;

	while (len) {
		ssize_t done = write(fd, p, len);

		if (done < 0 && errno == EINTR)
			continue;
		if (done <= 0)
			return false;
		p += done;
		len -= (unsigned int)done;
	}
	return true;
}

int xsl_errno_from_name(const char *name)
{
	static const struct xsd_errors tab[] = { XSD_ERROR_LIST };
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(name, tab[i].errstring))
			return tab[i].errnum;
	return EINVAL;
}
