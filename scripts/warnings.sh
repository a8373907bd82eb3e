#!/bin/bash
# Rebuild the C files the series touches with W=1 and sparse (C=2) and list
# every warning located in a file the series touches. Fails if there is one.
. "$(dirname "$0")/lib.sh"
load_arch

mapfile -t touched < <(git -C "$TREE" diff --name-only base..HEAD)
[ ${#touched[@]} -gt 0 ] || { echo "warnings ($ARCH): series touches no file"; exit 0; }
objs=()
for f in "${touched[@]}"; do
	case $f in *.c) [ -f "$OBJ/${f%.c}.o" ] && objs+=("${f%.c}.o") ;; esac
done
[ ${#objs[@]} -gt 0 ] || { echo "warnings ($ARCH): no touched C file is built"; exit 0; }
for o in "${objs[@]}"; do rm -f "$OBJ/$o"; done
log=$OBJ/warnings.log
kmake W=1 C=2 CHECK=sparse "${objs[@]}" >"$log" 2>&1 || die "W=1 build failed (see $log)"
pat=$(printf '%s\n' "${touched[@]}" | sed 's/[.]/\\./g; s/^/(^|\/)/; s/$/:[0-9]+:/' | paste -sd'|')
n=$(grep -E "$pat" "$log" | grep -cE 'warning|error' || true)
grep -E "$pat" "$log" | grep -E 'warning|error' || true
echo "warnings ($ARCH): $n in ${#objs[@]} rebuilt files (W=1, sparse)"
[ "$n" = 0 ]
