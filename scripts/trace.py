#!/usr/bin/env python3
"""Invariant traceability, generated from the sources and the last run.

For every INV-NN in SPEC.md part C: the one-line statement, where it is
stated in ACSL (model/acsl) and as a C checker (model/), and what the last
run's records credit it with (scripts/evidence.py: WP goals and the
contracts they rest on, checks that reached a fixpoint, bounded checks,
interleavings, tests and KUnit cases, with the status rule).  The --docs
table is from the sources alone.  Nothing here is maintained by hand.

usage: trace.py SPEC.md OUTDIR [--docs docs/INVARIANTS.md]
exit 3 if an invariant is a GAP, FAILING or not stated (the tables are
still written); another non-zero exit: the tables could not be made.
"""
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evidence  # noqa: E402

spec_path, outdir = sys.argv[1], sys.argv[2]
docs = sys.argv[sys.argv.index('--docs') + 1] if '--docs' in sys.argv else None
spec = open(spec_path).read()
# part G (guest_memfd) lives next to it
_g = os.path.join(os.path.dirname(spec_path) or '.', 'SPEC-GMEM.md')
if os.path.exists(_g):
    spec += '\n' + open(_g).read()

# Statements: "- INV-NN text" lines of part C (continuations indented).
# Part G's "- GMEM-NN text" lines are keyed GNN (evidence.key).
inv = {}
for m in re.finditer(r'^- ((INV|GMEM)-(\d{2})) (.*(?:\n  .*)*)', spec, re.M):
    text = ' '.join(l.strip() for l in m.group(4).split('\n'))
    inv[('G' if m.group(2) == 'GMEM' else '') + m.group(3)] = {'id': m.group(1), 'statement': text}

# Upstream sources for the docs: the [tags] and R-ids in the statement.
def sources(text):
    return ', '.join(sorted(set(re.findall(r'\b(P\d{2}|R\d{1,2}|B\d{1,2}(?:\.\d)?)\b', text))))

def grep(paths, pattern):
    hits = []
    for p in paths:
        for i, line in enumerate(open(p, errors='replace'), 1):
            for m in re.finditer(pattern, line):
                hits.append((p, i, m))
    return hits

acsl_files = sorted(glob.glob('model/acsl/*.h'))
model_c = sorted(glob.glob('model/*.c') + glob.glob('model/*.h'))
test_files = sorted(glob.glob('tests/*.c'))

stated, checkers, tests = {}, {}, {}
for p, i, m in grep(acsl_files, r'(?:predicate|lemma)\s+(INV|GMEM)_(\d{2})\w*'):
    stated.setdefault(evidence.key(f'{m.group(1)}-{m.group(2)}'), []).append(f'{p}:{i}')
for p, i, m in grep(model_c, r'\bbool\s+((inv|gmem)_(\d{2})_\w+)\s*\('):
    checkers.setdefault(evidence.key(f'{m.group(2).upper()}-{m.group(3)}'), set()).add(m.group(1))
# a checker in model/ that reports the ID it found violated
for p, i, m in grep(model_c, r'"((?:INV|GMEM)-\d{2})[:" ]'):
    checkers.setdefault(evidence.key(m.group(1)), set()).add(f'{p}:{i}')
# cmocka tests and entries of the shared scenario table, named INV_NN_...
# or GMEM_NN_...
for p, i, m in grep(test_files, r'(?:cmocka_unit_test(?:_setup)?|SCENARIO)\(((?:test_)?(?:INV|GMEM)_(\d{2})\w*)\b'):
    for nn in evidence.ids(m.group(1)):     # INV_06_07_x names both
        tests.setdefault(nn, set()).add(m.group(1))
# the table of tests/gmem_scenarios.c: { "GMEM_NN_...", fn }
for p, i, m in grep(test_files, r'\{ "(GMEM_(\d{2})\w*)",'):
    for nn in evidence.ids(m.group(1)):
        tests.setdefault(nn, set()).add(m.group(1))

# Credits: only what a checker recorded while it ran (scripts/evidence.py).
scope = [l.split('\t')[0] for l in open('proofs/wp-scope.txt')
         if l.strip() and not l.startswith('#')]
ev, wp, junit, kunit = evidence.collect(scope)

rows, problems = [], []
for nn in sorted(set(inv) | set(stated) | set(checkers)):
    if nn not in inv:
        problems.append(f"{'GMEM-' + nn[1:] if nn.startswith('G') else 'INV-' + nn} is named in the code but not in SPEC.md")
        continue
    st = stated.get(nn, [])
    c = evidence.classify(nn, ev, wp, junit, kunit)
    tl = sorted(tests.get(nn, []))
    row = {
        'id': inv[nn]['id'], 'statement': inv[nn]['statement'],
        'sources': sources(inv[nn]['statement']),
        'stated': st, 'checker': sorted(checkers.get(nn, [])),
        'proved': c['wp'], 'proof_assumes': c['wp_assumes'],
        'fixpoint': c['fixpoint'], 'bounded': c['bounded'], 'interleavings': c['interleavings'],
        'evaluated': c['evaluated'],
        'tests': sorted(c['tests']), 'test_results': [c['tests'][t] for t in sorted(c['tests'])],
        'kernel': c['kernel'], 'kernel_checks': c['kernel_checks'],
        'named_tests': tl,
        'named_tests_not_run': [t for t in tl if t not in c['tests']],
        'status': c['status'],
    }
    if not st and not row['checker']:
        row['status'] = 'NOT YET STATED'
    if row['status'].startswith(('GAP', 'FAILING', 'NOT YET')):
        problems.append(f"{row['id']}: {row['status']}")
    rows.append(row)

def short(s, n=60):
    return s if len(s) <= n else s[:n - 1] + '…'

def tags(items):
    return ','.join(sorted({x.split()[0] for x in items})) or '-'

# Terminal table.
print(f"{'ID':7} {'statement':34} {'WP':>26} {'fixpoint':10} {'bounded':11} {'mc':3} {'tests':>7}  status")
for r in rows:
    passed = sum(x == 'ok' for x in r['test_results'])
    print(f"{r['id']:7} {short(r['statement'], 34):34} "
          f"{r['proved'] or '-':>26} {tags(r['fixpoint']):10} {tags(r['bounded']):11} "
          f"{'mc' if r['interleavings'] else '-':3} "
          f"{str(passed) + '/' + str(len(r['tests'])) if r['tests'] else '-':>7}  {r['status']}")

os.makedirs(outdir, exist_ok=True)
json.dump(rows, open(os.path.join(outdir, 'invariants.json'), 'w'), indent=1)
md = ['Status rule: ' + evidence.RULE, '',
      '| ID | statement | WP | exhaustive (fixpoint) | bounded / model | interleavings | tests | kernel (KUnit) | status |',
      '|---|---|---|---|---|---|---|---|---|']
for r in rows:
    md.append('| {} | {} | {} | {} | {} | {} | {} | {} | {} |'.format(
        r['id'], r['statement'].replace('|', '\\|'),
        (r['proved'] or '—') + ''.join('<br>assumes ' + a for a in r['proof_assumes']),
        '<br>'.join(r['fixpoint']) or '—', '<br>'.join(r['bounded']) or '—',
        '<br>'.join(r['interleavings']) or '—',
        '<br>'.join(f'{t} ({x})' for t, x in zip(r['tests'], r['test_results'])) or '—',
        '<br>'.join(f'{t} ({x})' for t, x in sorted(r['kernel'].items())) or '—',
        r['status']))
open(os.path.join(outdir, 'invariants.md'), 'w').write('\n'.join(md) + '\n')

if docs:
    out = ['# Invariants', '',
           'Generated by `scripts/trace.py` from SPEC.md part C and the sources; do not edit.',
           'Each row: the statement, the upstream sources its text cites (patch/race/behaviour',
           'ids of SPEC.md part F), where it is stated in ACSL and C, and its tests.', '',
           '| ID | statement | upstream | stated (ACSL) | C checker | tests |',
           '|---|---|---|---|---|---|']
    for r in rows:
        out.append('| {} | {} | {} | {} | {} | {} |'.format(
            r['id'], r['statement'].replace('|', '\\|'), r['sources'] or '—',
            '<br>'.join(r['stated']) or '—', '<br>'.join(r['checker']) or '—',
            '<br>'.join(r['named_tests']) or '—'))
    open(docs, 'w').write('\n'.join(out) + '\n')

for p in problems:
    print('trace: ' + p)
# 3: the tables were written, but an invariant lacks evidence (verify fails
# on it); anything else non-zero: the tables could not be made.
sys.exit(3 if problems else 0)
