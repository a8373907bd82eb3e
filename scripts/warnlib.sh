# SPDX-License-Identifier: GPL-2.0
# Which compiler warnings are the series' own: those that point at a line
# the series adds. Shared by warnings.sh and cross.sh; sourced after lib.sh.

# "file:line" of every line the series adds, for every touched file.
added_lines() {
	git -C "$TREE" diff -U0 base..HEAD | awk '
		/^\+\+\+ b\// { file = substr($2, 3) }
		/^@@/ {
			split($3, a, ","); start = substr(a[1], 2); n = (a[2] == "") ? 1 : a[2]
			for (i = 0; i < n; i++) print file ":" start + i
		}' | sort -u
}

# The warnings and errors in build log $1 at a line listed in file $2 (from
# added_lines). Paths are absolute or, through ccache's CCACHE_BASEDIR,
# relative to the object directory. sparse's "context imbalance" is left
# out: it names the first statement after pte_offset_map() and friends,
# whose conditional locking sparse cannot follow, so it moves with any edit.
new_warnings() {
	grep -E '(warning|error):' "$1" | grep -v 'context imbalance' |
		sed "s|^$TREE/||; s|^\.\./${TREE##*/}/||" |
		awk -F: 'NR == FNR { added[$0] = 1; next } ($1 ":" $2) in added' "$2" - || true
}
