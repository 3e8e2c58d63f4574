/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Executable model of one SPTE slot with a freeze owner, and the C checkers
 * of INV-01..INV-07 (SPEC.md part C).  Harnesses feed it the stores the
 * implementation made (the env seam's memory trace); it judges each one.
 */
#ifndef TDXMM_SPTE_MODEL_H
#define TDXMM_SPTE_MODEL_H

#include "model_types.h"
#include "spec.h"

enum spte_lock { SPTE_LOCK_NONE, SPTE_LOCK_READ, SPTE_LOCK_WRITE };

enum spte_access {
	SPTE_STORE,		/* plain store of 'new' */
	SPTE_CMPXCHG_OK,	/* 'old' was there, 'new' now */
	SPTE_CMPXCHG_FAIL,	/* expected something else, observed 'old' */
	SPTE_XCHG,		/* 'old' was there, 'new' now */
};

/* One access to the slot, as the implementation made it. */
struct spte_event {
	int tid;
	enum spte_access kind;
	u64 old;
	u64 new;
	enum spte_lock lock;	/* how the actor held mmu_lock */
};

struct spte_slot {
	u64 val;
	int owner;		/* thread holding the freeze, or -1 */
	int violated;		/* first INV number broken, 0 if none */
	const char *why;
};

void spte_slot_init(struct spte_slot *s, u64 val);
/* Apply one access; returns false (and records why) on a violation. */
bool spte_slot_apply(struct spte_slot *s, const struct spte_event *ev);

/* INV-01: the frozen value, and every value make_*_spte() produced. */
bool inv_01_frozen_spte(u64 frozen, const u64 *made, int nr_made);
/* INV-02: frozen <=> exactly one owner. */
bool inv_02_freeze_owner(const struct spte_slot *s);
/* INV-03: at a quiescent point a reachable SPTE is not frozen. */
bool inv_03_unfrozen_at_rest(const struct spte_slot *s, bool reachable);
/* INV-04: a plain store needs mmu_lock for write and no FROZEN value. */
bool inv_04_plain_store(u64 old, u64 new, enum spte_lock lock);
/* INV-05: after a failed atomic attempt, snapshot == observed value. */
bool inv_05_refreshed(u64 snapshot, u64 observed);
/* INV-06: no present leaf replaced in place by one with another PFN. */
bool inv_06_no_retarget(u64 old, u64 new, int level);
/* INV-07: no non-leaf -> leaf (promotion) on a mirror. */
bool inv_07_no_promotion(u64 old, u64 new, int level, bool mirror);

/* The spec's predicates (SPEC A1), stated again from spec.h alone. */
static inline bool model_present(u64 s)
{
	return s & SPEC_SPTE_MMU_PRESENT_MASK;
}
static inline bool model_leaf(u64 s, int level)
{
	return model_present(s) &&
	       (level == SPEC_PG_LEVEL_4K || (s & SPEC_PT_PAGE_SIZE_MASK));
}
static inline u64 model_pfn(u64 s)
{
	return (s & SPEC_SPTE_BASE_ADDR_MASK) >> 12;
}

#endif
