#!/bin/bash
# make bisect: build the kernel of ARCH/FLAVOR at every commit of the
# series (build/<base>/linux, base..HEAD), in a worktree of its own
# (build/<base>/linux-bisect) and one object dir, so that each step is an
# incremental build. Fails naming the first commit that does not build.
. "$(dirname "$0")/lib.sh"
load_arch
[ -e "$TREE/.git" ] || die "no build/$KBASE/linux; run 'make tree' first"
wt=$BUILD/linux-bisect
[ -d "$wt" ] || git -C "$TREE" worktree add -q --detach "$wt" base
cfg=$OBJ.cfg
[ -f "$cfg/.config" ] || die "no $ARCH/$FLAVOR configuration; run 'make build ARCH=$ARCH' first"
OBJ=$OBJ-bisect
mkdir -p "$OBJ"
n=0
for c in $(git -C "$TREE" rev-list --reverse base..HEAD); do
	n=$((n + 1))
	git -C "$wt" checkout -q --detach "$c"
	cp "$cfg/.config" "$OBJ/.config"
	t0=$(date +%s)
	if ! KTREE=$wt kmake olddefconfig all >"$OBJ/build-$n.log" 2>&1; then
		die "patch $n ($(git -C "$TREE" log -1 --format=%s "$c")) does not build for $ARCH (see ${OBJ#$TOP/}/build-$n.log)"
	fi
	printf '%2d %4ds ok  %s\n' "$n" $(($(date +%s) - t0)) "$(git -C "$TREE" log -1 --format=%s "$c")"
done
echo "all $n patches build for $ARCH/$FLAVOR"
