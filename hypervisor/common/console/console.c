// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor console on COM1 (16550 at 0x3f8, 115200 8N1): output by
 * polling, input drained from the UART FIFO on demand. Owns log-level
 * filtering; guest console_io is in console-io.c.
 */
#include <stdarg.h>
#include <hv/console.h>
#include <hv/vsnprintf.h>
#include <asm/processor.h>

#define COM1 0x3f8
#define UART_THR 0
#define UART_RBR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DR 0x01
#define LSR_THRE 0x20

enum log_level console_loglevel = LOG_INFO;

void console_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, 0x80);	/* DLAB: divisor follows */
	outb(COM1 + 0, 1);		/* 115200 baud */
	outb(COM1 + 1, 0);
	outb(COM1 + UART_LCR, 0x03);	/* 8N1 */
	outb(COM1 + UART_FCR, 0x07);	/* FIFOs on, cleared */
	outb(COM1 + UART_MCR, 0x03);	/* DTR, RTS */
}

static void uart_putc(char c)
{
	unsigned int spins = 0;

	/* Bounded: a dead UART must not hang the hypervisor. */
	while (!(inb(COM1 + UART_LSR) & LSR_THRE) && ++spins < 100000)
		cpu_relax();
	outb(COM1 + UART_THR, (uint8_t)c);
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

size_t console_read(char *buf, size_t n)
{
	size_t got = 0;

	while (got < n && (inb(COM1 + UART_LSR) & LSR_DR))
		buf[got++] = (char)inb(COM1 + UART_RBR);
	return got;
}

void vlog(enum log_level lvl, const char *fmt, va_list ap)
{
	char line[256];
	int len;

	if (lvl > console_loglevel)
		return;
	len = hv_vsnprintf(line, sizeof(line), fmt, ap);
	if (len >= (int)sizeof(line))
		len = sizeof(line) - 1;
	console_write("(HV) ", 5);
	console_write(line, (size_t)len);
	console_write("\n", 1);
}

void logmsg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(lvl, fmt, ap);
	va_end(ap);
}
