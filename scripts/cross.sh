#!/bin/bash
# make cross: compile the series for architectures the harness cannot boot.
# For each one whose cross gcc is installed (loongarch64's, if not, is
# fetched from Debian trixie into the cache: scripts/toolchain.sh): defconfig +
# configs/cross/touched.config in build/obj-<arch>-cross, `make prepare`,
# then every C file the series touches that this config builds, with W=1.
# Fails on a compile error or on a warning at a line the series adds (the
# rule of scripts/warnings.sh); touched files the config does not build are
# listed as such. CROSS_ARCHES picks some of the arches below.
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/warnlib.sh"
[ -e "$TREE/.git" ] || die "no build/$KBASE/linux; run 'make tree' first"

# name, kernel ARCH, CROSS_COMPILE, the Debian package of the compiler.
ARCHES="riscv64 riscv riscv64-linux-gnu- gcc-riscv64-linux-gnu
loongarch64 loongarch loongarch64-linux-gnu- gcc-loongarch64-linux-gnu"
valid=$(echo "$ARCHES" | cut -d' ' -f1 | tr '\n' ' ')
for a in ${CROSS_ARCHES:=$valid}; do
	case " $valid" in *" $a "*) ;; *) die "unknown cross arch '$a'; valid: $valid" ;; esac
done

# The kernel .o files directory $1 builds in this config, and its subdirs.
# srcroot and objtree are what 7.3's Makefile.build reads (6.12 ignores them).
kbuild_objs() {
	make -s -C "$OBJ" -f "$TREE/scripts/Makefile.build" \
		-f <(printf 'lpt-objs:\n\t@echo $(real-obj-y) $(real-obj-m) $(lib-y) $(subdir-ym)\n') \
		obj="$1" srctree="$TREE" srcroot="$TREE" objtree=. VPATH="$TREE" \
		ARCH="$KARCH" SRCARCH="$KARCH" \
		need-modorder=1 lpt-objs
}

# Is $1 (a .o or a directory) built? Walks up to a top-level directory.
built() {
	local dir=${1%/*}
	case $dir in
	"$1" | arch | "arch/$KARCH") return 0 ;; # top level: the kernel builds it
	arch/*/*) ;;
	arch/*) return 1 ;; # another architecture
	esac
	kbuild_objs "$dir" | tr ' ' '\n' | grep -x "$1" >/dev/null && built "$dir"
}

# Configure, prepare and compile for one arch; add its lines to $summary.
cross() {
	local name=$1 objs=() unbuilt=() f log ok=1 all new
	OBJ=$BUILD/obj-$name-cross
	note "cross: $name in ${OBJ#$TOP/}"
	local cfg=$OBJ.cfg frag=$TOP/configs/cross/touched.config
	mkdir -p "$OBJ" "$cfg"
	OBJ=$cfg kmake defconfig >/dev/null || die "$name: defconfig failed"
	"$TREE/scripts/kconfig/merge_config.sh" -m -O "$cfg" "$cfg/.config" "$frag" >/dev/null
	OBJ=$cfg kmake olddefconfig >/dev/null
	for f in $(sed -n 's/^\(CONFIG_[A-Z0-9_]*=.*\)/\1/p' "$frag"); do
		grep -qx "$f" "$cfg/.config" || note "cross: $name cannot have $f"
	done
	cmp -s "$cfg/.config" "$OBJ/.config" || cp "$cfg/.config" "$OBJ/.config"
	kmake prepare >"$OBJ/prepare.log" 2>&1 || die "$name: make prepare failed (see ${OBJ#$TOP/}/prepare.log)"

	# tools/ is user space: the booted arches build and run it.
	for f in $(git -C "$TREE" diff --name-only base..HEAD -- '*.c' ':!tools/'); do
		if built "${f%.c}.o"; then objs+=("${f%.c}.o"); else unbuilt+=("$f"); fi
	done
	# No targets would make kbuild build the whole tree.
	[ ${#objs[@]} -gt 0 ] || die "$name: none of the touched files is built (kbuild_objs broken?)"
	log=$OBJ/cross.log
	for f in "${objs[@]}"; do rm -f "$OBJ/$f"; done
	kmake -k W=1 "${objs[@]}" >"$log" 2>&1 || ok=0
	added_lines >"$OBJ/added-lines"
	new_warnings "$log" "$OBJ/added-lines" | sort -u >"$OBJ/new-warnings"
	grep -E 'error:' "$log" >&2 || true
	cat "$OBJ/new-warnings" >&2
	all=$({ grep 'warning:' "$log" || true; } | sort -u | wc -l)
	new=$(grep -c 'warning:' "$OBJ/new-warnings" || true)
	[ "$new" = 0 ] || ok=0
	[ $ok = 1 ] || rc=1
	summary+=$(printf '%-12s %2d compiled, warnings %d new / %d old, %s' "$name" \
		${#objs[@]} "$new" $((all - new)) "$([ $ok = 1 ] && echo ok || echo "FAILED (see ${log#$TOP/})")")$'\n'
	[ ${#unbuilt[@]} = 0 ] || summary+="             not built: ${unbuilt[*]}"$'\n'
}

summary='' rc=0 checked=0
for a in $CROSS_ARCHES; do
	read -r name KARCH CROSS_COMPILE pkg < <(echo "$ARCHES" | grep "^$a ")
	why="no ${CROSS_COMPILE}gcc (Debian package $pkg)"
	# loongarch64's, if not installed, comes from Debian trixie (toolchain.sh).
	if ! command -v "${CROSS_COMPILE}gcc" >/dev/null && [ "$name" = loongarch64 ]; then
		if prefix=$("$TOP/scripts/toolchain.sh" "$name" 2>"$TMP/err"); then
			CROSS_COMPILE=$prefix
		else
			why+=", and fetching it failed: $(sed -n 's/^error: //p' "$TMP/err" | tail -n 1)"
		fi
		cat "$TMP/err" >&2
	fi
	if ! command -v "${CROSS_COMPILE}gcc" >/dev/null; then
		summary+=$(printf '%-12s skipped: %s' "$name" "$why")$'\n'
		continue
	fi
	checked=$((checked + 1))
	cross "$name"
done
echo "cross-compile check (W=1):"
printf '%s' "$summary" | sed 's/^/  /'
[ $checked -gt 0 ] || die "no cross compiler installed"
exit $rc
