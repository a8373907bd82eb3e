#!/bin/bash
# make check: everything CI runs. Series hygiene, then for each arch a
# W=1 kernel build, the touched files under W=1 + sparse, the suite in
# QEMU; the out-of-tree module; the verdict over all of it. The arches are
# CHECK_ARCHES if set, else ARCH if given, else all the flavour supports
# (all three for the default flavour).
. "$(dirname "$0")/lib.sh"
ARCHES=${CHECK_ARCHES:-${ARCH:-$(flavor_arches "${FLAVOR:-default}")}}
for a in $ARCHES; do
	[ -f "$TOP/scripts/arch/$a.sh" ] || die "unknown arch '$a'; valid: $(valid_arches)"
	need_flavor_arch "$a" "${FLAVOR:-default}"
done
mkdir -p "$BUILD"
: >"$BUILD/phases"
t0=$(date +%s)
rc=0

phase deps "$TOP/scripts/deps.sh"
phase tree "$TOP/scripts/tree.sh" || die "cannot build build/linux"
phase hygiene "$TOP/scripts/hygiene.sh" || rc=1
logs=()
for a in $ARCHES; do
	export ARCH=$a
	log=$BUILD/logs/$a-${FLAVOR:-default}-check.log
	rm -f "$log"
	logs+=("$a/${FLAVOR:-default}=$log")
	phase "build $a" "$TOP/scripts/build-kernel.sh" || { rc=1; continue; }
	phase "warnings $a" "$TOP/scripts/warnings.sh" || rc=1
	phase "user $a" "$TOP/scripts/build-user.sh" || { rc=1; continue; }
	TAG=check phase "boot+test $a" "$TOP/scripts/boot.sh" || rc=1
done
phase cross "$TOP/scripts/cross.sh" || rc=1
if [ -d "$TOP/module" ]; then
	phase module "$TOP/scripts/module.sh" || rc=1
fi

echo
echo "base: $(cat "$BUILD/base-version")"
echo "phases:"
sed 's/^/  /' "$BUILD/phases"
echo "  total $(($(date +%s) - t0))s"
"$TOP/scripts/report.py" "${logs[@]}" || rc=1
exit $rc
