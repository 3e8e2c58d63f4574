# Sourced by scripts/wp-selftest.sh: the WP command line, taken from
# scripts/proofkit.py (the one place it is spelled out).  Expects $top.
export WHY3CONFIG=$top/build/why3.conf
FC=(frama-c -c11 -cpp-extra-args="-Iimpl -Iproofs/env -Imodel")
mapfile -t WP < <(python3 "$top/scripts/proofkit.py" flags)
WP+=(-wp-cache update -wp-cache-dir "$top/build/wp-cache")
