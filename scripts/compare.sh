#!/bin/bash
# make compare: boot the unpatched base kernel with the patched tree's test
# binaries (lpt_dma.ko built against the base) and print base and patched
# results side by side (scripts/report.py compare). Shows which tests
# detect what the base kernel lacks.
. "$(dirname "$0")/lib.sh"
load_arch
[ -f "$USR/initramfs.cpio.gz" ] || die "no test initramfs; run 'make build ARCH=$ARCH' first"
[ -d "$BUILD/linux-base" ] || git -C "$TREE" worktree add -q --detach "$BUILD/linux-base" base
BASE=1 "$TOP/scripts/build-kernel.sh"
BASE=1 "$TOP/scripts/module.sh"
# Both kernels boot here, with the same T, one after the other. A VM that
# times out still has its log compared (report.py says so).
TAG=patched "$TOP/scripts/boot.sh" || true
BASE=1 TAG=base "$TOP/scripts/boot.sh" || true
"$TOP/scripts/report.py" compare "$BUILD/logs/$ARCH-$FLAVOR-base.log" \
	"$BUILD/logs/$ARCH-$FLAVOR-patched.log"
