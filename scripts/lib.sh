# SPDX-License-Identifier: GPL-2.0
# Common settings of the harness scripts. Sourced, never run.
#
# Every knob a user may set is validated here, so a typo fails in one place
# with the list of valid values.

set -euo pipefail

# A scratch directory of this script's own, removed when it exits however
# it exits (a script that sets its own EXIT trap must remove it there).
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lpt.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${LPT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lockless-pgtable}

die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

# The kernel base: KBASE=7.3 (mainline, the default) or KBASE=6.12 (the LTS
# backport). Each base has its own series (patches/$KBASE: series, topics,
# and "base", which pins Debian's source package), its own mutants
# (mutants/$KBASE), build directory (build/$KBASE: tree, objects, logs) and
# results (bench/results/$KBASE).
valid_bases() {
	local b
	for b in "$TOP"/patches/*/base; do basename "$(dirname "$b")"; done | tr '\n' ' '
}
export KBASE=${KBASE:-7.3}
[ -f "$TOP/patches/$KBASE/base" ] || die "unknown KBASE='$KBASE'; valid: $(valid_bases)"
PATCHES=$TOP/patches/$KBASE
MUTANTS=$TOP/mutants/$KBASE
BUILD=$TOP/build/$KBASE
TREE=$BUILD/linux
# BASE_PKG, BASE_VERSION (if Debian no longer serves it, the newest version
# of BASE_PKG is used and the run says so), BASE_CHECK_ARCHES.
. "$PATCHES/base"

note() {
	printf '>>> %s\n' "$*" >&2
}

valid_arches() {
	ls "$TOP/scripts/arch" | sed -n 's/\.sh$//p' | tr '\n' ' '
}

valid_flavors() {
	local f
	for f in "$TOP"/configs/*.config; do
		f=$(basename "$f" .config)
		[ "$f" = common ] || [ -f "$TOP/scripts/arch/$f.sh" ] || printf '%s ' "$f"
	done
}

# The arches a flavour supports: its "# lpt-arches:" line, else all.
flavor_arches() {
	local a
	a=$(sed -n 's/^# lpt-arches: //p' "$TOP/configs/${1:-default}.config" 2>/dev/null)
	echo "${a:-$(valid_arches)}"
}

# Die unless flavour $2 supports arch $1.
need_flavor_arch() {
	case " $(flavor_arches "$2") " in
	*" $1 "*) ;;
	*) die "FLAVOR=$2 does not support ARCH=$1; valid: $(flavor_arches "$2")" ;;
	esac
}

# Load the per-architecture description: ARCH selects scripts/arch/$ARCH.sh.
load_arch() {
	ARCH=${ARCH:-x86_64}
	FLAVOR=${FLAVOR:-default}
	[ -f "$TOP/scripts/arch/$ARCH.sh" ] ||
		die "unknown ARCH='$ARCH'; valid: $(valid_arches)"
	case " $(valid_flavors)" in
	*" $FLAVOR "*) ;;
	*) die "unknown FLAVOR='$FLAVOR'; valid: $(valid_flavors)" ;;
	esac
	need_flavor_arch "$ARCH" "$FLAVOR"
	. "$TOP/scripts/arch/$ARCH.sh"
	OBJ=$BUILD/obj-$ARCH-$FLAVOR
	# BASE=1: the unpatched tree (make compare); MUTANT=1: the patched
	# tree with one mutant applied (make mutant). Each its own object dir.
	if [ "${BASE:-0}" = 1 ]; then
		TREE=$BUILD/linux-base
		OBJ=$OBJ-base
	elif [ "${MUTANT:-0}" = 1 ]; then
		TREE=$BUILD/linux-mutant
		OBJ=$OBJ-mutant
	fi
	# The initramfs carries lpt_dma.ko, built for this flavour's kernel.
	USR=$BUILD/user-$ARCH
	[ "$FLAVOR" = default ] || USR=$USR-$FLAVOR
	export ARCH FLAVOR
}

# Hold $OBJ for this script and its children: two builds in one object
# directory (make run in two shells) would corrupt each other.
lock_obj() {
	[ "${LPT_LOCKED:-}" != "$OBJ" ] || return 0
	mkdir -p "$(dirname "$OBJ")"
	exec 8>"$OBJ.lock"
	flock 8
	export LPT_LOCKED=$OBJ
}

# make for the kernel tree of this arch (kernel ARCH is $KARCH).
kmake() {
	local cc=${CROSS_COMPILE}gcc
	if command -v ccache >/dev/null; then
		cc="ccache $cc"
		export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
		export CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
	fi
	# Variables given to our own make (M=, T=, V=) must not reach kbuild.
	MAKEFLAGS= MFLAGS= M= make -s -C "${KTREE:-$TREE}" O="$OBJ" ARCH="$KARCH" \
		CROSS_COMPILE="$CROSS_COMPILE" CC="$cc" \
		KBUILD_BUILD_TIMESTAMP="2024-11-17 00:00 UTC" \
		KBUILD_BUILD_USER=lpt KBUILD_BUILD_HOST=lpt \
		-j"$(nproc)" "$@"
}

# The initramfs the base kernel boots: the patched tree's tests, with
# lpt_dma.ko built against the base (scripts/module.sh with BASE=1).
base_initramfs() {
	[ -f "$USR/module-base/lpt_dma.ko" ] || return 0
	sed "s|$USR/module/lpt_dma.ko|$USR/module-base/lpt_dma.ko|" "$USR/initramfs.list" |
		"$BUILD/obj-$ARCH-$FLAVOR/usr/gen_init_cpio" - |
		gzip -1 >"$USR/initramfs-base.cpio.gz"
}

# Die unless the file system of build/ has $1 GiB free: a full disk
# otherwise fails deep inside tar, git or the linker with a message that
# does not say so. Sizes measured here: a 7.3 tree (source and git) takes
# 2.5 GiB, one kernel's object directory 0.2-0.3 GiB.
need_space() {
	local free
	mkdir -p "$BUILD"
	free=$(df -Pk "$BUILD" | awk 'NR == 2 { print int($4 / 1048576) }')
	[ "$free" -ge "$1" ] ||
		die "only $free GiB free under ${BUILD#$TOP/}, $2 needs $1 GiB; 'make clean' or free space elsewhere"
}

# Time a phase and remember it for the summary of `make check`.
phase() {
	local name=$1 t0 rc=0
	shift
	t0=$(date +%s)
	note "$name"
	"$@" || rc=$?
	printf '%-28s %5ds %s\n' "$name" $(($(date +%s) - t0)) \
		"$([ $rc = 0 ] && echo ok || echo FAILED)" >>"$BUILD/phases"
	return $rc
}

# The series: patches/$KBASE/series lists "<topic>/<file>" lines in apply
# order, topic after topic, each topic in patches/$KBASE/<topic>/ with its cover letter
# (0000-cover-letter.patch); "#" lines are comments.
series_patches() {
	grep -v -e '^#' -e '^$' "$PATCHES/series" || true
}

series_topics() {
	series_patches | cut -d/ -f1 | uniq
}

# The patch files of topic $1, in order.
topic_patches() {
	series_patches | grep "^$1/" | sed "s|^|$PATCHES/|"
}

# Die unless topic $1's cover letter exists and its Subject: says
# "[PATCH 0/N]", N its number of patches, 0 padded as format-patch pads
# n in "[PATCH n/N]" (a topic of one patch needs no cover letter).
check_cover() {
	local n want
	n=$(topic_patches "$1" | wc -l)
	if [ ! -f "$PATCHES/$1/0000-cover-letter.patch" ]; then
		[ "$n" = 1 ] || die "patches/$KBASE/$1/0000-cover-letter.patch is missing"
		return 0
	fi
	want=$(printf '%0*d' ${#n} 0)/$n
	grep -q "^Subject: \[PATCH $want\] " "$PATCHES/$1/0000-cover-letter.patch" ||
		die "patches/$KBASE/$1/0000-cover-letter.patch: its Subject: must say [PATCH $want] ($n patches)"
}

# checkpatch.pl --strict on patch file $2, from the kernel tree, with the
# exceptions scripts/checkpatch-exceptions lists for $1 (its patches/$KBASE/series
# line): "<base>/<topic>/<patch file> <TYPE> <why>" lines. Prints what it found.
checkpatch() {
	local ignore
	ignore=$(awk -v p="$KBASE/$1" '$1 == p { printf "%s%s", sep, $2; sep = "," }' \
		"$TOP/scripts/checkpatch-exceptions")
	# Debian's python3 (with python3-ply) for spdxcheck.py, not a pyenv one.
	(cd "$TREE" && PATH=/usr/bin:$PATH scripts/checkpatch.pl --strict --quiet --show-types \
		${ignore:+--ignore "$ignore"} "$2" 2>&1)
}
