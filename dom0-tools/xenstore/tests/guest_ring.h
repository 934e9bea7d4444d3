/* SPDX-License-Identifier: MIT */
/*
 * A simulated guest for tests: owns a xenstore page (memfd) and two
 * eventfds, registers them with xenstored's host-ring registry socket and
 * speaks the wire protocol over the ring as a guest kernel would.
 */
#ifndef GUEST_RING_H
#define GUEST_RING_H

#include <stdint.h>
#include <hvabi/io/xs_wire.h>

struct guest {
	unsigned int domid;
	int reg_sock;
	int memfd, efd_to_server, efd_from_server;
	struct xenstore_domain_interface *intf;
};

/* Create and register guest @domid at registry @path; NULL on error. */
struct guest *guest_create(const char *path, unsigned int domid);
/*
 * The toolstack's side through @h: domain @domid's home (read-only to it,
 * data/ writable), then a guest registered at @registry and introduced.
 */
struct xs_handle;
struct guest *guest_make_domain(struct xs_handle *h, const char *registry,
				unsigned int domid);
/* Close the registry connection (the daemon sees the domain die). */
void guest_die(struct guest *g);
void guest_free(struct guest *g);
/* Raw byte stream access with a timeout in ms; 0 or -ETIMEDOUT. */
int guest_write_bytes(struct guest *g, const void *buf, size_t len, int ms);
int guest_read_bytes(struct guest *g, void *buf, size_t len, int ms);
/* Send a request; wait for its reply, queuing nothing (events dropped
 * unless @events is set, then the first event is stored there). */
int guest_request(struct guest *g, uint32_t type, uint32_t tx,
		  const void *payload, uint32_t len, struct xsd_sockmsg *rhdr,
		  char *reply, char *event);
/* Wait for one watch event "path\0token\0" into @buf. */
int guest_wait_event(struct guest *g, char *buf, int ms);

#endif /* GUEST_RING_H */
