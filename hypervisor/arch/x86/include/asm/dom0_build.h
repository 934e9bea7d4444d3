/* SPDX-License-Identifier: GPL-2.0 */
/* Building the hardware domain from the boot modules. */
#ifndef ASM_DOM0_BUILD_H
#define ASM_DOM0_BUILD_H

#include <hv/types.h>

#include <hvabi/xen.h>

struct boot_module;
struct domain;

struct pv_domain_params {
	domid_t domid;			/* 0 builds the hardware domain */
	unsigned int nr_vcpus;
	const struct boot_module *kernel, *initrd;	/* initrd may be NULL */
	uint64_t nr_pages;
	bool xenstore;			/* a store ring page and port for dom0 */
};

/*
 * Builds a PV domain as dom0_build() does, unprivileged unless domid 0:
 * vCPU 0's entry frame is left in its arch.user_regs. NULL (with a
 * message) when the image or the memory size is unusable.
 */
struct domain *pv_build_domain(const struct pv_domain_params *p);

struct boot_info;
/* The "domu=" option (domain-build.c); 0 or -EINVAL/-ENOSPC. */
int domu_param_parse(const char *val, void *unused);
/* The "domu_xenstore" option: boot-time domains get a xenstore ring. */
extern bool opt_domu_xenstore;
/* True when a domu= option builds boot module @module. */
bool domu_claims_module(unsigned int module);
/* Pages the domu= domains will need (kept out of dom0's default). */
uint64_t domu_reserved_pages(void);
/* Builds every domu= domain and queues its vCPU 0; errors are logged. */
void domu_build_all(const struct boot_info *bi);

/*
 * Builds dom0 from @kernel (an ELF64 PV kernel) with optional @initrd and
 * @nr_pages of memory, as linux-pv-requirements.md 1.2-1.3 describe.
 * Prints a clear reason and returns NULL if the image or the memory size
 * is unusable.
 */
struct domain *dom0_build(const struct boot_module *kernel,
			  const struct boot_module *initrd, uint64_t nr_pages);

/* Writes the hypercall stubs (32 bytes per number) into the page at @p. */
void fill_hypercall_page(uint8_t *p);

/* Loads vCPU 0 of @d and enters it; does not return. */
__noreturn void dom0_enter(struct domain *d);

#endif
