# Sourced by scripts/proofs.sh and scripts/wp-selftest.sh: the one place
# the Frama-C/WP command line is spelled out.  Expects $top.
export WHY3CONFIG=$top/build/why3.conf
FC=(frama-c -c11 -cpp-extra-args="-Iimpl -Iproofs/env -Imodel")
WP=(-wp -wp-rte -warn-unsigned-overflow -warn-unsigned-downcast
    -wp-prover z3,cvc4 -wp-timeout 10 -wp-par 2 -wp-smoke-tests
    -wp-cache update -wp-cache-dir "$top/build/wp-cache")
