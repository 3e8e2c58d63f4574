/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lock-step oracle that harness/bmc, harness/mc, the fuzzer and the
 * tests share: one bounded universe (SPEC 0.3), the real impl/ and the TDX-module simulator
 * on one side, model/td_model.c on the other.  oracle_step() runs one
 * operation, with at most one injected SEAMCALL fault, on both, compares
 * the results and the abstract states, and runs every invariant checker.
 */
#ifndef TDXMM_ORACLE_H
#define TDXMM_ORACLE_H

#include "env.h"
#include "td_model.h"

/* A step: which operation, and which fault (if any) to inject. */
struct bmc_choice {
	u8 op;			/* index into the universe's operation table */
	u8 armed, always;
	u8 sc;			/* enum tdx_seamcall */
	u8 st;			/* index into tdxsim_statuses(sc) */
	u16 nth;		/* which call of kind sc, 1-based */
};

#define ORACLE_VCPUS 3	/* vCPUs of the TD; bmc uses the first */

enum bmc_faults { BMC_FAULTS_NONE, BMC_FAULTS_CLASSES, BMC_FAULTS_ALL };

struct bmc_cfg {
	int root_level;		/* 3 or 4 */
	enum bmc_faults faults;
	bool strict_faults;	/* a fault whose call does not happen is an error */
};

struct bmc_result {
	const char *inv;	/* NULL, or the violated invariant ("INV-30") */
	char why[256];		/* what differs */
	bool terminal;		/* VM bugged: not expanded further */
	bool fault_void;	/* the fault's call did not happen (not strict) */
	int ret;		/* what impl/ returned */
	unsigned int calls[SC_NR];	/* SEAMCALLs of the step, per kind */
};

int oracle_nr_ops(void);
/* Restrict the universe to the comma-separated operation names; 0 or -1. */
int oracle_select_ops(const char *list);
const char *oracle_op_name(int op);
int oracle_op_by_name(const char *name);
const char *oracle_sc_name(int sc);
int oracle_sc_by_name(const char *name);

/* A fresh world: simulator, DPAMT, pool, a finalized TD, the model. */
int oracle_reset(const struct bmc_cfg *cfg);
extern const char *oracle_reset_why;	/* why oracle_reset() failed */
/* Every checker on the fresh world (depth 0). */
void oracle_check_initial(struct bmc_result *r);
/* One step on impl/ and the model, then every checker. */
void oracle_step(const struct bmc_choice *c, struct bmc_result *r);
/* The same step, already checked once: restoring a state by replay. */
void oracle_replay_step(const struct bmc_choice *c);
/* Canonical abstract state of the world after the last step. */
u64 oracle_hash(void);
/*
 * The fault choices for operation @op from the calls its fault-free run
 * made (@calls): every kind it called, its 1st, 2nd and last call, each
 * status the kind can return (BMC_FAULTS_CLASSES: the first BUSY and the
 * first other status), and for the retried removal steps a BUSY that
 * persists.  Writes up to @max choices, returns how many.
 */
int oracle_faults(const struct bmc_cfg *cfg, int op,
		  const unsigned int *calls, struct bmc_choice *out, int max);
/*
 * harness/mc: operations run concurrently on impl/ (no model), then the
 * model is run in a sequential order and the state compared.
 */
void oracle_begin_concurrent(void);
int oracle_run(int op, int vcpu);
bool oracle_op_is_fault(int op);	/* a vCPU fault: RET_PF_RETRY re-faults */
const char *oracle_lockdep(void);	/* the first lockdep report, or NULL */
/* Which invariant that report breaks (INV-38, INV-39, INV-33, INV-13). */
const char *oracle_lockdep_inv(void);
void oracle_model_get(struct td_model *m);
void oracle_model_set(const struct td_model *m);
/* One op on the model, fault-free: true if @ret is a result it allows. */
bool oracle_model_step(int op, int ret);
/* Every state checker, the mirror against the model's state. */
const char *oracle_check_model_state(char *why, int len);
/* "map4k:0 fault=SEPT_ADD#2:BUSY_RCX" */
void oracle_format(const struct bmc_choice *c, char *buf, int len);
int oracle_parse(const char *line, struct bmc_choice *c);
/*
 * Replay a trace file (harness/bmc writes them): a fresh world, then each
 * "step" line, in the universe of its "ops" line if it has one; every step is printed to @log if not NULL.  Returns the
 * number of steps run; *@r holds the first violation (r->inv), if any.
 * -1 if the file cannot be read or parsed.
 */
int oracle_replay_file(const char *path, void *log, struct bmc_result *r);

#endif
