// SPDX-License-Identifier: GPL-2.0
/*
 * pae_read: the cycle cost that QEMU icount cannot show for patch 4 - reading
 * a 64-bit PAE PTE and re-checking it, with the two-halves protocol (base)
 * and with an inline LOCK CMPXCHG8B (patched), over a 512-entry table in L1.
 * Runs on the host, not in a VM:
 *
 *   i686-linux-gnu-gcc -O2 -static -o /tmp/pae_read bench/pae_read.c
 *   /tmp/pae_read
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <x86intrin.h>

#define N 512
typedef union { uint64_t pte; struct { uint32_t lo, hi; }; } pte_t;
static pte_t tbl[N] __attribute__((aligned(4096)));

static inline uint64_t halves(pte_t *p)
{
	uint32_t lo, hi;
	do {
		lo = *(volatile uint32_t *)&p->lo;
		__asm__ volatile("" ::: "memory");
		hi = *(volatile uint32_t *)&p->hi;
		__asm__ volatile("" ::: "memory");
	} while (lo != *(volatile uint32_t *)&p->lo);
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t cx8(pte_t *p)
{
	uint64_t v;
	__asm__ volatile("movl %%ebx, %%eax\n\tmovl %%ecx, %%edx\n\tlock cmpxchg8b %1"
			 : "=&A"(v), "+m"(p->pte));
	return v;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int main(void)
{
	uint64_t t[3][101], sink = 0;
	int r, i, k;

	for (i = 0; i < N; i++)
		tbl[i].pte = 0x8000000000000067ULL | ((uint64_t)(i + 1000) << 12);
	for (r = 0; r < 101; r++) {
		for (k = 0; k < 3; k++) {
			uint64_t s = __rdtsc();
			for (i = 0; i < N; i++) {
				if (k == 0) {		/* read + re-check, base */
					uint64_t a = halves(&tbl[i]);
					sink += a == halves(&tbl[i]);
				} else if (k == 1) {	/* read + re-check, patched */
					uint64_t a = cx8(&tbl[i]);
					sink += a == cx8(&tbl[i]);
				} else {		/* loop alone */
					sink += tbl[i].lo;
				}
			}
			t[k][r] = __rdtsc() - s;
		}
	}
	for (k = 0; k < 3; k++)
		qsort(t[k], 101, sizeof(t[k][0]), cmp);
	printf("TSC ticks per PTE (median of 101 x %d): halves %.1f, cmpxchg8b %.1f, empty loop %.1f (sink %llu)\n",
	       N, (double)t[0][50] / N, (double)t[1][50] / N, (double)t[2][50] / N,
	       (unsigned long long)sink);
	return 0;
}
