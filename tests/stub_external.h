/* SPDX-License-Identifier: GPL-2.0 */
/* A set_external_spte() hook that records every call and fails on demand:
 * the SPTE-level scenarios test the TDP MMU against it, not the TDX side. */
#ifndef TDXMM_STUB_EXTERNAL_H
#define TDXMM_STUB_EXTERNAL_H

#include "env.h"
#include "kvm.h"

#define STUB_MAX_CALLS 64

struct stub_call {
	gfn_t gfn;
	u64 old_spte, new_spte;
	int level;
	u64 watched;		/* *watch at the time of the call */
};

struct stub_external {
	int nr_calls;
	struct stub_call calls[STUB_MAX_CALLS];
	int fail_ret;		/* returned by the failing call */
	int fail_nth;		/* 1-based call to fail; 0 = none; -1 = all */
	u64 *watch;		/* an SPTE to sample during the call */
};

extern struct stub_external stub_ext;
/* Also makes the stub the set_external_spte hook (kvm_x86_ops). */
void stub_external_reset(void);
int stub_set_external_spte(struct kvm *kvm, gfn_t gfn, u64 old_spte,
			   u64 new_spte, int level);

#endif
