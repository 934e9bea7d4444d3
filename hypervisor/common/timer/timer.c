// SPDX-License-Identifier: GPL-2.0
/*
 * Software timers. Each physical CPU keeps its timers in a list sorted by
 * expiry and programs its one-shot APIC timer for the head; there is no
 * periodic tick (an idle CPU sleeps until the next expiry or interrupt).
 * Timers fire on the CPU they were created for; any CPU may set or stop
 * one under the hypervisor lock. A new head on another CPU's list is
 * programmed there by an event-check IPI (its handler runs timers_run()).
 */
#include <hv/bug.h>
#include <hv/smp.h>
#include <hv/time.h>
#include <hv/timer.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>

/* Per physical CPU, under the hypervisor lock: */
static struct timer *timer_list[NR_CPUS];

void timer_init(struct timer *t, void (*fn)(void *), void *data,
		unsigned int cpu)
{
	BUG_ON(cpu >= NR_CPUS);
	*t = (struct timer){.fn = fn, .data = data, .cpu = cpu};
}

static void unlink_timer(struct timer *t)
{
	struct timer **pp = &timer_list[t->cpu];

	while (*pp && *pp != t)
		pp = &(*pp)->next;
	if (*pp)
		*pp = t->next;
	t->next = NULL;
	t->active = false;
}

static void program_hw_timer(void)
{
	struct timer *head = timer_list[smp_processor_id()];
	uint64_t now;

	if (!head) {
		apic_timer_arm(0);
		return;
	}
	now = now_ns();
	apic_timer_arm(head->expires > now ? head->expires - now : 1);
}

void timer_set(struct timer *t, uint64_t expires)
{
	struct timer **pp;

	if (t->active)
		unlink_timer(t);
	t->expires = expires;
	pp = &timer_list[t->cpu];
	while (*pp && (*pp)->expires <= expires)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	t->active = true;
	if (timer_list[t->cpu] != t)
		return;
	if (t->cpu == smp_processor_id())
		program_hw_timer();
	else
		smp_send_event_check(t->cpu);
}

void timer_stop(struct timer *t)
{
	bool was_head = timer_list[t->cpu] == t;

	if (!t->active)
		return;
	unlink_timer(t);
	if (was_head && t->cpu == smp_processor_id())
		program_hw_timer();	/* elsewhere: an early interrupt, harmless */
}

void timers_run(void)
{
	struct timer **head = &timer_list[smp_processor_id()];
	struct timer *t;

	while ((t = *head) && t->expires <= now_ns()) {
		*head = t->next;
		t->next = NULL;
		t->active = false;
		t->fn(t->data); /* may re-arm t or others */
	}
	program_hw_timer();
}

uint64_t timer_next_expiry(void)
{
	struct timer *head = timer_list[smp_processor_id()];

	return head ? head->expires : UINT64_MAX;
}
