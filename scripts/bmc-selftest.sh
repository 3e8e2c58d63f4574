#!/usr/bin/env bash
# Self-test of harness/bmc: plant each bug in a copy of impl/ under build/
# (never an #ifdef in impl/), build the checker against the copy, and
# require it to find a violation, printing the invariant and the shortest
# trace.  A checker that passes a planted bug cannot fail.
set -u
cd "$(dirname "$0")/.."
out=build/bmc-mutants
mkdir -p "$out"
# Small universe, BUSY + one other status per call: enough to reach each bug.
OPS=map4k:0,map4k:1,map4k:262144,map2m:0,zap:0,zap-all,split:0,pamt-get:0,pamt-put:0,teardown
DEPTH=${BMC_SELFTEST_DEPTH:-4}

# name | file | python: s = s.replace(OLD, NEW)
mutants=(
"no-restore-on-hook-failure|tdp_mmu.c|__kvm_tdp_mmu_write_spte(sptep, iter->old_spte);|__kvm_tdp_mmu_write_spte(sptep, new_spte);"
"parent-sept-before-child|tdp_mmu.c|	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++) {\n		tdp_ptep_t sptep = pt + i;|	if (is_mirror_sp(sp))\n		reclaim_external_sp(kvm, base_gfn, sp);\n	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++) {\n		tdp_ptep_t sptep = pt + i;"
"pamt-remove-with-user|pamt.c|	if (!atomic_dec_and_lock(rc, &pamt_lock))\n		return;|	atomic_dec(rc);\n	spin_lock(&pamt_lock);"
"rc-inc-outside-lock-0-to-1|pamt.c|	if (atomic_inc_not_zero(rc))\n		return 0;|	if (atomic_inc_not_zero(rc))\n		return 0;\n	atomic_inc(rc);"
"demote-without-pamt-lock|pamt.c|		return -ENOMEM;\n	spin_lock(&pamt_lock);\n	return 0;|		return -ENOMEM;\n	return 0;"
"split-hook-called-twice|tdp_mmu.c|	if (was_leaf && is_mirror_sp(sp)) {|	if (was_leaf && is_present && !is_leaf && is_mirror_sp(sp))\n		set_external_spte(kvm, gfn, old_spte, new_spte, level);\n	if (was_leaf && is_mirror_sp(sp)) {"
)
fail=0 n=0
for m in "${mutants[@]}"; do
	IFS='|' read -r name file old new <<<"$m"
	d=$out/$name
	rm -rf "$d"; mkdir -p "$d/impl"
	cp impl/*.c impl/*.h "$d/impl/"
	if ! OLD="$old" NEW="$new" python3 - "$d/impl/$file" <<'EOF'
import os, sys
p = sys.argv[1]
s = open(p).read()
old = os.environ["OLD"].replace("\\n", "\n")
new = os.environ["NEW"].replace("\\n", "\n")
if old not in s:
    sys.exit(1)
open(p, "w").write(s.replace(old, new, 1))
EOF
	then
		echo "bmc-selftest: $name did not apply"; fail=1; continue
	fi
	if ! gcc -std=gnu11 -w -O2 -I"$d/impl" -Iharness/user -Imodel -Iharness/bmc \
		-pthread -o "$d/bmc" harness/bmc/bmc.c harness/bmc/oracle.c \
		"$d"/impl/*.c model/*.c harness/user/env_user.c harness/x86_ops.c \
		2>"$d/cc.log"; then
		echo "bmc-selftest: $name does not build (see $d/cc.log)"; fail=1; continue
	fi
	"$d/bmc" --depth "$DEPTH" --faults classes -j 2 --ops "$OPS" \
		--trace-out "$d/violation.trace" > "$d/run.log" 2>&1
	rc=$?
	if [ $rc -eq 1 ] && grep -q 'VIOLATION' "$d/run.log"; then
		n=$((n + 1))
		inv=$(sed -n 's/^bmc: VIOLATION \(of \)*\([^ ]*\) *at depth \([0-9]*\).*/\2 at depth \3/p' "$d/run.log")
		printf 'bmc-selftest: %-28s caught: %s\n' "$name" "$inv"
		sed -n '/VIOLATION/,/written to/p' "$d/run.log" | grep -v 'written to' |
			sed 's/^bmc:/bmc-selftest:    /'
	else
		echo "bmc-selftest: $name NOT caught (exit $rc; see $d/run.log)"; fail=1
	fi
done
echo "bmc-selftest: $n/${#mutants[@]} planted bugs caught by harness/bmc"
exit $fail
