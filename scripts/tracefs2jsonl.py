#!/usr/bin/env python3
"""Read the kernel's trace buffer, as ftrace_dump() printed it to the
console (the KUnit log), back into the trace format (docs/TRACE-FORMAT.md).

  scripts/tracefs2jsonl.py KUNIT.LOG --name td-life --producer P -o OUT.jsonl

The dump of the trace NAME lies between the KUnit case's "tdxmm: trace
NAME" and "tdxmm: trace dumped" lines.  Each event line is tracefs text
in the latency format ftrace_dump() uses ("comm-pid cpu flags Nus: event:
fields"); its fields are tdxmm_trace.h's TP_printk formats.  The thread
(pid) becomes the trace's "cpu" (an entry point returns on the thread that
called it, wherever it migrated), and the dump's order (the kernel's own
merge of its per-CPU buffers by the trace clock) becomes a logical clock.
Exit 2, with LOG:LINE:, on a missing dump, lost events, or a line that
names a tdxmm event but does not parse.
"""
import argparse
import json
import re
import sys

LINE = re.compile(r'(?P<comm>\S[^\n]{0,7}?)-(?P<pid>\d+)\s+(?P<cpu>\d+)\s*(?P<flags>\S*)\s+'
                  r'(?P<us>\d+)us.?:\s+(?P<ev>\w+):\s(?P<payload>.*)$')
EVENTS = {
    'kvm_tdp_mmu_spte_changed': re.compile(
        r'as id (?P<as_id>\d+) gfn (?P<gfn>[0-9a-f]+) level (?P<level>\d+) '
        r'old_spte (?P<old>[0-9a-f]+) new_spte (?P<new>[0-9a-f]+)$'),
    'tdx_pamt_refcount': re.compile(r'pfn (?P<pfn>[0-9a-f]+) delta (?P<delta>-?\d+)$'),
    'tdx_seamcall': re.compile(
        r'leaf (?P<leaf>\S+) seq (?P<seq>\d+) td (?P<td>[0-9a-f]+) gpa (?P<gpa>[0-9a-f]+) '
        r'level (?P<level>-?\d+) pfn (?P<pfn>[0-9a-f]+) arg (?P<a0>[0-9a-f]+) (?P<a1>[0-9a-f]+) '
        r'status (?P<status>[0-9a-f]+) out (?P<o0>[0-9a-f]+) (?P<o1>[0-9a-f]+) (?P<o2>[0-9a-f]+)$'),
    'tdx_page_reset': re.compile(r'pfn (?P<pfn>[0-9a-f]+) status (?P<status>[0-9a-f]+)$'),
    'tdx_module_reset': re.compile(r'calls (?P<calls>\d+)$'),
    'tdxmm_op': re.compile(r'op (?P<op>\w+) \{(?P<args>.*)\}$'),
    'tdxmm_ret': re.compile(r'op (?P<op>\w+) ret (?P<ret>-?\d+) bugged (?P<bugged>[01])$'),
}


def h(x):
    return '0x' + x


def convert(m, ev):
    g = m.groupdict()
    if ev == 'kvm_tdp_mmu_spte_changed':
        return {'ev': 'spte', 'as_id': int(g['as_id']), 'gfn': h(g['gfn']),
                'level': int(g['level']), 'old_spte': h(g['old']), 'new_spte': h(g['new'])}
    if ev == 'tdx_pamt_refcount':
        return {'ev': 'pamt_ref', 'pfn': h(g['pfn']), 'delta': int(g['delta'])}
    if ev == 'tdx_seamcall':
        return {'ev': 'seamcall', 'seq': int(g['seq']), 'leaf': g['leaf'], 'td': h(g['td']),
                'gpa': h(g['gpa']), 'level': int(g['level']), 'pfn': h(g['pfn']),
                'arg': [h(g['a0']), h(g['a1'])], 'status': h(g['status']),
                'out': [h(g['o0']), h(g['o1']), h(g['o2'])]}
    if ev == 'tdx_module_reset':
        return {'ev': 'reset'}
    if ev == 'tdx_page_reset':
        return {'ev': 'page_reset', 'pfn': h(g['pfn']), 'status': h(g['status'])}
    if ev == 'tdxmm_op':
        e = {'ev': 'op', 'op': g['op']}
        e.update(json.loads('{' + g['args'] + '}'))
        return e
    return {'ev': 'ret', 'op': g['op'], 'ret': int(g['ret']), 'bugged': g['bugged'] == '1'}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('log')
    ap.add_argument('--name', default='td-life')
    ap.add_argument('--producer', default='tdxmm-kernel')
    ap.add_argument('-o', '--out', required=True)
    a = ap.parse_args()
    try:
        with open(a.log, errors='replace') as f:
            lines = f.read().splitlines()
    except OSError as e:
        print(f'tracefs2jsonl: {a.log}: {e.strerror}', file=sys.stderr)
        return 2
    start = next((i for i, l in enumerate(lines) if l.rstrip().endswith(f'tdxmm: trace {a.name}')), None)
    if start is None:
        print(f'tracefs2jsonl: {a.log}:1: no "tdxmm: trace {a.name}" line: the traced case did not run',
              file=sys.stderr)
        return 2
    stop = next((i for i in range(start, len(lines)) if 'tdxmm: trace dumped' in lines[i]), None)
    dump = next((i for i in range(start, stop or start) if 'Dumping ftrace buffer' in lines[i]), None)
    # the dump lies between two rules of dashes; before it the case ran,
    # and its WARN splats name the trace functions in their stacks
    rules = [i for i in range(dump or 0, stop or 0) if lines[i].strip().endswith('-' * 20)]
    if stop is None or dump is None or len(rules) < 2:
        print(f'tracefs2jsonl: {a.log}:{start + 1}: the trace buffer was not dumped', file=sys.stderr)
        return 2
    evs, pids, noise = [], {}, 0
    for i in range(rules[0] + 1, rules[-1]):
        l = lines[i]
        if 'LOST' in l and 'EVENTS' in l:
            print(f'tracefs2jsonl: {a.log}:{i + 1}: the buffer lost events: {l.strip()}', file=sys.stderr)
            return 2
        m = LINE.search(l)
        if not m or m['ev'] not in EVENTS:
            if any(k in l for k in EVENTS):
                print(f'tracefs2jsonl: {a.log}:{i + 1}: a tdxmm event that does not parse: {l.strip()}',
                      file=sys.stderr)
                return 2
            noise += 1
            continue
        p = EVENTS[m['ev']].match(m['payload'].rstrip())
        if not p:
            print(f'tracefs2jsonl: {a.log}:{i + 1}: {m["ev"]}: fields do not parse: {m["payload"]}',
                  file=sys.stderr)
            return 2
        e = convert(p, m['ev'])
        cpu = pids.setdefault(m['pid'], len(pids))
        evs.append(dict({'ev': e.pop('ev'), 'cpu': cpu, 'ts': len(evs) + 1}, **e))
    if not evs:
        print(f'tracefs2jsonl: {a.log}:{start + 1}: the dump holds no tdxmm event', file=sys.stderr)
        return 2
    with open(a.out, 'w') as f:
        f.write(json.dumps({'tdxmm_trace': 1, 'producer': a.producer, 'dpamt': True,
                            'quirk_pw_mce': True, 'clock': 'logical'}) + '\n')
        for e in evs:
            f.write(json.dumps(e) + '\n')
    print(f'tracefs2jsonl: {len(evs)} events of {len(pids)} thread(s) from {a.log} '
          f'({noise} other console lines inside the dump) -> {a.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
