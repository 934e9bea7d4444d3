// SPDX-License-Identifier: GPL-2.0
/*
 * The hypercall table. From hypercalls.def itself: numbers unique, below
 * HC_NR_MAX and equal to Xen 4.17's, argument counts and flags in range.
 * From the linked image (build/hypervisor.elf, read with its symbol
 * table): hypercall_table holds, for every HC_IMPL number, the address of
 * do_<name> with the definition's argument count and privilege, and zero
 * for every other number, so the dispatcher returns -ENOSYS for them.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hv/hypercall.h>
#include "harness.h"

enum hc_state { ST_HC_IMPL, ST_HC_NONE };

struct hc_def {
	unsigned int nr;
	const char *name;
	unsigned int nargs, priv;
	enum hc_state state;
};

#define HC(nr, name, nargs, priv, state) {nr, #name, nargs, priv, ST_##state},
static const struct hc_def defs[] = {
#include <hvabi/hypercalls.def>
};
#undef HC

/* Xen 4.17 public/xen.h numbers: the ABI we are binary compatible with. */
static const struct {
	const char *name;
	unsigned int nr;
} xen_numbers[] = {
    {"set_trap_table", 0},
    {"mmu_update", 1},
    {"set_gdt", 2},
    {"stack_switch", 3},
    {"set_callbacks", 4},
    {"fpu_taskswitch", 5},
    {"sched_op_compat", 6},
    {"platform_op", 7},
    {"set_debugreg", 8},
    {"get_debugreg", 9},
    {"update_descriptor", 10},
    {"memory_op", 12},
    {"multicall", 13},
    {"update_va_mapping", 14},
    {"set_timer_op", 15},
    {"event_channel_op_compat", 16},
    {"xen_version", 17},
    {"console_io", 18},
    {"physdev_op_compat", 19},
    {"grant_table_op", 20},
    {"vm_assist", 21},
    {"update_va_mapping_otherdomain", 22},
    {"iret", 23},
    {"vcpu_op", 24},
    {"set_segment_base", 25},
    {"mmuext_op", 26},
    {"xsm_op", 27},
    {"nmi_op", 28},
    {"sched_op", 29},
    {"callback_op", 30},
    {"xenoprof_op", 31},
    {"event_channel_op", 32},
    {"physdev_op", 33},
    {"hvm_op", 34},
    {"sysctl", 35},
    {"domctl", 36},
    {"kexec_op", 37},
    {"tmem_op", 38},
    {"argo_op", 39},
    {"xenpmu_op", 40},
    {"dm_op", 41},
    {"hypfs_op", 42},
    {"mca", 48},
};

static const struct hc_def *def_of(unsigned int nr)
{
	for (size_t i = 0; i < ARRAY_LEN(defs); i++)
		if (defs[i].nr == nr)
			return &defs[i];
	return NULL;
}

static void test_def_numbers(void)
{
	for (size_t i = 0; i < ARRAY_LEN(defs); i++) {
		CU_ASSERT(defs[i].nr < HC_NR_MAX);
		CU_ASSERT(defs[i].nargs <= 5);
		CU_ASSERT(defs[i].priv == HC_ANY || defs[i].priv == HC_PRIV);
		for (size_t j = 0; j < i; j++) {
			if (defs[j].nr == defs[i].nr)
				CU_FAIL("hypercall number defined twice");
			if (!strcmp(defs[j].name, defs[i].name))
				CU_FAIL("hypercall name defined twice");
		}
	}
}

static void test_def_xen_numbers(void)
{
	for (size_t i = 0; i < ARRAY_LEN(xen_numbers); i++) {
		const struct hc_def *d = def_of(xen_numbers[i].nr);

		if (!d || strcmp(d->name, xen_numbers[i].name)) {
			fprintf(stderr, "\n  Xen's %s (%u) is %s here\n",
				xen_numbers[i].name, xen_numbers[i].nr,
				d ? d->name : "missing");
			CU_FAIL("hypercall number differs from Xen 4.17");
		}
	}
	/* Nothing of ours outside Xen's numbering. */
	CU_ASSERT_EQUAL(ARRAY_LEN(defs), ARRAY_LEN(xen_numbers));
}

/* The linked hypervisor image and its symbol table. */
struct image {
	unsigned char *data;
	size_t size;
	const Elf64_Shdr *sh;
	const Elf64_Sym *syms;
	size_t nr_syms;
	const char *strs;
	size_t strs_size;
};

static struct image img;

static bool in_file(uint64_t off, uint64_t len)
{
	return off <= img.size && len <= img.size - off;
}

static const char *image_load(void)
{
	const Elf64_Ehdr *eh;
	FILE *f = fopen(HV_IMAGE, "rb");
	long len;

	if (!f)
		return HV_IMAGE " missing: build the hypervisor first";
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	img.data = malloc(len > 0 ? (size_t)len : 1);
	img.size = len > 0 && img.data &&
			   fread(img.data, 1, (size_t)len, f) == (size_t)len
		       ? (size_t)len
		       : 0;
	fclose(f);
	eh = (const Elf64_Ehdr *)img.data;
	if (img.size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64 ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_file(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
		return "not an x86_64 ELF64 image with section headers";
	img.sh = (const Elf64_Shdr *)(img.data + eh->e_shoff);
	for (unsigned int i = 0; i < eh->e_shnum; i++) {
		const Elf64_Shdr *s = &img.sh[i], *str;

		if (s->sh_type != SHT_SYMTAB || s->sh_link >= eh->e_shnum)
			continue;
		str = &img.sh[s->sh_link];
		if (!in_file(s->sh_offset, s->sh_size) ||
		    !in_file(str->sh_offset, str->sh_size))
			return "symbol table outside the file";
		img.syms = (const Elf64_Sym *)(img.data + s->sh_offset);
		img.nr_syms = s->sh_size / sizeof(Elf64_Sym);
		img.strs = (const char *)img.data + str->sh_offset;
		img.strs_size = str->sh_size;
		return NULL;
	}
	return "no symbol table (stripped image?)";
}

static const Elf64_Sym *image_sym(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < img.nr_syms; i++) {
		const Elf64_Sym *s = &img.syms[i];

		if (s->st_name < img.strs_size &&
		    n < img.strs_size - s->st_name &&
		    !memcmp(img.strs + s->st_name, name, n + 1))
			return s;
	}
	return NULL;
}

/* The bytes of @sym's object in the file, or NULL. */
static const void *image_object(const Elf64_Sym *sym)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img.data;
	const Elf64_Shdr *s;

	if (sym->st_shndx == SHN_UNDEF || sym->st_shndx >= eh->e_shnum)
		return NULL;
	s = &img.sh[sym->st_shndx];
	if (s->sh_type != SHT_PROGBITS || sym->st_value < s->sh_addr ||
	    sym->st_size > s->sh_size ||
	    sym->st_value - s->sh_addr > s->sh_size - sym->st_size ||
	    !in_file(s->sh_offset + (sym->st_value - s->sh_addr), sym->st_size))
		return NULL;
	return img.data + s->sh_offset + (sym->st_value - s->sh_addr);
}

static void check_entry(unsigned int nr, const struct hc_entry *e)
{
	const struct hc_def *d = def_of(nr);
	char name[80];
	const Elf64_Sym *fn;

	if (!d || d->state != ST_HC_IMPL) {
		if (e->fn)
			fprintf(stderr,
				"\n  number %u: handler %#lx, none "
				"defined\n",
				nr, (unsigned long)e->fn);
		CU_ASSERT_EQUAL(e->fn, 0);
		return;
	}
	snprintf(name, sizeof(name), "do_%s", d->name);
	fn = image_sym(name);
	if (!fn || ELF64_ST_TYPE(fn->st_info) != STT_FUNC) {
		fprintf(stderr, "\n  %s: no function in the image\n", name);
		CU_FAIL("HC_IMPL hypercall without a handler");
		return;
	}
	if (e->fn != fn->st_value)
		fprintf(stderr, "\n  number %u: table has %#lx, %s is %#lx\n",
			nr, (unsigned long)e->fn, name,
			(unsigned long)fn->st_value);
	CU_ASSERT_EQUAL(e->fn, fn->st_value);
	CU_ASSERT_EQUAL(e->nargs, d->nargs);
	CU_ASSERT_EQUAL(e->priv, d->priv);
}

static void test_image_table(void)
{
	const char *err = image_load();
	const Elf64_Sym *sym;
	const unsigned char *table;

	if (err) {
		fprintf(stderr, "\n  %s\n", err);
		CU_FAIL_FATAL("cannot read the hypervisor image");
	}
	sym = image_sym("hypercall_table");
	CU_ASSERT_FATAL(sym != NULL);
	CU_ASSERT_FATAL(ELF64_ST_TYPE(sym->st_info) == STT_OBJECT);
	CU_ASSERT_FATAL(sym->st_size == HC_NR_MAX * sizeof(struct hc_entry));
	table = image_object(sym);
	CU_ASSERT_FATAL(table != NULL);
	for (unsigned int nr = 0; nr < HC_NR_MAX; nr++) {
		struct hc_entry e;

		memcpy(&e, table + nr * sizeof(e), sizeof(e));
		check_entry(nr, &e);
	}
}

static void test_image_cleanup(void)
{
	free(img.data);
	img = (struct image){0};
}

bool suite_hypercall_table(void)
{
	static const struct unit_test tests[] = {
	    {"definitions: unique, in range", test_def_numbers},
	    {"definitions: Xen 4.17 numbers", test_def_xen_numbers},
	    {"image: table matches the definitions", test_image_table},
	    {"image: release", test_image_cleanup},
	};

	return UNIT_SUITE("hypercall-table", tests);
}
