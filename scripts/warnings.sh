#!/bin/bash
# Rebuild the C files the series touches with W=1 and sparse (C=2) and list
# the warnings that point at a line the series adds or changes: those are
# the new ones (the base already has plenty of sparse context warnings in
# mm/). Fails if there is one. sparse's "context imbalance" is left out: it
# names the first statement after pte_offset_map() and friends, whose
# conditional locking sparse cannot follow, so it moves with any edit there.
. "$(dirname "$0")/lib.sh"
load_arch

mapfile -t touched < <(git -C "$TREE" diff --name-only base..HEAD)
objs=()
for f in "${touched[@]}"; do
	case $f in *.c) [ -f "$OBJ/${f%.c}.o" ] && objs+=("${f%.c}.o") ;; esac
done
[ ${#objs[@]} -gt 0 ] || { echo "warnings ($ARCH): no touched C file is built"; exit 0; }
for o in "${objs[@]}"; do rm -f "$OBJ/$o"; done
log=$OBJ/warnings.log
kmake W=1 C=2 CHECK=sparse "${objs[@]}" >"$log" 2>&1 || die "W=1 build failed (see $log)"

# "file:line" of every line the series adds, for every touched file.
git -C "$TREE" diff -U0 base..HEAD | awk '
	/^\+\+\+ b\// { file = substr($2, 3) }
	/^@@/ {
		split($3, a, ","); start = substr(a[1], 2); n = (a[2] == "") ? 1 : a[2]
		for (i = 0; i < n; i++) print file ":" start + i
	}' | sort -u >"$OBJ/added-lines"
grep -E '(warning|error):' "$log" | grep -v 'context imbalance' | sed "s|^$TREE/||; s|^\.\./linux/||" |
	awk -F: 'NR == FNR { added[$0] = 1; next } ($1 ":" $2) in added' \
		"$OBJ/added-lines" - >"$OBJ/new-warnings" || true
cat "$OBJ/new-warnings"
n=$(wc -l <"$OBJ/new-warnings")
echo "warnings ($ARCH): $n new in ${#objs[@]} rebuilt files (W=1, sparse; $(grep -cE '(warning|error):' "$log") in all)"
[ "$n" = 0 ]
