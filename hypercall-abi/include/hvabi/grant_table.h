/* SPDX-License-Identifier: MIT */
/*
 * grant_table_op (20): the grant table a domain shares with the
 * hypervisor (v1 entries: flags, domid, frame): table setup and queries,
 * mapping another domain's grants, copying through grants.
 */
#ifndef HVABI_GRANT_TABLE_H
#define HVABI_GRANT_TABLE_H

#include <stdint.h>

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;

#define GNTTABOP_map_grant_ref 0
#define GNTTABOP_unmap_grant_ref 1
#define GNTTABOP_setup_table 2		/* struct gnttab_setup_table */
#define GNTTABOP_dump_table 3
#define GNTTABOP_transfer 4
#define GNTTABOP_copy 5
#define GNTTABOP_query_size 6		/* struct gnttab_query_size */
#define GNTTABOP_unmap_and_replace 7
#define GNTTABOP_set_version 8		/* struct gnttab_set_version */
#define GNTTABOP_get_status_frames 9
#define GNTTABOP_get_version 10		/* struct gnttab_get_version */

/* Per-operation status codes (the hypercall itself returns 0). */
#define GNTST_okay 0
#define GNTST_general_error (-1)
#define GNTST_bad_domain (-2)
#define GNTST_bad_gntref (-3)
#define GNTST_bad_handle (-4)
#define GNTST_bad_virt_addr (-5)
#define GNTST_bad_dev_addr (-6)
#define GNTST_no_device_space (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page (-9)
#define GNTST_bad_copy_arg (-10)
#define GNTST_address_too_big (-11)
#define GNTST_eagain (-12)
#define GNTST_no_space (-13)

/* A v1 grant entry: 8 bytes, 512 per frame. */
struct grant_entry_v1 {
	uint16_t flags;		/* GTF_* */
	uint16_t domid;		/* who may use the grant */
	uint32_t frame;		/* the granted frame */
};

#define GTF_invalid 0
#define GTF_permit_access 1
#define GTF_accept_transfer 2
#define GTF_type_mask 3
#define GTF_readonly (1U << 2)
#define GTF_reading (1U << 3)
#define GTF_writing (1U << 4)

/* map_grant_ref flags. */
#define GNTMAP_device_map (1U << 0)	/* dev_bus_addr: the machine address */
#define GNTMAP_host_map (1U << 1)	/* map at host_addr */
#define GNTMAP_readonly (1U << 2)
#define GNTMAP_application_map (1U << 3)	/* user-accessible mapping */
#define GNTMAP_contains_pte (1U << 4)	/* host_addr: machine address of a PTE */

struct gnttab_map_grant_ref {
	uint64_t host_addr;	/* IN: VA, or PTE machine address */
	uint32_t flags;		/* IN: GNTMAP_* */
	grant_ref_t ref;	/* IN */
	uint16_t dom;		/* IN: the granting domain */
	int16_t status;		/* OUT: GNTST_* */
	grant_handle_t handle;	/* OUT: for unmap */
	uint64_t dev_bus_addr;	/* OUT */
};

struct gnttab_unmap_grant_ref {
	uint64_t host_addr;	/* IN: as mapped, or 0 */
	uint64_t dev_bus_addr;	/* IN: as returned, or 0 */
	grant_handle_t handle;	/* IN */
	int16_t status;		/* OUT */
	uint16_t pad;
};

/* copy flags: which side names a grant (else a frame of the caller). */
#define GNTCOPY_source_gref (1U << 0)
#define GNTCOPY_dest_gref (1U << 1)

struct gnttab_copy_ptr {
	uint64_t u;		/* grant_ref_t ref, or xen_pfn_t gmfn */
	uint16_t domid;
	uint16_t offset;
	uint32_t pad;
};

struct gnttab_copy {
	struct gnttab_copy_ptr source, dest;	/* IN */
	uint16_t len;		/* IN */
	uint16_t flags;		/* IN: GNTCOPY_* */
	int16_t status;		/* OUT */
	uint16_t pad;
};

struct gnttab_setup_table {
	uint16_t dom;		/* IN */
	uint16_t pad0;
	uint32_t nr_frames;	/* IN */
	int16_t status;		/* OUT: GNTST_* */
	uint16_t pad1[3];
	uint64_t frame_list;	/* IN: guest VA of uint64_t[nr_frames], OUT: MFNs */
};

struct gnttab_query_size {
	uint16_t dom;		/* IN */
	uint16_t pad0;
	uint32_t nr_frames;	/* OUT */
	uint32_t max_nr_frames;	/* OUT */
	int16_t status;		/* OUT */
	uint16_t pad1;
};

struct gnttab_set_version {
	uint32_t version;	/* IN: 1 or 2; OUT: the version now in use */
};

struct gnttab_get_version {
	uint16_t dom;		/* IN */
	uint16_t pad;
	uint32_t version;	/* OUT */
};

_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1");
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "map_grant_ref");
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "unmap_grant_ref");
_Static_assert(sizeof(struct gnttab_copy) == 40, "gnttab_copy");
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "setup_table");
_Static_assert(sizeof(struct gnttab_query_size) == 16, "query_size");
_Static_assert(sizeof(struct gnttab_get_version) == 8, "get_version");

#endif
