; BitFacts axiom present_not_frozen (model/acsl/spte.h):
;   \forall u64 s; spte_present(s) ==> !spte_frozen(s)
; i.e. (s & SPTE_MMU_PRESENT_MASK) != 0 ==> s != FROZEN_SPTE
(set-logic QF_BV)
(declare-fun s () (_ BitVec 64))
(assert (not (= (bvand s #x0000000000000800) #x0000000000000000)))
(assert (= s #x80000000000005A0))
(check-sat)
