; Planted false fact: had FROZEN_SPTE used bit 11 (0xda0 instead of 0x5a0)
; a present SPTE could be frozen; the solvers must answer sat.
(set-logic QF_BV)
(declare-fun s () (_ BitVec 64))
(assert (not (= (bvand s #x0000000000000800) #x0000000000000000)))
(assert (= s #x8000000000000DA0))
(check-sat)
