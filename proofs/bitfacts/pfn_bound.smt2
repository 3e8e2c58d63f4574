; BitFacts axiom pfn_bound (model/acsl/spte.h):
;   \forall u64 s; ((s & SPEC_SPTE_BASE_ADDR_MASK) >> 12) <= SPEC_PFN_MAX
(set-logic QF_BV)
(declare-fun s () (_ BitVec 64))
(assert (not (bvule (bvlshr (bvand s #x000FFFFFFFFFF000) #x000000000000000C)
                    #x000000FFFFFFFFFF)))
(check-sat)
