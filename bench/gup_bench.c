// SPDX-License-Identifier: GPL-2.0
/*
 * gup_bench: what one GUP-fast call costs per page, and what a pagemap
 * read costs per GiB, for `make bench`.
 *
 * gup: for each backing (order-0 pages, 64K mTHP - contpte on arm64 -,
 * PMD THP), each state (fresh: just written, so young and dirty; old:
 * after clear_refs) and each operation (get_user_pages_fast and
 * pin_user_pages_fast through /sys/kernel/debug/gup_test), map a fresh
 * buffer, fault it in, time one benchmark ioctl over it and print
 *   lpt-bench: gup <backing> <state> <op> <ns per page> <large>
 * where <large> says whether the buffer really got large folios.
 * Two callers of pin_user_pages_fast() a user runs, on each backing, fresh:
 *   lpt-bench: gup <backing> fresh uring-register <ns per page> <large>
 * registers the buffer as one io_uring fixed buffer (IORING_REGISTER_BUFFERS,
 * unregistered after), and
 *   lpt-bench: gup <backing> fresh odirect-read <ns per page> <large>
 * reads /dev/nullb0 (null_blk, no data transfer) into it with O_DIRECT.
 * pagemap: map 1 GiB of order-0 pages, fault it in, time a read of its
 * /proc/self/pagemap entries and print
 *   lpt-bench: pagemap 1g read <ms>
 * Every line is printed -r times; bench.sh takes medians across boots. A
 * first, unreported GUP call warms up the emulator.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/io_uring.h>
#include <linux/types.h>

#include "../../../../mm/gup_test.h"	/* from the kernel tree, -I */

#define MiB		(1UL << 20)
#define FOLL_WRITE	0x01		/* enum in linux/mm_types.h */
#define THP		"/sys/kernel/mm/transparent_hugepage"

static size_t psz;

static void die(const char *what)
{
	fprintf(stderr, "gup_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		die(path);
	close(fd);
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static void *map_aligned(size_t len, size_t align)
{
	char *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		die("mmap");
	a = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + len, p + align - a);
	return a;
}

/* KPF_THP of the folio at @addr: 1, 0, or -1 if it cannot be read. */
static int is_large(void *addr)
{
	uint64_t ent, flags;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = pread(fd, &ent, 8, (uintptr_t)addr / psz * 8);
	close(fd);
	if (n != 8 || !(ent & (1ULL << 63)))
		return -1;
	fd = open("/proc/kpageflags", O_RDONLY);
	if (fd < 0)
		return -1;
	n = pread(fd, &flags, 8, (ent & ((1ULL << 55) - 1)) * 8);
	close(fd);
	return n == 8 ? !!(flags & (1ULL << 22)) : -1;
}

enum backing { ORDER0, MTHP64, PMDTHP };
static const char * const backing_name[] = { "order-0", "mthp-64k", "thp-pmd" };

/* Set the THP knobs for @b; false if this kernel cannot do it. */
static int set_backing(enum backing b)
{
	if (b == MTHP64 && !exists(THP "/hugepages-64kB/enabled"))
		return 0;
	if (exists(THP "/hugepages-64kB/enabled"))
		put(THP "/hugepages-64kB/enabled", b == MTHP64 ? "always" : "never");
	if (exists(THP "/hugepages-2048kB/enabled"))
		put(THP "/hugepages-2048kB/enabled", b == PMDTHP ? "inherit" : "never");
	return 1;
}

/* A fresh buffer of @len bytes backed as @b, written, so mapped. */
static char *map_backed(enum backing b, size_t len, int *large)
{
	size_t align = b == PMDTHP ? 2 * MiB : b == MTHP64 ? 64 * 1024 : psz;
	char *buf = map_aligned(len, align);
	size_t i;

	/* mTHP comes from the per-size "always"; NOHUGEPAGE would forbid it. */
	if (b != MTHP64)
		madvise(buf, len, b == PMDTHP ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	for (i = 0; i < len; i += psz)
		buf[i] = 1;
	*large = is_large(buf);
	return buf;
}

static double now_ms(void);

static double gup_once(int gfd, enum backing b, int old, unsigned long cmd,
		       size_t len, unsigned int per_call, int *large)
{
	struct gup_test g;
	char *buf = map_backed(b, len, large);

	if (old)
		put("/proc/self/clear_refs", "1");

	memset(&g, 0, sizeof(g));
	g.addr = (uintptr_t)buf;
	g.size = len;
	g.nr_pages_per_call = per_call;
	g.gup_flags = FOLL_WRITE;
	if (ioctl(gfd, cmd, &g))
		die("gup_test ioctl");
	munmap(buf, len);
	return g.get_delta_usec * 1000.0 / (len / psz);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ns per page of registering a @len-byte buffer as an io_uring fixed buffer. */
static double uring_register_once(enum backing b, size_t len, int *large)
{
	struct io_uring_params p;
	struct iovec iov;
	double t0, t1;
	int fd;

	memset(&p, 0, sizeof(p));
	fd = syscall(__NR_io_uring_setup, 4, &p);
	if (fd < 0)
		die("io_uring_setup");
	iov.iov_base = map_backed(b, len, large);
	iov.iov_len = len;
	t0 = now_ms();
	if (syscall(__NR_io_uring_register, fd, IORING_REGISTER_BUFFERS, &iov, 1))
		die("IORING_REGISTER_BUFFERS");
	t1 = now_ms();
	if (syscall(__NR_io_uring_register, fd, IORING_UNREGISTER_BUFFERS, NULL, 0))
		die("IORING_UNREGISTER_BUFFERS");
	close(fd);
	munmap(iov.iov_base, len);
	return (t1 - t0) * 1e6 / (len / psz);
}

/* ns per page of an O_DIRECT read of @len bytes of /dev/nullb0. */
static double odirect_read_once(enum backing b, size_t len, int *large)
{
	char *buf = map_backed(b, len, large);
	int fd = open("/dev/nullb0", O_RDONLY | O_DIRECT);
	double t0, t1;

	if (fd < 0)
		die("/dev/nullb0 (CONFIG_BLK_DEV_NULL_BLK)");
	t0 = now_ms();
	if (pread(fd, buf, len, 0) != (ssize_t)len)
		die("O_DIRECT read of /dev/nullb0");
	t1 = now_ms();
	close(fd);
	munmap(buf, len);
	return (t1 - t0) * 1e6 / (len / psz);
}

static double pagemap_once(size_t len)
{
	char *buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	size_t n = len / psz, chunk = 65536, off = 0, i, missing = 0;
	uint64_t *ent = malloc(chunk * 8);
	double t0, t1;
	int fd;

	if (buf == MAP_FAILED || !ent)
		die("mmap 1 GiB");
	madvise(buf, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len; i += psz)
		buf[i] = 1;
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		die("/proc/self/pagemap");
	t0 = now_ms();
	while (off < n) {
		size_t want = n - off < chunk ? n - off : chunk;

		if (pread(fd, ent, want * 8, ((uintptr_t)buf / psz + off) * 8) !=
		    (ssize_t)(want * 8))
			die("pagemap read");
		for (i = 0; i < want; i++)
			missing += !(ent[i] >> 63);
		off += want;
	}
	t1 = now_ms();
	close(fd);
	free(ent);
	munmap(buf, len);
	if (missing) {
		fprintf(stderr, "gup_bench: pagemap: %zu of %zu pages not present\n",
			missing, n);
		exit(1);
	}
	return t1 - t0;
}

int main(int argc, char **argv)
{
	static const struct { const char *name; unsigned long cmd; } ops[] = {
		{ "gup-fast", GUP_FAST_BENCHMARK },
		{ "pin-fast", PIN_FAST_BENCHMARK },
	};
	unsigned int per_call = 512;
	int reps = 3, mib = 64, opt, r, old, large, gfd;
	enum backing b;
	double ns;
	size_t o;

	while ((opt = getopt(argc, argv, "r:m:n:")) != -1) {
		switch (opt) {
		case 'r': reps = atoi(optarg); break;
		case 'm': mib = atoi(optarg); break;
		case 'n': per_call = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: %s [-r repeats] [-m MiB] [-n pages per call]\n",
				argv[0]);
			return 2;
		}
	}
	if (reps < 1 || mib < 2 || per_call < 1) {
		fprintf(stderr, "gup_bench: -r, -m (>= 2) and -n must be positive\n");
		return 2;
	}
	psz = sysconf(_SC_PAGESIZE);
	gfd = open("/sys/kernel/debug/gup_test", O_RDWR);
	if (gfd < 0)
		die("/sys/kernel/debug/gup_test (CONFIG_GUP_TEST)");

	/* Warm up: the first GUP call of a boot is slower, whatever it is. */
	set_backing(ORDER0);
	gup_once(gfd, ORDER0, 0, GUP_FAST_BENCHMARK, (size_t)mib * MiB, per_call,
		 &large);
	for (r = 0; r < reps; r++) {
		for (b = ORDER0; b <= PMDTHP; b++) {
			if (!set_backing(b))
				continue;
			for (old = 0; old <= 1; old++)
				for (o = 0; o < 2; o++) {
					ns = gup_once(gfd, b, old, ops[o].cmd,
							     (size_t)mib * MiB, per_call,
							     &large);

					printf("lpt-bench: gup %s %s %s %.1f %d\n",
					       backing_name[b], old ? "old" : "fresh",
					       ops[o].name, ns, large);
				}
			ns = uring_register_once(b, (size_t)mib * MiB, &large);
			printf("lpt-bench: gup %s fresh uring-register %.1f %d\n",
			       backing_name[b], ns, large);
			ns = odirect_read_once(b, (size_t)mib * MiB, &large);
			printf("lpt-bench: gup %s fresh odirect-read %.1f %d\n",
			       backing_name[b], ns, large);
		}
		set_backing(ORDER0);
		printf("lpt-bench: pagemap 1g read %.2f\n",
		       pagemap_once(1024 * MiB));
		fflush(stdout);
	}
	return 0;
}
