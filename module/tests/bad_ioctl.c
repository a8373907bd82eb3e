// SPDX-License-Identifier: GPL-2.0
/*
 * bad_ioctl: every lpt_dma ioctl rejects bad input with the errno that
 * lpt_dma_uapi.h documents, and leaves no page pinned behind. Then a fixed
 * seed drives random commands and arguments at the device: every failure
 * must carry an errno the header documents for that command, no unknown
 * command may succeed, and after every call the module's count of pinned
 * pages must be what the two open files hold. At the end the module pins
 * and the FOLL_PIN counters must balance.
 */
#define _GNU_SOURCE
#include "lpt_test.h"

enum state { IDLE, PINNED, RUNNING };
/* How the first argument word is formed. */
enum base { ABS, RW, HOLE, PART, RO, NULLARG, ROARG };

/* Symbolic values, resolved at run time. */
#define V_PAGE		0xfffffffffff00001ULL	/* page size */
#define V_NPG_LEN	0xfffffffffff00002ULL	/* NPG pages */
#define V_OVER_MAX	0xfffffffffff00003ULL	/* max_pin_mb MiB + 1 page */
#define V_NPG		0xfffffffffff00004ULL	/* NPG */
#define V_PAGE_M8	0xfffffffffff00005ULL	/* page size - 8 */
#define V_PAGE_M1	0xfffffffffff00006ULL	/* page size - 1 */
#define V_NPG_M1	0xfffffffffff00007ULL	/* NPG - 1 */
/* A kernel address: x86-64/arm64 kernel text, the i386 PAGE_OFFSET. */
#define V_KERNEL	(sizeof(long) == 8 ? 0xffffffff80000000ULL : 0xc0000000ULL)

#define NPG		8
#define ROARG_PIN_CHECK	64	/* see roarg */

struct bad_case {
	const char *name;
	enum state state;
	unsigned long cmd;
	enum base base;
	uint64_t w[3];
	int want;
};

static const struct bad_case cases[] = {
	{ "pin_len_zero", IDLE, LPT_DMA_PIN, RW, { 0, 0, 0 }, EINVAL },
	{ "pin_addr_unaligned", IDLE, LPT_DMA_PIN, RW, { 8, V_PAGE, 0 }, EINVAL },
	{ "pin_len_unaligned", IDLE, LPT_DMA_PIN, RW, { 0, V_PAGE_M1, 0 }, EINVAL },
	{ "pin_unknown_flag", IDLE, LPT_DMA_PIN, RW, { 0, V_PAGE, 1ULL << 1 }, EINVAL },
	{ "pin_high_flag", IDLE, LPT_DMA_PIN, RW, { 0, V_PAGE, 1ULL << 63 }, EINVAL },
	{ "pin_addr_len_wraps", IDLE, LPT_DMA_PIN, ABS, { 0xffffffffffff0000ULL, 0x20000, 0 }, EINVAL },
	{ "pin_len_over_max", IDLE, LPT_DMA_PIN, RW, { 0, V_OVER_MAX, 0 }, E2BIG },
	{ "pin_unmapped", IDLE, LPT_DMA_PIN, HOLE, { 0, V_NPG_LEN, 0 }, EFAULT },
	{ "pin_partly_unwritable", IDLE, LPT_DMA_PIN, PART, { 0, V_NPG_LEN, 0 }, EFAULT },
	{ "pin_readonly_mapping", IDLE, LPT_DMA_PIN, RO, { 0, V_PAGE, 0 }, EFAULT },
	{ "pin_kernel_address", IDLE, LPT_DMA_PIN, ABS, { V_KERNEL, V_PAGE, 0 }, EFAULT },
	{ "pin_bad_arg_pointer", IDLE, LPT_DMA_PIN, NULLARG, { 0 }, EFAULT },
	{ "pin_twice", PINNED, LPT_DMA_PIN, RW, { 0, V_PAGE, 0 }, EBUSY },
	{ "unpin_nothing_pinned", IDLE, LPT_DMA_UNPIN, ABS, { 0 }, ENOENT },
	{ "start_nothing_pinned", IDLE, LPT_DMA_START, ABS, { 0 }, ENOENT },
	{ "start_twice", RUNNING, LPT_DMA_START, ABS, { 0 }, EBUSY },
	{ "stop_not_running", PINNED, LPT_DMA_STOP, ABS, { 0 }, ENOENT },
	{ "read_nothing_pinned", IDLE, LPT_DMA_READ, ABS, { 0, 64 }, ENOENT },
	{ "read_index_out_of_range", PINNED, LPT_DMA_READ, ABS, { V_NPG, 64 }, ERANGE },
	{ "read_index_huge", PINNED, LPT_DMA_READ, ABS, { ~0ULL, 64 }, ERANGE },
	{ "read_offset_unaligned", PINNED, LPT_DMA_READ, ABS, { 0, 4 }, EINVAL },
	{ "read_offset_past_page", PINNED, LPT_DMA_READ, ABS, { 0, V_PAGE }, EINVAL },
	{ "read_bad_arg_pointer", PINNED, LPT_DMA_READ, NULLARG, { 0 }, EFAULT },
	{ "write_nothing_pinned", IDLE, LPT_DMA_WRITE_WORD, ABS, { 0, 64 }, ENOENT },
	{ "write_index_out_of_range", RUNNING, LPT_DMA_WRITE_WORD, ABS, { V_NPG, 64 }, ERANGE },
	{ "write_offset_unaligned", PINNED, LPT_DMA_WRITE_WORD, ABS, { 0, 12 }, EINVAL },
	{ "write_offset_past_page", PINNED, LPT_DMA_WRITE_WORD, ABS, { 0, V_PAGE }, EINVAL },
	{ "write_bad_arg_pointer", PINNED, LPT_DMA_WRITE_WORD, NULLARG, { 0 }, EFAULT },
	/* The argument is read, the answer cannot be written back. */
	{ "read_readonly_arg", PINNED, LPT_DMA_READ, ROARG, { 0 }, EFAULT },
	{ "pin_check_readonly_arg", IDLE, LPT_DMA_PIN_CHECK, ROARG, { ROARG_PIN_CHECK }, EFAULT },
	{ "info_readonly_arg", IDLE, LPT_DMA_INFO, ROARG, { 0 }, EFAULT },
	{ "pin_check_unaligned", IDLE, LPT_DMA_PIN_CHECK, RW, { 4 }, EINVAL },
	{ "pin_check_unmapped", IDLE, LPT_DMA_PIN_CHECK, HOLE, { 0 }, EFAULT },
	{ "pin_check_readonly", IDLE, LPT_DMA_PIN_CHECK, RO, { 0 }, EFAULT },
	{ "pin_check_kernel_address", IDLE, LPT_DMA_PIN_CHECK, ABS, { V_KERNEL }, EFAULT },
	{ "pin_check_bad_arg_pointer", IDLE, LPT_DMA_PIN_CHECK, NULLARG, { 0 }, EFAULT },
	{ "info_bad_arg_pointer", IDLE, LPT_DMA_INFO, NULLARG, { 0 }, EFAULT },
	{ "unknown_cmd", IDLE, _IO(LPT_DMA_IOC_MAGIC, 0x7f), ABS, { 0 }, ENOTTY },
	{ "pin_cmd_wrong_size", IDLE, _IOW(LPT_DMA_IOC_MAGIC, 0x00, __u64), RW, { 0 }, ENOTTY },
	{ "foreign_magic", IDLE, _IO('H', 0x00), ABS, { 0 }, ENOTTY },
	/* The accepted forms, so that the table cannot pass by rejecting all. */
	{ "pin_ok", IDLE, LPT_DMA_PIN, RW, { 0, V_NPG_LEN, 0 }, 0 },
	{ "pin_shortterm_ok", IDLE, LPT_DMA_PIN, RW, { 0, V_PAGE, LPT_DMA_PIN_SHORTTERM }, 0 },
	{ "start_ok", PINNED, LPT_DMA_START, ABS, { 0 }, 0 },
	{ "stop_ok", RUNNING, LPT_DMA_STOP, ABS, { 0 }, 0 },
	{ "unpin_running_ok", RUNNING, LPT_DMA_UNPIN, ABS, { 0 }, 0 },
	{ "read_last_word_ok", RUNNING, LPT_DMA_READ, ABS, { V_NPG_M1, V_PAGE_M8 }, 0 },
	{ "write_last_word_ok", PINNED, LPT_DMA_WRITE_WORD, ABS, { V_NPG_M1, V_PAGE_M8 }, 0 },
	{ "pin_check_ok", IDLE, LPT_DMA_PIN_CHECK, RW, { 0 }, 0 },
	{ "info_ok", PINNED, LPT_DMA_INFO, ABS, { 0 }, 0 },
};

static size_t psz;
static char *rw, *hole, *part, *ro;
/*
 * A read-only page of valid arguments (ROARG cases: w[0] is the offset in
 * it): zeros (READ of index 0, offset 0; INFO) and, at ROARG_PIN_CHECK, a
 * PIN_CHECK of rw.
 */
static char *roarg;
static uint64_t max_len;

static uint64_t resolve(uint64_t v)
{
	switch (v) {
	case V_PAGE:	return psz;
	case V_PAGE_M8:	return psz - 8;
	case V_PAGE_M1:	return psz - 1;
	case V_NPG_LEN:	return NPG * psz;
	case V_NPG:	return NPG;
	case V_NPG_M1:	return NPG - 1;
	case V_OVER_MAX: return max_len + psz;
	default:	return v;
	}
}

static int open_in_state(enum state s)
{
	int fd = lpt_open();

	if (s >= PINNED && lpt_pin(fd, rw, NPG * psz, 0))
		ksft_exit_fail_msg("setup pin: %s\n", strerror(errno));
	if (s >= RUNNING && ioctl(fd, LPT_DMA_START))
		ksft_exit_fail_msg("setup start: %s\n", strerror(errno));
	return fd;
}

static void run_case(const struct bad_case *c)
{
	uint64_t arg[5] = { 0 };
	char * const bases[] = { [ABS] = NULL, [RW] = rw, [HOLE] = hole,
			  [PART] = part, [RO] = ro, [NULLARG] = NULL,
			  [ROARG] = NULL };
	int fd = open_in_state(c->state), ret, err;
	long left;
	void *p = arg;
	size_t i;

	for (i = 0; i < 3; i++)
		arg[i] = resolve(c->w[i]);
	arg[0] += (uintptr_t)bases[c->base];
	if (c->base == NULLARG)
		p = NULL;
	if (c->base == ROARG)
		p = roarg + c->w[0];

	errno = 0;
	ret = ioctl(fd, c->cmd, p);
	err = ret ? errno : 0;
	close(fd);
	left = lpt_pinned_pages();
	if (err != c->want || left)
		ksft_print_msg("%s: got %d (%s), want %d (%s); %ld pages left pinned\n",
			       c->name, err, strerror(err), c->want,
			       strerror(c->want), left);
	ksft_test_result(err == c->want && !left, "%s\n", c->name);
}

/* xorshift64: fixed sequence on every libc. */
static uint64_t rnd_state = 0x6c70745f646d61ULL;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static uint64_t rnd_word(void)
{
	const uint64_t pool[] = {
		0, 1, 4, 8, 64, psz - 8, psz - 1, psz, psz + 8, 2 * psz,
		NPG * psz, NPG, NPG - 1, max_len, max_len + psz, ~0ULL,
		~0ULL - psz + 1, V_KERNEL, LPT_DMA_PIN_SHORTTERM,
		(uintptr_t)rw, (uintptr_t)rw + 8, (uintptr_t)rw + psz,
		(uintptr_t)hole, (uintptr_t)part, (uintptr_t)ro,
	};
	uint64_t r = rnd();

	if (r % 8 == 0)
		return rnd();
	return pool[(r >> 8) % ARRAY_SIZE(pool)];
}

/*
 * The errnos lpt_dma_uapi.h documents for each command: its own, plus EFAULT
 * for every command that takes an argument structure. A number that is not
 * a command may only fail, with ENOTTY.
 */
static const struct {
	unsigned long cmd;
	int errs[8];
} documented[] = {
	{ LPT_DMA_PIN, { EFAULT, EINVAL, E2BIG, EBUSY, ENOMEM } },
	{ LPT_DMA_UNPIN, { ENOENT } },
	{ LPT_DMA_START, { ENOENT, EBUSY, ENOMEM, EAGAIN, EINTR } },
	{ LPT_DMA_STOP, { ENOENT } },
	{ LPT_DMA_READ, { EFAULT, ENOENT, ERANGE, EINVAL } },
	{ LPT_DMA_WRITE_WORD, { EFAULT, ENOENT, ERANGE, EINVAL } },
	{ LPT_DMA_PIN_CHECK, { EFAULT, EINVAL, ENOMEM } },
	{ LPT_DMA_INFO, { EFAULT } },
};

/* The documented errnos of @cmd (0-terminated), NULL if it is no command. */
static const int *documented_errnos(unsigned long cmd)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(documented); i++)
		if (documented[i].cmd == cmd)
			return documented[i].errs;
	return NULL;
}

static bool errno_documented(unsigned long cmd, int err)
{
	static const int unknown[] = { ENOTTY, 0 };
	const int *e = documented_errnos(cmd);

	for (e = e ? e : unknown; *e; e++)
		if (*e == err)
			return true;
	return false;
}

/* Pages the module pins now, and the pages the files @fds hold. */
static int pins_accounted(const int fds[2], long *module, long *files)
{
	struct lpt_dma_info info[2];

	*module = *files = -1;
	if (ioctl(fds[0], LPT_DMA_INFO, &info[0]) ||
	    ioctl(fds[1], LPT_DMA_INFO, &info[1]))
		return -1;
	*module = (long)info[1].pinned_pages;
	*files = (long)(info[0].npages + info[1].npages);
	return *module == *files ? 0 : -1;
}

struct random_result {
	unsigned long ok, failed;
	unsigned long bad_errno;	/* undocumented errno, or unknown cmd ok */
	unsigned long bad_pins;		/* module count != what the files hold */
};

static void random_loop(int iters, struct random_result *res)
{
	const unsigned long cmds[] = {
		LPT_DMA_PIN, LPT_DMA_UNPIN, LPT_DMA_START, LPT_DMA_STOP,
		LPT_DMA_READ, LPT_DMA_WRITE_WORD, LPT_DMA_PIN_CHECK,
		LPT_DMA_INFO, 0,
	};
	const unsigned int sizes[] = { 0, 4, 8, 16, 24, 40, 64 };
	int fds[2] = { lpt_open(), lpt_open() };
	long module, files;
	uint64_t arg[5];
	unsigned long cmd;
	int i, j, f, err;
	void *p;

	for (i = 0; i < iters; i++) {
		f = rnd() % 2;
		if (rnd() % 64 == 0) {
			close(fds[f]);
			fds[f] = lpt_open();
		}
		for (j = 0; j < 5; j++)
			arg[j] = rnd_word();
		cmd = cmds[rnd() % ARRAY_SIZE(cmds)];
		if (!cmd)	/* any dir/nr/size, but only this driver's magic */
			cmd = _IOC(rnd() % 4, LPT_DMA_IOC_MAGIC, rnd() % 16,
				   sizes[rnd() % ARRAY_SIZE(sizes)]);
		switch (rnd() % 16) {
		case 0:
			p = NULL;
			break;
		case 1:
			p = hole;
			break;
		case 2:
			p = ro;
			break;
		default:
			p = arg;
		}
		errno = 0;
		if (ioctl(fds[f], cmd, p)) {
			err = errno;
			res->failed++;
			if (!errno_documented(cmd, err) && res->bad_errno++ < 5)
				ksft_print_msg("random %d: cmd %#lx failed with %d (%s), not documented for it\n",
					       i, cmd, err, strerror(err));
		} else {
			res->ok++;
			if (!documented_errnos(cmd) && res->bad_errno++ < 5)
				ksft_print_msg("random %d: unknown cmd %#lx succeeded\n",
					       i, cmd);
		}
		if (pins_accounted(fds, &module, &files) &&
		    res->bad_pins++ < 5)
			ksft_print_msg("random %d: after cmd %#lx the module pins %ld pages, its files hold %ld\n",
				       i, cmd, module, files);
	}
	close(fds[0]);
	close(fds[1]);
}

int main(int argc, char **argv)
{
	struct random_result res = { 0 };
	long pins_before, pins_after, mod;
	int iters = 5000, opt;
	size_t i;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt == 'n')
			iters = atoi(optarg);
		if (opt != 'n' || iters < 0) {
			fprintf(stderr, "usage: %s [-n random-iterations]\n", argv[0]);
			return KSFT_FAIL;
		}
	}
	psz = lpt_pagesize();
	max_len = (uint64_t)lpt_read_long("/sys/module/lpt_dma/parameters/max_pin_mb");
	if ((int64_t)max_len <= 0)
		max_len = 64;
	max_len <<= 20;

	ksft_print_header();
	close(lpt_open());
	ksft_set_plan(ARRAY_SIZE(cases) + 3);

	rw = mmap(NULL, NPG * psz, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, psz, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	part = mmap(NULL, NPG * psz, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	hole = mmap(NULL, NPG * psz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (rw == MAP_FAILED || ro == MAP_FAILED || part == MAP_FAILED ||
	    hole == MAP_FAILED)
		ksft_exit_fail_perror("mmap");
	memset(rw, 0, NPG * psz);
	roarg = mmap(NULL, psz, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (roarg == MAP_FAILED)
		ksft_exit_fail_perror("mmap");
	*(uint64_t *)(roarg + ROARG_PIN_CHECK) = (uintptr_t)rw;
	mprotect(roarg, psz, PROT_READ);
	memset(part, 0, NPG * psz);
	/* Second half of part: mapped but not writable, the pin fails there. */
	mprotect(part + NPG / 2 * psz, NPG / 2 * psz, PROT_READ);
	/* A real hole: nothing mapped there any more. */
	munmap(hole, NPG * psz);

	pins_before = lpt_foll_pins_outstanding();
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);

	random_loop(iters, &res);
	ksft_print_msg("random: %d ioctls, %lu succeeded, %lu failed\n",
		       iters, res.ok, res.failed);
	ksft_test_result(!res.bad_errno, "random_ioctls_fail_with_documented_errnos\n");
	ksft_test_result(!res.bad_pins, "random_ioctls_module_pins_match_files\n");

	mod = lpt_pinned_pages();
	pins_after = pins_before < 0 ? -1 : lpt_wait_foll_pins(pins_before, 2000);
	ksft_print_msg("module pins %ld; FOLL_PIN outstanding %ld -> %ld\n",
		       mod, pins_before, pins_after);
	ksft_test_result(mod == 0 && pins_after == pins_before,
			 "pins_balanced_after_all\n");
	ksft_finished();
}
