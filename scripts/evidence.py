#!/usr/bin/env python3
"""Evidence per invariant, read from what the last run wrote.

Every credit here comes from a record a checker wrote while it ran:
  wp       build/proofs/wp.json: goals named INV_NN and their status;
           classed by the contracts they rest on (build/proofs/callgraph.dot
           and the headers' `requires INV_NN` clauses): a `requires` whose
           callers are not all proved makes the proof conditional on it.
  bmc      build/bmc/*.json: the oracle's evaluation counters, per run,
           with the run's scope (fixpoint or depth, root, faults, ops).
  gmem     build/gmem/*.json: harness/gmem's counters of GMEM-NN's
           checkers over its exhaustive small-file search.
  mc       build/mc/mc.txt: "mc: evidence" lines, with the preemption bound.
  fuzz     build/fuzz/evidence.txt: the oracle's counters over the campaign.
  static   build/static/evidence.txt: scripts/static-checks.sh, on impl/'s
           objects (INV-39: nothing in impl/ can run in softirq).
  eva      build/eva/*.log: -report's Valid assertions named INV_NN.
  spin     build/spin/<model>/pan.txt: an assert naming INV-NN (its line)
           that pan did not list as unreached, in a run with 0 errors.
  tests    build/report/junit/*.xml: test cases named INV_NN..., their result.
  kernel   build/kernel/kunit-{uml,smp}.log: KTAP results of cases INV_NN...,
           and build/kernel/evidence-{uml,smp}.txt: the checkers' counters at
           the suite's exit (shown; they do not change the status).
Nothing is credited for a file that merely names an ID.
"""
import glob
import json
import os
import re
import xml.etree.ElementTree as ET

RULE = ('ok: every WP goal named after it proved and no proof rests on an '
        'assumed contract, or a check over the C that reached a fixpoint '
        '(bmc, Eva) or on its objects (static-checks), and at least one test of it passed.  '
        '"ok, assumes": proved only under contracts whose callers are not all '
        'proved (named).  "ok, bounded": only bounded evidence (bmc to a depth, '
        'mc to a preemption bound, fuzz, the Spin models).  GAP: nothing that '
        'ran evaluated it.  FAILING: a goal unproved, a check or test failed.')


def _load(p, default=None):
    try:
        return json.load(open(p))
    except (OSError, ValueError):
        return default


def ids(text):
    """Invariant keys a test or goal name carries: INV_06_07_x -> ['06',
    '07']; GMEM_05_06_x -> ['G05', 'G06'] (docs/SPEC.md part G)."""
    m = re.search(r'INV_((?:\d{2}_)*\d{2})', text)
    if m:
        return m.group(1).split('_')
    m = re.search(r'GMEM_((?:\d{2}_)*\d{2})', text)
    return ['G' + x for x in m.group(1).split('_')] if m else []


def key(name):
    """'INV-06' -> '06', 'GMEM-01' -> 'G01' (a counter's name)."""
    return 'G' + name[5:] if name.startswith('GMEM-') else name[4:]


# ---- WP: goals, and the contracts they rest on ----

def requires_clauses(headers):
    """{NN: {function}}: functions whose ACSL contract requires INV_NN."""
    out = {}
    pat = re.compile(r'/\*@(.*?)\*/\s*((?:(?!/\*)[^;{])*?)\b(\w+)\s*\(', re.S)
    for p in headers:
        s = open(p, errors='replace').read()
        for m in pat.finditer(s):
            for nn in re.findall(r'\brequires\s+INV_(\d{2})\w*\s*:', m.group(1)):
                out.setdefault(nn, set()).add(m.group(3))
    return out


def assumed_ensures(headers, scope_file='proofs/wp-scope.txt'):
    """{key: {function}}: functions WP skips whose contract, assumed by
    their callers' proofs (proofs/wp-scope.txt "assumed:"), ensures INV_NN
    or GMEM_NN: a goal of that ID proved in a caller rests on it."""
    try:
        assumed = {l.split('\t')[0] for l in open(scope_file)
                   if '\tassumed:' in l and not l.startswith('#')}
    except OSError:
        return {}
    out = {}
    pat = re.compile(r'/\*@(.*?)\*/\s*((?:(?!/\*)[^;{])*?)\b(\w+)\s*\(', re.S)
    for p in headers:
        s = open(p, errors='replace').read()
        for m in pat.finditer(s):
            if m.group(3) not in assumed:
                continue
            for fam, nn in re.findall(r'\bensures\s+(INV|GMEM)_(\d{2})\w*\s*:', m.group(1)):
                out.setdefault(key(f'{fam}-{nn}'), set()).add(m.group(3))
    return out


def callgraph(dot):
    """{callee: {callers}} from Frama-C's -cg output (copies f_0... folded)."""
    callers = {}
    try:
        text = open(dot).read()
    except OSError:
        return None
    for a, b in re.findall(r'"UV (\w+) \(\d+\)" -> "UV (\w+) \(\d+\)"', text):
        callers.setdefault(base(b), set()).add(base(a))
    return callers


def base(fn):
    return re.sub(r'_\d+$', '', fn)


def wp_evidence(wpjson, dot, headers, scope):
    rep = _load(wpjson, {})
    goals = {}
    proved_fns = set()
    for fn, gs in rep.get('wp:functions', {}).items():
        proved_fns.add(base(fn))
        for g, st in gs.items():
            if '_wp_smoke_' in g:
                continue
            main = st.get('wp:main', {})
            ok = main.get('valid', 0) == main.get('total', -1)
            for nn in ids(g):
                e = goals.setdefault(nn, {'proved': 0, 'goals': 0, 'functions': set()})
                e['goals'] += 1
                e['proved'] += ok
                e['functions'].add(base(fn))
    for ax, gs in rep.get('wp:axiomatics', {}).items():
        for g, st in gs.items():
            main = st.get('wp:main', {})
            for nn in ids(g):
                e = goals.setdefault(nn, {'proved': 0, 'goals': 0, 'functions': set()})
                e['goals'] += 1
                e['proved'] += main.get('valid', 0) == main.get('total', -1)
                e['functions'].add('lemma ' + ax)
    cg = callgraph(dot)
    req = requires_clauses(headers)
    ens = assumed_ensures(headers)
    out = {}
    for nn, e in goals.items():
        assumed = []
        for g in sorted(ens.get(nn, ())):
            users = sorted(c for c in (cg or {}).get(g, ()) if c in e['functions'])
            if cg is None or users:
                assumed.append(f'{g}: its contract (ensures {"GMEM_" + nn[1:] if nn.startswith("G") else "INV_" + nn}) '
                               f'is assumed, not proved (proofs/wp-scope.txt)'
                               + (f', and {", ".join(users)} rests on it' if users else ''))
        for g in sorted(req.get(nn, ())):
            if cg is None:
                assumed.append(f'{g} (no call graph)')
                continue
            unproved = sorted(c for c in cg.get(g, ()) if c not in proved_fns and c != g)
            if not cg.get(g):
                assumed.append(f'{g}: requires INV_{nn}; no direct caller in impl/ '
                               '(called through a hook or from outside impl/)')
            elif unproved:
                assumed.append(f'{g}: requires INV_{nn}, not proved in its '
                               f'caller(s) {", ".join(unproved)}'
                               + (' (out of WP scope)' if all(c in scope for c in unproved) else ''))
        out[nn] = {'proved': e['proved'], 'goals': e['goals'],
                   'functions': sorted(e['functions']), 'assumes': assumed}
    return out


# ---- the checkers' run records ----

def bmc_evidence(files):
    out = {}
    for f in sorted(files):
        j = _load(f)
        if not j:
            continue
        name = os.path.basename(f)[:-5]
        fix = bool(j.get('fixpoint'))
        ops = j.get('ops') or 'all operations'
        scope = (f"bmc {name}: " + (f"fixpoint at depth {j['depth']}" if fix else f"depth {j['depth']}")
                 + f", root {j['root']}, faults {j['faults']}, {ops}")
        for k, n in j.get('evidence', {}).items():
            if n and not j.get('violations') and not j.get('first_violation'):
                out.setdefault(key(k), []).append({'kind': 'fixpoint' if fix else 'bounded',
                                                   'where': scope, 'count': n})
    return out


def gmem_evidence(files):
    """harness/gmem: exhaustive over every small file it enumerates, which
    is bounded evidence (a file of up to N pages), not a fixpoint."""
    out = {}
    for f in sorted(files):
        j = _load(f)
        if not j or j.get('violations'):
            continue
        scope = (f"gmem {os.path.basename(f)[:-5]}: exhaustive to {j['depth']} pages, "
                 f"{j['runs']:,} calls, faults {j['faults']}")
        for k, n in j.get('evidence', {}).items():
            if n:
                out.setdefault(key(k), []).append({'kind': 'bounded', 'where': scope,
                                                   'count': n})
    return out


def counter_lines(path, tool, backend=''):
    """'TOOL: evidence ... INV-NN=COUNT' lines (mc, fuzz, static, kernel),
    with mc's bound or the kernel's backend."""
    out = {}
    try:
        lines = open(path, errors='replace').read().split('\n')
    except OSError:
        return out
    bound, bad = None, any('VIOLATION' in l or 'FAILED' in l for l in lines)
    for l in lines:
        m = re.match(r'mc: preemption bound (\d+)', l)
        if m:
            bound = m.group(1)
        if re.match(rf'{tool}: evidence', l) and not bad:
            where = {'mc': f'mc to preemption bound {bound}', 'fuzz': 'fuzz campaign',
                     'static': 'static-checks: on the objects of impl/',
                     'kernel': f'KUnit {backend}: model checkers run in the kernel'}[tool]
            kind = {'static': 'static', 'kernel': 'kernel', 'mc': 'interleavings'}.get(tool, 'bounded')
            for k, n in re.findall(r'\b((?:INV|GMEM)-\d{2})=(\d+)', l):
                out.setdefault(key(k), []).append({'kind': kind, 'where': where, 'count': int(n)})
    return out


def eva_evidence(logs):
    out = {}
    for f in sorted(logs):
        name = os.path.basename(f)[:-4]
        text = open(f, errors='replace').read()
        for nn in re.findall(r"\[\s*Valid\s*\] Assertion 'INV_(\d{2})\w*' \(file proofs/eva/", text):
            e = out.setdefault(nn, {})
            e[name] = e.get(name, 0) + 1
    return {nn: [{'kind': 'fixpoint', 'where': f'eva {h}: all inputs split, {n} assertion(s) valid',
                  'count': n} for h, n in sorted(e.items())] for nn, e in out.items()}


def spin_evidence(models, build='build/'):
    out = {}
    for m in sorted(models):
        name = os.path.basename(m)[:-4]
        pan = f'{build}spin/{name}/pan.txt'
        try:
            text = open(pan, errors='replace').read()
        except OSError:
            continue
        if not re.search(r'errors: 0\b', text):
            continue
        unreached = {int(x) for x in re.findall(rf'{re.escape(name)}\.pml:(\d+),', text)}
        states = re.search(r'(\d+) states, stored', text)
        src = open(m, errors='replace').read().split('\n')
        for i, line in enumerate(src, 1):
            if 'assert(' not in line or i in unreached:
                continue
            named = re.findall(r'INV-(\d{2})', line)
            for nn in named:
                out.setdefault(nn, []).append({
                    'kind': 'model', 'count': 1,
                    'where': f'spin {name}.pml:{i} (model, {states.group(1) if states else "?"} states)'})
    return out


def junit_results(files):
    """{testname: 'ok'|'FAILED'|'skipped'} from cmocka's JUnit files."""
    res = {}
    for f in sorted(files):
        try:
            root = ET.parse(f).getroot()
        except (ET.ParseError, OSError):
            continue
        for tc in root.iter('testcase'):
            n = tc.get('name', '')
            if tc.find('failure') is not None or tc.find('error') is not None:
                res[n] = 'FAILED'
            elif tc.find('skipped') is not None:
                res.setdefault(n, 'skipped')
            else:
                res.setdefault(n, 'ok')
    return res


def ktap_results(logs):
    """{backend: {testname: 'ok'|'FAILED'|'skipped'}} from KUnit's KTAP."""
    out = {}
    for f in sorted(logs):
        b = os.path.basename(f)[6:-4]
        if b.endswith('selftest'):
            continue
        r = out.setdefault(b, {})
        for line in open(f, errors='replace'):
            m = re.match(r'\s*(not ok|ok) \d+ (\w+)(.*)', line)
            if m:
                r[m.group(2)] = ('skipped' if '# SKIP' in m.group(3) else
                                 'ok' if m.group(1) == 'ok' else 'FAILED')
    return out


def conform_evidence(path):
    """tdxmm-conform's counts on the recorded traces that conform (the
    scenario under cmocka and the kernels): shown, not credited — a
    trace is what one run did, not a search."""
    out = {}
    j = _load(path) or {}
    for t in j.get('scenario', []) + j.get('kernel', []):
        res = t.get('result', {})
        if res.get('verdict') != 'conforms':
            continue
        for k, n in res.get('evidence', {}).items():
            out.setdefault(key(k), []).append({'kind': 'traces', 'count': n,
                                              'where': f"tdxmm-conform on {t['trace']}"})
    return out


def collect(scope=(), build='build'):
    """Every record under @build (a CI merge job's directory, or build/)."""
    ev = {}
    B = build.rstrip('/') + '/'

    def add(src, d):
        for nn, items in d.items():
            ev.setdefault(nn, {}).setdefault(src, []).extend(items)

    add('bmc', bmc_evidence(glob.glob(B + 'bmc/*.json')))
    add('gmem', gmem_evidence(glob.glob(B + 'gmem/*.json')))
    add('mc', counter_lines(B + 'mc/mc.txt', 'mc'))
    add('fuzz', counter_lines(B + 'fuzz/evidence.txt', 'fuzz'))
    add('static', counter_lines(B + 'static/evidence.txt', 'static'))
    for f in sorted(glob.glob(B + 'kernel/evidence-*.txt')):
        add('kernel', counter_lines(f, 'kernel', os.path.basename(f)[9:-4]))
    add('eva', eva_evidence(glob.glob(B + 'eva/*.log')))
    add('conform', conform_evidence(B + 'conform/summary.json'))
    add('spin', spin_evidence(glob.glob('model/promela/*.pml'), B))
    wp = wp_evidence(B + 'proofs/wp.json', B + 'proofs/callgraph.dot',
                     sorted(glob.glob('impl/*.h')), set(scope))
    tests = junit_results(glob.glob(B + 'report/junit/*.xml'))
    kunit = ktap_results(glob.glob(B + 'kernel/kunit-*.log'))
    return ev, wp, tests, kunit


def classify(nn, ev, wp, tests, kunit):
    """The row's evidence by class, and its status under RULE."""
    e = ev.get(nn, {})
    w = wp.get(nn)
    items = [x for src in e.values() for x in src]
    # a property of the code checked on its objects holds in every run
    fix = [x['where'] for x in items if x['kind'] in ('fixpoint', 'static')]
    bounded = [x['where'] for x in items if x['kind'] in ('bounded', 'model')]
    inter = [x['where'] for x in items if x['kind'] == 'interleavings']
    t = {n: r for n, r in tests.items() if nn in ids(n)}
    k = {f'{b}:{n}': r for b, rs in kunit.items() for n, r in rs.items() if nn in ids(n)}
    kchecks = [f"{x['where']}: {x['count']:,}" for x in items if x['kind'] == 'kernel']
    row = {
        'kernel_checks': kchecks,
        'wp': (f"{w['proved']}/{w['goals']}" + (' in every caller' if not w['assumes'] else ', assumes contracts')) if w else '',
        'wp_assumes': w['assumes'] if w else [],
        'fixpoint': fix, 'bounded': bounded, 'interleavings': inter,
        'evaluated': [f"{x['where']}: {x['count']:,}" for x in items],
        'tests': t, 'kernel': k,
    }
    if (w and w['proved'] != w['goals']) or 'FAILED' in t.values() or 'FAILED' in k.values():
        st = 'FAILING'
    elif not w and not fix and not bounded and not inter:
        st = 'GAP: nothing that ran evaluated it'
    elif (w and not w['assumes']) or fix:
        st = 'ok'
    elif w:
        st = 'ok, assumes'
    else:
        st = 'ok, bounded'
    if st.startswith('ok') and 'ok' not in t.values() and 'ok' not in k.values():
        st = st.replace('ok', 'untested', 1)
    row['status'] = st
    return row
