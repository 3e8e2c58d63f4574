/* SPDX-License-Identifier: GPL-2.0 */
/*
 * harness/mc/race.h: the happens-before data-race detector that watches
 * every access impl/ makes while harness/mc schedules its threads.
 */
#ifndef TDXMM_MC_RACE_H
#define TDXMM_MC_RACE_H

#include <stdbool.h>
#include <stddef.h>

#define RACE_MAXT 4

/* The thread the scheduler lets run (-1: none of the checked ones). */
extern int race_tid;

/* One execution: @n threads, fresh clocks and shadow memory. */
void race_begin(int n);
void race_end(void);

/* Synchronisation, from the env seam's sync hook. */
void race_acquire(const void *lock, bool shared);
void race_release(const void *lock, bool shared);
void race_rcu_unlock(void);
void race_rcu_sync(void);
void race_alloc(const void *p, unsigned long size);
void race_free(const void *p, unsigned long size);

/* The first race of this execution, or NULL. */
const char *race_found(void);
/* Print both accesses with their stacks (symbolised), each line prefixed. */
void race_print(const char *prefix);

/* Counters of the whole run, for the figures. */
struct race_stats {
	unsigned long long accesses, atomics, syncs, races;
	int max_pages, max_syncs;	/* the most one execution needed */
};
extern struct race_stats race_stats;

#endif
