#!/usr/bin/env bash
# Frama-C Eva over the real C where the input space is small: every input
# split (Frama_C_interval_split, large slevel), so Eva checks it
# exhaustively (proofs/eva/*.c say what each covers).  A harness passes
# with 0 alarms and every assertion valid.  Then the self-test: a planted
# bug in a copy of impl/ must make each harness fail.  Run by make verify.
# The log ends with -report's property list: the report credits an
# invariant to Eva for each assertion named INV_NN found Valid there.
set -u
cd "$(dirname "$0")/.."
mkdir -p build/eva
EVA=(-eva -eva-slevel 100000 -eva-no-show-progress -eva-no-alloc-returns-null
     -eva-alloc-builtin fresh -main main)
# harness ~ impl file it analyses ~ planted bug in that file (python replace OLD@@NEW)
harnesses=(
"spte_kinds~spte.c~(SPTE_LEAF_BITS | PT_PAGE_SIZE_MASK)@@(VMX_EPT_RWX_MASK | PT_PAGE_SIZE_MASK)"
"pamt_index~pamt.c~else if (pfn >= r->end_pfn)@@else if (pfn > r->end_pfn)"
)
rc=0
run() {		# impl-dir harness impl-file log
	frama-c -c11 -cpp-extra-args="-I$1 -Iproofs/env -Imodel" "$1/$3" \
		"proofs/eva/$2.c" "${EVA[@]}" -then -report > "$4" 2>&1
	# no alarm, every assertion valid, and no contract of impl/ broken
	# on these inputs (Eva checks the postconditions of what it analyses)
	grep -q ' 0 alarms generated' "$4" &&
		grep -qE 'Assertions +[0-9]+ valid +0 unknown +0 invalid' "$4" &&
		! grep -q 'got status invalid' "$4"
}
for h in "${harnesses[@]}"; do
	IFS='~' read -r name file plant <<<"$h"
	t0=$(date +%s%N)
	if run impl "$name" "$file" "build/eva/$name.log"; then
		res=$(grep -oE 'Assertions +[0-9]+ valid' "build/eva/$name.log" | grep -oE '[0-9]+')
		printf 'eva: %-12s ok: 0 alarms, %s/%s assertions valid (%d ms)\n' "$name" "$res" "$res" \
			$(( ($(date +%s%N) - t0) / 1000000 ))
	else
		echo "eva: $name FAILED (build/eva/$name.log)"; rc=1
	fi
	d=build/eva/planted-$name
	rm -rf "$d"; mkdir -p "$d"; cp impl/*.c impl/*.h "$d/"
	scripts/plant.py "$d/$file" "${plant%%@@*}" "${plant#*@@}" ||
		{ echo "eva: planted bug for $name did not apply"; rc=1; continue; }
	if run "$d" "$name" "$file" "$d/eva.log"; then
		echo "eva: $name passed a planted bug ($plant)"; rc=1
	else
		printf 'eva: %-12s planted bug caught: %s\n' "$name" \
			"$(grep -m1 -E 'got status invalid' "$d/eva.log" | sed 's/^ *//')"
	fi
done
exit $rc
