/* SPDX-License-Identifier: MIT */
/*
 * libxenstore helper API: permission records, path helpers and the daemon
 * location functions. Pure functions with no connection state; the
 * connection API is in xenstore.h.
 */
#ifndef XENSTORE_LIB_H
#define XENSTORE_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <hvabi/io/xs_wire.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bits in xs_permissions.perms */
enum xs_perm_type {
	XS_PERM_NONE = 0,
	XS_PERM_READ = 1,
	XS_PERM_WRITE = 2,
	/* Internal use only. */
	XS_PERM_ENOENT_OK = 4,
	XS_PERM_OWNER = 8,
	XS_PERM_IGNORE = 16,
};

struct xs_permissions {
	unsigned int id;	/* domain id */
	enum xs_perm_type perms;
};

/* Room for a domid in text form plus the letter and the NUL. */
#define MAX_STRLEN(x) ((sizeof(x) * 5 + 1) / 2)
#define PERMS_STRLEN (1 + MAX_STRLEN(unsigned int) + 1)

/* Directory of the daemon's socket: $XENSTORED_RUNDIR or /var/run/xenstored. */
const char *xs_daemon_rundir(void);
/* Socket path: $XENSTORED_PATH, else <rundir>/socket. */
const char *xs_daemon_socket(void);
/* Same as xs_daemon_socket(): the read-only socket no longer exists. */
const char *xs_daemon_socket_ro(void);

/* Parse @num NUL-separated "r5" strings into @perms. false + errno on error. */
bool xs_strings_to_perms(struct xs_permissions *perms, unsigned int num,
			 const char *strings);
/* Write one permission as "r5" into @buf (PERMS_STRLEN bytes). */
bool xs_perm_to_string(const struct xs_permissions *perm, char *buffer,
		       size_t buf_len);
/* Count the NUL-terminated strings in @strings[0..len). */
unsigned int xs_count_strings(const char *strings, unsigned int len);

#ifdef __cplusplus
}
#endif

#endif /* XENSTORE_LIB_H */
