#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read the serial logs of test VMs and print one table per log and the
summary line. Exit status 1 if any test failed, a VM did not finish, or
the kernel log shows a splat.

usage: report.py LABEL=LOG [LABEL=LOG ...]
"""
import os
import re
import sys

# Kernel lines carry a printk timestamp; test output never does, and is
# prefixed with '# ' by the init script. A console line may be interleaved
# with test output, so the timestamp is searched anywhere in the line.
KMSG = re.compile(r'\[\s*\d+\.\d{6}\]\s(.*)')
# KCSAN's reports start with 'BUG: KCSAN:' and are counted on their own.
SPLAT = re.compile(r'WARNING:|BUG:|Oops|kernel BUG|KASAN|Kernel panic|'
                   r'general protection fault|Unable to handle kernel|'
                   r'possible circular locking|possible recursive locking|'
                   r'inconsistent lock state|INFO: task .* blocked')
RESULT = re.compile(r'^(ok|not ok) (\d+) (\S+)(?: # (.*))?$')
TOTALS = re.compile(r'Totals: pass:(\d+) fail:(\d+) .*skip:(\d+)')
TIME = re.compile(r'^# lpt-time: (\S+) ([\d.]+)$')


def pagewalk_functions():
    """Names of the functions mm/pagewalk.c defines (a KCSAN stack frame
    shows the function, not the file)."""
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                       'build', 'linux', 'mm', 'pagewalk.c')
    try:
        text = open(src).read()
    except OSError:
        text = ''
    names = set(re.findall(r'^(?:static )?(?:inline )?\w[\w ]*?\**\b(\w+)\(',
                           text, re.M))
    return names or {'walk_pgd_range', 'walk_p4d_range', 'walk_pud_range',
                     'walk_pmd_range', 'walk_pte_range', 'walk_page_range',
                     'walk_page_range_mm', '__walk_page_range'}


PAGEWALK = pagewalk_functions()


def parse(path):
    tests, splats, plan, done, timeout = [], [], None, False, False
    times, sub = {}, [0, 0, 0]
    kcsan = {'all': 0, 'pagewalk': 0, 'titles': set()}
    in_kcsan = False
    try:
        lines = open(path, errors='replace').read().splitlines()
    except OSError as e:
        return dict(tests=[], splats=[], plan=None, done=False,
                    timeout=False, error=str(e), kcsan=kcsan)
    for line in lines:
        line = line.replace('\r', '')
        k = KMSG.search(line)
        if k:
            msg = k.group(1)
            # KCSAN reports are counted, not taken as splats: 6.12 has
            # known data races elsewhere. One whose stack has a function
            # of mm/pagewalk.c fails the run.
            # A report counts for the walker when one of the two racing
            # accesses (the functions its title names) is in
            # mm/pagewalk.c; a race deeper down, under a walk callback
            # (zsmalloc under MADV_PAGEOUT, say), does not.
            if 'BUG: KCSAN:' in msg:
                title = msg.split('BUG: KCSAN: ', 1)[1].strip()
                kcsan['all'] += 1
                kcsan['titles'].add(title)
                funcs = re.findall(r'([\w.]+?)(?:\+0x|\s|$)', title)
                if any(f.split('.')[0] in PAGEWALK for f in funcs):
                    kcsan['pagewalk'] += 1
                in_kcsan = True
            elif msg.startswith('=' * 20):
                in_kcsan = False
            elif SPLAT.search(msg) and not in_kcsan:
                splats.append(msg.strip())
            continue
        if line.startswith('1..') and plan is None:
            plan = int(line[3:])
        elif line == 'lpt: done':
            done = True
        elif line == 'lpt: vm timeout':
            timeout = True
        elif TIME.match(line):
            m = TIME.match(line)
            times[m.group(1)] = float(m.group(2))
        elif TOTALS.search(line) and line.startswith('# '):
            m = TOTALS.search(line)
            sub = [a + int(b) for a, b in zip(sub, m.groups())]
        elif RESULT.match(line):
            m = RESULT.match(line)
            directive = m.group(4) or ''
            if m.group(1) == 'ok':
                res = 'SKIP' if directive.startswith('SKIP') else 'PASS'
                # A run that skipped every subtest passed nothing.
                if res == 'PASS' and sub[0] == 0 and sub[2] > 0:
                    res, directive = 'SKIP', 'all subtests skipped'
            else:
                res = 'FAIL'
            tests.append(dict(name=m.group(3), result=res, note=directive,
                              secs=times.get(m.group(3)), sub=sub))
            sub = [0, 0, 0]
    return dict(tests=tests, splats=splats, plan=plan, done=done,
                timeout=timeout, error=None, kcsan=kcsan)


def main(args):
    total = {'PASS': 0, 'FAIL': 0, 'SKIP': 0}
    bad = False
    for arg in args:
        label, path = arg.split('=', 1)
        r = parse(path)
        print(f'\n{label}  ({path})')
        print(f'  {"test":<24} {"result":<6} {"seconds":>8}  subtests pass/fail/skip')
        for t in r['tests']:
            secs = f'{t["secs"]:.1f}' if t['secs'] is not None else '-'
            sub = '%d/%d/%d' % tuple(t['sub']) if any(t['sub']) else ''
            note = f'  ({t["note"]})' if t['result'] != 'PASS' and t['note'] else ''
            print(f'  {t["name"]:<24} {t["result"]:<6} {secs:>8}  {sub}{note}')
            total[t['result']] += 1
        missing = (r['plan'] or 0) - len(r['tests'])
        problems = []
        if r['error']:
            problems.append(f'no log: {r["error"]}')
        if r['timeout']:
            problems.append('VM timed out')
        elif not r['done']:
            problems.append('VM did not finish the suite (crash or panic?)')
        if r['plan'] is None and not r['error']:
            problems.append('no KTAP plan in the log')
        if missing > 0:
            problems.append(f'{missing} planned tests did not report')
        if r['splats']:
            problems.append(f'{len(r["splats"])} kernel splat lines, first: '
                            f'{r["splats"][0]}')
        if r['kcsan']['all'] or 'kcsan' in label:
            print(f'  kcsan reports: {r["kcsan"]["all"]} '
                  f'(pagewalk: {r["kcsan"]["pagewalk"]})')
            for t in sorted(r['kcsan']['titles'])[:20]:
                print(f'    {t}')
        if r['kcsan']['pagewalk']:
            problems.append(f'{r["kcsan"]["pagewalk"]} KCSAN reports in '
                            'mm/pagewalk.c')
        for p in problems:
            print(f'  FAILED: {p}')
        if problems:
            total['FAIL'] += max(missing, 1)
            bad = True
    bad = bad or total['FAIL'] > 0
    print(f'\n{total["PASS"]} passed, {total["FAIL"]} failed, {total["SKIP"]} skipped')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
