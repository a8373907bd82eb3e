// SPDX-License-Identifier: GPL-2.0
/*
 * fork_pinned: a long-term pinned private anonymous range must stay the
 * device's and the parent's across fork(), for every backing an anonymous
 * range can have (4K pages, PMD THP, 64K mTHP, hugetlb 2M).
 *
 * The parent pins the range through /dev/lpt_dma and starts the emulated
 * DMA engine, which keeps writing an increasing sequence number into every
 * pinned page. fork() must give the child its own copy of pinned pages
 * (folio_needs_cow_for_dma()), so:
 *  - the parent keeps seeing the device's writes, and the device sees the
 *    parent's writes (both directions are checked after every fork);
 *  - the child's copy is a snapshot taken at fork: its sequence numbers
 *    never move, device writes made after the fork never show up in it;
 *  - what the child writes never reaches the device;
 *  - with MADV_DONTFORK the child has no mapping there at all.
 * One KTAP line per backing and property; a backing the kernel or the VM
 * cannot provide is reported as SKIP with the reason.
 *
 * A control run on a MAP_SHARED range, where parent, child and device share
 * the pages by design, must trip the child-side checks: it shows that they
 * detect a child sharing the device's pages, which is what a private range
 * would look like if fork() stopped copying maybe-pinned pages.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <sys/wait.h>

#include "lpt_test.h"

/* Byte offsets inside every 4K page, all past the device header. */
#define OFF_PRE		512	/* parent writes before fork */
#define OFF_CHILD	768	/* child writes after fork */
#define OFF_PARENT	1024	/* parent writes after fork, device reads */
#define OFF_DEV		1280	/* device writes after fork, parent reads */

#define CHILD_MARK	0xc41d000000000000ULL
#define ADVANCE_MS	3000

/* Child exit status bits. */
#define CH_COPY		0x01	/* pre-fork contents missing */
#define CH_FROZEN	0x02	/* a sequence number moved */
#define CH_DEVWRITE	0x04	/* a device write after fork became visible */
#define CH_OWN		0x08	/* the child's own write did not stick */
#define CH_PIPE		0x10

enum prop { P_PARENT, P_CHILD_FROZEN, P_CHILD_WRITE, P_DONTFORK, NR_PROPS };

static const char * const prop_names[NR_PROPS] = {
	[P_PARENT]	 = "parent_and_device_stay_coherent_after_fork",
	[P_CHILD_FROZEN] = "child_copy_frozen_at_fork",
	[P_CHILD_WRITE]	 = "child_writes_do_not_reach_device",
	[P_DONTFORK]	 = "dontfork_range_absent_in_child",
};

struct region {
	void *base;
	size_t len;
	bool hugetlb;
	char mthp_saved[32];	/* mTHP "enabled" setting to restore */
};

struct backing {
	const char *name;
	/* 0 on success, else fills @why with the reason to skip. */
	int (*setup)(struct region *r, char *why, size_t n);
};

static int nforks = 20;
static size_t psz;
/* The mTHP setting to put back if a signal ends the test early. */
static char mthp_restore[32];

static int setup_anon(struct region *r, char *why, size_t n)
{
	r->len = 16 * psz;
	r->base = mmap(NULL, r->len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->base == MAP_FAILED) {
		snprintf(why, n, "mmap: %s", strerror(errno));
		return -1;
	}
	madvise(r->base, r->len, MADV_NOHUGEPAGE);
	memset(r->base, 0, r->len);
	return 0;
}

static int setup_thp(struct region *r, char *why, size_t n)
{
	r->len = LPT_PMD;
	r->base = lpt_map_aligned(r->len, LPT_PMD);
	if (!r->base) {
		snprintf(why, n, "mmap: %s", strerror(errno));
		return -1;
	}
	if (madvise(r->base, r->len, MADV_HUGEPAGE)) {
		snprintf(why, n, "MADV_HUGEPAGE: %s (no THP?)", strerror(errno));
		return -1;
	}
	memset(r->base, 0, r->len);
	if (!lpt_is_thp_of(r->base, r->len)) {
		snprintf(why, n, "no PMD THP after MADV_HUGEPAGE (THP disabled or memory fragmented)");
		return -1;
	}
	return 0;
}

#define MTHP64 "/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled"

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static int setup_mthp64(struct region *r, char *why, size_t n)
{
	char buf[128], *l, *e;
	FILE *f = fopen(MTHP64, "r");

	if (!f) {
		snprintf(why, n, "%s missing (no 64K mTHP on this kernel/arch)", MTHP64);
		return -1;
	}
	l = fgets(buf, sizeof(buf), f) ? strchr(buf, '[') : NULL;
	fclose(f);
	e = l ? strchr(l, ']') : NULL;
	if (!e) {
		snprintf(why, n, "cannot parse %s", MTHP64);
		return -1;
	}
	*e = 0;
	snprintf(r->mthp_saved, sizeof(r->mthp_saved), "%s", l + 1);
	memcpy(mthp_restore, r->mthp_saved, sizeof(mthp_restore));
	if (write_str(MTHP64, "always")) {
		r->mthp_saved[0] = 0;
		snprintf(why, n, "cannot enable 64K mTHP: %s", strerror(errno));
		return -1;
	}

	/* 256K, 64K aligned: room for 64K folios, never for a PMD one. */
	r->len = 4 * 65536;
	r->base = lpt_map_aligned(r->len, 65536);
	if (!r->base) {
		snprintf(why, n, "mmap: %s", strerror(errno));
		return -1;
	}
	memset(r->base, 0, r->len);
	if (!lpt_is_thp_of(r->base, 65536)) {
		snprintf(why, n, "no 64K mTHP after enabling it (memory fragmented?)");
		return -1;
	}
	return 0;
}

static int setup_hugetlb(struct region *r, char *why, size_t n)
{
	long nfree = lpt_read_long("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages");

	/* One for the parent, one for the child's copy at fork. */
	if (nfree < 2) {
		snprintf(why, n, "need 2 free 2M hugetlb pages, have %ld", nfree);
		return -1;
	}
	r->len = LPT_PMD;
	r->base = mmap(NULL, r->len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB,
		       -1, 0);
	if (r->base == MAP_FAILED) {
		r->base = NULL;
		snprintf(why, n, "mmap(MAP_HUGETLB): %s", strerror(errno));
		return -1;
	}
	r->hugetlb = true;
	memset(r->base, 0, r->len);
	return 0;
}

static void restore_on_signal(int sig)
{
	if (mthp_restore[0])
		write_str(MTHP64, mthp_restore);
	_exit(KSFT_FAIL);
}

static void teardown(struct region *r)
{
	if (r->base)
		munmap(r->base, r->len);
	if (r->mthp_saved[0] && write_str(MTHP64, r->mthp_saved))
		ksft_print_msg("could not restore %s to %s\n", MTHP64, r->mthp_saved);
	mthp_restore[0] = 0;
}

static bool wait_advance(void *base, size_t idx, uint64_t from)
{
	int ms;

	for (ms = 0; ms < ADVANCE_MS; ms++) {
		if (lpt_load(base, idx, LPT_DMA_HDR_SEQ) > from)
			return true;
		usleep(1000);
	}
	return lpt_load(base, idx, LPT_DMA_HDR_SEQ) > from;
}

static uint64_t pre_tag(int fork_nr, size_t idx)
{
	return 0x9e00000000000000ULL | ((uint64_t)fork_nr << 24) | idx;
}

/*
 * The child: snapshot what it sees, let the parent run its checks (the
 * device keeps writing meanwhile), then verify nothing moved.
 */
static int child(struct region *r, size_t npages, int fork_nr, int rfd, int wfd)
{
	uint64_t *seq = calloc(npages, sizeof(*seq));
	int res = 0;
	size_t i;
	char c = 0;

	if (!seq)
		return CH_PIPE;
	for (i = 0; i < npages; i++) {
		seq[i] = lpt_load(r->base, i, LPT_DMA_HDR_SEQ);
		if (lpt_load(r->base, i, OFF_PRE) != pre_tag(fork_nr, i))
			res |= CH_COPY;
		if (lpt_load(r->base, i, OFF_DEV) != 0)
			res |= CH_COPY;
	}
	usleep(20000);
	for (i = 0; i < npages; i++) {
		if (lpt_load(r->base, i, LPT_DMA_HDR_SEQ) != seq[i])
			res |= CH_FROZEN;
		lpt_store(r->base, i, OFF_CHILD, CHILD_MARK | ((uint64_t)fork_nr << 24) | i);
	}
	/* Parent now checks the device side and makes the device write. */
	if (write(wfd, &c, 1) != 1 || read(rfd, &c, 1) != 1)
		res |= CH_PIPE;
	for (i = 0; i < npages; i++) {
		if (lpt_load(r->base, i, LPT_DMA_HDR_SEQ) != seq[i])
			res |= CH_FROZEN;
		if (lpt_load(r->base, i, OFF_DEV) != 0)
			res |= CH_DEVWRITE;
		if (lpt_load(r->base, i, OFF_CHILD) !=
		    (CHILD_MARK | ((uint64_t)fork_nr << 24) | i))
			res |= CH_OWN;
	}
	free(seq);
	return res;
}

/* Parent side of one fork; returns the number of failed checks per prop. */
static void one_fork(int fd, struct region *r, size_t npages, int fork_nr,
		     int fails[NR_PROPS])
{
	int p2c[2], c2p[2], status;
	size_t i, k = (size_t)fork_nr * 37 % npages;
	struct lpt_dma_rw rw;
	uint64_t s, v;
	pid_t pid;
	char c = 0;

	for (i = 0; i < npages; i++) {
		lpt_store(r->base, i, OFF_PRE, pre_tag(fork_nr, i));
		lpt_store(r->base, i, OFF_CHILD, 0);
		lpt_store(r->base, i, OFF_DEV, 0);
	}
	if (pipe(p2c) || pipe(c2p))
		ksft_exit_fail_perror("pipe");

	pid = fork();
	if (pid < 0)
		ksft_exit_fail_perror("fork");
	if (!pid) {
		close(p2c[1]);
		close(c2p[0]);
		_exit(child(r, npages, fork_nr, p2c[0], c2p[1]));
	}
	close(p2c[0]);
	close(c2p[1]);

	/* Parent: still sees the device, and the device still sees it. */
	s = lpt_load(r->base, k, LPT_DMA_HDR_SEQ);
	if (!wait_advance(r->base, k, s)) {
		ksft_print_msg("fork %d: page %zu: parent seq stuck at %llu\n",
			       fork_nr, k, (unsigned long long)s);
		fails[P_PARENT]++;
	}
	v = 0x9a00000000000000ULL | ((uint64_t)fork_nr << 24) | k;
	lpt_store(r->base, k, OFF_PARENT, v);
	if (lpt_read(fd, k, OFF_PARENT, &rw) || rw.word != v ||
	    rw.page_index != k) {
		ksft_print_msg("fork %d: page %zu: device read %#llx, parent wrote %#llx\n",
			       fork_nr, k, (unsigned long long)rw.word,
			       (unsigned long long)v);
		fails[P_PARENT]++;
	}

	/* Child has written its markers: the device must not see them. */
	if (read(c2p[0], &c, 1) != 1) {
		fails[P_CHILD_WRITE]++;
	} else {
		for (i = 0; i < npages; i++) {
			if (lpt_read(fd, i, OFF_CHILD, &rw) || rw.word != 0) {
				ksft_print_msg("fork %d: page %zu: device sees child write %#llx\n",
					       fork_nr, i,
					       (unsigned long long)rw.word);
				fails[P_CHILD_WRITE]++;
				break;
			}
		}
	}

	/* Device writes after the fork: parent sees them, child must not. */
	for (i = 0; i < npages; i++)
		lpt_write_word(fd, i, OFF_DEV, 0xde00000000000000ULL | i);
	for (i = 0; i < npages; i++) {
		if (lpt_load(r->base, i, OFF_DEV) != (0xde00000000000000ULL | i)) {
			ksft_print_msg("fork %d: page %zu: parent misses device write\n",
				       fork_nr, i);
			fails[P_PARENT]++;
			break;
		}
	}
	s = lpt_load(r->base, k, LPT_DMA_HDR_SEQ);
	if (!wait_advance(r->base, k, s))
		fails[P_PARENT]++;

	if (write(p2c[1], &c, 1) != 1)
		fails[P_CHILD_FROZEN]++;
	close(p2c[1]);
	close(c2p[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		ksft_print_msg("fork %d: child died (status %#x)\n", fork_nr, status);
		fails[P_CHILD_FROZEN]++;
		return;
	}
	status = WEXITSTATUS(status);
	if (status)
		ksft_print_msg("fork %d: child reports%s%s%s%s%s\n", fork_nr,
			       status & CH_COPY ? " missing-pre-fork-data" : "",
			       status & CH_FROZEN ? " seq-advanced-in-child" : "",
			       status & CH_DEVWRITE ? " device-write-visible-in-child" : "",
			       status & CH_OWN ? " own-write-lost" : "",
			       status & CH_PIPE ? " pipe-error" : "");
	if (status & (CH_COPY | CH_FROZEN | CH_DEVWRITE | CH_PIPE))
		fails[P_CHILD_FROZEN]++;
	if (status & CH_OWN)
		fails[P_CHILD_WRITE]++;
}

static sigjmp_buf segv_jmp;

static void segv_handler(int sig)
{
	siglongjmp(segv_jmp, 1);
}

static bool maps_cover(void *addr)
{
	unsigned long a = (unsigned long)addr, lo, hi;
	char line[512];
	bool found = false;
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return true;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && a >= lo && a < hi)
			found = true;
	fclose(f);
	return found;
}

/* 0: pass, >0: failure, <0: could not run (reason printed). */
static int check_dontfork(struct region *r)
{
	struct sigaction sa = { .sa_handler = segv_handler };
	int status, ret = 0;
	uint64_t s;
	pid_t pid;

	if (madvise(r->base, r->len, MADV_DONTFORK)) {
		ksft_print_msg("MADV_DONTFORK: %s\n", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_perror("fork");
	if (!pid) {
		sigaction(SIGSEGV, &sa, NULL);
		if (maps_cover(r->base))
			_exit(2);
		if (!sigsetjmp(segv_jmp, 1)) {
			(void)lpt_load(r->base, 0, LPT_DMA_HDR_SEQ);
			_exit(3);	/* readable: the range was inherited */
		}
		_exit(0);
	}
	s = lpt_load(r->base, 0, LPT_DMA_HDR_SEQ);
	if (!wait_advance(r->base, 0, s)) {
		ksft_print_msg("dontfork: parent lost the device\n");
		ret = 1;
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		ksft_print_msg("dontfork: child status %#x (2: range in maps, 3: readable)\n",
			       status);
		ret = 1;
	}
	madvise(r->base, r->len, MADV_DOFORK);
	return ret;
}

static void run_backing(const struct backing *b)
{
	int fails[NR_PROPS] = { 0 };
	struct region r = { 0 };
	char why[256] = "";
	size_t npages;
	int p, i, fd, d;

	if (b->setup(&r, why, sizeof(why))) {
		for (p = 0; p < NR_PROPS; p++)
			ksft_test_result_skip("%s_%s: %s\n", b->name, prop_names[p], why);
		teardown(&r);
		return;
	}
	npages = r.len / psz;

	fd = lpt_open();
	if (lpt_pin(fd, r.base, r.len, 0) || ioctl(fd, LPT_DMA_START)) {
		snprintf(why, sizeof(why), "pin/start: %s", strerror(errno));
		goto fail_all;
	}
	if (!wait_advance(r.base, 0, 0) || !wait_advance(r.base, npages - 1, 0)) {
		snprintf(why, sizeof(why), "device writes never reached the parent");
		goto fail_all;
	}

	for (i = 0; i < nforks; i++)
		one_fork(fd, &r, npages, i, fails);
	d = check_dontfork(&r);

	for (p = 0; p < P_DONTFORK; p++)
		ksft_test_result(!fails[p], "%s_%s\n", b->name, prop_names[p]);
	if (d < 0)
		ksft_test_result_skip("%s_%s: madvise failed\n", b->name,
				      prop_names[P_DONTFORK]);
	else
		ksft_test_result(!d, "%s_%s\n", b->name, prop_names[P_DONTFORK]);
	ksft_print_msg("%s: %d forks, %zu pages pinned\n", b->name, nforks, npages);
	close(fd);
	teardown(&r);
	return;

fail_all:
	for (p = 0; p < NR_PROPS; p++)
		ksft_test_result_fail("%s_%s: %s\n", b->name, prop_names[p], why);
	close(fd);
	teardown(&r);
}

/*
 * Control: in a shared mapping the child legitimately sees device writes and
 * the device sees the child's writes. The detectors must fire here.
 */
static void run_control(void)
{
	int fails[NR_PROPS] = { 0 };
	size_t npages = 16;
	struct region r = { .len = npages * psz };
	int i, fd;

	r.base = mmap(NULL, r.len, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r.base == MAP_FAILED) {
		ksft_test_result_skip("control_shared_mapping_detectors_fire: mmap: %s\n",
				      strerror(errno));
		return;
	}
	memset(r.base, 0, r.len);
	fd = lpt_open();
	if (lpt_pin(fd, r.base, r.len, 0) || ioctl(fd, LPT_DMA_START) ||
	    !wait_advance(r.base, 0, 0)) {
		ksft_test_result_fail("control_shared_mapping_detectors_fire: pin/start: %s\n",
				      strerror(errno));
	} else {
		ksft_print_msg("control: MAP_SHARED, mismatches below are expected\n");
		for (i = 0; i < 3; i++)
			one_fork(fd, &r, npages, i, fails);
		ksft_test_result(fails[P_CHILD_FROZEN] == 3 &&
				 fails[P_CHILD_WRITE] == 3 && !fails[P_PARENT],
				 "control_shared_mapping_detectors_fire\n");
	}
	close(fd);
	munmap(r.base, r.len);
}

static const struct backing backings[] = {
	{ "anon_4k",	 setup_anon },
	{ "thp_pmd",	 setup_thp },
	{ "mthp_64k",	 setup_mthp64 },
	{ "hugetlb_2m",	 setup_hugetlb },
};

int main(int argc, char **argv)
{
	long before, after;
	size_t i;
	int opt;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt == 'n')
			nforks = atoi(optarg);
		if (opt != 'n' || nforks <= 0) {
			fprintf(stderr, "usage: %s [-n forks]\n", argv[0]);
			return KSFT_FAIL;
		}
	}
	psz = lpt_pagesize();
	signal(SIGINT, restore_on_signal);
	signal(SIGTERM, restore_on_signal);

	ksft_print_header();
	close(lpt_open());	/* fail early without the module */
	ksft_set_plan(ARRAY_SIZE(backings) * NR_PROPS + 2);

	before = lpt_pinned_pages();
	for (i = 0; i < ARRAY_SIZE(backings); i++)
		run_backing(&backings[i]);
	run_control();
	after = lpt_pinned_pages();
	ksft_print_msg("module pins before %ld, after %ld\n", before, after);
	ksft_test_result(before == 0 && after == 0, "pins_released_on_close\n");
	ksft_finished();
}
