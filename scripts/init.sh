#!/bin/busybox sh
# /init of the test initramfs (busybox sh). Prepares the system, runs every
# test of /suite (of /bench with lpt.suite=bench) that matches lpt.t= with
# its own timeout, prints KTAP on the console and powers the VM off.
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
filter=$(arg t)
# lpt.race_seconds=N: how long the race selftests run in all (a flavour's
# choice, see configs/kcsan.config).
rs=$(arg race_seconds)
[ -z "$rs" ] || export LPT_RACE_SECONDS="$rs"
suite=/suite
[ "$(arg suite)" = bench ] && suite=/bench
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
insmod /tests/lpt_dma.ko || echo "lpt: insmod lpt_dma.ko failed"
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
n=0
while read -r name timeout cmd; do
	n=$((n + 1))
	t0=$(cut -d' ' -f1 /proc/uptime)
	[ -x "/tests/${cmd%% *}" ] || {
		echo "not ok $n $name # missing: /tests/${cmd%% *} not built for this tree"
		continue
	}
	(cd /tmp && timeout -s KILL "$timeout" /tests/$cmd </dev/null 2>&1) | sed 's/^/# /'
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	secs=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')
	echo "# lpt-time: $name $secs"
	case $rc in
	0) echo "ok $n $name" ;;
	4) echo "ok $n $name # SKIP" ;;
	137) echo "not ok $n $name # TIMEOUT after ${timeout}s" ;;
	*) echo "not ok $n $name # exit status $rc" ;;
	esac
	rm -rf /tmp/* 2>/dev/null
done </run.list
echo "lpt: done"
sync
reboot -f
