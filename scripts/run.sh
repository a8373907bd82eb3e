#!/bin/bash
# make run: build what is missing for ARCH/FLAVOR, boot, run the suite,
# print the table and the summary line.
. "$(dirname "$0")/lib.sh"
load_arch
"$TOP/scripts/deps.sh"
"$TOP/scripts/tree.sh"
echo "base: $(cat "$BUILD/base-version"), series: $(series_patches | wc -l) patches in $(series_topics | wc -l) topics, flavour: $FLAVOR"
"$TOP/scripts/build-kernel.sh"
"$TOP/scripts/build-user.sh"
# A run of some tests (T=) keeps its own log, so that two runs at once
# (make run T=a, make run T=b) do not write into one file.
[ -z "${T:-}" ] || export TAG="t-$(printf '%s' "$T" | tr -c 'A-Za-z0-9_.-' _)"
log=$BUILD/logs/$ARCH-$FLAVOR${TAG:+-$TAG}.log
# The table is printed whatever became of the VM; either failure fails.
rc=0
"$TOP/scripts/boot.sh" || rc=1
"$TOP/scripts/report.py" "$ARCH/$FLAVOR=$log" || rc=1
exit $rc
