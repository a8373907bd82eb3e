/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * lpt_dma: a DMA-engine emulator for testing how pinned user pages behave
 * across fork(). Opening /dev/lpt_dma gives one emulated device context: it
 * can long-term pin one user range and run a "DMA engine" kthread that keeps
 * writing into the pinned pages, like a NIC filling RX buffers.
 *
 * Device header: while the engine runs, the first LPT_DMA_HDR_SIZE bytes of
 * every pinned page belong to the device. Each engine pass increments a
 * 64-bit sequence number (first value 1) and stores, in every page,
 *	offset 0: the sequence number of the pass (__u64)
 *	offset 8: the index of the page inside the pinned range (__u64)
 * The rest of each page is left alone by the engine.
 *
 * All ioctls take a pointer to a fixed-layout structure of __u64 fields, so
 * 32-bit callers use the same numbers. Errors common to every command that
 * takes an argument structure:
 *	EFAULT	the argument structure cannot be copied in or out
 * and to every number that is not one of the commands below (another size
 * or direction of one of their numbers included):
 *	ENOTTY	unknown command
 * No command returns any other errno.
 */
#ifndef _LPT_DMA_UAPI_H
#define _LPT_DMA_UAPI_H

#include <linux/types.h>
#include <linux/const.h>
#include <linux/ioctl.h>

#define LPT_DMA_DEVICE		"/dev/lpt_dma"
#define LPT_DMA_HDR_SIZE	16
#define LPT_DMA_HDR_SEQ		0
#define LPT_DMA_HDR_INDEX	8

/* Do not use FOLL_LONGTERM for the pin (default: long-term pin). */
#define LPT_DMA_PIN_SHORTTERM	_BITULL(0)
#define LPT_DMA_PIN_FLAGS	LPT_DMA_PIN_SHORTTERM

/*
 * LPT_DMA_PIN: pin [addr, addr + len) writable for the device.
 * @addr: (in) page-aligned user address
 * @len: (in) page-aligned length, 1 page to max_pin_mb (module parameter,
 *	default 64 MiB)
 * @flags: (in) 0 or LPT_DMA_PIN_* bits
 * Errors:
 *	EINVAL	addr or len not page aligned, len 0, unknown flag bit,
 *		addr + len wraps around
 *	E2BIG	len above max_pin_mb
 *	EBUSY	this file already has a pinned range
 *	EFAULT	some page of the range could not be pinned writable (nothing
 *		stays pinned)
 *	ENOMEM	out of kernel memory
 */
struct lpt_dma_pin {
	__u64	addr;
	__u64	len;
	__u64	flags;
};

/*
 * LPT_DMA_READ: what the device sees in pinned page @index.
 * @index: (in) page index inside the pinned range
 * @offset: (in) 8-byte aligned offset of @word in the page
 * @seq: (out) sequence number stored at LPT_DMA_HDR_SEQ
 * @page_index: (out) index stored at LPT_DMA_HDR_INDEX
 * @word: (out) the __u64 at @offset
 * Errors: ENOENT nothing pinned; ERANGE @index outside the range;
 *	EINVAL @offset unaligned or not inside the page.
 *
 * LPT_DMA_WRITE_WORD: the device stores @word at @offset of page @index
 * (@seq and @page_index are ignored). Same errors as LPT_DMA_READ.
 */
struct lpt_dma_rw {
	__u64	index;
	__u64	offset;
	__u64	seq;
	__u64	page_index;
	__u64	word;
};

/*
 * LPT_DMA_PIN_CHECK: pin_user_pages_fast(FOLL_WRITE) the single page that
 * holds @addr, read the __u64 at @addr through that pin, unpin. Independent
 * of the file's pinned range.
 * @addr: (in) 8-byte aligned user address
 * @value: (out) the value the device read
 * Errors: EINVAL @addr unaligned; EFAULT the page could not be pinned;
 *	ENOMEM out of kernel memory while pinning.
 */
struct lpt_dma_pin_check {
	__u64	addr;
	__u64	value;
};

/*
 * LPT_DMA_INFO: state of this file and of the module. Errors: only the
 * common EFAULT.
 * @addr, @npages: (out) the pinned range of this file, 0 if none
 * @running: (out) 1 while the engine of this file runs
 * @seq: (out) sequence number of the last completed engine pass of this file
 * @pinned_pages: (out) pages pinned right now by all files of the module
 *	(includes the transient LPT_DMA_PIN_CHECK pins)
 */
struct lpt_dma_info {
	__u64	addr;
	__u64	npages;
	__u64	running;
	__u64	seq;
	__u64	pinned_pages;
};

#define LPT_DMA_IOC_MAGIC	0xB8

#define LPT_DMA_PIN		_IOW(LPT_DMA_IOC_MAGIC, 0x00, struct lpt_dma_pin)
/*
 * LPT_DMA_UNPIN: stop the engine if it runs, unpin (marking pages dirty).
 * Errors: ENOENT nothing pinned.
 */
#define LPT_DMA_UNPIN		_IO(LPT_DMA_IOC_MAGIC, 0x01)
/*
 * LPT_DMA_START: start the engine on the pinned range.
 * Errors: ENOENT nothing pinned; EBUSY already running; ENOMEM/EAGAIN
 *	the kthread could not be created; EINTR the caller was killed while
 *	it was being created.
 */
#define LPT_DMA_START		_IO(LPT_DMA_IOC_MAGIC, 0x02)
/*
 * LPT_DMA_STOP: stop the engine; the range stays pinned.
 * Errors: ENOENT engine not running.
 */
#define LPT_DMA_STOP		_IO(LPT_DMA_IOC_MAGIC, 0x03)
#define LPT_DMA_READ		_IOWR(LPT_DMA_IOC_MAGIC, 0x04, struct lpt_dma_rw)
#define LPT_DMA_WRITE_WORD	_IOW(LPT_DMA_IOC_MAGIC, 0x05, struct lpt_dma_rw)
#define LPT_DMA_PIN_CHECK	_IOWR(LPT_DMA_IOC_MAGIC, 0x06, struct lpt_dma_pin_check)
#define LPT_DMA_INFO		_IOR(LPT_DMA_IOC_MAGIC, 0x07, struct lpt_dma_info)

/* Closing the file stops the engine and unpins the range. */

#endif /* _LPT_DMA_UAPI_H */
