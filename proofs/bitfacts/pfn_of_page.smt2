; BitFacts axiom pfn_of_page (model/acsl/spte.h):
;   \forall u64 pfn, low; pfn <= SPEC_PFN_MAX && low <= 0xFFF ==>
;       ((((pfn << 12) | low) & SPEC_SPTE_BASE_ADDR_MASK) >> 12) == pfn
(set-logic QF_BV)
(declare-fun pfn () (_ BitVec 64))
(declare-fun low () (_ BitVec 64))
(assert (bvule pfn #x000000FFFFFFFFFF))
(assert (bvule low #x0000000000000FFF))
(assert (not (= (bvlshr (bvand (bvor (bvshl pfn #x000000000000000C) low)
                               #x000FFFFFFFFFF000)
                         #x000000000000000C)
                pfn)))
(check-sat)
