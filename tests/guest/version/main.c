// SPDX-License-Identifier: MIT
/*
 * version: xen_version sub-ops. Asserts properties any conforming
 * hypervisor has (sizes, termination, the x86_64 PV capability string,
 * PV feature bits), never Xen's exact strings.
 */
#include <hvabi/version.h>
#include "lib.h"

TEST_CATEGORY(functional);

#define CANARY 0xa5

/* Buffer with a canary tail to catch writes past the sub-op's size. */
static uint8_t buf[2048];

static void fill(void)
{
	memset(buf, CANARY, sizeof(buf));
}

static bool terminated(const char *s, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		if (!s[i])
			return true;
	return false;
}

static void check_tail(size_t size)
{
	size_t i;

	for (i = size; i < size + 64; i++)
		if (buf[i] != CANARY) {
			fail("wrote past the %zu-byte buffer at offset %zu",
			     size, i);
			return;
		}
}

static void test_version(void)
{
	long v = hv_xen_version(XENVER_version, NULL);

	CHECK(v > 0, "XENVER_version returned %ld", v);
	CHECK((v >> 16) >= 3, "major version %ld", v >> 16);
	/* The argument is ignored. */
	CHECK_RC(hv_xen_version(XENVER_version, (void *)BAD_PTR_NONCANON), v);
	printk("version %ld.%ld\n", v >> 16, v & 0xffff);
}

static void test_string(unsigned int cmd, size_t size, const char *what)
{
	fill();
	CHECK_RC(hv_xen_version(cmd, buf), 0);
	CHECK(terminated((const char *)buf, size), "%s not NUL-terminated in %zu bytes",
	      what, size);
	check_tail(size);
}

static void test_extraversion(void)
{
	test_string(XENVER_extraversion, XEN_EXTRAVERSION_LEN, "extraversion");
}

static void test_changeset(void)
{
	test_string(XENVER_changeset, XEN_CHANGESET_LEN, "changeset");
}

static void test_capabilities(void)
{
	test_string(XENVER_capabilities, XEN_CAPABILITIES_LEN, "capabilities");
	CHECK(strstr((char *)buf, "xen-3.0-x86_64") != NULL,
	      "capabilities \"%s\" lack xen-3.0-x86_64", (char *)buf);
}

static void test_compile_info(void)
{
	const struct xen_compile_info *ci = (const void *)buf;

	fill();
	CHECK_RC(hv_xen_version(XENVER_compile_info, buf), 0);
	CHECK(terminated(ci->compiler, sizeof(ci->compiler)), "compiler");
	CHECK(terminated(ci->compile_by, sizeof(ci->compile_by)), "by");
	CHECK(terminated(ci->compile_domain, sizeof(ci->compile_domain)),
	      "domain");
	CHECK(terminated(ci->compile_date, sizeof(ci->compile_date)), "date");
	check_tail(sizeof(*ci));
}

static void test_platform_parameters(void)
{
	struct xen_platform_parameters *pp = (void *)buf;

	fill();
	CHECK_RC(hv_xen_version(XENVER_platform_parameters, buf), 0);
	CHECK_EQ(pp->virt_start, HYPERVISOR_VIRT_START);
	check_tail(sizeof(*pp));
}

static void test_get_features(void)
{
	struct xen_feature_info fi = { .submap_idx = 0, .submap = 0 };
	uint32_t must = (1U << XENFEAT_mmu_pt_update_preserve_ad) |
			(1U << XENFEAT_gnttab_map_avail_bits);
	uint32_t must_not = (1U << XENFEAT_auto_translated_physmap) |
			    (1U << XENFEAT_supervisor_mode_kernel) |
			    (1U << XENFEAT_hvm_callback_vector);

	if (start_info->flags & SIF_INITDOMAIN)
		must |= 1U << XENFEAT_dom0;
	CHECK_RC(hv_xen_version(XENVER_get_features, &fi), 0);
	CHECK(fi.submap_idx == 0, "submap_idx changed to %u", fi.submap_idx);
	CHECK((fi.submap & must) == must, "submap %#x lacks bits %#x",
	      fi.submap, must & ~fi.submap);
	CHECK(!(fi.submap & must_not), "submap %#x has bits %#x", fi.submap,
	      fi.submap & must_not);
	/* Only submap 0 exists. */
	fi.submap_idx = XENFEAT_NR_SUBMAPS;
	CHECK_RC(hv_xen_version(XENVER_get_features, &fi), -HV_EINVAL);
	fi.submap_idx = 0xffffffff;
	CHECK_RC(hv_xen_version(XENVER_get_features, &fi), -HV_EINVAL);
}

static void test_pagesize(void)
{
	CHECK_RC(hv_xen_version(XENVER_pagesize, NULL), 4096);
	/* The argument must be NULL. */
	CHECK_RC(hv_xen_version(XENVER_pagesize, buf), -HV_EINVAL);
}

static void test_guest_handle(void)
{
	fill();
	CHECK_RC(hv_xen_version(XENVER_guest_handle, buf), 0);
	check_tail(16);
}

static void test_unknown(void)
{
	CHECK_RC(hv_xen_version(0x7fff, buf), -HV_ENOSYS);
	CHECK_RC(hv_xen_version(0xffffffff, buf), -HV_ENOSYS);
}

void test_main(void)
{
	run_case("version", test_version);
	run_case("extraversion", test_extraversion);
	run_case("compile_info", test_compile_info);
	run_case("capabilities", test_capabilities);
	run_case("changeset", test_changeset);
	run_case("platform_parameters", test_platform_parameters);
	run_case("get_features", test_get_features);
	run_case("pagesize", test_pagesize);
	run_case("guest_handle", test_guest_handle);
	run_case("unknown_subop", test_unknown);
}
