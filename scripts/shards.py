#!/usr/bin/env python3
"""Split and merge for CI engines that run the main job on several machines
(.github/workflows/ci.yml), and the check that a split changes nothing.

  shards.py bmc-merge OUT.json SHARD.json...
      One bmc run's shards (bmc --shard i/n: disjoint first steps) into one
      summary: counts and evidence summed, a fixpoint only if every shard
      reached its own (their union is then the whole reachable space),
      the smallest depth, violations summed.
  shards.py compare BUILD_A BUILD_B
      The verdicts two builds' reports rest on: the WP status of every
      function and goal, the lemmas, each bmc run's verdict (violations,
      fixpoint, which invariants its checks evaluated) and every
      invariant's status under scripts/evidence.py's rule.  Counts that a
      split legitimately changes (states reached twice, times) are not
      compared.  Exit 0 equal, 1 different, 2 bad input.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def die(msg):
    sys.stderr.write(f'shards: {msg}\n')
    sys.exit(2)


def load(p):
    try:
        return json.load(open(p))
    except (OSError, ValueError) as e:
        die(f'{p}: {e}')


def bmc_merge(out, ins):
    js = [load(p) for p in ins]
    keys = {(j['root'], j['faults'], j.get('ops', '')) for j in js}
    if len(keys) != 1:
        die(f'bmc-merge: the shards are of different runs: {sorted(keys)}')
    shards = sorted(j['shard'] for j in js)
    n = int(shards[0].split('/')[1])
    if shards != sorted(f'{i}/{n}' for i in range(n)):
        die(f'bmc-merge: want shards 0..{n - 1} of {n} once each, got {shards}')
    m = dict(js[0])
    m['shard'] = f'merged {n}'
    for k in ('transitions', 'distinct', 'expanded', 'violations'):
        m[k] = sum(j.get(k, 0) for j in js)
    m['seconds'] = max(j['seconds'] for j in js)
    m['depth'] = min(j['depth'] for j in js)
    m['fixpoint'] = all(j.get('fixpoint') for j in js)
    m['first_violation'] = next((j['first_violation'] for j in js if j.get('first_violation')), '')
    ev = {}
    for j in js:
        for k, v in j.get('evidence', {}).items():
            ev[k] = ev.get(k, 0) + v
    m['evidence'] = ev
    m['per_depth'] = []
    json.dump(m, open(out, 'w'), indent=1)
    print(f"shards: {out}: {n} shards, depth {m['depth']}, {m['transitions']} transitions, "
          f"fixpoint {m['fixpoint']}, {m['violations']} violation(s)")
    return 1 if m['violations'] else 0


def verdicts(build):
    import glob
    import evidence
    build = os.path.abspath(build)
    wp = load(os.path.join(build, 'proofs/status.json'))
    rep = load(os.path.join(build, 'proofs/wp.json'))
    goals = {fn: sorted((g, st.get('wp:main', {}).get('valid', 0) == st.get('wp:main', {}).get('total', -1))
                        for g, st in gs.items())
             for fn, gs in rep.get('wp:functions', {}).items()}
    bmc = {}
    for f in sorted(glob.glob(os.path.join(build, 'bmc/*.json'))):
        j = load(f)
        bmc[os.path.basename(f)] = {'violations': j.get('violations'), 'fixpoint': j.get('fixpoint'),
                                    'evaluated': sorted(k for k, v in j.get('evidence', {}).items() if v)}
    # evidence reads impl/ and model/ from the repository's top
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    build = os.path.abspath(build)
    cwd = os.getcwd()
    os.chdir(top)
    try:
        scope = [l.split('\t')[0] for l in open('proofs/wp-scope.txt') if l.strip() and not l.startswith('#')]
        ev, w, t, k = evidence.collect(scope, build=build)
        inv = {nn: evidence.classify(nn, ev, w, t, k)['status'] for nn in sorted(set(ev) | set(w))}
    finally:
        os.chdir(cwd)
    return {'wp functions': {fn: (r['proved'], r['goals'], r['smoke']) for fn, r in wp['functions'].items()},
            'wp goals': goals, 'lemmas': wp.get('lemmas'), 'bmc': bmc, 'invariants': inv}


def compare(a, b):
    va, vb = verdicts(a), verdicts(b)
    diff = 0
    for part in va:
        if va[part] != vb[part]:
            diff += 1
            ka = va[part] if isinstance(va[part], dict) else {}
            kb = vb[part] if isinstance(vb[part], dict) else {}
            for k in sorted(set(ka) | set(kb)):
                if ka.get(k) != kb.get(k):
                    print(f'shards: {part}: {k}: {ka.get(k)} != {kb.get(k)}')
    n = {p: len(v) if isinstance(v, dict) else 1 for p, v in va.items()}
    print('shards: ' + ('equal' if not diff else f'{diff} part(s) differ') + ': ' +
          ', '.join(f'{p} ({c})' for p, c in n.items()))
    return 1 if diff else 0


def main(argv):
    if len(argv) >= 3 and argv[0] == 'bmc-merge':
        return bmc_merge(argv[1], argv[2:])
    if len(argv) == 3 and argv[0] == 'compare':
        return compare(argv[1], argv[2])
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
