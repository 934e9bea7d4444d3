/* SPDX-License-Identifier: MIT */
/*
 * xenstored internal interfaces: the node store and its transactions,
 * connections and transports, watches, domains and quotas, persistence and
 * logging. Each section names the file that owns it.
 */
#ifndef XENSTORED_H
#define XENSTORED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <hvabi/io/xs_wire.h>

#define DOMID_ANY 0x7ff5u
#define DOMID_FIRST_RESERVED 0x7ff0u
#define XS_PERM_R 1u
#define XS_PERM_W 2u
#define XS_PERM_OWNER 8u

struct conn;
struct txn;

/* ---- util.c: logging, hashing, buffers ---------------------------- */
enum log_level { LOG_ERR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };
extern int xs_log_level;
void xs_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Log to @path (appending), or to stderr for "-". 0 or -errno. */
int xs_log_open(const char *path);
uint64_t xs_hash(const char *s);
uint32_t xs_crc32(const void *buf, size_t len);
/* Parse a decimal unsigned number that must fill @s; -EINVAL otherwise. */
int xs_parse_uint(const char *s, unsigned long max, unsigned long *out);
void *xs_zalloc(size_t size);

/* ---- perms.c: permissions and path checks ------------------------- */
struct xs_perm {
	uint32_t id;
	uint32_t perms;		/* XS_PERM_R | XS_PERM_W */
};

/* Parse @n NUL-terminated perm strings from @s[0..len). */
int perms_parse(const char *s, size_t len, struct xs_perm **out,
		unsigned int *n);
/* Format perms as "r5\0n0\0"; returns bytes written or -E2BIG. */
int perms_format(const struct xs_perm *p, unsigned int n, char *buf,
		 size_t size);
/* Effective XS_PERM_* bits of @conn on a node with perms @p. */
unsigned int perms_for_conn(const struct conn *conn, const struct xs_perm *p,
			    unsigned int n);
/*
 * Validate and canonicalize @g_path from @conn into @out (absolute).
 * @special allows "@..." names. -EINVAL on bad chars or length.
 */
int path_canonical(const struct conn *conn, const char *g_path, bool special,
		   char *out, size_t size);
/* Parent of an absolute path into @out ("/" for top-level). */
void path_parent(const char *path, char *out);

/* ---- store.c: nodes, transactions ----------------------------------- */
struct node {
	char *path;		/* absolute; hash key; stored after the node */
	char *value;
	uint32_t vlen;
	uint32_t nperms;
	struct xs_perm *perms;	/* [0] = owner and default */
	struct xs_perm perm0;	/* perms points here when nperms == 1 */
	char *children;		/* packed "a\0b\0" */
	uint32_t clen, csize;
	uint64_t gen;		/* store generation of the last change */
	/* Main tree only: what domain.c was charged for it (store.c). */
	uint32_t acct_mem, acct_owner;
	bool acct;
	/* Transaction copies only: */
	uint64_t orig_gen;	/* gen seen at first access, 0 = absent */
	bool deleted, modified;
	bool recreated;		/* existed, deleted, then created again */
	uint32_t seq;		/* creation order inside the transaction */
	struct node *hnext;
};

int store_init(void);
/* Find @path (absolute) in the main tree, no txn. */
struct node *store_lookup(const char *path);
/* Get @path inside @t (NULL = main tree). -ENOENT, -ENOSPC (txn full). */
int node_get(struct txn *t, const char *path, struct node **out);
/* Record a change of @n (value, perms or children). */
int node_write(struct txn *t, struct node *n);
/* Create @path under its existing parent with perms copied from @perms. */
int node_create(struct txn *t, const char *path, const struct xs_perm *perms,
		unsigned int nperms, struct node **out);
/* Delete @path and everything below it. */
int node_delete(struct txn *t, const char *path);
int node_set_value(struct node *n, const void *data, size_t len);
int node_set_perms(struct node *n, const struct xs_perm *p, unsigned int n_p);
unsigned long store_node_count(void);
uint64_t store_generation(void);
/* Iterate the main tree in pre-order (parents first). */
int store_walk(int (*fn)(struct node *n, void *arg), void *arg);
/* Insert/replace a node in the main tree from persisted state. */
int store_restore_set(const char *path, const char *value, uint32_t vlen,
		      const struct xs_perm *p, unsigned int np);
int store_restore_del(const char *path);
void store_free_node(struct node *n);
/* Commit a transaction's copies: deletions deepest first, then the rest
 * parents first (store_apply_set() returns true if it kept @c). */
void store_apply_delete(const struct node *c);
bool store_apply_set(struct node *c);

/* Transactions. */
struct txn {
	uint32_t id;
	struct conn *conn;
	unsigned int nr_nodes;
	unsigned int hsize;
	struct node **hash;
	struct txn_event *events;	/* watch events held until commit */
	int failed;			/* a write failed: commit => ENOMEM */
	unsigned int created;		/* nodes created, for the nodes quota */
	struct txn *next;
};
struct txn *txn_find(struct conn *conn, uint32_t id);
int txn_start(struct conn *conn, uint32_t *id);
/* Commit (or abort) and free the transaction. -EAGAIN on conflict. */
int txn_end(struct conn *conn, struct txn *t, bool commit);
void txn_free_all(struct conn *conn);
/* The transaction's copy of @path, or NULL if it has not seen it. */
struct node *txn_lookup(struct txn *t, const char *path);
int txn_insert(struct txn *t, struct node *n);
/* Queue a watch firing until commit. */
int txn_add_event(struct txn *t, const char *path, bool recurse,
		  const struct xs_perm *p, unsigned int np);

/* ---- watch.c ------------------------------------------------------ */
struct watch {
	char *path;	/* absolute (or special "@...") */
	char *token;
	bool relative;
	int depth;	/* -1 = unlimited */
	struct watch *next;
};
int watch_add(struct conn *conn, const char *g_path, const char *token,
	      int depth);
int watch_remove(struct conn *conn, const char *g_path, const char *token);
void watch_free_all(struct conn *conn);
/* Fire watches of @path (and, with @recurse, of nodes below it). */
void watch_fire(const char *path, const struct xs_perm *p, unsigned int np,
		bool recurse);
/* Fire @path now or, inside a transaction, at commit. */
void watch_fire_txn(struct txn *t, const char *path, bool recurse,
		    const struct xs_perm *p, unsigned int np);
/* Fire a special watch ("@releaseDomain") with an optional domid. */
void watch_fire_special(const char *name, unsigned int domid);

/* ---- conn.c: connections, message framing ------------------------- */
struct transport_ops {
	const char *name;
	/* Read up to @len bytes; 0 = nothing now, -1 = connection dead. */
	ssize_t (*read)(struct conn *c, void *buf, size_t len);
	/* Write up to @len bytes; 0 = no room now, -1 = dead. */
	ssize_t (*write)(struct conn *c, const void *buf, size_t len);
	void (*close)(struct conn *c);
	/* Optional: the poll descriptor fired (drain a notification). */
	void (*kick)(struct conn *c);
	/* poll() descriptor and events wanted. */
	int (*pollfd)(struct conn *c, short *events);
};

struct outbuf {
	struct outbuf *next;
	size_t len, done;
	bool is_event;
	char data[];
};

struct conn {
	const struct transport_ops *ops;
	void *tp;			/* transport private */
	unsigned int id;		/* serial for logs */
	unsigned int domid;		/* 0 for the socket */
	bool priv;
	bool dead;
	uint32_t error;			/* XENSTORE_ERROR_* for rings */
	/* Input assembly. */
	struct xsd_sockmsg hdr;
	size_t in_used;
	char in[XENSTORE_PAYLOAD_MAX + 1];
	/* Output queue, bounded by conn_out_max bytes. */
	struct outbuf *out_head, **out_tail;
	size_t out_bytes;
	struct watch *watches;
	unsigned int nr_watches;
	struct txn *txns;
	unsigned int nr_txns;
	uint32_t next_txn_id;
	struct domain *domain;		/* NULL for socket connections */
	bool stalled;			/* input left unread: domain_stalled */
	struct conn *next;
};
extern struct conn *conn_list;
extern size_t conn_out_max;
struct conn *conn_new(const struct transport_ops *ops, void *tp,
		      unsigned int domid);
/* Pump input and output; returns after no more progress is possible. */
void conn_service(struct conn *c);
void conn_reap_dead(void);
/* Write queued output of every connection. */
void conn_flush_all(void);
/* Queue a reply/event; an event over the queue bound kills the conn. */
int conn_send(struct conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
	      const void *data, size_t len, bool is_event);
void conn_destroy(struct conn *c);
/* Drop input, output, watches and transactions (ring RECONNECT). */
void conn_reset(struct conn *c);

/* ---- wire.c: request dispatch ------------------------------------- */
struct request {
	struct conn *conn;
	struct xsd_sockmsg hdr;
	const char *data;		/* payload, NUL appended */
	struct txn *txn;
};
/* Handle one complete request; always queues a reply unless dead. */
void wire_process(struct conn *c, const struct xsd_sockmsg *hdr,
		  const char *data);
int wire_reply(struct request *r, const void *data, size_t len);
int wire_ok(struct request *r);
const char *wire_errname(int err);
/* Split payload into NUL-terminated args; returns count found. */
unsigned int wire_args(const struct request *r, const char **argv,
		       unsigned int max);

/* ---- ops.c: node request handlers --------------------------------- */
int do_read(struct request *r);
int do_write(struct request *r);
int do_mkdir(struct request *r);
int do_rm(struct request *r);
int do_directory(struct request *r);
int do_directory_part(struct request *r);
int do_get_perms(struct request *r);
int do_set_perms(struct request *r);

/* ---- domain.c: domains, quotas ------------------------------------ */
enum quota_idx {
	Q_NODES, Q_NODE_SIZE, Q_WATCHES, Q_TXNS, Q_TXN_NODES, Q_PERMS,
	Q_PATH_MAX, Q_OUTSTANDING, Q_MEMORY, Q_COUNT
};
extern const char *const quota_names[Q_COUNT];
extern unsigned int quota_global[Q_COUNT];
/* Memory level (bytes) above which a domain is warned about (log). */
extern unsigned int quota_memory_soft;
/* The ring-connected domain with dom0's rights (-p), default 0 (dom0). */
extern unsigned int xs_priv_domid;

struct domain {
	unsigned int domid;
	bool introduced;
	bool shutdown;		/* @releaseDomain already fired */
	unsigned int target;	/* SET_TARGET, or DOMID_FIRST_RESERVED */
	unsigned int features;
	struct conn *conn;	/* ring connection */
	unsigned long nr_nodes;	/* nodes owned */
	long memory;		/* bytes: owned nodes, watches, queued output */
	unsigned int outstanding; /* replies and events not yet delivered */
	bool soft_reported, hard_reported;
	unsigned int quota[Q_COUNT];
	bool quota_set[Q_COUNT];
	struct domain *next;
};
struct domain *domain_find(unsigned int domid);
struct domain *domain_get(unsigned int domid);
/* Quota of @q for @domid (0 = unlimited). Privileged domains: 0. */
unsigned int quota_of(unsigned int domid, enum quota_idx q);
/* True if @conn may not exceed @val for quota @q (val >= quota). */
bool quota_exceeded(const struct conn *conn, enum quota_idx q,
		    unsigned long val);
/* Charge (or with negative deltas, refund) @owner nodes and bytes. */
void domain_acct(unsigned int owner, long nodes, long mem);
unsigned long domain_nodes(unsigned int domid);
/* -ENOMEM if @conn's domain would reach its memory quota with @extra. */
int domain_mem_check(const struct conn *conn, size_t extra);
/* True while @conn must not be read: too many undelivered replies and
 * events (quota "outstanding") or memory at its quota (as Xen 4.17). */
bool domain_stalled(const struct conn *conn);
/* A reply or event of @len bytes was queued for @conn (@delta 1) or
 * delivered or dropped (@delta -1). */
void domain_out_acct(const struct conn *conn, size_t len, int delta);
int do_introduce(struct request *r);
int do_release(struct request *r);
int do_resume(struct request *r);
int do_is_introduced(struct request *r);
int do_get_domain_path(struct request *r);
int do_set_target(struct request *r);
int do_get_feature(struct request *r);
int do_set_feature(struct request *r);
int do_get_quota(struct request *r);
int do_set_quota(struct request *r);
/* Called by a ring transport when its domain's connection dies. */
void domain_conn_gone(struct domain *d);
/* The domain is gone (ring transport): fire @releaseDomain once. */
void domain_died(unsigned int domid);
int quota_set_option(const char *arg);
/* --quota-soft: only "memory=N" as in Xen 4.17. */
int quota_soft_option(const char *arg);
int quota_index(const char *name);

/* ---- control.c ------------------------------------------------------ */
int do_control(struct request *r);

/* ---- persist.c ------------------------------------------------------ */
int persist_open(const char *dir);
void persist_set(const struct node *n);
void persist_del(const char *path);
/* Write queued records; called after every request. */
int persist_flush(void);
void persist_close(void);
extern bool persist_fsync;

/* ---- sock.c / ring.c: transports ------------------------------------ */
int sock_listen(const char *path);
int sock_accept(int lfd);
/* Registry socket where simulated guests hand over their ring. */
int hostring_listen(const char *path);
struct pollfd;
int hostring_fill_pollfds(struct pollfd *pfd, int max);
void hostring_handle(const struct pollfd *pfd, int n);
void hostring_close(void);
/* Map the ring registered for @domid (host) and create its connection. */
int ring_connect_domain(struct domain *d, unsigned long gfn,
			unsigned int port);
/* Unmap @d's ring and unbind its channel now (later if @busy is it). */
void ring_disconnect_domain(struct domain *d, const struct conn *busy);
/*
 * In a Linux dom0: serve dom0's kernel over /proc/xen/xsd_kva + xsd_port
 * (untested until Linux dom0 runs). -ENOENT when not in such a dom0.
 */
int ring_xen_dom0_init(void);
/*
 * Serve @d over grant @gref of domain @owner (through gntdev; if that
 * fails and @gfn is not RING_NO_GFN, frame @gfn through privcmd) and
 * @owner's event channel @port. 0 or -errno (logged per method).
 */
#define RING_NO_GFN (~0UL)
int ring_xen_attach(struct domain *d, unsigned int owner, uint32_t gref,
		    unsigned long gfn, unsigned int port);
/* Control "ring-test": introduce @domid served that way (dom0 tests). */
int domain_ring_test(unsigned int domid, unsigned int owner, uint32_t gref,
		     unsigned int port);

#endif /* XENSTORED_H */
