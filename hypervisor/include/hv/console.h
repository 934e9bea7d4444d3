/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor console: a COM1 16550 UART. printk() writes a line to it;
 * messages carry a level and are dropped below the "loglevel=" threshold.
 */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <hv/types.h>

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

extern enum log_level console_loglevel;

void console_init(void);
void console_write(const char *s, size_t n);
/* Reads up to @n pending input bytes without blocking; returns the count. */
size_t console_read(char *buf, size_t n);

void vlog(enum log_level lvl, const char *fmt, __builtin_va_list ap);
void logmsg(enum log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define printk(...) logmsg(LOG_INFO, __VA_ARGS__)
#define log_err(...) logmsg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) logmsg(LOG_WARN, __VA_ARGS__)
#define log_info(...) logmsg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) logmsg(LOG_DEBUG, __VA_ARGS__)

/*
 * Serial input: polled once started (by dom0's first console_io or by a
 * domain console), delivered to the domain with the input focus.
 */
void console_input_start(void);
/* The "conswitch=<letter>" option: Ctrl-<letter> x3 moves the focus. */
int console_parse_switch(const char *val, void *unused);

/* The hypervisor's console backend for boot-time domains (guest-console.c). */
struct domain;
struct xencons_interface;
struct vcons {
	struct xencons_interface *intf;	/* hypervisor VA; NULL: none */
	uint32_t port;			/* the domain's end */
	bool line_start;		/* next output byte starts a line */
	bool corrupt_reported;
};
int vcons_init(struct domain *d, mfn_t mfn);
void vcons_notify(struct domain *d);		/* the guest sent on the port */
/* Queues serial input for @d; returns how many bytes fitted. */
size_t vcons_input(struct domain *d, const char *s, size_t n);
/* Domain destruction: @d's console and input focus go. */
void vcons_release(struct domain *d);
void console_forget_domain(const struct domain *d);
/* The next domain with a console after @cur (NULL: the hardware domain). */
struct domain *vcons_next_focus(const struct domain *cur);

/* Stops the machine after printing the message and a backtrace. */
__noreturn void panic(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#endif
