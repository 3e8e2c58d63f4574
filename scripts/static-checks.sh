#!/usr/bin/env bash
# impl/ stays kernel code behind one seam (DESIGN.md s1): no backend
# switches in impl/*.c, no libc/pthread headers anywhere in impl/ but
# through env.h, and every SPEC invariant ID this slice owns is named.
set -u
cd "$(dirname "$0")/.."
fail=0
if grep -nE '^[[:space:]]*#[[:space:]]*(if|ifdef|ifndef|elif)\b' impl/*.c; then
	echo "static-checks: preprocessor conditionals in impl/*.c (backend switches belong in impl/env.h)"
	fail=1
fi
if grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<' impl/*.c impl/*.h | grep -v '^impl/env.h:'; then
	echo "static-checks: system headers included in impl/ outside env.h"
	fail=1
fi
if grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"\.\./' impl/*.c impl/*.h; then
	echo "static-checks: impl/ reaches outside itself"
	fail=1
fi
if grep -nE '\b(malloc|free|printf|assert|memset|memcpy)\s*\(' impl/*.c impl/*.h | grep -v '^\S*:\s*\*\|/\*'; then
	echo "static-checks: libc calls in impl/"
	fail=1
fi
[ $fail -eq 0 ] && echo "static-checks: impl/ is behind the env seam"
exit $fail
