#!/usr/bin/env python3
"""Write build/report/{index.md,index.html,status.json} from the last run.

Inputs, all produced by `make verify`: build/verify/steps.tsv (step, result,
seconds), build/proofs/status.json and wp.log (WP per function),
build/report/invariants.json (scripts/trace.py), build/verify/*.log.
"""
import glob
import html
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evidence  # noqa: E402  (what the report may credit)
import proofkit  # noqa: E402  (the WP time breakdown)

R = 'build/report'
os.makedirs(R, exist_ok=True)

def load(p, default):
    try:
        return json.load(open(p))
    except (OSError, ValueError):
        return default

def version(cmd):
    try:
        out = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20)
        return (out.stdout + out.stderr).strip().split('\n')[0]
    except (OSError, subprocess.SubprocessError):
        return 'not found'

steps = []
if os.path.exists('build/verify/steps.tsv'):
    for line in open('build/verify/steps.tsv'):
        name, res, secs = line.rstrip('\n').split('\t')
        steps.append({'step': name, 'result': res, 'seconds': int(secs)})

wp = load('build/proofs/status.json', {})
invs = load(f'{R}/invariants.json', [])

# Where the WP time went (scripts/proofkit.py's build/proofs/times.json):
# each function's job time, its prover calls by kind, and whether it ran.
wpt = load('build/proofs/times.json', {})
ptime = {fn: t.get('seconds', 0.0) for fn, t in wpt.get('functions', {}).items()}
wp_breakdown = proofkit.breakdown(wpt) if wpt.get('functions') else {}

tools = {
    'Frama-C': version('frama-c -version'),
    'Why3': version('why3 --version'),
    'Z3': version('z3 --version'),
    'CVC4': version('cvc4 --version'),
    'Spin': version('spin -V'),
    'gcc': version('gcc --version'),
    'cmocka': version("dpkg-query -W -f='${Version}' libcmocka-dev"),
    'kernel (host)': version('uname -r'),
}

def test_counts():
    """Counts from what ran: cmocka's JUnit files and KUnit's KTAP totals."""
    import xml.etree.ElementTree as ET
    suites, run, failed, skipped = {}, 0, 0, 0
    for f in sorted(glob.glob(f'{R}/junit/*.xml')):
        try:
            for ts in ET.parse(f).getroot().iter('testsuite'):
                t, fl = int(ts.get('tests', 0)), int(ts.get('failures', 0)) + int(ts.get('errors', 0))
                sk = int(ts.get('skipped', 0))
                suites[os.path.basename(f)[:-4]] = {'run': t, 'failed': fl, 'skipped': sk}
                run, failed, skipped = run + t, failed + fl, skipped + sk
        except (ET.ParseError, OSError, ValueError):
            suites[os.path.basename(f)[:-4]] = {'run': 0, 'failed': 1, 'skipped': 0, 'error': 'unreadable JUnit'}
            failed += 1
    kunit = {}
    for f in sorted(glob.glob('build/kernel/kunit-*.log')):
        if f.endswith('-selftest.log'):
            continue        # a planted bug's boot, not a test run
        tot = None
        for line in open(f, errors='replace'):
            m = re.search(r'# Totals: pass:(\d+) fail:(\d+) skip:(\d+) total:(\d+)', line)
            if m:
                tot = {'passed': int(m.group(1)), 'failed': int(m.group(2)),
                       'skipped': int(m.group(3)), 'run': int(m.group(4))}
        if tot:
            kunit[os.path.basename(f)[6:-4]] = tot
    return {'run': run, 'passed': run - failed - skipped, 'failed': failed,
            'skipped': skipped, 'suites': suites, 'kunit': kunit}

status = {
    # n/a: the step's checker has not landed; shown as such, not a failure.
    'ok': all(s['result'] in ('ok', 'n/a') for s in steps) and bool(steps),
    'not_available': [s['step'] for s in steps if s['result'] == 'n/a'],
    'steps': steps, 'tools': tools,
    'wp': {'total_goals': sum(f['goals'] for f in wp.get('functions', {}).values()),
           'proved': sum(f['proved'] for f in wp.get('functions', {}).values()),
           'functions': wp.get('functions', {}), 'lemmas': wp.get('lemmas', {}),
           'job_seconds': {k: round(v, 2) for k, v in ptime.items()},
           'time': {'wall_seconds': wpt.get('wall_seconds'),
                    'prepare_seconds': wpt.get('prepare_seconds'),
                    'breakdown': {k: round(v, 1) for k, v in wp_breakdown.items()},
                    'results': {s: sum(1 for t in wpt.get('functions', {}).values()
                                       if t['source'].split(' as ')[0] == s)
                                for s in {t['source'].split(' as ')[0]
                                          for t in wpt.get('functions', {}).values()}}}},
    'tests': test_counts(),
    'invariants': invs,
}
json.dump(status, open(f'{R}/status.json', 'w'), indent=1)

def md_table(head, rows):
    out = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    for r in rows:
        out.append('| ' + ' | '.join(str(c).replace('|', '\\|').replace('\n', '<br>') for c in r) + ' |')
    return '\n'.join(out)

def tone(c):
    """A status cell's colour class: green ok, amber qualified, red failing."""
    c = str(c)
    if re.match(r'(FAIL|GAP|VIOLATION|NOT |PROOF FAILING|TEST FAILING)', c):
        return ' class="bad"'
    if re.match(r'(ok, |untested|n/a|not run)', c):
        return ' class="warn"'
    if c == 'ok' or c == 'passed':
        return ' class="good"'
    return ''

def html_table(head, rows):
    h = ''.join(f'<th>{html.escape(x)}</th>' for x in head)
    b = ''.join('<tr>' + ''.join(f'<td{tone(c)}>{html.escape(str(c)).replace(chr(10), "<br>")}</td>' for c in r) + '</tr>' for r in rows)
    return f'<table><thead><tr>{h}</tr></thead><tbody>{b}</tbody></table>'

sections = []
sections.append(('Steps', ['step', 'result', 'time (s)'],
                 [[s['step'], s['result'], s['seconds']] for s in steps]))
sections.append(('Invariants (status rule: ' + evidence.RULE + ')',
                 ['ID', 'statement', 'WP (goals named after it)', 'exhaustive: fixpoint',
                  'bounded / model', 'interleavings', 'evaluated in this run (times)', 'tests (cmocka)',
                  'kernel (KUnit)', 'status'],
                 [[i['id'], i['statement'],
                   (i['proved'] or '—') + ''.join('\nassumes ' + a for a in i.get('proof_assumes', [])),
                   '\n'.join(i.get('fixpoint', [])) or '—', '\n'.join(i.get('bounded', [])) or '—',
                   '\n'.join(i.get('interleavings', [])) or '—',
                   '\n'.join(i.get('evaluated', [])) or 'none',
                   '\n'.join(f'{t} ({x})' for t, x in zip(i['tests'], i['test_results'])) or '—',
                   '\n'.join([f'{t} ({x})' for t, x in sorted(i.get('kernel', {}).items())] +
                             i.get('kernel_checks', [])) or '—',
                   i['status']] for i in invs]))
if wp_breakdown:
    b = wp_breakdown
    rows = [['wall time of the proof run', f"{wpt.get('wall_seconds')} s"],
            ['parse + RTE + save, once', f"{wpt.get('prepare_seconds')} s"],
            ['jobs that ran / time summed over them', f"{b['jobs']} / {b['job_seconds']:.0f} s"]]
    for k in ('z3_smoke', 'cvc4_smoke', 'z3_goal', 'cvc4_goal'):
        if k in b:
            rows.append([f"{k.split('_')[0]} on {'smoke tests' if 'smoke' in k else 'proof goals'}",
                         f"{b[k]:.0f} s in {b[k + '_calls']} calls"])
    rows.append(['Frama-C itself (state load, VC generation, Qed, Why3)', f"{b['frama_c_seconds']:.0f} s"])
    rows += [[f'functions: {s}', n] for s, n in sorted(status['wp']['time']['results'].items())]
    sections.append(('WP time (scripts/proofkit.py: one job per function)', ['what', 'time'], rows))
sections.append(('WP per function', ['function', 'proved/goals', 'smoke tests', 'job time (s)', 'result from', 'proved-unreachable BUG/WARN', 'concurrent-only (dead sequentially)'],
                 [[fn, f"{f['proved']}/{f['goals']}", f['smoke'], round(ptime.get(fn, 0.0), 2),
                   wpt.get('functions', {}).get(fn, {}).get('source', '?'),
                   ', '.join(f['unreachable_asserts']), ', '.join(f.get('concurrent_only', []))]
                  for fn, f in sorted(wp.get('functions', {}).items())]))
# proofs/wp-scope.txt: what WP does not prove, and why.
scope = []
for line in open('proofs/wp-scope.txt'):
    if line.strip() and not line.startswith('#'):
        fn, _, why = line.rstrip('\n').partition('\t')
        scope.append([fn, why])
sections.append(('Outside WP (proofs/wp-scope.txt; "assumed" contracts are used by proved callers)',
                 ['function', 'why, and what checks it'], scope))
# Figures printed by the benchmarks of this run (ratios from the same run).
figures = []
for f in ('build/bench/pamt.txt', 'build/bench/wall.txt', 'build/mc/mc.txt'):
    try:
        figures += [[os.path.basename(f), l.strip()] for l in open(f) if l.strip()]
    except OSError:
        pass
if figures:
    sections.append(('Figures', ['source', 'figure'], figures))
# The concurrency table (docs/CONCURRENCY.md), each mc scenario with what
# this run's build/mc/mc.txt says of it: schedules and result, or "not run".
mc_runs, bound = {}, None
try:
    for l in open('build/mc/mc.txt'):
        m = re.match(r'mc: preemption bound (\d+)', l)
        if m:
            bound = m.group(1)
        m = re.match(r'mc: (\S+)\s+(\d+) schedules,.*: ok', l)
        if m:
            mc_runs.setdefault(m.group(1), []).append(f'{m.group(2)} schedules at bound {bound}, ok')
        m = re.match(r'mc: (\S+)\s+VIOLATION of (\S+)', l)
        if m:
            mc_runs.setdefault(m.group(1), []).append(f'VIOLATION of {m.group(2)}')
except OSError:
    pass
conc = []
try:
    for l in open('docs/CONCURRENCY.md'):
        cells = [c.strip() for c in l.strip().strip('|').split('|')]
        if not l.startswith('|') or len(cells) != 5 or cells[0] in ('pair', '---'):
            continue
        names = re.findall(r'\b(R\d+[A-Za-z0-9-]*)', cells[3])
        ran = '; '.join(f'{n}: ' + ', '.join(mc_runs.get(n, ['not run'])) for n in names) or '—'
        conc.append(cells[:3] + [ran, cells[4]])
except OSError:
    pass
if conc:
    sections.append(('Concurrency (docs/CONCURRENCY.md; mc results from this run)',
                     ['pair', 'per upstream', 'what orders it', 'mc this run', 'real threads (TSan)'], conc))
# Bounded model checking of this run (scripts/bmc.sh -> build/bmc/*.json).
bmc = []
for f in sorted(glob.glob('build/bmc/*.json')):
    j = load(f, None)
    if not j:
        continue
    bmc.append([os.path.basename(f)[:-5], j['root'], j['faults'], j['depth'],
                j['transitions'], j['distinct'], j['expanded'], j['seconds'],
                round(j['transitions'] / max(j['seconds'], 1e-9)),
                ' '.join(f"{d['depth']}:{d['seconds']}s" for d in j['per_depth']),
                j['first_violation'] or 'none'])
if bmc:
    sections.append(('Bounded model checking (harness/bmc)',
                     ['run', 'root', 'faults', 'depth', 'transitions', 'distinct states', 'expanded',
                      'seconds', 'transitions/s', 'time per depth', 'violation'], bmc))
    status['bmc'] = [dict(zip(['run', 'root', 'faults', 'depth', 'transitions', 'distinct',
                               'expanded', 'seconds', 'transitions_per_s'], r)) for r in bmc]
    json.dump(status, open(f'{R}/status.json', 'w'), indent=1)
# guest_memfd conversion, exhaustive over small files (make gmem).
gm = load('build/gmem/gmem.json', None)
if gm:
    sections.append(('guest_memfd conversion (harness/gmem)',
                     ['files up to', 'calls', 'faults', 'seconds', 'calls/s', 'violations'],
                     [[f"{gm['depth']} pages", f"{gm['runs']:,}", gm['faults'], gm['seconds'],
                       round(gm['runs'] / max(gm['seconds'], 1e-9)), gm['violations']]]))
    status['gmem'] = {k: gm[k] for k in ('depth', 'runs', 'seconds', 'violations')}
    json.dump(status, open(f'{R}/status.json', 'w'), indent=1)
# Trace conformance of this run (scripts/conform-check.py -> build/conform).
conf = load('build/conform/summary.json', None)
if conf:
    rows = []
    r = conf.get('random', {})
    if conf.get('base'):
        rows.append(['base trace (tests/conform/base.trace)', f"{conf['base'].get('events', 0)} events",
                     conf['base'].get('verdict', '?')])
    if r:
        rows.append([f"{r.get('sequences', 0)} random sequences with faults", f"{r.get('events', 0)} events",
                     f"{r.get('sequences', 0) - r.get('nonconforming', 0)} conform, "
                     f"{r.get('nonconforming', 0)} do not"])
    for t in conf.get('scenario', []) + conf.get('kernel', []):
        res = t.get('result', {})
        rows.append([t['trace'], f"{res.get('events', 0)} events, {t.get('threads', '?')} threads",
                     res.get('verdict', '?')])
    for m in conf.get('mutants', []):
        rows.append([f"mutant: {m['name']}", f"want {m['want']} at line {m['want_line']}",
                     f"{'rejected' if m['caught'] else 'MISSED'}: {m['got']} at line {m['line']}"])
    sections.append(('Trace conformance (tdxmm-conform; docs/TRACE-FORMAT.md)',
                     ['trace', 'size / expectation', 'verdict'], rows))
sections.append(('Tool versions', ['tool', 'version'], [[k, v] for k, v in tools.items()]))

title = 'tdxmm verification report'
verdict = 'all steps passed' if status['ok'] else 'FAILED'
if status['ok'] and status['not_available']:
    verdict += ' (not yet available: ' + ', '.join(status['not_available']) + ')'
kunit_line = ''.join(f'; KUnit {k}: {v["passed"]} passed, {v["failed"]} failed, {v["skipped"]} skipped of {v["run"]} (KTAP)'
                     for k, v in status['tests']['kunit'].items())
md = [f'# {title}', '', f'Verdict: **{verdict}**. WP: {status["wp"]["proved"]}/{status["wp"]["total_goals"]} goals; '
      f'tests: {status["tests"]["passed"]}/{status["tests"]["run"]} passed (cmocka JUnit, build/report/junit/){kunit_line}.', '']
for name, head, rows in sections:
    md += [f'## {name}', '', md_table(head, rows), '']
open(f'{R}/index.md', 'w').write('\n'.join(md))

css = ('body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}'
       'td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;font-size:90%}th{background:#eee}'
       '.good{background:#d8f5d0}.warn{background:#fbefc4}.bad{background:#f8cfcf;font-weight:bold}')
body = [f'<h1>{title}</h1><p>Verdict: <b>{verdict}</b>. WP: {status["wp"]["proved"]}/{status["wp"]["total_goals"]} goals; '
        f'tests: {status["tests"]["passed"]}/{status["tests"]["run"]} passed (cmocka JUnit, build/report/junit/){html.escape(kunit_line)}.</p>']
for name, head, rows in sections:
    body.append(f'<h2>{html.escape(name)}</h2>' + html_table(head, rows))
open(f'{R}/index.html', 'w').write(
    f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title><style>{css}</style></head>'
    f'<body>{"".join(body)}</body></html>\n')
print(f'report: {R}/index.md, {R}/index.html, {R}/status.json')
