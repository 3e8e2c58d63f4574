#!/usr/bin/env bash
# make proofs: annotations parse, WP on impl/ with RTE and smoke tests,
# status diffed against proofs/expected-status.json, BitFacts checked by
# z3/cvc4, and the self-tests showing WP catches a planted bug.
# build/wp-cache keeps prover answers between local runs; a fresh clone
# (CI) proves everything from scratch.
# usage: scripts/proofs.sh [--accept] [--no-selftest]
# FUNCS=f,g: prove only those functions (one process, same flags), diffed
# against their entries in the golden status; no lemmas, no self-tests.
# FILES=impl/pamt.c: the same for every function that file defines.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=build/proofs
mkdir -p "$out"
accept=
selftest=1
for a in "$@"; do
	case $a in
	--accept) accept=--accept ;;
	--no-selftest) selftest= ;;
	esac
done

. scripts/wp-flags.sh
SRC=(impl/*.c proofs/env/ghost.c)
fail=0
t0=$(date +%s)

echo "proofs: parsing annotations"
if ! "${FC[@]}" "${SRC[@]}" > "$out/parse.log" 2>&1; then
	cat "$out/parse.log"
	echo "proofs: annotations do not parse"
	exit 1
fi

# proofs/wp-scope.txt: the functions WP skips, each with its reason.
skip=$(grep -vE '^(#|$)' proofs/wp-scope.txt | cut -f1 | paste -sd, -)
# FILES=impl/a.c,impl/b.c: the functions those files define (their object's
# symbols) that the golden status has, proved as FUNCS are.
if [ -n "${FILES:-}" ]; then
	funcs=
	for f in ${FILES//,/ }; do
		if [ ! -f "$f" ] || [[ "$f" != impl/*.c ]]; then
			echo "proofs: FILES: '$f' is not a file of impl/*.c" >&2
			exit 2
		fi
		o=$(mktemp)
		gcc -std=gnu11 -O0 -Iimpl -Iharness/user -Imodel -c "$f" -o "$o" || exit 2
		for fn in $(nm --defined-only "$o" | awk '$2 ~ /^[tT]$/ { print $3 }'); do
			grep -q "\"$fn\":" proofs/expected-status.json && funcs+=${funcs:+,}$fn
		done
		rm -f "$o"
	done
	if [ -z "$funcs" ]; then
		echo "proofs: FILES=$FILES defines no function WP proves" >&2
		exit 2
	fi
	FUNCS=$funcs
fi
if [ -n "${FUNCS:-}" ]; then
	echo "proofs: WP on $FUNCS only (FUNCS)"
	"${FC[@]}" "${SRC[@]}" "${WP[@]}" -wp-fct "$FUNCS" \
		-wp-report-json "$out/wp.json" > "$out/wp.log" 2>&1
	grep -E '^\[wp\] Proved goals' "$out/wp.log"
	python3 scripts/wp_status.py "$out/wp.log" "$out/wp.json" \
		proofs/expected-status.json "$out/status-funcs.json" $accept \
		--only "$FUNCS" || fail=1
	echo "proofs: WP took $(( $(date +%s) - t0 )) s"
	exit $fail
fi
echo "proofs: WP on ${SRC[*]} ($(grep -cvE '^(#|$)' proofs/wp-scope.txt) functions out of scope: proofs/wp-scope.txt)"
# Frama-C generates VCs on one core: two processes, each proving half of
# the functions (balanced by goal count; a function new to
# expected-status.json lands in both), use both cores.  Same goals, same
# report, merged.
read -r half_a half_b < <(python3 - proofs/expected-status.json <<'PY'
import json, re, sys
exp = json.load(open(sys.argv[1]))
w = {}
for f, v in exp.items():
    if f == 'lemmas':
        continue
    # Frama-C renames a static inline's copies f_0, f_1...; skipping f
    # skips them all, so a function and its copies go to one half
    base = re.sub(r'_\d+$', '', f)
    base = base if base in exp else f
    w[base] = w.get(base, 0) + int(v.split('/')[1])
a, b, wa, wb = [], [], 0, 0
for f in sorted(w, key=lambda f: -w[f]):
    if wa <= wb:
        a.append(f); wa += w[f]
    else:
        b.append(f); wb += w[f]
print(','.join(a), ','.join(b))
PY
)
"${FC[@]}" "${SRC[@]}" "${WP[@]}" -wp-par 1 -wp-skip-fct "$skip,$half_b" \
	-wp-report-json "$out/wp-a.json" > "$out/wp-a.log" 2>&1 &
pid_a=$!
"${FC[@]}" "${SRC[@]}" "${WP[@]}" -wp-par 1 -wp-skip-fct "$skip,$half_a" \
	-wp-report-json "$out/wp-b.json" > "$out/wp-b.log" 2>&1
wait $pid_a
cat "$out/wp-a.log" "$out/wp-b.log" > "$out/wp.log"
python3 - "$out/wp.json" "$out/wp-a.json" "$out/wp-b.json" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[2:4])
a.setdefault('wp:functions', {}).update(b.get('wp:functions', {}))
json.dump(a, open(sys.argv[1], 'w'))
PY
# -wp-skip-fct leaves lemmas unselected: prove them in a second run and
# merge them into the one report.
"${FC[@]}" "${SRC[@]}" "${WP[@]}" -wp-prop @lemma \
	-wp-report-json "$out/wp-lemmas.json" > "$out/wp-lemmas.log" 2>&1
cat "$out/wp-lemmas.log" >> "$out/wp.log"
python3 - "$out/wp.json" "$out/wp-lemmas.json" <<'PY'
import json, sys
main, lem = (json.load(open(f)) for f in sys.argv[1:3])
main.setdefault('wp:axiomatics', {}).update(lem.get('wp:axiomatics', {}))
json.dump(main, open(sys.argv[1], 'w'))
PY
grep -E '^\[wp\] Proved goals' "$out/wp.log"
python3 scripts/wp_status.py "$out/wp.log" "$out/wp.json" \
	proofs/expected-status.json "$out/status.json" $accept || fail=1
t1=$(date +%s)
echo "proofs: WP took $((t1 - t0)) s"

scripts/bitfacts.sh || fail=1

if [ -n "$selftest" ]; then
	scripts/wp-selftest.sh || fail=1
fi
echo "proofs: total $(( $(date +%s) - t0 )) s"
exit $fail
