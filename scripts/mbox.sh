#!/bin/bash
# make series: build/series.mbox, the cover letter and every patch of the
# series with To/Cc from the kernel's scripts/get_maintainer.pl.
. "$(dirname "$0")/lib.sh"
[ -d "$TREE/.git" ] || die "no build/linux; run 'make tree' first"

mapfile -t pats < <(grep -v '^#' "$TOP/patches/series" | sed "s|^|$TOP/patches/|")
[ ${#pats[@]} -gt 0 ] || die "patches/series is empty: nothing to send"
gm() { (cd "$TREE" && scripts/get_maintainer.pl --no-git --no-git-fallback \
	--no-rolestats "$@" "${pats[@]}") | paste -sd, | sed 's/,/, /g'; }
to=$(gm --nol --nor)
cc=$(gm --nom)
out=$BUILD/series.mbox
for f in "$TOP/patches/0000-cover-letter.patch" "${pats[@]}"; do
	awk -v to="$to" -v cc="$cc" '
		{ print }
		!done && /^From: / { print "To: " to; print "Cc: " cc; done = 1 }' "$f"
done >"$out"
echo "$out: ${#pats[@]} patches + cover letter"
echo "To: $to"
echo "Cc: $cc"
