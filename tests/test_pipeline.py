#!/usr/bin/env python3
"""Tests of the proof pipeline (scripts/proofkit.py) and of the report's
evidence rule (scripts/evidence.py), on small synthetic inputs: no Frama-C
run, so they take milliseconds and run in make check.

Output in cmocka's format (the report counts it like the C suites), and
JUnit XML when $JUNIT names a file.
"""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'scripts'))
import evidence  # noqa: E402
import proofkit  # noqa: E402

PROGRAM = r'''
/*@ predicate p(integer x) = x > 0; */
struct s { int a; int (*cb)(int); };
typedef int (*cb_t)(int);
int counter = 0;
char const *msg = "a { brace } in a string";
/*@ requires p(x);
    assigns \nothing; */
int g(int x);
/*@ ensures \result == 1; */
__inline static int h(void)
{
  return 1;
}
/*@ ensures \result == 1; */
__inline static int h_0(void)
{
  return 1;
}
/*@ ensures \result == 1; */
__inline static int h_1(void)
{
  return 2 - 1; /* } a brace in a comment */
}
int f(int x)
{
  int t = g(x) + h_0();
  { t ++; }
  return t;
}
int k(void)
{
  return h_1();
}
int g(int x)
{
  return x;
}
'''


def keys(text):
    prog = proofkit.Program(text)
    salt = prog.fold(prog.globals_text())
    return prog, {f: proofkit.hashlib.sha256((salt + prog.fold(prog.material(f))).encode()).hexdigest()
                  for f in prog.bodies}


class Parsing(unittest.TestCase):
    def test_items_split_at_top_level(self):
        items = proofkit.scan_items(PROGRAM)
        codes = [c for _, c in items]
        self.assertIn('struct s { int a; int (*cb)(int); };', codes)
        self.assertTrue(any(c.startswith('int f(int x)') and c.endswith('}') for c in codes))
        self.assertTrue(any('a { brace } in a string' in c for c in codes))

    def test_function_names(self):
        fn = proofkit.function_name
        self.assertEqual(fn('int g(int x);'), 'g')
        self.assertEqual(fn('__attribute__((__noinline__)) static int q(void)\n{ }'), 'q')
        self.assertIsNone(fn('struct s { int a; int (*cb)(int); };'))
        self.assertIsNone(fn('typedef int (*cb_t)(int);'))
        self.assertIsNone(fn('int (*fp)(int);'))
        self.assertIsNone(fn('int counter = f(3);'))

    def test_contracts_and_global_annotations(self):
        self.assertTrue(proofkit.is_contract('/*@ requires x > 0; */'))
        self.assertFalse(proofkit.is_contract('/*@ predicate p(integer x) = x > 0; */'))
        self.assertFalse(proofkit.is_contract('/*@ ghost int g; */'))
        prog = proofkit.Program(PROGRAM)
        self.assertTrue(any('predicate p' in x for x in prog.globals))
        self.assertIn('requires p(x)', '\n'.join(prog.decls['g']))


class Keys(unittest.TestCase):
    def test_body_edit_changes_only_that_function(self):
        _, a = keys(PROGRAM)
        _, b = keys(PROGRAM.replace('return x;', 'return x + 0;'))
        self.assertNotEqual(a['g'], b['g'])
        for f in ('f', 'k', 'h', 'h_0', 'h_1'):
            self.assertEqual(a[f], b[f], f)

    def test_contract_edit_changes_callers(self):
        _, a = keys(PROGRAM)
        _, b = keys(PROGRAM.replace('requires p(x);', 'requires p(x + 1);'))
        self.assertNotEqual(a['g'], b['g'])
        self.assertNotEqual(a['f'], b['f'])       # f calls g
        self.assertEqual(a['k'], b['k'])          # k does not

    def test_global_edit_changes_everything(self):
        _, a = keys(PROGRAM)
        _, b = keys(PROGRAM.replace('x > 0', 'x >= 0'))
        self.assertTrue(all(a[f] != b[f] for f in a))

    def test_identical_copies_share_a_key_different_ones_do_not(self):
        _, a = keys(PROGRAM)
        self.assertEqual(a['h'], a['h_0'])
        self.assertNotEqual(a['h'], a['h_1'])     # 2 - 1 is other code

    def test_callers_of_copies_fold(self):
        prog = proofkit.Program(PROGRAM)
        self.assertEqual(prog.fold('h_0() + h_1()'), 'h() + h()')
        self.assertEqual(prog.fold('h_0x'), 'h_0x')

    def test_rename_map_back_to_a_copy(self):
        m = proofkit.rename_map('a = h_0(); b = q_0(h_0);', 'a = h_1(); b = q_2(h_1);')
        self.assertEqual(m, {'h_0': 'h_1', 'q_0': 'q_2'})
        self.assertIsNone(proofkit.rename_map('h_0 h_0', 'h_1 h_2'))
        r = proofkit.rename({'h_0': {'typed_h_0_ensures': 1, 'h_01': 2}}, {'h_0': 'h_1'})
        self.assertEqual(r, {'h_1': {'typed_h_1_ensures': 1, 'h_01': 2}})

    def test_shards_partition_the_functions(self):
        prog = proofkit.Program(PROGRAM)
        scope = os.path.join(proofkit.TOP, 'proofs/wp-scope.txt')
        if not os.path.exists(scope):
            self.skipTest('no proofs/wp-scope.txt')
        all_ = proofkit.select(prog, None, None, {})
        parts = [proofkit.select(prog, None, (i, 3), {}) for i in range(3)]
        self.assertEqual(sorted(sum(parts, [])), sorted(all_))
        for p in parts:     # a copy family stays in one shard
            fams = {prog.family.get(f, f) for f in p}
            for q in parts:
                if q is not p:
                    self.assertFalse(fams & {prog.family.get(f, f) for f in q})


class Workflow(unittest.TestCase):
    """.github/workflows/ci.yml runs what scripts/shard-test.sh tests."""

    def test_matrix_covers_every_shard_with_the_tested_commands(self):
        import yaml
        y = yaml.safe_load(open(os.path.join(proofkit.TOP, '.github/workflows/ci.yml')))
        jobs = y['jobs']
        for job, var, cmd in (('wp', 'WP_SHARDS', 'scripts/proofs.sh --shard ${{ matrix.shard }}/$WP_SHARDS'),
                              ('bmc', 'BMC_SHARDS', 'scripts/bmc.sh --shard ${{ matrix.shard }}/$BMC_SHARDS')):
            n = int(y['env'][var])
            self.assertEqual(jobs[job]['strategy']['matrix']['shard'], list(range(n)), job)
            self.assertIn(cmd, [st.get('run', '') for st in jobs[job]['steps']])
        self.assertTrue(any('VERIFY_SKIP=wp,bmc' in st.get('run', '') for st in jobs['rest']['steps']))
        runs = [st.get('run', '') for st in jobs['report']['steps']]
        self.assertIn('scripts/ci-merge.sh build/shards build', runs)
        self.assertEqual(sorted(jobs['report']['needs']), ['bmc', 'check', 'rest', 'wp'])
        merge = open(os.path.join(proofkit.TOP, 'scripts/shard-test.sh')).read()
        self.assertIn('scripts/ci-merge.sh "$S" "$m"', merge)


class EvidenceRule(unittest.TestCase):
    def row(self, ev=None, wp=None, tests=None, kunit=None):
        return evidence.classify('07', {'07': ev or {}}, {'07': wp} if wp else {},
                                 tests or {}, kunit or {})

    def test_nothing_ran_is_a_gap(self):
        self.assertTrue(self.row(tests={'INV_07_x': 'ok'})['status'].startswith('GAP'))

    def test_a_file_naming_the_id_is_not_evidence(self):
        # only records count: tests alone do not make a check
        self.assertTrue(self.row(tests={'INV_07_a': 'ok', 'INV_07_b': 'ok'})['status'].startswith('GAP'))

    def test_proof_in_every_caller_is_ok(self):
        r = self.row(wp={'proved': 2, 'goals': 2, 'functions': ['f'], 'assumes': []},
                     tests={'INV_07_x': 'ok'})
        self.assertEqual(r['status'], 'ok')

    def test_assumed_contract_says_so(self):
        r = self.row(wp={'proved': 2, 'goals': 2, 'functions': ['f'],
                         'assumes': ['g: requires INV_07, not proved in its caller(s) h']},
                     tests={'INV_07_x': 'ok'})
        self.assertEqual(r['status'], 'ok, assumes')
        self.assertIn('assumes contracts', r['wp'])

    def test_bounded_only_says_so(self):
        r = self.row(ev={'mc': [{'kind': 'interleavings', 'where': 'mc to preemption bound 2', 'count': 5}]},
                     tests={'INV_07_x': 'ok'})
        self.assertEqual(r['status'], 'ok, bounded')
        self.assertEqual(r['interleavings'], ['mc to preemption bound 2'])

    def test_fixpoint_is_ok(self):
        r = self.row(ev={'bmc': [{'kind': 'fixpoint', 'where': 'bmc core', 'count': 5}]},
                     kunit={'uml': {'INV_07_y': 'ok'}})
        self.assertEqual(r['status'], 'ok')

    def test_untested(self):
        r = self.row(ev={'bmc': [{'kind': 'fixpoint', 'where': 'bmc core', 'count': 5}]})
        self.assertEqual(r['status'], 'untested')

    def test_failures_win(self):
        r = self.row(wp={'proved': 1, 'goals': 2, 'functions': ['f'], 'assumes': []},
                     tests={'INV_07_x': 'ok'})
        self.assertEqual(r['status'], 'FAILING')
        r = self.row(ev={'bmc': [{'kind': 'fixpoint', 'where': 'b', 'count': 1}]},
                     tests={'INV_07_x': 'FAILED'})
        self.assertEqual(r['status'], 'FAILING')

    def test_kernel_counters_are_shown_not_credited(self):
        with tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False) as f:
            f.write('kernel: evidence (checks evaluated): INV-07=12 INV-10=3\n')
        try:
            r = evidence.counter_lines(f.name, 'kernel', 'uml')
        finally:
            os.unlink(f.name)
        self.assertEqual(r['07'][0]['kind'], 'kernel')
        row = self.row(ev={'kernel': r['07']}, tests={'INV_07_x': 'ok'})
        self.assertTrue(row['status'].startswith('GAP'))
        self.assertIn('KUnit uml', row['kernel_checks'][0])

    def test_multi_id_test_names(self):
        self.assertEqual(evidence.ids('INV_06_07_checkers'), ['06', '07'])
        self.assertEqual(evidence.ids('typed_f_ensures_INV_12'), ['12'])

    def test_requires_clauses_name_their_function(self):
        with tempfile.NamedTemporaryFile('w', suffix='.h', delete=False) as f:
            f.write('/*@ requires INV_04: x;\n    requires INV_13: y; */\nint __must_check setter(int x);\n'
                    '/*@ axiomatic A { predicate q = \\true; } */\n'
                    '/*@ ensures INV_10: z; */\nvoid other(void);\n')
        try:
            r = evidence.requires_clauses([f.name])
        finally:
            os.unlink(f.name)
        self.assertEqual(r, {'04': {'setter'}, '13': {'setter'}})

    def test_spin_credit_needs_a_reached_assert_in_a_clean_run(self):
        d = tempfile.mkdtemp()
        cwd = os.getcwd()
        try:
            os.chdir(d)
            os.makedirs('build/spin/m')
            open('m.pml', 'w').write('active proctype p() {\n  assert(x == 0);  /* INV-31 */\n'
                                     '  assert(y == 0);  /* INV-32 */\n}\n')
            open('build/spin/m/pan.txt', 'w').write(
                'errors: 0\n10 states, stored\nunreached in proctype p\n\t/x/m.pml:3, state 2, "assert"\n')
            r = evidence.spin_evidence(['m.pml'])
            self.assertIn('31', r)
            self.assertNotIn('32', r)
            open('build/spin/m/pan.txt', 'w').write('errors: 1\n')
            self.assertEqual(evidence.spin_evidence(['m.pml']), {})
        finally:
            os.chdir(cwd)


class CmockaStyle(unittest.TextTestResult):
    def startTest(self, test):
        super().startTest(test)
        print(f'[ RUN      ] {test._testMethodName}', flush=True)

    def addSuccess(self, test):
        super().addSuccess(test)
        print(f'[       OK ] {test._testMethodName}', flush=True)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        print(f'[  FAILED  ] {test._testMethodName}\n{self._exc_info_to_string(err, test)}', flush=True)

    addError = addFailure

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        print(f'[  SKIPPED ] {test._testMethodName}: {reason}', flush=True)


if __name__ == '__main__':
    import xml.sax.saxutils as sx
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    res = unittest.TextTestRunner(stream=open(os.devnull, 'w'), resultclass=CmockaStyle,
                                  verbosity=0).run(suite)
    bad = {t._testMethodName: m for t, m in res.failures + res.errors}
    skipped = {t._testMethodName for t, _ in res.skipped}
    print(f'[==========] test_pipeline: {res.testsRun} test(s) run.\n'
          f'[  PASSED  ] {res.testsRun - len(bad) - len(skipped)} test(s).')
    if os.environ.get('JUNIT'):
        names = [t._testMethodName for t in unittest.defaultTestLoader.loadTestsFromModule(
            sys.modules[__name__])._tests for t in t._tests]
        with open(os.environ['JUNIT'], 'w') as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'
                    f'  <testsuite name="test_pipeline" tests="{len(names)}" failures="{len(bad)}" '
                    f'errors="0" skipped="{len(skipped)}">\n')
            for n in names:
                body = (f'<failure message={sx.quoteattr(bad[n][:200])}></failure>' if n in bad else
                        '<skipped/>' if n in skipped else '')
                f.write(f'    <testcase name="{n}">{body}</testcase>\n')
            f.write('  </testsuite>\n</testsuites>\n')
    sys.exit(1 if bad else 0)
