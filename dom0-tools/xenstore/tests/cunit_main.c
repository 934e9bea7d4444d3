// SPDX-License-Identifier: MIT
/*
 * CUnit entry point for the xenstore tests, plus the raw socket client the
 * suites share. Suites that need a running daemon read XENSTORED_PATH
 * (and XS_HOSTRING for the ring suite); run-tests.sh starts the daemon.
 */
#include <CUnit/Basic.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "tests.h"

int raw_connect(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	const char *path = getenv("XENSTORED_PATH");
	int fd;

	if (!path)
		return -1;
	strncpy(addr.sun_path, path, sizeof(addr.sun_path) - 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		close(fd);
		return -1;
	}
	return fd;
}

int raw_send(int fd, uint32_t type, uint32_t tx, const void *p, uint32_t len)
{
	struct xsd_sockmsg hdr = { .type = type, .tx_id = tx, .len = len };
	char buf[sizeof(hdr) + 8192];
	size_t n = sizeof(hdr) + (len < 8192 ? len : 8192);

	memcpy(buf, &hdr, sizeof(hdr));
	memcpy(buf + sizeof(hdr), p, n - sizeof(hdr));
	return send(fd, buf, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	struct pollfd pf = { .fd = fd, .events = POLLIN };

	while (len) {
		ssize_t n;

		if (poll(&pf, 1, 5000) <= 0)
			return -ETIMEDOUT;
		n = read(fd, p, len);
		if (n <= 0)
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int raw_recv(int fd, struct xsd_sockmsg *hdr, char *buf, int skip_events)
{
	do {
		if (read_full(fd, hdr, sizeof(*hdr)) ||
		    hdr->len > XENSTORE_PAYLOAD_MAX ||
		    read_full(fd, buf, hdr->len))
			return -1;
		buf[hdr->len] = '\0';
	} while (skip_events && hdr->type == XS_WATCH_EVENT);
	return 0;
}

int raw_call(int fd, uint32_t type, uint32_t tx, const void *p,
	     uint32_t len, char *buf)
{
	struct xsd_sockmsg hdr;

	if (raw_send(fd, type, tx, p, len) || raw_recv(fd, &hdr, buf, 1))
		return -1;
	return (int)hdr.type;
}

int raw_closed(int fd, int ms)
{
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	char junk[65536];

	while (poll(&pf, 1, ms) > 0) {
		if (read(fd, junk, sizeof(junk)) <= 0)
			return 1;
	}
	return 0;
}

int main(void)
{
	unsigned int failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	suite_lib_register();
	suite_store_register();
	if (getenv("XENSTORED_PATH")) {
		suite_client_register();
		suite_bad_register();
	}
	if (getenv("XS_HOSTRING")) {
		suite_ring_register();
		suite_xsfree_register();
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	if (CU_get_number_of_suites_failed())
		failed++;
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
