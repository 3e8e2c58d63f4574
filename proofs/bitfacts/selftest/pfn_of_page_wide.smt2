; Planted false fact: pfn_of_page without the PFN bound.  A 41-bit pfn
; loses its top bit to the mask, so the solvers must answer sat.
(set-logic QF_BV)
(declare-fun pfn () (_ BitVec 64))
(declare-fun low () (_ BitVec 64))
(assert (bvule low #x0000000000000FFF))
(assert (not (= (bvlshr (bvand (bvor (bvshl pfn #x000000000000000C) low)
                               #x000FFFFFFFFFF000)
                         #x000000000000000C)
                pfn)))
(check-sat)
