/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the lpt_dma tests: device access, /proc counters and
 * the memory backings (anon 4K, PMD THP, 64K mTHP, hugetlb 2M).
 */
#ifndef LPT_TEST_H
#define LPT_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kselftest.h"
#include "lpt_dma_uapi.h"

#ifndef MADV_HUGEPAGE
#define MADV_HUGEPAGE	14
#endif
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif
#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB	(21 << MAP_HUGE_SHIFT)
#endif

#define LPT_PAGE	4096UL
#define LPT_PMD		(2UL << 20)

static inline size_t lpt_pagesize(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/*
 * Open the device. These tests exist to exercise lpt_dma.ko: without it
 * they fail (a skip would let a failed insmod pass unnoticed).
 */
static inline int lpt_open(void)
{
	int fd = open(LPT_DMA_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		ksft_exit_fail_msg("cannot open %s (%s): insmod lpt_dma.ko first\n",
				   LPT_DMA_DEVICE, strerror(errno));
	return fd;
}

/* Module-wide count of pages pinned right now, -1 on error. */
static inline long lpt_pinned_pages(void)
{
	struct lpt_dma_info info;
	int fd = open(LPT_DMA_DEVICE, O_RDWR | O_CLOEXEC);
	long ret = -1;

	if (fd < 0)
		return -1;
	if (!ioctl(fd, LPT_DMA_INFO, &info))
		ret = (long)info.pinned_pages;
	close(fd);
	return ret;
}

static inline int lpt_pin(int fd, void *addr, size_t len, uint64_t flags)
{
	struct lpt_dma_pin pin = {
		.addr = (uintptr_t)addr, .len = len, .flags = flags,
	};

	return ioctl(fd, LPT_DMA_PIN, &pin);
}

static inline int lpt_read(int fd, uint64_t index, uint64_t offset,
			   struct lpt_dma_rw *rw)
{
	memset(rw, 0, sizeof(*rw));
	rw->index = index;
	rw->offset = offset;
	return ioctl(fd, LPT_DMA_READ, rw);
}

static inline int lpt_write_word(int fd, uint64_t index, uint64_t offset,
				 uint64_t word)
{
	struct lpt_dma_rw rw = { .index = index, .offset = offset, .word = word };

	return ioctl(fd, LPT_DMA_WRITE_WORD, &rw);
}

/* The word at byte @off of the 4K page @idx of @base, as the CPU sees it. */
static inline uint64_t *lpt_word(void *base, size_t idx, size_t off)
{
	return (uint64_t *)((char *)base + idx * lpt_pagesize() + off);
}

static inline uint64_t lpt_load(void *base, size_t idx, size_t off)
{
	/* The device may change it at any time: a real load every time. */
	return __atomic_load_n(lpt_word(base, idx, off), __ATOMIC_RELAXED);
}

static inline void lpt_store(void *base, size_t idx, size_t off, uint64_t v)
{
	__atomic_store_n(lpt_word(base, idx, off), v, __ATOMIC_RELAXED);
}

static inline uint64_t lpt_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Fold per-cpu vmstat deltas so /proc/vmstat is exact (needs root). */
static inline void lpt_stat_refresh(void)
{
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);

	if (fd >= 0) {
		ssize_t n = write(fd, "1", 1);

		(void)n;	/* best effort: counters may lag a little */
		close(fd);
	}
}

/* A counter of /proc/vmstat or /proc/meminfo ("Name:" form), -1 if absent. */
static inline long lpt_proc_counter(const char *file, const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long val = -1;
	FILE *f = fopen(file, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) &&
		    (line[klen] == ' ' || line[klen] == ':')) {
			val = strtol(line + klen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

/* pinned = acquired - released of FOLL_PIN, system wide; -1 if unknown. */
static inline long lpt_foll_pins_outstanding(void)
{
	long acq, rel;

	lpt_stat_refresh();
	acq = lpt_proc_counter("/proc/vmstat", "nr_foll_pin_acquired");
	rel = lpt_proc_counter("/proc/vmstat", "nr_foll_pin_released");
	if (acq < 0 || rel < 0)
		return -1;
	return acq - rel;
}

/* Wait up to @ms for outstanding FOLL_PIN pins to reach @want. */
static inline long lpt_wait_foll_pins(long want, int ms)
{
	long now = lpt_foll_pins_outstanding();

	while (now != want && ms-- > 0) {
		usleep(1000);
		now = lpt_foll_pins_outstanding();
	}
	return now;
}

/* PFN mapped at @addr (root only: pagemap hides PFNs otherwise). */
static inline int lpt_pfn(void *addr, uint64_t *pfn)
{
	uint64_t ent;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = pread(fd, &ent, sizeof(ent),
		  (off_t)((uintptr_t)addr / lpt_pagesize() * sizeof(ent)));
	close(fd);
	if (n != sizeof(ent) || !(ent & (1ULL << 63)))
		return -1;
	*pfn = ent & ((1ULL << 55) - 1);
	return *pfn ? 0 : -1;
}

/* KPF_THP of the folio mapped at @addr: 1, 0, or -1 if unknown. */
static inline int lpt_is_thp(void *addr)
{
	uint64_t pfn, flags;
	int fd;
	ssize_t n;

	if (lpt_pfn(addr, &pfn))
		return -1;
	fd = open("/proc/kpageflags", O_RDONLY);
	if (fd < 0)
		return -1;
	n = pread(fd, &flags, sizeof(flags), (off_t)(pfn * sizeof(flags)));
	close(fd);
	if (n != sizeof(flags))
		return -1;
	return !!(flags & (1ULL << 22));	/* KPF_THP */
}

/* @len bytes at @addr are one physically contiguous THP. */
static inline bool lpt_is_thp_of(void *addr, size_t len)
{
	uint64_t first, last;

	if (lpt_is_thp(addr) != 1)
		return false;
	if (lpt_pfn(addr, &first) ||
	    lpt_pfn((char *)addr + len - lpt_pagesize(), &last))
		return false;
	return last - first == len / lpt_pagesize() - 1;
}

/* Map @len bytes aligned to @align (anonymous, private, populated later). */
static inline void *lpt_map_aligned(size_t len, size_t align)
{
	char *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + len, p + align - a);
	return a;
}

static inline long lpt_read_long(const char *path)
{
	char buf[64];
	long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		v = strtol(buf, NULL, 10);
	fclose(f);
	return v;
}

#endif /* LPT_TEST_H */
