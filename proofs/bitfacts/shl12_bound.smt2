; BitFacts axiom shl12_bound (model/acsl/spte.h):
;   \forall u64 pfn; pfn <= SPEC_PFN_MAX ==> (pfn << 12) <= 0x000FFFFFFFFFF000
; Proved by refuting its negation over 64-bit vectors.
(set-logic QF_BV)
(declare-fun pfn () (_ BitVec 64))
(assert (bvule pfn #x000000FFFFFFFFFF))
(assert (not (bvule (bvshl pfn #x000000000000000C) #x000FFFFFFFFFF000)))
(check-sat)
