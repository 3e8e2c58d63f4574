#!/usr/bin/env python3
"""The README's figures table, generated from the last `make verify`.

Reads what the run left under build/ (build/report/status.json, the bmc
summaries, mc's figures, the checker self-test log, the benchmarks) and
writes build/report/figures.md.  With --apply, also replaces the block
between the README's figures markers with it, so the README states only
what a run measured.  Exit 2 if the run's outputs are missing.

usage: readme-figures.py [--apply] [--build DIR]
"""
import glob
import json
import os
import re
import subprocess
import sys

args = sys.argv[1:]
build = args[args.index('--build') + 1] if '--build' in args else 'build'
BEGIN, END = '<!-- figures:begin (scripts/readme-figures.py) -->', '<!-- figures:end -->'


def read(path):
    try:
        return open(os.path.join(build, path), errors='replace').read()
    except OSError:
        return ''


try:
    status = json.load(open(os.path.join(build, 'report/status.json')))
except (OSError, ValueError):
    sys.exit('readme-figures: no build/report/status.json: run make verify first')

rows = []
steps = status.get('steps', [])
total = sum(s['seconds'] for s in steps)
rows.append(('`make verify` steps', f'{len(steps)} steps, {total // 60} min {total % 60} s: ' +
             ', '.join(f"{s['step']} {s['seconds']} s" + ('' if s['result'] == 'ok' else f" ({s['result']})")
                       for s in steps)))
wp = status.get('wp', {})
lem = wp.get('lemmas', {})
rows.append(('WP', f"{wp.get('proved', 0)}/{wp.get('total_goals', 0)} proof goals in "
             f"{len(wp.get('functions', {}))} functions" +
             (f", lemmas {sum(1 for v in lem.values() if v)}/{len(lem)}" if lem else '')))
tm = wp.get('time', {})
b = tm.get('breakdown', {})
if b:
    parts = [f"{k.replace('_', ' ')} {b[k]:.0f} s ({int(b[k + '_calls'])} calls)"
             for k in ('z3_smoke', 'cvc4_smoke', 'z3_goal', 'cvc4_goal') if k in b]
    rows.append(('WP time', f"{tm.get('wall_seconds')} s wall; {int(b.get('jobs', 0))} jobs ran, "
                 f"{b.get('job_seconds', 0):.0f} s summed: " + ', '.join(parts) +
                 f", Frama-C itself {b.get('frama_c_seconds', 0):.0f} s; results: " +
                 ', '.join(f'{n} {k}' for k, n in sorted(tm.get('results', {}).items()))))
inv = status.get('invariants', [])
if inv:
    by = {}
    for i in inv:
        by[i['status']] = by.get(i['status'], 0) + 1
    rows.append(('invariants (report status rule)', '; '.join(f'{n} "{k}"' for k, n in sorted(by.items()))))
t = status.get('tests', {})
rows.append(('tests (cmocka JUnit)', f"{t.get('passed', 0)}/{t.get('run', 0)} passed: " +
             ', '.join(f"{k} {v['run'] - v['failed']}/{v['run']}" for k, v in t.get('suites', {}).items())))
for k, v in t.get('kunit', {}).items():
    rows.append((f'KUnit {k} (KTAP)', f"{v['passed']} passed, {v['failed']} failed, {v['skipped']} skipped of {v['run']}"))
for f in sorted(glob.glob(os.path.join(build, 'bmc/*.json'))):
    try:
        j = json.load(open(f))
    except (OSError, ValueError):
        continue
    rows.append((f"bmc {os.path.basename(f)[:-5]}",
                 f"root {j['root']}, faults {j['faults']}, depth {j['depth']}, "
                 f"{j['transitions']:,} transitions, {j['distinct']:,} states, {j['seconds']} s" +
                 (', VIOLATION' if j.get('violations') else '')))
bound, every = '?', []
for l in read('mc/mc.txt').splitlines():
    m = re.match(r'mc: preemption bound (\d+)', l)
    if m:
        bound, every = m.group(1), []
    # a scenario whose bound exceeds its points: mc ran every schedule
    m = re.match(r'mc: (\S+) +\d+ schedules,.*\(every schedule', l)
    if m:
        every.append(m.group(1))
    m = re.match(r'mc: (\d+) scenario\(s\), (\d+) schedules in ([\d.]+) s, (.*)', l)
    if m:
        label = (f'mc, every schedule: {", ".join(every)}' if every and len(every) == int(m.group(1))
                 else f'mc, preemption bound {bound}')
        rows.append((label, f'{m.group(1)} scenario(s), {int(m.group(2)):,} schedules in {m.group(3)} s, {m.group(4)}'))
sel = read('verify/selftest-checkers.log')
m = re.search(r'selftest: (\d+)/(\d+) planted bugs caught', sel)
if m:
    by = {}
    for c in re.findall(r'^selftest: ([\w-]+) +\S+ +caught', sel, re.M):
        by[c] = by.get(c, 0) + 1
    rows.append(('planted bugs (make selftest-checkers)', f'{m.group(1)}/{m.group(2)} caught: ' +
                 ', '.join(f'{k} {v}' for k, v in by.items())))
gm = None
try:
    gm = json.load(open(os.path.join(build, 'gmem/gmem.json')))
except (OSError, ValueError):
    pass
if gm:
    rows.append(('guest_memfd search (make gmem)', f"{gm['runs']:,} calls on every file of up to "
                 f"{gm['depth']} pages in {gm['seconds']} s, {gm['violations']} violation(s)"))
for f in ('bench/wall.txt', 'bench/pamt.txt', 'bench/gmem.txt'):
    for l in read(f).splitlines():
        if 'ratio min' in l or 'instructions/op' in l or 'gmem conversion' in l:
            rows.append(('bench', l.split(': ', 1)[-1].strip()))
try:
    head = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True,
                          text=True, cwd=os.path.dirname(os.path.abspath(build)) or '.').stdout.strip()
except OSError:
    head = '?'
mtime = os.path.getmtime(os.path.join(build, 'report/status.json'))
import time
when = time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(mtime))
md = [BEGIN, '', f'Measured by the last `make verify` (commit {head}, {when}; '
      f'verdict: {"all steps passed" if status.get("ok") else "FAILED"}), written by '
      '`scripts/readme-figures.py`:', '', '| what | figure |', '|---|---|']
md += [f'| {a} | {b} |' for a, b in rows]
md += ['', END]
text = '\n'.join(md) + '\n'
os.makedirs(os.path.join(build, 'report'), exist_ok=True)
open(os.path.join(build, 'report/figures.md'), 'w').write(text)
if '--apply' in args:
    readme = open('README.md').read()
    if BEGIN not in readme or END not in readme:
        sys.exit('readme-figures: README.md has no figures markers')
    a, b = readme.index(BEGIN), readme.index(END) + len(END) + 1
    open('README.md', 'w').write(readme[:a] + text + readme[b:])
    print('readme-figures: README.md updated')
else:
    print(text, end='')
