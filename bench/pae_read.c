// SPDX-License-Identifier: GPL-2.0
/*
 * pae_read: the cycle cost that QEMU icount cannot show for readers patch 4 -
 * reading a 64-bit PAE entry and re-checking it, as GUP-fast does for every
 * PTE and PMD, over one 512-entry (4 KiB) page-table page, with
 *
 *   halves  the two-halves read of CONFIG_GUP_GET_PXX_LOW_HIGH (low, high,
 *           low again; retry if low changed): what ptep_get_lockless() and
 *           pmdp_get_lockless() do, and what GUP-fast keeps on bare metal;
 *   cx8     cmpxchg64(p, 0, 0), inline LOCK CMPXCHG8B with EDX:EAX = ECX:EBX
 *           = 0, the same asm as the kernel's __arch_cmpxchg64(): what
 *           GUP-fast does when TLB flushes may not be IPIs (pae_pv_tlb_flush);
 *   call    a call to an out-of-line copy of atomic64_read_cx8 (the x86-32
 *           arch_atomic64_read()), with its register convention;
 *   p4asm   the inline "mov ebx,eax; mov ecx,edx; lock cmpxchg8b" of the
 *           first version of readers patch 4;
 *   empty   the loop alone.
 *
 * T threads, pinned to CPU i % ncpus, read the same table at the same time
 * for a fixed time per variant; every pass over the 512 entries is timed
 * with RDTSC, and the median pass, divided by 512, is printed as TSC ticks
 * per entry (one read plus one re-check).  Each pass starts at a random
 * entry and wraps around, so that the threads do not keep whatever phase
 * they happened to start with.  With T > 1 only passes during which a thread
 * on another CPU completed a pass count, so that a loaded host (or vCPUs
 * that do not run at the same time) cannot hide the contention; the share
 * of such passes is printed in brackets, and a cell is repeated (up to 20
 * times) until it has at least 1000 of them.  T = 1 is the uncontended
 * case.  The halves read only ever needs the cache line shared; a locked
 * CMPXCHG8B always writes, so a line last read by another CPU has to be
 * taken from it exclusive, whether or not that CPU is still on it.
 * A user program, run on the build host (which may itself be a VM):
 *
 *   i686-linux-gnu-gcc -O2 -static -pthread -o /tmp/pae_read bench/pae_read.c
 *   /tmp/pae_read [-l] [ms per cell] [threads...]    (default: 400 1 2 4)
 *
 * -l makes every pass read the first 8 entries 64 times over instead: all
 * threads on one cache line, the worst case for the locked read.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <x86intrin.h>

#define N		512
#define MAX_THREADS	64

typedef union { uint64_t pte; struct { uint32_t lo, hi; }; } pte_t;
static pte_t tbl[N] __attribute__((aligned(4096)));

enum { HALVES, CX8, CALL, P4ASM, EMPTY, NVARIANTS };
static const char *const names[NVARIANTS] = {
	"halves(old)", "cx8(new)", "call", "p4asm", "empty",
};

static inline uint64_t halves(pte_t *p)
{
	uint32_t lo, hi;

	do {
		lo = *(volatile uint32_t *)&p->lo;
		__asm__ volatile("" ::: "memory");	/* smp_rmb() on x86 */
		hi = *(volatile uint32_t *)&p->hi;
		__asm__ volatile("" ::: "memory");
	} while (lo != *(volatile uint32_t *)&p->lo);
	return (uint64_t)hi << 32 | lo;
}

/* __arch_cmpxchg64(&p->pte, 0, 0, LOCK_PREFIX) */
static inline uint64_t cx8(pte_t *p)
{
	uint32_t lo = 0, hi = 0;

	__asm__ volatile("lock cmpxchg8b %[ptr]"
			 : [ptr] "+m" (p->pte), "+a" (lo), "+d" (hi)
			 : "b" (0U), "c" (0U)
			 : "memory");
	return (uint64_t)hi << 32 | lo;
}

/* arch/x86/lib/atomic64_cx8_32.S: atomic64_read_cx8, pointer in %ecx */
__asm__(".text\n"
	".type read_cx8, @function\n"
	"read_cx8:\n\t"
	"movl %ebx, %eax\n\t"
	"movl %ecx, %edx\n\t"
	"lock cmpxchg8b (%ecx)\n\t"
	"ret\n"
	".size read_cx8, .-read_cx8\n");

/*
 * arch_atomic64_read():
 * alternative_atomic64(read, "=&A" (r), "c" (v) : "memory")
 */
static inline uint64_t call(pte_t *p)
{
	uint64_t r;

	__asm__ volatile("call read_cx8" : "=&A" (r) : "c" (p) : "memory");
	return r;
}

static inline uint64_t p4asm(pte_t *p)
{
	uint64_t v;

	__asm__ volatile("movl %%ebx, %%eax\n\t"
			 "movl %%ecx, %%edx\n\t"
			 "lock cmpxchg8b %1"
			 : "=&A" (v), "+m" (p->pte));
	return v;
}

/* _mm_lfence() needs -msse2; the CPU has it, the i686 target does not */
static inline void lfence(void)
{
	__asm__ volatile("lfence" ::: "memory");
}

#define MAX_PASSES	(1 << 18)
#define MIN_PASSES	1000	/* concurrent ones, per cell */

static int nthreads, ncpus, ms = 400, mask = N - 1;
static volatile int go, stop;
static uint64_t *pticks[MAX_THREADS];
static uint8_t *pconc[MAX_THREADS];
static int npass[MAX_THREADS];
/* passes completed by each thread, one cache line each */
static volatile uint32_t progress[MAX_THREADS * 16]
	__attribute__((aligned(64)));
static volatile uint64_t sinks[MAX_THREADS * 8];

#define PASS(read)						\
	for (i = 0; i < N; i++) {				\
		pte_t *e = &tbl[(i + off) & mask];		\
		uint64_t a = read(e);				\
		sink += a == read(e);				\
	}

struct arg {
	int id, v;
};

static void *reader(void *p)
{
	struct arg *arg = p;
	int id = arg->id, v = arg->v, n = 0, i;
	uint32_t rnd = 2654435761U * (id + 1), off;
	uint64_t sink = 0;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(id % ncpus, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);

	while (!go)
		;
	while (!stop && n < MAX_PASSES) {
		uint32_t others = 0;
		uint64_t s;

		/* start each pass at a random entry: no fixed phase between threads */
		rnd = rnd * 1103515245U + 12345U;
		off = rnd >> 16;

		for (i = 0; i < nthreads; i++)
			if (i % ncpus != id % ncpus)
				others -= progress[i * 16];
		lfence();
		s = __rdtsc();
		lfence();
		switch (v) {
		case HALVES:
			PASS(halves);
			break;
		case CX8:
			PASS(cx8);
			break;
		case CALL:
			PASS(call);
			break;
		case P4ASM:
			PASS(p4asm);
			break;
		default:
			for (i = 0; i < N; i++)
				sink += *(volatile uint32_t *)&tbl[(i + off) & mask].lo;
		}
		lfence();
		pticks[id][n] = __rdtsc() - s;
		for (i = 0; i < nthreads; i++)
			if (i % ncpus != id % ncpus)
				others += progress[i * 16];
		/* another CPU completed a pass meanwhile: we ran concurrently */
		pconc[id][n] = others >= 1;
		progress[id * 16]++;
		n++;
	}
	npass[id] = n;
	sinks[id * 8] = sink;
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Median ticks per entry over the passes that ran concurrently with others. */
static double run(int t, int v, double *concurrent, size_t *count)
{
	pthread_t th[MAX_THREADS];
	struct arg args[MAX_THREADS];
	uint64_t *all;
	size_t n = 0, total = 0;
	double r;
	int i, k;

	nthreads = t;
	go = stop = 0;
	memset((void *)progress, 0, sizeof(progress));
	for (i = 0; i < t; i++) {
		args[i].id = i;
		args[i].v = v;
		pthread_create(&th[i], NULL, reader, &args[i]);
	}
	usleep(20000);
	go = 1;
	usleep(ms * 1000);
	stop = 1;
	for (i = 0; i < t; i++) {
		pthread_join(th[i], NULL);
		total += npass[i];
	}

	all = malloc(sizeof(*all) * total);
	for (i = 0; i < t; i++)
		for (k = 0; k < npass[i]; k++)
			if (t == 1 || ncpus == 1 || pconc[i][k])
				all[n++] = pticks[i][k];
	*concurrent = total ? 100.0 * n / total : 0;
	*count = n;
	if (!n) {
		free(all);
		return 0;
	}
	qsort(all, n, sizeof(*all), cmp);
	r = (double)all[n / 2] / N;
	free(all);
	return r;
}

int main(int argc, char **argv)
{
	int threads[16] = { 1, 2, 4 }, nt = 3, i, v;

	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (argc > 1 && !strcmp(argv[1], "-l")) {
		mask = 7;	/* worst case: all passes on one 64-byte line */
		argc--;
		argv++;
	}
	if (argc > 1)
		ms = atoi(argv[1]);
	if (argc > 2)
		for (nt = 0; nt + 2 < argc && nt < 16; nt++)
			threads[nt] = atoi(argv[nt + 2]);
	for (i = 0; i < MAX_THREADS; i++) {
		pticks[i] = malloc(sizeof(uint64_t) * MAX_PASSES);
		pconc[i] = malloc(MAX_PASSES);
	}
	for (i = 0; i < N; i++)
		tbl[i].pte = 0x8000000000000067ULL | ((uint64_t)(i + 1000) << 12);

	printf("TSC ticks per entry (one read + one re-check), median pass; with >1\n"
	       "thread only passes during which a thread on another CPU completed a\n"
	       "pass count (%% of passes in brackets); %d ms per cell, %d entries\n"
	       "per pass%s, %d CPUs online\n", ms, N,
	       mask == 7 ? " (all on one 64-byte line)" : "", ncpus);
	printf("threads");
	for (v = 0; v < NVARIANTS; v++)
		printf("  %14s", names[v]);
	printf("\n");
	for (i = 0; i < nt; i++) {
		if (threads[i] < 1 || threads[i] > MAX_THREADS)
			continue;
		printf("%7d", threads[i]);
		for (v = 0; v < NVARIANTS; v++) {
			int tries = 0;
			size_t cnt;
			double c, r;

			/* on a loaded host the threads may rarely run together */
			do
				r = run(threads[i], v, &c, &cnt);
			while (cnt < MIN_PASSES && ++tries < 20);
			if (cnt < MIN_PASSES)
				printf("  %6s [%3.0f%%]", "n/a", c);
			else
				printf("  %6.1f [%3.0f%%]", r, c);
		}
		printf("\n");
		fflush(stdout);
	}
	return 0;
}
