#!/bin/bash
# make compare: boot the unpatched base kernel with the patched tree's test
# binaries (lpt_dma.ko built against the base) and print base and patched
# results side by side. Shows which tests detect what the base kernel lacks.
. "$(dirname "$0")/lib.sh"
load_arch
[ -f "$USR/initramfs.cpio.gz" ] || die "no test initramfs; run 'make build ARCH=$ARCH' first"
[ -d "$BUILD/linux-base" ] || git -C "$TREE" worktree add -q --detach "$BUILD/linux-base" base
BASE=1 "$TOP/scripts/build-kernel.sh"
BASE=1 "$TOP/scripts/module.sh"
# Both kernels boot here, with the same T, one after the other.
TAG=patched "$TOP/scripts/boot.sh"
BASE=1 TAG=base "$TOP/scripts/boot.sh"
python3 - "$BUILD/logs/$ARCH-$FLAVOR-base.log" "$BUILD/logs/$ARCH-$FLAVOR-patched.log" \
	"$TOP/scripts" <<'PY'
import re, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[3])
import report  # noqa: E402 (scripts/report.py)
def results(path):
    out = {}
    for line in open(path, errors='replace'):
        m = re.match(r'^(?:# )*(ok|not ok) \d+ (.*?)( # .*)?$', line.rstrip())
        if m:
            out[m.group(2)] = 'SKIP' if 'SKIP' in (m.group(3) or '') else \
                ('PASS' if m.group(1) == 'ok' else 'FAIL')
    return out
base, patched = results(sys.argv[1]), results(sys.argv[2])
print(f'{"test (top level and subtests)":<70} {"base":<6} patched')
for name in patched:
    if base.get(name) != patched[name]:
        print(f'{name:<70} {base.get(name, "-"):<6} {patched[name]}')
print('(only tests whose result differs are listed)')
for label, path in (('base', sys.argv[1]), ('patched', sys.argv[2])):
    k = report.parse(path)['kcsan']
    if k['all']:
        print(f'{label}: kcsan reports: {k["all"]} (pagewalk: {k["pagewalk"]})')
        for t in sorted(k['titles']):
            print(f'  {t}')
PY
