// SPDX-License-Identifier: GPL-2.0
/*
 * gupfast_fork_race: pin with GUP-fast while another thread forks.
 *
 * fork() write-protects the parent's anonymous PTEs and shares the pages
 * with the child unless they may be pinned. GUP-fast walks the page tables
 * without mmap_lock, so a pin taken in the middle of copy_page_range() must
 * back off (mm->write_protect_seq) instead of landing on a page that fork is
 * about to share: the parent's next write would then COW away from the
 * pinned page and the device would keep using the child's copy.
 *
 * Threads, until the time limit:
 *  fork     fork(), the child exits at once
 *  fast     LPT_DMA_PIN_SHORTTERM pins one small page with
 *           pin_user_pages_fast(FOLL_WRITE); then the CPU stores a fresh
 *           value through the mapping and the device must read it through
 *           the pin (twice); unpin
 *  long     LPT_DMA_PIN (FOLL_LONGTERM, GUP-fast first) of 4 pages, then
 *           CPU and device write both ways through the pin; unpin
 *  uring    IORING_REGISTER_BUFFERS (long-term GUP-fast pin in io_uring),
 *           CPU writes, IORING_OP_WRITE_FIXED to a memfd must carry the
 *           CPU's write; unregister
 *  batch    like fast, on a 2 MiB buffer of 1 MiB mTHPs, mapped afresh for
 *           every fork: fork() copies such a PTE-mapped large folio in one
 *           batch (check for pins, share 256 pages, write-protect 256
 *           PTEs), which is a window hundreds of PTEs wide for a pin to
 *           slip into if GUP-fast ignored the sequence count.
 * A pin that slips in is on a page fork() shares with the child: the
 * parent's next store write-faults and copies, and the device, reading the
 * pinned page, misses it. The CPU stores only after the pin is taken, so
 * whatever page the pin landed on, the device can only read the fresh value
 * if it is the page the parent maps. (On a DEBUG_VM kernel such a pin is
 * also a pinned page that is no longer PageAnonExclusive, which the checks
 * in GUP-fast and unpin report with a BUG; the thread it kills shows up as
 * a worker that did not finish.) At the end every FOLL_PIN must be
 * released (/proc/vmstat) and the module must hold no pins.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/io_uring.h>

#include "lpt_test.h"

static int stop;	/* read with __atomic: set once by main */
static size_t psz;
static unsigned long forks_done;	/* fork() calls returned in the parent */

struct worker {
	const char *name;
	void *(*fn)(void *arg);
	pthread_t thread;
	unsigned long iters;
	unsigned long errors;
	int skipped;		/* errno when the mechanism is unavailable */
	int finished;		/* returned normally (an oops kills a thread) */
	unsigned long maps, large;	/* batch: buffers mapped, how many large */
};

/* A worker passes if it ran, saw no error and was not killed in the kernel. */
static bool worker_ok(const struct worker *w)
{
	if (!w->finished)
		ksft_print_msg("%s: the thread died before it finished (an oops in the kernel?)\n",
			       w->name);
	else if (!w->iters)
		ksft_print_msg("%s: no iteration ran\n", w->name);
	return w->finished && w->iters > 0 && !w->errors;
}

static void *fork_loop(void *arg)
{
	struct worker *w = arg;
	int status;
	pid_t pid;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		pid = fork();
		__atomic_add_fetch(&forks_done, 1, __ATOMIC_RELAXED);
		if (pid < 0) {
			w->errors++;
			usleep(1000);
			continue;
		}
		if (!pid)
			_exit(0);
		waitpid(pid, &status, 0);
		w->iters++;
	}
	w->finished = 1;
	return NULL;
}

static void *map_pages(size_t n)
{
	void *p = mmap(NULL, n * psz, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		ksft_exit_fail_perror("mmap");
	madvise(p, n * psz, MADV_NOHUGEPAGE);
	memset(p, 0, n * psz);
	return p;
}

/*
 * Pin the small page at @page with GUP-fast (LPT_DMA_PIN_SHORTTERM), then
 * twice: store a fresh value at @off through the mapping and have the device
 * read it through the pin. Counts a mismatch in @w->errors.
 */
static void pin_then_store(struct worker *w, int fd, char *page, size_t off,
			   uint64_t tag)
{
	struct lpt_dma_rw rw = { 0 };
	uint64_t v;
	int r;

	if (lpt_pin(fd, page, psz, LPT_DMA_PIN_SHORTTERM)) {
		if (w->errors++ < 5)
			ksft_print_msg("%s: iter %lu: pin: %s\n", w->name,
				       w->iters, strerror(errno));
		return;
	}
	for (r = 0; r < 2; r++) {
		v = tag | (uint64_t)w->iters << 1 | r;
		__atomic_store_n((uint64_t *)(page + off), v, __ATOMIC_RELAXED);
		if (lpt_read(fd, 0, off, &rw) || rw.word != v) {
			if (w->errors++ < 5)
				ksft_print_msg("%s: iter %lu: device read %#llx through the pin, cpu stored %#llx after pinning\n",
					       w->name, w->iters,
					       (unsigned long long)rw.word,
					       (unsigned long long)v);
			break;
		}
	}
	if (ioctl(fd, LPT_DMA_UNPIN) && w->errors++ < 5)
		ksft_print_msg("%s: unpin: %s\n", w->name, strerror(errno));
}

static void *fast_loop(void *arg)
{
	struct worker *w = arg;
	char *buf = map_pages(16);
	int fd = lpt_open();

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		pin_then_store(w, fd, buf + w->iters % 16 * psz, 64,
			       0xfa57000000000000ULL);
		w->iters++;
	}
	close(fd);
	munmap(buf, 16 * psz);
	w->finished = 1;
	return NULL;
}

static void *long_loop(void *arg)
{
	struct worker *w = arg;
	void *buf = map_pages(4);
	struct lpt_dma_rw rw;
	int fd = lpt_open();
	uint64_t v, before;
	size_t j;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		j = w->iters % 4;
		before = 0xbef0000000000000ULL | w->iters;
		lpt_store(buf, j, 144, before);
		if (lpt_pin(fd, buf, 4 * psz, 0)) {
			if (w->errors++ < 5)
				ksft_print_msg("long: pin: %s\n", strerror(errno));
			w->iters++;
			continue;
		}
		/* CPU write after the pin: must land in the pinned page. */
		v = 0x10c0000000000000ULL | w->iters;
		lpt_store(buf, j, 128, v);
		if (lpt_read(fd, j, 128, &rw) || rw.word != v) {
			if (w->errors++ < 5)
				ksft_print_msg("long: iter %lu: device read %#llx, cpu wrote %#llx after pin\n",
					       w->iters, (unsigned long long)rw.word,
					       (unsigned long long)v);
		} else if (lpt_read(fd, j, 144, &rw) || rw.word != before) {
			if (w->errors++ < 5)
				ksft_print_msg("long: iter %lu: device read %#llx, cpu wrote %#llx before pin\n",
					       w->iters, (unsigned long long)rw.word,
					       (unsigned long long)before);
		}
		/* Device write: the CPU must see it. */
		v = ~v;
		if (lpt_write_word(fd, j, 136, v) || lpt_load(buf, j, 136) != v) {
			if (w->errors++ < 5)
				ksft_print_msg("long: iter %lu: cpu read %#llx, device wrote %#llx\n",
					       w->iters,
					       (unsigned long long)lpt_load(buf, j, 136),
					       (unsigned long long)v);
		}
		if (ioctl(fd, LPT_DMA_UNPIN))
			w->errors++;
		w->iters++;
	}
	close(fd);
	munmap(buf, 4 * psz);
	w->finished = 1;
	return NULL;
}

/* Just enough of io_uring, by raw syscalls, to run one WRITE_FIXED. */
struct uring {
	int fd;
	struct io_uring_params p;
	void *sq, *cq;
	size_t sq_len, cq_len;
	struct io_uring_sqe *sqes;
};

static int uring_init(struct uring *u)
{
	memset(u, 0, sizeof(*u));
	u->fd = syscall(__NR_io_uring_setup, 4, &u->p);
	if (u->fd < 0)
		return -errno;
	u->sq_len = u->p.sq_off.array + u->p.sq_entries * sizeof(__u32);
	u->cq_len = u->p.cq_off.cqes +
		    u->p.cq_entries * sizeof(struct io_uring_cqe);
	if (u->p.features & IORING_FEAT_SINGLE_MMAP) {
		if (u->cq_len > u->sq_len)
			u->sq_len = u->cq_len;
		u->cq_len = u->sq_len;
	}
	u->sq = mmap(NULL, u->sq_len, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_POPULATE, u->fd, IORING_OFF_SQ_RING);
	if (u->sq == MAP_FAILED)
		return -errno;
	if (u->p.features & IORING_FEAT_SINGLE_MMAP) {
		u->cq = u->sq;
	} else {
		u->cq = mmap(NULL, u->cq_len, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_POPULATE, u->fd, IORING_OFF_CQ_RING);
		if (u->cq == MAP_FAILED)
			return -errno;
	}
	u->sqes = mmap(NULL, u->p.sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       u->fd, IORING_OFF_SQES);
	if (u->sqes == MAP_FAILED)
		return -errno;
	return 0;
}

static void uring_exit(struct uring *u)
{
	if (u->sqes && u->sqes != MAP_FAILED)
		munmap(u->sqes, u->p.sq_entries * sizeof(struct io_uring_sqe));
	if (u->cq && u->cq != MAP_FAILED && u->cq != u->sq)
		munmap(u->cq, u->cq_len);
	if (u->sq && u->sq != MAP_FAILED)
		munmap(u->sq, u->sq_len);
	if (u->fd >= 0)
		close(u->fd);
}

#define RING_U32(base, off) ((__u32 *)((char *)(base) + (off)))

/* Submit one WRITE_FIXED of registered buffer 0 and wait: its res or -errno. */
static int uring_write_fixed(struct uring *u, int fd, void *buf, size_t len)
{
	__u32 tail = *RING_U32(u->sq, u->p.sq_off.tail);
	__u32 mask = *RING_U32(u->sq, u->p.sq_off.ring_mask);
	__u32 idx = tail & mask, head;
	struct io_uring_sqe *sqe = &u->sqes[idx];
	struct io_uring_cqe *cqe;
	int res;

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_WRITE_FIXED;
	sqe->fd = fd;
	sqe->addr = (uintptr_t)buf;
	sqe->len = len;
	sqe->off = 0;
	sqe->buf_index = 0;
	RING_U32(u->sq, u->p.sq_off.array)[idx] = idx;
	__atomic_store_n(RING_U32(u->sq, u->p.sq_off.tail), tail + 1,
			 __ATOMIC_RELEASE);

	if (syscall(__NR_io_uring_enter, u->fd, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0)
		return -errno;
	head = *RING_U32(u->cq, u->p.cq_off.head);
	if (head == __atomic_load_n(RING_U32(u->cq, u->p.cq_off.tail),
				    __ATOMIC_ACQUIRE))
		return -EAGAIN;
	cqe = (struct io_uring_cqe *)((char *)u->cq + u->p.cq_off.cqes) +
	      (head & *RING_U32(u->cq, u->p.cq_off.ring_mask));
	res = cqe->res;
	__atomic_store_n(RING_U32(u->cq, u->p.cq_off.head), head + 1,
			 __ATOMIC_RELEASE);
	return res;
}

static void *uring_loop(void *arg)
{
	struct worker *w = arg;
	void *buf = map_pages(1);
	struct iovec iov = { .iov_base = buf, .iov_len = psz };
	uint64_t got[2], v1, v2;
	struct uring u;
	int memfd, ret;

	ret = uring_init(&u);
	if (ret) {
		w->skipped = -ret;
		uring_exit(&u);
		w->finished = 1;
		return NULL;
	}
	memfd = memfd_create("lpt_uring", MFD_CLOEXEC);
	if (memfd < 0) {
		w->skipped = errno;
		uring_exit(&u);
		w->finished = 1;
		return NULL;
	}

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		v1 = 0x1b00000000000000ULL | w->iters;
		lpt_store(buf, 0, 0, v1);
		if (syscall(__NR_io_uring_register, u.fd, IORING_REGISTER_BUFFERS,
			    &iov, 1)) {
			if (!w->iters && (errno == EPERM || errno == ENOMEM ||
					  errno == EOPNOTSUPP)) {
				w->skipped = errno;
				break;
			}
			if (w->errors++ < 5)
				ksft_print_msg("uring: register: %s\n", strerror(errno));
			w->iters++;
			continue;
		}
		v2 = 0x1a00000000000000ULL | w->iters;
		lpt_store(buf, 0, 8, v2);	/* after the pin */
		ret = uring_write_fixed(&u, memfd, buf, psz);
		if (ret != (int)psz ||
		    pread(memfd, got, sizeof(got), 0) != sizeof(got) ||
		    got[0] != v1 || got[1] != v2) {
			if (w->errors++ < 5)
				ksft_print_msg("uring: iter %lu: res %d, file has %#llx %#llx, cpu wrote %#llx %#llx\n",
					       w->iters, ret,
					       (unsigned long long)got[0],
					       (unsigned long long)got[1],
					       (unsigned long long)v1,
					       (unsigned long long)v2);
		}
		if (syscall(__NR_io_uring_register, u.fd,
			    IORING_UNREGISTER_BUFFERS, NULL, 0))
			w->errors++;
		w->iters++;
	}
	close(memfd);
	uring_exit(&u);
	munmap(buf, psz);
	w->finished = 1;
	return NULL;
}

#define BATCH_LEN	(2UL << 20)
#define BATCH_FOLIO	(1UL << 20)
#define MTHP1M "/sys/kernel/mm/transparent_hugepage/hugepages-1024kB/enabled"

static char mthp1m_saved[32];	/* the "enabled" value to put back */

static void mthp1m_write(const char *val)
{
	int fd = open(MTHP1M, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		ksft_print_msg("cannot write %s to %s\n", val, MTHP1M);
	if (fd >= 0)
		close(fd);
}

/* Let MADV_HUGEPAGE regions get 1 MiB anonymous folios; remember the old. */
static void mthp1m_enable(void)
{
	char buf[128], *l, *e;
	FILE *f = fopen(MTHP1M, "r");

	if (!f)
		return;
	l = fgets(buf, sizeof(buf), f) ? strchr(buf, '[') : NULL;
	fclose(f);
	e = l ? strchr(l, ']') : NULL;
	if (!e)
		return;
	*e = 0;
	snprintf(mthp1m_saved, sizeof(mthp1m_saved), "%s", l + 1);
	mthp1m_write("madvise");
}

static char *batch_map(struct worker *w)
{
	char *buf = lpt_map_aligned(BATCH_LEN, BATCH_FOLIO);
	size_t j;

	if (!buf)
		ksft_exit_fail_perror("mmap");
	madvise(buf, BATCH_LEN, MADV_HUGEPAGE);
	for (j = 0; j < BATCH_LEN / psz; j++)
		lpt_store(buf, j, 64, 0xba7c000000000000ULL | j);
	w->large += lpt_is_thp(buf) == 1;
	return buf;
}

static void *batch_loop(void *arg)
{
	struct worker *w = arg;
	unsigned long gen = __atomic_load_n(&forks_done, __ATOMIC_RELAXED);
	char *buf = batch_map(w);
	int fd = lpt_open();
	size_t j;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		/* Each fork gets a buffer of large folios no fork has seen. */
		if (__atomic_load_n(&forks_done, __ATOMIC_RELAXED) != gen) {
			munmap(buf, BATCH_LEN);
			gen = __atomic_load_n(&forks_done, __ATOMIC_RELAXED);
			buf = batch_map(w);
			w->maps++;
		}
		/* From the end down: fork protects the end of a folio last. */
		j = BATCH_LEN / psz - 1 - (w->iters % (BATCH_LEN / psz));
		pin_then_store(w, fd, buf + j * psz, 64, 0xba7c000000000000ULL);
		w->iters++;
	}
	close(fd);
	munmap(buf, BATCH_LEN);
	w->finished = 1;
	return NULL;
}

static struct worker workers[] = {
	{ .name = "fork",	.fn = fork_loop },
	{ .name = "fast",	.fn = fast_loop },
	{ .name = "long",	.fn = long_loop },
	{ .name = "uring",	.fn = uring_loop },
	{ .name = "batch",	.fn = batch_loop },
};

int main(int argc, char **argv)
{
	long pins_before, pins_after, avail_before, avail_after, mod;
	int secs = 10, opt;
	bool batch_ok;
	size_t i;

	while ((opt = getopt(argc, argv, "t:")) != -1) {
		if (opt == 't')
			secs = atoi(optarg);
		if (opt != 't' || secs <= 0) {
			fprintf(stderr, "usage: %s [-t seconds]\n", argv[0]);
			return KSFT_FAIL;
		}
	}
	psz = lpt_pagesize();

	ksft_print_header();
	close(lpt_open());
	ksft_set_plan(7);
	mthp1m_enable();

	pins_before = lpt_foll_pins_outstanding();
	avail_before = lpt_proc_counter("/proc/meminfo", "MemAvailable");
	ksft_print_msg("racing for %d s; FOLL_PIN pins outstanding before: %ld\n",
		       secs, pins_before);

	for (i = 0; i < ARRAY_SIZE(workers); i++)
		if (pthread_create(&workers[i].thread, NULL, workers[i].fn,
				   &workers[i]))
			ksft_exit_fail_msg("pthread_create\n");
	sleep(secs);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < ARRAY_SIZE(workers); i++) {
		pthread_join(workers[i].thread, NULL);
		ksft_print_msg("%-5s: %lu iterations, %lu errors\n",
			       workers[i].name, workers[i].iters,
			       workers[i].errors);
	}

	ksft_test_result(worker_ok(&workers[0]), "fork_loop_ran\n");
	ksft_test_result(worker_ok(&workers[1]),
			 "gupfast_pin_sees_cpu_stores_made_after_it_during_fork\n");
	ksft_test_result(worker_ok(&workers[2]),
			 "longterm_pin_stays_coherent_during_fork\n");
	if (workers[3].skipped)
		ksft_test_result_skip("io_uring_fixed_buffer_stays_coherent_during_fork: io_uring unavailable (%s)\n",
				      strerror(workers[3].skipped));
	else
		ksft_test_result(worker_ok(&workers[3]),
				 "io_uring_fixed_buffer_stays_coherent_during_fork\n");

	if (mthp1m_saved[0])
		mthp1m_write(mthp1m_saved);
	ksft_print_msg("batch: %lu buffers, %lu of them in large folios\n",
		       workers[4].maps + 1, workers[4].large);
	/* Without large folios the window this thread aims at does not exist. */
	batch_ok = worker_ok(&workers[4]);
	if (batch_ok && !mthp1m_saved[0])
		ksft_test_result_skip("gupfast_pin_of_large_folios_sees_cpu_stores_during_fork: no 1 MiB mTHP (%s)\n",
				      MTHP1M);
	else
		ksft_test_result(batch_ok && workers[4].large,
				 "gupfast_pin_of_large_folios_sees_cpu_stores_during_fork\n");

	/* All files and rings are closed: every pin must be gone. */
	pins_after = pins_before < 0 ? -1 : lpt_wait_foll_pins(pins_before, 2000);
	ksft_print_msg("FOLL_PIN pins outstanding after: %ld\n", pins_after);
	if (pins_before < 0)
		ksft_test_result_skip("foll_pins_balanced: no nr_foll_pin_* in /proc/vmstat\n");
	else
		ksft_test_result(pins_after == pins_before, "foll_pins_balanced\n");

	mod = lpt_pinned_pages();
	avail_after = lpt_proc_counter("/proc/meminfo", "MemAvailable");
	ksft_print_msg("module pins %ld; MemAvailable %ld kB -> %ld kB\n",
		       mod, avail_before, avail_after);
	ksft_test_result(mod == 0, "module_holds_no_pins\n");
	ksft_finished();
}
