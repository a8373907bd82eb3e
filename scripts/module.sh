#!/bin/bash
# Build the out-of-tree module (module/) against build/obj-$ARCH-$FLAVOR with
# W=1, and its static KTAP tests, into build/user-$ARCH/module. Fails on any
# compiler warning. BASE=1: the module alone, against the unpatched base,
# into module-base, and the initramfs the base kernel boots with.
. "$(dirname "$0")/lib.sh"
load_arch
lock_obj
[ -f "$OBJ/Module.symvers" ] || die "no kernel built in $OBJ; run 'make build ARCH=$ARCH'"
out=$USR/module
[ "${BASE:-0}" = 1 ] && out=$USR/module-base
rm -rf "$out"
mkdir -p "$out"
# kbuild writes next to the sources: build a copy, keep module/ clean.
cp -r "$TOP/module/." "$out/src"
kmake M="$out/src" W=1 modules >"$out/build.log" 2>&1 || die "module build failed (see $out/build.log)"
! grep -E 'warning:|error:' "$out/build.log" || die "module build has warnings"
cp "$out/src/lpt_dma.ko" "$out/"
if [ "${BASE:-0}" = 1 ]; then
	base_initramfs
	echo "module ($ARCH, base kernel): lpt_dma.ko built, no warnings"
	exit 0
fi
make -s -C "$out/src/tests" CC="${CROSS_COMPILE}gcc" OUTPUT="$out" KSRC="$TREE" \
	>>"$out/build.log" 2>&1 || die "module tests build failed (see $out/build.log)"
echo "module ($ARCH): lpt_dma.ko and $(ls "$out" | grep -vc -e src -e '\.' ) tests built, no warnings"
