// SPDX-License-Identifier: MIT
/*
 * guest-bench: microbenchmarks run inside the Linux guest (hvmode=bench),
 * the same binary on our hypervisor, on Xen 4.17 and on bare QEMU. Every
 * figure is TSC cycles per operation; under QEMU -icount shift=0 the TSC
 * counts executed instructions at 1 GHz, so the figures are deterministic.
 * Prints one "GUESTBENCH <name> <cycles per op>" line per benchmark.
 *
 *   guest-bench           run all benchmarks
 *   guest-bench tsc       print "GUESTBENCH boot_to_init <tsc>" (the first
 *                         command of /init: power-on to /init in cycles)
 *   guest-bench rtc       print "GUESTBENCH boot_rtc <seconds>" from the
 *                         CMOS RTC, to cross-check the TSC (Xen writes
 *                         the TSC while it boots; TCG ignores that)
 *   guest-bench exit      exit at once (the target of the fork+exec test)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <x86intrin.h>

#define PAGE_SIZE 4096UL
#define MIB (1024UL * 1024UL)
/*
 * Where the benchmark mappings go (a hint, 2 MiB aligned): with ASLR's
 * random placement the page-table pages a mapping needs, and so its cost,
 * would change from run to run.
 */
#define MAP_HINT ((void *)(1UL << 36))

static const char self_path[] = "/guest-bench";
static int failures;

static void report(const char *name, uint64_t cycles, unsigned long ops)
{
	printf("GUESTBENCH %s %llu\n", name,
	       (unsigned long long)(cycles / ops));
	fflush(stdout);
}

static void fail(const char *name, const char *why)
{
	printf("GUESTBENCH %s FAIL %s\n", name, why);
	fflush(stdout);
	failures++;
}

/* Waits for @p and returns 0 if it exited with status 0. */
static int reap(pid_t p)
{
	int st;

	if (p < 0 || waitpid(p, &st, 0) != p)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* A raw syscall, so no libc caching can hide the kernel entry. */
static void bench_getpid(void)
{
	const unsigned long n = 100000;
	uint64_t t;

	for (unsigned long i = 0; i < 1000; i++)
		syscall(SYS_getppid);
	t = __rdtsc();
	for (unsigned long i = 0; i < n; i++)
		syscall(SYS_getppid);
	report("syscall_getppid", __rdtsc() - t, n);
}

static void bench_fork_exit(void)
{
	const unsigned long n = 300;
	uint64_t t;

	t = __rdtsc();
	for (unsigned long i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0)
			_exit(0);
		if (reap(p)) {
			fail("fork_exit", "fork or wait failed");
			return;
		}
	}
	report("fork_exit", __rdtsc() - t, n);
}

static void bench_fork_exec(void)
{
	const unsigned long n = 100;
	uint64_t t;

	t = __rdtsc();
	for (unsigned long i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0) {
			execl(self_path, "guest-bench", "exit", (char *)NULL);
			_exit(127);
		}
		if (reap(p)) {
			fail("fork_exec", "fork, exec or wait failed");
			return;
		}
	}
	report("fork_exec", __rdtsc() - t, n);
}

/* One write fault per fresh anonymous page of a 64 MiB mapping. */
static void bench_page_fault(void)
{
	const size_t len = 64 * MIB;
	unsigned long pages = len / PAGE_SIZE;
	char *m;
	uint64_t t;

	m = mmap(MAP_HINT, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		fail("page_fault", "mmap failed");
		return;
	}
	t = __rdtsc();
	for (unsigned long i = 0; i < pages; i++)
		((volatile char *)m)[i * PAGE_SIZE] = 1;
	t = __rdtsc() - t;
	munmap(m, len);
	report("page_fault", t, pages);
}

/*
 * mmap 1 MiB, write its first byte (so a page-table page is allocated and
 * later freed, the PV MMU's work), munmap.
 */
static void bench_mmap_munmap(void)
{
	const unsigned long n = 2000;
	uint64_t t;

	t = __rdtsc();
	for (unsigned long i = 0; i < n; i++) {
		char *m = mmap(MAP_HINT, MIB, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED) {
			fail("mmap_munmap_1m", "mmap failed");
			return;
		}
		*(volatile char *)m = 1;
		if (munmap(m, MIB)) {
			fail("mmap_munmap_1m", "munmap failed");
			return;
		}
	}
	report("mmap_munmap_1m", __rdtsc() - t, n);
}

/* The child echoes each byte back until the pipe closes. */
static void pong(int in, int out)
{
	char c;

	while (read(in, &c, 1) == 1)
		if (write(out, &c, 1) != 1)
			_exit(1);
	_exit(0);
}

/* One round trip: two context switches between two processes. */
static void bench_pipe_pingpong(void)
{
	const unsigned long n = 10000;
	int to[2], from[2];
	uint64_t t = 0;
	pid_t p;
	char c = 'x';

	if (pipe(to) || pipe(from)) {
		fail("pipe_pingpong", "pipe failed");
		return;
	}
	p = fork();
	if (p == 0) {
		close(to[1]);
		close(from[0]);
		pong(to[0], from[1]);
	}
	close(to[0]);
	close(from[1]);
	for (unsigned long i = 0; i < n + 100; i++) {
		if (i == 100)
			t = __rdtsc();
		if (write(to[1], &c, 1) != 1 || read(from[0], &c, 1) != 1)
			break;
	}
	t = __rdtsc() - t;
	close(to[1]);
	if (reap(p) || c != 'x') {
		fail("pipe_pingpong", "the echo process failed");
		close(from[0]);
		return;
	}
	close(from[0]);
	report("pipe_pingpong", t, n);
}

/*
 * The work of one "sysbench cpu" event (sysbench is not in the initramfs):
 * count the primes up to 10000 by trial division.
 */
static unsigned int cpu_event(void)
{
	unsigned int primes = 0;

	for (unsigned int c = 3; c < 10000; c++) {
		unsigned int l;

		for (l = 2; l * l <= c; l++)
			if (c % l == 0)
				break;
		primes += l * l > c;
	}
	return primes;
}

static void bench_cpu(void)
{
	const unsigned long n = 200;
	volatile unsigned int sink;
	uint64_t t;

	t = __rdtsc();
	for (unsigned long i = 0; i < n; i++)
		sink = cpu_event();
	t = __rdtsc() - t;
	if (sink != 1228) {	/* pi(10000) less the prime 2 */
		fail("cpu_primes", "wrong prime count");
		return;
	}
	report("cpu_primes", t, n);
}

#define RTC_PORT 0x70

static unsigned int rtc_read(unsigned int reg)
{
	outb(reg, RTC_PORT);
	return inb(RTC_PORT + 1);
}

static unsigned int bcd(unsigned int v, int binary)
{
	return binary ? v : (v >> 4) * 10 + (v & 15);
}

/*
 * A cross-check of the TSC: with -rtc clock=vm the CMOS RTC counts QEMU's
 * virtual time from power-on, which no hypervisor rewrites. Prints its
 * second of the day (run-bench starts the RTC at midnight).
 */
static void print_boot_rtc(void)
{
	unsigned int s, m, h, bin;

	if (ioperm(RTC_PORT, 2, 1)) {
		printf("GUESTBENCH boot_rtc FAIL ioperm\n");
		return;
	}
	while (rtc_read(0x0a) & 0x80)	/* update in progress */
		;
	bin = rtc_read(0x0b) & 4;
	s = bcd(rtc_read(0x00), bin);
	m = bcd(rtc_read(0x02), bin);
	h = bcd(rtc_read(0x04) & 0x7f, bin);
	printf("GUESTBENCH boot_rtc %u\n", h * 3600 + m * 60 + s);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exit"))
		return 0;
	if (argc > 1 && !strcmp(argv[1], "tsc")) {
		printf("GUESTBENCH boot_to_init %llu\n",
		       (unsigned long long)__rdtsc());
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "rtc")) {
		print_boot_rtc();
		return 0;
	}
	bench_getpid();
	bench_fork_exit();
	bench_fork_exec();
	bench_page_fault();
	bench_mmap_munmap();
	bench_pipe_pingpong();
	bench_cpu();
	printf("GUESTBENCH done %s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
