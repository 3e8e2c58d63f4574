# tdxmm - see README.md.  Outputs go under build/ only.
#   make check    deps + build + cmocka suites + static checks (the tests)
#   make proofs   WP on impl/ (+ BitFacts, self-tests), diffed against
#                 proofs/expected-status.json
#   make verify   the main job: check + proofs
#   make help     all targets

B        := build
CC       ?= gcc
CFLAGS   ?= -O2 -g
FUZZ_SECONDS ?= 60
WARN     := -Wall -Wextra -Werror -Wno-unused-parameter
USER_INC := -Iimpl -Iharness/user -Imodel
ALL_CFLAGS := -std=gnu11 $(WARN) $(CFLAGS) $(USER_INC) -pthread

IMPL_SRC  := $(wildcard impl/*.c)
MODEL_SRC := $(wildcard model/*.c)
ENV_SRC   := harness/user/env_user.c harness/x86_ops.c
TEST_LIB  := tests/common.c tests/stub_external.c tests/fixture.c tests/trace_model.c
TESTS     := $(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/test_*.c))
HDRS      := $(wildcard impl/*.h model/*.h model/acsl/*.h harness/user/*.h tests/*.h)

.PHONY: fuzz eva mc bmc gmem conform selftest-checkers all deps check verify proofs proofs-accept static-checks docs kernel-check kernel-check-smp bench bench-pamt spin shard-test help clean

bench:
	@scripts/bench.sh

bench-pamt:
	@scripts/bench.sh --pamt

# Promela models of the protocols, exhaustively, with their planted mutants.
spin: deps
	@scripts/spin.sh

all: $(TESTS) $(B)/bmc/bmc $(B)/mc/mc $(B)/conform/tdxmm-conform $(B)/gmem/gmem_bmc

# Trace conformance (docs/TRACE-FORMAT.md): the simulator and the model's
# checkers, no impl/.  scripts/tdxmm-conform builds and runs it.
CONFORM_SRC := harness/conform/conform.c harness/conform/jsonl.c \
	model/tdx_module.c model/evidence.c model/spte_model.c
$(B)/conform/tdxmm-conform: $(CONFORM_SRC) harness/conform/jsonl.h $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iharness/conform -o $@ $(CONFORM_SRC)
# libFuzzer (clang, ASan + UBSan) on its reader and checker.
$(B)/conform/fuzz_conform: harness/conform/fuzz_conform.c $(CONFORM_SRC) harness/conform/jsonl.h $(HDRS)
	@mkdir -p $(dir $@)
	clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined $(USER_INC) -Iharness/conform -o $@ \
		harness/conform/fuzz_conform.c $(filter-out harness/conform/conform.c,$(CONFORM_SRC))

# Bounded model checking: every operation sequence with every fault.
BMC_SRC := harness/bmc/bmc.c harness/oracle/oracle.c
$(B)/bmc/bmc: $(BMC_SRC) harness/oracle/oracle.h $(IMPL_SRC) $(MODEL_SRC) $(ENV_SRC) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iharness/oracle -o $@ $(BMC_SRC) $(IMPL_SRC) $(MODEL_SRC) $(ENV_SRC)

# guest_memfd conversion, exhaustive over every file of up to 8 pages.
GMEM_BMC_SRC := harness/gmem/gmem_bmc.c
$(B)/gmem/gmem_bmc: $(GMEM_BMC_SRC) $(IMPL_SRC) $(MODEL_SRC) $(ENV_SRC) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $(GMEM_BMC_SRC) $(IMPL_SRC) $(MODEL_SRC) $(ENV_SRC)

gmem: deps $(B)/gmem/gmem_bmc
	@$(B)/gmem/gmem_bmc --json $(B)/gmem/gmem.json

# libFuzzer (clang, ASan + UBSan) on the oracle: make fuzz FUZZ_SECONDS=N
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

# Eva, exhaustive over the small input spaces (proofs/eva), with planted bugs.
eva: deps
	@scripts/eva.sh

# Interleavings of the real code under a deterministic scheduler.
# impl/ with ThreadSanitizer's instrumentation, for mc's race detector.
MC_SRC := harness/mc/mc.c harness/mc/race.c harness/oracle/oracle.c
$(B)/mc/mc: $(MC_SRC) harness/mc/race.h harness/oracle/oracle.h $(IMPL_SRC) $(MODEL_SRC) $(ENV_SRC) $(HDRS) scripts/mc-build.sh
	scripts/mc-build.sh $@

mc: deps $(B)/mc/mc
	@scripts/mc.sh

bmc: deps
	@scripts/bmc.sh

# Recorded traces, planted trace mutants, kernel traces: tdxmm-conform.
conform: deps all
	@python3 scripts/conform-check.py

# Planted bugs in copies of impl/: harness/bmc and harness/mc must catch each.
selftest-checkers: deps
	@scripts/checker-selftest.sh

deps:
	@scripts/deps.sh

# The shared scenario table runs in test_scenarios (and in KUnit).
$(B)/tests/test_scenarios: EXTRA := tests/scenarios.c tests/sept_scenarios.c tests/pamt_scenarios.c tests/gmem_scenarios.c

$(B)/tests/test_bmc_traces: EXTRA := harness/oracle/oracle.c -Iharness/oracle

$(B)/tests/%: tests/%.c $(TEST_LIB) harness/oracle/oracle.c harness/oracle/oracle.h tests/scenarios.c tests/sept_scenarios.c tests/pamt_scenarios.c tests/gmem_scenarios.c $(IMPL_SRC) $(MODEL_SRC) $(ENV_SRC) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(EXTRA) $(TEST_LIB) $(IMPL_SRC) $(MODEL_SRC) $(ENV_SRC) -lcmocka

check: deps
	@scripts/check.sh

static-checks:
	@scripts/static-checks.sh

proofs: deps
	@scripts/proofs.sh

# Re-record proofs/expected-status.json after an intended change.
proofs-accept: deps
	@scripts/proofs.sh --accept --no-selftest

verify: deps
	@scripts/verify.sh

# The unchanged impl/ inside Linux 6.1: KUnit under UML (lockdep + KASAN),
# and under x86_64 qemu with 2 vCPUs (lockdep + KCSAN).
kernel-check:
	@scripts/kernel-check.sh uml

kernel-check-smp:
	@scripts/kernel-check.sh smp

# The CI split (.github/workflows/ci.yml) run here: shards, merge, and a
# comparison with the unsharded run in build/ (make verify first).
shard-test: deps
	@scripts/shard-test.sh $(or $(N),2)

# docs/INVARIANTS.md is generated from SPEC.md and the sources.
docs:
	@python3 scripts/trace.py docs/SPEC.md build/report --docs docs/INVARIANTS.md >/dev/null; \
	rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 3 ] || { echo "make docs: generation failed (exit $$rc)"; exit 2; }
	@echo "wrote docs/INVARIANTS.md"

help:
	@echo "tdxmm targets (README.md has the details):"
	@echo "  make check              deps + build + cmocka suites + static checks (the tests)"
	@echo "  make verify             the main job: check's steps, WP, bmc, mc, sanitizers, self-tests, report"
	@echo "  make all                build the cmocka suites, harness/bmc and harness/mc"
	@echo "  make deps               install what the project needs (scripts/deps.sh, apt, idempotent)"
	@echo "  make proofs             WP on impl/ against proofs/expected-status.json; FUNCS=f,g or FILES=impl/x.c: a subset"
	@echo "  make proofs-accept      re-record proofs/expected-status.json (FUNCS=f,g: only those entries)"
	@echo "  make static-checks      impl/ seam rules (no backend #ifdef, no libc)"
	@echo "  make docs               regenerate docs/INVARIANTS.md (fails if generation fails)"
	@echo "  make spin               Promela models (model/promela) and their mutants"
	@echo "  make bmc                bounded model checking (harness/bmc), verify's depths"
	@echo "  make conform            trace conformance: recorded traces, planted trace mutants (tdxmm-conform)"
	@echo "  make gmem               guest_memfd conversion, exhaustive over files of up to 8 pages (harness/gmem)"
	@echo "  make mc                 interleavings of the real code with the race detector (harness/mc)"
	@echo "  make eva                Frama-C Eva over small input spaces (proofs/eva)"
	@echo "  make fuzz               libFuzzer on the oracle, FUZZ_SECONDS=N (default 60)"
	@echo "  make selftest-checkers  planted bugs bmc, mc, fuzz, TSan and the real-thread tests must catch"
	@echo "  make bench              every benchmark: the setters vs their cmpxchg floor, bench-pamt, a guest_memfd conversion vs its zap"
	@echo "  make bench-pamt         DPAMT get/put fast path vs lock-always; refcount memory"
	@echo "  make kernel-check       KUnit in UML 6.1 (lockdep, KASAN)"
	@echo "  make kernel-check-smp   KUnit on x86_64 under qemu, 2 vCPUs (lockdep, KCSAN)"
	@echo "  make shard-test N=2     the sharded CI workflow's commands here, merged, compared with make verify's run"
	@echo "  make clean              remove build/"
	@echo "  make help               this list"

clean:
	rm -rf $(B)
