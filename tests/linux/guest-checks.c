// SPDX-License-Identifier: MIT
/*
 * guest-checks: run inside a Linux PV guest (as /init's child) to check
 * the runtime paths the hypervisor must support: processes, memory,
 * threads, signals, time, and the Xen interfaces Linux exposes. Prints
 * one "LINUXTEST <name> PASS|FAIL [why]" line per check.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
typedef uint16_t domid_t;	/* the UAPI header expects it */
#include <xen/evtchn.h>
#include <xen/gntalloc.h>

static int failures;
static int is_dom0;	/* control_d in /proc/xen/capabilities */
static int has_store;	/* dom0, or a domU started with --xenstore */

static void report(const char *name, int ok, const char *why)
{
	printf("LINUXTEST %s %s%s%s\n", name, ok ? "PASS" : "FAIL",
	       ok ? "" : " ", ok ? "" : why);
	fflush(stdout);
	failures += !ok;
}

/* The contents of a small file, "" if unreadable. */
static void read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : -1;

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

static void check_uname(void)
{
	struct utsname u;

	report("uname", uname(&u) == 0 && !strcmp(u.machine, "x86_64"),
	       "uname failed or not x86_64");
}

static void check_xen_interfaces(void)
{
	struct stat st;

	report("sys_hypervisor", stat("/sys/hypervisor/type", &st) == 0,
	       "/sys/hypervisor/type missing");
	report("proc_xen", stat("/proc/xen", &st) == 0, "/proc/xen missing");
}

static void check_fork_exec(void)
{
	int ok = 1;

	for (int i = 0; i < 1000 && ok; i++) {
		pid_t p = fork();
		int st;

		if (p == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		ok = p > 0 && waitpid(p, &st, 0) == p && WIFEXITED(st) &&
		     WEXITSTATUS(st) == 0;
	}
	report("fork_exec_1000", ok, "a fork/exec/wait failed");
}

static void check_mmap(void)
{
	size_t len = 256UL << 20;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ok = p != MAP_FAILED;

	for (size_t i = 0; ok && i < len; i += 4096)
		p[i] = (unsigned char)(i >> 12);
	for (size_t i = 0; ok && i < len; i += 4096)
		ok = p[i] == (unsigned char)(i >> 12);
	report("mmap_256m", ok && munmap(p, len) == 0, "mmap/touch/munmap");
}

static long counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	for (int i = 0; i < 100000; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return arg;
}

static void check_threads(void)
{
	pthread_t t[4];
	int ok = 1;

	for (int i = 0; i < 4; i++)
		ok &= pthread_create(&t[i], NULL, worker, NULL) == 0;
	for (int i = 0; i < 4; i++)
		ok &= pthread_join(t[i], NULL) == 0;
	report("threads", ok && counter == 400000, "lost updates or errors");
}

/*
 * Remote TLB flushes: a thread on CPU 0 maps one of two pages of a memfd
 * in turn at a fixed address and writes the round number into it first;
 * a thread on CPU 1 reads it through the same mm (caching the
 * translation). Replacing the mapping must flush CPU 1's TLB (PV:
 * MMUEXT_TLB_FLUSH_MULTI); a missing flush reads the other page, which
 * holds the previous round.
 */
#define SHOOT_ROUNDS 2000
static volatile int shoot_round, shoot_seen, shoot_stale;
static volatile unsigned char *volatile shoot_page;

static int pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set) ||
	       sched_getcpu() != cpu;
}

static void *shoot_reader(void *arg)
{
	if (pin_to(1))
		return "cannot run on CPU 1";
	for (int r = 1; r <= SHOOT_ROUNDS; r++) {
		while (shoot_round != r)
			;
		if (shoot_page[0] != (unsigned char)r)
			shoot_stale++;
		shoot_seen = r;
	}
	return arg;
}

static const char *shoot_writer(void)
{
	int fd = memfd_create("shoot", 0);
	unsigned char *both, *fixed;

	if (fd < 0 || ftruncate(fd, 8192) || pin_to(0))
		return "no memfd or cannot run on CPU 0";
	both = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	fixed = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (both == MAP_FAILED || fixed == MAP_FAILED)
		return "mmap of the memfd failed";
	for (int r = 1; r <= SHOOT_ROUNDS; r++) {
		off_t off = (r % 2) * 4096;

		both[off] = (unsigned char)r;
		if (mmap(fixed, 4096, PROT_READ, MAP_SHARED | MAP_FIXED, fd,
			 off) != fixed)
			return "mmap MAP_FIXED failed";
		shoot_page = fixed;
		shoot_round = r;
		while (shoot_seen != r)
			;
	}
	munmap(fixed, 4096);
	munmap(both, 8192);
	close(fd);
	return NULL;
}

/* With hvsmp=N on the kernel command line: N CPUs online, used at once. */
static void check_smp(void)
{
	char cmdline[1024], why[96];
	const char *arg, *err;
	void *rerr = NULL;
	pthread_t t;
	long want, have = sysconf(_SC_NPROCESSORS_ONLN);

	read_small("/proc/cmdline", cmdline, sizeof(cmdline));
	arg = strstr(cmdline, "hvsmp=");
	if (!arg)
		return;
	want = atol(arg + 6);
	snprintf(why, sizeof(why), "%ld CPUs online, want %ld", have, want);
	report("smp_cpus", have == want, why);
	if (want < 2 || have < 2)
		return;
	if (pthread_create(&t, NULL, shoot_reader, NULL)) {
		report("smp_tlb_shootdown", 0, "pthread_create");
		return;
	}
	err = shoot_writer();
	if (err) { /* let the reader finish, whatever it reads */
		shoot_seen = SHOOT_ROUNDS;
		shoot_round = SHOOT_ROUNDS;
	}
	pthread_join(t, &rerr);
	snprintf(why, sizeof(why), "%s%s%d stale reads of %d",
		 err ? err : (rerr ? (const char *)rerr : ""),
		 err || rerr ? "; " : "", shoot_stale, SHOOT_ROUNDS);
	report("smp_tlb_shootdown", !err && !rerr && !shoot_stale, why);
}

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	got_usr1 = sig;
}

static void check_signals(void)
{
	pid_t p;
	int st;

	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	report("signal_handler", got_usr1 == SIGUSR1, "handler not run");
	p = fork();
	if (p == 0) {
		volatile int *bad = (volatile int *)(uintptr_t)getpid();

		bad = (volatile int *)((uintptr_t)bad & 0xff);
		*bad = 1;	/* a low address: segfault on purpose */
		_exit(0);
	}
	report("segfault_child", p > 0 && waitpid(p, &st, 0) == p &&
		       WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
	       "child did not die of SIGSEGV");
}

/*
 * ioperm() (physdev_op set_iobitmap): a child given port 0x80 reads it;
 * without the permission the read is a SIGSEGV.
 */
static int inb_in_child(int grant)
{
	int st;
	pid_t p = fork();

	if (p == 0) {
		if (grant && ioperm(0x80, 1, 1))
			_exit(2);
		(void)inb(0x80);
		_exit(0);
	}
	if (p < 0 || waitpid(p, &st, 0) != p)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void check_ioperm(void)
{
	report("ioperm_inb", inb_in_child(1) == 0,
	       "inb after ioperm(0x80) failed");
	report("no_ioperm_segv", inb_in_child(0) == 128 + SIGSEGV,
	       "inb without ioperm did not SIGSEGV");
}

static void check_time(void)
{
	struct timespec a, b, w;

	clock_gettime(CLOCK_MONOTONIC, &a);
	clock_gettime(CLOCK_REALTIME, &w);
	usleep(200000);
	clock_gettime(CLOCK_MONOTONIC, &b);
	long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	report("time_advances", ms >= 190 && ms < 5000, "sleep(200ms) wrong");
	/* Wallclock from the hypervisor: after 2020-01-01. */
	report("wallclock", w.tv_sec > 1577836800, "wallclock before 2020");
}

/* Hypercalls from dom0 user space through /dev/xen/privcmd. */
struct privcmd_hypercall {
	uint64_t op;
	uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL 0x00305000UL	/* _IOC(NONE, 'P', 0, 48) */

static long privcmd(int fd, uint64_t op, uint64_t a0, uint64_t a1)
{
	struct privcmd_hypercall h = { op, { a0, a1 } };

	return ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * In a domU, Debian's privcmd restricts itself to the domain named by the
 * "target" xenstore key (a device model's guest). A boot-time domU
 * without xenstore (no --xenstore) never learns it: open() must block
 * (interrupted here by an alarm). With xenstore and no target, open()
 * works and every hypercall through it is refused (EPERM).
 */
static void check_privcmd_domu(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	int fd;

	sigaction(SIGALRM, &sa, NULL);
	alarm(has_store ? 10 : 1);
	fd = open("/dev/xen/privcmd", O_RDWR);
	alarm(0);
	if (!has_store) {
		report("privcmd_waits_for_xenstore", fd < 0 && errno == EINTR,
		       "open did not wait for xenstore");
	} else {
		report("privcmd_open", fd >= 0, "open failed or blocked");
		report("privcmd_restricted",
		       fd >= 0 && privcmd(fd, 17, 0, 0) < 0 && errno == EPERM,
		       "a domU without a target may issue hypercalls");
	}
	if (fd >= 0)
		close(fd);
}

static void check_privcmd(void)
{
	int fd;
	long v, maxram;

	if (!is_dom0) {
		check_privcmd_domu();
		return;
	}
	fd = open("/dev/xen/privcmd", O_RDWR);
	report("privcmd_open", fd >= 0, "cannot open /dev/xen/privcmd");
	if (fd < 0)
		return;
	v = privcmd(fd, 17 /* xen_version */, 0 /* XENVER_version */, 0);
	report("privcmd_xen_version", v >= (4L << 16), "version below 4.0");
	maxram = privcmd(fd, 12 /* memory_op */, 2 /* maximum_ram_page */, 0);
	report("privcmd_max_ram_page", maxram > 0x10000,
	       "maximum_ram_page too small or failed");
	close(fd);
}

/* The event-channel device: an unbound port to ourselves, notify, close. */
static void check_evtchn(void)
{
	struct ioctl_evtchn_bind_unbound_port b = { .remote_domain = 0 };
	int fd = open("/dev/xen/evtchn", O_RDWR), port;

	report("evtchn_open", fd >= 0, "cannot open /dev/xen/evtchn");
	if (fd < 0)
		return;
	port = ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b);
	report("evtchn_bind_unbound", port > 0, "no port");
	if (port > 0) {
		struct ioctl_evtchn_notify n = { .port = (unsigned int)port };
		struct ioctl_evtchn_unbind u = { .port = (unsigned int)port };

		report("evtchn_notify",
		       ioctl(fd, IOCTL_EVTCHN_NOTIFY, &n) == 0, "notify failed");
		report("evtchn_unbind",
		       ioctl(fd, IOCTL_EVTCHN_UNBIND, &u) == 0, "unbind failed");
	}
	close(fd);
}

/* gntalloc: share a page of ours (writes our grant table), map it here. */
static void check_gntalloc(void)
{
	struct ioctl_gntalloc_alloc_gref a = { .domid = 0, .flags = 1,
					       .count = 1 };
	int fd = open("/dev/xen/gntalloc", O_RDWR);
	char *p;

	report("gntalloc_open", fd >= 0, "cannot open /dev/xen/gntalloc");
	if (fd < 0)
		return;
	report("gntalloc_alloc", ioctl(fd, IOCTL_GNTALLOC_ALLOC_GREF, &a) == 0,
	       "IOCTL_GNTALLOC_ALLOC_GREF failed");
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)a.index);
	report("gntalloc_map", p != MAP_FAILED && (p[0] = 'x', p[0] == 'x'),
	       "cannot map the granted page");
	if (p != MAP_FAILED)
		munmap(p, 4096);
	close(fd);
}

/*
 * dom0: xenbus waits for a local xenstore, its ring's port is set up.
 * A domU (no SIF_INITDOMAIN): not the control domain, and no local store
 * files (our boot-time domUs get no xenstore ring: xenbus stays local).
 */
static void check_role(void)
{
	char port[32];
	struct stat st;

	if (is_dom0) {
		read_small("/proc/xen/xsd_port", port, sizeof(port));
		report("xenbus_local_port", atoi(port) > 0,
		       "/proc/xen/xsd_port missing or 0");
	} else {
		report("domu_unprivileged",
		       stat("/proc/xen/xsd_port", &st) != 0 &&
		       stat("/proc/xen/capabilities", &st) == 0,
		       "dom0-only files in a domU, or no xenfs");
	}
}

int main(int argc, char **argv)
{
	char caps[64];

	read_small("/proc/xen/capabilities", caps, sizeof(caps));
	is_dom0 = strstr(caps, "control_d") != NULL;
	has_store = is_dom0 || (argc > 1 && !strcmp(argv[1], "--xenstore"));
	check_uname();
	check_xen_interfaces();
	check_fork_exec();
	check_mmap();
	check_threads();
	check_smp();
	check_signals();
	check_time();
	check_ioperm();
	check_privcmd();
	check_evtchn();
	check_gntalloc();
	check_role();
	printf("LINUXDONE %d failed\n", failures);
	return failures != 0;
}
