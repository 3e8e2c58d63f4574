/*
 * The SPTE freeze protocol (SPEC B2, B6; INV-02, INV-03, INV-05, INV-10/12),
 * exhaustively, for three vCPU faults installing the same mirror SPTE and a
 * handle_removed_pt() zapping the table that holds it; every hook call may
 * fail.
 *
 * Expect: pass
 * Mutant PRE_P02 violates "old==seen" (INV-05): a failed freeze does not refresh the snapshot
 * Mutant NO_FREEZE violates "owner==255" (INV-02): the installer stores without freezing first
 * Mutant ZAP_NO_SPIN violates "spte==1" (INV-02, INV-03): the zapper claims a FROZEN it does
 *   not own, so the installer stores a live leaf into the dead table
 * (scripts/spin.sh builds each mutant with -D<name> and requires exactly that assertion to fail.)
 */

#define NP	0	/* SHADOW_NONPRESENT_VALUE */
#define FROZEN	1	/* FROZEN_SPTE */
#define NOBODY	255

byte spte = NP;		/* the mirror SPTE */
byte owner = NOBODY;	/* who holds the freeze */
byte sept = NP;		/* the S-EPT entry the module holds */
byte done = 0;

/* A fault installing leaf value @val (B2 mirror path, then B7 retry). */
proctype installer(byte me; byte val)
{
	byte old = NP;		/* iter->old_spte */
	byte seen;
	bool ok, hook_ok;

retry:
	/* The fault path: FROZEN -> RET_PF_RETRY; present -> nothing to do. */
	if
	:: old == FROZEN -> old = spte; goto retry_or_quit
	:: old != NP && old != FROZEN -> goto out
	:: else -> skip
	fi;
#ifdef NO_FREEZE
	/* Bug: propagate, then store, with no freeze in between. */
	sept = val;
	assert(owner == NOBODY);		/* INV-02: nobody's freeze overwritten */
	spte = val;
	goto out;
#endif
	/* try_cmpxchg64(sptep, &iter->old_spte, FROZEN_SPTE) */
	atomic {
		seen = spte;
		if
		:: spte == old -> spte = FROZEN; owner = me; ok = true
		:: else -> ok = false;
#ifndef PRE_P02
			   old = seen	/* P02: the snapshot is refreshed */
#endif
		fi
	}
	if
	:: !ok ->
		assert(old == seen);		/* INV-05 */
		goto retry_or_quit
	:: else -> skip
	fi;
	/* set_external_spte(): may fail (BUSY, ...); failure-atomic. */
	if
	:: sept = val; hook_ok = true
	:: hook_ok = false
	fi;
	assert(spte == FROZEN && owner == me);	/* INV-02 */
	atomic {
		if
		:: hook_ok -> spte = val
		:: else -> spte = old		/* INV-12: restore */
		fi;
		owner = NOBODY
	}
	goto out;
retry_or_quit:
	/* A lost race re-faults; bound the retries so the model is finite. */
	if
	:: goto retry
	:: goto out
	fi;
out:
	done++
}

/* handle_removed_pt(), shared: freeze the child, then remove its effect. */
proctype zapper()
{
	byte prior;

	do
	:: atomic { prior = spte; spte = FROZEN;
		    if :: prior != FROZEN -> owner = 100 :: else -> skip fi }
		if
#ifndef ZAP_NO_SPIN
		:: prior == FROZEN -> skip	/* another owner: spin */
		:: prior != FROZEN -> break
#else
		:: true -> break		/* bug: claims a FROZEN it does not own */
#endif
		fi
	od;
	/* The child's external effect: a present leaf leaves the S-EPT. */
	if
	:: prior != NP && prior != FROZEN -> sept = NP
	:: else -> skip
	fi;
	done++
}

init {
	atomic {
		run installer(1, 2);
		run installer(2, 3);
		run installer(3, 4);
		run zapper()
	}
	(done == 4);
	/* The table is dead and frozen; nothing may be left in the S-EPT. */
	assert(spte == FROZEN);
	assert(sept == NP)			/* INV-10 / INV-12 */
}
