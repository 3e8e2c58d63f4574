#!/usr/bin/env bash
# Self-test of the cmocka suites: plant known bugs in a copy of impl/ and
# require the suites to fail on each.  A suite that passes a mutant is a
# checker that cannot fail.
set -u
cd "$(dirname "$0")/.."
out=build/mutants
fail=0
# name ~ file ~ sed expression ~ the test that must fail
mutants=(
"restore-new~tdp_mmu.c~s/__kvm_tdp_mmu_write_spte(sptep, iter->old_spte);/__kvm_tdp_mmu_write_spte(sptep, new_spte);/~INV_12_mirror_hook_failure_restores"
"pre-P02-freeze~tdp_mmu.c~s/try_cmpxchg64(sptep, \&iter->old_spte, FROZEN_SPTE)/({ u64 __o = iter->old_spte; try_cmpxchg64(sptep, \&__o, FROZEN_SPTE); })/~INV_05_mirror_lost_freeze"
"no-present-old-check~tdp_mmu.c~s/KVM_BUG_ON(is_shadow_present_pte(iter->old_spte), kvm) ||/0 ||/~mirror_bug_paths"
"stats-before-hook~tdp_mmu.c~s/if (KVM_BUG_ON(set_external_spte(kvm, gfn, old_spte, new_spte,/kvm_update_page_stats(kvm, level, -1); if (KVM_BUG_ON(set_external_spte(kvm, gfn, old_spte, new_spte,/~write_zap_mirror_hook_failure_bugs_vm"
"frozen-is-present~spte.h~s/#define FROZEN_SPTE\t\t\t(SHADOW_NONPRESENT_VALUE | 0x5a0ULL)/#define FROZEN_SPTE (SHADOW_NONPRESENT_VALUE | 0xda0ULL)/~INV_01_frozen_is_nonpresent"
)
n=0
for m in "${mutants[@]}"; do
	IFS='~' read -r name file expr mustfail <<<"$m"
	d=$out/$name
	rm -rf "$d"; mkdir -p "$d"
	cp impl/*.c impl/*.h "$d/"
	sed -i "$expr" "$d/$file"
	if cmp -s "impl/$file" "$d/$file"; then
		echo "mutants: $name did not apply"; fail=1; continue
	fi
	caught=0
	for t in tests/test_*.c; do
		extra=
		[ "$t" = tests/test_scenarios.c ] && extra="tests/scenarios.c tests/sept_scenarios.c tests/pamt_scenarios.c tests/gmem_scenarios.c"
		# A mutant may also fail to compile (e.g. a broken static assert):
		# that is a catch too, by the compiler.
		if ! gcc -std=gnu11 -w -O1 -I"$d" -Iharness/user -Imodel -pthread \
			-o "$d/$(basename "$t" .c)" "$t" $extra tests/common.c \
			tests/stub_external.c tests/fixture.c tests/trace_model.c \
			"$d"/*.c model/*.c \
			harness/user/env_user.c harness/x86_ops.c -lcmocka 2>"$d/cc.log"; then
			grep -q 'INV-01' "$d/cc.log" && caught=1
			continue
		fi
		# A mutant may abort the suite (that is a catch too); keep bash quiet.
		( "$d/$(basename "$t" .c)" > "$d/run.log" 2>&1 ) 2>/dev/null
		grep -q "FAILED  \] $mustfail" "$d/run.log" && caught=1
	done
	if [ $caught -eq 1 ]; then
		n=$((n + 1))
	else
		echo "mutants: $name survived (expected $mustfail to fail)"; fail=1
	fi
done
echo "mutants: $n/${#mutants[@]} planted bugs caught"
exit $fail
