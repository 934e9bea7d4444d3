/* SPDX-License-Identifier: MIT */
/*
 * libxenstore.so.4 public API, call-compatible with Xen's xenstore.h.
 * Every call returning false/NULL sets errno. Handles are thread-safe: one
 * request is in flight per handle and watch events are queued by a reader
 * thread once the first watch is registered.
 */
#ifndef XENSTORE_H
#define XENSTORE_H

#include <stdbool.h>
#include <stdint.h>
#include <xenstore_lib.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XBT_NULL 0

/* Flags for xs_open(). Only XS_UNWATCH_FILTER changes behaviour. */
#define XS_OPEN_READONLY (1UL << 0)
#define XS_OPEN_SOCKETONLY (1UL << 1)
#define XS_UNWATCH_FILTER (1UL << 2)

struct xs_handle;
typedef uint32_t xs_transaction_t;

/* Connect to the daemon: socket first, then the xenbus device. NULL+errno. */
struct xs_handle *xs_open(unsigned long flags);
/* Close the handle (NULL is fine), stopping the reader thread. */
void xs_close(struct xs_handle *xsh);

/* Deprecated aliases of xs_open(0) / xs_close(). */
struct xs_handle *xs_daemon_open(void);
struct xs_handle *xs_domain_open(void);
struct xs_handle *xs_daemon_open_readonly(void);
void xs_daemon_close(struct xs_handle *xsh);

/* In a forked child: free the handle without touching the reader thread. */
void xs_daemon_destroy_postfork(struct xs_handle *xsh);

/* Child names of @path: one malloc'd block, *num entries. NULL+errno. */
char **xs_directory(struct xs_handle *h, xs_transaction_t t,
		    const char *path, unsigned int *num);
/* Value of @path, NUL appended; *len excludes it. NULL+errno. */
void *xs_read(struct xs_handle *h, xs_transaction_t t,
	      const char *path, unsigned int *len);
/* Write @len bytes at @path, creating parents. */
bool xs_write(struct xs_handle *h, xs_transaction_t t,
	      const char *path, const void *data, unsigned int len);
/* Create @path (no error if it exists). */
bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path);
/* Remove @path and everything below it. */
bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path);
/* Always fails: restriction was removed from the protocol. */
bool xs_restrict(struct xs_handle *h, unsigned int domid);

/* Permissions of @path: malloc'd array, [0] is owner and default. */
struct xs_permissions *xs_get_permissions(struct xs_handle *h,
					  xs_transaction_t t,
					  const char *path, unsigned int *num);
/* Replace the permissions of @path. */
bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t,
			const char *path, struct xs_permissions *perms,
			unsigned int num_perms);

/* Register a watch; the daemon fires it once right away. */
bool xs_watch(struct xs_handle *h, const char *path, const char *token);
/* File descriptor readable while watch events are queued. */
int xs_fileno(struct xs_handle *h);
/* Non-blocking: next event as [XS_WATCH_PATH], [XS_WATCH_TOKEN]; EAGAIN. */
char **xs_check_watch(struct xs_handle *h);
/* Blocking version of xs_check_watch(); *num is set to 2. */
char **xs_read_watch(struct xs_handle *h, unsigned int *num);
/* Remove a watch (and, with XS_UNWATCH_FILTER, its queued events). */
bool xs_unwatch(struct xs_handle *h, const char *path, const char *token);

/* Start a transaction: XBT_NULL + errno on failure. */
xs_transaction_t xs_transaction_start(struct xs_handle *h);
/* Commit (abort=false) or abort. false+EAGAIN on conflict: retry. */
bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort);

/* Domain management (privileged). */
bool xs_introduce_domain(struct xs_handle *h, unsigned int domid,
			 unsigned long mfn, unsigned int eventchn);
bool xs_set_target(struct xs_handle *h, unsigned int domid,
		   unsigned int target);
bool xs_resume_domain(struct xs_handle *h, unsigned int domid);
bool xs_release_domain(struct xs_handle *h, unsigned int domid);
/* "/local/domain/<domid>", malloc'd. */
char *xs_get_domain_path(struct xs_handle *h, unsigned int domid);
/* True if @child is @parent or lies below it (pure string test). */
bool xs_path_is_subpath(const char *parent, const char *child);
bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid);

/* Raw XS_CONTROL; the reply is malloc'd and NUL-terminated. */
char *xs_control_command(struct xs_handle *h, const char *cmd,
			 void *data, unsigned int len);
/* Deprecated alias of xs_control_command(). */
char *xs_debug_command(struct xs_handle *h, const char *cmd,
		       void *data, unsigned int len);

/* Loop write() until all of @data is written. */
bool xs_write_all(int fd, const void *data, unsigned int len);

/* Suspend event channel of @domid from the store, -1 if none. */
int xs_suspend_evtchn_port(int domid);

/* VERS_4.1: feature bits (XENSTORE_SERVER_FEATURE_*). */
bool xs_get_features_supported(struct xs_handle *h, unsigned int *features);
bool xs_get_features_domain(struct xs_handle *h, unsigned int domid,
			    unsigned int *features);
/* Only before the domain is introduced (EBUSY afterwards). */
bool xs_set_features_domain(struct xs_handle *h, unsigned int domid,
			    unsigned int features);

/* VERS_4.2: quotas (0 = unlimited) and watches with a depth. */
const char **xs_get_quota_names(struct xs_handle *h, unsigned int *num);
bool xs_get_global_quota(struct xs_handle *h, const char *quota,
			 unsigned int *value);
bool xs_set_global_quota(struct xs_handle *h, const char *quota,
			 unsigned int value);
bool xs_get_domain_quota(struct xs_handle *h, unsigned int domid,
			 const char *quota, unsigned int *value);
bool xs_set_domain_quota(struct xs_handle *h, unsigned int domid,
			 const char *quota, unsigned int value);
/* Depth 0 = the node only; EOPNOTSUPP if the daemon lacks the feature. */
bool xs_watch_depth(struct xs_handle *h, const char *path, const char *token,
		    unsigned int depth);
/* As xs_watch_depth(), falling back to a plain watch. */
bool xs_watch_try_depth(struct xs_handle *h, const char *path,
			const char *token, unsigned int depth);

#ifdef __cplusplus
}
#endif

#endif /* XENSTORE_H */
