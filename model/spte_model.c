// SPDX-License-Identifier: GPL-2.0
/*
 * A SPTE slot with an owner: the sequential meaning of the freeze protocol.
 * Read top to bottom: state, one transition per access, the invariants.
 */
#include "spte_model.h"

#define FROZEN SPEC_FROZEN_SPTE

void spte_slot_init(struct spte_slot *s, u64 val)
{
	s->val = val;
	s->owner = -1;
	s->violated = 0;
	s->why = 0;
}

static bool violate(struct spte_slot *s, int inv, const char *why)
{
	if (!s->violated) {
		s->violated = inv;
		s->why = why;
	}
	return false;
}

bool spte_slot_apply(struct spte_slot *s, const struct spte_event *ev)
{
	bool owner = s->val == FROZEN && s->owner == ev->tid;

	switch (ev->kind) {
	case SPTE_CMPXCHG_FAIL:
		/* The failed attempt saw the slot as it is. */
		if (ev->old != s->val)
			return violate(s, 5, "failed cmpxchg observed a value the slot never had");
		if (ev->lock == SPTE_LOCK_NONE)
			return violate(s, 5, "atomic access without mmu_lock");
		return true;
	case SPTE_CMPXCHG_OK:
	case SPTE_XCHG:
		if (ev->old != s->val)
			return violate(s, 2, "atomic access replaced a value the slot did not hold");
		if (ev->lock == SPTE_LOCK_NONE)
			return violate(s, 5, "atomic access without mmu_lock");
		if (s->val == FROZEN && ev->new == FROZEN)
			return true;	/* handle_removed_pt spinning: no-op */
		if (s->val == FROZEN && !owner)
			return violate(s, 2, "a non-owner overwrote a frozen SPTE");
		s->val = ev->new;
		s->owner = ev->new == FROZEN ? ev->tid : -1;
		return true;
	case SPTE_STORE:
		if (s->val == FROZEN) {
			if (!owner)
				return violate(s, 2, "a non-owner stored to a frozen SPTE");
			if (ev->new == FROZEN)
				return violate(s, 4, "plain store of FROZEN_SPTE");
			s->val = ev->new;	/* the owner unfreezes */
			s->owner = -1;
			return true;
		}
		if (!inv_04_plain_store(s->val, ev->new, ev->lock))
			return violate(s, 4, "plain store without mmu_lock for write, or of FROZEN_SPTE");
		s->val = ev->new;
		return true;
	}
	return violate(s, 2, "unknown access");
}

bool inv_01_frozen_spte(u64 frozen, const u64 *made, int nr_made)
{
	if (frozen & (SPEC_SPTE_MMU_PRESENT_MASK | SPEC_VMX_EPT_RWX_MASK |
		      SPEC_SPTE_BASE_ADDR_MASK))
		return false;
	if (frozen == SPEC_SHADOW_NONPRESENT_VALUE)
		return false;
	for (int i = 0; i < nr_made; i++)
		if (made[i] == frozen)
			return false;
	return true;
}

bool inv_02_freeze_owner(const struct spte_slot *s)
{
	return (s->val == FROZEN) == (s->owner >= 0) && s->violated != 2;
}

bool inv_03_unfrozen_at_rest(const struct spte_slot *s, bool reachable)
{
	return !reachable || s->val != FROZEN;
}

bool inv_04_plain_store(u64 old, u64 new, enum spte_lock lock)
{
	return lock == SPTE_LOCK_WRITE && old != FROZEN && new != FROZEN;
}

bool inv_05_refreshed(u64 snapshot, u64 observed)
{
	return snapshot == observed;
}

bool inv_06_no_retarget(u64 old, u64 new, int level)
{
	return !(model_leaf(old, level) && model_leaf(new, level) &&
		 model_pfn(old) != model_pfn(new));
}

bool inv_07_no_promotion(u64 old, u64 new, int level, bool mirror)
{
	return !(mirror && model_present(old) && !model_leaf(old, level) &&
		 model_leaf(new, level));
}
