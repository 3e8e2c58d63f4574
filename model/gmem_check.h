/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GMEM-01..17 (docs/SPEC.md part G) as C checkers over snapshots of a
 * guest_memfd taken before and after one call: the attribute of every
 * page, the map's ranges, the page cache's folios and the call's
 * counters.  Each returns true if the invariant holds, counts one
 * evaluation (tdxmm_gmem_evidence) and, if not, points @why at what broke.
 */
#ifndef TDXMM_MODEL_GMEM_CHECK_H
#define TDXMM_MODEL_GMEM_CHECK_H

#include "env.h"
#include "kvm.h"
#include "gmem.h"
#include "gmem_host.h"

#define GMEM_SNAP_PAGES	64

struct gmem_snap {
	u64 npages;
	u64 attr[GMEM_SNAP_PAGES];	/* per page, from the map */
	u32 nr;				/* the map's ranges */
	u64 start[GMEM_SNAP_PAGES + 2], attrs[GMEM_SNAP_PAGES + 2];
	struct gmem_folio folios[GMEM_HOST_MAX_FOLIOS];
	unsigned long invalidations, drains, safety_checks, unmaps;
	u64 mmu_invalidate_seq;
	long mmu_invalidate_in_progress;
};

void gmem_snap(struct gmem_snap *s, struct kvm_gmem *gmem);
/* The same for a VM's attribute array (its first GMEM_SNAP_PAGES gfns). */
void gmem_snap_vm(struct gmem_snap *s, struct kvm *kvm);

/* The map alone (any snapshot, or the live map). */
bool gmem_01_coverage(const struct kvm_attr_map *m, const char **why);
bool gmem_02_canonical(const struct kvm_attr_map *m, const char **why);
bool gmem_03_domain(const struct kvm_attr_map *m, const char **why);
bool gmem_04_initial(const struct gmem_snap *s, u64 flags, const char **why);

/* One KVM_SET_MEMORY_ATTRIBUTES2 call: its request and what it did. */
struct gmem_call {
	u64 offset, size, attributes, flags;
	bool validation_ok;		/* what GMEM §4b.3b allows */
	long ret;
	u64 error_offset;		/* as written back */
	bool written_back;
};

/*
 * What GMEM §4b.3b allows (written from the spec, not from impl/'s
 * kvm_gmem_check_attributes2): the checkers' expectation for GMEM-14.
 */
bool gmem_request_valid(const struct kvm_memory_attributes2 *a, u64 i_size,
			bool has_private);

bool gmem_05_all_or_nothing(const struct gmem_snap *a, const struct gmem_snap *b,
			    const struct gmem_call *c, const char **why);
bool gmem_06_post_frame(const struct gmem_snap *a, const struct gmem_snap *b,
			const struct gmem_call *c, const char **why);
bool gmem_07_idempotent(const struct gmem_snap *a, const struct gmem_snap *b,
			const struct gmem_call *c, const char **why);
bool gmem_08_safety(const struct gmem_snap *a, const struct gmem_snap *b,
		    const struct gmem_call *c, const char **why);
bool gmem_09_one_drain(const struct gmem_snap *a, const struct gmem_snap *b,
		       const struct gmem_call *c, const char **why);
bool gmem_10_error_offset(const struct gmem_snap *a, const struct gmem_call *c,
			  const char **why);
bool gmem_11_to_shared_no_eagain(const struct gmem_call *c, const char **why);
bool gmem_13_no_host_mapping(struct kvm_gmem *gmem, const struct gmem_snap *b,
			     const struct gmem_call *c, const char **why);
bool gmem_14_validation(const struct gmem_snap *a, const struct gmem_snap *b,
			const struct gmem_call *c, const char **why);
bool gmem_15_refs_dropped(const struct gmem_snap *a, const struct gmem_snap *b,
			  const struct gmem_call *c, const char **why);

/* GMEM-12: the mode decides which ioctl works; it never changes. */
bool gmem_12_mode(struct kvm *kvm, struct kvm_gmem *gmem, const char **why);
/* GMEM-16: populate_check succeeds only where every page is private. */
bool gmem_16_populate(struct kvm_gmem *gmem, u64 index, u64 npages, int ret,
		      const char **why);
/*
 * GMEM-18 (tdxmm: §4b.3f joined to the mirror, SPEC 0.4.5), at a quiescent
 * point: no leaf of @kvm's mirror maps a page of @gmem's binding whose
 * attribute is shared (the S-EPT equals the mirror: INV-10), and no MMU
 * invalidation window is open.
 */
bool gmem_18_no_private_leaf_of_shared(struct kvm *kvm, struct kvm_gmem *gmem,
				       const char **why);

/* GMEM-17: a VM ioctl that failed left the VM's array as it was. */
bool gmem_17_vm_unchanged(const struct gmem_snap *a, const struct gmem_snap *b,
			  long ret, const char **why);

/* All the per-call checks above, in order; false at the first violation. */
bool gmem_check_call(struct kvm_gmem *gmem, const struct gmem_snap *a,
		     const struct gmem_snap *b, const struct gmem_call *c,
		     const char **why);


#endif
