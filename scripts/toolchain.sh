#!/bin/bash
# The loongarch64 cross compiler of Debian trixie, for hosts that lack it
# (Debian 12 has none): its packages are fetched with apt.sh and unpacked
# with dpkg-deb -x into $CACHE/toolchain/loongarch64, nothing is installed.
# Prints the CROSS_COMPILE prefix (a full path) for make cross.
#
# Trixie's programs need glibc 2.38 and libsframe.so.1, newer than Debian
# 12's; so trixie's libc6 and libsframe1 are unpacked too, and every program
# becomes a small script that starts it with that libc's ld.so. The other
# libraries (libisl, libmpc, libmpfr, libgmp, libzstd, zlib, libjansson)
# are the host's. gcc finds cc1, as and ld relative to argv[0], which the
# script passes on (ld.so --argv0); the packages' symlinks are all
# relative, so the unpacked tree works where it lies.
#
#   toolchain.sh loongarch64
. "$(dirname "$0")/lib.sh"

[ "${1:-}" = loongarch64 ] || die "toolchain.sh fetches loongarch64's compiler only"
T=$CACHE/toolchain/$1
PREFIX=$T/usr/bin/loongarch64-linux-gnu-
# gcc-loongarch64-linux-gnu only for its unversioned links (gcc -> gcc-14);
# libgcc-14-dev for gcc's own headers (<larchintrin.h>). The -base
# packages and binutils-common hold documentation only.
PKGS="gcc-loongarch64-linux-gnu gcc-14-loongarch64-linux-gnu
cpp-14-loongarch64-linux-gnu libgcc-14-dev-loong64-cross
binutils-loongarch64-linux-gnu libc6 libsframe1"

mkdir -p "${T%/*}"
exec 9>"$T.lock"
flock 9
if [ ! -f "$T/.done" ]; then
	note "toolchain: fetching loongarch64-linux-gnu-gcc from Debian trixie into $T"
	rm -rf "$T" "$T.new"
	mkdir -p "$T.new"
	for p in $PKGS; do
		deb=$("$TOP/scripts/apt.sh" get "$p:amd64") || die "cannot download $p from Debian trixie"
		dpkg-deb -x "$deb" "$T.new"
		echo "${deb##*/}" >>"$T.new/.debs"
	done
	lib=$T/usr/lib/x86_64-linux-gnu
	for f in "$T.new"/usr/bin/* "$T.new"/usr/libexec/gcc-cross/*/*/*; do
		[ -f "$f" ] && [ ! -L "$f" ] && [ "$(head -c 4 "$f")" = $'\x7fELF' ] || continue
		case $f in *.so) continue ;; esac # the LTO plugin: ld loads it
		mv "$f" "$f.real"
		printf '#!/bin/sh\nexec %q --library-path %q --argv0 "$0" %q "$@"\n' \
			"$lib/ld-linux-x86-64.so.2" "$lib" "$T${f#"$T.new"}.real" >"$f"
		chmod +x "$f"
	done
	mv "$T.new" "$T"
	# Fails here, naming it, if the host lacks a library the programs need.
	err=$({ printf '#include <larchintrin.h>\nint f(void) { return __cpucfg(0); }\n' |
		"${PREFIX}gcc" -O2 -x c -c -o "$TMP/t.o" - &&
		"${PREFIX}ld" -r -o "$TMP/t2.o" "$TMP/t.o"; } 2>&1) ||
		die "the fetched loongarch64-linux-gnu-gcc does not run: $(echo "$err" | sed 's|^/[^ :]*/||; q')"
	touch "$T/.done"
fi
echo "$PREFIX"
