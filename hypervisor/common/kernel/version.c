// SPDX-License-Identifier: GPL-2.0
/*
 * xen_version (17): who we are and what a guest may rely on. Reports
 * version 4.17 (the ABI level we implement) and the PV feature bits Linux
 * requires; see hypercall-abi/docs/xen_version.md.
 */
#include <hv/boot.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/string.h>
#include <hvabi/version.h>
#include <asm/cpu_info.h>
#include <version.h>

extern const char __start_build_id[], __stop_build_id[];

/* Copies the NUL-padded string @s into a guest buffer of @size bytes. */
static long put_string(unsigned long arg, const char *s, size_t size)
{
	char buf[XEN_CAPABILITIES_LEN];

	memset(buf, 0, size);
	strlcpy(buf, s, size);
	return copy_to_guest(arg, buf, size);
}

static uint32_t feature_submap0(const struct domain *d)
{
	uint32_t f = (1U << XENFEAT_memory_op_vnode_supported) |
		     (1U << XENFEAT_mmu_pt_update_preserve_ad) |
		     (1U << XENFEAT_highmem_assist) |
		     (1U << XENFEAT_gnttab_map_avail_bits) |
		     (1U << XENFEAT_direct_mapped);

	if (vm_assist(d, VMASST_TYPE_pae_extended_cr3))
		f |= 1U << XENFEAT_pae_pgdir_above_4gb;
	if (d->is_hardware_domain)
		f |= 1U << XENFEAT_dom0;
	return f;
}

static long get_features(unsigned long arg)
{
	struct xen_feature_info fi;

	if (copy_from_guest(&fi, arg, sizeof(fi)))
		return -EFAULT;
	if (fi.submap_idx != 0)
		return -EINVAL;
	fi.submap = feature_submap0(current->domain);
	return copy_to_guest(arg, &fi, sizeof(fi));
}

static long compile_info(unsigned long arg)
{
	struct xen_compile_info ci;

	memset(&ci, 0, sizeof(ci));
	strlcpy(ci.compiler, HV_COMPILER, sizeof(ci.compiler));
	strlcpy(ci.compile_by, HV_COMPILE_BY, sizeof(ci.compile_by));
	strlcpy(ci.compile_domain, HV_COMPILE_DOMAIN, sizeof(ci.compile_domain));
	strlcpy(ci.compile_date, HV_COMPILE_DATE, sizeof(ci.compile_date));
	return copy_to_guest(arg, &ci, sizeof(ci));
}

/* The GNU build-id note's descriptor: after a 12-byte header and "GNU\0". */
static long build_id(unsigned long arg)
{
	const uint32_t *note = (const uint32_t *)__start_build_id;
	struct xen_build_id bid;
	uint32_t sz;

	if (__stop_build_id - __start_build_id < 16)
		return -ENODATA;
	sz = note[1];
	if (!arg)
		return sz;
	if (copy_from_guest(&bid, arg, sizeof(bid)))
		return -EFAULT;
	if (bid.len == 0)
		return -EINVAL;
	if (sz > bid.len)
		return -ENOBUFS;
	if (copy_to_guest(arg + sizeof(bid), __start_build_id + 16, sz))
		return -EFAULT;
	return sz;
}

long do_xen_version(unsigned long cmd, unsigned long arg)
{
	struct domain *d = current->domain;

	switch ((int)cmd) {	/* the ABI's cmd is an int */
	case XENVER_version:
		return (CONFIG_HV_VERSION_MAJOR << 16) | CONFIG_HV_VERSION_MINOR;
	case XENVER_extraversion:
		return put_string(arg, CONFIG_HV_EXTRAVERSION,
				  XEN_EXTRAVERSION_LEN);
	case XENVER_compile_info:
		return compile_info(arg);
	case XENVER_capabilities:
		return put_string(arg, "xen-3.0-x86_64", XEN_CAPABILITIES_LEN);
	case XENVER_changeset:
		return put_string(arg, HV_CHANGESET, XEN_CHANGESET_LEN);
	case XENVER_platform_parameters: {
		struct xen_platform_parameters p = { HYPERVISOR_VIRT_START };

		return copy_to_guest(arg, &p, sizeof(p));
	}
	case XENVER_get_features:
		return get_features(arg);
	case XENVER_pagesize:
		return arg ? -EINVAL : (long)PAGE_SIZE;
	case XENVER_guest_handle:
		return copy_to_guest(arg, d->handle, sizeof(d->handle));
	case XENVER_commandline:
		return put_string(arg, d->is_privileged ? boot_info.cmdline
							: "<denied>",
				  XEN_COMMANDLINE_LEN);
	case XENVER_build_id:
		return build_id(arg);
	}
	return -ENOSYS;
}
