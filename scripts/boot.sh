#!/bin/bash
# Boot build/obj-$ARCH-$FLAVOR with build/user-$ARCH's initramfs in QEMU and
# keep the serial log in build/logs/$ARCH-$FLAVOR${TAG:+-$TAG}.log.
. "$(dirname "$0")/lib.sh"
load_arch
SMP=${SMP:-4}
MEM=${MEM:-2G}
VM_TIMEOUT=${VM_TIMEOUT:-2400}
case $SMP in [1-8]) ;; *) die "SMP=$SMP; valid: 1 to 8" ;; esac
case $MEM in [0-9]*[MG]) ;; *) die "MEM=$MEM; valid: a size such as 2G or 1536M" ;; esac
kernel=$OBJ/$KIMAGE
# A flavour may ask for kernel parameters: "# lpt-cmdline: ..." lines.
cmdline=$(sed -n 's/^# lpt-cmdline: //p' "$TOP/configs/$FLAVOR.config" | tr '\n' ' ')
# And make mutant adds its own (EXTRA_CMDLINE, scripts/mutant.sh).
cmdline="$cmdline ${EXTRA_CMDLINE:-}"
initrd=$USR/initramfs.cpio.gz
[ "${BASE:-0}" = 1 ] && initrd=$USR/initramfs-base.cpio.gz
# make mutant's own, for a mutant of module/ (scripts/mutant.sh).
[ -z "${INITRD:-}" ] || initrd=$INITRD
# T= must name at least one test of this arch's suite (init.sh's own match).
suite=$USR/suite
[ "${SUITE:-tests}" = bench ] && suite=$TOP/bench/suite
# SUITE=regress (scripts/build-regress.sh): one initramfs for both kernels.
target=build
if [ "${SUITE:-tests}" = regress ]; then
	suite=$USR/regress/suite
	initrd=$USR/regress/initramfs.cpio.gz
	target=regress
fi
[ -f "$kernel" ] && [ -f "$initrd" ] || die "nothing to boot; run 'make $target ARCH=$ARCH'"
names=$(awk -v a="$ARCH" '!/^#/ && NF && ($3 == "all" || index("," $3 ",", "," a ",")) { print $1 }' "$suite")
if [ -n "${T:-}" ] && ! echo "$names" | grep -q -- "$T"; then
	die "T='$T' matches no test of the $ARCH suite; valid: $(echo $names)"
fi
mkdir -p "$BUILD/logs"
log=$BUILD/logs/$ARCH-$FLAVOR${TAG:+-$TAG}.log
# NUMA nodes (scripts/arch/$ARCH.sh): fake ones the kernel makes, or QEMU's
# with memory and vCPUs split evenly (the remainder CPUs on the last node).
mem=$MEM
numa=
case ${NUMA:-none} in
none) ;;
fake) cmdline="$cmdline numa=fake=$NODES" ;;
qemu)
	case $MEM in *G) mb=$((${MEM%G} * 1024)) ;; *) mb=${MEM%M} ;; esac
	mem=$((mb / NODES * NODES))M
	for ((n = 0; n < NODES; n++)); do
		per=$((SMP / NODES))
		cpus=
		if [ $per -gt 0 ] || [ $n = $((NODES - 1)) ]; then
			last=$((n == NODES - 1 ? SMP - 1 : (n + 1) * per - 1))
			cpus=,cpus=$((n * per))-$last
		fi
		numa="$numa -object memory-backend-ram,id=m$n,size=$((mb / NODES))M"
		numa="$numa -numa node,nodeid=$n,memdev=m$n$cpus"
	done ;;
*) die "scripts/arch/$ARCH.sh: NUMA=$NUMA; valid: none fake qemu" ;;
esac

qemu() {
	local accel=$1 t=$2 out=$3
	shift 3
	timeout --foreground -k 5 "$t" $QEMU $QEMU_MACHINE -accel "$accel" $icount \
		-smp "$SMP" -m "$mem" $numa -kernel "$kernel" -initrd "$initrd" \
		-append "console=$CONSOLE panic=-1 printk.devkmsg=on lpt.arch=$ARCH $cmdline $*" \
		-display none -serial stdio -monitor none -no-reboot \
		</dev/null >"$out" 2>&1
}

# KVM only if a short probe boot gets to userspace (nested KVM may hang).
accel=tcg,thread=multi
probe=$BUILD/kvm-$ARCH
if [ ! -f "$probe" ]; then
	echo no >"$probe"
	if [ -w /dev/kvm ] && [ "$(uname -m)" = "$KVM_HOST" ]; then
		(qemu kvm 30 "$probe.log" lpt.probe=1) 2>/dev/null || true
		grep -qs 'lpt: probe ok' "$probe.log" && echo yes >"$probe"
	fi
fi
[ "$(cat "$probe")" = yes ] && accel=kvm
# ICOUNT=1 (make bench): one vCPU thread whose clock counts guest
# instructions (1 ns each), so timings measure the code the guest runs,
# not the host's load or the emulator's caches.
icount=
if [ "${ICOUNT:-0}" = 1 ]; then
	accel=tcg,thread=single
	icount="-icount shift=0,sleep=off"
fi
note "booting $ARCH/$FLAVOR (accel=${accel%%,*}${icount:+ icount}, smp=$SMP, mem=$mem, nodes=${NODES:-1}, timeout ${VM_TIMEOUT}s)"

rc=0
if [ "${V:-0}" = 1 ]; then
	qemu "$accel" "$VM_TIMEOUT" /dev/stdout "lpt.t=${T:-} lpt.suite=${SUITE:-tests}" | tee "$log" || rc=$?
else
	qemu "$accel" "$VM_TIMEOUT" "$log" "lpt.t=${T:-} lpt.suite=${SUITE:-tests}" || rc=$?
fi
case $rc in
0) ;;
124 | 137)
	echo "lpt: vm timeout" >>"$log"
	tail -n 50 "$log" >&2
	die "VM timed out after ${VM_TIMEOUT}s (last 50 lines of $log above)" ;;
*) die "QEMU exited with status $rc (see $log)" ;;
esac
