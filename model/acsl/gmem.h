/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACSL view of an attribute map (GMEM §4a, impl/kvm.h struct kvm_attr_map):
 * ranges j = 0 .. n-1, range j starting at st[j] and ending where range
 * j+1 starts (the last at npages), with value at[j].  GMEM-01 (coverage),
 * -02 (canonical form) and -03 (domain) are its well-formedness; the value
 * at index i is that of the range that covers i.
 */
#ifndef TDXMM_ACSL_GMEM_H
#define TDXMM_ACSL_GMEM_H

/*@
  logic integer gmem_end(u64 *st, integer n, integer npages, integer j) =
	j + 1 < n ? st[j + 1] : npages;
  predicate gmem_covers(u64 *st, integer n, integer npages, integer j,
			integer i) =
	st[j] <= i < gmem_end(st, n, npages, j);

  // Ranges start in increasing order (each non-empty, none overlapping).
  predicate gmem_increasing(u64 *st, integer n) =
	(\forall integer j; 0 <= j < n - 1 ==> st[j] < st[j + 1]) &&
	(\forall integer j, k; 0 <= j < k < n ==> st[j] < st[k]);

  // GMEM-01: the ranges tile [0, npages): the first starts at 0, each
  // ends where the next starts, the last (non-empty) at npages.  So each
  // index has exactly one range, hence one attribute.
  predicate GMEM_01_coverage(u64 *st, integer n, integer npages) =
	n >= 1 && st[0] == 0 && st[n - 1] < npages && gmem_increasing(st, n);

  // GMEM-02: adjacent ranges differ in value.
  predicate GMEM_02_canonical(u64 *at, integer n) =
	\forall integer j; 0 <= j < n - 1 ==> at[j] != at[j + 1];

  // GMEM-03: every stored value is 0 (shared) or PRIVATE.
  predicate gmem_attr_ok(integer v) =
	v == 0 || v == KVM_MEMORY_ATTRIBUTE_PRIVATE;
  predicate GMEM_03_domain(u64 *at, integer n) =
	\forall integer j; 0 <= j < n ==> gmem_attr_ok(at[j]);

  predicate gmem_map_ok(u64 *st, u64 *at, integer n, integer npages) =
	GMEM_01_coverage(st, n, npages) && GMEM_02_canonical(at, n) &&
	GMEM_03_domain(at, n);

  // A map under construction: ranges 0 .. n-1 tile [0, pos).
  predicate gmem_prefix(u64 *st, u64 *at, integer n, integer pos) =
	(n == 0 ==> pos == 0) &&
	(n > 0 ==> st[0] == 0 && st[n - 1] < pos) &&
	gmem_increasing(st, n) && GMEM_02_canonical(at, n) &&
	GMEM_03_domain(at, n);

  // Index i has value v.
  predicate gmem_attr_is(u64 *st, u64 *at, integer n, integer npages,
			 integer i, integer v) =
	\forall integer j; 0 <= j < n && gmem_covers(st, n, npages, j, i) ==>
		at[j] == v;

  // GMEM-06: out is old with [start, end) set to v, every other index
  // unchanged (post and frame).  Stated over ranges rather than indices
  // (the provers instantiate array cells, not integers): a range of out
  // that meets [start, end) holds v; where a range of out and a range of
  // old share an index outside [start, end), they hold the same value.
  predicate GMEM_06_post(u64 *st, u64 *at, integer n, integer npages,
			 integer start, integer end, integer v) =
	\forall integer j; 0 <= j < n && st[j] < end &&
		start < gmem_end(st, n, npages, j) ==> at[j] == v;
  logic integer gmem_lo(integer a, integer b) = a > b ? a : b;
  logic integer gmem_hi(integer a, integer b) = a < b ? a : b;
  predicate gmem_meet_outside(integer s1, integer e1, integer s2,
			      integer e2, integer start, integer end) =
	gmem_lo(s1, s2) < gmem_hi(e1, e2) &&
	(gmem_lo(s1, s2) < start || gmem_hi(e1, e2) > end);
  predicate GMEM_06_frame(u64 *st, u64 *at, integer n, integer npages,
			  u64 *ost, u64 *oat, integer nr,
			  integer start, integer end) =
	\forall integer j, k; 0 <= j < n && 0 <= k < nr &&
		gmem_meet_outside(st[j], gmem_end(st, n, npages, j),
				  ost[k], gmem_end(ost, nr, npages, k),
				  start, end) ==>
		at[j] == oat[k];

  // Every index of [start, end) already has v (GMEM-07's test).
  predicate gmem_range_is(u64 *st, u64 *at, integer n, integer npages,
			  integer start, integer end, integer v) =
	\forall integer j; 0 <= j < n && st[j] < end &&
		start < gmem_end(st, n, npages, j) ==> at[j] == v;

  // Where the map built from the first k ranges of old ends
  // (kvm_gmem_attrs_build's loop): past [start, end) once it was reached.
  logic integer gmem_build_pos(u64 *ost, integer nr, integer npages,
			       integer k, integer start, integer end) =
	k == 0 ? 0 :
	gmem_end(ost, nr, npages, k - 1) > start ?
		(gmem_end(ost, nr, npages, k - 1) > end ?
		 gmem_end(ost, nr, npages, k - 1) : end) :
		gmem_end(ost, nr, npages, k - 1);
*/

#endif
