#!/usr/bin/env bash
# Self-test of the bounded checkers: plant each bug in a copy of impl/ under
# build/ (never an #ifdef in impl/), build the checker that must catch it
# against the copy, and require a violation, printing the invariant and the
# shortest trace (bmc) or the schedule (mc).  A checker that passes a
# planted bug cannot fail.
#   scripts/checker-selftest.sh [bmc|bmc-gmem|mc|fuzz|tsan|threads|gmem|scenarios]
#   (default: all)
# bmc-gmem: harness/bmc over the guest_memfd universe (faults through the
# attribute, conversions, zap, split, teardown of the TD).
# gmem: harness/gmem must report a violation; scenarios: a case of the
# shared scenario table (tests/test_scenarios) must fail.
# tsan: a data race ThreadSanitizer reports in the real-thread suite
# (tests/test_user_backend.c); threads: that suite's own assertions fail.
set -u
cd "$(dirname "$0")/.."
out=build/bmc-mutants
mkdir -p "$out"
only=${1:-}
case $only in
''|bmc|bmc-gmem|mc|fuzz|tsan|threads|gmem|scenarios) ;;
*) echo "checker-selftest: no checker '$only' (bmc, bmc-gmem, mc, fuzz, tsan, threads, gmem or scenarios)" >&2; exit 2 ;;
esac
[ $# -le 1 ] || { echo "checker-selftest: one checker at most" >&2; exit 2; }
# Small universe, BUSY + one other status per call: enough to reach each bug.
OPS=map4k:0,map4k:1,map4k:262144,map4k:last,map2m:0,zap:0,zap-all,split:0,pamt-get:0,pamt-put:0,teardown
DEPTH=${BMC_SELFTEST_DEPTH:-4}
GOPS=gfault4k:0,gfault4k:1,gfault2m:0,to-shared:1,to-private:1,to-shared:0+512,zap:1,split:0,teardown,host-gup:1,host-unpin:1

# checker | name | file | python: s = s.replace(OLD, NEW)  (no '|' in OLD or NEW)
mutants=(
"bmc|no-restore-on-hook-failure|tdp_mmu.c|__kvm_tdp_mmu_write_spte(sptep, iter->old_spte);|__kvm_tdp_mmu_write_spte(sptep, new_spte);"
"bmc|parent-sept-before-child|tdp_mmu.c|	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++) {\n		tdp_ptep_t sptep = pt + i;|	if (is_mirror_sp(sp))\n		reclaim_external_sp(kvm, base_gfn, sp);\n	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++) {\n		tdp_ptep_t sptep = pt + i;"
"bmc|pamt-remove-with-user|pamt.c|	if (!atomic_dec_and_lock(rc, &pamt_lock)) {\n		trace_tdx_pamt_refcount(pfn, -1);\n		return;\n	}|	atomic_dec(rc);\n	spin_lock(&pamt_lock);"
"bmc|rc-inc-outside-lock-0-to-1|pamt.c|	if (atomic_inc_not_zero(rc)) {\n		trace_tdx_pamt_refcount(pfn, 1);\n		return 0;\n	}|	if (atomic_inc_not_zero(rc)) {\n		trace_tdx_pamt_refcount(pfn, 1);\n		return 0;\n	}\n	atomic_inc(rc);"
"bmc|demote-without-pamt-lock|pamt.c|	if (tdx_supports_dynamic_pamt())\n		spin_lock(&pamt_lock);\n}|}"
"bmc|sleeping-alloc-under-mmu-lock|tdx.c|	ret = tdx_pamt_get(pfn, level, &vcpu->pamt_cache);|	ret = tdx_pamt_get(pfn, level, NULL);"
"bmc|split-hook-called-twice|tdp_mmu.c|	if (was_leaf && is_mirror_sp(sp)) {|	if (was_leaf && is_present && !is_leaf && is_mirror_sp(sp))\n		set_external_spte(kvm, gfn, old_spte, new_spte, level);\n	if (was_leaf && is_mirror_sp(sp)) {"
"bmc|overzap-partial-2m-leaf|tdp_mmu.c|	r = tdp_mmu_split_cross_boundary_leafs(kvm, start, end);\n	if (r)\n		return r;@@WARN_ON_ONCE(iter.gfn < start@@ gfn > end))|	(void)r;\n	(void)tdp_mmu_split_cross_boundary_leafs;@@WARN_ON_ONCE(0 && iter.gfn < start@@ 0))"
"bmc|sept-page-without-pamt-ref|tdx.c|	ret = tdx_pamt_get(sept_pfn, PG_LEVEL_4K, &vcpu->pamt_cache);|	ret = 0;"
"bmc|tdr-written-back-with-keyid-0|tdx.c|	err = tdh_phymem_page_wbinvd_tdr(kvm_tdx->td);|	err = tdh_phymem_page_wbinvd_hkid(0, tdxmm_virt_to_pfn(kvm_tdx->tdr_page));"
"bmc|page-given-back-unreset|tdx.c|		tdx_quirk_reset_page(pfn + i);\n|"
"fuzz|demote-without-pamt-lock|pamt.c|	if (tdx_supports_dynamic_pamt())\n		spin_lock(&pamt_lock);\n}|}"
"fuzz|pamt-remove-with-user|pamt.c|	if (!atomic_dec_and_lock(rc, &pamt_lock)) {\n		trace_tdx_pamt_refcount(pfn, -1);\n		return;\n	}|	atomic_dec(rc);\n	spin_lock(&pamt_lock);"
"tsan|split-caches-without-pamt-cache-lock|mmu.c,tdp_mmu.c,tdx.c|	mutex_lock(&kvm->tdx.pamt_cache_lock);\n	r = kvm_mmu_topup_split_caches(kvm, 1);@@	mutex_unlock(&kvm->tdx.pamt_cache_lock);\n	return r;\n}@@	lockdep_assert_held(&kvm->tdx.pamt_cache_lock);\n	r = kvm_mmu_topup_memory_cache##	lockdep_assert_held(&kvm->tdx.pamt_cache_lock);\n\n	tdp_mmu_walk##	lockdep_assert_held(&kvm_tdx->pamt_cache_lock);\n|	r = kvm_mmu_topup_split_caches(kvm, 1);@@	return r;\n}@@	r = kvm_mmu_topup_memory_cache##\n	tdp_mmu_walk##"
"threads|page-add-src-unserialised|mmu.c,tdx.c|	lockdep_assert_held(&kvm->slots_lock);\n##	mutex_lock(&vcpu->kvm->slots_lock);\n	if (kvm_tdx->state@@		mutex_unlock(&vcpu->kvm->slots_lock);\n		return -EINVAL;@@	kvm_tdx->page_add_src_set = false;\n	mutex_unlock(&vcpu->kvm->slots_lock);@@		lockdep_assert_held(&kvm->slots_lock);\n|##	if (kvm_tdx->state@@		return -EINVAL;@@	kvm_tdx->page_add_src_set = false;@@"
"mc|racy-plain-page-stats|tdp_mmu.c|	atomic64_add(count, &kvm->stat.pages[level - 1]);|	kvm->stat.pages[level - 1].counter += count;"
"mc|split-vs-split-without-pamt-cache-lock|mmu.c,tdp_mmu.c,tdx.c|	mutex_lock(&kvm->tdx.pamt_cache_lock);\n	r = kvm_mmu_topup_split_caches(kvm, 1);@@	mutex_unlock(&kvm->tdx.pamt_cache_lock);\n	return r;\n}@@	lockdep_assert_held(&kvm->tdx.pamt_cache_lock);\n	r = kvm_mmu_topup_memory_cache##	lockdep_assert_held(&kvm->tdx.pamt_cache_lock);\n\n	tdp_mmu_walk##	lockdep_assert_held(&kvm_tdx->pamt_cache_lock);\n|	r = kvm_mmu_topup_split_caches(kvm, 1);@@	return r;\n}@@	r = kvm_mmu_topup_memory_cache##\n	tdp_mmu_walk##"
"bmc|last-child-never-removed|tdp_mmu.c|	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++) {\n		tdp_ptep_t sptep = pt + i;|	for (int i = 0; i < SPTE_ENT_PER_PAGE - 1; i++) {\n		tdp_ptep_t sptep = pt + i;"
"bmc|page-stats-not-dropped-on-zap|tdp_mmu.c|		kvm_update_page_stats(kvm, level, is_leaf ? 1 : -1);|		if (is_leaf)\n			kvm_update_page_stats(kvm, level, 1);"
"bmc|bugged-vm-still-calls-module|mmu.c|	if (READ_ONCE(kvm->vm_dead))\n		return -EIO;\n	if (kvm->tdx.state|	if (kvm->tdx.state"
"bmc|zap-under-read-lock|mmu.c|		write_lock(&kvm->mmu_lock);\n		rcu_read_lock();\n		r = kvm_tdp_mmu_zap_leafs(kvm, start, end);\n		rcu_read_unlock();\n		write_unlock(&kvm->mmu_lock);|		read_lock(&kvm->mmu_lock);\n		rcu_read_lock();\n		r = kvm_tdp_mmu_zap_leafs(kvm, start, end);\n		rcu_read_unlock();\n		read_unlock(&kvm->mmu_lock);"
"bmc|remove-without-track|tdx.c|	if (tdx_track(kvm))\n		goto leak;\n\n	err = tdh_do_no_vcpus(tdh_mem_page_remove|	err = tdh_do_no_vcpus(tdh_mem_page_remove"
"bmc|hkid-released-before-the-leaves|tdx.c|KVM_BUG_ON(!is_hkid_assigned(kvm), kvm)@@	/* Leaves go while the HKID is assigned (INV-15)... */\n	write_lock(&kvm->mmu_lock);@@	/* ...then the HKID (after the module flushed the TD's caches)... */\n	tdx_mmu_release_hkid(kvm);|KVM_BUG_ON(0, kvm)@@	tdx_mmu_release_hkid(kvm);\n	write_lock(&kvm->mmu_lock);@@"
"bmc|pamt-add-failure-as-busy|pamt.c|	if (WARN_ON_ONCE(err != TDX_SUCCESS)) {\n		ret = -EIO;|	if (WARN_ON_ONCE(err != TDX_SUCCESS)) {\n		ret = -EBUSY;"
"bmc|2m-get-takes-a-reference|pamt.c|level != PG_LEVEL_4K)\n		return 0;\n\n	rc = tdx_find_pamt_refcount(pfn);|level > PG_LEVEL_2M)\n		return 0;\n\n	rc = tdx_find_pamt_refcount(pfn);"
"mc|get-lost-race-is-an-error|pamt.c|	if (atomic_read(rc)) {\n		atomic_inc(rc);\n		trace_tdx_pamt_refcount(pfn, 1);\n		goto out_free;|	if (atomic_read(rc)) {\n		ret = -EBUSY;\n		goto out_free;"
"mc|no-freeze-install-directly|tdp_mmu.c|try_cmpxchg64(sptep, &iter->old_spte, FROZEN_SPTE)|try_cmpxchg64(sptep, &iter->old_spte, new_spte)"
"mc|P17-put-1-to-0-outside-lock|pamt.c|	if (!atomic_dec_and_lock(rc, &pamt_lock)) {\n		trace_tdx_pamt_refcount(pfn, -1);\n		return;\n	}|	if (!atomic_dec_and_test(rc))\n		return;\n	spin_lock(&pamt_lock);"
"mc|get-no-recheck-under-lock|pamt.c|	if (atomic_read(rc)) {|	if (0) {"
"gmem|no-safety-check|gmem.c|		if (!kvm_gmem_is_safe_for_conversion(gmem, start, nr_pages,|		if (0 && !kvm_gmem_is_safe_for_conversion(gmem, start, nr_pages,"
"gmem|error-offset-at-start|gmem.c|			*err_index = gmem_folio_index(folio) > start ?\n				     gmem_folio_index(folio) : start;|			*err_index = start;"
"gmem|no-merge-of-equal-neighbours|gmem.c|	if (n && at[n - 1] == a)\n		return n;|"
"gmem|tail-piece-dropped|gmem.c|		if (e > end) {|		if (e > end + 1) {"
"gmem|idempotent-call-still-converts|gmem.c|	if (kvm_attr_map_range_has(&gmem->attributes, start, end, attrs))\n		goto out;\n\n	prealloc|	prealloc"
"gmem|unmap-skipped|gmem.c|		gmem_unmap_mapping_pages(gmem->pages, start, nr_pages);\n		if (!kvm|		if (!kvm"
"gmem|second-drain|gmem.c|				lru_drained = true;\n				continue;|				continue;"
"gmem|stored-before-the-safety-check|gmem.c|	if (to_private) {\n		gmem_unmap_mapping_pages|	kvm_attr_map_store(&gmem->attributes, prealloc, start, end, attrs);\n	prealloc = kvm_attr_map_preallocate(&gmem->attributes);\n	if (!prealloc)\n		goto out;\n	if (to_private) {\n		gmem_unmap_mapping_pages"
"scenarios|conversion-zap-overzaps|gmem.c|		r = kvm_zap_gfn_range(kvm, gstart, gend);|		r = kvm_zap_gfn_range(kvm, gstart & ~511ULL, (gend + 511) & ~511ULL);"
"scenarios|conversion-skips-invalidation|gmem.c|		r = kvm_gmem_invalidate_begin(gmem->kvm, gstart, gend,\n					      !to_private, &v);@@	if (bound)\n		kvm_gmem_invalidate_end(gmem->kvm);\n	goto out;|		r = 0;@@	goto out;"
"scenarios|invalidation-end-without-seq-bump|gmem.c|	WRITE_ONCE(kvm->mmu_invalidate_seq, kvm->mmu_invalidate_seq + 1);|"
"scenarios|sequence-read-after-the-attribute|gmem.c|	mmu_seq = READ_ONCE(vcpu->kvm->mmu_invalidate_seq);\n	smp_rmb();\n	mutex_lock(&gmem->invalidate_lock);\n	private = kvm_attr_map_range_has(&gmem->attributes, index, index + n,\n					 KVM_MEMORY_ATTRIBUTE_PRIVATE);\n	mutex_unlock(&gmem->invalidate_lock);|	mutex_lock(&gmem->invalidate_lock);\n	private = kvm_attr_map_range_has(&gmem->attributes, index, index + n,\n					 KVM_MEMORY_ATTRIBUTE_PRIVATE);\n	mutex_unlock(&gmem->invalidate_lock);\n	mmu_seq = READ_ONCE(vcpu->kvm->mmu_invalidate_seq);\n	smp_rmb();"
"scenarios|fault-without-stale-check|mmu.c|	if (mmu_seq && mmu_invalidate_retry_gfn(kvm, *mmu_seq, gfn)) {|	if (0 && mmu_seq && mmu_invalidate_retry_gfn(kvm, *mmu_seq, gfn)) {"
"bmc-gmem|conversion-zap-overzaps|gmem.c|		r = kvm_zap_gfn_range(kvm, gstart, gend);|		r = kvm_zap_gfn_range(kvm, gstart & ~511ULL, (gend + 511) & ~511ULL);"
"bmc-gmem|conversion-skips-invalidation|gmem.c|		r = kvm_gmem_invalidate_begin(gmem->kvm, gstart, gend,\n					      !to_private, &v);@@	if (bound)\n		kvm_gmem_invalidate_end(gmem->kvm);\n	goto out;|		r = 0;@@	goto out;"
"bmc-gmem|fault-ignores-the-attribute|gmem.c|	if (!private)\n		return -EFAULT;\n	return kvm_tdp_map_page_seq|	return kvm_tdp_map_page_seq"
"bmc-gmem|no-safety-check|gmem.c|		if (!kvm_gmem_is_safe_for_conversion(gmem, start, nr_pages,|		if (0 && !kvm_gmem_is_safe_for_conversion(gmem, start, nr_pages,"
"bmc-gmem|attributes-stored-after-a-failed-zap|gmem.c|			*err_index = start;\n			goto free;\n		}\n	}\n	/* Point of no return. */|			*err_index = start;\n		}\n	}\n	/* Point of no return. */"
"scenarios|conversion-without-hugepage-invalidation|gmem.c|	if (attrs)	/* an attribute change, not a hole */\n		kvm_invalidate_hugepages(kvm, attrs, gstart, gend);|	(void)kvm_invalidate_hugepages;"
"mc|conversion-without-hugepage-invalidation|gmem.c|	if (attrs)	/* an attribute change, not a hole */\n		kvm_invalidate_hugepages(kvm, attrs, gstart, gend);|	(void)kvm_invalidate_hugepages;"
"mc|fault-without-stale-check|mmu.c|	if (mmu_seq && mmu_invalidate_retry_gfn(kvm, *mmu_seq, gfn)) {|	if (0 && mmu_seq && mmu_invalidate_retry_gfn(kvm, *mmu_seq, gfn)) {"
"mc|sequence-read-after-the-attribute|gmem.c|	mmu_seq = READ_ONCE(vcpu->kvm->mmu_invalidate_seq);\n	smp_rmb();\n	mutex_lock(&gmem->invalidate_lock);\n	private = kvm_attr_map_range_has(&gmem->attributes, index, index + n,\n					 KVM_MEMORY_ATTRIBUTE_PRIVATE);\n	mutex_unlock(&gmem->invalidate_lock);|	mutex_lock(&gmem->invalidate_lock);\n	private = kvm_attr_map_range_has(&gmem->attributes, index, index + n,\n					 KVM_MEMORY_ATTRIBUTE_PRIVATE);\n	mutex_unlock(&gmem->invalidate_lock);\n	mmu_seq = READ_ONCE(vcpu->kvm->mmu_invalidate_seq);\n	smp_rmb();"
"mc|demote-outside-pamt-lock|pamt.c|	if (tdx_supports_dynamic_pamt())\n		spin_lock(&pamt_lock);\n}@@	lockdep_assert_held(&pamt_lock);@@	spin_unlock(&pamt_lock);\n}|}@@@@}"
)
# The fuzzer on a planted bug, from an empty corpus: it must crash
# within FUZZ_SELFTEST_SECONDS, and the minimized input, as a trace, must
# still show the violation.
fuzz_plant() {
	local d=$1 name=$2 c why
	mkdir -p "$d/corpus"	# empty: the fuzzer must find the sequence itself
	( cd "$d" && ./fuzz -max_total_time="${FUZZ_SELFTEST_SECONDS:-120}" -max_len=256 -print_final_stats=1 \
		-artifact_prefix=./ corpus ) > "$d/run.log" 2>&1
	c=$(ls "$d"/crash-* 2>/dev/null | head -1)
	if [ -z "$c" ]; then
		echo "selftest: fuzz $name NOT caught (see $d/run.log)"; return 1
	fi
	FUZZ_MINIMIZE_SECONDS=10 scripts/fuzz-crash.sh "$d/fuzz" "$d/fuzz-trace" "$c" > "$d/crash.log" 2>&1
	why=$(sed -n 's/.*violates \([^ :]*\):.*/\1/p' "$d/crash.log" | head -1)
	if [ -z "$why" ]; then
		echo "selftest: fuzz $name crashed but the minimized input shows no violation (see $d/crash.log)"
		return 1
	fi
	printf 'selftest: fuzz %-31s caught: %s after %s executions, minimized to %s steps\n' \
		"$name" "$why" "$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/run.log")" \
		"$(grep -c '^step' "$c.trace")"
	sed 's/^fuzz:/selftest:    /' "$d/crash.log"
}

# The binaries a mutant's check runs, built from its copy of impl/.
build_mutant() {	# dir checker
	local d=$1 checker=$2
	case $checker in
	fuzz)
		scripts/fuzz-build.sh fast "$d/fuzz" "$d/impl" &&
			scripts/fuzz-build.sh trace "$d/fuzz-trace" "$d/impl" ;;
	tsan|threads)	# real threads under ThreadSanitizer
		gcc -std=gnu11 -w -g -O1 -fsanitize=thread -I"$d/impl" -Iharness/user \
			-Imodel -Iharness/oracle -pthread -o "$d/tsan" tests/test_user_backend.c \
			tests/common.c tests/stub_external.c tests/fixture.c tests/trace_model.c \
			"$d"/impl/*.c model/*.c harness/user/env_user.c harness/x86_ops.c \
			-lcmocka ;;
	gmem)
		gcc -std=gnu11 -w -O2 -I"$d/impl" -Iharness/user -Imodel -pthread \
			-o "$d/gmem_bmc" harness/gmem/gmem_bmc.c "$d"/impl/*.c model/*.c \
			harness/user/env_user.c harness/x86_ops.c ;;
	scenarios)
		gcc -std=gnu11 -w -O2 -I"$d/impl" -Iharness/user -Imodel -Iharness/oracle \
			-pthread -o "$d/scenarios" tests/test_scenarios.c tests/scenarios.c \
			tests/sept_scenarios.c tests/pamt_scenarios.c tests/gmem_scenarios.c \
			tests/common.c tests/stub_external.c tests/fixture.c tests/trace_model.c \
			"$d"/impl/*.c model/*.c harness/user/env_user.c harness/x86_ops.c -lcmocka ;;
	mc)	# as make mc builds it: the copy instrumented for the race detector
		scripts/mc-build.sh "$d/mc" "$d/impl" ;;
	bmc|bmc-gmem)
		gcc -std=gnu11 -w -O2 -I"$d/impl" -Iharness/user -Imodel -Iharness/oracle \
			-pthread -o "$d/bmc" harness/bmc/bmc.c harness/oracle/oracle.c \
			"$d"/impl/*.c model/*.c harness/user/env_user.c harness/x86_ops.c ;;
	esac > "$d/cc.log" 2>&1
}

fail=0 n=0 tried=0
# Pass 1: plant each bug in its copy and build its checker, two builds at
# a time (the builds are most of the time; the checks then run one at a
# time, as before, so no check's timing changes).
J=${SELFTEST_JOBS:-$(nproc)}
todo=()
for m in "${mutants[@]}"; do
	if [ "$(awk -F'|' '{ print NF }' <<<"$m" | head -1)" -ne 5 ]; then
		echo "selftest: mutant '${m:0:40}...' is not checker|name|file|old|new (a '|' in the code?)"
		fail=1; continue
	fi
	IFS='|' read -r checker name file old new <<<"$m"
	[ -n "$only" ] && [ "$only" != "$checker" ] && continue
	tried=$((tried + 1))
	d=$out/$checker-$name	# a bug planted for two checkers: two copies
	rm -rf "$d"; mkdir -p "$d/impl"
	cp impl/*.c impl/*.h "$d/impl/"
	# several files: FILE1,FILE2 with their OLD and NEW parts split by ##
	IFS=',' read -r -a files <<<"$file"
	applied=1
	for k in "${!files[@]}"; do
		o=$(awk -v k="$k" 'BEGIN { RS = "##" } NR == k + 1' <<<"$old" | sed '${/^$/d}')
		w=$(awk -v k="$k" 'BEGIN { RS = "##" } NR == k + 1' <<<"$new" | sed '${/^$/d}')
		[ "${#files[@]}" -eq 1 ] && { o=$old; w=$new; }
		scripts/plant.py "$d/impl/${files[$k]}" "$o" "$w" || applied=
	done
	if [ -z "$applied" ]; then
		echo "selftest: $name did not apply"; fail=1; continue
	fi
	todo+=("$checker|$name")
	( build_mutant "$d" "$checker"; echo $? > "$d/build.rc" ) &
	while [ "$(jobs -rp | wc -l)" -ge "$J" ]; do wait -n; done
done
wait
# Pass 2: each check, in the order of the table.
for t in "${todo[@]}"; do
	IFS='|' read -r checker name <<<"$t"
	d=$out/$checker-$name	# a bug planted for two checkers: two copies
	if [ "$(cat "$d/build.rc" 2>/dev/null)" != 0 ]; then
		echo "selftest: $name does not build (see $d/cc.log)"; fail=1; continue
	fi
	if [ "$checker" = fuzz ]; then
		fuzz_plant "$d" "$name" && n=$((n + 1)) || fail=1
		continue
	fi
	if [ "$checker" = gmem ]; then
		timeout 600 "$d/gmem_bmc" > "$d/run.log" 2>&1
		rc=$?
		if [ $rc -eq 1 ] && grep -q 'VIOLATION' "$d/run.log"; then
			n=$((n + 1))
			printf 'selftest: gmem %-30s caught: %s\n' "$name" \
				"$(grep -m1 VIOLATION "$d/run.log" | sed 's/^gmem_bmc: VIOLATION //')"
			grep -m1 -A2 VIOLATION "$d/run.log" | tail -2 | sed 's/^gmem_bmc:/selftest:   /'
		else
			echo "selftest: gmem $name NOT caught (exit $rc; see $d/run.log)"; fail=1
		fi
		continue
	fi
	if [ "$checker" = scenarios ]; then
		"$d/scenarios" > "$d/run.log" 2>&1
		if grep -q '^\[  FAILED  \] GMEM_' "$d/run.log"; then
			n=$((n + 1))
			printf 'selftest: scenarios %-25s caught: %s (%s)\n' "$name" \
				"$(grep -m1 '^\[  FAILED  \] GMEM_' "$d/run.log" | sed 's/.*FAILED  \] //')" \
				"$(grep -m1 '^ERROR' "$d/run.log" | sed 's/^ERROR: //')"
		else
			echo "selftest: scenarios $name NOT caught (see $d/run.log)"; fail=1
		fi
		continue
	fi
	if [ "$checker" = tsan ] || [ "$checker" = threads ]; then
		TSAN_OPTIONS=halt_on_error=0 "$d/tsan" > "$d/run.log" 2>&1
		# threads: the real-thread tests' own assertions must fail
		if [ "$checker" = threads ]; then
			if grep -q '^\[  FAILED  \] test_' "$d/run.log"; then
				n=$((n + 1))
				printf 'selftest: threads %-27s caught: %s (%s)\n' "$name" \
					"$(grep -m1 '^\[  FAILED  \] test_' "$d/run.log" | sed 's/.*FAILED  \] //')" \
					"$(grep -m1 '^\[  ERROR   \]' "$d/run.log" | sed 's/.*ERROR   \] --- //')"
			else
				echo "selftest: threads $name NOT caught (see $d/run.log)"; fail=1
			fi
			continue
		fi
		if grep -q 'WARNING: ThreadSanitizer: data race' "$d/run.log"; then
			n=$((n + 1))
			printf 'selftest: tsan %-30s caught: %s data race report(s), first in %s\n' \
				"$name" "$(grep -c 'WARNING: ThreadSanitizer: data race' "$d/run.log")" \
				"$(grep -m1 -A2 'WARNING: ThreadSanitizer' "$d/run.log" | sed -n 's/.*#0 \([^ ]*\) .*/\1/p' | head -1)"
		else
			echo "selftest: tsan $name NOT caught (see $d/run.log)"; fail=1
		fi
		continue
	fi
	if [ "$checker" = bmc ] || [ "$checker" = bmc-gmem ]; then
		ops=$OPS; [ "$checker" = bmc-gmem ] && ops=$GOPS
		"$d/bmc" --depth "$DEPTH" --faults classes -j 2 --ops "$ops" \
			--trace-out "$d/violation.trace" > "$d/run.log" 2>&1
	else
		timeout 600 "$d/mc" --preemptions 2 --first > "$d/run.log" 2>&1
	fi
	rc=$?
	if [ $rc -eq 1 ] && grep -q 'VIOLATION' "$d/run.log"; then
		n=$((n + 1))
		if [ "$checker" != mc ]; then
			inv=$(sed -n 's/^bmc: VIOLATION \(of \)*\([^ ]*\) *at depth \([0-9]*\).*/\2 at depth \3/p' "$d/run.log")
			printf 'selftest: %-3s %-31s caught: %s\n' "$checker" "$name" "$inv"
			sed -n '/VIOLATION/,/written to/p' "$d/run.log" | grep -v 'written to' |
				sed 's/^bmc:/selftest:    /'
		else
			inv=$(sed -n 's/^mc: \([^ ]*\) *VIOLATION of \([^ ]*\) after \([0-9]*\) schedules.*/\2 in \1 after \3 schedules/p' "$d/run.log" | head -1)
			printf 'selftest: mc  %-31s caught: %s\n' "$name" "$inv"
			sed -n '/VIOLATION/,/rerun/p' "$d/run.log" | head -8 | sed 's/^mc:/selftest:    /'
		fi
	else
		echo "selftest: $checker $name NOT caught (exit $rc; see $d/run.log)"; fail=1
	fi
done
if [ "$tried" -eq 0 ]; then
	echo "selftest: no planted bug was tried" >&2
	exit 2
fi
echo "selftest: $n/$tried planted bugs caught by harness/bmc, harness/mc, harness/fuzz, harness/gmem, TSan, the real-thread tests and the scenarios"
exit $fail
