// SPDX-License-Identifier: GPL-2.0
/*
 * fork_cost: what pinned anonymous memory costs fork(). The same 64 MiB of
 * populated anonymous 4K pages is mapped every time; 0, 1 or 64 MiB of it
 * is long-term pinned through /dev/lpt_dma, and pinned pages must be copied
 * for the child at fork. Prints the median/min/max fork() latency (fork()
 * call to return in the parent) as KTAP diagnostics. A number, not a
 * verdict: each line passes if its forks ran.
 */
#define _GNU_SOURCE
#include <sys/wait.h>

#include "lpt_test.h"

#define MAP_MB	64

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Median fork() latency in us over @n forks, 0 on failure. */
static uint64_t fork_median(int n, uint64_t *min, uint64_t *max)
{
	uint64_t *t = calloc(n, sizeof(*t)), t0, med;
	int i, status;
	pid_t pid;

	if (!t)
		return 0;
	for (i = 0; i < n; i++) {
		t0 = lpt_now_us();
		pid = fork();
		if (!pid)
			_exit(0);
		t[i] = lpt_now_us() - t0;
		if (pid < 0 || waitpid(pid, &status, 0) != pid) {
			free(t);
			return 0;
		}
	}
	qsort(t, n, sizeof(*t), cmp_u64);
	*min = t[0];
	*max = t[n - 1];
	med = t[n / 2];
	free(t);
	return med ? med : 1;
}

int main(int argc, char **argv)
{
	static const unsigned int pin_mb[] = { 0, 1, 64 };
	size_t len = (size_t)MAP_MB << 20;
	uint64_t med, min, max;
	int n = 21, opt, fd;
	size_t i;
	char *buf;

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
	ksft_set_plan(ARRAY_SIZE(pin_mb));

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		ksft_exit_fail_perror("mmap");
	madvise(buf, len, MADV_NOHUGEPAGE);
	memset(buf, 1, len);

	for (i = 0; i < ARRAY_SIZE(pin_mb); i++) {
		size_t plen = (size_t)pin_mb[i] << 20;

		if (plen && lpt_pin(fd, buf, plen, 0)) {
			ksft_test_result_fail("fork_with_%uMiB_pinned: pin: %s\n",
					      pin_mb[i], strerror(errno));
			continue;
		}
		med = fork_median(n, &min, &max);
		if (plen)
			ioctl(fd, LPT_DMA_UNPIN);
		if (med)
			ksft_print_msg("fork_cost: %2u MiB pinned of %d MiB mapped: median %llu us (min %llu, max %llu, %d forks)\n",
				       pin_mb[i], MAP_MB, (unsigned long long)med,
				       (unsigned long long)min,
				       (unsigned long long)max, n);
		ksft_test_result(med != 0, "fork_with_%uMiB_pinned\n", pin_mb[i]);
	}
	munmap(buf, len);
	close(fd);
	ksft_finished();
}
