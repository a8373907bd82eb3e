#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The verdict of a test VM's serial log: the only KTAP reader of the harness.

  report.py LABEL=LOG [LABEL=LOG ...]      one table per log, the summary line
  report.py compare BASE_LOG PATCHED_LOG   tests and subtests whose result differs
  report.py mutants DIR [NAME...]          did each mutant's tests catch it?

Exit status 1 if anything failed (see verdict() and run_problems()).

What the VM's /init (scripts/init.sh) writes, and how it is read:
- on the console, KTAP: 'KTAP version 1', '1..N', then per test its output
  prefixed '# ' and one 'ok N NAME' / 'not ok N NAME # reason' line. A
  test's own KTAP therefore shows as '# 1..M', '# ok K leaf', '# # Totals:'.
- through /dev/kmsg, so that they are ordered with the kernel's messages:
  'lpt: start NAME' before a test, 'lpt: end NAME rc=R secs=S timeout=T
  taint=V' after it, 'lpt: taint V' before the first test, 'lpt: insmod
  failed ...' and 'lpt: done' at the end. A kernel message between the
  start and end of a test belongs to that test.
A test is counted from its leaves, as kunit's parser does: any failed
subtest, a Totals line with fail or error, no subtest at all (without a
SKIP), wrong numbering, a non-zero exit, a kernel splat or a new taint
while it ran each fail it, and say why.
"""
import os
import re
import sys

# A kernel line carries a printk timestamp; test output never does. The
# console interleaves both, so the timestamp is searched anywhere in the
# line; what stands before it is the start of a user line.
KMSG = re.compile(r'\[\s*\d+\.\d{6}\]\s(.*)')
# What the kernel prints when something went wrong. KCSAN's reports
# ('BUG: KCSAN:') are counted on their own (kcsan()).
SPLAT = re.compile(
    r'WARNING:|BUG:|Oops|kernel BUG|KASAN|Kernel panic|'
    r'general protection fault|Unable to handle kernel|Internal error:|'
    r'possible circular locking|possible recursive locking|'
    r'inconsistent lock state|INFO: task .* blocked|hung_task|'
    r'rcu: INFO: .*stall|detected stalls? on CPU|UBSAN:|'
    r'soft lockup|hard LOCKUP|list_\w+ corruption|Bad page|'
    r'Bad rss-counter|page dumped because|printk messages dropped|'
    r'invoked oom-killer|Call [Tt]race:')
KCSAN = 'BUG: KCSAN: '
# Kernel lines that a test asks for on purpose, each with why. Only the
# named test, only lines that match in full; nothing else is excused.
EXPECTED = {
    # gup_test -ct -F 0x1 pins pages and has the kernel dump_page() them:
    # the dump, ending in this reason line, is what the test checks.
    'gup_test_dump': re.compile(
        r'page dumped because: gup_test: dump_pages\(\) test'),
}
OOM = re.compile(r'Out of memory|oom-kill:|Killed process')
START = re.compile(r'^lpt: start (\S+)$')
END = re.compile(r'^lpt: end (\S+) rc=(\S+) secs=([\d.]+) timeout=(\d+) '
                 r'taint=(\d+)$')
TAINT0 = re.compile(r'^lpt: taint (\d+)$')
RESULT = re.compile(r'^(ok|not ok) (\d+)\s*([^#]*?)\s*(?:#\s*(.*))?$')
TOTALS = re.compile(r'^# Totals: pass:(\d+) fail:(\d+) xfail:(\d+) '
                    r'xpass:(\d+) skip:(\d+) error:(\d+)')
PLAN = re.compile(r'^1\.\.(\d+)(?:\s*#\s*(.*))?$')
# /proc/sys/kernel/tainted, bit by bit (Documentation/admin-guide/
# tainted-kernels.rst). O, an out-of-tree module, is lpt_dma.ko.
TAINT_LETTERS = 'PFSRMBUDAWCIOELKXTN'
TAINT_OK = 1 << TAINT_LETTERS.index('O')
SIGNALS = {4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL',
           11: 'SIGSEGV', 15: 'SIGTERM'}


def pagewalk_functions():
    """Names of the functions mm/pagewalk.c defines (a KCSAN report names
    the functions, not the file)."""
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                       'build', 'linux', 'mm', 'pagewalk.c')
    try:
        with open(src) as f:
            text = f.read()
    except OSError:
        text = ''
    names = set(re.findall(r'^(?:static )?(?:inline )?\w[\w ]*?\**\b(\w+)\(',
                           text, re.M))
    return names or {'walk_pgd_range', 'walk_p4d_range', 'walk_pud_range',
                     'walk_pmd_range', 'walk_pte_range', 'walk_page_range',
                     'walk_page_range_mm', '__walk_page_range'}


PAGEWALK = pagewalk_functions()


def taint_letters(bits):
    return ''.join(c for i, c in enumerate(TAINT_LETTERS) if bits >> i & 1) \
        or hex(bits)


class Test:
    """One top-level test: its KTAP result, its leaves, its kernel window."""

    def __init__(self, name):
        self.name = name
        self.result = None          # (ok, number, directive) from KTAP
        self.leaves = []            # (ok, number, name, directive)
        self.plans = []             # (count, directive) of '# 1..M' lines
        self.totals = None          # dict from '# # Totals:'
        self.end = None             # dict from 'lpt: end'
        self.splats = []
        self.oom = False
        self.taint_before = 0
        self.verdict = None
        self.why = []


def parse(path):
    """Read one serial log into a dict: tests (list of Test, in order),
    run-level facts and the splats outside any test."""
    run = dict(tests=[], plan=None, done=False, timeout=False, error=None,
               splats=[], taint0=None, insmod=None, results=0, dup=[],
               kcsan={'all': 0, 'pagewalk': 0, 'outside': 0,
                      'titles': set()})
    try:
        with open(path, errors='replace') as f:
            lines = f.read().splitlines()
    except OSError as e:
        run['error'] = str(e)
        return run
    tests = {}
    # A test's output comes before its result line: collect it here.
    pending = Test(None)
    cur_kern = None     # the test the kernel log is inside of

    def get(name):
        if name not in tests:
            tests[name] = Test(name)
            run['tests'].append(tests[name])
        return tests[name]

    def kernel(msg):
        nonlocal cur_kern
        msg = msg.strip()
        m = START.match(msg)
        if m:
            cur_kern = get(m.group(1))
            return
        m = END.match(msg)
        if m:
            t = get(m.group(1))
            t.end = dict(rc=m.group(2), secs=float(m.group(3)),
                         timeout=int(m.group(4)), taint=int(m.group(5)))
            cur_kern = None
            return
        m = TAINT0.match(msg)
        if m:
            run['taint0'] = int(m.group(1))
            return
        if msg.startswith('lpt: insmod failed'):
            run['insmod'] = msg
            return
        if msg == 'lpt: done':
            run['done'] = True
            return
        if KCSAN in msg:
            # One in mm/pagewalk.c fails the test it came during, or the
            # run if it came outside the tests.
            if kcsan(run['kcsan'], msg):
                if cur_kern:
                    cur_kern.splats.append(msg)
                else:
                    run['kcsan']['outside'] += 1
            return
        if cur_kern and OOM.search(msg):
            cur_kern.oom = True
        if SPLAT.search(msg):
            ok = cur_kern and cur_kern.name in EXPECTED and \
                EXPECTED[cur_kern.name].fullmatch(msg)
            if not ok:
                (cur_kern.splats if cur_kern else run['splats']).append(msg)

    def user(line):
        nonlocal pending
        if line == 'lpt: vm timeout':
            run['timeout'] = True
        elif PLAN.match(line) and run['plan'] is None:
            run['plan'] = int(PLAN.match(line).group(1))
        elif RESULT.match(line):
            ok, num, name, directive = RESULT.match(line).groups()
            t = get(name)
            if t.result is not None:
                run['dup'].append(name)
            t.result = (ok == 'ok', int(num), directive or '')
            t.leaves, t.plans, t.totals = pending.leaves, pending.plans, \
                pending.totals
            run['results'] += 1
            pending = Test(None)
        elif line.startswith('# ') and run['plan'] is not None:
            leaf(pending, line[2:])

    # The kernel's console and init's writes share the serial port, and
    # since printing went to a console thread (v7.x) a kernel message can
    # land in the middle of a line of init's output: the line's start
    # comes before the message, its rest starts the next line. Glue the
    # two halves back together.
    frag = ''
    for line in lines:
        line = line.replace('\r', '')
        k = KMSG.search(line)
        if k:
            frag += line[:k.start()]
            kernel(k.group(1))
        else:
            user(frag + line)
            frag = ''
    if frag.strip():
        user(frag)
    return run


def leaf(t, line):
    """One line of a test's own output (without init's '# ')."""
    m = RESULT.match(line)
    if m:
        ok, num, name, directive = m.groups()
        t.leaves.append((ok == 'ok', int(num), name or f'#{num}',
                         directive or ''))
        return
    m = PLAN.match(line)
    if m:
        t.plans.append((int(m.group(1)), m.group(2) or ''))
        return
    m = TOTALS.match(line)
    if m:
        keys = ('pass', 'fail', 'xfail', 'xpass', 'skip', 'error')
        t.totals = dict(zip(keys, map(int, m.groups())))


def kcsan(k, msg):
    """Count a KCSAN report; it counts for the walker when one of the two
    racing functions its title names is in mm/pagewalk.c (a race deeper
    down, under a walk callback, does not)."""
    title = msg.split(KCSAN, 1)[1].strip()
    k['all'] += 1
    k['titles'].add(title)
    funcs = re.findall(r'([\w.]+?)(?:\+0x|\s|$)', title)
    walker = any(f.split('.')[0] in PAGEWALK for f in funcs)
    k['pagewalk'] += walker
    return walker


def skipped(directive):
    return directive.upper().startswith('SKIP')


def exit_reason(t):
    """Why the process's exit status fails the test, or None (0 and 4)."""
    e = t.end
    if e is None:
        return 'no end record (VM died or init broke)'
    rc = e['rc']
    if rc == 'missing':
        return 'binary missing from the initramfs'
    rc = int(rc)
    if rc in (0, 4):
        return None
    if rc == 137 and e['secs'] >= e['timeout']:
        return f'TIMEOUT after {e["timeout"]}s'
    if rc == 137 and t.oom:
        return 'OOM-KILLED'
    if rc > 128:
        sig = rc - 128
        return f'CRASHED: {SIGNALS.get(sig, "signal %d" % sig)}'
    return f'exit status {rc}'


def verdict(t):
    """PASS, SKIP or FAIL for one test, and the reasons of a FAIL."""
    why = []
    if t.result is None:
        why.append('no result line')
    r = exit_reason(t)
    if r:
        why.append(r)
    bad = [n for ok, _, n, d in t.leaves
           if not ok and not d.upper().startswith('TODO')]
    if bad:
        why.append(f'{len(bad)} subtests failed: ' + ', '.join(bad[:3]) +
                   (' ...' if len(bad) > 3 else ''))
    xpass = [n for ok, _, n, d in t.leaves if d.upper().startswith('XPASS')]
    if xpass:
        why.append('unexpected pass (XPASS): ' + ', '.join(xpass[:3]))
    tot = t.totals
    if tot:
        if tot['fail'] or tot['error'] or tot['xpass']:
            why.append('Totals: fail:%(fail)d error:%(error)d xpass:%(xpass)d'
                       % tot)
        if sum(tot.values()) != len(t.leaves):
            why.append(f'Totals count {sum(tot.values())} results, '
                       f'{len(t.leaves)} reported')
    rc = t.end['rc'] if t.end else None
    plan_skip = any(skipped(d) for n, d in t.plans if n == 0)
    if plan_skip and rc != '4':
        why.append(f'plan says SKIP, exit status {rc}')
    elif not t.leaves and rc != '4':
        why.append('ran no subtest')
    if len(t.plans) > 1:
        why.append(f'{len(t.plans)} plans')
    elif t.plans and t.plans[0][0] != len(t.leaves):
        why.append(f'planned {t.plans[0][0]}, {len(t.leaves)} reported')
    nums = [n for _, n, _, _ in t.leaves]
    if nums != list(range(1, len(nums) + 1)):
        why.append('subtests numbered ' + ','.join(map(str, nums[:8])) +
                   (',...' if len(nums) > 8 else ''))
    if t.splats:
        why.append(f'kernel: {t.splats[0]}')
    new = t.end['taint'] & ~t.taint_before & ~TAINT_OK if t.end else 0
    if new:
        why.append(f'tainted: {taint_letters(new)}')
    if t.result is not None and t.result[0] and skipped(t.result[2]) \
            and rc not in (None, '4'):
        why.append('SKIP without exit status 4')
    t.why = why
    if why:
        t.verdict = 'FAIL'
    elif rc == '4' or plan_skip or (
            t.leaves and all(skipped(d) for _, _, _, d in t.leaves)):
        t.verdict = 'SKIP'
    else:
        t.verdict = 'PASS'
    return t.verdict


def run_problems(run, expect_done=True):
    """What fails the run as a whole, outside any one test."""
    p = []
    if run['error']:
        return [f'no log: {run["error"]}']
    if run['timeout']:
        p.append('VM timed out')
    elif expect_done and not run['done']:
        p.append('VM did not finish the suite (crash or panic?)')
    if run['plan'] is None:
        p.append('no KTAP plan in the log')
    elif run['plan'] == 0:
        p.append('ran no test (plan 1..0)')
    elif run['results'] != run['plan']:
        p.append(f'planned {run["plan"]} tests, {run["results"]} reported')
    if run['dup']:
        p.append('tests reported twice: ' + ', '.join(run['dup']))
    if run['insmod']:
        p.append(run['insmod'])
    if run['taint0'] is not None and run['taint0'] & ~TAINT_OK:
        p.append('kernel tainted before the first test: ' +
                 taint_letters(run['taint0'] & ~TAINT_OK))
    if run['splats']:
        p.append(f'{len(run["splats"])} kernel splat lines outside the tests, '
                 f'first: {run["splats"][0]}')
    if run['kcsan']['outside']:
        p.append(f'{run["kcsan"]["outside"]} KCSAN reports in mm/pagewalk.c '
                 'outside the tests')
    return p


def load(path):
    """parse(), with each test's verdict taken against the taint before it."""
    run = parse(path)
    before = run['taint0'] or 0
    for t in run['tests']:
        t.taint_before = before
        verdict(t)
        if t.end:
            before = t.end['taint']
    return run


def table(label, path, run):
    print(f'\n{label}  ({path})')
    print(f'  {"test":<24} {"result":<6} {"seconds":>8}  '
          f'subtests pass/fail/skip')
    for t in run['tests']:
        secs = f'{t.end["secs"]:.1f}' if t.end else '-'
        n = [sum(1 for ok, _, _, d in t.leaves if ok and not skipped(d)),
             sum(1 for ok, _, _, _ in t.leaves if not ok),
             sum(1 for ok, _, _, d in t.leaves if ok and skipped(d))]
        sub = '%d/%d/%d' % tuple(n) if t.leaves else ''
        note = ''
        if t.verdict == 'FAIL':
            note = '  (' + '; '.join(t.why) + ')'
        elif t.verdict == 'SKIP' and t.result and t.result[2]:
            note = f'  ({t.result[2]})'
        print(f'  {t.name:<24} {t.verdict:<6} {secs:>8}  {sub}{note}')
    k = run['kcsan']
    if k['all'] or 'kcsan' in label:
        print(f'  kcsan reports: {k["all"]} (pagewalk: {k["pagewalk"]})')
        for title in sorted(k['titles'])[:20]:
            print(f'    {title}')


def main(args):
    total = {'PASS': 0, 'FAIL': 0, 'SKIP': 0}
    for arg in args:
        if '=' not in arg:
            sys.exit(f'usage: report.py LABEL=LOG ...; got {arg!r}')
        label, path = arg.split('=', 1)
        run = load(path)
        table(label, path, run)
        for t in run['tests']:
            total[t.verdict] += 1
        problems = run_problems(run)
        for p in problems:
            print(f'  FAILED: {p}')
        if problems:
            missing = (run['plan'] or 0) - run['results']
            total['FAIL'] += max(missing, 1)
    print(f'\n{total["PASS"]} passed, {total["FAIL"]} failed, '
          f'{total["SKIP"]} skipped')
    return 1 if total['FAIL'] or not total['PASS'] + total['SKIP'] else 0


def results(run):
    """Test and subtest names with their results, for compare."""
    out = {}
    for t in run['tests']:
        out[t.name] = t.verdict
        for ok, _, name, d in t.leaves:
            out[f'{t.name}: {name}'] = ('SKIP' if skipped(d) else
                                        'PASS' if ok else 'FAIL')
    return out


def compare(base_path, patched_path):
    base, patched = load(base_path), load(patched_path)
    b, p = results(base), results(patched)
    print(f'{"test (top level and subtests)":<70} {"base":<6} patched')
    for name in p:
        if b.get(name) != p[name]:
            print(f'{name:<70} {b.get(name, "-"):<6} {p[name]}')
    for name in b:
        if name not in p:
            print(f'{name:<70} {b[name]:<6} -')
    print('(only tests whose result differs are listed)')
    for label, run in (('base', base), ('patched', patched)):
        for prob in run_problems(run):
            print(f'{label}: FAILED: {prob}')
        k = run['kcsan']
        if k['all']:
            print(f'{label}: kcsan reports: {k["all"]} '
                  f'(pagewalk: {k["pagewalk"]})')
            for title in sorted(k['titles']):
                print(f'  {title}')
    return 0


def mutant(name, folder, tests):
    """A mutant is caught by a test when that test fails on it (a failed
    subtest, a bad exit, a splat or taint while it ran), in a boot of its
    own (folder/TEST.log). A splat outside the test is reported, not
    counted. The mutant counts as caught only if every test its 'Tests:'
    line names (that this arch ran) caught it. Returns {test: verdict,
    'not run' or 'no log'} and prints why."""
    cells, why = {}, []
    for n in tests:
        path = os.path.join(folder, n + '.log')
        if not os.path.exists(path):
            cells[n] = 'no log'
            continue
        run = load(path)
        res = {t.name: t for t in run['tests']}
        cells[n] = res[n].verdict if n in res else 'not run'
        if n in res and res[n].verdict == 'FAIL':
            why.append(f'  {n}: ' + '; '.join(res[n].why))
        why += [f'  {n}: (not counted) {p}' for p in run_problems(run)]
    ran = [n for n in tests if cells[n] != 'no log']
    missed = [n for n in ran if cells[n] != 'FAIL']
    verdict = ('not run on this arch or flavour' if not ran else
               f'NOT CAUGHT by {", ".join(missed)}' if missed else
               'caught by ' + ', '.join(ran))
    print(f'{name}: {verdict} (' +
          ', '.join(f'{n} {cells[n]}' for n in tests) + ')')
    for line in why:
        print(line)
    return cells


def mutants(folder, names):
    """make mutant's summary: for each mutant NAME, folder/NAME/tests (its
    Tests: line) and one VM log per test. A table mutant x test and
    'mutants: N caught of M' (M: the mutants this arch ran a test of);
    exit status 1 unless every one was caught by every test it names."""
    names = names or sorted(f for f in os.listdir(folder)
                            if os.path.isfile(os.path.join(folder, f, 'tests')))
    rows, caught, ran = {}, 0, 0
    for m in names:
        with open(os.path.join(folder, m, 'tests')) as f:
            tests = f.read().split()
        rows[m] = mutant(m, os.path.join(folder, m), tests)
        cells = [c for c in rows[m].values() if c != 'no log']
        ran += bool(cells)
        caught += bool(cells) and all(c == 'FAIL' for c in cells)
    cols = sorted({t for r in rows.values() for t in r})
    width = max([len(m) for m in names] + [6])
    print('\n' + 'mutant'.ljust(width) + ' ' + ' '.join(cols))
    for m in names:
        cells = [('CAUGHT' if rows[m].get(t) == 'FAIL' else
                  rows[m].get(t, '').replace('no log', '-')).ljust(len(t))
                 for t in cols]
        print(m.ljust(width) + ' ' + ' '.join(cells).rstrip())
    print(f'mutants: {caught} caught of {ran}' +
          (f' ({len(names) - ran} not for this arch or flavour)'
           if ran < len(names) else ''))
    return 0 if ran and caught == ran else 1


def regress(base_path, patched_path):
    """make regress: the leaves of the one test of tests/regress (the tests
    run_vmtests.sh ran, also when the VM never finished it) on the base and
    the patched kernel, side by side; the ones that differ; the ones that
    did not pass, with the line their test printed that says why. Exit
    status 1 if a test passes on the base and fails patched, or the patched
    VM has a problem: run_problems(), a timeout or new taint while the
    runner ran, or a kernel splat during a test that the base did not print
    during the same test; or tests without a base result."""
    boiler = re.compile(r'^(\[(PASS|SKIP|FAIL)\]$|# Totals:|# Planned tests|'
                        r'1\.\.\d+|K?TAP version)')

    def scan(path):
        """The runner's leaves; per leaf number what its test printed and
        the kernel splats while it ran (key 0: after the last one);
        run_vmtests.sh's own lines between tests; the test it started and
        never finished, if any."""
        t, out, own, lines, splats, inside = Test(None), {}, [], [], [], False
        running = rule = None
        try:
            with open(path, errors='replace') as f:
                log = f.read().splitlines()
        except OSError:
            log = []
        for line in log:
            line = line.replace('\r', '')
            k = KMSG.search(line)
            if k:
                msg = k.group(1).strip()
                inside = bool(START.match(msg)) or (inside and
                                                    not END.match(msg))
                if inside and SPLAT.search(msg) and KCSAN not in msg:
                    splats.append(msg)
                line = line[:k.start()]
            if not line.startswith('# '):
                continue
            line = line[2:]
            leaf(t, line)
            if RESULT.match(line):
                out[int(RESULT.match(line).group(2))] = (lines, splats)
                lines, splats, running = [], [], None
            elif (line.startswith('# running ') and lines and
                  lines[-1].startswith('-') and
                  len(lines[-1]) == len(line) - 2):
                # run_test()'s header: a rule as long as 'running CMD',
                # that line, the rule again.
                own += lines[:-1]
                lines, rule, running = [], lines[-1], line[len('# running '):]
            elif line[2:] == rule:
                rule = None
            else:
                lines.append(line[2:] if line.startswith('# ') else line)
        out[0] = ([], splats)
        return t.leaves, out, own + lines, running

    def why(lines, res):
        text = [x.strip() for x in lines
                if x.strip() and not boiler.match(x.strip())]
        want = re.compile(r'skip' if res == 'SKIP' else
                          r'not ok|fail|error|abort|bail|killed', re.I)
        return ([x for x in text if want.search(x)] or text or [''])[-1][:160]

    def leaves(path):
        """{(number, program): [name, result, reason, splats, nothing]},
        with key (0, '') for the splats after the last test; the run; the
        remarks. nothing: it exited 0, but its own Totals line says it
        skipped every case, so it counts as skipped."""
        found, out, own, running = scan(path)
        res = {(0, ''): ['(after the last test)', '', '', out[0][1], False]}
        for ok, num, name, d in found:
            r = 'SKIP' if skipped(d) else 'PASS' if ok else 'FAIL'
            lines, splats = out.get(num, ([], []))
            tot = [TOTALS.match(x).groups() for x in lines if TOTALS.match(x)]
            nothing = r == 'PASS' and bool(tot) and tot[-1][0] == '0' and \
                tot[-1][4] != '0'
            r = 'SKIP' if nothing else r
            res[(num, name.split()[0])] = [name, r, why(lines, r), splats,
                                           nothing]
        run = load(path)
        if running:
            run['running'] = running
        # run_vmtests.sh counts a test it skips without running it (its
        # "[SKIP] ./CMD" line: khugepaged all:file without an XFS path)
        # but prints no result line for it, so its number is missing.
        # When the missing numbers are exactly those lines, they are the
        # runner's own skips: give them their numbers. Any other gap stays
        # a problem of the run.
        rt = run['tests'][0] if len(run['tests']) == 1 else None
        plan = rt.plans[0][0] if rt and len(rt.plans) == 1 else 0
        nums = [n for _, n, _, _ in found]
        missing = [n for n in range(1, plan + 1) if n not in nums]
        skips = [x.strip()[len('[SKIP] '):] for x in own
                 if x.strip().startswith('[SKIP] ./')]
        if missing and len(missing) == len(skips) and nums == sorted(nums) \
                and sorted(nums + missing) == list(range(1, plan + 1)):
            for n, cmd in zip(missing, skips):
                res[(n, cmd.split()[0])] = [
                    cmd, 'SKIP', 'skipped by run_vmtests.sh itself, which '
                    'prints no result line for it', [], False]
            run['runner_skips'] = len(skips)
        return res, run, own

    b, base, _ = leaves(base_path)
    p, patched, own = leaves(patched_path)
    keys = sorted([k for k in p if k[0]] + [k for k in b if k[0] and k not in p])
    gone = [None, '-', '', [], False]
    get = {k: (b.get(k, gone), p.get(k, gone)) for k in keys}
    print(f'  {"#":>3} {"test (run_vmtests.sh)":<40} {"base":<6} patched')
    for k, (vb, vp) in get.items():
        print(f'  {k[0]:>3} {vp[0] or vb[0]:<40} {vb[1]:<6} {vp[1]}')
    for label, run, res in (('base', base, b), ('patched', patched, p)):
        n = {r: sum(1 for v in res.values() if v[1] == r)
             for r in ('PASS', 'FAIL', 'SKIP')}
        secs = sum(t.end['secs'] for t in run['tests'] if t.end)
        print(f'  {label}: {sum(n.values())} tests, {n["PASS"]} passed, '
              f'{n["FAIL"]} failed, {n["SKIP"]} skipped in {secs:.0f} s')

    def section(title, rows):
        print(f'\n{title}: {len(rows) or "none"}')
        for row in rows:
            print(f'  {row}')

    regressions = [vp[0] + f' ({vp[2]})' for vb, vp in get.values()
                   if vb[1] == 'PASS' and vp[1] == 'FAIL']
    section('results that differ (base -> patched)', [
        f'{vp[0] or vb[0]}: {vb[1]} -> {vp[1]}'
        for vb, vp in get.values() if vb[1] != vp[1]])
    section('failed on both kernels (not regressions)', [
        f'{vp[0]}: {vp[2]}' for vb, vp in get.values()
        if vb[1] == vp[1] == 'FAIL'])
    section('skipped, with the reason the test printed (patched kernel)', [
        f'{vp[0]}: {"(exit 0, every case skipped) " * vp[4]}'
        f'{vp[2] or "(no reason printed)"}'
        for vb, vp in get.values() if vp[1] == 'SKIP'])
    remarks = [x.strip() for x in own
               if x.strip() and not boiler.match(x.strip())]
    section("run_vmtests.sh's own remarks (patched kernel)",
            list(dict.fromkeys(remarks)))

    # A splat counts against the patched kernel unless the base printed
    # one like it (numbers aside) during the same test.
    def kind(line):
        return re.sub(r'0x[0-9a-f]+|\d+', 'N', line)
    rows, new = [], []
    for k in [(0, '')] + keys:
        vb, vp = b.get(k, gone), p.get(k, gone)
        seen = {kind(x) for x in vb[3]}
        for x in list(dict.fromkeys(vb[3]))[:3]:
            rows.append(f'base     {vb[0]}: {x}')
        for x in list(dict.fromkeys(vp[3]))[:3]:
            rows.append(f'patched  {vp[0]}: {x}' +
                        ('' if kind(x) in seen else '  (not on base)'))
        new += [f'{vp[0]}: kernel: {x}' for x in vp[3] if kind(x) not in seen]
    section('kernel splats while a test ran', rows)
    problems = {}
    for label, run in (('base', base), ('patched', patched)):
        problems[label] = run_problems(run) + [
            f'{t.name}: {w}' for t in run['tests'] for w in t.why
            if not re.match(r'exit status|\d+ subtests failed|unexpected|'
                            r'kernel:', w) and not (
                run.get('runner_skips') and
                re.match(r'planned \d+, \d+ reported|subtests numbered', w))]
        if 'running' in run:
            problems[label].append(f'never finished: {run["running"]}')
    problems['patched'] = [w for w in problems['patched'] if not (
        'tainted:' in w and w in problems['base'])] + new[:5]
    section('VM and kernel problems', [f'{label}: {w}' for label in problems
                                       for w in problems[label]])
    section('regressions (pass on base, fail patched)', regressions)
    # Without a base result a patched failure cannot be told apart from a
    # regression: an unfinished base run fails too.
    unknown = [vp[0] for vb, vp in get.values() if vb[1] == '-']
    if unknown:
        print(f'\nno base result for {len(unknown)} tests (from '
              f'{unknown[0]}): not compared')
    return 1 if regressions or problems['patched'] or unknown else 0


if __name__ == '__main__':
    a = sys.argv[1:]
    if a[:1] == ['regress'] and len(a) == 3:
        sys.exit(regress(a[1], a[2]))
    if a[:1] == ['compare'] and len(a) == 3:
        sys.exit(compare(a[1], a[2]))
    if a[:1] == ['mutants'] and len(a) >= 2:
        sys.exit(mutants(a[1], a[2:]))
    if not a or a[0] in ('compare', 'mutants'):
        sys.exit(__doc__)
    sys.exit(main(a))
