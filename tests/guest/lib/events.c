// SPDX-License-Identifier: MIT
/*
 * Events for the PV test kernels: the event callback (2-level ABI scan
 * of selector, pending and mask words, as a guest kernel does), counts
 * per port, the pvclock reader and small event-channel helpers.
 */
#include <hvabi/event_channel.h>
#include <hvabi/vcpu.h>
#include "lib.h"

volatile uint64_t upcall_count;
volatile uint32_t event_count[EVTCHN_2L_NR_CHANNELS];
volatile uint32_t last_event_port;
volatile uint64_t last_upcall_rflags;
struct vcpu_info *lib_vcpu_info;

void event_callback_entry(void);
void event_upcall(void);

static inline uint64_t xchg64(volatile uint64_t *p, uint64_t v)
{
	asm volatile("xchg %0, %1" : "+r"(v), "+m"(*p) : : "memory");
	return v;
}

static inline void clear_bit64(unsigned int nr, volatile uint64_t *words)
{
	asm volatile("lock btrq %1, %0"
		     : "+m"(words[nr / 64])
		     : "r"((uint64_t)(nr % 64))
		     : "memory");
}

void event_upcall(void)
{
	struct vcpu_info *vi = lib_vcpu_info;
	uint64_t sel;

	upcall_count++;
	vi->evtchn_upcall_pending = 0;
	sel = xchg64(&vi->evtchn_pending_sel, 0);
	while (sel) {
		unsigned int w = (unsigned int)__builtin_ctzll(sel);
		uint64_t bits;

		sel &= sel - 1;
		bits = shared_info->evtchn_pending[w] &
		       ~shared_info->evtchn_mask[w];
		while (bits) {
			unsigned int port = w * 64 + __builtin_ctzll(bits);

			bits &= bits - 1;
			clear_bit64(port, shared_info->evtchn_pending);
			event_count[port]++;
			last_event_port = port;
		}
	}
}

long events_init(void)
{
	struct callback_register cb = {
	    .type = CALLBACKTYPE_event,
	    .flags = CALLBACKF_mask_events,
	    .address = (uint64_t)(uintptr_t)event_callback_entry,
	};

	if (!shared_info)
		return -1;
	if (!lib_vcpu_info)
		lib_vcpu_info = &shared_info->vcpu_info[0];
	return hv_callback_op(CALLBACKOP_register, &cb);
}

void events_enable(void)
{
	lib_vcpu_info->evtchn_upcall_mask = 0;
	asm volatile("" ::: "memory");
	if (lib_vcpu_info->evtchn_upcall_pending)
		hv_xen_version(0, NULL); /* "check events" */
}

void events_disable(void)
{
	lib_vcpu_info->evtchn_upcall_mask = 1;
	asm volatile("" ::: "memory");
}

void port_mask(uint32_t port, bool masked)
{
	if (masked)
		asm volatile("lock btsq %1, %0"
			     : "+m"(shared_info->evtchn_mask[port / 64])
			     : "r"((uint64_t)(port % 64))
			     : "memory");
	else
		clear_bit64(port, shared_info->evtchn_mask);
}

bool port_pending(uint32_t port)
{
	return (shared_info->evtchn_pending[port / 64] >> (port % 64)) & 1;
}

void port_clear(uint32_t port)
{
	clear_bit64(port, shared_info->evtchn_pending);
}

static inline uint64_t rdtsc_ordered(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

uint64_t pvclock_read_info(const volatile struct vcpu_time_info *t)
{
	uint32_t version;
	uint64_t delta, ns;

	do {
		version = t->version;
		asm volatile("" ::: "memory");
		delta = rdtsc_ordered() - t->tsc_timestamp;
		if (t->tsc_shift < 0)
			delta >>= -t->tsc_shift;
		else
			delta <<= t->tsc_shift;
		ns = t->system_time + (uint64_t)(((unsigned __int128)delta *
						  t->tsc_to_system_mul) >>
						 32);
		asm volatile("" ::: "memory");
	} while ((version & 1) || version != t->version);
	return ns;
}

uint64_t pvclock_read(void)
{
	return pvclock_read_info(&lib_vcpu_info->time);
}

long evtchn_bind_virq_port(uint32_t virq, uint32_t vcpu, uint32_t *port)
{
	struct evtchn_bind_virq b = {.virq = virq, .vcpu = vcpu};
	long rc = hv_event_channel_op(EVTCHNOP_bind_virq, &b);

	if (!rc)
		*port = b.port;
	return rc;
}

long evtchn_bind_ipi_port(uint32_t vcpu, uint32_t *port)
{
	struct evtchn_bind_ipi b = {.vcpu = vcpu};
	long rc = hv_event_channel_op(EVTCHNOP_bind_ipi, &b);

	if (!rc)
		*port = b.port;
	return rc;
}

long evtchn_send_port(uint32_t port)
{
	struct evtchn_send s = {.port = port};

	return hv_event_channel_op(EVTCHNOP_send, &s);
}

long evtchn_close_port(uint32_t port)
{
	struct evtchn_close c = {.port = port};

	return hv_event_channel_op(EVTCHNOP_close, &c);
}
