// SPDX-License-Identifier: GPL-2.0
/*
 * console_io (18): the hardware domain writes to and reads from the
 * hypervisor's serial console. Other domains get -EPERM (their console is
 * the PV console ring). Long writes are preemptible. Input is polled from
 * the UART every INPUT_POLL_NS into a ring and announced to the hardware
 * domain with VIRQ_CONSOLE; polling starts at the first console_io call
 * (or when a boot-time domain gets a console, guest-console.c). Three
 * Ctrl-A (or the letter of "conswitch=") in a row move the input focus from the hardware domain to each
 * domain with a hypervisor-served console in turn and back, as on Xen;
 * those three bytes are not delivered.
 */
#include <hv/console.h>
#include <hv/continuation.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/event.h>
#include <hv/hypercall.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hv/timer.h>
#include <hvabi/event_channel.h>
#include <hvabi/xen.h>
#include <asm/cpu_info.h>

#define CONSOLE_CHUNK 128
#define INPUT_RING 4096		/* power of two */
#define INPUT_POLL_NS 20000000ULL
#define SWITCH_COUNT 3

/* Written by the poll timer, read by console_io; interrupts off in both. */
static char input_ring[INPUT_RING];
static uint32_t input_prod, input_cons;
static struct timer input_timer;
static struct domain *input_focus;	/* NULL: the hardware domain */
static char switch_char = 'a' - 'a' + 1;	/* Ctrl-A; "conswitch=" */
static unsigned int switch_seen;	/* switch_char in a row so far */

/* "conswitch=<letter>": Ctrl-<letter> switches the input, as on Xen. */
int console_parse_switch(const char *val, void *unused)
{
	(void)unused;
	if (!val || val[0] < 'a' || val[0] > 'z' ||
	    (val[1] && strcmp(val + 1, "x")))
		return -EINVAL;
	switch_char = (char)(val[0] - 'a' + 1);
	return 0;
}

void console_forget_domain(const struct domain *d)
{
	if (input_focus == d)
		input_focus = NULL;
}

static void switch_focus(void)
{
	input_focus = vcons_next_focus(input_focus);
	log_info("serial input now goes to d%u (three Ctrl-%c to switch)",
		 input_focus ? input_focus->domid : 0, switch_char + 'A' - 1);
}

/* Input for the hardware domain: its ring, then VIRQ_CONSOLE. */
static void input_to_dom0(const char *c, size_t n)
{
	for (size_t i = 0; i < n && input_prod - input_cons < INPUT_RING; i++)
		input_ring[input_prod++ & (INPUT_RING - 1)] = c[i];
	if (n && hardware_domain)
		send_guest_global_virq(hardware_domain, VIRQ_CONSOLE);
}

static void input_deliver(const char *c, size_t n)
{
	if (input_focus && input_focus->state != DOMAIN_RUNNING)
		switch_focus();
	if (input_focus)
		vcons_input(input_focus, c, n);
	else
		input_to_dom0(c, n);
}

/*
 * Switch bytes are held back while they could start a switch; a shorter
 * run is delivered when another byte follows it.
 */
static void input_poll(void *unused)
{
	char c[64], out[64 + SWITCH_COUNT];
	size_t n = console_read(c, sizeof(c)), len = 0;

	for (size_t i = 0; i < n; i++) {
		if (c[i] == switch_char && ++switch_seen == SWITCH_COUNT) {
			input_deliver(out, len);
			len = switch_seen = 0;
			switch_focus();
		} else if (c[i] != switch_char) {
			for (; switch_seen; switch_seen--)
				out[len++] = switch_char;
			out[len++] = c[i];
		}
	}
	if (len)
		input_deliver(out, len);
	timer_set(&input_timer, now_ns() + INPUT_POLL_NS);
}

void console_input_start(void)
{
	if (timer_is_active(&input_timer))
		return;
	timer_init(&input_timer, input_poll, NULL, smp_processor_id());
	timer_set(&input_timer, now_ns() + INPUT_POLL_NS);
}

static long console_write_guest(unsigned long buf, uint32_t count)
{
	char kbuf[CONSOLE_CHUNK];
	uint32_t done = 0;

	while (done < count) {
		uint32_t n = MIN(count - done, (uint32_t)sizeof(kbuf));

		if (done >= HC_PREEMPT_BATCH) {
			hypercall_set_arg(1, count - done);
			hypercall_set_arg(2, buf + done);
			return hypercall_continue();
		}
		if (copy_from_guest(kbuf, buf + done, n))
			return -EFAULT;
		console_write(kbuf, n);
		done += n;
	}
	return 0;
}

static long console_read_guest(unsigned long buf, uint32_t count)
{
	char kbuf[CONSOLE_CHUNK];
	size_t n;

	if (count > 0x7fffffff)
		return -E2BIG;	/* the result must not look like an error */
	for (n = 0; n < MIN(count, (uint32_t)sizeof(kbuf)) &&
		    input_cons != input_prod; n++)
		kbuf[n] = input_ring[input_cons++ & (INPUT_RING - 1)];
	if (n && copy_to_guest(buf, kbuf, n))
		return -EFAULT;
	return (long)n;
}

long do_console_io(unsigned long cmd, unsigned long count, unsigned long buf)
{
	if (!current->domain->is_privileged)
		return -EPERM;
	console_input_start();
	switch ((uint32_t)cmd) {
	case CONSOLEIO_write:
		return console_write_guest(buf, (uint32_t)count);
	case CONSOLEIO_read:
		return console_read_guest(buf, (uint32_t)count);
	}
	return -ENOSYS;
}
