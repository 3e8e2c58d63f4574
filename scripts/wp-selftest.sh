#!/usr/bin/env bash
# Self-tests of the WP layer: each planted defect must make WP report it.
#  1. restore the *new* value when the external hook fails -> INV_12 unproved
#  2. a contract with contradictory requires -> smoke test fails
#  3. leaf removal without TRACK -> REMOVE's INV_16 precondition unproved
#  4. a refcount increment outside pamt_lock (0 -> 1 unlocked) -> INV_33
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
st=build/proofs/selftest
rm -rf "$st"; mkdir -p "$st/impl"
. scripts/wp-flags.sh
fail=0

cp impl/*.h "$st/impl/"
# plant NAME FILE SED FUNCTION PROP GOAL: apply SED to impl/FILE in a copy,
# prove only PROP of FUNCTION there, and require GOAL to fail.
plant() {
	local name=$1 file=$2 sedexpr=$3 fct=$4 prop=$5 goal=$6
	sed "$sedexpr" "impl/$file" > "$st/impl/$file"
	if cmp -s "impl/$file" "$st/impl/$file"; then
		echo "wp-selftest: $name did not apply"; fail=1; return
	fi
	frama-c -c11 -cpp-extra-args="-I$st/impl -Iproofs/env -Imodel" \
		"$st/impl/$file" proofs/env/ghost.c "${WP[@]}" \
		-wp-fct "$fct" -wp-prop "$prop" -wp-no-smoke-tests \
		> "$st/${name// /-}.log" 2>&1
	if grep -q "Failed\] Goal $goal" "$st/${name// /-}.log"; then
		echo "wp-selftest: planted $name caught ($prop unproved)"
	else
		echo "wp-selftest: planted $name NOT caught"; fail=1
	fi
	rm "$st/impl/$file"
}

# WP drops the leading underscores of __tdp_mmu_set_spte_atomic in goal names.
plant "restore bug" tdp_mmu.c \
	's/__kvm_tdp_mmu_write_spte(sptep, iter->old_spte);/__kvm_tdp_mmu_write_spte(sptep, new_spte);/' \
	__tdp_mmu_set_spte_atomic INV_12 \
	typed_tdp_mmu_set_spte_atomic_mirror_install_ensures_INV_12
plant "removal without TRACK" tdx.c '0,/if (tdx_track(kvm))/s//if (0)/' \
	tdx_sept_remove_private_spte INV_16 \
	typed_tdx_sept_remove_private_spte_call_tdh_mem_page_remove_requires_INV_16
plant "refcount increment outside pamt_lock" pamt.c \
	's/^\tif (alloc_pamt_array(pa, cache))$/\tatomic_inc(rc);\n&/' \
	tdx_pamt_get INV_33 typed_tdx_pamt_get_call_atomic_inc_requires_INV_33

"${FC[@]}" proofs/selftest/vacuous.c "${WP[@]}" > "$st/vacuous.log" 2>&1
if grep -q 'Failed\] Smoke-test typed_vacuous_wp_smoke_default_requires' "$st/vacuous.log"; then
	echo "wp-selftest: contradictory requires caught by smoke tests"
else
	echo "wp-selftest: contradictory requires NOT caught"; fail=1
fi
exit $fail
