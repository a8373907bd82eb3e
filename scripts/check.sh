#!/bin/bash
# make check: everything CI runs, for each base: series hygiene, then for
# each arch a W=1 kernel build, the touched files under W=1 + sparse, the
# suite in QEMU; the cross compile check and the out-of-tree module; at
# the end the verdict over all of it.
#
# The bases are KBASE if given, else all (mainline first). The arches of a
# base are CHECK_ARCHES if set, else ARCH if given, else the base's
# BASE_CHECK_ARCHES (patches/<base>/base: every arch for mainline, x86_64
# and arm64 for the 6.12 backport), less those FLAVOR does not support.
given_base=${KBASE:-} given_arch=${ARCH:-}
. "$(dirname "$0")/lib.sh"
ROOT=$TOP/build
BASES=${given_base:-$(valid_bases | tr ' ' '\n' | sort -rV | tr '\n' ' ')}

# The arches base $1 runs here.
base_arches() {
	local want a
	want=${CHECK_ARCHES:-${given_arch:-$(. "$TOP/patches/$1/base" && echo "$BASE_CHECK_ARCHES")}}
	for a in $want; do
		[ -f "$TOP/scripts/arch/$a.sh" ] || die "unknown arch '$a'; valid: $(valid_arches)"
		case " $(flavor_arches "${FLAVOR:-default}") " in
		*" $a "*) echo "$a" ;;
		*) [ -z "${CHECK_ARCHES:-$given_arch}" ] || need_flavor_arch "$a" "${FLAVOR:-default}" ;;
		esac
	done
}
for b in $BASES; do base_arches "$b" >/dev/null; done

mkdir -p "$ROOT"
: >"$ROOT/phases"
t0=$(date +%s)
rc=0
# phase() writes to $BUILD/phases: one file for every base here.
BUILD=$ROOT
phase deps "$TOP/scripts/deps.sh"
logs=()
for b in $BASES; do
	export KBASE=$b
	bb=$ROOT/$b
	phase "$b tree" "$TOP/scripts/tree.sh" || { rc=1; continue; }
	phase "$b hygiene" "$TOP/scripts/hygiene.sh" || rc=1
	for a in $(base_arches "$b"); do
		export ARCH=$a
		log=$bb/logs/$a-${FLAVOR:-default}-check.log
		rm -f "$log"
		logs+=("$b/$a/${FLAVOR:-default}=$log")
		phase "$b build $a" "$TOP/scripts/build-kernel.sh" || { rc=1; continue; }
		phase "$b warnings $a" "$TOP/scripts/warnings.sh" || rc=1
		phase "$b user $a" "$TOP/scripts/build-user.sh" || { rc=1; continue; }
		TAG=check phase "$b boot+test $a" "$TOP/scripts/boot.sh" || rc=1
	done
	# The arches that cannot boot here, and the module's own tests (for
	# the base's first arch) on the first base only.
	phase "$b cross" "$TOP/scripts/cross.sh" || rc=1
	[ "$b" = "${BASES%% *}" ] || continue
	if [ -d "$TOP/module" ]; then
		ARCH=$(base_arches "$b" | head -n 1) phase "$b module" "$TOP/scripts/module.sh" || rc=1
	fi
done

echo
for b in $BASES; do
	echo "base $b: $(cat "$ROOT/$b/base-version" 2>/dev/null || echo 'no tree')"
done
echo "phases:"
sed 's/^/  /' "$ROOT/phases"
echo "  total $(($(date +%s) - t0))s"
if [ ${#logs[@]} = 0 ]; then
	echo "FAILED: no kernel was booted; the FAILED phases above say where it stopped"
	exit 1
fi
"$TOP/scripts/report.py" "${logs[@]}" || rc=1
exit $rc
