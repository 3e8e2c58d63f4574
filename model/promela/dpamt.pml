/*
 * Dynamic PAMT get/put (SPEC B11, v6 design; INV-30..INV-33, R4, R5, R7),
 * exhaustively: three threads each get a 4K page of one region, hand it to
 * the module, take it back and put it, twice; a fourth thread DEMOTEs
 * another region under pamt_lock.  The module: PAMT.ADD fails with
 * HPA_RANGE_NOT_FREE while the pair is installed, PAMT.REMOVE with
 * NO_PAMT_PAGE_PAIR without one and with PAMT_PAGE_NOT_EMPTY while a page
 * is in use; a PAMT.ADD while a DEMOTE is in flight is BUSY (R7).
 *
 * Expect: pass
 * Mutant P17 violates "installed==1" (INV-31): the older put (1->0 outside the lock, REMOVE if
 *   still 0 under it) with the get that takes HPA_RANGE_NOT_FREE as success: a second put's
 *   REMOVE finds no pair, warns and sets rc := 1 without one
 * Mutant P16 violates "raced==0" (INV-36): the first design (1->0 outside the lock, REMOVE
 *   without a recheck, HPA_RANGE_NOT_FREE an error): a get that only lost a race fails
 * Mutant DEMOTE_NO_LOCK violates "demoting==0" (INV-33, R7): DEMOTE outside pamt_lock
 *   meets a PAMT.ADD of the other region
 * (scripts/spin.sh builds each mutant with -D<name> and requires exactly that assertion to fail.)
 */

#define ROUNDS	2

byte rc = 0;		/* the region's refcount */
bool installed = false;	/* the module: the region's pair is installed */
byte in_use = 0;	/* 4K pages of the region the module holds */
bool lock = false;	/* pamt_lock */
byte adds = 0;		/* PAMT.ADD/REMOVE in flight (INV-33) */
bool demoting = false;	/* DEMOTE in flight (R7) */
byte done = 0;

inline spin_lock()   { atomic { !lock -> lock = true } }
inline spin_unlock() { lock = false }

/* PAMT.ADD: err 0 = success, 1 = HPA_RANGE_NOT_FREE */
inline pamt_add(err) {
	adds++;
	assert(adds == 1);			/* INV-33 */
	assert(demoting == 0);		/* R7: the module would say BUSY */
	atomic {
		if
		:: installed -> err = 1
		:: else -> installed = true; err = 0
		fi
	}
	adds--
}

/* PAMT.REMOVE: err 0 = success, 1 = NO_PAMT_PAGE_PAIR, 2 = PAGE_NOT_EMPTY */
inline pamt_remove(err) {
	adds++;
	assert(adds == 1);			/* INV-33 */
	assert(in_use == 0);			/* INV-34: no REMOVE under a user */
	atomic {
		if
		:: !installed -> err = 1
		:: installed && in_use > 0 -> err = 2
		:: else -> installed = false; err = 0
		fi
	}
	adds--
}

proctype user()
{
	byte r = 0, err;
	bool ok, raced;

	do
	:: r == ROUNDS -> break
	:: else ->
		/* ---- tdx_pamt_get ---- */
		raced = false;
		atomic {	/* atomic_inc_not_zero */
			if
			:: rc > 0 -> rc++; ok = true
			:: else -> ok = false
			fi
		}
		if
		:: !ok ->
			spin_lock();
#ifdef P16
			pamt_add(err);
			if
			:: err == 0 -> rc++
			:: else -> raced = true	/* -EIO: the pair was there */
			fi;
#else
			if
			:: rc > 0 -> rc++	/* installed meanwhile: not an error */
			:: else ->
				pamt_add(err);
				if
				:: err == 0 -> rc = 1
#ifdef P17
				:: err == 1 -> rc = 1	/* P17: HPA_RANGE_NOT_FREE is fine */
#else
				:: err == 1 -> raced = true
#endif
				fi
			fi;
#endif
			spin_unlock()
		:: else -> skip
		fi;
		assert(raced == 0);		/* INV-36: losing a race is no error */

		/* ---- the page is the module's (AUG ... REMOVE) ---- */
		assert(installed == 1);		/* INV-31 */
		in_use++;
		in_use--;

		/* ---- tdx_pamt_put ---- */
#if defined(P16) || defined(P17)
		atomic {	/* atomic_dec_and_test, outside the lock */
			rc--;
			ok = rc == 0
		}
		if
		:: ok ->
			spin_lock();
#ifdef P17
			if
			:: rc == 0 ->	/* still 0 under the lock */
#endif
				pamt_remove(err);
				if
				:: err != 0 -> rc = 1	/* warn, keep it, leak */
				:: else -> skip
				fi
#ifdef P17
			:: else -> skip
			fi
#endif
			; spin_unlock()
		:: else -> skip
		fi;
#else
		/* atomic_dec_and_lock: lockless unless this makes it 0 */
		atomic {
			if
			:: rc > 1 -> rc--; ok = false
			:: else -> ok = true
			fi
		}
		if
		:: ok ->
			spin_lock();
			rc--;
			if
			:: rc == 0 ->
				pamt_remove(err);
				if
				:: err != 0 -> rc = 1
				:: else -> skip
				fi
			:: else -> skip
			fi;
			spin_unlock()
		:: else -> skip
		fi;
#endif
		r++
	od;
	atomic { done++ }
}

/* DEMOTE of another region (R7): pamt_lock held across it (v6). */
proctype demoter()
{
#ifndef DEMOTE_NO_LOCK
	spin_lock();
#endif
	demoting = true;	/* the module shared-locks the pair pages' nodes */
	demoting = false;
#ifndef DEMOTE_NO_LOCK
	spin_unlock();
#endif
	atomic { done++ }
}

init {
	atomic {
		run user();
		run user();
		run user();
		run demoter()
	}
	(done == 4);
	/* quiescent: nothing in use, no reference, no stale pair (INV-30, INV-32) */
	assert(rc == 0 || (rc == 1 && installed));
	assert(!(installed && rc == 0));
}
