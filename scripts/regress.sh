#!/bin/bash
# make regress: the kernel's own mm selftest runner, run_vmtests.sh, in its
# default mode, unmodified, on the unpatched base and on the patched kernel,
# with the same binaries (scripts/build-regress.sh). Prints each test's two
# results and fails on a test that passes on the base and fails patched, a
# patched VM that went wrong, or a base run that left tests uncompared
# (scripts/report.py regress). The report is kept in
# build/logs/$ARCH-$FLAVOR-regress.txt.
# CATEGORY=name runs one category of run_vmtests.sh (its -t).
. "$(dirname "$0")/lib.sh"
load_arch
[ "${BASE:-0}" = 0 ] || die "make regress boots both kernels; drop BASE=1"
[ -f "$OBJ/$KIMAGE" ] || die "no patched kernel in ${OBJ#$TOP/}; run 'make build ARCH=$ARCH' first"
"$TOP/scripts/build-regress.sh"
[ -d "$BUILD/linux-base" ] || git -C "$TREE" worktree add -q --detach "$BUILD/linux-base" base
BASE=1 "$TOP/scripts/build-kernel.sh"
# Above the suite entry's own timeout (tests/regress), so that a runner
# that hangs is killed and reported before the VM is.
export VM_TIMEOUT=${VM_TIMEOUT:-6000}
tag=regress${CATEGORY:+-$CATEGORY}
log=$BUILD/logs/$ARCH-$FLAVOR-$tag
for kernel in base patched; do
	t0=$(date +%s)
	BASE=$([ $kernel = base ] && echo 1 || echo 0) SUITE=regress TAG=$tag-$kernel \
		"$TOP/scripts/boot.sh" || true
	echo "$kernel kernel: VM ran $(($(date +%s) - t0)) s ($log-$kernel.log)"
done | tee "$TMP/times"
{
	echo "make regress ARCH=$ARCH FLAVOR=$FLAVOR${CATEGORY:+ CATEGORY=$CATEGORY}, base: $(cat "$BUILD/base-version")"
	cat "$TMP/times"
	"$TOP/scripts/report.py" regress "$log-base.log" "$log-patched.log"
} | tee "$log.txt"
