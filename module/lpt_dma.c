// SPDX-License-Identifier: GPL-2.0
/*
 * lpt_dma: emulate a DMA engine that writes into long-term pinned user pages.
 *
 * Every open of /dev/lpt_dma is one device context. A context pins one user
 * range with pin_user_pages_fast(FOLL_WRITE | FOLL_LONGTERM), the way an RDMA
 * or VFIO driver registers a buffer, and can run an "engine" kthread that
 * keeps storing a sequence number and the page index at the start of every
 * pinned page, like a NIC filling RX buffers. The device only ever goes
 * through the struct page it pinned, never through the process page tables,
 * so a test can compare what the device sees with what the CPU sees in the
 * parent and in a forked child. See lpt_dma_uapi.h for the ABI.
 *
 * Locking: ctx->lock serialises the ioctls and release of one context. The
 * engine does not take it: it only runs between START and STOP/UNPIN/release,
 * all of which stop it (kthread_stop() waits for it) before the page array
 * changes. Pinning and unpinning run outside ctx->lock, on a page array
 * that is not (or no longer) installed in the context: GUP may sleep for a
 * long time, and an oops inside it (DEBUG_VM's checks of pinned pages, which
 * the tests provoke on broken kernels) must not leave the context locked,
 * or the process would hang in release() at exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cleanup.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "lpt_dma_uapi.h"

static unsigned int max_pin_mb = 64;
module_param(max_pin_mb, uint, 0444);
MODULE_PARM_DESC(max_pin_mb, "Largest range one file may pin, in MiB (default 64)");

static unsigned int pass_delay_us = 200;
module_param(pass_delay_us, uint, 0644);
MODULE_PARM_DESC(pass_delay_us, "Engine pause between passes, in us (default 200, max 100000)");

/* Pages pinned right now by the whole module; reported by LPT_DMA_INFO. */
static atomic_long_t lpt_dma_pinned = ATOMIC_LONG_INIT(0);

/* Pin at most this many pages per pin_user_pages_fast() call. */
#define LPT_DMA_PIN_CHUNK	1024UL

struct lpt_dma_ctx {
	struct mutex lock;		/* serialises ioctls and release */
	struct page **pages;		/* NULL when nothing is pinned */
	unsigned long npages;
	unsigned long addr;
	struct task_struct *engine;	/* NULL when the engine is stopped */
	u64 seq;			/* last completed pass, engine-written */
};

static void lpt_dma_store_hdr(struct page *page, u64 seq, u64 index)
{
	u64 *p = kmap_local_page(page);

	WRITE_ONCE(p[LPT_DMA_HDR_SEQ / sizeof(u64)], seq);
	WRITE_ONCE(p[LPT_DMA_HDR_INDEX / sizeof(u64)], index);
	kunmap_local(p);
	flush_dcache_page(page);
}

static int lpt_dma_engine(void *data)
{
	struct lpt_dma_ctx *ctx = data;
	u64 seq = READ_ONCE(ctx->seq);
	unsigned int delay;
	unsigned long i;

	while (!kthread_should_stop()) {
		seq++;
		for (i = 0; i < ctx->npages; i++) {
			lpt_dma_store_hdr(ctx->pages[i], seq, i);
			cond_resched();
		}
		WRITE_ONCE(ctx->seq, seq);

		delay = min(READ_ONCE(pass_delay_us), 100000U);
		if (delay)
			usleep_range(delay, delay + delay / 2);
		else
			cond_resched();
	}
	return 0;
}

static void lpt_dma_stop_engine(struct lpt_dma_ctx *ctx)
{
	lockdep_assert_held(&ctx->lock);
	if (ctx->engine) {
		kthread_stop(ctx->engine);
		ctx->engine = NULL;
	}
}

/* Unpin a page array that no context holds any more (no ctx->lock needed). */
static void lpt_dma_unpin_pages(struct page **pages, unsigned long npages)
{
	/* The device wrote to the pages: they must reach swap or a file. */
	unpin_user_pages_dirty_lock(pages, npages, true);
	atomic_long_sub(npages, &lpt_dma_pinned);
	kvfree(pages);
}

/*
 * Stop the engine and take the pinned range out of @ctx. Returns the page
 * array (NULL if nothing was pinned) for lpt_dma_unpin_pages(), which the
 * caller runs after dropping ctx->lock.
 */
static struct page **lpt_dma_detach_range(struct lpt_dma_ctx *ctx,
					  unsigned long *npages)
{
	struct page **pages = ctx->pages;

	lockdep_assert_held(&ctx->lock);
	lpt_dma_stop_engine(ctx);
	*npages = ctx->npages;
	ctx->pages = NULL;
	ctx->npages = 0;
	ctx->addr = 0;
	return pages;
}

static long lpt_dma_ioc_pin(struct lpt_dma_ctx *ctx, void __user *uarg)
{
	unsigned int gup_flags = FOLL_WRITE | FOLL_LONGTERM;
	unsigned long npages, done, start, end;
	struct lpt_dma_pin arg;
	struct page **pages;
	long ret = 0;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags & ~LPT_DMA_PIN_FLAGS)
		return -EINVAL;
	if (!arg.len || !PAGE_ALIGNED(arg.addr) || !PAGE_ALIGNED(arg.len))
		return -EINVAL;
	/* Also rejects an addr that does not fit an unsigned long. */
	if (check_add_overflow(arg.addr, arg.len, &end))
		return -EINVAL;
	if (arg.len > (u64)max_pin_mb << 20)
		return -E2BIG;
	if (arg.flags & LPT_DMA_PIN_SHORTTERM)
		gup_flags &= ~FOLL_LONGTERM;

	start = arg.addr;
	npages = arg.len >> PAGE_SHIFT;

	/* EBUSY before EFAULT: checked again once the pages are pinned. */
	scoped_guard(mutex, &ctx->lock) {
		if (ctx->pages)
			return -EBUSY;
	}

	pages = kvcalloc(npages, sizeof(*pages), GFP_KERNEL_ACCOUNT);
	if (!pages)
		return -ENOMEM;

	for (done = 0; done < npages; done += ret) {
		ret = pin_user_pages_fast(start + (done << PAGE_SHIFT),
					  min(npages - done, LPT_DMA_PIN_CHUNK),
					  gup_flags, pages + done);
		if (ret <= 0)
			break;
	}
	if (done < npages) {
		/* All or nothing: never leave part of the range pinned. */
		if (done)
			unpin_user_pages(pages, done);
		kvfree(pages);
		return ret == -ENOMEM ? -ENOMEM : -EFAULT;
	}

	atomic_long_add(npages, &lpt_dma_pinned);
	scoped_guard(mutex, &ctx->lock) {
		if (!ctx->pages) {
			ctx->pages = pages;
			ctx->npages = npages;
			ctx->addr = start;
			return 0;
		}
	}
	/* A concurrent LPT_DMA_PIN on this file installed its range first. */
	lpt_dma_unpin_pages(pages, npages);
	return -EBUSY;
}

static long lpt_dma_ioc_unpin(struct lpt_dma_ctx *ctx)
{
	unsigned long npages;
	struct page **pages;

	scoped_guard(mutex, &ctx->lock)
		pages = lpt_dma_detach_range(ctx, &npages);
	if (!pages)
		return -ENOENT;
	lpt_dma_unpin_pages(pages, npages);
	return 0;
}

static long lpt_dma_ioc_start(struct lpt_dma_ctx *ctx)
{
	struct task_struct *t;

	guard(mutex)(&ctx->lock);
	if (!ctx->pages)
		return -ENOENT;
	if (ctx->engine)
		return -EBUSY;
	t = kthread_run(lpt_dma_engine, ctx, "lpt_dma/%d",
			task_pid_nr(current));
	if (IS_ERR(t))
		return PTR_ERR(t);
	ctx->engine = t;
	return 0;
}

static long lpt_dma_ioc_stop(struct lpt_dma_ctx *ctx)
{
	guard(mutex)(&ctx->lock);
	if (!ctx->engine)
		return -ENOENT;
	lpt_dma_stop_engine(ctx);
	return 0;
}

/* Validate an lpt_dma_rw; returns 0 or the negative errno to report. */
static long lpt_dma_rw_check(struct lpt_dma_ctx *ctx,
			     const struct lpt_dma_rw *arg)
{
	lockdep_assert_held(&ctx->lock);
	if (arg->offset >= PAGE_SIZE || !IS_ALIGNED(arg->offset, sizeof(u64)))
		return -EINVAL;
	if (!ctx->pages)
		return -ENOENT;
	if (arg->index >= ctx->npages)
		return -ERANGE;
	return 0;
}

static long lpt_dma_ioc_read(struct lpt_dma_ctx *ctx, void __user *uarg)
{
	struct lpt_dma_rw arg;
	long ret;
	u64 *p;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;

	scoped_guard(mutex, &ctx->lock) {
		ret = lpt_dma_rw_check(ctx, &arg);
		if (ret)
			return ret;
		p = kmap_local_page(ctx->pages[arg.index]);
		arg.seq = READ_ONCE(p[LPT_DMA_HDR_SEQ / sizeof(u64)]);
		arg.page_index = READ_ONCE(p[LPT_DMA_HDR_INDEX / sizeof(u64)]);
		arg.word = READ_ONCE(p[arg.offset / sizeof(u64)]);
		kunmap_local(p);
	}

	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;
}

static long lpt_dma_ioc_write_word(struct lpt_dma_ctx *ctx, void __user *uarg)
{
	struct lpt_dma_rw arg;
	struct page *page;
	long ret;
	u64 *p;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;

	guard(mutex)(&ctx->lock);
	ret = lpt_dma_rw_check(ctx, &arg);
	if (ret)
		return ret;
	page = ctx->pages[arg.index];
	p = kmap_local_page(page);
	WRITE_ONCE(p[arg.offset / sizeof(u64)], arg.word);
	kunmap_local(p);
	flush_dcache_page(page);
	return 0;
}

static long lpt_dma_ioc_pin_check(void __user *uarg)
{
	struct lpt_dma_pin_check arg;
	struct page *page;
	unsigned long addr;
	long ret;
	u64 *p;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (!IS_ALIGNED(arg.addr, sizeof(u64)))
		return -EINVAL;
	addr = arg.addr;
	if (addr != arg.addr)
		return -EFAULT;

	/* No FOLL_LONGTERM: the lockless GUP-fast walk is tried first. */
	ret = pin_user_pages_fast(addr & PAGE_MASK, 1, FOLL_WRITE, &page);
	if (ret != 1)
		return ret == -ENOMEM ? -ENOMEM : -EFAULT;
	atomic_long_inc(&lpt_dma_pinned);

	p = kmap_local_page(page);
	arg.value = READ_ONCE(p[offset_in_page(addr) / sizeof(u64)]);
	kunmap_local(p);

	unpin_user_page(page);
	atomic_long_dec(&lpt_dma_pinned);

	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;
}

static long lpt_dma_ioc_info(struct lpt_dma_ctx *ctx, void __user *uarg)
{
	struct lpt_dma_info info = {};

	scoped_guard(mutex, &ctx->lock) {
		info.addr = ctx->addr;
		info.npages = ctx->npages;
		info.running = !!ctx->engine;
		info.seq = READ_ONCE(ctx->seq);
	}
	info.pinned_pages = atomic_long_read(&lpt_dma_pinned);

	if (copy_to_user(uarg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static long lpt_dma_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct lpt_dma_ctx *ctx = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case LPT_DMA_PIN:
		return lpt_dma_ioc_pin(ctx, uarg);
	case LPT_DMA_UNPIN:
		return lpt_dma_ioc_unpin(ctx);
	case LPT_DMA_START:
		return lpt_dma_ioc_start(ctx);
	case LPT_DMA_STOP:
		return lpt_dma_ioc_stop(ctx);
	case LPT_DMA_READ:
		return lpt_dma_ioc_read(ctx, uarg);
	case LPT_DMA_WRITE_WORD:
		return lpt_dma_ioc_write_word(ctx, uarg);
	case LPT_DMA_PIN_CHECK:
		return lpt_dma_ioc_pin_check(uarg);
	case LPT_DMA_INFO:
		return lpt_dma_ioc_info(ctx, uarg);
	default:
		return -ENOTTY;
	}
}

static int lpt_dma_open(struct inode *inode, struct file *file)
{
	struct lpt_dma_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	mutex_init(&ctx->lock);
	file->private_data = ctx;
	return 0;
}

static int lpt_dma_release(struct inode *inode, struct file *file)
{
	struct lpt_dma_ctx *ctx = file->private_data;
	unsigned long npages;
	struct page **pages;

	scoped_guard(mutex, &ctx->lock)
		pages = lpt_dma_detach_range(ctx, &npages);
	if (pages)
		lpt_dma_unpin_pages(pages, npages);
	mutex_destroy(&ctx->lock);
	kfree(ctx);
	return 0;
}

static const struct file_operations lpt_dma_fops = {
	.owner		= THIS_MODULE,
	.open		= lpt_dma_open,
	.release	= lpt_dma_release,
	.unlocked_ioctl	= lpt_dma_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice lpt_dma_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "lpt_dma",
	.fops	= &lpt_dma_fops,
	.mode	= 0600,
};
module_misc_device(lpt_dma_misc);

MODULE_DESCRIPTION("DMA engine emulator writing into pinned user pages, for fork tests");
MODULE_AUTHOR("lockless-pgtable project");
MODULE_LICENSE("GPL");
