// SPDX-License-Identifier: GPL-2.0
/*
 * The PV domain builder (dom0, and the extra boot-time domains of
 * domain-build.c through pv_build_domain()). Lays out the initial virtual region as a Xen PV kernel
 * expects, mapped 1:1 from pfn 0 at the kernel's VIRT_BASE:
 *
 *   [kernel][initrd][p2m list][start_info]([console][store])
 *   [page tables (RO)][stack] ... v_end
 *
 * Only unprivileged domains get the console page: their PV console ring,
 * served by the hypervisor (common/console/guest-console.c); and, when
 * dom0 serves their xenstore (domu_xenstore), the store ring page with a
 * port offered to dom0, which learns both through HVMOP_get_param.
 * v_end is 4 MiB aligned with at least 512 KiB of slack. The page tables
 * are ordered L4, L3s, L2s, L1s; the L4 is pinned and is the initial CR3.
 * Every frame of the domain has its M2P entry set before entry.
 */
#include <hv/boot.h>
#include <hv/bug.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/elf-pv.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/mm.h>
#include <hv/page-type.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hvabi/hypercall.h>
#include <hvabi/version.h>
#include <asm/cpu_info.h>
#include <asm/dom0_build.h>
#include <asm/processor.h>

#define L1_PROT (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_USER)
#define UPPER_PROT (L1_PROT | _PAGE_DIRTY)
#define MB4 (1ULL << 22)

struct layout {
	uint64_t v_start, v_end;
	uint64_t initrd_start, initrd_end;
	uint64_t p2m_start, p2m_end;
	uint64_t si_start;
	uint64_t cons_start;	/* 0: none (the hardware domain) */
	uint64_t store_start;	/* 0: none */
	uint64_t pt_start, pt_end, nr_pt;
	uint64_t stack_start;
};

struct builder {
	struct domain *d;
	uint64_t *p2m;	/* pfn -> mfn, hypervisor copy */
	struct layout l;
};

static uint64_t round_pg(uint64_t a)
{
	return ALIGN_UP(a, PAGE_SIZE);
}

/* Page-table pages needed to map [s, e): one L4, then per level. */
static uint64_t tables_needed(uint64_t s, uint64_t e)
{
	uint64_t n = 1;

	for (unsigned int shift = L4_SHIFT; shift >= L2_SHIFT; shift -= 9)
		n += (ALIGN_UP(e, 1ULL << shift) - ALIGN_DOWN(s, 1ULL << shift))
		     >> shift;
	return n;
}

static void compute_layout(const struct elf_pv_info *ei, uint64_t initrd_len,
			   struct layout *l, uint64_t nr_pages, bool console,
			   bool store)
{
	l->v_start = ei->virt_base;
	l->initrd_start = round_pg(ei->virt_kend);
	l->initrd_end = l->initrd_start + round_pg(initrd_len);
	l->p2m_start = l->initrd_end;
	l->p2m_end = l->p2m_start + round_pg(nr_pages * 8);
	l->si_start = l->p2m_end;
	l->pt_start = l->si_start + PAGE_SIZE;
	if (console) {
		l->cons_start = l->pt_start;
		l->pt_start += PAGE_SIZE;
	}
	if (store) {
		l->store_start = l->pt_start;
		l->pt_start += PAGE_SIZE;
	}
	for (l->nr_pt = 2;; l->nr_pt++) {
		l->pt_end = l->pt_start + l->nr_pt * PAGE_SIZE;
		l->stack_start = l->pt_end;
		l->v_end = ALIGN_UP(l->stack_start + PAGE_SIZE, MB4);
		if (l->v_end - (l->stack_start + PAGE_SIZE) < (512 << 10))
			l->v_end += MB4;
		if (tables_needed(l->v_start, l->v_end) <= l->nr_pt)
			break;
	}
}

static uint64_t va_to_pfn(const struct builder *b, uint64_t va)
{
	return (va - b->l.v_start) >> PAGE_SHIFT;
}

static void *pfn_ptr(const struct builder *b, uint64_t pfn)
{
	return mfn_to_virt(_mfn(b->p2m[pfn]));
}

/* elf_pv_load callback: write into guest memory by virtual address. */
static int write_guest_va(void *ctx, uint64_t va, const void *src,
			  uint64_t n)
{
	const struct builder *b = ctx;

	while (n) {
		uint64_t off = va & (PAGE_SIZE - 1);
		uint64_t chunk = MIN(n, PAGE_SIZE - off);
		uint8_t *dst;

		if (va < b->l.v_start || va >= b->l.v_end)
			return -EINVAL;
		dst = (uint8_t *)pfn_ptr(b, va_to_pfn(b, va)) + off;
		if (src) {
			memcpy(dst, src, chunk);
			src = (const uint8_t *)src + chunk;
		} else {
			memset(dst, 0, chunk);
		}
		va += chunk;
		n -= chunk;
	}
	return 0;
}

/*
 * Builds the bootstrap tables in the pfns [pt_start, pt_end): L4 first,
 * then each level's tables allocated in order as the walk needs them.
 * The entries are written raw; pinning the L4 validates the whole tree
 * and takes every reference, exactly as for a guest-built table.
 */
static mfn_t build_page_tables(struct builder *b)
{
	const struct layout *l = &b->l;
	uint64_t next = va_to_pfn(b, l->pt_start);
	uint64_t pt_lo = next, pt_hi = va_to_pfn(b, l->pt_end);
	pgentry_t *l4 = pfn_ptr(b, next++);

	for (uint64_t va = l->v_start; va < l->v_end; va += PAGE_SIZE) {
		uint64_t pfn = va_to_pfn(b, va);
		pgentry_t *t = l4;

		for (unsigned int lvl = 4; lvl > 1; lvl--) {
			pgentry_t *e = &t[pt_index(va, lvl)];

			if (!(*e & _PAGE_PRESENT)) {
				BUG_ON(next >= pt_hi);
				*e = mfn_pte(_mfn(b->p2m[next++]), UPPER_PROT);
			}
			t = mfn_to_virt(pte_mfn(*e));
		}
		t[pt_index(va, 1)] = mfn_pte(_mfn(b->p2m[pfn]),
					     (pfn >= pt_lo && pfn < pt_hi) ?
						     L1_PROT & ~_PAGE_RW :
						     L1_PROT);
	}
	return _mfn(b->p2m[pt_lo]);
}

/* 14-byte stubs: push rcx; push r11; mov $nr,%eax; syscall; pop r11; pop rcx; ret */
void fill_hypercall_page(uint8_t *p)
{
	memset(p, 0xcc, PAGE_SIZE);	/* int3 for anything else */
	for (unsigned int nr = 0; nr < PAGE_SIZE / HC_PAGE_STUB_SIZE; nr++) {
		uint8_t *s = p + nr * HC_PAGE_STUB_SIZE;
		unsigned int i = 0;

		s[i++] = 0x51;
		s[i++] = 0x41, s[i++] = 0x53;
		if (nr == HC_NR_iret)
			s[i++] = 0x50;	/* iret takes rax from the stack */
		s[i++] = 0xb8;
		memcpy(s + i, &nr, 4);
		i += 4;
		s[i++] = 0x0f, s[i++] = 0x05;
		if (nr == HC_NR_iret)
			continue;	/* never returns */
		s[i++] = 0x41, s[i++] = 0x5b;
		s[i++] = 0x59;
		s[i++] = 0xc3;
	}
}

static void fill_start_info(struct builder *b, const struct boot_module *k,
			    uint64_t initrd_len)
{
	struct start_info *si = pfn_ptr(b, va_to_pfn(b, b->l.si_start));
	const char *args = strchr(k->cmdline, ' ');

	BUILD_BUG_ON(sizeof(*si) > PAGE_SIZE);
	strlcpy(si->magic, START_INFO_MAGIC, sizeof(si->magic));
	si->nr_pages = b->d->max_pages;
	si->shared_info = mfn_x(b->d->shared_info_mfn) << PAGE_SHIFT;
	si->flags = b->d->is_hardware_domain ? SIF_PRIVILEGED | SIF_INITDOMAIN
					     : 0;
	if (b->l.cons_start) {
		si->console.domU.mfn =
			b->p2m[va_to_pfn(b, b->l.cons_start)];
		si->console.domU.evtchn = b->d->vcons.port;
	} else {
		si->console.dom0.info_off = sizeof(*si);
	}
	si->store_mfn = b->d->store_mfn;
	si->store_evtchn = b->d->store_port;
	si->pt_base = b->l.pt_start;
	si->nr_pt_frames = b->l.nr_pt;
	si->mfn_list = b->l.p2m_start;
	si->mod_start = initrd_len ? b->l.initrd_start : 0;
	si->mod_len = initrd_len;
	/* The module string is "<file> <args>": the guest gets the args. */
	if (args)
		strlcpy(si->cmd_line, args + 1, sizeof(si->cmd_line));
}

/* The store page (zeroed: its ring is empty) and a port offered to dom0. */
static int setup_store(struct builder *b)
{
	uint64_t mfn = b->p2m[va_to_pfn(b, b->l.store_start)];
	int port = evtchn_alloc_unbound_port(b->d, 0);

	if (port < 0) {
		log_err("d%u: no port for its xenstore ring", b->d->domid);
		return port;
	}
	memset(mfn_to_virt(_mfn(mfn)), 0, PAGE_SIZE);
	b->d->store_mfn = mfn;
	b->d->store_port = (evtchn_port_t)port;
	return 0;
}

static int parse_kernel(const struct boot_module *k, struct elf_pv_info *ei,
			bool is_dom0)
{
	const uint32_t hv_features = (1U << XENFEAT_writable_page_tables) |
		(1U << XENFEAT_writable_descriptor_tables) |
		(1U << XENFEAT_pae_pgdir_above_4gb) |
		(is_dom0 ? 1U << XENFEAT_dom0 : 0);
	char why[128];
	int rc;

	rc = elf_pv_parse(__va(k->start), k->end - k->start, ei);
	if (rc) {
		log_err("dom0: kernel image unusable: %s",
			elf_pv_describe_error(ei, why, sizeof(why)));
		return rc;
	}
	rc = elf_pv_check_features(ei, hv_features, is_dom0);
	if (rc) {
		log_err("dom0: kernel %s", rc == -EINVAL ?
			"does not support running as dom0" :
			"requires features this hypervisor lacks");
		return rc;
	}
	if (ei->hv_start_low && ei->hv_start_low != HYPERVISOR_VIRT_START) {
		log_err("dom0: kernel expects the hypervisor hole at %#llx",
			(unsigned long long)ei->hv_start_low);
		return -EINVAL;
	}
	return 0;
}

/* Allocates @nr frames for @d into a temporary pfn -> mfn array. */
static uint64_t *populate(struct domain *d, uint64_t nr)
{
	mfn_t arr = alloc_pages(ALIGN_UP(nr * 8, PAGE_SIZE) >> PAGE_SHIFT);
	uint64_t *p2m;

	if (mfn_x(arr) == mfn_x(INVALID_MFN))
		return NULL;
	p2m = mfn_to_virt(arr);
	for (uint64_t pfn = 0; pfn < nr; pfn++) {
		mfn_t mfn = alloc_domain_page(d);

		if (mfn_x(mfn) == mfn_x(INVALID_MFN))
			return NULL;
		p2m[pfn] = mfn_x(mfn);
		m2p[mfn_x(mfn)] = pfn;
	}
	return p2m;
}

static void release_populate_array(uint64_t *p2m, uint64_t nr)
{
	mfn_t first = virt_to_mfn(p2m);

	for (uint64_t i = 0; i < ALIGN_UP(nr * 8, PAGE_SIZE) >> PAGE_SHIFT; i++)
		free_page(_mfn(mfn_x(first) + i));
}

static void init_vcpu0(struct builder *b, const struct elf_pv_info *ei,
		       mfn_t l4)
{
	struct vcpu *v = b->d->vcpus[0];
	struct cpu_regs *r = &v->arch.user_regs;

	memset(r, 0, sizeof(*r));
	r->rip = ei->entry;
	r->rsp = b->l.stack_start + PAGE_SIZE;
	r->rsi = b->l.si_start;
	r->cs = FLAT_KERNEL_CS;
	r->ss = FLAT_KERNEL_SS;
	r->rflags = X86_EFLAGS_IF | X86_EFLAGS_MBS;
	v->arch.guest_table = l4;
	v->arch.kernel_ss = FLAT_KERNEL_SS;
	v->arch.kernel_sp = r->rsp;
	v->arch.cr4 = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	for (unsigned int i = 0; i < LEGACY_MAX_VCPUS; i++)
		b->d->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;
}

struct domain *pv_build_domain(const struct pv_domain_params *p)
{
	const struct boot_module *kernel = p->kernel, *initrd = p->initrd;
	uint64_t nr_pages = p->nr_pages;
	uint64_t initrd_len = initrd ? initrd->end - initrd->start : 0;
	struct elf_pv_info ei;
	struct builder b = { 0 };
	mfn_t l4;

	if (parse_kernel(kernel, &ei, p->domid == 0))
		return NULL;
	compute_layout(&ei, initrd_len, &b.l, nr_pages, p->domid != 0,
		       p->domid != 0 && p->xenstore);
	if ((b.l.v_end - b.l.v_start) >> PAGE_SHIFT > nr_pages) {
		log_err("dom0: %llu MiB is too small for its initial mapping "
			"(%llu MiB)", (unsigned long long)(nr_pages >> 8),
			(unsigned long long)((b.l.v_end - b.l.v_start) >> 20));
		return NULL;
	}
	b.d = domain_create(p->domid, p->nr_vcpus, p->domid == 0);
	if (!b.d)
		return NULL;
	b.d->is_hardware_domain = p->domid == 0;
	b.d->max_pages = nr_pages;
	b.p2m = populate(b.d, nr_pages);
	if (!b.p2m) {
		log_err("dom0: out of memory for %llu pages",
			(unsigned long long)nr_pages);
		return NULL;
	}
	if (elf_pv_load(__va(kernel->start), kernel->end - kernel->start, &ei,
			write_guest_va, &b) ||
	    (initrd_len && write_guest_va(&b, b.l.initrd_start,
					  __va(initrd->start), initrd_len)) ||
	    write_guest_va(&b, b.l.p2m_start, b.p2m, nr_pages * 8))
		return NULL;
	if (ei.has_hypercall_page)
		fill_hypercall_page(pfn_ptr(&b, va_to_pfn(&b, ei.hypercall_page)));
	l4 = build_page_tables(&b);
	/* Pinned (Linux unpins it while it is still CR3) and CR3. */
	if (get_page_and_type(l4, b.d, PGT_l4) ||
	    get_page_and_type(l4, b.d, PGT_l4))
		panic("dom0: its bootstrap page tables do not validate");
	mfn_to_page(l4)->flags |= PGF_pinned;
	if (b.l.cons_start &&
	    vcons_init(b.d, _mfn(b.p2m[va_to_pfn(&b, b.l.cons_start)]))) {
		log_err("d%u: no console (too many domains)", b.d->domid);
		return NULL;
	}
	if (b.l.store_start && setup_store(&b))
		return NULL;
	fill_start_info(&b, kernel, initrd_len);
	init_vcpu0(&b, &ei, l4);
	log_info("d%u: %llu MiB, entry %#llx, region %#llx-%#llx, "
		 "%llu page tables", b.d->domid,
		 (unsigned long long)(nr_pages >> 8),
		 (unsigned long long)ei.entry,
		 (unsigned long long)b.l.v_start,
		 (unsigned long long)b.l.v_end,
		 (unsigned long long)b.l.nr_pt);
	release_populate_array(b.p2m, nr_pages);
	if (b.d->is_hardware_domain)
		hardware_domain = b.d;
	return b.d;
}

struct domain *dom0_build(const struct boot_module *kernel,
			  const struct boot_module *initrd, uint64_t nr_pages)
{
	const struct pv_domain_params p = { .domid = 0, .nr_vcpus = 1,
					    .kernel = kernel, .initrd = initrd,
					    .nr_pages = nr_pages };

	return pv_build_domain(&p);
}

extern void enter_guest(struct cpu_regs *regs) __noreturn;

void dom0_enter(struct domain *d)
{
	struct vcpu *v = d->vcpus[0];

	get_cpu_info()->curr_vcpu = v;
	*guest_cpu_regs() = v->arch.user_regs;
	write_cr3(mfn_x(v->arch.guest_table) << PAGE_SHIFT);
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_GS_BASE, 0);
	wrmsr(MSR_SHADOW_GS_BASE, 0);
	/* The TSC counts from power-on: how long firmware and we took. */
	log_info("entering d0 (TSC %llu ms)",
		 (unsigned long long)(rdtsc() / (tsc_khz ? tsc_khz : 1)));
	enter_guest(guest_cpu_regs());
}
