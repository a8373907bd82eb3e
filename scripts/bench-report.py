#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Medians of the `lpt-bench:` lines of make bench's VM logs, as markdown.

usage: bench-report.py ARCH BASE-VERSION KERNEL=LOG [KERNEL=LOG ...]
KERNEL is base or patched. Exit status 1 if a boot did not run the
benchmark to the end.
"""
import re
import statistics
import sys

GUP = re.compile(r'^# lpt-bench: gup (\S+) (\S+) (\S+) ([\d.]+) (-?\d)$')
PAGEMAP = re.compile(r'^# lpt-bench: pagemap 1g read ([\d.]+)$')


def main():
    arch, version, runs = sys.argv[1], sys.argv[2], sys.argv[3:]
    gup, pagemap, bad = {}, {'base': [], 'patched': []}, []
    boots = {'base': 0, 'patched': 0}
    for run in runs:
        kernel, path = run.split('=', 1)
        text = open(path, errors='replace').read().replace('\r', '')
        if not re.search(r'^ok 1 gup_bench$', text, re.M):
            bad.append(path)
            continue
        boots[kernel] += 1
        for line in text.splitlines():
            m = GUP.match(line)
            if m:
                key = (m.group(1), m.group(2), m.group(3))
                gup.setdefault(key, {'base': [], 'patched': [], 'large': set()})
                gup[key][kernel].append(float(m.group(4)))
                gup[key]['large'].add(m.group(5))
            m = PAGEMAP.match(line)
            if m:
                pagemap[kernel].append(float(m.group(1)))
    if bad:
        print('boots that did not finish the benchmark:', *bad, sep='\n  ')
        return 1

    med = statistics.median
    print(f'# make bench ARCH={arch}\n')
    print(f'Base {version}; {boots["base"]} base and {boots["patched"]} patched '
          'boots, alternating, QEMU TCG with icount (1 vCPU, the guest clock '
          'counts instructions: 1 ns = 1 instruction). Medians of ns per page for '
          'one 64 MiB GUP call in 512-page batches (FOLL_WRITE; gup-fast, '
          'pin-fast), one io_uring fixed buffer registration of 64 MiB '
          '(uring-register) and one 64 MiB O_DIRECT read of null_blk, which '
          'transfers no data (odirect-read); fresh = just written, old = after '
          'clear_refs. Compare ratios: an emulated instruction stream has no '
          'caches or TLBs.\n')
    print('| backing | state | op | base ns/page | patched ns/page | patched/base | large folios |')
    print('| --- | --- | --- | ---: | ---: | ---: | --- |')
    for key in sorted(gup):
        b, p = med(gup[key]['base']), med(gup[key]['patched'])
        large = {'1': 'yes', '0': 'no'}.get(''.join(sorted(gup[key]['large'])), 'mixed')
        print(f'| {key[0]} | {key[1]} | {key[2]} | {b:.1f} | {p:.1f} | {p / b:.3f} | {large} |')

    print('\nLarge folio over order-0, per page (same kernel):\n')
    print('| backing | state | op | base | patched |')
    print('| --- | --- | --- | ---: | ---: |')
    summary = {}
    for key in sorted(gup):
        if key[0] == 'order-0':
            continue
        ref = gup.get(('order-0', key[1], key[2]))
        if not ref:
            continue
        rb = med(gup[key]['base']) / med(ref['base'])
        rp = med(gup[key]['patched']) / med(ref['patched'])
        summary[key] = (rb, rp)
        print(f'| {key[0]} | {key[1]} | {key[2]} | {rb:.2f} | {rp:.2f} |')

    pb, pp = med(pagemap['base']), med(pagemap['patched'])
    print(f'\npagemap read of 1 GiB of order-0 pages: base {pb:.1f} ms, '
          f'patched {pp:.1f} ms, patched/base {pp / pb:.3f}\n')
    if arch == 'arm64' and ('mthp-64k', 'fresh', 'gup-fast') in summary:
        rb, rp = summary[('mthp-64k', 'fresh', 'gup-fast')]
        print(f'gup-fast contpte/order-0: base={rb:.2f} patched={rp:.2f}')
    else:
        ratios = ' '.join(
            f'{b}={med(gup[(b, "fresh", "gup-fast")]["patched"]) / med(gup[(b, "fresh", "gup-fast")]["base"]):.3f}'
            for b in ('order-0', 'thp-pmd') if (b, 'fresh', 'gup-fast') in gup)
        print(f'gup-fast patched/base: {ratios}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
