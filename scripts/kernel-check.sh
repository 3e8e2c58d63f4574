#!/usr/bin/env bash
# make kernel-check / kernel-check-smp: build the unchanged impl/ (and the
# model/ and tests/ files the suites need) into Debian's linux-source-6.1
# and run the KUnit suites.
#   uml (default): User Mode Linux, DEBUG_KERNEL + PROVE_LOCKING + KASAN
#   smp:           x86_64 under qemu with 2 vCPUs, so races are real
# The source is extracted once into a cache outside the checkout, keyed by
# the package version, under a lock; builds are O= builds in that cache.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-uml}
planted=
# The self-tests boot the same build with a bug planted by a boot option,
# and run only the case that plants it.
only=
if [ "$mode" = uml-selftest ]; then	# a planted RCU splat
	mode=uml
	planted=--kernel_args=tdxmm_kunit.planted=1
	only=tdxmm.tdxmm_planted_splat
elif [ "$mode" = smp-selftest ]; then	# a planted data race (KCSAN)
	mode=smp
	planted=--kernel_args=tdxmm_kunit.planted_race=1
	only=tdxmm.tdxmm_planted_race
fi

"$top/scripts/deps.sh" --kernel
[ "$mode" = smp ] && "$top/scripts/deps.sh" --kernel-smp

ver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
base=${XDG_CACHE_HOME:-/var/cache}/tdxmm
[ -w "$(dirname "$base")" ] || base=$HOME/.cache/tdxmm
cache=$base/linux-source-6.1_$ver
mkdir -p "$base"

# Extract once, atomically: a half-extracted tree is never seen as ready.
exec 9>"$base/lock"
flock 9
if [ ! -e "$cache/ready" ]; then
	t0=$(date +%s)
	tarball=$(ls /usr/src/linux-source-6.1*.tar.xz | head -1)
	tmp=$(mktemp -d "$base/extract.XXXXXX")
	# Keep the tarball: Debian drops superseded point releases.
	cp "$tarball" "$tmp/"
	tar -xf "$tmp/$(basename "$tarball")" -C "$tmp"
	mv "$tmp/$(basename "$tarball" .tar.xz)" "$tmp/src"
	rm -rf "$cache"
	mv "$tmp" "$cache"
	touch "$cache/ready"
	echo "kernel-check: extracted $ver in $(( $(date +%s) - t0 )) s"
fi
src=$cache/src

# Hook the suites in: a symlink and two appended lines, idempotent.
ln -sfn "$top/harness/kernel" "$src/drivers/tdxmm"
grep -q 'drivers/tdxmm/Kconfig' "$src/drivers/Kconfig" ||
	sed -i '$i source "drivers/tdxmm/Kconfig"' "$src/drivers/Kconfig"
grep -q 'CONFIG_TDXMM_KUNIT' "$src/drivers/Makefile" ||
	echo 'obj-$(CONFIG_TDXMM_KUNIT) += tdxmm/' >> "$src/drivers/Makefile"

out=$top/build/kernel
mkdir -p "$out"
log=$out/kunit-$mode${planted:+-selftest}.log
t0=$(date +%s)
cd "$src"
case $mode in
uml)
	bdir=$cache/build-uml
	args=(--kunitconfig="$top/harness/kernel/uml.kunitconfig"
	      --build_dir="$bdir" --jobs=2
	      --kernel_args=kasan.fault=panic --kernel_args=trace_buf_size=8M $planted)
	;;
smp)
	bdir=$cache/build-x86_64
	args=(--kunitconfig="$top/harness/kernel/smp.kunitconfig"
	      --build_dir="$bdir" --jobs=2 --arch=x86_64
	      --kconfig_add CONFIG_SMP=y --qemu_args '-smp 2'
	      --kernel_args=trace_buf_size=8M --kernel_args=trace_clock=global $planted)
	;;
*) echo "usage: $0 [uml|smp|uml-selftest|smp-selftest]"; exit 2 ;;
esac
# The cache is shared by every checkout on this machine: drop tdxmm's own
# objects, so Kbuild compiles them from this checkout's files, never reuses
# those of another whose sources happen to be older (seconds, not a build).
rm -rf "$bdir/impl" "$bdir/model" "$bdir/tests" "$bdir/x86_ops.o" "$bdir/drivers/tdxmm"
set +e
python3 tools/testing/kunit/kunit.py run --raw_output=all "${args[@]}" $only > "$log" 2>&1
rc=$?
set -e
echo "kernel-check: kunit.py ($mode) exit $rc in $(( $(date +%s) - t0 )) s, log $log"
[ $rc -eq 0 ] || tail -30 "$log"

# In 6.1, lockdep and KASAN reports do not fail a KUnit test: grep for them.
# WARNs raised inside tdxmm's own code are the error paths the scenarios
# drive on purpose (KVM_BUG_ON, refusals) and assert on; any other WARNING
# is a splat.
# KCSAN (SMP run): a data race whose racing accesses are tdxmm's (a symbol
# of its objects named in "data-race in A / B", or the top frame of either
# access) fails the run; races inside the rest of the kernel are counted
# and shown, not ours, even when tdxmm called into it (the trace buffer's
# clock, trace_clock_global, races with itself across CPUs by design).
if grep -q 'BUG: KCSAN' "$log"; then
	nm --defined-only "$bdir"/drivers/tdxmm/built-in.a 2>/dev/null |
		awk '$2 ~ /^[tT]$/ { print $3 }' | sort -u > "$out/tdxmm-symbols.txt"
	awk -v syms="$out/tdxmm-symbols.txt" '
		BEGIN { while ((getline s < syms) > 0) ours[s] = 1 }
		/BUG: KCSAN/ { inrep = 1; rep = ""; hit = 0; lines = 0 }
		inrep { rep = rep $0 "\n"; lines++
			if (/data-race in/ || top) {
				n = split($0, w, /[^A-Za-z0-9_]+/)
				for (i = 1; i <= n; i++) if (w[i] in ours) hit = 1
			}
			top = 0
			if (/(read|write).* by (task|interrupt)/) top = 1 }
		inrep && lines > 1 && /====================/ {
			if (hit) { printf "%s", rep; nt++ } else no++
			inrep = 0 }
		END { printf "kernel-check: KCSAN: %d report(s) in tdxmm, %d elsewhere in the kernel\n", nt, no > "/dev/stderr"
		      exit (nt > 0) }' "$log" > "$out/kcsan-$mode.txt" || {
		echo "kernel-check: KCSAN data races in tdxmm:"
		cat "$out/kcsan-$mode.txt"
		rc=1
	}
fi
splats='BUG: |possible circular locking|inconsistent lock state|suspicious RCU usage|sleeping function called|bad unlock balance|possible recursive locking|DEBUG_LOCKS_WARN_ON|Kernel panic|general protection fault|WARNING: '
if grep -nE "$splats" "$log" |
   grep -vE 'WARNING: CPU: [0-9]+ PID: [0-9]+ at drivers/tdxmm/|BUG: KCSAN' > "$out/splats-$mode.txt"; then
	echo "kernel-check: kernel log has splats:"
	cat "$out/splats-$mode.txt"
	rc=1
fi
if [ -n "$planted" ] && [ "$mode" = smp ]; then
	# The self-test passes only if KCSAN's report of the planted race
	# was found and attributed to tdxmm.
	if grep -q 'planted_race' "$out/kcsan-$mode.txt" 2>/dev/null; then
		echo "kernel-check self-test: planted data race caught by KCSAN"
		exit 0
	fi
	echo "kernel-check self-test: planted data race NOT caught"
	exit 1
fi
if [ -n "$planted" ]; then
	# The self-test passes only if the planted RCU misuse was caught.
	if grep -q 'suspicious RCU usage' "$out/splats-$mode.txt"; then
		echo "kernel-check self-test: planted RCU misuse caught"
		exit 0
	fi
	echo "kernel-check self-test: planted RCU misuse NOT caught"
	exit 1
fi
grep -E '^\s*# (Totals|tdxmm)|ok [0-9]+ (tdxmm|- )|not ok' "$log" | tail -40 || true
# the traces the traced scenarios dumped (docs/TRACE-FORMAT.md), for conform
rm -f "$out/trace-$mode"-*.jsonl "$out/trace-$mode.jsonl"
for name in td-life seamcall-failures; do
	python3 "$top/scripts/tracefs2jsonl.py" "$log" --name $name \
		--producer "tdxmm-kernel $mode" -o "$out/trace-$mode-$name.jsonl" || rc=1
done
# the checkers' counters from the suite's exit, for the report
grep -oE 'tdxmm: evidence \(checks evaluated\):.*' "$log" | tail -1 |
	sed 's/^tdxmm:/kernel:/' > "$out/evidence-$mode.txt" || true
if ! grep -qE '^\s*ok [0-9]+ tdxmm' "$log"; then
	echo "kernel-check: the tdxmm suite did not report ok"
	rc=1
fi

# Proof of "unchanged": every impl object Kbuild compiled came from this
# checkout's impl/*.c, and the run left impl/ as committed.
n=0
for c in "$top"/impl/*.c; do
	cmd=$bdir/impl/.$(basename "$c" .c).o.cmd
	src=$(sed -n 's/^source_[^ ]* := //p' "$cmd" 2>/dev/null)
	if [ -z "$src" ] || [ "$(realpath "$src")" != "$(realpath "$c")" ]; then
		echo "kernel-check: $c was not compiled from the checkout (${src:-no $cmd})"
		rc=1
	else
		n=$((n + 1))
	fi
done
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1 &&
   ! git -C "$top" diff --quiet -- impl/; then
	echo "kernel-check: impl/ differs from the commit after the run"
	rc=1
fi
"$top/scripts/static-checks.sh" >/dev/null || rc=1
echo "kernel-check: unchanged: $n impl/*.c objects built from $top/impl"
exit $rc
