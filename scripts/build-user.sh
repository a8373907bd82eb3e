#!/bin/bash
# Build the userspace of the test VM for ARCH into build/user-$ARCH: the mm
# selftests (static, from build/<base>/linux), busybox-static from Debian, and the
# gzip cpio initramfs around them.
. "$(dirname "$0")/lib.sh"
load_arch
lock_obj
[ -f "$OBJ/.config" ] || die "no kernel configured in $OBJ; run 'make build' first"

mkdir -p "$USR"
# Debian packages for the target: busybox, and liburing for the io_uring tests.
sysroot=$USR/sysroot
if [ ! -d "$sysroot/usr/include" ]; then
	for p in busybox-static liburing-dev; do
		dpkg-deb -x "$("$TOP/scripts/apt.sh" get "$p:$DEB_ARCH")" "$sysroot"
	done
fi
bb=$(ls "$sysroot"/usr/bin/busybox "$sysroot"/bin/busybox 2>/dev/null | head -n 1) || true
[ -x "$bb" ] || die "no busybox in busybox-static:$DEB_ARCH"
libdir=$(dirname "$(ls "$sysroot"/usr/lib/*/liburing.a)")

note "building mm selftests for $ARCH"
kmake headers_install INSTALL_HDR_PATH="$USR/usr" >/dev/null
sel=$TREE/tools/testing/selftests/mm
mkdir -p "$USR/mm"
rm -f "$sel"/local_config.*
"$TOP/scripts/module.sh"
bins=$(grep -v '^#' "$TOP/tests/suite" | awk 'NF { print $4 }' | sort -u)
# Tests the tree lacks (the series' own, on the base tree) are left out;
# the VM reports them as missing.
mmbins=$(for b in $bins; do [ ! -f "$sel/$b.c" ] || echo "$b"; done)
# One word for CC: the selftests' check_config.sh (is liburing there, for
# the io_uring cases of cow and gup_longterm?) sees only the first one.
# liburing's headers include uapi ones: the tree's, installed above.
printf '#!/bin/sh\nexec %sgcc -static -I%s -isystem %s -L%s "$@"\n' \
	"$CROSS_COMPILE" "$sysroot/usr/include" "$USR/usr/include" "$libdir" >"$USR/cc"
chmod +x "$USR/cc"
make -s -C "$sel" ARCH="$KARCH" CROSS_COMPILE="$CROSS_COMPILE" CC="$USR/cc" \
	OUTPUT="$USR/mm" KHDR_INCLUDES="-isystem $USR/usr/include" \
	$(printf "$USR/mm/%s " $mmbins) >"$USR/selftests.log" 2>&1 ||
	die "selftests build failed (see ${USR#$TOP/}/selftests.log)"
rm -f "$sel"/local_config.*

note "building the benchmark (bench/) for $ARCH"
mkdir -p "$USR/bench"
${CROSS_COMPILE}gcc -O2 -Wall -Wextra -static -I"$sel" -o "$USR/bench/gup_bench" \
	"$TOP/bench/gup_bench.c" || die "bench/gup_bench.c does not build"

# The suite, with the arguments a flavour adds to some of its tests
# ("# lpt-test-args: NAME ARGS" lines in configs/$FLAVOR.config).
sed -n 's/^# lpt-test-args: //p' "$TOP/configs/$FLAVOR.config" >"$USR/suite-args"
awk 'FILENAME == ARGV[1] { args[$1] = substr($0, length($1) + 2); next }
     /^#/ || !NF || !($1 in args) { print; next }
     { print $0 " " args[$1] }' "$USR/suite-args" "$TOP/tests/suite" >"$USR/suite"

note "making ${USR#$TOP/}/initramfs.cpio.gz"
# gen_init_cpio (built with the kernel) makes /dev/console without root.
{
	printf 'dir /%s 755 0 0\n' bin dev proc sys tmp tests
	echo "nod /dev/console 600 0 0 c 5 1"
	echo "file /bin/busybox $bb 755 0 0"
	echo "file /init $TOP/scripts/init.sh 755 0 0"
	echo "file /suite $USR/suite 644 0 0"
	echo "file /bench $TOP/bench/suite 644 0 0"
	echo "file /tests/gup_bench $USR/bench/gup_bench 755 0 0"
	echo "file /tests/lpt_dma.ko $USR/module/lpt_dma.ko 644 0 0"
	for b in $bins; do
		for d in mm module; do
			[ ! -f "$USR/$d/$b" ] || echo "file /tests/$b $USR/$d/$b 755 0 0"
		done
	done
} >"$USR/initramfs.list"
"$OBJ/usr/gen_init_cpio" "$USR/initramfs.list" | gzip -1 >"$USR/initramfs.cpio.gz"
base_initramfs
