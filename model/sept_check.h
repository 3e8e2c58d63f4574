/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INV-10..INV-19 as executable checkers over (the mirror of a struct kvm,
 * the TDX-module simulator).  They walk the whole mirror and every S-EPT
 * entry the module holds for the TD and compare.  Plain C, no libc: the
 * kernel backend links this file too.
 */
#ifndef TDXMM_MODEL_SEPT_CHECK_H
#define TDXMM_MODEL_SEPT_CHECK_H

#include "kvm.h"

struct sept_violation {
	const char *inv;	/* "INV-10", ... */
	const char *what;
	u64 gfn;
	int level;
	u64 mirror_spte;	/* the mirror's SPTE there (0 if none) */
	int sept_state;		/* the module's entry there */
};

/*
 * At a quiescent point (no thread inside an MMU operation): 0 if INV-10,
 * INV-11, INV-17 and INV-19 hold; else -1 with *@v describing the first
 * violation.  A bugged VM is exempt from INV-10/11 (the VM is dead and
 * mirror and S-EPT may disagree), not from the others.
 */
int check_mirror_sept(const struct kvm *kvm, struct sept_violation *v);

#endif
