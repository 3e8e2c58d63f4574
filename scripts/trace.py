#!/usr/bin/env python3
"""Invariant traceability, generated from the sources and the last run.

For every INV-NN in SPEC.md part C: the one-line statement, where it is
stated in ACSL (model/acsl) and as a C checker (model/), the WP goals whose
clause carries its ID (proved/total, from build/proofs/wp.json), the
exhaustive checks that name it, and the tests named after it with their
result (from build/tests/*.log).  Nothing here is maintained by hand.

usage: trace.py SPEC.md OUTDIR [--docs docs/INVARIANTS.md]
exit 1 if an invariant is stated but has neither a proof nor an exhaustive
check, or if a stated ID is not in SPEC.md.
"""
import glob
import json
import os
import re
import sys

spec_path, outdir = sys.argv[1], sys.argv[2]
docs = sys.argv[sys.argv.index('--docs') + 1] if '--docs' in sys.argv else None
spec = open(spec_path).read()

# Statements: "- INV-NN text" lines of part C (continuations indented).
inv = {}
for m in re.finditer(r'^- (INV-(\d{2})) (.*(?:\n  .*)*)', spec, re.M):
    text = ' '.join(l.strip() for l in m.group(3).split('\n'))
    inv[m.group(2)] = {'id': m.group(1), 'statement': text}

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
check_files = sorted(glob.glob('harness/bmc/**/*', recursive=True) +
                     glob.glob('harness/mc/**/*', recursive=True) +
                     glob.glob('model/promela/**/*.pml', recursive=True) +
                     glob.glob('proofs/eva/*.c'))
check_files = [f for f in check_files if os.path.isfile(f)]

stated, checkers, tests, checks = {}, {}, {}, {}
for p, i, m in grep(acsl_files, r'(?:predicate|lemma)\s+INV_(\d{2})\w*'):
    stated.setdefault(m.group(1), []).append(f'{p}:{i}')
for p, i, m in grep(model_c, r'\bbool\s+(inv_(\d{2})_\w+)\s*\('):
    checkers.setdefault(m.group(2), set()).add(m.group(1))
# a checker in model/ that reports the ID it found violated
for p, i, m in grep(model_c, r'"INV-(\d{2})[:" ]'):
    checkers.setdefault(m.group(1), set()).add(f'{p}:{i}')
# cmocka tests and entries of the shared scenario table, named INV_NN_...
for p, i, m in grep(test_files, r'(?:cmocka_unit_test(?:_setup)?|SCENARIO)\(((?:test_)?INV_(\d{2})\w*)\b'):
    tests.setdefault(m.group(2), set()).add(m.group(1))
# What each exhaustive checker explored in this run.
def figure(p):
    if p.startswith('harness/bmc'):
        runs = [json.load(open(f)) for f in sorted(glob.glob('build/bmc/*.json'))]
        if runs:
            best = max(runs, key=lambda j: j['distinct'])
            return (f"bmc: {sum(j['distinct'] for j in runs)} states, depth <= "
                    f"{max(j['depth'] for j in runs)}" +
                    ('' if all(not j['violations'] for j in runs) else ' VIOLATION'))
        return 'bmc (not run)'
    if p.startswith('harness/mc'):
        try:
            tot = [re.match(r'mc: \d+ scenario\(s\), (\d+) schedules', l)
                   for l in open('build/mc/mc.txt')]
            tot = [m for m in tot if m]
            n = sum(int(m.group(1)) for m in tot)
            bad = any('VIOLATION' in m.string for m in tot)
            return f'mc: {n} schedules' + (' VIOLATION' if bad else '')
        except OSError:
            return 'mc (not run)'
    if p.startswith('proofs/eva'):
        return f'eva: {os.path.basename(p)}'
    if p.startswith('model/promela'):
        return f'spin: {os.path.basename(p)}'
    return p

for p, i, m in grep(check_files, r'\bINV[-_](\d{2})\b'):
    checks.setdefault(m.group(1), set()).add(figure(p))

# Evidence: what each checker evaluated in this run (its own counters,
# model/evidence.h), with the run's scope, rather than which file names it.
evaluated = {}
for f in sorted(glob.glob('build/bmc/*.json')):
    try:
        j = json.load(open(f))
    except (OSError, ValueError):
        continue
    scope = (f"bmc {os.path.basename(f)[:-5]}: " +
             (f"fixpoint at depth {j['depth']}" if j.get('fixpoint') else f"depth {j['depth']}") +
             f", root {j['root']}, faults {j['faults']}")
    for k, n in j.get('evidence', {}).items():
        evaluated.setdefault(k[4:], []).append(f'{scope}: {n:,}')
try:
    bound = '?'
    for l in open('build/mc/mc.txt'):
        m = re.match(r'mc: preemption bound (\d+)', l)
        if m:
            bound = m.group(1)
        if l.startswith('mc: evidence'):
            for k, n in re.findall(r'INV-(\d{2})=(\d+)', l):
                evaluated.setdefault(k, []).append(f'mc bound {bound}: {int(n):,}')
except OSError:
    pass

# WP goals named after the invariant.
wp = {}
try:
    rep = json.load(open('build/proofs/wp.json'))
    for fn, goals in rep['wp:functions'].items():
        for g, st in goals.items():
            m = re.search(r'INV_(\d{2})', g)
            if not m or '_wp_smoke_' in g:
                continue
            main = st.get('wp:main', {})
            e = wp.setdefault(m.group(1), [0, 0])
            e[1] += 1
            e[0] += main.get('valid', 0) == main.get('total', -1)
    for ax, goals in rep.get('wp:axiomatics', {}).items():
        for g, st in goals.items():
            m = re.search(r'INV_(\d{2})', g)
            if m:
                main = st.get('wp:main', {})
                e = wp.setdefault(m.group(1), [0, 0])
                e[1] += 1
                e[0] += main.get('valid', 0) == main.get('total', -1)
except (OSError, KeyError, ValueError):
    pass

# Test results of the last run.
result = {}
for log in glob.glob('build/tests/*.log'):
    for line in open(log, errors='replace'):
        m = re.match(r'\[\s*(OK|FAILED)\s*\] (\w+)$', line.strip())
        if m:
            result[m.group(2)] = 'ok' if m.group(1) == 'OK' else 'FAILED'

rows, problems = [], []
for nn in sorted(set(inv) | set(stated) | set(checkers)):
    if nn not in inv:
        problems.append(f'INV-{nn} is named in the code but not in SPEC.md')
        continue
    st = stated.get(nn, [])
    pr = wp.get(nn)
    tl = sorted(tests.get(nn, []))
    tres = [result.get(t, 'not run') for t in tl]
    row = {
        'id': inv[nn]['id'], 'statement': inv[nn]['statement'],
        'sources': sources(inv[nn]['statement']),
        'stated': st, 'checker': sorted(checkers.get(nn, [])),
        'proved': f'{pr[0]}/{pr[1]}' if pr else '',
        'checked': sorted(checks.get(nn, [])),
        'evaluated': evaluated.get(nn, []),
        'tests': tl, 'test_results': tres,
    }
    if not st and not row['checker']:
        row['status'] = 'NOT YET STATED'
    elif not pr and not row['checked']:
        row['status'] = 'GAP: no proof, no exhaustive check'
        problems.append(f"{row['id']}: stated but neither proved nor exhaustively checked")
    elif pr and pr[0] != pr[1]:
        row['status'] = 'PROOF FAILING'
        problems.append(f"{row['id']}: {pr[1] - pr[0]} WP goal(s) not proved")
    elif 'FAILED' in tres:
        row['status'] = 'TEST FAILING'
        problems.append(f"{row['id']}: a test failed")
    elif not tl:
        row['status'] = 'proved, untested' if pr else 'checked, untested'
    else:
        row['status'] = 'ok'
    rows.append(row)

def short(s, n=60):
    return s if len(s) <= n else s[:n - 1] + '…'

# Terminal table.
print(f"{'ID':7} {'statement':40} {'stated':24} {'WP':>7} {'checks':12} {'tests':>9}  status")
for r in rows:
    passed = sum(x == 'ok' for x in r['test_results'])
    where = r['stated'] or r['checker']
    tags = ','.join(sorted({c.split(':')[0].split()[0] for c in r['checked']}))
    print(f"{r['id']:7} {short(r['statement'], 40):40} "
          f"{short(where[0] if where else '-', 24):24} "
          f"{r['proved'] or '-':>7} {tags or '-':12} "
          f"{str(passed) + '/' + str(len(r['tests'])) if r['tests'] else '-':>9}  {r['status']}")

os.makedirs(outdir, exist_ok=True)
json.dump(rows, open(os.path.join(outdir, 'invariants.json'), 'w'), indent=1)
md = ['| ID | statement | stated | C checker | WP proved | exhaustive checks | tests | status |',
      '|---|---|---|---|---|---|---|---|']
for r in rows:
    md.append('| {} | {} | {} | {} | {} | {} | {} | {} |'.format(
        r['id'], r['statement'].replace('|', '\\|'), '<br>'.join(r['stated']) or '—',
        '<br>'.join(r['checker']) or '—', r['proved'] or '—',
        '<br>'.join(r['checked']) or '—',
        '<br>'.join(f'{t} ({x})' for t, x in zip(r['tests'], r['test_results'])) or '—',
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
            '<br>'.join(r['tests']) or '—'))
    open(docs, 'w').write('\n'.join(out) + '\n')

for p in problems:
    print('trace: ' + p)
# 3: the tables were written, but an invariant lacks evidence (verify fails
# on it); anything else non-zero: the tables could not be made.
sys.exit(3 if problems else 0)
