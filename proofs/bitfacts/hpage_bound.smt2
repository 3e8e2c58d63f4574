; BitFacts axiom hpage_bound (model/acsl/spte.h):
;   \forall integer k; 0 <= k <= 36 ==> 1 <= (1 << k) <= 0x1000000000
; (KVM_PAGES_PER_HPAGE of levels 1..5: 1, 512, ..., 2^36)
(set-logic QF_BV)
(declare-fun k () (_ BitVec 64))
(assert (bvule k #x0000000000000024))
(assert (not (and (bvule #x0000000000000001 (bvshl #x0000000000000001 k))
                  (bvule (bvshl #x0000000000000001 k) #x0000001000000000))))
(check-sat)
