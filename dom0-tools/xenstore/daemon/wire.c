// SPDX-License-Identifier: MIT
/*
 * Request dispatch: the flagged wire_funcs[] table and the checks every
 * request passes centrally (known type, privilege, transaction id), the
 * request log line, and the reply/error encoding. Handlers return 0 after
 * replying or a negative errno that is sent as the error name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"

#define F_PRIV 1u	/* privileged connections only */
#define F_TXN 2u	/* runs inside the header's transaction */
#define F_MEM 4u	/* allocates: refused with ENOMEM at the memory quota */

static int do_watch(struct request *r);
static int do_unwatch(struct request *r);
static int do_txn_start(struct request *r);
static int do_txn_end(struct request *r);
static int do_reset_watches(struct request *r);

static const struct wire_func {
	const char *name;
	int (*fn)(struct request *r);
	unsigned int flags;
} wire_funcs[XS_TYPE_COUNT] = {
	[XS_CONTROL] = { "CONTROL", do_control, F_PRIV },
	[XS_DIRECTORY] = { "DIRECTORY", do_directory, F_TXN },
	[XS_READ] = { "READ", do_read, F_TXN },
	[XS_GET_PERMS] = { "GET_PERMS", do_get_perms, F_TXN },
	[XS_WATCH] = { "WATCH", do_watch, F_MEM },
	[XS_UNWATCH] = { "UNWATCH", do_unwatch, 0 },
	[XS_TRANSACTION_START] = { "TRANSACTION_START", do_txn_start,
				  F_MEM },
	[XS_TRANSACTION_END] = { "TRANSACTION_END", do_txn_end, F_TXN },
	[XS_INTRODUCE] = { "INTRODUCE", do_introduce, F_PRIV },
	[XS_RELEASE] = { "RELEASE", do_release, F_PRIV },
	[XS_GET_DOMAIN_PATH] = { "GET_DOMAIN_PATH", do_get_domain_path, 0 },
	[XS_WRITE] = { "WRITE", do_write, F_TXN | F_MEM },
	[XS_MKDIR] = { "MKDIR", do_mkdir, F_TXN | F_MEM },
	[XS_RM] = { "RM", do_rm, F_TXN },
	[XS_SET_PERMS] = { "SET_PERMS", do_set_perms, F_TXN | F_MEM },
	[XS_WATCH_EVENT] = { "WATCH_EVENT", NULL, 0 },
	[XS_ERROR] = { "ERROR", NULL, 0 },
	[XS_IS_DOMAIN_INTRODUCED] = { "IS_DOMAIN_INTRODUCED",
				      do_is_introduced, F_PRIV },
	[XS_RESUME] = { "RESUME", do_resume, F_PRIV },
	[XS_SET_TARGET] = { "SET_TARGET", do_set_target, F_PRIV },
	[XS_RESTRICT] = { "RESTRICT", NULL, 0 },
	[XS_RESET_WATCHES] = { "RESET_WATCHES", do_reset_watches, 0 },
	[XS_DIRECTORY_PART] = { "DIRECTORY_PART", do_directory_part, F_TXN },
	[XS_GET_FEATURE] = { "GET_FEATURE", do_get_feature, 0 },
	[XS_SET_FEATURE] = { "SET_FEATURE", do_set_feature, F_PRIV },
	[XS_GET_QUOTA] = { "GET_QUOTA", do_get_quota, F_PRIV },
	[XS_SET_QUOTA] = { "SET_QUOTA", do_set_quota, F_PRIV },
};

const char *wire_errname(int err)
{
	static const struct xsd_errors tab[] = { XSD_ERROR_LIST };
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].errnum == err)
			return tab[i].errstring;
	return "EIO";
}

int wire_reply(struct request *r, const void *data, size_t len)
{
	if (len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	conn_send(r->conn, r->hdr.type, r->hdr.req_id, r->hdr.tx_id, data,
		  len, false);
	return 0;
}

int wire_ok(struct request *r)
{
	return wire_reply(r, "OK", 3);
}

unsigned int wire_args(const struct request *r, const char **argv,
		       unsigned int max)
{
	unsigned int n = 0;
	uint32_t off = 0;

	while (off < r->hdr.len && n < max) {
		argv[n++] = r->data + off;
		off += (uint32_t)strnlen(r->data + off, r->hdr.len - off) + 1;
	}
	return n;
}

static int do_watch(struct request *r)
{
	const char *argv[3];
	unsigned long depth = 0;
	unsigned int n = wire_args(r, argv, 3);
	int err;

	if (n < 2 || r->data[r->hdr.len - 1] != '\0')
		return -EINVAL;
	if (n == 3 && xs_parse_uint(argv[2], 0x7fffffff, &depth) < 0)
		return -EINVAL;
	err = watch_add(r->conn, argv[0], argv[1], n == 3 ? (int)depth : -1);
	if (err)
		return err;
	wire_ok(r);
	/* Fire once up front: clients rely on it. */
	{
		size_t plen = strlen(argv[0]) + 1, tlen = strlen(argv[1]) + 1;
		char buf[XENSTORE_PAYLOAD_MAX];

		memcpy(buf, argv[0], plen);
		memcpy(buf + plen, argv[1], tlen);
		conn_send(r->conn, XS_WATCH_EVENT, 0, 0, buf, plen + tlen,
			  true);
	}
	return 0;
}

static int do_unwatch(struct request *r)
{
	const char *argv[2];

	if (wire_args(r, argv, 2) != 2 || r->data[r->hdr.len - 1] != '\0')
		return -EINVAL;
	return watch_remove(r->conn, argv[0], argv[1]) ?: wire_ok(r);
}

static int do_txn_start(struct request *r)
{
	char buf[16];
	uint32_t id;
	int err;

	if (r->hdr.tx_id)
		return -EBUSY;
	err = txn_start(r->conn, &id);
	if (err)
		return err;
	return wire_reply(r, buf, (size_t)snprintf(buf, sizeof(buf), "%u",
						   id) + 1);
}

static int do_txn_end(struct request *r)
{
	bool commit;
	struct txn *t = r->txn;

	if (r->hdr.len != 2 || r->data[1] != '\0')
		return -EINVAL;
	if (r->data[0] == 'T')
		commit = true;
	else if (r->data[0] == 'F')
		commit = false;
	else
		return -EINVAL;
	if (!t)
		return -ENOENT;
	r->txn = NULL;
	return txn_end(r->conn, t, commit) ?: wire_ok(r);
}

static int do_reset_watches(struct request *r)
{
	watch_free_all(r->conn);
	txn_free_all(r->conn);
	return wire_ok(r);
}

void wire_process(struct conn *c, const struct xsd_sockmsg *hdr,
		  const char *data)
{
	struct request r = { .conn = c, .hdr = *hdr, .data = data };
	const struct wire_func *f = NULL;
	int err;

	if (hdr->type < XS_TYPE_COUNT)
		f = &wire_funcs[hdr->type];
	xs_log(LOG_DEBUG, "conn %u dom %u: %s tx %u len %u", c->id, c->domid,
	       f ? f->name : "UNKNOWN", hdr->tx_id, hdr->len);
	if (!f || !f->fn) {
		err = -ENOSYS;
	} else if ((f->flags & F_PRIV) && !c->priv) {
		err = -EACCES;
	} else if ((f->flags & F_TXN) && hdr->tx_id &&
		   !(r.txn = txn_find(c, hdr->tx_id))) {
		err = -ENOENT;
	} else if ((f->flags & F_MEM) && domain_mem_check(c, hdr->len)) {
		err = -ENOMEM;
	} else {
		err = f->fn(&r);
	}
	if (err) {
		const char *name = wire_errname(-err);

		xs_log(LOG_DEBUG, "conn %u: %s -> %s", c->id,
		       f ? f->name : "UNKNOWN", name);
		conn_send(c, XS_ERROR, hdr->req_id, hdr->tx_id, name,
			  strlen(name) + 1, false);
	}
}
