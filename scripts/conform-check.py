#!/usr/bin/env python3
"""Trace conformance in make verify (issue 19): tdxmm-conform on

  1. the base trace (tests/conform/base.trace, every entry point once) and
     --random N seeded random operation sequences with SEAMCALL faults, each
     recorded by `bmc --replay --jsonl` from the user backend: all conform;
  2. planted trace mutants of the base trace: each must be rejected, with
     the invariant and the event (line) the mutant breaks;
  3. the traced scenario's trace as cmocka recorded it (build/tests/,
     required) and as the kernel did (build/kernel/trace-*.jsonl, KUnit
     under UML and SMP, when those steps ran): they conform.

Prints a table, the trace sizes and events/s, and writes
build/conform/summary.json.  Exit 0 if all of the above hold, 1 if not,
2 on bad usage or a tool that did not run.
"""
import argparse
import copy
import glob
import json
import os
import random
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BMC = os.path.join(ROOT, 'build/bmc/bmc')
CONFORM = os.path.join(ROOT, 'build/conform/tdxmm-conform')
OUT = os.path.join(ROOT, 'build/conform')

OPS = ('map4k:0 map4k:1 map4k:511 map4k:512 map4k:262144 map4k:last '
       'map4k-other-pfn:0 map2m:0 map2m:512 zap:0 zap:1 zap:511 zap:512 '
       'zap:262144 zap:last zap-all split:0 split:512 pamt-get:0 pamt-get:1 '
       'pamt-put:0 pamt-put:1 ctrl-alloc ctrl-free teardown').split()
FAULT_SC = ('SEPT_ADD PAGE_AUG RANGE_BLOCK TRACK PAGE_REMOVE SEPT_REMOVE '
            'PAGE_RECLAIM PAGE_WBINVD PAGE_DEMOTE PAMT_ADD PAMT_REMOVE '
            'VPFLUSHDONE CACHE_WB KEY_FREEID').split()


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)


def record(steps_file, jsonl):
    """bmc --replay STEPS --jsonl TRACE; None if bmc refused the file."""
    r = run([BMC, '--replay', steps_file, '--jsonl', jsonl])
    return None if r.returncode == 2 else r.returncode


def conform(paths, json_out):
    r = run([CONFORM, '--quiet', '--json', json_out] + paths)
    try:
        with open(json_out) as f:
            res = json.load(f)
    except (OSError, ValueError):
        res = {}
    return r.returncode, res, (r.stdout + r.stderr).strip()


# ---- the trace as a list of events (the header kept apart) ----

def load(path):
    with open(path) as f:
        lines = f.read().splitlines()
    return lines[0], [json.loads(x) for x in lines[1:]]


def save(path, header, evs):
    # a logical clock: the list order is the order
    with open(path, 'w') as f:
        f.write(header + '\n')
        for i, e in enumerate(evs):
            e['ts'] = i + 1
            f.write(json.dumps(e) + '\n')


def ops(evs):
    """(op event index, ret event index) pairs."""
    out, start = [], None
    for i, e in enumerate(evs):
        if e['ev'] == 'op':
            start = i
        elif e['ev'] == 'ret':
            out.append((start, i))
    return out


def op_span(evs, name, nth=0, **args):
    hits = [(a, b) for a, b in ops(evs) if evs[a]['op'] == name and
            all(evs[a].get(k) == v for k, v in args.items())]
    return hits[nth]


def find(evs, lo, hi, pred):
    for i in range(lo, hi):
        if pred(evs[i]):
            return i
    raise LookupError('mutant site not found')


def sc(leaf):
    return lambda e: e['ev'] == 'seamcall' and e['leaf'] == leaf


# ---- the mutants: each returns (events, the event expected to fail) ----

def m_swap_block_remove(evs):
    a, b = op_span(evs, 'zap', start='0x1')
    i = find(evs, a, b, sc('TDH.MEM.RANGE.BLOCK'))
    j = find(evs, i, b, sc('TDH.MEM.PAGE.REMOVE'))
    evs[i], evs[j] = evs[j], evs[i]
    return evs, evs[i]


def m_missing_track(evs):
    a, b = op_span(evs, 'zap', start='0x1')
    i = find(evs, a, b, sc('TDH.MEM.TRACK'))
    j = find(evs, i, b, sc('TDH.MEM.PAGE.REMOVE'))
    target = evs[j]
    del evs[i]
    return evs, target


def m_pamt_remove_with_4k_user(evs):
    a, b = op_span(evs, 'map', gfn='0x1')
    pfn = evs[a]['pfn']
    ins = {'ev': 'seamcall', 'cpu': 0, 'ts': 0, 'seq': 0,
           'leaf': 'TDH.PHYMEM.PAMT.REMOVE', 'td': '0x0', 'gpa': '0x0',
           'level': 0, 'pfn': pfn, 'arg': ['0x0', '0x0'], 'status': '0x0',
           'out': ['0x0', '0x0', '0x0']}
    evs.insert(b + 1, ins)
    return evs, ins


def m_refcount_drift(evs):
    a, b = op_span(evs, 'map', gfn='0x1')
    i = find(evs, a, b, lambda e: e['ev'] == 'pamt_ref' and e['delta'] == 1)
    evs.insert(i + 1, copy.deepcopy(evs[i]))
    return evs, evs[b + 1]


def m_refcount_lost(evs):
    a, b = op_span(evs, 'map', gfn='0x1')
    i = find(evs, a, b, lambda e: e['ev'] == 'pamt_ref' and e['delta'] == 1)
    del evs[i]
    return evs, evs[b - 1]


def m_seamcall_on_released_hkid(evs):
    a, b = op_span(evs, 'teardown')
    first = find(evs, a, b, sc('TDH.MEM.RANGE.BLOCK'))
    rel = [find(evs, a, b, sc(x)) for x in
           ('TDH.MNG.VPFLUSHDONE', 'TDH.PHYMEM.CACHE.WB', 'TDH.MNG.KEY.FREEID')]
    moved = [evs[k] for k in rel]
    target = evs[first]
    for k in sorted(rel, reverse=True):
        del evs[k]
    pos = evs.index(target)
    evs[pos:pos] = moved
    return evs, target


def m_overzap(evs):
    a, b = op_span(evs, 'zap', start='0x1')
    evs[a]['start'], evs[a]['end'] = '0x2', '0x3'
    i = find(evs, a, b, lambda e: e['ev'] == 'spte' and e['gfn'] == '0x1')
    return evs, evs[i]


def m_frozen_at_rest(evs):
    a, b = op_span(evs, 'zap', start='0x1')
    i = find(evs, a, b, lambda e: e['ev'] == 'spte' and e['gfn'] == '0x1')
    evs[i]['new_spte'] = '0x80000000000005a0'
    return evs, evs[i]


def m_mirror_pfn_differs(evs):
    a, b = op_span(evs, 'map', gfn='0x1')
    i = find(evs, a, b, lambda e: e['ev'] == 'spte' and e['level'] == 1)
    evs[i]['new_spte'] = hex(int(evs[i]['new_spte'], 16) ^ 0x1000)
    return evs, evs[b]


def m_mirror_install_lost(evs):
    a, b = op_span(evs, 'map', gfn='0x1')
    i = find(evs, a, b, lambda e: e['ev'] == 'spte' and e['level'] == 1)
    del evs[i]
    return evs, evs[b - 1]


def m_lost_spte_event(evs):
    a, b = op_span(evs, 'zap', start='0x1')
    i = find(evs, a, b, lambda e: e['ev'] == 'spte' and e['gfn'] == '0x1')
    del evs[i]
    # map4k:1's leaf is gone from the S-EPT, not from the mirror: caught at
    # the zap's return
    return evs, evs[b - 1]


def m_get_error_on_lost_race(evs):
    # the get took no reference and said -EBUSY: consistent counts, a
    # result INV-36 forbids
    a, b = op_span(evs, 'pamt_get')
    i = find(evs, a, b, lambda e: e['ev'] == 'pamt_ref')
    del evs[i]
    evs[b - 1]['ret'] = -16
    return evs, evs[b - 1]


def m_bugged_flag_clears(evs):
    a, b = op_span(evs, 'map', gfn='0x1')
    evs[b]['bugged'] = True
    return evs, evs[b + 1 + next(k for k, e in enumerate(evs[b + 1:]) if e['ev'] == 'ret')]


def m_retarget(evs):
    # a second install over map4k:1's present leaf, to another pfn
    a, b = op_span(evs, 'map', gfn='0x1')
    i = find(evs, a, b, lambda e: e['ev'] == 'spte' and e['level'] == 1)
    leaf = evs[i]['new_spte']
    ins = dict(evs[i], old_spte=leaf, new_spte=hex(int(leaf, 16) ^ 0x1000))
    evs.insert(i + 1, ins)
    return evs, ins


def m_promotion(evs):
    # the level-2 table over gfn 0 replaced by a 2M leaf (a promotion)
    a, b = op_span(evs, 'map', gfn='0x1')
    i = find(evs, 0, a, lambda e: e['ev'] == 'spte' and e['level'] == 2 and e['gfn'] == '0x0')
    table = evs[i]['new_spte']
    ins = {'ev': 'spte', 'cpu': 0, 'ts': 0, 'as_id': 0, 'gfn': '0x0', 'level': 2,
           'old_spte': table, 'new_spte': hex(int(table, 16) | 0x80)}
    evs.insert(b + 1, ins)
    return evs, ins


def m_failed_map_keeps_leaf(evs):
    # map4k:1 reports failure but its leaf stays (failure atomicity)
    a, b = op_span(evs, 'map', gfn='0x1')
    evs[b]['ret'] = -5
    return evs, evs[b]


def m_parent_reclaimed_first(evs):
    # teardown reclaims an S-EPT page before the page of its child table
    a, b = op_span(evs, 'teardown')
    rec = [k for k in range(a, b) if sc('TDH.PHYMEM.PAGE.RECLAIM')(evs[k])]
    # the S-EPT pages go child before parent: move the last one (the
    # highest table's) in front of the first
    last = evs.pop(rec[-1])
    evs.insert(rec[0], last)
    return evs, last


MUTANTS = [
    ('swapped BLOCK/REMOVE', m_swap_block_remove, 'INV-16'),
    ('missing TRACK', m_missing_track, 'INV-16'),
    ('PAMT.REMOVE while a 4K user remains', m_pamt_remove_with_4k_user, 'INV-34'),
    ('a refcount that drifts up', m_refcount_drift, 'INV-30'),
    ('a refcount that drifts down', m_refcount_lost, 'INV-34'),
    ('SEAMCALL on a released HKID', m_seamcall_on_released_hkid, 'INV-15'),
    ('a zap outside its range', m_overzap, 'SPEC-0.4.5'),
    ('a frozen SPTE left in a linked table', m_frozen_at_rest, 'INV-03'),
    ('mirror leaf and S-EPT disagree on the pfn', m_mirror_pfn_differs, 'INV-10'),
    ('an install missing from the mirror', m_mirror_install_lost, 'INV-11'),
    ('a removal missing from the mirror', m_lost_spte_event, 'INV-10'),
    ('a DPAMT get fails with -EBUSY', m_get_error_on_lost_race, 'INV-36'),
    ('the bugged flag clears', m_bugged_flag_clears, 'SPEC-KVM_BUG_ON'),
    ('a present leaf retargeted', m_retarget, 'INV-06'),
    ('a mirror table promoted to a huge leaf', m_promotion, 'INV-07'),
    ('a failed map keeps the leaf it installed', m_failed_map_keeps_leaf, 'INV-12'),
    ('a parent S-EPT page reclaimed first', m_parent_reclaimed_first, 'INV-14'),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--random', type=int, default=200, metavar='N',
                    help='random operation sequences to record and check (200)')
    ap.add_argument('--seed', type=int, default=19)
    ap.add_argument('--fuzz-seconds', type=int, default=20, metavar='S',
                    help='libFuzzer on the reader and checker (20; 0: off)')
    args = ap.parse_args()
    if args.random < 0 or args.fuzz_seconds < 0:
        print('conform-check: --random and --fuzz-seconds want N >= 0', file=sys.stderr)
        return 2
    for tool in (BMC, CONFORM):
        if not os.access(tool, os.X_OK):
            print(f'conform-check: {tool} not built (make all)', file=sys.stderr)
            return 2
    os.makedirs(os.path.join(OUT, 'mut'), exist_ok=True)
    os.makedirs(os.path.join(OUT, 'random'), exist_ok=True)
    summary = {'random': {}, 'mutants': [], 'kernel': [], 'scenario': []}
    ok = True

    base = os.path.join(OUT, 'base.jsonl')
    if record(os.path.join(ROOT, 'tests/conform/base.trace'), base) != 0:
        print('conform-check: the base sequence did not replay cleanly', file=sys.stderr)
        return 2
    rc, res, text = conform([base], os.path.join(OUT, 'base.json'))
    print(f'conform: base trace: {res.get("events", "?")} events: {res.get("verdict", text)}')
    ok &= rc == 0
    summary['base'] = res

    rng = random.Random(args.seed)
    n = bad = events = 0
    secs = 0.0
    for i in range(args.random):
        steps = []
        for _ in range(rng.randint(3, 12)):
            s = rng.choice(OPS)
            if rng.random() < 0.25:
                s += ' fault=%s#%d:%d' % (rng.choice(FAULT_SC), rng.randint(1, 2),
                                          rng.randint(0, 1))
            steps.append('step ' + s)
        sf = os.path.join(OUT, 'random', f'{i}.trace')
        with open(sf, 'w') as f:
            f.write('root %d\n' % rng.choice([3, 4, 5]) + '\n'.join(steps) + '\n')
        jf = sf[:-6] + '.jsonl'
        if record(sf, jf) is None:
            continue
        n += 1
        rc, res, text = conform([jf], jf + '.json')
        events += res.get('events', 0)
        secs += res.get('seconds', 0)
        if rc != 0:
            bad += 1
            if bad <= 5:
                print(f'conform: NOT CONFORMING: {sf}: {text[:300]}')
    print(f'conform: {n} random sequences (seed {args.seed}, faults in 25% of the steps): '
          f'{n - bad} conform, {bad} do not; {events} events, {events / (secs or 1e-9):,.0f} events/s')
    ok &= bad == 0 and n > 0 or args.random == 0
    summary['random'] = {'sequences': n, 'nonconforming': bad, 'events': events,
                         'seconds': secs}

    header, evs0 = load(base)
    print(f'conform: {"mutant":44} {"want":16} {"got":16} {"line":>11}  result')
    caught = 0
    for name, fn, want in MUTANTS:
        evs, target = fn(copy.deepcopy(evs0))
        line = next(k for k, e in enumerate(evs) if e is target) + 2
        path = os.path.join(OUT, 'mut', name.replace(' ', '-').replace('/', '-') + '.jsonl')
        save(path, header, evs)
        rc, res, text = conform([path], path + '.json')
        fv = res.get('first_violation', {})
        got, gline = fv.get('invariant', '-'), fv.get('line', 0)
        good = rc == 1 and got == want and gline == line
        caught += good
        ok &= good
        print(f'conform: {name:44} {want:16} {got:16} {gline:>5}/{line:<5}  '
              f'{"caught" if good else "MISSED"}')
        summary['mutants'].append({'name': name, 'want': want, 'got': got,
                                   'line': gline, 'want_line': line, 'caught': good})
    print(f'conform: {caught}/{len(MUTANTS)} planted trace mutants rejected with the '
          f'invariant and the event they break')

    # the traced scenario (tests/sept_scenarios.c: trace_records_a_td_life):
    # cmocka's run of it, and the kernel's under UML and SMP when they ran
    scn = sorted(glob.glob(os.path.join(ROOT, 'build/tests/trace-*.jsonl')))
    if not scn:
        print('conform: no scenario trace in build/tests: run the cmocka suites first '
              '(make check, or the cmocka step of make verify)')
        ok = False
    for kt in scn + sorted(glob.glob(os.path.join(ROOT, 'build/kernel/trace-*.jsonl'))):
        rc, res, text = conform([kt], kt + '.json')
        threads = len({json.loads(l)['cpu'] for l in open(kt).read().splitlines()[1:]})
        print(f'conform: scenario trace {os.path.relpath(kt, ROOT)}: {res.get("events", "?")} events, '
              f'{threads} threads, {os.path.getsize(kt) // 1024} KiB: {res.get("verdict", text[:200])}, '
              f'{res.get("events", 0) / (res.get("seconds", 0) or 1e-9):,.0f} events/s')
        # an SMP kernel's trace clock may order two CPUs' events against the
        # module's own call numbers: tdxmm-conform then says "undecided"
        # (shown, and in the summary), which only that trace may be
        smp_undecided = rc == 3 and '/kernel/' in kt and '-smp-' in kt
        if smp_undecided:
            print('conform:   undecided: ' + ' '.join(l for l in text.splitlines()
                                                      if 'not the module' in l)[:300])
        ok &= rc == 0 or smp_undecided
        summary['kernel' if '/kernel/' in kt else 'scenario'] = summary.get(
            'kernel' if '/kernel/' in kt else 'scenario', []) + [
            {'trace': os.path.relpath(kt, ROOT), 'threads': threads, 'result': res}]
    # the reader and the checker under libFuzzer (ASan + UBSan), seeded
    # with small real traces: no input may crash them
    if args.fuzz_seconds:
        r = run(['make', '--no-print-directory', '-s', 'build/conform/fuzz_conform'])
        if r.returncode:
            print('conform: the trace fuzzer does not build:\n' + r.stderr[-2000:])
            ok = False
        else:
            corpus = os.path.join(OUT, 'fuzz-corpus')
            os.makedirs(corpus, exist_ok=True)
            for seed in glob.glob(os.path.join(ROOT, 'tests/conform/corpus/*')):
                with open(seed, 'rb') as a, open(os.path.join(corpus, os.path.basename(seed)), 'wb') as b:
                    b.write(a.read())
            r = subprocess.run([os.path.join(OUT, 'fuzz_conform'), '-max_len=8192',
                                f'-max_total_time={args.fuzz_seconds}',
                                f'-artifact_prefix={OUT}/fuzz-crash-', corpus],
                               capture_output=True, text=True, errors='replace', cwd=ROOT)
            m = re.search(r'Done (\d+) runs in (\d+) second', r.stderr)
            runs = int(m.group(1)) if m else 0
            good = r.returncode == 0 and runs > 0
            print(f'conform: trace reader and checker fuzzed {args.fuzz_seconds} s: {runs:,} inputs, '
                  f'{runs / max(args.fuzz_seconds, 1):,.0f}/s: '
                  f'{"no crash" if good else "FAILED (see " + OUT + "/fuzz-crash-*)"}')
            if not good:
                print('\n'.join(l for l in r.stderr.splitlines() if 'ERROR' in l or 'SUMMARY' in l)[:2000])
            ok &= good
            summary['fuzz'] = {'seconds': args.fuzz_seconds, 'runs': runs, 'ok': good}
    with open(os.path.join(OUT, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=1)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
