/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host shim for asm/processor.h (tests/unit only): the real header, with
 * flush_tlb_local() (a CR3 reload) replaced by the fake machine's, which
 * counts calls so that tests can see when the TLB would be flushed.
 */
#ifndef SHIM_ASM_PROCESSOR_H
#define SHIM_ASM_PROCESSOR_H

#define flush_tlb_local hw_flush_tlb_local
#include_next <asm/processor.h>
#undef flush_tlb_local

void flush_tlb_local(void);

#endif
