// SPDX-License-Identifier: GPL-2.0
#include "external.h"
#include "stub_external.h"

struct stub_external stub_ext;

/* No libc: the kernel backend links this file too. */
void stub_external_reset(void)
{
	static const struct stub_external zero;

	stub_ext = zero;
	kvm_x86_ops.set_external_spte = stub_set_external_spte;
}

int stub_set_external_spte(struct kvm *kvm, gfn_t gfn, u64 old_spte,
			   u64 new_spte, int level)
{
	int n = stub_ext.nr_calls++;

	(void)kvm;
	if (n < STUB_MAX_CALLS)
		stub_ext.calls[n] = (struct stub_call){
			.gfn = gfn, .old_spte = old_spte, .new_spte = new_spte,
			.level = level,
			.watched = stub_ext.watch ? READ_ONCE(*stub_ext.watch) : 0,
		};
	if (stub_ext.fail_nth == -1 || stub_ext.fail_nth == n + 1)
		return stub_ext.fail_ret;
	return 0;
}
