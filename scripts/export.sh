#!/bin/bash
# Write the commits base..HEAD of build/linux to patches/ (and series).
# With --check, only tell whether patches/ already says exactly that.
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no build/linux; run 'make tree' first"
out=$TMP
git -C "$TREE" format-patch -q --zero-commit --no-signature \
	-o "$out" base..HEAD
(cd "$out" && ls) | grep '[.]patch$' | grep -v '^0000-' >"$out/series" || true

if [ "${1:-}" = --check ]; then
	for f in "$out"/*; do
		cmp -s "$f" "$TOP/patches/$(basename "$f")" ||
			die "patches/$(basename "$f") differs from build/linux"
	done
	extra=$(cd "$TOP/patches" && ls | grep -vxF -f "$out/series" |
		grep -vx -e series -e 0000-cover-letter.patch) || true
	[ -z "$extra" ] || die "patches/ has files build/linux lacks: $extra"
	exit 0
fi

find "$TOP/patches" -name '*.patch' ! -name 0000-cover-letter.patch -delete
cp "$out"/* "$TOP/patches/"
note "patches/: $(wc -l <"$out/series") patches exported"
