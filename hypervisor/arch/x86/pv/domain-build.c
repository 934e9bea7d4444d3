// SPDX-License-Identifier: GPL-2.0
/*
 * Boot-time unprivileged domains: each "domu=<module>[+<initrd module>],
 * <MiB>[,<vcpus>[,<weight>[,<cap>[,<cpu>]]]]" on the hypervisor command line
 * builds boot module <module> (1-based after dom0's kernel, module 0) as
 * domain 1, 2, ... in order, with the PV builder of dom0-build.c (which
 * also gives it a console served by the hypervisor, guest-console.c), and
 * queues its vCPU 0 to run (on physical CPU <cpu> with all its vCPUs
 * when given; else the scheduler spreads them). They make multi-domain behaviour (interdomain events, scheduling,
 * VIRQ_DOM_EXC) testable before a toolstack exists.
 */
#include <hv/boot.h>
#include <hv/cmdline.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/sched.h>
#include <hv/string.h>
#include <asm/dom0_build.h>

#define MAX_BOOT_DOMUS 6

struct domu_spec {
	unsigned int module, initrd, vcpus, weight, cap;	/* initrd 0: none */
	int cpu;						/* -1: any */
	uint64_t mib;
};

static struct domu_spec specs[MAX_BOOT_DOMUS];
static unsigned int nr_specs;
/* "domu_xenstore": dom0 runs a xenstored that will serve these domains. */
bool opt_domu_xenstore;

/* Next number of @p, ended by ',' or '+' (put in *@sep, skipped) or the end. */
static int next_field(const char **p, uint64_t *out, char *sep)
{
	char word[24];
	size_t n = 0;

	while (**p && **p != ',' && **p != '+' && n + 1 < sizeof(word))
		word[n++] = *(*p)++;
	word[n] = '\0';
	*sep = **p;
	if (**p == ',' || **p == '+')
		(*p)++;
	return cmdline_parse_uint(word, out);
}

int domu_param_parse(const char *val, void *unused)
{
	uint64_t f[6] = {0, 0, 1, 256, 0, 0}, initrd = 0;
	unsigned int n = 1;
	char sep;

	(void)unused;
	if (!val || nr_specs >= MAX_BOOT_DOMUS)
		return !val ? -EINVAL : -ENOSPC;
	if (next_field(&val, &f[0], &sep))
		return -EINVAL;
	if (sep == '+' && (next_field(&val, &initrd, &sep) || sep == '+' ||
			   !initrd || initrd >= BOOT_MAX_MODS))
		return -EINVAL;
	while (*val && n < ARRAY_SIZE(f))
		if (next_field(&val, &f[n++], &sep) || sep == '+')
			return -EINVAL;
	if (n < 2 || *val || f[0] == 0 || f[0] >= BOOT_MAX_MODS || !f[1] ||
	    f[2] == 0 || f[2] > MAX_VCPUS_PER_DOMAIN || !f[3] || f[3] > 65535 ||
	    f[4] > 100 || f[5] >= CONFIG_NR_CPUS || initrd == f[0])
		return -EINVAL;
	specs[nr_specs++] = (struct domu_spec){.module = (unsigned int)f[0],
					       .initrd = (unsigned int)initrd,
					       .mib = f[1],
					       .vcpus = (unsigned int)f[2],
					       .weight = (unsigned int)f[3],
					       .cap = (unsigned int)f[4],
					       .cpu = n > 5 ? (int)f[5] : -1};
	return 0;
}

bool domu_claims_module(unsigned int module)
{
	for (unsigned int i = 0; i < nr_specs; i++)
		if (specs[i].module == module || specs[i].initrd == module)
			return true;
	return false;
}

uint64_t domu_reserved_pages(void)
{
	uint64_t pages = 0;

	/* Memory plus a little for page tables, shared_info and vCPUs. */
	for (unsigned int i = 0; i < nr_specs; i++)
		pages += (specs[i].mib << (20 - PAGE_SHIFT)) + 64;
	return pages;
}

void domu_build_all(const struct boot_info *bi)
{
	for (unsigned int i = 0; i < nr_specs; i++) {
		const struct domu_spec *s = &specs[i];
		struct pv_domain_params p = {.domid = (domid_t)(i + 1),
					     .nr_vcpus = s->vcpus,
					     .nr_pages = s->mib
							 << (20 - PAGE_SHIFT)};
		struct domain *d;

		if (s->module >= bi->nr_mods) {
			log_err("domu=%u: no such boot module", s->module);
			continue;
		}
		p.kernel = &bi->mods[s->module];
		p.xenstore = opt_domu_xenstore;
		if (s->initrd && s->initrd < bi->nr_mods)
			p.initrd = &bi->mods[s->initrd];
		d = pv_build_domain(&p);
		if (!d) {
			log_err("d%u: not built (see above)", p.domid);
			continue;
		}
		d->weight = s->weight;
		d->cap = s->cap;
		if (s->cpu >= 0)
			sched_domain_pin(d, (unsigned int)s->cpu);
		vcpu_wake(d->vcpus[0]);
		log_info("d%u: %u vCPU(s), weight %u, cap %u%%", d->domid,
			 s->vcpus, s->weight, s->cap);
	}
}
