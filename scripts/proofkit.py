#!/usr/bin/env python3
"""The WP proof pipeline: one job per function, each keyed by its exact inputs.

  proofkit.py run [--funcs F,G] [--shard I/N] [--jobs N] [--out DIR]
                  [--job-cache DIR] [--wp-cache DIR] [--no-cache]
      Parse and annotate impl/ once (RTE, saved state), then one Frama-C/WP
      job per function (-wp-fct), N at a time, and one for the lemmas.
      Writes DIR/wp.json and DIR/wp.log (the merged report and log, as one
      WP run would), DIR/times.json (where the time went) and DIR/jobs/.
  proofkit.py merge OUT DIR...      merge shard outputs into one report
  proofkit.py times [DIR]           print the time breakdown of a run
  proofkit.py key FUNC              print a job's key and what it covers
  proofkit.py flags                 the WP flags, one per line (wp-flags.sh)

A job's key is the SHA-256 of everything its proof can read: the flags and
tool versions, every global that is not a function (types, variables,
ACSL logic, axioms, ghost state), the function's own contract and body as
Frama-C normalised them (with the RTE assertions), and the contract and
prototype of every function it names.  Other functions' bodies are not in
it: WP uses a callee's contract, never its body.  A job whose key is in
build/wp-jobs/ is not re-run; so after an edit to one body only that
function is re-proved, and after an edit to a contract, the function and
those that name it.

Frama-C renames the copies of a header's static inline (f, f_0, f_1...)
per translation unit.  The key is computed with the copies' names folded
onto their family (f), so copies that are the same code, token for token,
have one key and are proved once; the others get that result with the
names mapped back.  Copies that differ in any token are proved apart.
"""
import concurrent.futures as cf
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = None  # set in main(): impl/*.c proofs/env/ghost.c
CPP = '-cpp-extra-args=-Iimpl -Iproofs/env -Imodel'
# Smoke tests: WP's default is 2 s.  Every dead point z3 or cvc4 found in
# impl/ took under 0.1 s (measured, 14 of ~500 smoke tests), and the run
# fails if one ever takes over half of this (check_smoke_margin), so 1 s
# keeps a wide margin while each smoke test that finds nothing, nearly
# all of them, costs half as much.
SMOKE_TIMEOUT = 1
WP_FLAGS = ['-wp', '-wp-rte', '-warn-unsigned-overflow', '-warn-unsigned-downcast',
            '-wp-prover', 'z3,cvc4', '-wp-timeout', '10', '-wp-par', '1',
            '-wp-smoke-tests', '-wp-smoke-timeout', str(SMOKE_TIMEOUT)]
CONTRACT_WORDS = {'requires', 'ensures', 'assigns', 'behavior', 'terminates',
                  'decreases', 'allocates', 'frees', 'exits', 'complete',
                  'disjoint', 'admit', 'check', 'assumes'}
PROVERS = ('z3', 'cvc4')


# ---------------------------------------------------------------- parsing

def scan_items(text):
    """Split Frama-C's printed program into top-level items.

    Returns [(comments, code)]: the comment blocks before an item and the
    item's code (a declaration ending with ';' or a function definition
    ending with its body's '}').  Comments and literals are skipped when
    counting braces."""
    items, comments, start, i, n = [], [], None, 0, len(text)
    depth = 0
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            if depth == 0 and start is None:
                comments.append(text[i:j])
            i = j
            continue
        if text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            if depth == 0 and start is None:
                comments.append(text[i:j])
            i = j
            continue
        if c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            i = j + 1
            continue
        if c.isspace():
            i += 1
            continue
        if start is None:
            start = i
        if c == '{':
            if depth == 0:
                before = text[start:i].rstrip()
                is_body = before.endswith(')')
            depth += 1
        elif c == '}':
            depth -= 1
            if depth == 0 and is_body:
                items.append((comments, text[start:i + 1]))
                comments, start = [], None
        elif c == ';' and depth == 0:
            items.append((comments, text[start:i + 1]))
            comments, start = [], None
        i += 1
    if comments:
        items.append((comments, ''))
    return items


def strip_attributes(code):
    out, i = [], 0
    while True:
        j = code.find('__attribute__', i)
        if j < 0:
            out.append(code[i:])
            return ''.join(out)
        out.append(code[i:j])
        k = code.find('(', j)
        depth = 0
        while k < len(code):
            depth += code[k] == '('
            depth -= code[k] == ')'
            k += 1
            if depth == 0:
                break
        i = k


def function_name(code):
    """The function a declaration or definition is of, or None."""
    code = strip_attributes(code)
    p = code.find('(')
    if p < 0 or code[p + 1:].lstrip().startswith('*'):
        return None         # not a call-like declarator, or a function pointer
    head = code[:p]
    if '{' in head or '=' in head or re.search(r'\btypedef\b', head):
        return None         # a struct's body, an initialiser, a typedef
    m = re.search(r'([A-Za-z_]\w*)\s*$', head)
    return m.group(1) if m else None


def is_contract(comment):
    m = re.match(r'/\*@\s*(\w+)', comment)
    return bool(m) and m.group(1) in CONTRACT_WORDS


class Program:
    """The items of a printed program, by function."""

    def __init__(self, text):
        self.globals = []           # every item that is not a function's
        self.decls = {}             # name -> [contract + prototype text]
        self.bodies = {}            # name -> contract + definition text
        for comments, code in scan_items(text):
            name = function_name(code) if code else None
            if name is None:
                self.globals.extend(comments)
                if code:
                    self.globals.append(code)
                continue
            spec = [c for c in comments if is_contract(c)]
            self.globals.extend(c for c in comments if not is_contract(c))
            if code.endswith('}'):
                proto = code[:code.index('{')].rstrip() + ';'
                self.bodies[name] = '\n'.join(spec + [code])
                self.decls.setdefault(name, []).append('\n'.join(spec + [proto]))
            else:
                self.decls.setdefault(name, []).append('\n'.join(spec + [code]))
        names = set(self.decls)
        # copies of a header's static inline: f, f_0, f_1... all defined
        self.family = {}
        for n in names:
            m = re.match(r'^(\w+?)_(\d+)$', n)
            if m and m.group(1) in names:
                self.family[n] = m.group(1)
        for n in list(self.family.values()):
            self.family.setdefault(n, n)
        self.fold_re = re.compile(r'\b(' + '|'.join(sorted(
            (n for n in self.family if self.family[n] != n), key=len, reverse=True)) + r')\b') \
            if any(self.family[n] != n for n in self.family) else None

    def fold(self, text):
        return self.fold_re.sub(lambda m: self.family[m.group(1)], text) if self.fold_re else text

    def named(self, text):
        return {t for t in re.findall(r'[A-Za-z_]\w*', text) if t in self.decls}

    def globals_text(self):
        return '\n'.join(['== globals'] + self.globals)

    def material(self, fn):
        """What a proof of @fn reads besides the globals, in a fixed order
        (callees sorted by family, so copies list theirs alike)."""
        own = self.bodies[fn]
        # the contract is printed on the first declaration, not always
        # on the definition: every declaration of fn is in its material
        parts = ['== function'] + self.decls[fn] + [own]
        for g in sorted(self.named(own) - {fn}, key=lambda g: (self.fold(g), g)):
            parts += ['== callee'] + self.decls[g]
        return '\n'.join(parts)


def source_places(base):
    """Where @base is declared and defined in impl/, with the defining
    lines' text: a job's results name source lines (smoke tests, the
    unreachable BUG/WARN), so a function that moved, or whose comments
    changed, is a new job even if its printed code is the same."""
    places = []
    pat = re.compile(r'^[A-Za-z_].*\b' + re.escape(base) + r'\s*\(')
    for path in sorted(glob.glob(os.path.join(TOP, 'impl/*.[ch]'))):
        lines = open(path).read().split('\n')
        for i, l in enumerate(lines):
            if not pat.match(l):
                continue
            j = i
            while j < len(lines) and '{' not in lines[j] and ';' not in lines[j]:
                j += 1
            body = ''
            if j < len(lines) and '{' in lines[j]:
                k = j
                while k < len(lines) and lines[k] != '}':
                    k += 1
                body = '\n'.join(lines[i:k + 1])
            places.append([os.path.relpath(path, TOP), i + 1, body])
    return json.dumps(places)


# ---------------------------------------------------------------- helpers

def die(msg):
    """Bad input: said on stderr, exit 2 (never a run of nothing)."""
    sys.stderr.write(f'proofkit: {msg}\n')
    sys.exit(2)


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def versions():
    out = []
    for cmd in (['frama-c', '-version'], ['why3', '--version'], ['z3', '--version'],
                ['cvc4', '--version']):
        try:
            out.append(sh(cmd).stdout.strip().split('\n')[0])
        except OSError:
            out.append(cmd[0] + ' missing')
    return out


def rename_map(a, b):
    """Token-wise differences between two texts that fold to the same text."""
    ta, tb = re.findall(r'\w+|\S', a), re.findall(r'\w+|\S', b)
    if len(ta) != len(tb):
        return None
    m = {}
    for x, y in zip(ta, tb):
        if x != y:
            if m.get(x, y) != y:
                return None
            m[x] = y
    return m


def rename(obj, m):
    if not m:
        return obj
    pat = re.compile(r'(?<![A-Za-z0-9])(' + '|'.join(sorted(map(re.escape, m), key=len, reverse=True))
                     + r')(?![0-9])')
    s = json.dumps(obj)
    return json.loads(pat.sub(lambda x: m[x.group(1)], s))


def timed_why3(out):
    """A why3.conf whose provers are wrappers logging each call's time."""
    base = os.path.join(TOP, 'build/why3.conf')
    pdir = os.path.join(out, 'provers')
    os.makedirs(pdir, exist_ok=True)
    conf = open(base).read()
    for p in PROVERS:
        real = shutil.which(p) or f'/usr/bin/{p}'
        w = os.path.join(pdir, p)
        with open(w, 'w') as f:
            f.write('#!/bin/bash\n# times one prover call and keeps its answer, for the\n'
                    '# breakdown and the smoke-test figures (proofkit.py)\n'
                    't0=$(date +%s%N)\n'
                    f'out=$({real} "$@")\nrc=$?\nprintf "%s\\n" "$out"\n'
                    'ans=$(printf "%s\\n" "$out" | grep -m1 -E "^(unsat|sat|unknown|timeout)" || echo none)\n'
                    f'echo "{p} $(( ($(date +%s%N) - t0) / 1000000 )) $rc $ans $*" '
                    '>> "${TDXMM_PROVER_LOG:-/dev/null}"\nexit $rc\n')
        os.chmod(w, 0o755)
        conf = re.sub(rf'path = "[^"]*/{p}"', f'path = "{w}"', conf)
    path = os.path.join(out, 'why3-timed.conf')
    open(path, 'w').write(conf)
    return path


def prover_times(path):
    t = {}
    try:
        for line in open(path):
            f = line.split()
            if len(f) < 3:
                continue
            smoke = f' -T:{SMOKE_TIMEOUT} ' in line or f' --tlimit={SMOKE_TIMEOUT}000 ' in line
            k = f'{f[0]}_{"smoke" if smoke else "goal"}'
            secs = int(f[1]) / 1000
            t[k] = t.get(k, 0.0) + secs
            t[k + '_calls'] = t.get(k + '_calls', 0) + 1
            if f[3] == 'unsat':     # proved: how many, and the slowest
                t[k + '_unsat'] = t.get(k + '_unsat', 0) + 1
                t[k + '_max_unsat'] = max(t.get(k + '_max_unsat', 0.0), secs)
    except OSError:
        pass
    return t


# ---------------------------------------------------------------- run

def prepare(out):
    """Parse + RTE once: the saved state every job loads, and its print."""
    os.makedirs(out, exist_ok=True)
    sav, printed = os.path.join(out, 'ast.sav'), os.path.join(out, 'printed.c')
    t0 = time.time()
    r = sh(['frama-c', '-c11', CPP] + SRC + ['-warn-unsigned-overflow', '-warn-unsigned-downcast',
                                             '-rte', '-cg', os.path.join(out, 'callgraph.dot'),
                                             '-save', sav, '-then', '-print', '-ocode', printed],
           cwd=TOP)
    if r.returncode != 0:
        sys.stderr.write(r.stdout + r.stderr)
        sys.stderr.write('proofkit: Frama-C could not parse impl/ (annotations)\n')
        sys.exit(1)
    return sav, printed, time.time() - t0


def run_job(name, args, sav, out, conf, cache_dir):
    jdir = os.path.join(out, 'jobs')
    os.makedirs(jdir, exist_ok=True)
    log, rep, prov = (os.path.join(jdir, name + s) for s in ('.log', '.json', '.prov'))
    for p in (rep, prov):
        if os.path.exists(p):
            os.remove(p)
    env = dict(os.environ, WHY3CONFIG=conf, TDXMM_PROVER_LOG=prov)
    t0 = time.time()
    with open(log, 'w') as lf:
        rc = subprocess.run(['frama-c', '-load', sav] + WP_FLAGS + args +
                            ['-wp-cache', 'update', '-wp-cache-dir', cache_dir,
                             '-wp-report-json', rep],
                            stdout=lf, stderr=subprocess.STDOUT, cwd=TOP, env=env).returncode
    secs = time.time() - t0
    try:
        report = json.load(open(rep))
        # WP writes null when the function has nothing to prove
        if report is None and 'No goal generated' in open(log, errors='replace').read():
            report = {'wp:functions': {}}
    except (OSError, ValueError):
        report = None
    return {'rc': rc, 'report': report, 'log': open(log, errors='replace').read(),
            'seconds': round(secs, 2), 'provers': prover_times(prov)}


def select(prog, funcs, shard, expected):
    scope = {l.split('\t')[0] for l in open(os.path.join(TOP, 'proofs/wp-scope.txt'))
             if l.strip() and not l.startswith('#')}
    fns = sorted(f for f in prog.bodies if f not in scope and prog.family.get(f, f) not in scope)
    if funcs:
        want = set(funcs)
        fns = [f for f in fns if f in want or prog.family.get(f, f) in want]
    if shard:
        i, n = shard
        # balanced by the golden goal counts, heaviest first; a copy family
        # stays in one shard (its copies share one job)
        fam = {}
        for f in fns:
            fam.setdefault(prog.family.get(f, f), []).append(f)
        cost = {b: sum(int(expected.get(f, '0/20').split('/')[1]) for f in fs)
                for b, fs in fam.items()}
        loads, pick = [0] * n, {}
        for b in sorted(fam, key=lambda b: (-cost[b], b)):
            k = loads.index(min(loads))
            loads[k] += cost[b]
            pick[b] = k
        fns = [f for f in fns if pick[prog.family.get(f, f)] == i]
    return fns


def preflight(conf, out):
    """Each prover, called through the wrappers, proves a trivial goal and
    is logged.  A prover that cannot run makes every smoke test pass (no
    prover refutes it): that must stop the run, not weaken it."""
    task = os.path.join(out, 'preflight.why')
    open(task, 'w').write('theory T\n  use int.Int\n  goal g: forall x: int. x + 1 > x\nend\n')
    log = os.path.join(out, 'preflight.prov')
    if os.path.exists(log):
        os.remove(log)
    env = dict(os.environ, TDXMM_PROVER_LOG=log)
    for p, name in (('z3', 'z3'), ('cvc4', 'cvc4')):
        r = sh(['why3', 'prove', '-C', conf, '-P', name, task], env=env)
        if 'Valid' not in r.stdout:
            sys.stderr.write(r.stdout + r.stderr)
            sys.stderr.write(f'proofkit: {p} does not prove a trivial goal through {conf}\n')
            sys.exit(1)
    calls = open(log).read().split('\n') if os.path.exists(log) else []
    if sum(1 for c in calls if c.split(' ')[0] in PROVERS) < len(PROVERS):
        sys.stderr.write(f'proofkit: the prover wrappers of {conf} did not log their calls\n')
        sys.exit(1)


def cmd_run(opts):
    out = os.path.abspath(opts.get('out', os.path.join(TOP, 'build/proofs')))
    jobs = int(opts.get('jobs', os.cpu_count() or 2))
    cache = os.path.abspath(opts.get('job_cache', os.path.join(TOP, 'build/wp-jobs')))
    wpcache = os.path.abspath(opts.get('wp_cache', os.path.join(TOP, 'build/wp-cache')))
    os.makedirs(cache, exist_ok=True)
    t_start = time.time()
    shard = tuple(map(int, opts['shard'].split('/'))) if opts.get('shard') else None
    if shard and not (0 <= shard[0] < shard[1]):
        die(f'--shard {opts["shard"]}: want I/N with 0 <= I < N')
    sav, printed, t_prep = prepare(out)
    prog = Program(open(printed).read())
    expected = json.load(open(os.path.join(TOP, 'proofs/expected-status.json')))
    funcs = opts['funcs'].split(',') if opts.get('funcs') else None
    fns = select(prog, funcs, shard, expected)
    if funcs and not fns:
        die(f'--funcs {opts["funcs"]}: no function WP proves')
    lemmas = not funcs and (not shard or shard[0] == 0)
    conf = timed_why3(out)
    preflight(conf, out)
    salt = json.dumps([WP_FLAGS, CPP, versions()]) + prog.fold(prog.globals_text())
    keys, unfolded = {}, {'@lemmas': ''}
    for f in fns:
        m = prog.material(f)
        unfolded[f] = m
        keys[f] = hashlib.sha256((salt + prog.fold(m) +
                                  source_places(prog.family.get(f, f))).encode()).hexdigest()
    if lemmas:
        keys['@lemmas'] = hashlib.sha256((salt + '== lemmas').encode()).hexdigest()
    # one job per key; the first function of a key is its representative
    rep = {}
    for f in fns + (['@lemmas'] if lemmas else []):
        rep.setdefault(keys[f], f)
    results, todo = {}, []
    for k, f in rep.items():
        p = os.path.join(cache, k + '.json')
        try:
            if opts.get('no_cache'):
                raise OSError
            results[k] = dict(json.load(open(p)), cached=True)
        except (OSError, ValueError):       # absent, or unreadable: run it
            todo.append((k, f))
    est = {f: int(expected.get(f, '0/20').split('/')[1]) for f in fns}
    todo.sort(key=lambda kf: -est.get(kf[1], 1000))
    print(f'proofkit: {len(fns)} functions{" + lemmas" if lemmas else ""}, '
          f'{len(rep)} distinct jobs ({len(fns) + lemmas - len(rep)} copies share one), '
          f'{len(todo)} to run, {len(rep) - len(todo)} unchanged since they last ran; '
          f'{jobs} at a time', flush=True)
    with cf.ThreadPoolExecutor(max_workers=jobs) as ex:
        futs = {}
        for k, f in todo:
            args = ['-wp-prop', '@lemma'] if f == '@lemmas' else ['-wp-fct', f]
            futs[ex.submit(run_job, f.strip('@'), args, sav, out, conf, wpcache)] = (k, f)
        for fu in cf.as_completed(futs):
            k, f = futs[fu]
            r = fu.result()
            r['function'] = f
            r['material'] = unfolded[f]     # to map a copy's names onto it
            results[k] = r
            ok = r['report'] is not None and r['rc'] == 0
            print(f'proofkit: {f:40} {r["seconds"]:7.1f} s' + ('' if ok else '  FAILED (see jobs/)'),
                  flush=True)
            if ok:      # written whole, then renamed: a reader never sees half
                tmp = os.path.join(cache, f'.{k}.{os.getpid()}.tmp')
                with open(tmp, 'w') as fh:
                    json.dump(r, fh)
                os.replace(tmp, os.path.join(cache, k + '.json'))
    # every function's result, copies renamed from their representative's
    merged = {'wp:functions': {}, 'wp:axiomatics': {}}
    logs, times, failed = [], {}, []
    for f in fns + (['@lemmas'] if lemmas else []):
        k = keys[f]
        r = results[k]
        if r.get('report') is None:
            failed.append(f)
            continue
        src = r['function']
        m = None
        if src != f:
            m = rename_map(r['material'], unfolded[f])
            if m is None:
                failed.append(f)
                continue
        report = rename(r['report'], m)
        if f == '@lemmas':
            merged['wp:axiomatics'].update(report.get('wp:axiomatics', {}))
        else:
            merged['wp:functions'].update({fn: g for fn, g in report.get('wp:functions', {}).items()
                                           if fn == f})
        logs.append(rename(r['log'], m) if m else r['log'])
        times[f] = {'seconds': 0.0 if (r.get('cached') or src != f) else r['seconds'],
                    'job_seconds': r['seconds'],
                    'source': 'unchanged since the last run (job cache)' if r.get('cached') else
                              ('proved' if src == f else f'same code as {src}'),
                    'provers': {} if (r.get('cached') or src != f) else r['provers']}
    tot = {'total': 0, 'valid': 0}
    for fn, gs in list(merged['wp:functions'].items()) + list(merged['wp:axiomatics'].items()):
        for g, st in gs.items():
            mm = st.get('wp:main', {})
            tot['total'] += mm.get('total', 0)
            tot['valid'] += mm.get('valid', 0)
    merged['wp:global'] = {'wp:main': tot}
    json.dump(merged, open(os.path.join(out, 'wp.json'), 'w'))
    open(os.path.join(out, 'wp.log'), 'w').write('\n'.join(logs))
    summary = {'wall_seconds': round(time.time() - t_start, 1), 'prepare_seconds': round(t_prep, 1),
               'jobs_parallel': jobs, 'functions': times, 'shard': opts.get('shard', ''),
               'distinct_jobs': len(rep), 'jobs_run': len(todo)}
    json.dump(summary, open(os.path.join(out, 'times.json'), 'w'), indent=1)
    print_times(summary)
    if not check_smoke_margin(breakdown(summary)):
        return 1
    if failed:
        print('proofkit: no result for ' + ', '.join(failed))
        return 1
    return 0


# ---------------------------------------------------------------- merge / times

def cmd_merge(out, dirs):
    merged = {'wp:functions': {}, 'wp:axiomatics': {}}
    logs, funcs, wall, prep = [], {}, 0.0, 0.0
    for d in dirs:
        try:
            w = json.load(open(os.path.join(d, 'wp.json')))
            t = json.load(open(os.path.join(d, 'times.json')))
            logs.append(open(os.path.join(d, 'wp.log')).read())
        except (OSError, ValueError) as e:
            die(f'merge: {d}: not a proof run ({e})')
        dup = set(w['wp:functions']) & set(merged['wp:functions'])
        if dup:
            die(f'merge: {d}: functions proved twice: {", ".join(sorted(dup))}')
        merged['wp:functions'].update(w['wp:functions'])
        merged['wp:axiomatics'].update(w.get('wp:axiomatics', {}))
        funcs.update(t['functions'])
        wall = max(wall, t['wall_seconds'])
        prep = max(prep, t['prepare_seconds'])
    tot = {'total': 0, 'valid': 0}
    for gs in list(merged['wp:functions'].values()) + list(merged['wp:axiomatics'].values()):
        for st in gs.values():
            tot['total'] += st.get('wp:main', {}).get('total', 0)
            tot['valid'] += st.get('wp:main', {}).get('valid', 0)
    merged['wp:global'] = {'wp:main': tot}
    os.makedirs(out, exist_ok=True)
    json.dump(merged, open(os.path.join(out, 'wp.json'), 'w'))
    open(os.path.join(out, 'wp.log'), 'w').write('\n'.join(logs))
    cg = os.path.join(dirs[0], 'callgraph.dot')
    if os.path.exists(cg):
        shutil.copy(cg, os.path.join(out, 'callgraph.dot'))
    summary = {'wall_seconds': wall, 'prepare_seconds': prep, 'functions': funcs,
               'shard': f'merged from {len(dirs)}'}
    json.dump(summary, open(os.path.join(out, 'times.json'), 'w'), indent=1)
    print(f'proofkit: merged {len(dirs)} run(s): {len(merged["wp:functions"])} functions, '
          f'{tot["valid"]}/{tot["total"]} goals')
    return 0


def breakdown(summary):
    """Sums over the jobs that ran: prover time by kind, and the rest."""
    b = {'jobs': 0, 'job_seconds': 0.0}
    for f, t in summary['functions'].items():
        if t['seconds'] == 0.0:
            continue
        b['jobs'] += 1
        b['job_seconds'] += t['seconds']
        for k, v in t['provers'].items():
            b[k] = max(b.get(k, 0), v) if k.endswith('_max_unsat') else b.get(k, 0) + v
    provers = sum(v for k, v in b.items() if k.endswith(('_smoke', '_goal')))
    b['frama_c_seconds'] = b['job_seconds'] - provers
    return b


def check_smoke_margin(b):
    """A dead point found near the smoke time-out means others may lie just
    beyond it: then the time-out is too short, and the run says so."""
    ok = True
    for p in PROVERS:
        t = b.get(f'{p}_smoke_max_unsat', 0.0)
        if t > SMOKE_TIMEOUT / 2:
            print(f'proofkit: {p} needed {t:.2f} s to find a dead point, over half the '
                  f'{SMOKE_TIMEOUT} s smoke time-out: raise SMOKE_TIMEOUT in scripts/proofkit.py')
            ok = False
    return ok


def print_times(summary):
    b = breakdown(summary)
    print(f'proofkit: wall {summary["wall_seconds"]} s (parse + RTE + save once: '
          f'{summary["prepare_seconds"]} s); {b["jobs"]} jobs ran, {b["job_seconds"]:.0f} s of job time:')
    for k in ('z3_smoke', 'cvc4_smoke', 'z3_goal', 'cvc4_goal'):
        if k in b:
            print(f'proofkit:   {k.replace("_", " "):12} {b[k]:8.1f} s in {b[k + "_calls"]} prover calls'
                  + (f', {b[k + "_unsat"]} {"found a dead point" if "smoke" in k else "proved"}, '
                     f'the slowest in {b[k + "_max_unsat"]:.2f} s'
                     if b.get(k + '_unsat') else ''))
    print(f'proofkit:   frama-c      {b["frama_c_seconds"]:8.1f} s (state load, VC generation, Qed, Why3)')
    src = {}
    for t in summary['functions'].values():
        s = t['source'].split(' as ')[0]
        src[s] = src.get(s, 0) + 1
    print('proofkit: results: ' + ', '.join(f'{n} {s}' for s, n in sorted(src.items())))


def cmd_times(d):
    try:
        s = json.load(open(os.path.join(d, 'times.json')))
    except (OSError, ValueError) as e:
        die(f'{d}/times.json: {e}')
    print_times(s)
    top = sorted(s['functions'].items(), key=lambda kv: -kv[1]['seconds'])[:15]
    for f, t in top:
        p = t['provers']
        print(f'proofkit:   {f:40} {t["seconds"]:7.1f} s  (z3 smoke {p.get("z3_smoke", 0):.1f}, '
              f'cvc4 smoke {p.get("cvc4_smoke", 0):.1f}, goals {p.get("z3_goal", 0) + p.get("cvc4_goal", 0):.1f})')
    return 0


def cmd_key(fn):
    out = os.path.join(TOP, 'build/proofs')
    _, printed, _ = prepare(out)
    prog = Program(open(printed).read())
    if fn not in prog.bodies:
        die(f'key: {fn}: no such function with a body')
    m = prog.material(fn)
    print(hashlib.sha256((prog.fold(m) + source_places(prog.family.get(fn, fn))).encode()).hexdigest())
    print('covers: globals (%d items), %s, callees: %s' % (
        len(prog.globals), fn, ', '.join(sorted(prog.named(prog.bodies[fn]) - {fn})) or 'none'))
    return 0


USAGE = __doc__.split('\n\n')[0]


def main(argv):
    global SRC
    SRC = sorted(os.path.relpath(p, TOP) for p in glob.glob(os.path.join(TOP, 'impl/*.c'))) + \
        ['proofs/env/ghost.c']
    if not argv:
        sys.stderr.write(USAGE + '\n')
        return 2
    cmd, rest = argv[0], argv[1:]
    if cmd == 'run':
        opts, i = {}, 0
        while i < len(rest):
            a = rest[i]
            if a in ('--funcs', '--shard', '--jobs', '--out', '--job-cache', '--wp-cache') \
                    and i + 1 < len(rest):
                opts[a[2:].replace('-', '_')] = rest[i + 1]
                i += 2
            elif a == '--no-cache':
                opts['no_cache'] = True
                i += 1
            else:
                sys.stderr.write(f'proofkit: run: unknown argument {a!r}\n{USAGE}\n')
                return 2
        if 'jobs' in opts and not opts['jobs'].isdigit():
            sys.stderr.write(f'proofkit: --jobs {opts["jobs"]}: not a number\n')
            return 2
        if 'shard' in opts and not re.fullmatch(r'\d+/\d+', opts['shard']):
            sys.stderr.write(f'proofkit: --shard {opts["shard"]}: want I/N\n')
            return 2
        return cmd_run(opts)
    if cmd == 'flags' and not rest:
        print('\n'.join(WP_FLAGS))
        return 0
    if cmd == 'merge' and len(rest) >= 2:
        return cmd_merge(rest[0], rest[1:])
    if cmd == 'times':
        return cmd_times(rest[0] if rest else os.path.join(TOP, 'build/proofs'))
    if cmd == 'key' and len(rest) == 1:
        return cmd_key(rest[0])
    sys.stderr.write(f'proofkit: bad command line: {" ".join(argv)}\n{USAGE}\n')
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
