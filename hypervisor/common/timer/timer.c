// SPDX-License-Identifier: GPL-2.0
/*
 * Software timers. Each physical CPU keeps its timers in a list sorted by
 * expiry and programs its one-shot APIC timer for the head; there is no
 * periodic tick (an idle CPU sleeps until the next expiry or interrupt).
 * Timer lists are only touched with interrupts off on their own CPU, which
 * is the whole locking story while timers do not migrate between CPUs.
 */
#include <hv/bug.h>
#include <hv/time.h>
#include <hv/timer.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>

/* Owned by each CPU, interrupts off: */
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

	ASSERT(t->cpu == smp_processor_id());
	if (t->active)
		unlink_timer(t);
	t->expires = expires;
	pp = &timer_list[t->cpu];
	while (*pp && (*pp)->expires <= expires)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	t->active = true;
	if (timer_list[t->cpu] == t)
		program_hw_timer();
}

void timer_stop(struct timer *t)
{
	bool was_head = timer_list[t->cpu] == t;

	if (!t->active)
		return;
	unlink_timer(t);
	if (was_head)
		program_hw_timer();
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
