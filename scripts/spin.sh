#!/usr/bin/env bash
# Spin: every model/promela/*.pml is checked exhaustively (safety, -DSAFETY).
# A model states its verdict in its header, litmus style:
#   Expect: pass
#   Mutant NAME violates "EXPR" (INV-xx): why
# The model must pass with 0 errors, and each mutant (built with -DNAME)
# must fail with exactly "assertion violated (EXPR)".  Note: pan exits 0
# even when it finds errors, so the verdict is read from its output.
set -u
cd "$(dirname "$0")/.."
out=build/spin
mkdir -p "$out"
fail=0
run() {		# model variant-define outdir
	local d=$3
	rm -rf "$d"; mkdir -p "$d"
	( cd "$d" && spin $2 -a "$1" > spin.txt 2>&1 &&
	  gcc -O2 -DSAFETY -o pan pan.c > cc.txt 2>&1 &&
	  ./pan -m1000000 > pan.txt 2>&1 ) || echo "spin: $1 $2 did not build" >> "$d/pan.txt"
}
for m in model/promela/*.pml; do
	name=$(basename "$m" .pml)
	abs=$(realpath "$m")
	if grep -q 'Expect: pass' "$m"; then
		run "$abs" "" "$out/$name"
		p=$out/$name/pan.txt
		if grep -q 'errors: 0' "$p"; then
			echo "spin: $name: pass as expected ($(grep -oE '[0-9]+ states, stored' "$p"), depth $(grep -oE 'depth reached [0-9]+' "$p" | grep -oE '[0-9]+'))"
		else
			echo "spin: $name: FAILED, expected pass:"; grep -E 'assertion|errors' "$p"; fail=1
		fi
	fi
	while read -r mut expr; do
		run "$abs" "-D$mut" "$out/$name-$mut"
		p=$out/$name-$mut/pan.txt
		if grep -qE 'errors: [1-9]' "$p" && grep -qF "assertion violated ($expr)" "$p"; then
			echo "spin: $name -D$mut: caught ($expr)"
		else
			echo "spin: $name -D$mut: NOT caught as \"$expr\""; fail=1
		fi
	done < <(sed -nE 's/.*Mutant ([A-Z0-9_]+) violates "([^"]+)".*/\1 \2/p' "$m")
done
exit $fail
