/* SPDX-License-Identifier: MIT */
/*
 * The PV test-kernel library: console and formatting, boot information,
 * the report API, exception capture and guest user mode. A test kernel is
 * tests/guest/<name>/main.c defining test_main() and TEST_CATEGORY().
 */
#ifndef PVTEST_LIB_H
#define PVTEST_LIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <hvabi/xen.h>
#include <hvabi/errno.h>
#include <hvabi/sched.h>
#include <hvabi/version.h>
#include <hvabi/callback.h>
#include "hypercall.h"

#define VIRT_BASE 0xffffffff80000000ULL
#define PAGE_SIZE 4096UL
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __noreturn __attribute__((noreturn))

/* Addresses no hypercall may accept as a buffer. */
#define BAD_PTR_HOLE 0xffff830000000000ULL	/* inside the hypervisor hole */
#define BAD_PTR_NONCANON 0x8000000000000000ULL	/* non-canonical */
#define BAD_PTR_UNMAPPED 0x0000000000400000ULL	/* canonical, never mapped */

/* ---- string.c -------------------------------------------------------- */
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
const char *strstr(const char *hay, const char *needle);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* ---- printf.c / console.c ---------------------------------------------*/
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
/* Formats and writes through console_io(CONSOLEIO_write). */
void printk(const char *fmt, ...) __printf(1, 2);
void console_write(const char *s, size_t len);
/* A domU's console input ring: bytes read (0 for the initial domain). */
size_t console_read_ring(char *buf, size_t size);

/* ---- start.c: boot information ----------------------------------------*/
/* Registers at _start, as the domain builder left them (head.S). */
struct boot_entry {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t cs, ss, ds, es, fs, gs;	/* low 16 bits written */
	uint64_t rflags;
};
extern struct boot_entry boot_entry;
extern struct start_info *start_info;
/* Mapped by lib_start with update_va_mapping; NULL when that failed. */
extern struct shared_info *shared_info;
extern long shared_info_map_rc;
/* Value of "key=value" on the kernel command line into buf, or NULL. */
const char *cmdline_value(const char *key, char *buf, size_t size);
bool cmdline_has(const char *word);
/* Machine frame of a page of the initial region (p2m lookup). */
uint64_t virt_to_mfn(const void *va);
/* SCHEDOP_shutdown with the reason; returns only if the call fails. */
long shutdown(unsigned int reason);

/* ---- report.c -----------------------------------------------------------
 * Each case prints one line `TEST <suite>/<case> <STATUS> [reason]`.
 * Meanings (as XTF's): PASS the property holds; FAIL the hypervisor
 * misbehaved; ERROR the test itself could not run as intended (setup
 * failed unexpectedly); SKIP the property does not apply here.
 * A case's status is the worst one reported, FAIL > ERROR > SKIP > PASS.
 */
enum test_status { ST_PASS, ST_SKIP, ST_ERROR, ST_FAIL };

void run_case(const char *name, void (*fn)(void));
void fail(const char *fmt, ...) __printf(1, 2);
void error(const char *fmt, ...) __printf(1, 2);
void skip(const char *fmt, ...) __printf(1, 2);
/* Prints `PANIC <suite>: why` and crashes the domain. */
void __noreturn lib_panic_msg(const char *why);
/* Ends the current case at once (after fail/error/skip). */
void __noreturn case_abort(void);

#define CHECK(cond, fmt, ...)                                               \
	do {                                                                 \
		if (!(cond))                                                 \
			fail("line %d: " fmt, __LINE__, ##__VA_ARGS__);      \
	} while (0)
#define CHECK_EQ(got, want)                                                  \
	do {                                                                 \
		uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);        \
		if (g_ != w_)                                                \
			fail("line %d: %s = %#lx, want %#lx", __LINE__, #got, \
			     g_, w_);                                        \
	} while (0)
#define CHECK_RC(expr, want)                                                 \
	do {                                                                 \
		long r_ = (long)(expr), w_ = (long)(want);                   \
		if (r_ != w_)                                                \
			fail("line %d: %s returned %ld, want %ld", __LINE__,  \
			     #expr, r_, w_);                                 \
	} while (0)

/* Each test kernel defines these. */
extern const char test_suite[];
extern const char test_category[];
void test_main(void);
#define PVTEST_STR_(x) #x
#define PVTEST_STR(x) PVTEST_STR_(x)
/* The suite name is the directory name, passed by the build as TEST_NAME. */
#define TEST_CATEGORY(c)                                                     \
	const char test_suite[] = PVTEST_STR(TEST_NAME);                     \
	const char test_category[] = #c

/* ---- traps.c: exception capture -----------------------------------------
 * traps_init() installs a handler for vectors 0-31 and 0x80 (DPL 3 for
 * 3, 4, 5 and 0x80). Every bounce is recorded in last_trap. A fault at an
 * instruction listed with ASM_EXTABLE(from, to) resumes at `to`; so does a
 * trap whose frame RIP equals `from`. Any other exception fails the
 * current case and aborts it. Faults in guest user mode end user_run().
 */
struct trap_record {
	uint64_t vector;
	uint64_t error_code;	/* 0 when the vector has none */
	uint64_t frame_addr;	/* guest RSP at handler entry */
	uint64_t rcx, r11, rip, cs, rflags, rsp, ss;
	uint64_t count;		/* bounces since trap_clear() */
	uint64_t upcall_mask;	/* in the handler; ~0 without shared_info */
	uint64_t r12, r13, r14, r15;	/* GPRs at handler entry */
};

extern struct trap_record last_trap;
long traps_init(void);
/* Re-registers one vector with trap_info flags (DPL | TI_MASK_EVENTS). */
long trap_set_flags(unsigned int vector, uint8_t flags);
void trap_clear(void);
bool vector_has_error_code(unsigned int vector);

#define ASM_EXTABLE(from, to)                                                \
	".pushsection .ex_table, \"a\"\n\t"                                  \
	".balign 8\n\t"                                                      \
	".quad " #from ", " #to "\n\t"                                       \
	".popsection\n\t"

/* ---- events.c / event-entry.S: event channels and time ------------------
 * events_init() registers the event callback; each upcall scans the
 * 2-level bitmaps (through lib_vcpu_info, which a test moves after
 * VCPUOP_register_vcpu_info), clears and counts every pending unmasked
 * port. events_enable() clears the upcall mask and, if an upcall is
 * pending, asks for it with xen_version(0), as Linux does.
 */
extern volatile uint64_t upcall_count;
extern volatile uint32_t event_count[4096];
extern volatile uint32_t last_event_port;
extern struct vcpu_info *lib_vcpu_info;
long events_init(void);
void events_enable(void);
void events_disable(void);
void port_mask(uint32_t port, bool masked);
bool port_pending(uint32_t port);
void port_clear(uint32_t port);
/* System time in ns from a vcpu_time_info (version protocol). */
uint64_t pvclock_read_info(const volatile struct vcpu_time_info *t);
uint64_t pvclock_read(void);
long evtchn_bind_virq_port(uint32_t virq, uint32_t vcpu, uint32_t *port);
long evtchn_bind_ipi_port(uint32_t vcpu, uint32_t *port);
long evtchn_send_port(uint32_t port);
long evtchn_close_port(uint32_t port);

/* ---- user.c / user.S: guest user mode -----------------------------------
 * user_mode_init() sets the user page table to the current L4 and the
 * syscall callback. user_run() enters user mode at rip with rsp and
 * returns the user's rax at its `syscall`, or USER_FAULTED when an
 * exception ended user mode (see last_trap). last_syscall holds the
 * syscall callback frame.
 */
#define USER_FAULTED 0xdead0000fa17ULL

struct syscall_record {
	uint64_t rcx, r11, rip, cs, rflags, rsp, ss;
	uint64_t rax, rdi, frame_addr;
};

extern struct syscall_record last_syscall;
long user_mode_init(void);
uint64_t user_run(uint64_t rip, uint64_t rsp, uint64_t rdi);

#endif
