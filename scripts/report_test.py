#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of the verdict (scripts/report.py), one fixture log per way a run
can go right or wrong, in scripts/test_data/. Run by `make check`'s hygiene
phase:  python3 -m unittest discover -s scripts -p report_test.py
"""
import contextlib
import io
import os
import shutil
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import report  # noqa: E402

DATA = os.path.join(HERE, 'test_data')

# fixture: (exit status of `report.py L=fixture`, {test: verdict}, words
# that must appear in the output).
CASES = {
    # Runs that went right.
    'pass': (0, {'gup_test_fast': 'PASS', 'hmm-tests': 'PASS'},
             ['2 passed, 0 failed, 0 skipped']),
    # A kernel message in the middle of a result line (v7.x prints from
    # a console thread): the two halves are one line.
    'spliced_result': (0, {'gup_test_fast': 'PASS', 'hmm-tests': 'PASS'},
                       ['2 passed, 0 failed, 0 skipped']),
    'skip': (0, {'gup_test_fast': 'PASS', 'pagemap_ioctl': 'SKIP',
                 'mkdirty': 'SKIP'}, ['1 passed, 0 failed, 2 skipped']),
    'xfail': (0, {'cow': 'PASS'}, ['1 passed, 0 failed']),
    'kcsan_benign': (0, {'pagewalk_race': 'PASS'},
                     ['kcsan reports: 1 (pagewalk: 0)']),
    # A dump a test asks for is excused for that test and that line only.
    'expected_dump': (0, {'gup_test_dump': 'PASS'}, ['1 passed, 0 failed']),
    'expected_dump_elsewhere': (1, {'gup_test_fast': 'FAIL'},
                                ['kernel: page dumped because: gup_test']),
    'expected_dump_other_reason': (1, {'gup_test_dump': 'FAIL'},
                                   ['VM_BUG_ON_FOLIO']),
    # A test's own result is wrong, whatever its exit status says.
    'subtest_fail_exit0': (1, {'gup_test_fast': 'FAIL'},
                           ['1 subtests failed: ioctl status -14']),
    'totals_error': (1, {'gup_test_pin_fast': 'FAIL'}, ['error:1']),
    'silent_exit0': (1, {'mapping_dirty': 'FAIL'}, ['ran no subtest']),
    'skip_exit0': (1, {'hmm-tests': 'FAIL'}, ['plan says SKIP, exit status 0']),
    'numbering': (1, {'hmm-tests': 'FAIL'}, ['subtests numbered 1,2,4']),
    'plan_mismatch': (1, {'gup_longterm': 'FAIL'}, ['planned 5, 3 reported']),
    'totals_mismatch': (1, {'cow': 'FAIL'},
                        ['Totals count 3 results, 2 reported']),
    'exit_fail_leaves_ok': (1, {'gup_longterm': 'FAIL'}, ['exit status 1']),
    'missing_binary': (1, {'mapping_dirty': 'FAIL'}, ['binary missing']),
    # How a test process ended: three different reasons.
    'timeout': (1, {'gup_fast_race': 'FAIL'}, ['TIMEOUT after 600s']),
    'oom_kill': (1, {'cow': 'FAIL'}, ['OOM-KILLED']),
    'oom_kill_quiet': (1, {'cow': 'FAIL'}, ['OOM-KILLED']),
    'crash_signal': (1, {'mapping_dirty': 'FAIL'}, ['CRASHED: SIGSEGV']),
    # The run as a whole.
    'empty_run': (1, {}, ['ran no test', '0 passed, 1 failed']),
    'vm_timeout': (1, {'gup_test_fast': 'PASS', 'cow': 'FAIL'},
                   ['VM timed out', 'planned 2 tests, 1 reported']),
    'vm_crash': (1, {'gup_test_fast': 'PASS', 'hmm-tests': 'FAIL'},
                 ['did not finish', 'kernel: BUG: kernel NULL pointer']),
    # Without its result line a test's output runs into the next one's.
    'no_result_line': (1, {'gup_test_fast': 'FAIL', 'cow': 'FAIL'},
                       ['no result line', 'planned 2 tests, 1 reported']),
    'insmod_failed': (1, {'dma_fork_pinned': 'SKIP'},
                      ['insmod failed: lpt_dma.ko']),
    'taint': (1, {'gup_test_fast': 'PASS', 'mkdirty': 'FAIL'},
              ['tainted: BW']),
    'taint_boot': (1, {'gup_test_fast': 'PASS'},
                   ['tainted before the first test: W']),
    'splat_between_tests': (1, {'gup_test_fast': 'PASS', 'cow': 'PASS'},
                            ['outside the tests', 'debug_vm_pgtable']),
    # KCSAN reports never hide another splat.
    'kcsan_interleaved': (1, {'pagewalk_race': 'FAIL'},
                          ['kernel: WARNING: CPU: 2 PID: 77']),
    'kcsan_truncated': (1, {'pagewalk_race': 'PASS', 'mapping_dirty': 'FAIL'},
                        ['kernel: BUG: kernel NULL pointer']),
    # A walker race fails the test it came during (make mutant counts it).
    'kcsan_pagewalk': (1, {'pagewalk_race': 'FAIL'},
                       ['BUG: KCSAN: data-race in __pmd_alloc / walk_pgd_range',
                        '0 passed, 1 failed']),
    'kcsan_pagewalk_outside': (1, {'pagewalk_race': 'PASS'},
                               ['1 KCSAN reports in mm/pagewalk.c outside the tests',
                                '1 passed, 1 failed']),
    'interleaved_console': (1, {'hmm-tests': 'FAIL'},
                            ['kernel: WARNING: CPU: 1 PID: 88']),
}
# Each detector's report, printed while gup_fast_race runs, fails it.
for f, words in {
        'rcu_stall': 'detected stalls', 'rcu_self_stall': 'self-detected stall',
        'ubsan': 'UBSAN: array-index', 'soft_lockup': 'soft lockup',
        'hard_lockup': 'hard LOCKUP', 'hung_task': 'blocked for more than',
        'list_corruption': 'list_add corruption',
        'bad_page_state': 'Bad page state', 'bad_page_map': 'Bad page map',
        'page_dumped': 'page dumped because', 'printk_dropped':
        'printk messages dropped', 'atomic_sleep': 'sleeping function',
        'kasan': 'KASAN: slab-use-after-free', 'lockdep':
        'circular locking', 'oops_arm64': 'Internal error: Oops',
        'lost_header': 'Call Trace:'}.items():
    CASES[f] = (1, {'gup_fast_race': 'FAIL'}, ['kernel: ', words])


def run_main(*args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = report.main(list(args))
    return rc, out.getvalue()


class Fixtures(unittest.TestCase):
    def test_every_fixture_has_a_case(self):
        logs = {f[:-4] for f in os.listdir(DATA) if f.endswith('.log')}
        self.assertEqual(logs, set(CASES))

    def test_fixtures(self):
        for name, (want_rc, verdicts, words) in CASES.items():
            with self.subTest(fixture=name):
                path = os.path.join(DATA, name + '.log')
                rc, out = run_main(f'x86_64/default={path}')
                self.assertEqual(rc, want_rc, out)
                got = {t.name: t.verdict for t in report.load(path)['tests']}
                self.assertEqual(got, verdicts, out)
                for w in words:
                    self.assertIn(w, out)
                last = out.strip().splitlines()[-1]
                self.assertRegex(last, r'^\d+ passed, \d+ failed, \d+ skipped$')

    def test_no_log(self):
        rc, out = run_main('x86_64/default=/nonexistent.log')
        self.assertEqual(rc, 1)
        self.assertIn('no log', out)

    def test_failures_add_up_over_logs(self):
        rc, out = run_main(f'a={DATA}/pass.log', f'b={DATA}/timeout.log')
        self.assertEqual(rc, 1)
        self.assertIn('2 passed, 1 failed, 0 skipped', out)


class Mutant(unittest.TestCase):
    """make mutant: one boot per named test, folder/TEST.log each."""

    def run_mutant(self, logs, tests):
        """logs: {test: fixture name}; tests: the Tests: line."""
        d = tempfile.mkdtemp()
        try:
            for t, log in logs.items():
                shutil.copy(os.path.join(DATA, log + '.log'),
                            os.path.join(d, t + '.log'))
            with contextlib.redirect_stdout(io.StringIO()) as out:
                cells = report.mutant('m', d, tests)
        finally:
            shutil.rmtree(d)
        return cells, out.getvalue()

    def test_caught_by_named_test(self):
        cells, out = self.run_mutant({'gup_test_fast': 'subtest_fail_exit0'},
                                     ['gup_test_fast'])
        self.assertEqual(cells, {'gup_test_fast': 'FAIL'})
        self.assertIn('m: caught by gup_test_fast', out)

    def test_splat_while_named_test_runs(self):
        cells, out = self.run_mutant({'gup_fast_race': 'kasan'},
                                     ['gup_fast_race'])
        self.assertEqual(cells['gup_fast_race'], 'FAIL')

    def test_splat_elsewhere_is_not_counted(self):
        cells, out = self.run_mutant({'cow': 'splat_between_tests'}, ['cow'])
        self.assertNotEqual(cells['cow'], 'FAIL')
        self.assertIn('NOT CAUGHT by cow', out)
        self.assertIn('(not counted)', out)

    def test_failure_of_another_test_is_not_counted(self):
        cells, out = self.run_mutant({'gup_test_fast': 'taint'},
                                     ['gup_test_fast'])
        self.assertNotEqual(cells['gup_test_fast'], 'FAIL')

    def test_not_run(self):
        cells, out = self.run_mutant({'mapping_dirty': 'pass'},
                                     ['mapping_dirty'])
        self.assertEqual(cells['mapping_dirty'], 'not run')
        self.assertIn('mapping_dirty not run', out)

    def test_one_named_test_that_passes_is_not_caught(self):
        cells, out = self.run_mutant({'gup_test_fast': 'subtest_fail_exit0',
                                      'hmm-tests': 'pass'},
                                     ['gup_test_fast', 'hmm-tests'])
        self.assertIn('NOT CAUGHT by hmm-tests', out)

    def test_table(self):
        d = tempfile.mkdtemp()
        try:
            for m, logs in (('a', {'gup_test_fast': 'subtest_fail_exit0'}),
                            ('b', {'gup_test_fast': 'subtest_fail_exit0',
                                   'hmm-tests': 'pass'}),
                            ('c', {})):
                os.mkdir(os.path.join(d, m))
                for t, log in logs.items():
                    shutil.copy(os.path.join(DATA, log + '.log'),
                                os.path.join(d, m, t + '.log'))
                with open(os.path.join(d, m, 'tests'), 'w') as f:
                    f.write(' '.join(logs) or 'hmm-tests')
            with contextlib.redirect_stdout(io.StringIO()) as out:
                rc = report.mutants(d, [])
        finally:
            shutil.rmtree(d)
        self.assertEqual(rc, 1)
        self.assertRegex(out.getvalue(), r'\na +CAUGHT\n')
        self.assertRegex(out.getvalue(), r'\nb +CAUGHT +PASS\n')
        self.assertRegex(out.getvalue(), r"\nc +-\n")
        self.assertIn('mutants: 1 caught of 2 (1 not for this arch or flavour)',
                      out.getvalue())


class Compare(unittest.TestCase):
    def test_lists_what_differs(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            report.compare(os.path.join(DATA, 'subtest_fail_exit0.log'),
                           os.path.join(DATA, 'pass.log'))
        out = out.getvalue()
        self.assertRegex(out, r'gup_test_fast +FAIL +PASS')
        self.assertRegex(out, r'gup_test_fast: ioctl status -14 +FAIL +-')
        self.assertRegex(out, r'hmm-tests +- +PASS')


class Regress(unittest.TestCase):
    """report.py regress, on test_data/regress/: run_vmtests.sh's leaves
    on base.log and on patched.log, splat.log, timeout.log."""

    def regress(self, patched, base='base'):
        out = io.StringIO()
        path = os.path.join(DATA, 'regress', '%s.log')
        with contextlib.redirect_stdout(out):
            rc = report.regress(path % base, path % patched)
        return rc, out.getvalue()

    def test_pass_on_base_fail_patched_fails(self):
        rc, out = self.regress('patched')
        self.assertEqual(rc, 1, out)
        self.assertRegex(out, r'4 mremap_test +PASS +FAIL')
        self.assertIn('regressions (pass on base, fail patched): 1\n'
                      '  mremap_test (not ok 1 mremap expand: data mismatch',
                      out)
        # Fixed on patched: a difference, not a regression.
        self.assertIn('mkdirty: FAIL -> PASS', out)
        # Failed on both, with the line that says why.
        self.assertIn('compaction_test: not ok 1 Check of the compaction',
                      out)
        # A hugetlb size in a test's arguments does not make it another test.
        self.assertRegex(out, r'3 uffd-stress hugetlb 62 32 +PASS +PASS')
        self.assertIn('patched: 9 tests, 4 passed, 2 failed, 3 skipped in '
                      '98 s', out)

    def test_skip_reasons_and_runner_remarks(self):
        rc, out = self.regress('patched')
        self.assertIn('ksm_tests -N -m 1: At least 2 NUMA nodes', out)
        self.assertIn('test_vmalloc.sh smoke: CONFIG_TEST_VMALLOC=m', out)
        # Exit status 0, but its own Totals line says it tested nothing.
        self.assertIn('migration: (exit 0, every case skipped) ok 1 '
                      'migration.private_anon # SKIP NUMA not available', out)
        self.assertIn('  SKIP ./on-fault-limit', out)
        # A test's own 'running ...' line is not the runner's header.
        self.assertNotIn('has pkeys', out)

    def test_same_results_pass(self):
        # The dump gup_test asks for shows on both kernels: not counted.
        rc, out = self.regress('base')
        self.assertEqual(rc, 0, out)
        self.assertIn('regressions (pass on base, fail patched): none',
                      out)
        self.assertIn('VM and kernel problems: none', out)

    def test_splat_only_on_patched_fails(self):
        rc, out = self.regress('splat')
        self.assertEqual(rc, 1, out)
        self.assertIn('patched: ksm_tests -N -m 1: kernel: WARNING: CPU: 1',
                      out)
        self.assertIn('patched: run_vmtests: tainted: W', out)
        self.assertIn('fail patched): none', out)

    def test_splat_on_both_does_not_fail(self):
        rc, out = self.regress('splat', base='splat')
        self.assertEqual(rc, 0, out)

    def test_runner_skip_without_result_line_is_a_skip(self):
        # run_vmtests.sh counts "[SKIP] ./khugepaged all:file" but prints
        # no "ok N" for it: number 4 is that skip, not a broken run.
        rc, out = self.regress('runner_skip', base='runner_skip')
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r'4 \./khugepaged all:file +SKIP +SKIP')
        self.assertIn('VM and kernel problems: none', out)
        self.assertIn('patched: 10 tests, 4 passed, 2 failed, 4 skipped', out)

    def test_gap_without_runner_skip_fails(self):
        rc, out = self.regress('runner_gap', base='runner_skip')
        self.assertEqual(rc, 1, out)
        self.assertIn('patched: run_vmtests: planned 10, 9 reported', out)

    def test_unfinished_base_run_fails(self):
        rc, out = self.regress('base', base='timeout')
        self.assertEqual(rc, 1, out)
        self.assertIn('no base result for 6 tests (from mremap_test): '
                      'not compared', out)
        self.assertIn('base: never finished: ./mremap_test', out)

    def test_unfinished_run_keeps_its_results(self):
        rc, out = self.regress('timeout')
        self.assertEqual(rc, 1, out)
        self.assertRegex(out, r'3 uffd-stress hugetlb 60 32 +PASS +PASS')
        self.assertRegex(out, r'4 mremap_test +PASS +-')
        self.assertIn('patched: VM timed out', out)
        self.assertIn('patched: never finished: ./mremap_test', out)


if __name__ == '__main__':
    unittest.main()
