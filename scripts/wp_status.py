#!/usr/bin/env python3
"""Classify a Frama-C WP run and diff it against proofs/expected-status.json.

Inputs: the WP log (for smoke-test source lines) and -wp-report-json output.
A proof goal counts only if valid.  A smoke test "fails" when WP proves the
point unreachable (the report JSON then leaves it unknown); that is a defect (vacuous contract, dead code) except at
a BUG()/WARN line, where unreachability is exactly what the contract is meant
to establish -- those are listed as proved-unreachable assertions.

usage: wp_status.py LOG JSON EXPECTED OUT_JSON [--accept] [--only F1,F2]

--only: a run of those functions alone (make proofs FUNCS=...): the diff
covers their entries (and their static-inline copies f_0, f_1...) only,
and --accept rewrites only those entries.
"""
import json
import re
import sys

log, rep, expected_path, out_path = sys.argv[1:5]
accept = '--accept' in sys.argv
only = None
if '--only' in sys.argv:
    only = set(sys.argv[sys.argv.index('--only') + 1].split(','))


def selected(fn):
    return only is None or re.sub(r'_\d+$', '', fn) in only or fn in only

report = json.load(open(rep))
text = open(log).read()

# "[wp] [Failed] Smoke-test typed_NAME" then "[wp] FILE:LINE: Warning: Failed smoke-test"
smoke_loc = {}
for m in re.finditer(r'\[Failed\] Smoke-test typed_(\S+)\n(?:.*\n)*?\[wp\] (\S+?):(\d+): Warning: Failed smoke-test', text):
    smoke_loc.setdefault(m.group(1), (m.group(2), int(m.group(3))))

def src_line(f, n):
    try:
        return open(f).read().split('\n')[n - 1]
    except (OSError, IndexError):
        return ''

ASSERTION = re.compile(r'\b(BUG|BUG_ON|WARN_ON|WARN_ON_ONCE|KVM_BUG_ON|TDX_BUG_ON(_\d)?)\s*\(')

funcs = {}
problems = []
for fn, goals in sorted(report['wp:functions'].items()):
    r = funcs.setdefault(fn, {'goals': 0, 'proved': 0, 'smoke': 0,
                              'unreachable_asserts': [], 'unproved': []})
    for g, st in goals.items():
        if g.startswith('wp:'):     # per-function summary, not a goal
            continue
        main = st.get('wp:main', {})
        valid = main.get('valid', 0) == main.get('total', 0) and main.get('total', 0) > 0
        if '_wp_smoke_' in g:
            r['smoke'] += 1
            # The JSON marks a passed smoke test valid; a failed one (WP
            # proved the point unreachable) is left unknown.
            if not valid:
                f, n = smoke_loc.get(g, ('?', 0))
                line = src_line(f, n)
                where = f'{f}:{n}'
                # the error return in the body of `if (KVM_BUG_ON(...))`
                # is as unreachable as the assertion itself
                prev = src_line(f, n - 1)
                guarded = (ASSERTION.search(prev) and
                           prev.strip().startswith('if (') and
                           line.strip().startswith('return'))
                # a branch only another thread can take (a lost race):
                # sequential WP proves it dead; harness/mc explores it
                concurrent = any('WP: concurrent-only' in src_line(f, n - d)
                                 for d in range(0, 4))
                if concurrent:
                    r.setdefault('concurrent_only', []).append(where)
                elif ASSERTION.search(line) or guarded:
                    r['unreachable_asserts'].append(where)
                else:
                    problems.append(f'{fn}: smoke test {g} failed at {where}: '
                                    f'dead code or vacuous contract')
        else:
            r['goals'] += 1
            if valid:
                r['proved'] += 1
            else:
                r['unproved'].append(g)
                problems.append(f'{fn}: goal {g} not proved')
    r['unreachable_asserts'] = sorted(set(r['unreachable_asserts']))
    r['concurrent_only'] = sorted(set(r.get('concurrent_only', [])))

lemmas = {}
for ax, goals in report.get('wp:axiomatics', {}).items():
    for g, st in goals.items():
        if g.startswith('wp:'):
            continue
        main = st.get('wp:main', {})
        ok = main.get('valid', 0) == main.get('total', 0)
        lemmas[g] = ok
        if not ok:
            problems.append(f'lemma {g} not proved')

glob = report['wp:global']['wp:main']
status = {'functions': funcs, 'lemmas': lemmas,
          'total': glob.get('total', 0), 'valid': glob.get('valid', 0)}
json.dump(status, open(out_path, 'w'), indent=1, sort_keys=True)

print(f"{'function':36} {'proved/goals':>13} {'smoke':>6}  unreachable BUG/WARN")
tp = tg = 0
for fn, r in funcs.items():
    tp += r['proved']; tg += r['goals']
    print(f"{fn:36} {r['proved']:>6}/{r['goals']:<6} {r['smoke']:>6}  "
          f"{', '.join(r['unreachable_asserts'])}"
          + (f" (concurrent-only: {', '.join(r['concurrent_only'])})"
             if r['concurrent_only'] else ''))
print(f"{'lemmas':36} {sum(lemmas.values()):>6}/{len(lemmas):<6}")
print(f"{'total':36} {tp:>6}/{tg:<6}")

expected_now = {fn: f"{r['proved']}/{r['goals']}" for fn, r in funcs.items()
                if selected(fn)}
if only is None:
    expected_now['lemmas'] = f"{sum(lemmas.values())}/{len(lemmas)}"
if accept:
    if only is not None:
        old = json.load(open(expected_path))
        old = {fn: v for fn, v in old.items() if not selected(fn) or fn == 'lemmas'}
        old.update(expected_now)
        expected_now = old
    json.dump(expected_now, open(expected_path, 'w'), indent=1, sort_keys=True)
    print(f'wrote {expected_path}')
else:
    try:
        expected = json.load(open(expected_path))
    except OSError:
        expected = {}
        problems.append(f'{expected_path} missing: run make proofs-accept')
    if only is not None:
        expected = {fn: v for fn, v in expected.items()
                    if fn != 'lemmas' and selected(fn)}
        if not expected_now:
            problems.append(f'FUNCS={",".join(sorted(only))}: WP proved none of them')
    for fn in sorted(set(expected) | set(expected_now)):
        e, n = expected.get(fn), expected_now.get(fn)
        if e != n:
            problems.append(f'status of {fn} changed: expected {e}, got {n} '
                            f'(if intended: make proofs-accept)')

for p in problems:
    print('wp: ' + p)
sys.exit(1 if problems else 0)
