#!/usr/bin/env bash
# The tools refuse bad input: each case must exit 2 with its message on
# stderr, never "no violation" (docs/BAD-INPUTS.md, Tools); and make help
# names every target.  Output in
# cmocka's format, so the report counts these like the other suites.
#   tests/cli.sh   (run by scripts/run-tests.sh; needs make all)
set -u
cd "$(dirname "$0")/.."
n=0 failed=() xml=
# case NAME WANT_RC STDERR_SUBSTRING COMMAND...
case_() {
	local name=$1 want=$2 msg=$3 rc err
	shift 3
	n=$((n + 1))
	echo "[ RUN      ] $name"
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" -eq "$want" ] && grep -qF -- "$msg" <<<"$err"; then
		echo "[       OK ] $name"
		xml+="    <testcase name=\"$name\"></testcase>"$'\n'
	else
		echo "[  ERROR   ] --- exit $rc (want $want), stderr: ${err:0:200}"
		echo "[  FAILED  ] $name"
		failed+=("$name")
		xml+="    <testcase name=\"$name\"><failure message=\"exit $rc, want $want\"></failure></testcase>"$'\n'
	fi
}
# random bytes; the first line starts with "x", so it is line 1 that bmc
# refuses (a leading "#" or newline would make it a comment or blank)
rand=$(mktemp)
{ printf x; head -c 511 /dev/urandom; } > "$rand"
tmp=$(mktemp -d)
trap 'rm -rf "$rand" "$tmp"' EXIT
# bmc --replay of a file: its exit status, its stderr, and "cannot replay"
replay_bad() {
	local err rc
	err=$(build/bmc/bmc --replay "$1" 2>&1 >/dev/null)
	rc=$?
	printf '%s\n' "$err" >&2
	grep -qF "bmc: cannot replay $1" <<<"$err" || return 99
	return $rc
}
# bt NAME TEXT: replay TEXT (printf %b) written to $tmp/NAME.trace
bt() {
	printf '%b' "$2" > "$tmp/$1.trace"
	replay_bad "$tmp/$1.trace"
}
# a summary that is not there before and must not be after
merged=$tmp/merged.json
bmc_trace=tests/bmc/teardown-twice-after-a-bug.trace
bmc_trace_sum=$(cksum < "$bmc_trace")

echo "[==========] Running tools' bad-input cases."
case_ mc_unknown_scenario 2 "no scenario 'nope'" build/mc/mc --scenario nope
case_ mc_preemptions_not_a_number 2 "--preemptions wants a number 0..1000, not 'abc'" build/mc/mc --preemptions abc
case_ mc_negative_preemptions 2 "--preemptions wants a number 0..1000, not '-1'" build/mc/mc --preemptions -1
case_ mc_too_many_preemptions 2 "--preemptions wants a number 0..1000, not '1001'" build/mc/mc --preemptions 1001
case_ mc_unknown_option 2 "unknown option or missing argument: --bogus" build/mc/mc --bogus
case_ mc_stray_argument 2 "unexpected argument: extra" build/mc/mc extra
case_ mc_replay_without_schedule 2 "--replay wants NAME:SCHEDULE, not 'R2-two-faults-same-gfn'" build/mc/mc --replay R2-two-faults-same-gfn
case_ mc_replay_empty_schedule 2 "--replay R2-two-faults-same-gfn: empty schedule" build/mc/mc --replay R2-two-faults-same-gfn:
case_ mc_replay_not_a_thread 2 "'2' is not a thread of R2-two-faults-same-gfn" build/mc/mc --replay R2-two-faults-same-gfn:0129
case_ mc_replay_does_not_fit 2 "does not fit R2-two-faults-same-gfn" build/mc/mc --replay "R2-two-faults-same-gfn:$(printf '0%.0s' {1..120})"
# tdxmm-conform: malformed traces get FILE:LINE: and exit 2 (docs/TRACE-FORMAT.md)
H='{"tdxmm_trace": 1, "producer": "cli"}'
ct() {	# ct NAME BODY: a trace of the header and BODY (printf %b)
	printf '%s\n%b' "$H" "$2" > "$tmp/$1.jsonl"
	build/conform/tdxmm-conform "$tmp/$1.jsonl"
}
case_ gmem_bmc_pages_out_of_range 2 "--max-pages takes 1..8" build/gmem/gmem_bmc --max-pages 9
case_ gmem_bmc_pages_not_a_number 2 "--max-pages takes 1..8" build/gmem/gmem_bmc --max-pages 4x
case_ gmem_bmc_unknown_option 2 "usage: gmem_bmc" build/gmem/gmem_bmc --bogus
case_ gmem_bmc_json_unwritable 2 "/nonexistent/g.json" build/gmem/gmem_bmc --max-pages 1 --json /nonexistent/g.json
case_ conform_no_trace 2 "no trace given" build/conform/tdxmm-conform
case_ conform_unknown_option 2 "unknown option or missing argument: --bogus" build/conform/tdxmm-conform --bogus x
case_ conform_missing_file 2 "$tmp/nope.jsonl: No such file" build/conform/tdxmm-conform "$tmp/nope.jsonl"
case_ conform_empty_file 2 "empty.jsonl:1: empty file" sh -c ": > $tmp/empty.jsonl; build/conform/tdxmm-conform $tmp/empty.jsonl"
case_ conform_header_only 2 "hdr.jsonl:1: no events: nothing to check" ct hdr ''
case_ conform_not_json 2 "nj.jsonl:1: column 1: a record is a JSON object" sh -c "echo 'tdxmm_trace 1' > $tmp/nj.jsonl; build/conform/tdxmm-conform $tmp/nj.jsonl"
case_ conform_wrong_version 2 "v2.jsonl:1: trace format version 2; this checker reads version 1" \
	sh -c "printf '{\"tdxmm_trace\": 2}\n' > $tmp/v2.jsonl; build/conform/tdxmm-conform $tmp/v2.jsonl"
case_ conform_no_version 2 "nover.jsonl:1: not a tdxmm trace" \
	sh -c "printf '{\"producer\": \"x\"}\n' > $tmp/nover.jsonl; build/conform/tdxmm-conform $tmp/nover.jsonl"
case_ conform_truncated 2 "trunc.jsonl:2: truncated" ct trunc '{"ev": "op", "cpu": 0, "ts": 1, "op": "vm_'
case_ conform_cut_record 2 "cut.jsonl:2: column 43: unterminated string" ct cut '{"ev": "op", "cpu": 0, "ts": 1, "op": "vm_\n'
case_ conform_unknown_event 2 "unk.jsonl:2: unknown event 'bogus'" ct unk '{"ev": "bogus", "cpu": 0, "ts": 1}\n'
case_ conform_unknown_member 2 "mem.jsonl:2: unknown member 'colour'" ct mem '{"ev": "pamt_ref", "cpu": 0, "ts": 1, "pfn": "0x10", "delta": 1, "colour": "red"}\n'
case_ conform_missing_member 2 "miss.jsonl:2: missing member 'delta'" ct miss '{"ev": "pamt_ref", "cpu": 0, "ts": 1, "pfn": "0x10"}\n'
case_ conform_bad_field 2 "badf.jsonl:2: member 'level': not an integer" ct badf '{"ev": "spte", "cpu": 0, "ts": 1, "as_id": 0, "gfn": "0x0", "level": "x", "old_spte": "0x0", "new_spte": "0x0"}\n'
case_ conform_bad_level 2 "badl.jsonl:2: member 'level': 9 is not a page level 1..5" ct badl '{"ev": "spte", "cpu": 0, "ts": 1, "as_id": 0, "gfn": "0x0", "level": 9, "old_spte": "0x0", "new_spte": "0x0"}\n'
case_ conform_bad_number 2 "badn.jsonl:2: member 'pfn': not an unsigned 64-bit number" ct badn '{"ev": "pamt_ref", "cpu": 0, "ts": 1, "pfn": "0x1g", "delta": 1}\n'
case_ conform_number_too_big 2 "big.jsonl:2: member 'ts': not an unsigned 64-bit number" ct big '{"ev": "pamt_ref", "cpu": 0, "ts": 18446744073709551616, "pfn": "0x10", "delta": 1}\n'
case_ conform_bad_delta 2 "delta.jsonl:2: member 'delta': -2 is not -1, 1..512" ct delta '{"ev": "pamt_ref", "cpu": 0, "ts": 1, "pfn": "0x10", "delta": -2}\n'
case_ conform_unknown_leaf 2 "leaf.jsonl:2: unknown SEAMCALL leaf 'TDH.BOGUS'" ct leaf '{"ev": "seamcall", "cpu": 0, "ts": 1, "leaf": "TDH.BOGUS"}\n'
case_ conform_unknown_op 2 "op.jsonl:2: unknown operation 'fly'" ct op '{"ev": "op", "cpu": 0, "ts": 1, "op": "fly"}\n'
case_ conform_duplicate_member 2 "dup.jsonl:2: column 28: duplicate member" ct dup '{"ev": "op", "cpu": 0, "ev": "op"}\n'
case_ conform_cpu_out_of_range 2 "cpu.jsonl:2: member 'cpu': 999 is not 0..255" ct cpu '{"ev": "op", "cpu": 999, "ts": 1, "op": "teardown"}\n'
case_ conform_text_after_record 2 "after.jsonl:2: column 51: text after the record" ct after '{"ev": "op", "cpu": 0, "ts": 1, "op": "teardown"} x\n'
# two CPUs' events at one timestamp, and a violation: the order checked is
# one of several, so the verdict is "undecided", exit 3 (not 1, not 0)
case_ conform_order_undecided 3 "carry the same timestamp on CPUs 0 and 1" sh -c "printf '%s\n' '$H' \
	'{\"ev\": \"op\", \"cpu\": 0, \"ts\": 1, \"op\": \"pamt_get\", \"pfn\": \"0x200\", \"level\": 1}' \
	'{\"ev\": \"ret\", \"cpu\": 0, \"ts\": 2, \"op\": \"pamt_get\", \"ret\": -16, \"bugged\": false}' \
	'{\"ev\": \"op\", \"cpu\": 1, \"ts\": 2, \"op\": \"teardown\"}' > $tmp/tie.jsonl; build/conform/tdxmm-conform $tmp/tie.jsonl 1>&2"
case_ bmc_unknown_option 2 "unknown option or missing argument: --bogus" build/bmc/bmc --bogus
case_ bmc_merge_without_files 2 "--merge wants at least one" build/bmc/bmc --merge
case_ bmc_merge_not_a_summary 2 "$rand: not a bmc summary" build/bmc/bmc --merge "$rand"
case_ bmc_root_out_of_range 2 "--root wants a number 3..5, not '7'" build/bmc/bmc --root 7
case_ bmc_depth_not_a_number 2 "--depth wants a number 1..60, not 'x'" build/bmc/bmc --depth x
case_ bmc_jobs_out_of_range 2 "-j wants a number 1..64, not '0'" build/bmc/bmc -j 0
case_ bmc_unknown_faults 2 "--faults is none, classes or all, not 'some'" build/bmc/bmc --faults some
case_ bmc_bad_shard 2 "--shard wants i/n with 0 <= i < n, not '3/2'" build/bmc/bmc --shard 3/2
case_ bmc_unknown_operation 2 "unknown operation in map4k:7" build/bmc/bmc --ops map4k:7
case_ bmc_stray_argument 2 "unexpected argument: extra" build/bmc/bmc extra
case_ bmc_replay_random_bytes 2 "$rand:1: not a step of this universe" replay_bad "$rand"
case_ bmc_replay_empty_file 2 "/dev/null: no step to replay" replay_bad /dev/null
case_ bmc_replay_missing_file 2 "$tmp/missing.trace: cannot open" replay_bad "$tmp/missing.trace"
# the bad traces of test_bmc_traces' bad_traces_are_refused, by bmc --replay
case_ bmc_replay_only_a_comment 2 "$tmp/comment.trace: no step to replay" bt comment '# only a comment\n'
case_ bmc_replay_only_a_root 2 "$tmp/root-only.trace: no step to replay" bt root-only 'root 4\n'
case_ bmc_replay_unknown_line 2 "$tmp/line.trace:3: not a step of this universe: bogus" bt line 'root 4\nstep map4k:0\nbogus\n'
case_ bmc_replay_root_out_of_range 2 "$tmp/root9.trace:1: root level not 3, 4 or 5" bt root9 'root 9\nstep map4k:0\n'
case_ bmc_replay_root_after_a_step 2 "$tmp/late-root.trace:2: root after the first step" bt late-root 'step map4k:0\nroot 3\n'
case_ bmc_replay_unknown_operation 2 "$tmp/op.trace:2: not a step of this universe: step map4k:7" bt op 'root 4\nstep map4k:7\n'
case_ bmc_replay_ops_after_a_step 2 "$tmp/late-ops.trace:3: ops after the first step" bt late-ops 'root 4\nstep map4k:0\nops map4k:0\n'
case_ bmc_replay_gmem_op_without_ops_line 2 "$tmp/gop.trace:2: not a step of this universe: step to-shared:1" bt gop 'root 4\nstep to-shared:1\n'
case_ bmc_replay_unknown_seamcall 2 "$tmp/sc.trace:2: not a step of this universe: step zap:0 fault=NOPE#1:0" bt sc 'root 4\nstep zap:0 fault=NOPE#1:0\n'
case_ proofkit_no_command 2 "WP proof pipeline" python3 scripts/proofkit.py
case_ proofkit_unknown_argument 2 "unknown argument '--bogus'" python3 scripts/proofkit.py run --bogus
# these parse impl/ first (Frama-C, ~1 s): into $tmp, never a running build/proofs
case_ proofkit_bad_shard 2 "--shard 3/2: want I/N" python3 scripts/proofkit.py run --out "$tmp/proofs" --shard 3/2
case_ proofkit_no_such_function 2 "--funcs nosuchfunction: no function WP proves" python3 scripts/proofkit.py run --out "$tmp/proofs" --funcs nosuchfunction
case_ proofkit_merge_not_a_run 2 "$rand: not a proof run" python3 scripts/proofkit.py merge /tmp/cli-never-written "$rand"
case_ proofs_unknown_argument 2 "unknown argument '--bogus'" scripts/proofs.sh --bogus
case_ bmc_sh_unknown_argument 2 "unknown argument '--bogus'" scripts/bmc.sh --bogus
case_ shards_merge_other_runs 2 "of different runs" python3 scripts/shards.py bmc-merge "$merged" tests/cli/bmc-a.json tests/cli/bmc-b.json
case_ shards_merge_missing_shard 2 "want shards 0..1 of 2 once each, got ['0/2']" python3 scripts/shards.py bmc-merge "$merged" tests/cli/bmc-a.json
case_ shards_merge_repeated_shard 2 "want shards 0..1 of 2 once each, got ['0/2', '0/2']" python3 scripts/shards.py bmc-merge "$merged" tests/cli/bmc-a.json tests/cli/bmc-a.json
[ ! -e "$merged" ] ||
	{ echo "[  FAILED  ] shards_merge_* (summary written)"; failed+=(merged-written); }
case_ shards_no_command 2 "Split and merge" python3 scripts/shards.py
case_ ci_merge_without_shards 2 "usage: scripts/ci-merge.sh" scripts/ci-merge.sh /nonexistent /tmp/cli-never-written
case_ shard_test_one_shard 2 "N must be a number >= 2, not '1'" scripts/shard-test.sh 1
case_ checker_selftest_unknown_checker 2 "no checker 'bmx'" scripts/checker-selftest.sh bmx
case_ checker_selftest_two_checkers 2 "one checker at most" scripts/checker-selftest.sh bmc mc
case_ bmc_to_test_random_bytes 2 "$rand: not a trace bmc can replay" scripts/bmc-to-test.sh "$rand" cli_test_never_written
case_ bmc_to_test_bad_name 2 "letters, digits" scripts/bmc-to-test.sh "$rand" "bad/name"
case_ bmc_to_test_existing_name 2 "$bmc_trace exists: pick another NAME" scripts/bmc-to-test.sh "$rand" teardown-twice-after-a-bug
[ "$(cksum < "$bmc_trace")" = "$bmc_trace_sum" ] ||
	{ echo "[  FAILED  ] bmc_to_test_existing_name (file overwritten)"; failed+=(overwritten); }
# static-checks on a copy of impl/ with CODE appended to FILE
static_plant() {	# file code
	local d rc
	d=$(mktemp -d)/impl
	mkdir -p "$d" && cp impl/*.c impl/*.h "$d/"
	printf '%b' "$2" >> "$d/$1"
	scripts/static-checks.sh "$d" >&2
	rc=$?
	rm -rf "$(dirname "$d")"
	return $rc
}
# a libc call hidden behind a comment
case_ static_checks_find_a_libc_call 1 "getenv" static_plant spte.c \
	'\nchar *getenv(const char *);\nint tdxmm_planted(void) { return !!getenv("X"); } /* no libc here */\n'
# an RCU callback in impl/: INV-39's premise (a put in softirq) could hold
case_ static_checks_find_a_deferred_call 1 "INV-39's premise" static_plant pamt.c \
	'\nstruct rcu_head;\nvoid call_rcu(struct rcu_head *, void (*)(struct rcu_head *));\nvoid tdxmm_planted(struct rcu_head *h) { call_rcu(h, tdxmm_planted); }\n'
# make help names every target of the Makefile
help_complete() {
	local h missing=
	h=$(make --no-print-directory help)
	for t in $(grep -oE '^[a-z-]+:' Makefile | tr -d :); do
		grep -q "make $t " <<<"$h" || missing+=" $t"
	done
	[ -z "$missing" ] || { echo "make help lacks:$missing" >&2; return 2; }
	echo "make help lists every target" >&2
}
case_ make_help_lists_every_target 0 "make help lists every target" help_complete
[ ! -e tests/bmc/cli_test_never_written.trace ] ||
	{ echo "[  FAILED  ] bmc_to_test_random_bytes (file written)"; failed+=(written); }
if [ -n "${JUNIT:-}" ]; then	# JUnit XML, as cmocka writes it
	{
		echo '<?xml version="1.0" encoding="UTF-8" ?>'
		echo '<testsuites>'
		echo "  <testsuite name=\"cli\" tests=\"$n\" failures=\"${#failed[@]}\" errors=\"0\" skipped=\"0\" >"
		printf '%s' "$xml"
		echo '  </testsuite>'
		echo '</testsuites>'
	} > "$JUNIT"
fi
echo "[==========] $n test(s) run."
echo "[  PASSED  ] $((n - ${#failed[@]})) test(s)."
if [ ${#failed[@]} -gt 0 ]; then
	echo "[  FAILED  ] ${#failed[@]} test(s), listed below:"
	printf '[  FAILED  ] %s\n' "${failed[@]}"
	exit 1
fi
