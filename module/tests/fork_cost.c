// SPDX-License-Identifier: GPL-2.0
/*
 * fork_cost: what pinned anonymous memory costs fork(). The same 64 MiB of
 * populated anonymous 4K pages is mapped all along; 0, 1 or 64 MiB of it is
 * long-term pinned through /dev/lpt_dma, and fork() must give the child a
 * copy of every pinned page (the device keeps writing into the parent's
 * page) while it shares all the others.
 *
 * The cost is checked where it is deterministic: on every fork the child
 * stays alive until the parent has read its smaps, and in the child the
 * buffer must be exactly the pinned bytes of private pages (the copies,
 * mapped by the child alone) and the rest shared with the parent. A fork()
 * that shares pinned pages instead leaves the child with no private page.
 *
 * The time is a second, coarser check: the median fork() latency (fork()
 * call to return in the parent) with 64 MiB pinned must be at least
 * MIN_RATIO times the one with nothing pinned. Copying 16384 pages against
 * sharing their PTEs measured 22x under QEMU TCG (and tens of times on
 * hardware); the rounds alternate the three sizes, so a slow patch of the
 * host slows all of them alike, and the margin from 22 to 3 absorbs what
 * is left. With pinned pages shared the ratio is about 1.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/wait.h>

#include "lpt_test.h"

#define MAP_MB		64
#define MIN_RATIO	3

static const unsigned int pin_mb[] = { 0, 1, 64 };
#define NCONF	ARRAY_SIZE(pin_mb)

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Private and shared kB of the mapping of @pid that contains @addr, from
 * /proc/@pid/smaps. Returns 0, or -1 if the mapping was not found.
 */
static int smaps_of(pid_t pid, void *addr, long *priv_kb, long *shared_kb)
{
	unsigned long start, end, a = (uintptr_t)addr;
	char path[64], line[256];
	bool in = false, found = false;
	long kb;
	FILE *f;

	*priv_kb = *shared_kb = 0;
	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = start <= a && a < end;
			found |= in;
			continue;
		}
		if (!in)
			continue;
		if (sscanf(line, "Private_Clean: %ld kB", &kb) == 1 ||
		    sscanf(line, "Private_Dirty: %ld kB", &kb) == 1)
			*priv_kb += kb;
		else if (sscanf(line, "Shared_Clean: %ld kB", &kb) == 1 ||
			 sscanf(line, "Shared_Dirty: %ld kB", &kb) == 1)
			*shared_kb += kb;
	}
	fclose(f);
	return found ? 0 : -1;
}

int main(int argc, char **argv)
{
	size_t len = (size_t)MAP_MB << 20;
	unsigned long bad[NCONF] = { 0 };
	uint64_t *t[NCONF], med[NCONF], t0;
	long priv, shared, want_priv, want_shared;
	int n = 21, opt, fd, r, status;
	bool pin_failed[NCONF] = { 0 };
	size_t i, plen;
	char *buf;
	pid_t pid;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt == 'n')
			n = atoi(optarg);
		if (opt != 'n' || n <= 0) {
			fprintf(stderr, "usage: %s [-n forks]\n", argv[0]);
			return KSFT_FAIL;
		}
	}

	ksft_print_header();
	fd = lpt_open();
	ksft_set_plan(NCONF + 1);

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		ksft_exit_fail_perror("mmap");
	madvise(buf, len, MADV_NOHUGEPAGE);
	memset(buf, 1, len);
	for (i = 0; i < NCONF; i++) {
		t[i] = calloc(n, sizeof(*t[i]));
		if (!t[i])
			ksft_exit_fail_perror("calloc");
	}

	/* Round r forks once with each pinned size, in turn. */
	for (r = 0; r < n; r++) {
		for (i = 0; i < NCONF; i++) {
			plen = (size_t)pin_mb[i] << 20;
			if (plen && lpt_pin(fd, buf, plen, 0)) {
				if (!pin_failed[i])
					ksft_print_msg("%u MiB: pin: %s\n",
						       pin_mb[i], strerror(errno));
				pin_failed[i] = true;
				continue;
			}
			t0 = lpt_now_us();
			pid = fork();
			if (!pid) {
				for (;;)
					pause();
			}
			t[i][r] = lpt_now_us() - t0;
			if (pid < 0)
				ksft_exit_fail_perror("fork");

			want_priv = plen >> 10;
			want_shared = (len - plen) >> 10;
			if (smaps_of(pid, buf, &priv, &shared))
				priv = shared = -1;
			if (priv != want_priv || shared != want_shared) {
				if (bad[i]++ < 3)
					ksft_print_msg("%u MiB pinned, fork %d: child has %ld kB private, %ld kB shared; want %ld and %ld\n",
						       pin_mb[i], r, priv, shared,
						       want_priv, want_shared);
			}
			kill(pid, SIGKILL);
			if (waitpid(pid, &status, 0) != pid)
				ksft_exit_fail_perror("waitpid");
			if (plen && ioctl(fd, LPT_DMA_UNPIN))
				ksft_exit_fail_perror("unpin");
		}
	}

	for (i = 0; i < NCONF; i++) {
		qsort(t[i], n, sizeof(*t[i]), cmp_u64);
		med[i] = t[i][n / 2];
		ksft_print_msg("fork_cost: %2u MiB pinned of %d MiB mapped: median %llu us (min %llu, max %llu, %d forks)\n",
			       pin_mb[i], MAP_MB, (unsigned long long)med[i],
			       (unsigned long long)t[i][0],
			       (unsigned long long)t[i][n - 1], n);
		ksft_test_result(!pin_failed[i] && !bad[i],
				 "fork_with_%uMiB_pinned_copies_exactly_the_pinned_pages\n",
				 pin_mb[i]);
	}
	ksft_print_msg("fork with %u MiB pinned / with none: %.1f (want >= %d)\n",
		       pin_mb[NCONF - 1],
		       (double)med[NCONF - 1] / (med[0] ? med[0] : 1), MIN_RATIO);
	ksft_test_result(!pin_failed[NCONF - 1] &&
			 med[NCONF - 1] >= MIN_RATIO * med[0],
			 "fork_with_%uMiB_pinned_costs_%dx_fork_with_none\n",
			 pin_mb[NCONF - 1], MIN_RATIO);

	for (i = 0; i < NCONF; i++)
		free(t[i]);
	munmap(buf, len);
	close(fd);
	ksft_finished();
}
