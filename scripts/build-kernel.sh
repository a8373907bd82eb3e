#!/bin/bash
# Configure and build the kernel of build/<base>/linux for ARCH and FLAVOR into
# build/obj-$ARCH-$FLAVOR: tinyconfig + configs/{common,$ARCH,$FLAVOR}.config.
. "$(dirname "$0")/lib.sh"
load_arch
lock_obj
[ -e "$TREE/.git" ] || die "no build/$KBASE/linux; run 'make tree' first"
need_space 1 "a kernel build"

frags="$TOP/configs/common.config $TOP/configs/$ARCH.config $TOP/configs/$FLAVOR.config"
cfg=$OBJ.cfg
mkdir -p "$OBJ" "$cfg"
OBJ=$cfg kmake tinyconfig >/dev/null
"$TREE/scripts/kconfig/merge_config.sh" -m -O "$cfg" "$cfg/.config" $frags >/dev/null
OBJ=$cfg kmake olddefconfig >/dev/null

# Every option a fragment asks for must have survived olddefconfig. As in
# merge_config.sh, a later fragment overrides an earlier one (i386.config
# turns off what common.config asks for and x86-32 cannot have).
bad=0
for want in $(cat $frags | sed -n 's/^\(CONFIG_[A-Z0-9_]*=.*\)/\1/p; s/^# \(CONFIG_[A-Z0-9_]*\) is not set/\1=n/p' |
	awk -F= '!($1 in v) { k[n++] = $1 } { v[$1] = $0 } END { for (i = 0; i < n; i++) print v[k[i]] }'); do
	have=$(grep -E "^${want%%=*}=|^# ${want%%=*} is not set" "$cfg/.config" |
		sed 's/^# \(.*\) is not set/\1=n/') || true
	# A symbol the tree does not define (the series' own, on the base).
	sym=${want%%=*}
	sym=${sym#CONFIG_}
	if [ -z "$have" ] && ! git -C "$TREE" grep -qE "^(menu)?config $sym\$" -- '*Kconfig*'; then
		note "config: $sym does not exist in this tree, not required"
		continue
	fi
	[ "$have" = "$want" ] || [ "${want#*=}${have:-x}" = nx ] || {
		echo "config: $want requested, got '${have:-unset}'" >&2
		bad=1
	}
done
[ $bad = 0 ] || die "kernel config for $ARCH/$FLAVOR lacks options the fragments require"
cmp -s "$cfg/.config" "$OBJ/.config" || cp "$cfg/.config" "$OBJ/.config"

note "building linux for $ARCH ($FLAVOR) in ${OBJ#$TOP/}"
kmake olddefconfig >/dev/null
# make's status decides (pipefail); the filter's own (no line left) does not.
rm -f "$OBJ/$KIMAGE"
kmake ${W:+W=$W} all 2>&1 | tee "$OBJ/build.log" | { grep -v '^  ' >&2 || true; } ||
	die "kernel build failed (see $OBJ/build.log)"
[ -f "$OBJ/$KIMAGE" ] || die "kernel build made no $KIMAGE (see $OBJ/build.log)"
