#!/bin/busybox sh
# /init of the test initramfs (busybox sh). Prepares the system, runs every
# test of /suite (of /bench or /regress with lpt.suite=bench or regress)
# that matches lpt.t= with its own timeout, prints KTAP on the console and
# powers the VM off.
/bin/busybox --install -s /bin
export PATH=/tests:/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmp /tmp
mkdir -p /dev/shm && mount -t tmpfs shm /dev/shm
set -o pipefail

arg() { sed -n "s/.*\blpt\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
# Records for scripts/report.py go through the kernel log, so that they are
# ordered with the kernel's own messages (boot.sh turns off the /dev/kmsg
# rate limit): a splat between 'start' and 'end' belongs to that test.
kmsg() { echo "lpt: $*" >/dev/kmsg; }
filter=$(arg t)
# lpt.race_seconds=N: how long the race selftests run in all (a flavour's
# choice, see configs/kcsan.config).
rs=$(arg race_seconds)
[ -z "$rs" ] || export LPT_RACE_SECONDS="$rs"
suite=/suite
[ "$(arg suite)" = bench ] && suite=/bench
# lpt.suite=regress (make regress): run_vmtests.sh calls the selftests as
# ./name, so its tests run in /tests, which holds them; no lpt_dma.ko.
cwd=/tmp
[ "$(arg suite)" = regress ] && suite=/regress cwd=/tests
arch=$(arg arch)

if [ "$(arg probe)" = 1 ]; then
	echo "lpt: probe ok"
	reboot -f
fi

# Swap, so that MADV_PAGEOUT swaps out: 256M of zram.
echo 256M >/sys/block/zram0/disksize
mkswap /dev/zram0 >/dev/null && swapon /dev/zram0

# hugetlb pages of every size the kernel offers: 64M worth (at least two)
# of each size below 1G. No 1G page: a 2G VM has no free aligned gigabyte.
for d in /sys/kernel/mm/hugepages/hugepages-*kB; do
	kb=${d##*hugepages-}
	kb=${kb%kB}
	n=$((65536 / kb))
	[ $n -ge 2 ] || n=2
	[ "$kb" -lt 1048576 ] && echo $n >"$d/nr_hugepages"
	hp="$hp ${kb}kB:$(cat "$d/nr_hugepages")"
done
echo madvise >/sys/kernel/mm/transparent_hugepage/enabled
[ "$suite" = /regress ] || insmod /tests/lpt_dma.ko || kmsg "insmod failed: lpt_dma.ko, exit status $?"
echo "lpt: cpus=$(nproc) mem=$(sed -n 's/MemTotal: *//p' /proc/meminfo)" \
	"swap=$(sed -n 's/SwapTotal: *//p' /proc/meminfo) hugetlb=$hp"

grep -v '^#' $suite | while read -r name timeout arches cmd; do
	[ -n "$name" ] || continue
	case ",$arches," in *",$arch,"* | ,all,) ;; *) continue ;; esac
	[ -z "$filter" ] || echo "$name" | grep -q -- "$filter" || continue
	echo "$name $timeout $cmd"
done >/run.list

echo "KTAP version 1"
echo "1..$(wc -l </run.list)"
kmsg "taint $(cat /proc/sys/kernel/tainted)"
n=0
while read -r name timeout cmd; do
	n=$((n + 1))
	kmsg "start $name"
	t0=$(cut -d' ' -f1 /proc/uptime)
	if [ -x "/tests/${cmd%% *}" ]; then
		(cd $cwd && timeout -s KILL "$timeout" /tests/$cmd </dev/null 2>&1) | sed 's/^/# /'
		rc=$?
	else
		echo "# /tests/${cmd%% *} was not built for this tree"
		rc=missing
	fi
	t1=$(cut -d' ' -f1 /proc/uptime)
	secs=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')
	kmsg "end $name rc=$rc secs=$secs timeout=$timeout taint=$(cat /proc/sys/kernel/tainted)"
	# The KTAP line for people; report.py takes the verdict from the
	# end record and the test's own output (a SIGKILL before the timeout
	# is the OOM killer or a crash, not a timeout).
	case $rc in
	0) echo "ok $n $name" ;;
	4) echo "ok $n $name # SKIP" ;;
	137) if awk -v s="$secs" -v t="$timeout" 'BEGIN { exit !(s >= t) }'; then
		echo "not ok $n $name # TIMEOUT after ${timeout}s"
	else
		echo "not ok $n $name # killed by SIGKILL"
	fi ;;
	missing) echo "not ok $n $name # binary missing" ;;
	*) echo "not ok $n $name # exit status $rc" ;;
	esac
	rm -rf /tmp/* 2>/dev/null
done </run.list
echo "lpt: done"
kmsg done
sync
reboot -f
