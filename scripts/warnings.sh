#!/bin/bash
# Rebuild the C files the series touches with W=1 and sparse (C=2) and list
# the warnings that point at a line the series adds or changes: those are
# the new ones (the base already has plenty of sparse context warnings in
# mm/). Fails if there is one (scripts/warnlib.sh has the rule).
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/warnlib.sh"
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

added_lines >"$OBJ/added-lines"
new_warnings "$log" "$OBJ/added-lines" >"$OBJ/new-warnings"
cat "$OBJ/new-warnings"
n=$(wc -l <"$OBJ/new-warnings")
echo "warnings ($ARCH): $n new in ${#objs[@]} rebuilt files (W=1, sparse; $(grep -cE '(warning|error):' "$log") in all)"
[ "$n" = 0 ]
