#!/bin/bash
# Series hygiene: checkpatch --strict on every patch, and patches/ must be
# exactly what build/<base>/linux exports (the tree.sh run before this already
# applied every patch with git am, which allows no fuzz).
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/export.sh" --check
# The verdict's own tests: one fixture log per way a run can go wrong.
PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s "$TOP/scripts" \
	-p report_test.py 2>&1 | tail -n 3 || die "scripts/report_test.py failed"
# Each topic's cover letter: there, and numbered for its patches.
for t in $(series_topics); do check_cover "$t"; done
fail=0
for p in $(series_patches); do
	out=$(checkpatch "$p" "$PATCHES/$p") || {
		printf 'checkpatch: %s\n%s\n' "$p" "$out"
		fail=1
	}
done
[ $fail = 0 ] || die "checkpatch --strict found problems"
# A placeholder left in a commit message or cover letter (a line that is
# one such word, or starts with it and a colon): the text before the diff.
for p in $(series_patches) $(for t in $(series_topics); do
	[ ! -f "$PATCHES/$t/0000-cover-letter.patch" ] || echo "$t/0000-cover-letter.patch"
done); do
	sed '/^---$/q' "$PATCHES/$p" | grep -nE '^(TODO|FIXME|XXX|TBD|FIGURES)(:|$)' |
		sed "s|^|patches/$KBASE/$p:|" | grep . && fail=1
done
[ $fail = 0 ] || die "a placeholder is left in a commit message or cover letter (above)"
echo "checkpatch --strict: $(series_patches | wc -l) patches clean ($(series_topics | wc -l) topics)"
