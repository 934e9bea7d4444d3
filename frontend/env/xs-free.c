// SPDX-License-Identifier: MIT
/*
 * The freestanding xenstore client (xs-free.h): byte streams over the
 * store page's two rings, the message framing on top. We own req_prod and
 * rsp_cons; the server owns req_cons and rsp_prod, which are read once
 * per pass and bounded.
 */
#include <stddef.h>
#include <hvabi/errno.h>
#include "xs-free.h"

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define barrier() __asm__ __volatile__("" ::: "memory")
/* x86: loads are not reordered with loads nor stores with stores; only a
 * load after a store needs a fence. */
#define mb() __asm__ __volatile__("mfence" ::: "memory")

static uint32_t str_len(const char *s)
{
	uint32_t n = 0;

	while (s[n])
		n++;
	return n;
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static void copy(void *dst, const void *src, uint32_t n)
{
	char *d = dst;
	const char *s = src;

	while (n--)
		*d++ = *s++;
}

void xs_free_init(struct xs_free *x, struct xenstore_domain_interface *intf,
		  void (*notify)(void *arg), int (*wait)(void *arg, int ms),
		  void *arg)
{
	*x = (struct xs_free){.intf = intf, .notify = notify, .wait = wait,
			      .arg = arg, .timeout_ms = 10000};
}

static int fail(struct xs_free *x)
{
	x->broken = true;
	return -HV_EBADMSG;
}

static int write_bytes(struct xs_free *x, const void *buf, uint32_t len)
{
	struct xenstore_domain_interface *in = x->intf;
	const char *p = buf;

	while (len) {
		uint32_t cons = READ_ONCE(in->req_cons), prod = in->req_prod;
		uint32_t used = prod - cons, off = MASK_XENSTORE_IDX(prod), n;

		if (used > XENSTORE_RING_SIZE)
			return fail(x);
		n = XENSTORE_RING_SIZE - used;
		if (!n) {
			if (!x->wait(x->arg, x->timeout_ms))
				return -HV_ETIMEDOUT;
			continue;
		}
		if (n > XENSTORE_RING_SIZE - off)
			n = XENSTORE_RING_SIZE - off;
		if (n > len)
			n = len;
		mb(); /* the server's consumption seen before we overwrite */
		copy(in->req + off, p, n);
		barrier(); /* bytes before the index */
		WRITE_ONCE(in->req_prod, prod + n);
		x->notify(x->arg);
		p += n;
		len -= n;
	}
	return 0;
}

static int read_bytes(struct xs_free *x, void *buf, uint32_t len)
{
	struct xenstore_domain_interface *in = x->intf;
	char *p = buf;

	while (len) {
		uint32_t prod = READ_ONCE(in->rsp_prod), cons = in->rsp_cons;
		uint32_t avail = prod - cons, off = MASK_XENSTORE_IDX(cons), n;

		if (avail > XENSTORE_RING_SIZE)
			return fail(x);
		if (!avail) {
			if (!x->wait(x->arg, x->timeout_ms))
				return -HV_ETIMEDOUT;
			continue;
		}
		n = avail < XENSTORE_RING_SIZE - off ? avail
						      : XENSTORE_RING_SIZE - off;
		if (n > len)
			n = len;
		barrier(); /* the index before the bytes it covers */
		copy(p, in->rsp + off, n);
		mb(); /* our reads done before the server reuses the space */
		WRITE_ONCE(in->rsp_cons, cons + n);
		x->notify(x->arg);
		p += n;
		len -= n;
	}
	return 0;
}

/* The server's error name as -errno. */
static int error_of(const char *name)
{
	static const struct {
		const char *name;
		int err;
	} map[] = {
	    {"ENOENT", HV_ENOENT},   {"EACCES", HV_EACCES},
	    {"EEXIST", HV_EEXIST},   {"EISDIR", HV_EISDIR},
	    {"ENOSPC", HV_ENOSPC},   {"EINVAL", HV_EINVAL},
	    {"ENOSYS", HV_ENOSYS},   {"EROFS", HV_EROFS},
	    {"EBUSY", HV_EBUSY},     {"EAGAIN", HV_EAGAIN},
	    {"EISCONN", HV_EISCONN}, {"E2BIG", HV_E2BIG},
	    {"EPERM", HV_EPERM},     {"ENOMEM", HV_ENOMEM},
	    {"ENOTEMPTY", HV_ENOTEMPTY},
	};

	for (unsigned int i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (str_eq(name, map[i].name))
			return -map[i].err;
	return -HV_EIO;
}

/*
 * One message off the ring into @hdr and its payload: a watch event to
 * x->event (the first pending one; later ones fold into it), an error
 * name to x->scratch (NUL-terminated), a reply to @reply if it fits.
 */
static int read_msg(struct xs_free *x, struct xsd_sockmsg *hdr, void *reply,
		    uint32_t cap)
{
	int rc = read_bytes(x, hdr, sizeof(*hdr));
	uint32_t len = hdr->len;
	void *to = x->scratch;

	if (rc)
		return rc;
	if (len > XENSTORE_PAYLOAD_MAX)
		return fail(x);
	if (hdr->type == XS_WATCH_EVENT && !x->has_event)
		to = x->event;
	else if (hdr->type != XS_ERROR && hdr->type != XS_WATCH_EVENT &&
		 len <= cap)
		to = reply;
	rc = read_bytes(x, to, len);
	if (!rc && to == x->event) {
		x->has_event = true;
		x->event_len = len;
	}
	x->scratch[len] = '\0';
	return rc;
}

int xs_free_request(struct xs_free *x, uint32_t type, uint32_t tx,
		    const void *payload, uint32_t len, void *reply,
		    uint32_t cap)
{
	struct xsd_sockmsg hdr = {.type = type, .req_id = ++x->req_id,
				  .tx_id = tx, .len = len};
	int rc;

	if (x->broken)
		return -HV_EBADMSG;
	if (len > XENSTORE_PAYLOAD_MAX)
		return -HV_E2BIG;
	rc = write_bytes(x, &hdr, sizeof(hdr));
	if (!rc)
		rc = write_bytes(x, payload, len);
	while (!rc) {
		struct xsd_sockmsg r;

		rc = read_msg(x, &r, reply, cap);
		if (rc || r.type == XS_WATCH_EVENT)
			continue;
		if (r.req_id != hdr.req_id)
			return fail(x); /* one request at a time: not ours */
		if (r.type == XS_ERROR)
			return error_of(x->scratch);
		if (r.type != type)
			return fail(x);
		return r.len <= cap ? (int)r.len : -HV_E2BIG;
	}
	return rc;
}

/* "<a>\0<b>\0" (@b may be NULL) into @buf; its length or -E2BIG. */
static int join(char *buf, const char *a, const char *b)
{
	uint32_t la = str_len(a) + 1, lb = b ? str_len(b) + 1 : 0;

	if (la + lb > XENSTORE_PAYLOAD_MAX)
		return -HV_E2BIG;
	copy(buf, a, la);
	copy(buf + la, b, lb);
	return (int)(la + lb);
}

static int simple(struct xs_free *x, uint32_t type, const char *a,
		  const char *b, bool b_has_nul)
{
	char reply[8];
	int n = join(x->scratch, a, b);

	if (n < 0)
		return n;
	/* XS_WRITE's value is raw bytes, without a terminating NUL. */
	n = xs_free_request(x, type, 0, x->scratch, (uint32_t)n - !b_has_nul,
			    reply, sizeof(reply));
	return n < 0 ? n : 0;
}

int xs_free_read(struct xs_free *x, const char *path, char *buf,
		 uint32_t cap)
{
	int n = join(x->scratch, path, NULL);

	if (n < 0 || !cap)
		return n < 0 ? n : -HV_E2BIG;
	n = xs_free_request(x, XS_READ, 0, x->scratch, (uint32_t)n, buf,
			    cap - 1);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

int xs_free_write(struct xs_free *x, const char *path, const char *value)
{
	return simple(x, XS_WRITE, path, value, false);
}

int xs_free_rm(struct xs_free *x, const char *path)
{
	return simple(x, XS_RM, path, NULL, true);
}

int xs_free_watch(struct xs_free *x, const char *path, const char *token)
{
	return simple(x, XS_WATCH, path, token, true);
}

int xs_free_unwatch(struct xs_free *x, const char *path, const char *token)
{
	return simple(x, XS_UNWATCH, path, token, true);
}

/* Copies C string @s, truncated, into @dst of @cap bytes. */
static void take(char *dst, const char *s, uint32_t cap)
{
	uint32_t n = str_len(s);

	if (!cap)
		return;
	if (n >= cap)
		n = cap - 1;
	copy(dst, s, n);
	dst[n] = '\0';
}

int xs_free_wait_event(struct xs_free *x, char *path, char *token,
		       uint32_t cap, int ms)
{
	struct xsd_sockmsg r;
	char none[1];
	uint32_t plen;
	int rc;

	while (!x->has_event) {
		if (x->broken)
			return -HV_EBADMSG;
		if (READ_ONCE(x->intf->rsp_prod) == x->intf->rsp_cons &&
		    !x->wait(x->arg, ms))
			return 0;
		if (READ_ONCE(x->intf->rsp_prod) == x->intf->rsp_cons)
			continue;
		rc = read_msg(x, &r, none, 0);
		if (rc)
			return rc;
		if (r.type != XS_WATCH_EVENT)
			return fail(x); /* a reply nobody asked for */
	}
	x->has_event = false;
	/* "<path>\0<token>\0" within event_len, else malformed. */
	if (!x->event_len || x->event[x->event_len - 1] != '\0')
		return fail(x);
	plen = str_len(x->event) + 1;
	if (plen >= x->event_len)
		return fail(x);
	take(path, x->event, cap);
	take(token, x->event + plen, cap);
	return 1;
}
