// SPDX-License-Identifier: MIT
/*
 * libxenstore watch side: the queue of received watch events, the pipe
 * behind xs_fileno(), and xs_watch/xs_unwatch/xs_check_watch/
 * xs_read_watch. Events are queued by whoever reads the descriptor: the
 * requesting thread, or the reader thread once a watch was registered.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xs_private.h"

/* Make the pipe readable (queue became non-empty). Needs watch_mutex. */
static void pipe_poke(struct xs_handle *h)
{
	char c = 0;

	if (h->watch_pipe[1] >= 0 && write(h->watch_pipe[1], &c, 1) != 1)
		return; /* pipe full: it is readable anyway */
}

/* Drain the pipe (queue became empty). Needs watch_mutex. */
static void pipe_drain(struct xs_handle *h)
{
	char c;

	if (h->watch_pipe[0] >= 0 && read(h->watch_pipe[0], &c, 1) != 1)
		return; /* nothing was there */
}

int xs_fileno(struct xs_handle *h)
{
	pthread_mutex_lock(&h->watch_mutex);
	if (h->watch_pipe[0] < 0 && pipe2(h->watch_pipe, O_CLOEXEC) == 0) {
		fcntl(h->watch_pipe[0], F_SETFL, O_NONBLOCK);
		if (h->watch_head)
			pipe_poke(h);
	}
	pthread_mutex_unlock(&h->watch_mutex);
	return h->watch_pipe[0];
}

void xsl_queue_watch(struct xs_handle *h, struct xsl_msg *msg)
{
	pthread_mutex_lock(&h->watch_mutex);
	msg->next = NULL;
	if (!h->watch_head)
		pipe_poke(h);
	*h->watch_tail = msg;
	h->watch_tail = &msg->next;
	pthread_cond_broadcast(&h->watch_cond);
	pthread_mutex_unlock(&h->watch_mutex);
}

void xsl_free_watches(struct xs_handle *h)
{
	struct xsl_msg *m, *next;

	for (m = h->watch_head; m; m = next) {
		next = m->next;
		free(m->body);
		free(m);
	}
	h->watch_head = NULL;
	h->watch_tail = &h->watch_head;
}

/* Turn "path\0token\0" into one malloc'd {path, token} vector. */
static char **event_to_vec(struct xsl_msg *msg)
{
	const char *path = msg->body;
	size_t plen = strnlen(path, msg->hdr.len);
	const char *token = plen < msg->hdr.len ? path + plen + 1 : "";
	size_t tlen = strlen(token);
	char **vec = malloc(2 * sizeof(char *) + plen + tlen + 2);

	if (!vec)
		return NULL;
	vec[XS_WATCH_PATH] = (char *)(vec + 2);
	memcpy(vec[XS_WATCH_PATH], path, plen);
	vec[XS_WATCH_PATH][plen] = '\0';
	vec[XS_WATCH_TOKEN] = vec[XS_WATCH_PATH] + plen + 1;
	memcpy(vec[XS_WATCH_TOKEN], token, tlen + 1);
	return vec;
}

static char **next_event(struct xs_handle *h, int block)
{
	struct xsl_msg *msg;
	char **vec;

	pthread_mutex_lock(&h->watch_mutex);
	while (!h->watch_head && block) {
		int broken;

		pthread_mutex_lock(&h->reply_mutex);
		broken = h->broken || !h->reader_running;
		pthread_mutex_unlock(&h->reply_mutex);
		if (broken)
			break;
		pthread_cond_wait(&h->watch_cond, &h->watch_mutex);
	}
	msg = h->watch_head;
	if (!msg) {
		pthread_mutex_unlock(&h->watch_mutex);
		errno = block ? EBADF : EAGAIN;
		return NULL;
	}
	h->watch_head = msg->next;
	if (!h->watch_head) {
		h->watch_tail = &h->watch_head;
		pipe_drain(h);
	}
	pthread_mutex_unlock(&h->watch_mutex);
	vec = event_to_vec(msg);
	free(msg->body);
	free(msg);
	return vec;
}

char **xs_check_watch(struct xs_handle *h)
{
	return next_event(h, 0);
}

char **xs_read_watch(struct xs_handle *h, unsigned int *num)
{
	char **vec = next_event(h, 1);

	if (vec && num)
		*num = 2;
	return vec;
}

bool xs_watch(struct xs_handle *h, const char *path, const char *token)
{
	struct iovec iov[2] = {
		{ (void *)(uintptr_t)path, strlen(path) + 1 },
		{ (void *)(uintptr_t)token, strlen(token) + 1 },
	};
	int err = xsl_start_reader(h);

	if (err) {
		errno = -err;
		return false;
	}
	return xsl_bool(xsl_talkv(h, XBT_NULL, XS_WATCH, iov, 2, NULL));
}

/* Drop queued events of (path, token) after an unwatch. */
static void filter_events(struct xs_handle *h, const char *path,
			  const char *token)
{
	struct xsl_msg **pp, *m;

	pthread_mutex_lock(&h->watch_mutex);
	pp = &h->watch_head;
	h->watch_tail = &h->watch_head;
	while ((m = *pp)) {
		const char *tok = m->body + strnlen(m->body, m->hdr.len) + 1;

		if (tok <= m->body + m->hdr.len && !strcmp(tok, token) &&
		    xs_path_is_subpath(path, m->body)) {
			*pp = m->next;
			free(m->body);
			free(m);
			continue;
		}
		h->watch_tail = &m->next;
		pp = &m->next;
	}
	if (!h->watch_head)
		pipe_drain(h);
	pthread_mutex_unlock(&h->watch_mutex);
}

bool xs_unwatch(struct xs_handle *h, const char *path, const char *token)
{
	struct iovec iov[2] = {
		{ (void *)(uintptr_t)path, strlen(path) + 1 },
		{ (void *)(uintptr_t)token, strlen(token) + 1 },
	};
	bool ok = xsl_bool(xsl_talkv(h, XBT_NULL, XS_UNWATCH, iov, 2, NULL));

	if (ok && (h->flags & XS_UNWATCH_FILTER))
		filter_events(h, path, token);
	return ok;
}
