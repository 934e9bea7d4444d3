/* SPDX-License-Identifier: MIT */
/*
 * Xenstore wire protocol: message header, message types, the error-name
 * table and the guest shared-ring page. Binary compatible with Xen's
 * xs_wire.h (types 0-26). Owns no behaviour; the daemon and the client
 * library (dom0-tools/) and guests share these definitions.
 */
#ifndef HVABI_IO_XS_WIRE_H
#define HVABI_IO_XS_WIRE_H

#include <stdint.h>

/* Also usable from C++ (libxenstore's users): its spelling of the check. */
#ifdef __cplusplus
#define XS_WIRE_ASSERT(c, m) static_assert(c, m)
#else
#define XS_WIRE_ASSERT(c, m) _Static_assert(c, m)
#endif

enum xsd_sockmsg_type {
	XS_CONTROL = 0,			/* priv: "<cmd>|[<arg>|]*" */
#define XS_DEBUG XS_CONTROL
	XS_DIRECTORY = 1,		/* "<path>|" -> "<child>|"* */
	XS_READ = 2,			/* "<path>|" -> raw value */
	XS_GET_PERMS = 3,		/* "<path>|" -> "<perm>|"+ */
	XS_WATCH = 4,			/* "<path>|<token>|[<depth>|]" */
	XS_UNWATCH = 5,			/* "<path>|<token>|" */
	XS_TRANSACTION_START = 6,	/* "|" -> "<txid>|" */
	XS_TRANSACTION_END = 7,		/* "T|" or "F|" */
	XS_INTRODUCE = 8,		/* priv: "<domid>|<gfn>|<port>|" */
	XS_RELEASE = 9,			/* priv: "<domid>|" */
	XS_GET_DOMAIN_PATH = 10,	/* "<domid>|" -> "<path>|" */
	XS_WRITE = 11,			/* "<path>|<value>" */
	XS_MKDIR = 12,			/* "<path>|" */
	XS_RM = 13,			/* "<path>|" */
	XS_SET_PERMS = 14,		/* "<path>|<perm>|"+ */
	XS_WATCH_EVENT = 15,		/* server only: "<path>|<token>|" */
	XS_ERROR = 16,			/* server only: "<ENAME>|" */
	XS_IS_DOMAIN_INTRODUCED = 17,	/* "<domid>|" -> "T|" or "F|" */
	XS_RESUME = 18,			/* priv: "<domid>|" */
	XS_SET_TARGET = 19,		/* priv: "<domid>|<target>|" */
	XS_RESTRICT = 20,		/* removed: always invalid */
	XS_RESET_WATCHES = 21,		/* "|" */
	XS_DIRECTORY_PART = 22,		/* "<path>|<offset>|" */
	XS_GET_FEATURE = 23,		/* "[<domid>|]" -> "<bitmap>|" */
	XS_SET_FEATURE = 24,		/* priv: "<domid>|<bitmap>|" */
	XS_GET_QUOTA = 25,		/* priv: "[[<domid>|]<name>|]" */
	XS_SET_QUOTA = 26,		/* priv: "[<domid>|]<name>|<value>|" */
	XS_TYPE_COUNT,			/* number of valid types */
	XS_INVALID = 0xffff		/* never valid */
};

#define XS_WRITE_NONE "NONE"
#define XS_WRITE_CREATE "CREATE"
#define XS_WRITE_CREATE_EXCL "CREATE|EXCL"

/*
 * Error replies carry the errno *name*. The order of this table is fixed
 * by the protocol and may only be appended to. XSD_ERROR(x) pairs the host
 * errno value with its name; with <errno.h> included, a lookup table is
 * `static const struct xsd_errors tab[] = { XSD_ERROR_LIST };`.
 */
struct xsd_errors {
	int errnum;
	const char *errstring;
};

#define XSD_ERROR(x) { x, #x }
#define XSD_ERROR_LIST                                                        \
	XSD_ERROR(EINVAL), XSD_ERROR(EACCES), XSD_ERROR(EEXIST),              \
	XSD_ERROR(EISDIR), XSD_ERROR(ENOENT), XSD_ERROR(ENOMEM),              \
	XSD_ERROR(ENOSPC), XSD_ERROR(EIO), XSD_ERROR(ENOTEMPTY),              \
	XSD_ERROR(ENOSYS), XSD_ERROR(EROFS), XSD_ERROR(EBUSY),                \
	XSD_ERROR(EAGAIN), XSD_ERROR(EISCONN), XSD_ERROR(E2BIG),              \
	XSD_ERROR(EPERM)
#define XSD_ERROR_COUNT 16

/* Every message on the socket or ring starts with this header. */
struct xsd_sockmsg {
	uint32_t type;		/* enum xsd_sockmsg_type */
	uint32_t req_id;	/* echoed in the reply */
	uint32_t tx_id;		/* transaction id, 0 = none */
	uint32_t len;		/* payload bytes that follow */
};
XS_WIRE_ASSERT(sizeof(struct xsd_sockmsg) == 16, "xsd_sockmsg size");

enum xs_watch_type {
	XS_WATCH_PATH = 0,
	XS_WATCH_TOKEN
};

/*
 * The shared page between a guest and the store. req[] carries the guest's
 * byte stream to the server, rsp[] the replies and watch events. Indexes are
 * free running; a position is (index & (XENSTORE_RING_SIZE - 1)). A consumer
 * must reject prod - cons > XENSTORE_RING_SIZE.
 */
#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
	char req[XENSTORE_RING_SIZE];	/* guest -> server */
	char rsp[XENSTORE_RING_SIZE];	/* server -> guest */
	XENSTORE_RING_IDX req_cons, req_prod;
	XENSTORE_RING_IDX rsp_cons, rsp_prod;
	uint32_t server_features;	/* XENSTORE_SERVER_FEATURE_*, server sets */
	uint32_t connection;		/* XENSTORE_CONNECTED / _RECONNECT */
	uint32_t error;			/* XENSTORE_ERROR_*, server sets */
	uint32_t evtchn_port;		/* set by the hypervisor, 0 = unset */
};
XS_WIRE_ASSERT(sizeof(struct xenstore_domain_interface) == 2080,
	       "xenstore_domain_interface size");
XS_WIRE_ASSERT(__builtin_offsetof(struct xenstore_domain_interface,
				  req_cons) == 2048, "req_cons offset");
XS_WIRE_ASSERT(__builtin_offsetof(struct xenstore_domain_interface,
				  rsp_prod) == 2060, "rsp_prod offset");
XS_WIRE_ASSERT(__builtin_offsetof(struct xenstore_domain_interface,
				  server_features) == 2064, "features offset");
XS_WIRE_ASSERT(__builtin_offsetof(struct xenstore_domain_interface,
				  evtchn_port) == 2076, "evtchn_port offset");

/* Protocol limits. */
#define XENSTORE_PAYLOAD_MAX 4096
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

/* server_features bits */
#define XENSTORE_SERVER_FEATURE_RECONNECTION 1	/* connection field works */
#define XENSTORE_SERVER_FEATURE_ERROR 2		/* error field works */
#define XENSTORE_SERVER_FEATURE_WATCHDEPTH 4	/* WATCH takes a depth */
#define XENSTORE_SERVER_FEATURE_DOMID_ANY 8	/* perms accept DOMID_ANY */

/* connection values */
#define XENSTORE_CONNECTED 0	/* steady state */
#define XENSTORE_RECONNECT 1	/* guest asks for a ring reset */

/* error values */
#define XENSTORE_ERROR_NONE 0
#define XENSTORE_ERROR_COMM 1		/* communication problem */
#define XENSTORE_ERROR_RINGIDX 2	/* invalid ring index */
#define XENSTORE_ERROR_PROTO 3		/* protocol violation */

#endif /* HVABI_IO_XS_WIRE_H */
