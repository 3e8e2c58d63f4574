#!/usr/bin/env bash
# Every axiom of a BitFacts axiomatic in model/acsl must have a QF_BV query
# proofs/bitfacts/<name>.smt2 that z3 and cvc4 both answer unsat; the
# planted false facts in proofs/bitfacts/selftest must come back sat.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
fail=0
solve() {	# solver file -> prints sat/unsat/...
	case $1 in
	z3) timeout 60 z3 -smt2 "$2" 2>&1 | head -1 ;;
	cvc4) timeout 60 cvc4 --lang smt2 "$2" 2>&1 | head -1 ;;
	esac
}
axioms=$(sed -n '/axiomatic BitFacts/,/^}/p' model/acsl/*.h |
	 grep -oE 'axiom +[A-Za-z0-9_]+' | awk '{print $2}')
n=0
for a in $axioms; do
	q=proofs/bitfacts/$a.smt2
	if [ ! -f "$q" ]; then
		echo "bitfacts: axiom $a has no query $q"; fail=1; continue
	fi
	for s in z3 cvc4; do
		r=$(solve $s "$q")
		if [ "$r" != unsat ]; then
			echo "bitfacts: $a: $s says '$r', not unsat"; fail=1
		fi
	done
	n=$((n + 1))
done
for q in proofs/bitfacts/*.smt2; do
	a=$(basename "$q" .smt2)
	echo "$axioms" | grep -qx "$a" ||
		{ echo "bitfacts: $q proves no axiom of model/acsl"; fail=1; }
done
for q in proofs/bitfacts/selftest/*.smt2; do
	for s in z3 cvc4; do
		r=$(solve $s "$q")
		[ "$r" = sat ] || { echo "bitfacts self-test: $s says '$r' on planted $q"; fail=1; }
	done
done
echo "bitfacts: $n axioms, each unsat in z3 and cvc4; planted false facts: sat"
exit $fail
