#!/bin/bash
# make run: build what is missing for ARCH/FLAVOR, boot, run the suite,
# print the table and the summary line.
. "$(dirname "$0")/lib.sh"
load_arch
"$TOP/scripts/deps.sh"
"$TOP/scripts/tree.sh"
echo "base: $(cat "$BUILD/base-version"), series: $(grep -vc '^#' "$TOP/patches/series" || true) patches, flavour: $FLAVOR"
"$TOP/scripts/build-kernel.sh"
"$TOP/scripts/build-user.sh"
# The table is printed whatever became of the VM; either failure fails.
rc=0
"$TOP/scripts/boot.sh" || rc=1
"$TOP/scripts/report.py" "$ARCH/$FLAVOR=$BUILD/logs/$ARCH-$FLAVOR.log" || rc=1
exit $rc
