/* SPDX-License-Identifier: MIT */
/* Interfaces between the library's own files; tests do not use these. */
#ifndef PVTEST_PRIVATE_H
#define PVTEST_PRIVATE_H

#include "lib.h"

struct jmp_buf {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};

int pv_setjmp(struct jmp_buf *buf);
void __noreturn pv_longjmp(struct jmp_buf *buf, uint64_t val);

/* report.c */
bool case_running(void);
uint64_t case_abort_stack(void);
void report_summary(void);
void __noreturn lib_panic(const char *why);

/* user mode (entry.S): kernel rsp saved by user_run, 0 when not in it */
extern uint64_t user_kernel_rsp;

#endif
