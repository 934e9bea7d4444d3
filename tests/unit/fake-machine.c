// SPDX-License-Identifier: GPL-2.0
/*
 * The fake machine under page-type.c: RAM, frame table, M2P, domains, the
 * current vCPU, and every function page-type.c calls outside itself
 * (free_page, init_guest_l4_slots, validate_desc_page, flush_tlb_local,
 * the TLB flush clock of one CPU,
 * domain_lookup, domain_frame_freed, logging, panic). The model's bookkeeping of the test's
 * own references lives here too; the model check is in fake-model.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>
#include <hv/console.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/tlbflush.h>
#include "fake-machine.h"
#include "fake-model.h"

static pgentry_t ram[FM_FRAMES][PAGETABLE_ENTRIES] __aligned(PAGE_SIZE);
static struct page_info frames[FM_FRAMES];
static uint64_t m2p_table[FM_FRAMES];

struct page_info *frame_table = frames;
uint64_t max_mfn = FM_FRAMES;
uint64_t *m2p = m2p_table;

struct domain dom_xen = {.domid = DOMID_XEN};
struct domain dom_io = {.domid = DOMID_IO};
struct domain fm_dom0, fm_domu, fm_domu2;
static struct vcpu fm_vcpu;
/* unit_cpu_info (shim/asm/cpu_info.h) is defined by test-sched-runq.c. */

struct fm_calls fm_calls;
int fm_desc_rc;
struct fm_model fm_model;

static jmp_buf *bug_jmp;

void *fake_machine_va(paddr_t pa)
{
	if (pa >= sizeof(ram)) {
		fprintf(stderr, "fake machine: __va(%#llx) outside RAM\n",
			(unsigned long long)pa);
		abort();
	}
	return (uint8_t *)ram + pa;
}

paddr_t fake_machine_pa(const void *p)
{
	const uint8_t *b = p;

	if (b < (const uint8_t *)ram ||
	    b >= (const uint8_t *)ram + sizeof(ram)) {
		fprintf(stderr, "fake machine: __pa(%p) outside RAM\n", p);
		abort();
	}
	return (paddr_t)(b - (const uint8_t *)ram);
}

void flush_tlb_local(void)
{
	fm_calls.flush_tlb++;
}

/* The flush clock of a one-CPU machine (arch/x86/mm/tlbflush.c). */
static uint32_t fm_clock, fm_flushed_at;

uint32_t tlbflush_stamp_now(void)
{
	return fm_clock;
}

void tlbflush_page(const struct page_info *pg)
{
	if ((int32_t)(fm_flushed_at - pg->tlbflush_stamp) <= 0) {
		fm_calls.flush_tlb++;
		fm_flushed_at = ++fm_clock;
	}
}

void fm_cpu_flushed(void)
{
	fm_flushed_at = ++fm_clock;
}

struct domain *domain_lookup(domid_t domid)
{
	switch (domid) {
	case 0:
		return &fm_dom0;
	case 1:
		return &fm_domu;
	case 2:
		return &fm_domu2;
	case DOMID_XEN:
		return &dom_xen;
	case DOMID_IO:
		return &dom_io;
	default:
		return NULL;
	}
}

/* As domain.c: a freed frame leaves its owner's count. */
void domain_frame_freed(domid_t owner)
{
	struct domain *d = domain_lookup(owner);

	if (d)
		d->tot_pages--;
}

/* Checks what the real allocator's BUG_ON checks, and more. */
void free_page(mfn_t mfn)
{
	uint64_t f = mfn_x(mfn);

	fm_calls.free_page++;
	if (f >= FM_GUEST_FRAMES || frames[f].owner == OWNER_NONE ||
	    frames[f].count || frames[f].type_count) {
		fm_model_violation("free_page(%llu): bad frame (owner %#x, "
				   "count %u, type_count %u)",
				   (unsigned long long)f,
				   f < FM_FRAMES ? frames[f].owner : 0,
				   f < FM_FRAMES ? frames[f].count : 0,
				   f < FM_FRAMES ? frames[f].type_count : 0);
		return;
	}
	fm_model.freed[f]++;
	frames[f] = (struct page_info){.owner = OWNER_NONE};
}

pgentry_t fm_hv_l4e(unsigned int slot)
{
	return mfn_pte(_mfn(FM_XEN_MFN), PTE_P | PTE_RW | PTE_AD) |
	       ((uint64_t)(slot & 7) << 9);
}

void init_guest_l4_slots(pgentry_t *l4)
{
	fm_calls.l4_init++;
	for (unsigned int i = 256; i < 272; i++)
		l4[i] = fm_hv_l4e(i);
}

int validate_desc_page(mfn_t mfn)
{
	(void)mfn;
	fm_calls.desc_validate++;
	return fm_desc_rc;
}

void logmsg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	fm_calls.log++;
	if (!getenv("FM_VERBOSE"))
		return;
	fprintf(stderr, "hv log %d: ", (int)lvl);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	fm_calls.bug++;
	if (bug_jmp)
		longjmp(*bug_jmp, 1);
	/* Unexpected: the run stops here, naming the test. */
	fprintf(stderr, "hv panic in test \"%s\": ",
		CU_get_current_test() ? CU_get_current_test()->pName : "?");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

bool fm_catch_bug(void (*fn)(void *), void *arg)
{
	jmp_buf jb;

	if (setjmp(jb)) {
		bug_jmp = NULL;
		return true;
	}
	bug_jmp = &jb;
	fn(arg);
	bug_jmp = NULL;
	return false;
}

static void init_domain(struct domain *d, domid_t id, bool privileged)
{
	memset(d, 0, sizeof(*d));
	d->domid = id;
	d->is_privileged = privileged;
	d->is_hardware_domain = privileged;
	d->max_pages = FM_FRAMES;
}

void fm_reset(void)
{
	memset(ram, 0, sizeof(ram));
	memset(&fm_model, 0, sizeof(fm_model));
	memset(&fm_calls, 0, sizeof(fm_calls));
	fm_desc_rc = 0;
	fm_clock = fm_flushed_at = 0;
	for (unsigned int f = 0; f < FM_FRAMES; f++) {
		frames[f] = (struct page_info){.owner = OWNER_NONE};
		m2p_table[f] = INVALID_M2P_ENTRY;
	}
	frames[FM_IO_MFN].owner = DOMID_IO;
	frames[FM_M2P_MFN] =
	    (struct page_info){.owner = DOMID_XEN, .flags = PGF_xen_ro};
	frames[FM_XEN_MFN].owner = DOMID_XEN;
	init_domain(&fm_dom0, 0, true);
	init_domain(&fm_domu, 1, false);
	init_domain(&fm_domu2, 2, false);
	fm_set_current(&fm_domu);
}

void fm_set_current(struct domain *d)
{
	fm_vcpu.domain = d;
	unit_cpu_info.curr_vcpu = &fm_vcpu;
}

struct page_info *fm_page(mfn_t mfn)
{
	return &frames[mfn_x(mfn)];
}

pgentry_t *fm_table(mfn_t mfn)
{
	return ram[mfn_x(mfn)];
}

mfn_t fm_alloc(struct domain *d)
{
	for (unsigned int f = 0; f < FM_GUEST_FRAMES; f++) {
		if (frames[f].owner != OWNER_NONE || fm_model.live[f])
			continue;
		memset(ram[f], 0, sizeof(ram[f]));
		frames[f] = (struct page_info){.owner = d->domid,
					       .type = PGT_writable,
					       .flags = PGF_allocated,
					       .count = 1};
		m2p_table[f] = 0x1000 + f;
		d->tot_pages++;
		fm_model.live[f] = true;
		fm_model.owner[f] = d->domid;
		fm_model.alloc[f] = 1;
		fm_model.freed[f] = 0;
		return _mfn(f);
	}
	return INVALID_MFN;
}

static bool tracked(mfn_t mfn)
{
	return mfn_x(mfn) < FM_GUEST_FRAMES;
}

void fm_release(mfn_t mfn)
{
	uint64_t f = mfn_x(mfn);

	if (!tracked(mfn) || !fm_model.alloc[f]) {
		CU_FAIL("fm_release: no allocation reference held");
		return;
	}
	fm_model.alloc[f] = 0;
	frames[f].flags &= (uint8_t)~PGF_allocated;
	put_page(&frames[f]);
}

int fm_get(mfn_t mfn, const struct domain *d)
{
	int rc = get_page(&frames[mfn_x(mfn)], d);

	if (rc == 0 && tracked(mfn))
		fm_model.gen[mfn_x(mfn)]++;
	return rc;
}

void fm_put(mfn_t mfn)
{
	if (!tracked(mfn) || !fm_model.gen[mfn_x(mfn)]) {
		CU_FAIL("fm_put: no reference held");
		return;
	}
	fm_model.gen[mfn_x(mfn)]--;
	put_page(&frames[mfn_x(mfn)]);
}

int fm_get_type(mfn_t mfn, const struct domain *d, unsigned int type)
{
	int rc = get_page_and_type(mfn, d, type);

	if (rc == 0 && tracked(mfn)) {
		fm_model.gen[mfn_x(mfn)]++;
		fm_model.typ[mfn_x(mfn)][type]++;
	}
	return rc;
}

void fm_put_type(mfn_t mfn, unsigned int type)
{
	uint64_t f = mfn_x(mfn);

	if (!tracked(mfn) || !fm_model.typ[f][type] || !fm_model.gen[f]) {
		CU_FAIL("fm_put_type: no such reference held");
		return;
	}
	fm_model.typ[f][type]--;
	fm_model.gen[f]--;
	put_page_and_type(mfn);
}

unsigned int fm_held(mfn_t mfn)
{
	return tracked(mfn) ? fm_model.gen[mfn_x(mfn)] : 0;
}

unsigned int fm_held_type(mfn_t mfn, unsigned int type)
{
	return tracked(mfn) ? fm_model.typ[mfn_x(mfn)][type] : 0;
}

bool fm_allocated(mfn_t mfn)
{
	return tracked(mfn) && fm_model.alloc[mfn_x(mfn)];
}
