/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers of the xenstore CUnit tests: suite registration hooks,
 * a raw socket client for byte-exact requests, and environment lookups
 * (XENSTORED_PATH for the daemon under test, XS_HOSTRING for its
 * simulated-guest registry).
 */
#ifndef XS_TESTS_H
#define XS_TESTS_H

#include <CUnit/CUnit.h>
#include <stdint.h>
#include <hvabi/io/xs_wire.h>

void suite_lib_register(void);
void suite_store_register(void);
void suite_client_register(void);
void suite_ring_register(void);
void suite_bad_register(void);
void suite_xsfree_register(void);

/* The ring suites' toolstack connection and simulated-guest registry. */
struct xs_handle;
extern struct xs_handle *ring_h;
extern const char *ring_registry;
int ring_suite_init(void);
int ring_suite_fini(void);

/* Raw connection to the daemon under test; -1 on failure. */
int raw_connect(void);
/* Send one message; the payload may be anything (even malformed). */
int raw_send(int fd, uint32_t type, uint32_t tx, const void *p, uint32_t len);
/* Receive one message (skipping watch events if @skip_events). */
int raw_recv(int fd, struct xsd_sockmsg *hdr, char *buf, int skip_events);
/* Send and receive; returns the reply type, the payload in @buf. */
int raw_call(int fd, uint32_t type, uint32_t tx, const void *p,
	     uint32_t len, char *buf);
/* True if the peer closed the connection within @ms. */
int raw_closed(int fd, int ms);

#endif /* XS_TESTS_H */
