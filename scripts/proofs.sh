#!/usr/bin/env bash
# make proofs: WP on impl/ with RTE and smoke tests, one job per function
# (scripts/proofkit.py: parse once, jobs keyed by their exact inputs, so
# an edit re-proves only what it can affect), the status diffed against
# proofs/expected-status.json, BitFacts checked by z3/cvc4, and the
# self-tests showing WP catches a planted bug.  build/wp-jobs and
# build/wp-cache keep results between local runs; a fresh clone (CI)
# proves everything from scratch.
# usage: scripts/proofs.sh [--accept] [--no-selftest]
#        scripts/proofs.sh --shard I/N      one CI shard's jobs (no diff)
#        scripts/proofs.sh --merge DIR...   the shards' results, then the diff
# FUNCS=f,g: prove only those functions (and their copies), diffed against
# their entries in the golden status; no lemmas, no self-tests.
# FILES=impl/pamt.c: the same for every function that file defines.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# PROOFS_OUT=DIR: results there (CI shards); PROOFS_JOB_CACHE=DIR: the
# job cache to use instead of build/wp-jobs
out=${PROOFS_OUT:-build/proofs}
mkdir -p "$out"
pk=(python3 scripts/proofkit.py run --out "$out" ${PROOFS_JOB_CACHE:+--job-cache "$PROOFS_JOB_CACHE"})
accept=
selftest=1
shard=
merge=()
while [ $# -gt 0 ]; do
	case $1 in
	--accept) accept=--accept ;;
	--no-selftest) selftest= ;;
	--shard) shard=${2:-}; shift ;;
	--merge) shift; merge=("$@"); [ $# -gt 0 ] || { echo "proofs: --merge wants shard directories" >&2; exit 2; }; break ;;
	*) echo "proofs: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done
fail=0
t0=$(date +%s)
export WHY3CONFIG=$top/build/why3.conf

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
	"${pk[@]}" --funcs "$FUNCS" || fail=1
	python3 scripts/wp_status.py "$out/wp.log" "$out/wp.json" \
		proofs/expected-status.json "$out/status-funcs.json" $accept \
		--only "$FUNCS" || fail=1
	echo "proofs: WP took $(( $(date +%s) - t0 )) s"
	exit $fail
fi
if [ -n "$shard" ]; then
	echo "proofs: WP shard $shard ($(grep -cvE '^(#|$)' proofs/wp-scope.txt) functions out of scope: proofs/wp-scope.txt)"
	"${pk[@]}" --shard "$shard" || fail=1
	echo "proofs: shard took $(( $(date +%s) - t0 )) s"
	exit $fail
fi
if [ ${#merge[@]} -gt 0 ]; then
	python3 scripts/proofkit.py merge "$out" "${merge[@]}" || exit 1
else
	echo "proofs: WP on impl/ ($(grep -cvE '^(#|$)' proofs/wp-scope.txt) functions out of scope: proofs/wp-scope.txt)"
	"${pk[@]}" || fail=1
fi
python3 scripts/wp_status.py "$out/wp.log" "$out/wp.json" \
	proofs/expected-status.json "$out/status.json" $accept || fail=1
echo "proofs: WP took $(( $(date +%s) - t0 )) s"

scripts/bitfacts.sh || fail=1

if [ -n "$selftest" ]; then
	scripts/wp-selftest.sh || fail=1
fi
echo "proofs: total $(( $(date +%s) - t0 )) s"
exit $fail
