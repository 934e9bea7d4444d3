// SPDX-License-Identifier: MIT
/*
 * Durability: a snapshot file plus an append-only journal in the data
 * directory. Every request's changes to the main tree are written to the
 * journal as one CRC-protected record before its reply is sent, so kill -9
 * loses no acknowledged change (with --fsync also not a power cut). When
 * the journal outgrows the snapshot, a new snapshot is written to a temp
 * file, synced and renamed, and a fresh journal started; both carry an
 * epoch so a stale journal is never replayed over a newer snapshot.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xenstored.h"

#define REC_MAGIC 0x3153584au	/* "JXS1" */
#define OP_HDR 1
#define OP_SET 2
#define OP_DEL 3

struct buf {
	char *p;
	size_t len, size;
};

bool persist_fsync;
static int jfd = -1;
static int lock_fd = -1;	/* flock()ed: one daemon per data directory */
static char *data_dir;
static bool loading;
static uint64_t epoch;
static size_t journal_size, snap_size;
static struct buf pending;

static int buf_put(struct buf *b, const void *data, size_t len)
{
	if (b->len + len > b->size) {
		size_t ns = (b->len + len) * 2;
		char *p = realloc(b->p, ns);

		if (!p)
			return -ENOMEM;
		b->p = p;
		b->size = ns;
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
	return 0;
}

static int put_u32(struct buf *b, uint32_t v)
{
	return buf_put(b, &v, sizeof(v));
}

static int put_set(struct buf *b, const struct node *n)
{
	uint8_t op = OP_SET;
	uint32_t i;
	int err = buf_put(b, &op, 1) | put_u32(b, (uint32_t)strlen(n->path)) |
		  buf_put(b, n->path, strlen(n->path)) | put_u32(b, n->vlen) |
		  buf_put(b, n->value, n->vlen) | put_u32(b, n->nperms);

	for (i = 0; i < n->nperms; i++)
		err |= put_u32(b, n->perms[i].id) |
		       put_u32(b, n->perms[i].perms);
	return err ? -ENOMEM : 0;
}

void persist_set(const struct node *n)
{
	if (jfd >= 0 && !loading && put_set(&pending, n) < 0)
		xs_log(LOG_ERR, "persist: out of memory");
}

void persist_del(const char *path)
{
	uint8_t op = OP_DEL;

	if (jfd < 0 || loading)
		return;
	if (buf_put(&pending, &op, 1) | put_u32(&pending, (uint32_t)strlen(path)) |
	    buf_put(&pending, path, strlen(path)))
		xs_log(LOG_ERR, "persist: out of memory");
}

/* Frame @payload as one record into @out. */
static int frame(struct buf *out, const struct buf *payload)
{
	uint32_t hdr[3] = { REC_MAGIC, (uint32_t)payload->len,
			    xs_crc32(payload->p, payload->len) };

	return buf_put(out, hdr, sizeof(hdr)) |
	       buf_put(out, payload->p, payload->len) ? -ENOMEM : 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int hdr_record(struct buf *out)
{
	struct buf pl = { 0 };
	uint8_t op = OP_HDR;
	int err = buf_put(&pl, &op, 1) | buf_put(&pl, &epoch, sizeof(epoch));

	if (!err)
		err = frame(out, &pl);
	free(pl.p);
	return err ? -ENOMEM : 0;
}

static int snap_node(struct node *n, void *arg)
{
	struct buf pl = { 0 };
	int err = put_set(&pl, n);

	if (!err)
		err = frame(arg, &pl);
	free(pl.p);
	return err;
}

/* Write @b to dir/name atomically (temp file, fsync, rename). */
static int write_file(const char *name, const struct buf *b)
{
	char tmp[4096], dst[4096];
	int fd, err;

	snprintf(tmp, sizeof(tmp), "%s/%s.tmp", data_dir, name);
	snprintf(dst, sizeof(dst), "%s/%s", data_dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	err = write_all(fd, b->p, b->len);
	if (!err && fsync(fd) < 0)
		err = -EIO;
	close(fd);
	if (!err && rename(tmp, dst) < 0)
		err = -errno;
	fd = open(data_dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	return err;
}

static int open_journal(void)
{
	char path[4096];

	if (jfd >= 0)
		close(jfd);
	snprintf(path, sizeof(path), "%s/store.journal", data_dir);
	jfd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	return jfd < 0 ? -errno : 0;
}

/* Snapshot the tree and start a new journal. */
static int compact(void)
{
	struct buf snap = { 0 }, jr = { 0 };
	int err;

	epoch++;
	err = hdr_record(&snap);
	if (!err)
		err = store_walk(snap_node, &snap);
	if (!err)
		err = snap_node(store_lookup("@introduceDomain"), &snap);
	if (!err)
		err = snap_node(store_lookup("@releaseDomain"), &snap);
	if (!err)
		err = write_file("store.snap", &snap);
	if (!err)
		err = hdr_record(&jr);
	if (!err)
		err = write_file("store.journal", &jr);
	if (!err)
		err = open_journal();
	if (!err) {
		snap_size = snap.len;
		journal_size = jr.len;
	}
	free(snap.p);
	free(jr.p);
	return err;
}

int persist_flush(void)
{
	struct buf rec = { 0 };
	int err;

	if (!pending.len)
		return 0;
	err = frame(&rec, &pending);
	pending.len = 0;
	if (!err)
		err = write_all(jfd, rec.p, rec.len);
	if (!err && persist_fsync && fdatasync(jfd) < 0)
		err = -EIO;
	journal_size += rec.len;
	free(rec.p);
	if (!err && journal_size > 4 * 1024 * 1024 &&
	    journal_size > 2 * snap_size)
		err = compact();
	return err;
}

/* Bounded reader over a record payload. */
struct rd {
	const char *p;
	size_t len, off;
};

static int rd_get(struct rd *r, void *out, size_t n)
{
	if (r->len - r->off < n)
		return -EINVAL;
	memcpy(out, r->p + r->off, n);
	r->off += n;
	return 0;
}

/* Read a length-prefixed string of at most @max bytes into @out. */
static int rd_str(struct rd *r, char *out, size_t max)
{
	uint32_t n;

	if (rd_get(r, &n, 4) || n >= max || rd_get(r, out, n) ||
	    memchr(out, '\0', n))
		return -EINVAL;
	out[n] = '\0';
	return 0;
}

static int apply_set(struct rd *r)
{
	static char path[XENSTORE_ABS_PATH_MAX + 1];
	static char value[XENSTORE_PAYLOAD_MAX + 1];
	struct xs_perm perms[64];
	uint32_t vlen, np, i;

	if (rd_str(r, path, sizeof(path)) || rd_get(r, &vlen, 4) ||
	    vlen > XENSTORE_PAYLOAD_MAX || rd_get(r, value, vlen) ||
	    rd_get(r, &np, 4) || !np || np > 64)
		return -EINVAL;
	for (i = 0; i < np; i++)
		if (rd_get(r, &perms[i].id, 4) || rd_get(r, &perms[i].perms, 4))
			return -EINVAL;
	if (store_restore_set(path, value, vlen, perms, np) < 0)
		xs_log(LOG_WARN, "persist: cannot restore %s", path);
	return 0;
}

/* Apply one record's ops; the first record of a file is its header. */
static int apply_record(struct rd *r, bool first, uint64_t *file_epoch)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	uint8_t op;

	while (r->off < r->len) {
		if (rd_get(r, &op, 1))
			return -EINVAL;
		if (first != (op == OP_HDR))
			return -EINVAL;
		if (op == OP_HDR) {
			if (rd_get(r, file_epoch, sizeof(*file_epoch)))
				return -EINVAL;
		} else if (op == OP_SET) {
			if (apply_set(r))
				return -EINVAL;
		} else if (op == OP_DEL) {
			if (rd_str(r, path, sizeof(path)))
				return -EINVAL;
			store_restore_del(path);
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Replay dir/name. With @want_epoch set, a file of another epoch is
 * ignored. Stops at the first damaged record (a torn last write).
 */
static int replay(const char *name, const uint64_t *want_epoch,
		  uint64_t *file_epoch)
{
	char path[4096];
	struct buf b = { 0 };
	size_t off = 0;
	char chunk[65536];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", data_dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (buf_put(&b, chunk, (size_t)n) < 0)
			break;
	close(fd);
	while (b.len - off >= 12) {
		uint32_t hdr[3];
		struct rd r;

		memcpy(hdr, b.p + off, sizeof(hdr));
		if (hdr[0] != REC_MAGIC || hdr[1] > b.len - off - 12 ||
		    xs_crc32(b.p + off + 12, hdr[1]) != hdr[2])
			break;
		r = (struct rd){ .p = b.p + off + 12, .len = hdr[1] };
		if (off == 0) {
			if (apply_record(&r, true, file_epoch) < 0 ||
			    (want_epoch && *file_epoch != *want_epoch))
				break;
		} else if (apply_record(&r, false, file_epoch) < 0) {
			xs_log(LOG_WARN, "persist: bad record in %s", name);
			break;
		}
		off += 12 + hdr[1];
	}
	free(b.p);
	return 0;
}

int persist_open(const char *dir)
{
	uint64_t snap_epoch = 0, j_epoch = 0;
	char path[4096];
	int err;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	/* Absolute: the daemon may chdir("/") when it detaches. */
	data_dir = realpath(dir, NULL);
	if (!data_dir)
		return -errno;
	snprintf(path, sizeof(path), "%s/lock", data_dir);
	lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lock_fd < 0)
		return -errno;
	if (flock(lock_fd, LOCK_EX | LOCK_NB) < 0) {
		xs_log(LOG_ERR, "%s is in use by another xenstored", data_dir);
		return -EBUSY;
	}
	err = store_init();
	if (err)
		return err;
	loading = true;
	if (replay("store.snap", NULL, &snap_epoch) == 0)
		replay("store.journal", &snap_epoch, &j_epoch);
	loading = false;
	epoch = snap_epoch;
	/* Start from a fresh snapshot of what was recovered. */
	err = compact();
	xs_log(LOG_INFO, "persist: %lu nodes loaded from %s",
	       store_node_count(), dir);
	return err;
}

void persist_close(void)
{
	persist_flush();
	if (jfd >= 0)
		close(jfd);
	jfd = -1;
	free(pending.p);
	pending.p = NULL;
	free(data_dir);
	data_dir = NULL;
	if (lock_fd >= 0)
		close(lock_fd);
	lock_fd = -1;
}
