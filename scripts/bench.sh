#!/bin/bash
# make bench: what GUP-fast, pin-fast and a pagemap read cost on the base
# and on the patched kernel. Boots the two kernels alternately
# BENCH_BOOTS times (default 10) with the same initramfs; every boot runs
# bench/gup_bench once. Medians go to bench/results/$KBASE/$ARCH.md
# ($ARCH-$FLAVOR.md for a FLAVOR other than perf, the default here).
#
# BENCH_BASE=<rev of build/$KBASE/linux> (e.g. HEAD~2): compare the patched
# kernel with that commit of the series instead of the unpatched base; the
# table goes to bench/results/$KBASE/$ARCH-vs-<rev>.md.
#
# The VMs run with QEMU's icount (ICOUNT=1, one vCPU): the guest clock
# counts instructions, so the figures are the cost of the code the guest
# runs, the same from run to run and whatever else the host does. Plain
# TCG timings of byte-identical GUP code differed by up to 20% between
# the two kernels here.
. "$(dirname "$0")/lib.sh"
# Kernels built as distributions build theirs (configs/perf.config: -O2,
# no DEBUG_VM) unless FLAVOR= says otherwise, on the arches that flavour
# has been built for; elsewhere (i386) the default flavour.
case " $(flavor_arches perf) " in
*" ${ARCH:-x86_64} "*) FLAVOR=${FLAVOR:-perf} ;;
esac
load_arch
BOOTS=${BENCH_BOOTS:-10}
case $BOOTS in [1-9] | [1-9][0-9]) ;; *) die "BENCH_BOOTS=$BOOTS; valid: 1 to 99" ;; esac
"$TOP/scripts/build-kernel.sh"
"$TOP/scripts/build-user.sh"
[ -d "$BUILD/linux-base" ] || git -C "$TREE" worktree add -q --detach "$BUILD/linux-base" base
# A flavour other than perf in the file name.
name=$ARCH
[ "$FLAVOR" = perf ] || name=$ARCH-$FLAVOR
label=$(cat "$BUILD/base-version") out=$TOP/bench/results/$KBASE/$name.md
label="$label, kernels of flavour $FLAVOR (configs/$FLAVOR.config)"
if [ -n "${BENCH_BASE:-}" ]; then
	rev=$(git -C "$TREE" rev-parse -q --verify "$BENCH_BASE^{commit}") ||
		die "BENCH_BASE=$BENCH_BASE is not a commit of build/$KBASE/linux; valid: base, HEAD~N, a sha"
	# The base worktree goes back to the base when this script ends.
	trap 'git -C "$BUILD/linux-base" checkout -q --detach base' EXIT
	git -C "$BUILD/linux-base" checkout -q --detach "$rev"
	label="$label with the series up to \"$(git -C "$TREE" log -1 --format=%s "$rev")\""
	out=$TOP/bench/results/$KBASE/$name-vs-$(printf '%s' "$BENCH_BASE" | tr -c 'A-Za-z0-9_.-' _).md
fi
BASE=1 "$TOP/scripts/build-kernel.sh"
BASE=1 "$TOP/scripts/module.sh"

logs=()
for i in $(seq "$BOOTS"); do
	for k in base patched; do
		BASE=$([ $k = base ] && echo 1 || echo 0) TAG=bench-$k-$i SUITE=bench \
			ICOUNT=1 SMP=1 "$TOP/scripts/boot.sh"
		logs+=("$k=$BUILD/logs/$ARCH-$FLAVOR-bench-$k-$i.log")
	done
done
mkdir -p "$TOP/bench/results/$KBASE"
"$TOP/scripts/bench-report.py" "$ARCH" "$label" "${logs[@]}" >"$out.tmp" ||
	{ cat "$out.tmp"; rm -f "$out.tmp"; die "benchmark runs failed"; }
mv "$out.tmp" "$out"
cat "$out"
echo "(written to ${out#$TOP/})"
