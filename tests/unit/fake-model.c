// SPDX-License-Identifier: GPL-2.0
/*
 * The page-type reference model. From the references the test holds (the
 * allocation, general references, pins) it finds the live page tables
 * (pinned ones, and everything their present entries reach), recomputes
 * each frame's expected count, type count and type from the tables'
 * contents alone, and compares with the frame table. It knows nothing of
 * how page-type.c gets there, only what must hold after every call.
 */
#include <stdarg.h>
#include <stdio.h>
#include <CUnit/CUnit.h>
#include "fake-model.h"

/*
 * Bits a stored entry may never hold, as Xen 4.17 states them: in an L1,
 * cache attributes (domUs) and bit 62 (Xen's grant-mapping marker); in
 * L2-L4, cache attributes, PSE and global. Software bits 52-62 (9-11) are
 * the guest's otherwise.
 */
#define L1_BAD (1ULL << 62)
#define CACHE_BITS (_PAGE_PWT | _PAGE_PCD | _PAGE_PAT)
#define UPPER_BAD (_PAGE_PWT | _PAGE_PCD | _PAGE_PSE | _PAGE_GLOBAL)

struct expect {
	uint32_t count;	    /* general references */
	uint32_t tc;	    /* type references */
	unsigned int req;   /* bit per type those references need */
	unsigned int level; /* live page-table level, 0 = not live */
};

static struct expect ex[FM_FRAMES];
static unsigned int queue[FM_FRAMES], qtail;
static bool ok;
static unsigned int printed;

static void vreport(const char *fmt, va_list ap)
{
	if (printed++ >= 12)
		return;
	fprintf(stderr, "\n  model: ");
	vfprintf(stderr, fmt, ap);
}

void fm_model_violation(const char *fmt, ...)
{
	va_list ap;

	fm_model.violations++;
	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	ok = false;
	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

static void mark_table(unsigned int f, unsigned int level)
{
	if (ex[f].level == level)
		return;
	if (ex[f].level) {
		fail("frame %u is a live L%u and L%u table", f, ex[f].level,
		     level);
		return;
	}
	ex[f].level = level;
	queue[qtail++] = f;
}

static void add_ref(unsigned int f, unsigned int type, bool typed)
{
	ex[f].count++;
	if (typed) {
		ex[f].tc++;
		ex[f].req |= 1U << type;
	}
}

/* A frame @t's owner may reference: its own, allocated, not freed. */
static bool own_frame(unsigned int t, uint64_t m)
{
	return m < FM_GUEST_FRAMES && fm_model.live[m] &&
	       fm_model.owner[m] == fm_model.owner[t];
}

static void check_device_l1e(unsigned int t, unsigned int i, pgentry_t e)
{
	uint64_t m = mfn_x(pte_mfn(e));

	if (!domain_lookup(fm_model.owner[t])->is_hardware_domain)
		fail("L1 %u[%u] maps device memory for a domU", t, i);
	if (m == 0xfee00 || m == 0xfec00)
		fail("L1 %u[%u] maps the APIC/IO-APIC", t, i);
	if (!(e & (_PAGE_PCD | _PAGE_PAT)))
		fail("L1 %u[%u] maps device memory cacheable (%#llx)", t, i,
		     (unsigned long long)e);
}

static void check_l1e(unsigned int t, unsigned int i, pgentry_t e)
{
	uint64_t m = mfn_x(pte_mfn(e));

	if (e & L1_BAD)
		fail("L1 %u[%u] holds reserved bits: %#llx", t, i,
		     (unsigned long long)e);
	if (!(e & _PAGE_USER))
		fail("L1 %u[%u] not made user (%#llx)", t, i,
		     (unsigned long long)e);
	if (m >= FM_FRAMES || frame_table[m].owner == DOMID_IO) {
		check_device_l1e(t, i, e);
		return;
	}
	if (m == FM_M2P_MFN) {
		if (e & _PAGE_RW)
			fail("L1 %u[%u] maps the M2P writable", t, i);
		return;
	}
	if (!own_frame(t, m)) {
		fail("L1 %u[%u] maps frame %llu it does not own", t, i,
		     (unsigned long long)m);
		return;
	}
	if ((e & CACHE_BITS) &&
	    !domain_lookup(fm_model.owner[t])->is_privileged)
		fail("L1 %u[%u] has cache attributes from a domU", t, i);
	add_ref((unsigned int)m, PGT_writable, e & _PAGE_RW);
}

static void check_upper(unsigned int t, unsigned int level, unsigned int i,
			pgentry_t e)
{
	uint64_t m = mfn_x(pte_mfn(e));

	if (e & UPPER_BAD)
		fail("L%u %u[%u] holds forbidden bits: %#llx", level, t, i,
		     (unsigned long long)e);
	if (!(e & _PAGE_USER))
		fail("L%u %u[%u] not made user", level, t, i);
	if (!own_frame(t, m)) {
		fail("L%u %u[%u] points to frame %llu it does not own", level,
		     t, i, (unsigned long long)m);
		return;
	}
	add_ref((unsigned int)m, PGT_l1 + level - 2, true);
	mark_table((unsigned int)m, level - 1);
}

static void walk_table(unsigned int t)
{
	unsigned int level = ex[t].level;
	const pgentry_t *tab = fm_table(_mfn(t));

	for (unsigned int i = 0; i < PAGETABLE_ENTRIES; i++) {
		if (level == 4 && i >= 256 && i < 272) {
			if (tab[i] != fm_hv_l4e(i))
				fail("L4 %u slot %u is not the hypervisor's", t,
				     i);
			continue;
		}
		if (!(tab[i] & _PAGE_PRESENT))
			continue;
		if (level == 1)
			check_l1e(t, i, tab[i]);
		else
			check_upper(t, level, i, tab[i]);
	}
}

static void add_test_refs(void)
{
	for (unsigned int f = 0; f < FM_GUEST_FRAMES; f++) {
		ex[f].count = fm_model.alloc[f] + fm_model.gen[f];
		for (unsigned int ty = 0; ty < FM_NR_TYPES; ty++) {
			if (!fm_model.typ[f][ty])
				continue;
			ex[f].tc += fm_model.typ[f][ty];
			ex[f].req |= 1U << ty;
			if (is_pt_type(ty))
				mark_table(f, pt_level(ty));
		}
	}
}

static void check_lifetime(unsigned int f)
{
	const struct page_info *pg = &frame_table[f];

	if (!fm_model.live[f]) {
		if (pg->owner != OWNER_NONE || pg->count || pg->type_count)
			fail("free frame %u in use (owner %#x)", f, pg->owner);
		return;
	}
	if (ex[f].count) {
		if (fm_model.freed[f] || pg->owner != fm_model.owner[f])
			fail("frame %u freed while referenced", f);
		return;
	}
	/* Its last reference went: it must have gone back exactly once. */
	if (fm_model.freed[f] != 1 || pg->owner != OWNER_NONE ||
	    m2p[f] != INVALID_M2P_ENTRY)
		fail("frame %u unreferenced but freed %u times", f,
		     fm_model.freed[f]);
	fm_model.live[f] = false;
}

static void compare_frame(unsigned int f)
{
	const struct page_info *pg = &frame_table[f];
	const struct expect *x = &ex[f];

	if (x->req & (x->req - 1))
		fail("frame %u needed as types %#x at once", f, x->req);
	if (pg->count != x->count)
		fail("frame %u count %u, expected %u", f, pg->count, x->count);
	if (pg->type_count != x->tc)
		fail("frame %u type_count %u, expected %u", f, pg->type_count,
		     x->tc);
	else if (x->tc && !(x->req & (1U << pg->type)))
		fail("frame %u type %u, needed %#x", f, pg->type, x->req);
	check_lifetime(f);
}

static void check_special(unsigned int f, domid_t owner, uint8_t flags)
{
	const struct page_info *pg = &frame_table[f];

	if (pg->owner != owner || pg->flags != flags || pg->count ||
	    pg->type_count)
		fail("special frame %u changed (count %u)", f, pg->count);
}

static void check_tot_pages(const struct domain *d)
{
	uint64_t n = 0;

	for (unsigned int f = 0; f < FM_GUEST_FRAMES; f++)
		n += fm_model.live[f] && fm_model.owner[f] == d->domid;
	if (d->tot_pages != n)
		fail("d%u tot_pages %llu, expected %llu", d->domid,
		     (unsigned long long)d->tot_pages, (unsigned long long)n);
}

bool fm_check(void)
{
	ok = true;
	printed = 0;
	qtail = 0;
	for (unsigned int f = 0; f < FM_FRAMES; f++)
		ex[f] = (struct expect){0};
	add_test_refs();
	for (unsigned int q = 0; q < qtail; q++)
		walk_table(queue[q]);
	for (unsigned int f = 0; f < FM_GUEST_FRAMES; f++)
		compare_frame(f);
	check_special(FM_IO_MFN, DOMID_IO, 0);
	check_special(FM_M2P_MFN, DOMID_XEN, PGF_xen_ro);
	check_special(FM_XEN_MFN, DOMID_XEN, 0);
	for (unsigned int f = FM_XEN_MFN + 1; f < FM_FRAMES; f++)
		check_special(f, OWNER_NONE, 0);
	check_tot_pages(&fm_dom0);
	check_tot_pages(&fm_domu);
	check_tot_pages(&fm_domu2);
	if (fm_model.violations) {
		ok = false;
		fm_model.violations = 0;
	}
	if (!ok)
		fputc('\n', stderr);
	return ok;
}
