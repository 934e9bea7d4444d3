// SPDX-License-Identifier: GPL-2.0
/*
 * start_hypervisor(): from the boot stub's first C call to dom0's first
 * instruction. Order matters: console, boot info, command line, memory,
 * our page tables, CPU tables, time, then the domain builder.
 */
#include <hv/boot.h>
#include <hv/cmdline.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/hypercall.h>
#include <hv/mm.h>
#include <hv/sched.h>
#include <hv/smp.h>
#include <hv/string.h>
#include <hv/time.h>
#include <asm/cpu_info.h>
#include <asm/desc.h>
#include <asm/dom0_build.h>
#include <asm/processor.h>

void start_hypervisor(uint32_t magic, uint32_t info);

static uint64_t opt_dom0_mem;		/* bytes; 0 = default */
static bool opt_debug_fault;		/* test aid: fault before dom0 runs */
static uint64_t opt_dom0_max_vcpus = 1;
static uint64_t opt_dom0_cpu = UINT64_MAX;	/* pin dom0 there; default spread */
static char opt_console[16] = "com1";

static int parse_loglevel(const char *val, void *var)
{
	static const char *const names[] = { "err", "warn", "info", "debug" };
	uint64_t n;

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(val, names[i])) {
			*(enum log_level *)var = (enum log_level)i;
			return 0;
		}
	if (cmdline_parse_uint(val, &n) || n > LOG_DEBUG)
		return -EINVAL;
	*(enum log_level *)var = (enum log_level)n;
	return 0;
}

static const struct cmdline_param params[] = {
	CMDLINE_UINT_PARAM("dom0_mem", &opt_dom0_mem),
	CMDLINE_UINT_PARAM("dom0_max_vcpus", &opt_dom0_max_vcpus),
	CMDLINE_UINT_PARAM("dom0_cpu", &opt_dom0_cpu),
	CMDLINE_STRING_PARAM("console", opt_console),
	CMDLINE_CUSTOM_PARAM("loglevel", parse_loglevel, &console_loglevel),
	CMDLINE_CUSTOM_PARAM("domu", domu_param_parse, NULL),
	CMDLINE_CUSTOM_PARAM("conswitch", console_parse_switch, NULL),
	CMDLINE_BOOL_PARAM("domu_xenstore", &opt_domu_xenstore),
	CMDLINE_BOOL_PARAM("hctrace", &opt_hctrace),
	CMDLINE_BOOL_PARAM("debug_fault", &opt_debug_fault),
};

static void report_option(void *ctx, const char *word, int err)
{
	log_warn("command line: ignoring \"%s\" (error %d)", word, err);
}

/* Loaders put the image's path first ("build/hypervisor.elf a=b"): drop it. */
static void skip_image_name(char *line)
{
	char *sp = strchr(line, ' ');
	size_t first = sp ? (size_t)(sp - line) : strlen(line);

	for (size_t i = 0; i < first; i++)
		if (line[i] == '=')
			return;
	memmove(line, line + first + (sp ? 1 : 0),
		strlen(line + first + (sp ? 1 : 0)) + 1);
}

static void cpu_features_init(void)
{
	struct cpuid_regs r;

	/* Guests use x87/SSE with FXSAVE; the hypervisor itself never does. */
	write_cr0((read_cr0() & ~X86_CR0_EM) | X86_CR0_MP | X86_CR0_NE);
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	asm volatile("fninit");
	cpuid_count(7, 0, &r);
	if (r.b & (1U << 7))	/* SMEP: never execute guest pages */
		write_cr4(read_cr4() | X86_CR4_SMEP);
}

static uint64_t dom0_pages(void)
{
	uint64_t avail = free_page_count();
	uint64_t domus = domu_reserved_pages();
	uint64_t reserve = 16ULL << (20 - PAGE_SHIFT);
	uint64_t pages = opt_dom0_mem >> PAGE_SHIFT;

	avail = avail > domus ? avail - domus : 0;
	if (!pages)
		pages = MIN(avail > 2 * reserve ? avail - 2 * reserve : avail / 2,
			    4ULL << (30 - PAGE_SHIFT));
	if (pages + reserve > avail)
		pages = avail > reserve ? avail - reserve : 0;
	return pages;
}

void start_hypervisor(uint32_t magic, uint32_t info)
{
	struct domain *d;

	console_init();
	console_write("\n", 1);
	if (multiboot_parse(magic, info, &boot_info))
		panic("unknown boot loader (magic %#x) or no memory map", magic);
	skip_image_name(boot_info.cmdline);
	cmdline_parse(boot_info.cmdline, params, ARRAY_SIZE(params),
		      report_option, NULL);
	log_info("hypervisor %d.%d%s booting (%s), command line \"%s\"",
		 CONFIG_HV_VERSION_MAJOR, CONFIG_HV_VERSION_MINOR,
		 CONFIG_HV_EXTRAVERSION, boot_info.loader, boot_info.cmdline);
	if (strcmp(opt_console, "com1"))
		log_warn("console=%s not supported, using com1", opt_console);

	page_alloc_init(&boot_info);
	paging_init();
	cpu_desc_init(0);
	hv_lock_enter();	/* CPU 0 holds it until dom0 first runs */
	cpu_features_init();
	tsc_calibrate();
	apic_timer_init();
	wallclock_init();
	smp_boot_aps();

	if (boot_info.nr_mods == 0)
		panic("no dom0 kernel: give it as the first module");
	d = pv_build_domain(&(struct pv_domain_params){
		.domid = 0,
		.nr_vcpus = (unsigned int)MIN(MAX(opt_dom0_max_vcpus, 1),
					      MAX_VCPUS_PER_DOMAIN),
		.kernel = &boot_info.mods[0],
		.initrd = boot_info.nr_mods > 1 && !domu_claims_module(1) ?
				  &boot_info.mods[1] : NULL,
		.nr_pages = dom0_pages() });
	if (!d)
		panic("cannot build dom0 (see the messages above)");
	if (opt_dom0_cpu < CONFIG_NR_CPUS)
		sched_domain_pin(d, (unsigned int)opt_dom0_cpu);
	domu_build_all(&boot_info);
	smp_release_aps();
	sched_start(d->vcpus[0]);
	if (opt_debug_fault) {
		log_warn("debug_fault: faulting on purpose");
		asm volatile("ud2");
	}
	dom0_enter(d);
}
