/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grant tables inside common/grant/. Per domain:
 *
 *   grant_table --frames[f]--> 512 shared v1 entries (guest-writable)
 *               --active[f]--> 512 active entries: who pinned each grant,
 *                              how often (read-only / writable) and which
 *                              frame was read from the entry at first pin
 *               --maptrack---> the mappings this domain holds of other
 *                              domains' grants; a handle is an index
 *
 * A shared entry is read once per pin: its flags and domid together with
 * one 32-bit compare-and-exchange (which also sets GTF_reading and
 * GTF_writing), its frame only at the first pin; later pins use the
 * active entry. While a grant is pinned its frame holds the references
 * the mappings took, so the granter's later writes to the entry change
 * nothing here (and GTF_reading/GTF_writing tell it not to reuse it).
 */
#ifndef GRANT_PRIVATE_H
#define GRANT_PRIVATE_H

#include <hv/continuation.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hvabi/grant_table.h>

#define MAX_GRANT_FRAMES 64	/* Xen's default max_grant_frames */
#define GRANTS_PER_FRAME (PAGE_SIZE / sizeof(struct grant_entry_v1))
#define MAPTRACK_ENTRIES 4096	/* mappings one domain may hold */
#define MAPTRACK_PAGES                                                         \
	(ALIGN_UP(MAPTRACK_ENTRIES * sizeof(struct maptrack), PAGE_SIZE) >>     \
	 PAGE_SHIFT)

struct active_grant {
	uint64_t mfn;		/* valid while pinned */
	uint16_t pin_ro;	/* read-only mappings and copies in progress */
	uint16_t pin_rw;	/* writable ones */
	domid_t domid;		/* the domain that pinned it */
	uint16_t pad;
};

/* One mapping held by this domain; flags 0 = free (next_free links). */
struct maptrack {
	uint64_t host_addr;	/* VA or PTE machine address of the host map */
	uint64_t mfn;
	grant_ref_t ref;	/* in use: the grant; free: next free handle */
	domid_t granter;
	uint16_t flags;		/* GNTMAP_* still mapped */
};

struct grant_table {
	unsigned int nr_frames;
	mfn_t frames[MAX_GRANT_FRAMES];
	struct active_grant *active[MAX_GRANT_FRAMES];
	struct maptrack *maptrack;	/* NULL until the first map */
	uint32_t maptrack_free;		/* head of the free list */
	unsigned int nr_mappings;
};

/* The table of @d (domains with small ids only), or NULL. */
struct grant_table *table_of(const struct domain *d);

static inline bool ref_valid(const struct grant_table *gt, grant_ref_t ref)
{
	return ref < gt->nr_frames * GRANTS_PER_FRAME;
}

static inline struct grant_entry_v1 *shared_entry(struct grant_table *gt,
						  grant_ref_t ref)
{
	return (struct grant_entry_v1 *)mfn_to_virt(
		       gt->frames[ref / GRANTS_PER_FRAME]) +
	       ref % GRANTS_PER_FRAME;
}

/*
 * Pins grant @ref of @rgt for domain @ldom (read-only or writable): a
 * GNTST_ code; on success *mfn is the granted frame. unpin_grant undoes
 * one pin. Neither takes frame references.
 */
int16_t pin_grant(struct grant_table *rgt, grant_ref_t ref, domid_t ldom,
		  bool readonly, uint64_t *mfn);
void unpin_grant(struct grant_table *rgt, grant_ref_t ref, bool readonly);

/* Frame references for a grant of @rd: a GNTST_ code. */
int16_t get_grant_frame(uint64_t mfn, const struct domain *rd, bool readonly);
void put_grant_frame(uint64_t mfn, bool readonly);

/* Each op copied in, done, its status (and outputs) copied back. */
#define GNTTAB_BATCH(type, fn, uop, count)                                     \
	({                                                                     \
		long rc_ = 0;                                                  \
		for (unsigned int i_ = 0; i_ < (count); i_++) {                \
			unsigned long a_ = (uop) + i_ * sizeof(struct type);   \
			struct type op_;                                       \
			if (i_ && i_ % HC_PREEMPT_BATCH == 0) {                \
				hypercall_set_arg(1, a_);                      \
				hypercall_set_arg(2, (count) - i_);            \
				rc_ = hypercall_continue();                    \
				break;                                         \
			}                                                      \
			if (copy_from_guest(&op_, a_, sizeof(op_))) {          \
				rc_ = -EFAULT;                                 \
				break;                                         \
			}                                                      \
			op_.status = fn(&op_);                                 \
			if (copy_to_guest(a_, &op_, sizeof(op_))) {            \
				rc_ = -EFAULT;                                 \
				break;                                         \
			}                                                      \
		}                                                              \
		rc_;                                                           \
	})

long gnttab_map(unsigned long uop, unsigned int count);
long gnttab_unmap(unsigned long uop, unsigned int count);
long gnttab_copy(unsigned long uop, unsigned int count);

#endif
