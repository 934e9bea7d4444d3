/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grant tables (common/grant/) as other subsystems see them.
 */
#ifndef HV_GRANT_H
#define HV_GRANT_H

struct domain;

/*
 * Drops every grant mapping @d holds of other domains' (or its own)
 * grants: frame references, pins (clearing the granters' GTF_reading/
 * GTF_writing), handles. For domain teardown, once @d's page tables are
 * gone (their grant entries hold no references of their own).
 */
void gnttab_release_mappings(struct domain *d);
/*
 * Domain destruction: releases @d's mappings (above), its shared grant
 * frames (a frame another domain still maps lives until unmapped) and the
 * table itself. Other domains' mappings of its grants stay valid until
 * they unmap them.
 */
void gnttab_domain_destroy(struct domain *d);

#endif
