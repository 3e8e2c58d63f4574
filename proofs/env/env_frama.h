/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frama-C backend of the env seam (see impl/env.h): each primitive is a
 * sequential ACSL contract.  Interleavings are not WP's job (harness/mc,
 * Spin); this states what one atomic step does.
 *
 * Locks are modelled by what the *current* thread holds (0 none, 1 read,
 * 2 write), so lockdep assertions become preconditions the callers must
 * prove.  BUG() is a call whose precondition is \false: reaching it is a
 * proof failure (the verker pattern).
 */
#ifndef TDXMM_ENV_FRAMA_H
#define TDXMM_ENV_FRAMA_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int s32;
typedef long long s64;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)
typedef u64 gfn_t;
typedef u64 kvm_pfn_t;
typedef u64 gpa_t;

#define EINVAL	22
#define ENOMEM	12
#define EBUSY	16
#define EIO	5
#define EAGAIN	11
#define ENOENT	2
#define EEXIST	17

#define PAGE_SHIFT	12
#include "pg_level.h"	/* enum pg_level */
#define ENOSPC	28
#define EOPNOTSUPP	95
#define EFAULT	14
#define VM_FAULT_SIGBUS	0x0002	/* include/linux/mm_types.h */
#define ENOTTY	25

/* include/uapi/asm-generic/ioctl.h */
#define _IOC(dir, type, nr, size) \
	(((dir) << 30) | ((size) << 16) | ((type) << 8) | (nr))
#define _IOW(type, nr, T)	_IOC(1U, (type), (nr), sizeof(T))
#define _IOWR(type, nr, T)	_IOC(3U, (type), (nr), sizeof(T))

#define __rcu
#define __must_check
#define __always_inline inline
#define likely(x) (x)
#define unlikely(x) (x)
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)

#include "acsl/invariants.h"
#include "acsl/external.h"

#define READ_ONCE(x) (x)
#define smp_rmb() ((void)0)
#define smp_wmb() ((void)0)
#define WRITE_ONCE(x, val) ((x) = (val))
#define rcu_dereference(p) (p)

enum { LOCK_NONE = 0, LOCK_READ = 1, LOCK_WRITE = 2 };
typedef struct { int held; } rwlock_t;
typedef struct { int held; } spinlock_t;
struct mutex { int held; };
/* impl/pamt.c's lock and leak count: named by the hook contracts' frames. */
extern spinlock_t pamt_lock;
typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic64_t;
extern atomic64_t pamt_leaked_pairs;
#include "acsl/context.h"

/*@ requires \valid(ptr) && \valid(oldp) && \separated(ptr, oldp);
    assigns *ptr, *oldp;
    behavior success:
      assumes *ptr == *oldp;
      ensures *ptr == new && *oldp == \old(*oldp) && \result == 1;
    behavior failure:
      assumes *ptr != *oldp;
      ensures *ptr == \old(*ptr) && *oldp == \old(*ptr) && \result == 0;
    complete behaviors;
    disjoint behaviors;
*/
bool try_cmpxchg64(u64 *ptr, u64 *oldp, u64 new);

/*@ requires \valid(ptr);
    assigns *ptr;
    ensures *ptr == new && \result == \old(*ptr);
*/
u64 tdxmm_xchg64(u64 *ptr, u64 new);
#define xchg(ptr, new) tdxmm_xchg64((ptr), (new))

/*@ assigns \nothing; */
void cpu_relax(void);

/*@ requires \valid_read(v); assigns \nothing; ensures \result == v->counter; */
int atomic_read(const atomic_t *v);
/*
 * impl/'s only atomic_t are the PAMT refcounts, and the protocol changes
 * them outside pamt_lock only by inc_not_zero and dec_and_lock: a set, an
 * inc or a cmpxchg needs the lock (INV-33), so one moved outside it fails.
 */
/*@ requires \valid(v);
    requires INV_33: pamt_lock.held == LOCK_WRITE;
    assigns v->counter; ensures v->counter == i; */
void atomic_set(atomic_t *v, int i);
/*@ requires \valid(v) && v->counter < 2147483647;
    requires INV_33: pamt_lock.held == LOCK_WRITE;
    assigns v->counter; ensures v->counter == \old(v->counter) + 1; */
void atomic_inc(atomic_t *v);
/*@ requires \valid(v) && v->counter > -2147483647;
    assigns v->counter;
    ensures v->counter == \old(v->counter) - 1;
    ensures \result <==> v->counter == 0; */
bool atomic_dec_and_test(atomic_t *v);
/*@ requires \valid(v) && v->counter < 2147483647;
    assigns v->counter;
    behavior zero: assumes v->counter == 0;
      ensures v->counter == 0 && \result == 0;
    behavior nonzero: assumes v->counter != 0;
      ensures v->counter == \old(v->counter) + 1 && \result == 1;
    complete behaviors; disjoint behaviors; */
bool atomic_inc_not_zero(atomic_t *v);
/*@ requires \valid(v);
    requires INV_33: pamt_lock.held == LOCK_WRITE;
    assigns v->counter;
    ensures \result == \old(v->counter);
    ensures \old(v->counter) == old ==> v->counter == new;
    ensures \old(v->counter) != old ==> v->counter == \old(v->counter); */
int atomic_cmpxchg(atomic_t *v, int old, int new);
/*@ requires \valid(v); assigns v->counter; */
void atomic64_add(s64 i, atomic64_t *v);
/*@ requires \valid(v); assigns v->counter; ensures v->counter == i; */
void atomic64_set(atomic64_t *v, s64 i);
/*@ requires \valid_read(v); assigns \nothing; ensures \result == v->counter; */
s64 atomic64_read(const atomic64_t *v);

/*@ requires \valid(l) && l->held == LOCK_NONE;
    assigns l->held; ensures l->held == LOCK_WRITE; */
void spin_lock(spinlock_t *l);
/*@ requires \valid(l) && l->held == LOCK_WRITE;
    assigns l->held; ensures l->held == LOCK_NONE; */
void spin_unlock(spinlock_t *l);
/*@ requires \valid(l) && l->held == LOCK_NONE;
    assigns l->held; ensures l->held == LOCK_READ; */
void read_lock(rwlock_t *l);
/*@ requires \valid(l) && l->held == LOCK_READ;
    assigns l->held; ensures l->held == LOCK_NONE; */
void read_unlock(rwlock_t *l);
/*@ requires \valid(l) && l->held == LOCK_NONE;
    assigns l->held; ensures l->held == LOCK_WRITE; */
void write_lock(rwlock_t *l);
/*@ requires \valid(l) && l->held == LOCK_WRITE;
    assigns l->held; ensures l->held == LOCK_NONE; */
void write_unlock(rwlock_t *l);
/*@ requires \valid(v) && \valid(lock) && lock->held == LOCK_NONE;
    requires v->counter > -2147483647;
    assigns v->counter, lock->held;
    ensures v->counter == \old(v->counter) - 1;
    ensures \result <==> v->counter == 0;
    ensures \result ==> lock->held == LOCK_WRITE;
    ensures !\result ==> lock->held == LOCK_NONE; */
bool atomic_dec_and_lock(atomic_t *v, spinlock_t *lock);

#define lockdep_assert_held(l) tdxmm_assert_held((l)->held != LOCK_NONE)
#define lockdep_assert_held_read(l) tdxmm_assert_held((l)->held == LOCK_READ)
#define lockdep_assert_held_write(l) tdxmm_assert_held((l)->held == LOCK_WRITE)
/*@ requires held != 0; assigns \nothing; */
void tdxmm_assert_held(int held);

/*@ requires \valid(l); assigns l->held; ensures l->held == LOCK_NONE; */
void spin_lock_init(spinlock_t *l);
/*@ requires \valid(l); assigns l->held; ensures l->held == LOCK_NONE; */
void mutex_init(struct mutex *l);
/*@ requires INV_38: INV_38_may_sleep;
    requires \valid(l) && l->held == LOCK_NONE;
    assigns l->held; ensures l->held == LOCK_WRITE; */
void mutex_lock(struct mutex *l);
/*@ requires \valid(l) && l->held == LOCK_WRITE;
    assigns l->held; ensures l->held == LOCK_NONE; */
void mutex_unlock(struct mutex *l);

/* Request bits: only the VM_DEAD request, outside WP (proofs/wp-scope.txt). */
#define set_bit(nr, addr) (*(addr) |= 1UL << (nr))
#define test_bit(nr, addr) ((*(addr) >> (nr)) & 1)
#define clear_bit(nr, addr) (*(addr) &= ~(1UL << (nr)))
/*@ requires \valid(addr) && 0 <= nr < 64;
    assigns *addr; */
bool test_and_set_bit(long nr, unsigned long *addr);
/*@ requires \valid_read(l); assigns \nothing;
    ensures \result <==> l->held != LOCK_NONE; */
bool spin_is_locked(spinlock_t *l);

/*@ assigns \nothing; */
void rcu_read_lock(void);
/*@ assigns \nothing; */
void rcu_read_unlock(void);

/*
 * Sleeping: only outside every lock and RCU read section (R3).  INV-38
 * for pamt_lock, the one global lock, is a precondition of every primitive
 * that may sleep; mmu_lock and RCU are per-VM/per-thread and checked by
 * the user and kernel backends (might_sleep in their allocators).
 */
/*@ requires INV_38: INV_38_may_sleep;
    assigns \nothing; */
void might_sleep(void);
/*@ assigns \nothing; */
void synchronize_rcu(void);

/*
 * Memory.  Allocation may fail (NULL); a page from tdxmm_alloc_pages is
 * PAGE_SIZE << order bytes.  That page_private of a table page is its
 * header is assumed in spte_to_child_sp's contract (proofs/wp-scope.txt).
 */
typedef unsigned int gfp_t;
#define GFP_KERNEL		0x1u
#define GFP_KERNEL_ACCOUNT	0x3u
#define PAGE_SIZE		4096UL

/*@ requires INV_38: INV_38_may_sleep;
    assigns \nothing;
    ensures \result == \null || \valid((char *)\result + (0 .. size - 1)); */
void *kzalloc(unsigned long size, gfp_t flags);
/*@ assigns \nothing; */
void kfree(const void *p);
#define kvzalloc(size, gfp) kzalloc((size), (gfp))
#define kvfree(p) kfree(p)

/* kvm_get_running_vcpu(): this thread's vCPU, a ghost-visible global. */
struct kvm_vcpu;
extern struct kvm_vcpu *tdxmm_running_vcpu;
#define kvm_get_running_vcpu() tdxmm_running_vcpu
#define tdxmm_set_running_vcpu(v) (tdxmm_running_vcpu = (v))
/*@ requires 0 <= order <= 10;
    requires INV_38: INV_38_may_sleep;
    assigns \nothing;
    ensures \result == \null ||
	    \valid((char *)\result + (0 .. (PAGE_SIZE << order) - 1)); */
void *tdxmm_alloc_pages(int order);
/*@ assigns \nothing; */
void tdxmm_free_pages(void *p, int order);
#define tdxmm_alloc_page() tdxmm_alloc_pages(0)
#define tdxmm_free_page(p) tdxmm_free_pages((p), 0)
/*@ axiomatic VirtPfn {
  // The pfn of a page's address (page_to_pfn(virt_to_page(p))).
  logic integer virt_pfn(void *p);
} */
/*@ assigns \nothing;
    ensures \result == virt_pfn((void *)p);
    ensures \result <= SPEC_PFN_MAX; */
u64 tdxmm_virt_to_pfn(const void *p);
/*@ assigns \nothing; */
void *tdxmm_pfn_to_virt(u64 pfn);
/*@ assigns \nothing; */
bool tdxmm_pfn_valid(u64 pfn);
/*@ assigns \nothing; */
void tdxmm_set_page_private(void *p, void *v);
/*@ assigns \nothing; */
void *tdxmm_page_private(const void *p);

#define WARN_ON_ONCE(cond) (!!(cond))
/* printk has no effect on the state WP reasons about. */
#define pr_err(fmt, ...) ((void)0)
#define pr_err_ratelimited(fmt, ...) ((void)0)
#define WARN_ON(cond) (!!(cond))

/*@ requires \false; assigns \nothing; */
void tdxmm_bug(void);
#define BUG() tdxmm_bug()
#define BUG_ON(cond) do { if (cond) BUG(); } while (0)

#define KVM_BUG_ON(cond, kvm) \
	((cond) ? ((kvm)->vm_bugged = 1, (kvm)->vm_dead = 1, 1) : 0)
/* impl/tdx.h's TDX_BUG_ON family: the same effect, the logging dropped. */
#define __TDX_BUG_ON(err, f, kvm, fmt, args...) KVM_BUG_ON((err), (kvm))

/* Trace events (docs/TRACE-FORMAT.md) have no effect a proof sees. */
#define trace_kvm_tdp_mmu_spte_changed(as_id, gfn, level, old, new) \
	do { } while (0)
#define trace_tdx_pamt_refcount(pfn, delta) do { } while (0)

#endif /* TDXMM_ENV_FRAMA_H */
