#!/usr/bin/env bash
# Self-tests of the WP layer: each planted defect must make WP report it.
#  1. restore the *new* value when the external hook fails -> INV_12 unproved
#  2. a contract with contradictory requires -> smoke test fails
#  3. leaf removal without TRACK -> REMOVE's INV_16 precondition unproved
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
st=build/proofs/selftest
rm -rf "$st"; mkdir -p "$st/impl"
. scripts/wp-flags.sh
fail=0

cp impl/*.h "$st/impl/"
sed 's/__kvm_tdp_mmu_write_spte(sptep, iter->old_spte);/__kvm_tdp_mmu_write_spte(sptep, new_spte);/' \
	impl/tdp_mmu.c > "$st/impl/tdp_mmu.c"
if cmp -s impl/tdp_mmu.c "$st/impl/tdp_mmu.c"; then
	echo "wp-selftest: mutation 1 did not apply"; exit 1
fi
frama-c -c11 -cpp-extra-args="-I$st/impl -Iproofs/env -Imodel" \
	"$st/impl/tdp_mmu.c" proofs/env/ghost.c "${WP[@]}" \
	-wp-fct __tdp_mmu_set_spte_atomic -wp-prop INV_12 -wp-no-smoke-tests \
	> "$st/mutant1.log" 2>&1
# WP drops the leading underscores of __tdp_mmu_set_spte_atomic in goal names.
if grep -q 'Failed\] Goal typed_tdp_mmu_set_spte_atomic_mirror_install_ensures_INV_12' "$st/mutant1.log"; then
	echo "wp-selftest: planted restore bug caught (INV_12 unproved)"
else
	echo "wp-selftest: planted restore bug NOT caught"; fail=1
fi

sed '0,/if (tdx_track(kvm))/s//if (0)/' impl/tdx.c > "$st/impl/tdx.c"
if cmp -s impl/tdx.c "$st/impl/tdx.c"; then
	echo "wp-selftest: mutation 3 did not apply"; exit 1
fi
frama-c -c11 -cpp-extra-args="-I$st/impl -Iproofs/env -Imodel" \
	"$st/impl/tdx.c" proofs/env/ghost.c "${WP[@]}" \
	-wp-fct tdx_sept_remove_private_spte -wp-prop INV_16 -wp-no-smoke-tests \
	> "$st/mutant3.log" 2>&1
if grep -q 'Failed\] Goal typed_tdx_sept_remove_private_spte_call_tdh_mem_page_remove_requires_INV_16' "$st/mutant3.log"; then
	echo "wp-selftest: planted removal without TRACK caught (INV_16 unproved)"
else
	echo "wp-selftest: planted removal without TRACK NOT caught"; fail=1
fi

"${FC[@]}" proofs/selftest/vacuous.c "${WP[@]}" > "$st/vacuous.log" 2>&1
if grep -q 'Failed\] Smoke-test typed_vacuous_wp_smoke_default_requires' "$st/vacuous.log"; then
	echo "wp-selftest: contradictory requires caught by smoke tests"
else
	echo "wp-selftest: contradictory requires NOT caught"; fail=1
fi
exit $fail
