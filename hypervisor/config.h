/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Build-time knobs of the hypervisor. C code tests them with
 * IS_ENABLED(); #if stays in headers and assembly.
 */
#ifndef HV_CONFIG_H
#define HV_CONFIG_H

#define CONFIG_NR_CPUS 8		/* physical CPUs supported */
#define CONFIG_STACK_ORDER 3		/* per-CPU stack: 8 pages */
#ifndef CONFIG_DEBUG			/* `make release`: 0 */
#define CONFIG_DEBUG 1			/* ASSERT()s and origin traces */
#endif
#define CONFIG_HV_VERSION_MAJOR 4	/* reported by xen_version */
#define CONFIG_HV_VERSION_MINOR 17
#define CONFIG_HV_EXTRAVERSION ".0-pvhv"

#define IS_ENABLED(x) (x)

#endif
