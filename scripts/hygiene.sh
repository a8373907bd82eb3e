#!/bin/bash
# Series hygiene: checkpatch --strict on every patch, and patches/ must be
# exactly what build/linux exports (the tree.sh run before this already
# applied every patch with git am, which allows no fuzz).
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/export.sh" --check
# The verdict's own tests: one fixture log per way a run can go wrong.
PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s "$TOP/scripts" \
	-p report_test.py 2>&1 | tail -n 3 || die "scripts/report_test.py failed"
fail=0
while read -r p; do
	case $p in '' | '#'*) continue ;; esac
	# scripts/checkpatch-exceptions: "<patch> <TYPE> <why>" lines.
	ignore=$(awk -v p="$p" '$1 == p { printf "%s%s", sep, $2; sep = "," }' \
		"$TOP/scripts/checkpatch-exceptions")
	# Debian's python3 (with python3-ply) for spdxcheck.py, not a pyenv one.
	out=$(cd "$TREE" && PATH=/usr/bin:$PATH scripts/checkpatch.pl --strict --quiet --show-types \
		${ignore:+--ignore "$ignore"} "$TOP/patches/$p" 2>&1) || {
		printf 'checkpatch: %s\n%s\n' "$p" "$out"
		fail=1
	}
done <"$TOP/patches/series"
[ $fail = 0 ] || die "checkpatch --strict found problems"
echo "checkpatch --strict: $(grep -vc '^#' "$TOP/patches/series" || true) patches clean"
