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

/* Stops the machine after printing the message and a backtrace. */
__noreturn void panic(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#endif
