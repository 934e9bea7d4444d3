/* SPDX-License-Identifier: MIT */
/*
 * XenbusState: the device state each end of a split driver publishes as a
 * decimal string in its "state" node and watches on the other end
 * (toolstack-compat.md 3.2). Values are fixed by the Xen ABI.
 */
#ifndef HVABI_IO_XENBUS_H
#define HVABI_IO_XENBUS_H

enum xenbus_state {
	XenbusStateUnknown = 0,
	XenbusStateInitialising = 1,
	XenbusStateInitWait = 2,    /* back end: features published */
	XenbusStateInitialised = 3, /* front end: rings published */
	XenbusStateConnected = 4,
	XenbusStateClosing = 5,
	XenbusStateClosed = 6,
	XenbusStateReconfiguring = 7,
	XenbusStateReconfigured = 8,
};

#define XENBUS_STATE_MAX XenbusStateReconfigured

#endif
