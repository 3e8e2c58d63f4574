// SPDX-License-Identifier: GPL-2.0
/*
 * User backend of the env seam: lock ownership tracking (lockdep), RCU
 * read-side depth, WARN/BUG accounting and the memory-access trace hook.
 */
#include <stdio.h>
#include <stdlib.h>

#include "env_user.h"

#define MAX_HELD 16

struct held_lock {
	const struct tdxmm_lockdep_map *map;
	enum tdxmm_held how;
};

static __thread struct held_lock held[MAX_HELD];
static __thread int nr_held;
static __thread int rcu_depth;

struct tdxmm_env_stats tdxmm_env_stats;
tdxmm_mem_trace_fn tdxmm_mem_trace;
void (*tdxmm_lockdep_fail_hook)(const char *msg);
void (*tdxmm_bug_hook)(const char *file, int line);
bool tdxmm_warn_quiet;

void tdxmm_env_reset_stats(void)
{
	tdxmm_env_stats = (struct tdxmm_env_stats){ 0 };
}

void tdxmm_lockdep_reset_thread(void)
{
	nr_held = 0;
	rcu_depth = 0;
}

void tdxmm_lockdep_fail(const char *file, int line, const char *what,
			const char *lock)
{
	char msg[256];

	__atomic_fetch_add(&tdxmm_env_stats.lockdep_failures, 1,
			   __ATOMIC_RELAXED);
	snprintf(msg, sizeof(msg), "%s:%d: lockdep: %s not %s", file, line,
		 lock ? lock : "lock", what);
	if (tdxmm_lockdep_fail_hook) {
		tdxmm_lockdep_fail_hook(msg);
		return;
	}
	fprintf(stderr, "%s\n", msg);
	abort();
}

void tdxmm_lock_acquired(struct tdxmm_lockdep_map *map, enum tdxmm_held how)
{
	if (tdxmm_lock_held(map) != TDXMM_HELD_NONE)
		tdxmm_lockdep_fail(__FILE__, __LINE__,
				   "acquired recursively (deadlock), so",
				   map->name);
	if (nr_held == MAX_HELD) {
		fprintf(stderr, "lockdep: more than %d locks held\n", MAX_HELD);
		abort();
	}
	held[nr_held++] = (struct held_lock){ map, how };
}

void tdxmm_lock_released(struct tdxmm_lockdep_map *map)
{
	for (int i = nr_held - 1; i >= 0; i--) {
		if (held[i].map == map) {
			held[i] = held[--nr_held];
			return;
		}
	}
	tdxmm_lockdep_fail(__FILE__, __LINE__, "held at unlock (bad unlock balance), so",
			   map->name);
}

enum tdxmm_held tdxmm_lock_held(const struct tdxmm_lockdep_map *map)
{
	for (int i = 0; i < nr_held; i++)
		if (held[i].map == map)
			return held[i].how;
	return TDXMM_HELD_NONE;
}

void spin_lock_init(spinlock_t *l)
{
	pthread_mutex_init(&l->m, NULL);
	if (!l->dep_map.name)
		l->dep_map.name = "spinlock";
}

void spin_lock(spinlock_t *l)
{
	pthread_mutex_lock(&l->m);
	tdxmm_lock_acquired(&l->dep_map, TDXMM_HELD_WRITE);
}

void spin_unlock(spinlock_t *l)
{
	tdxmm_lock_released(&l->dep_map);
	pthread_mutex_unlock(&l->m);
}

void rwlock_init(rwlock_t *l)
{
	pthread_rwlock_init(&l->rw, NULL);
	if (!l->dep_map.name)
		l->dep_map.name = "rwlock";
}

void read_lock(rwlock_t *l)
{
	pthread_rwlock_rdlock(&l->rw);
	tdxmm_lock_acquired(&l->dep_map, TDXMM_HELD_READ);
}

void read_unlock(rwlock_t *l)
{
	tdxmm_lock_released(&l->dep_map);
	pthread_rwlock_unlock(&l->rw);
}

void write_lock(rwlock_t *l)
{
	pthread_rwlock_wrlock(&l->rw);
	tdxmm_lock_acquired(&l->dep_map, TDXMM_HELD_WRITE);
}

void write_unlock(rwlock_t *l)
{
	tdxmm_lock_released(&l->dep_map);
	pthread_rwlock_unlock(&l->rw);
}

bool atomic_dec_and_lock(atomic_t *v, spinlock_t *lock)
{
	/* Lockless unless this decrement would reach zero. */
	if (atomic_add_unless(v, -1, 1))
		return false;
	spin_lock(lock);
	if (atomic_dec_and_test(v))
		return true;
	spin_unlock(lock);
	return false;
}

void rcu_read_lock(void)
{
	rcu_depth++;
}

void rcu_read_unlock(void)
{
	if (rcu_depth == 0)
		tdxmm_lockdep_fail(__FILE__, __LINE__, "held at unlock, so",
				   "rcu_read_lock");
	else
		rcu_depth--;
}

bool rcu_read_lock_held(void)
{
	return rcu_depth > 0;
}

void tdxmm_warn(const char *file, int line, const char *cond, bool first)
{
	__atomic_fetch_add(&tdxmm_env_stats.warns, 1, __ATOMIC_RELAXED);
	if (first && !tdxmm_warn_quiet)
		fprintf(stderr, "WARNING: %s:%d: %s\n", file, line, cond);
}

_Noreturn void tdxmm_bug(const char *file, int line)
{
	__atomic_fetch_add(&tdxmm_env_stats.bugs, 1, __ATOMIC_RELAXED);
	if (tdxmm_bug_hook)
		tdxmm_bug_hook(file, line);
	fprintf(stderr, "kernel BUG at %s:%d!\n", file, line);
	abort();
}
