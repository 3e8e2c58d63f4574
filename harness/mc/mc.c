// SPDX-License-Identifier: GPL-2.0
/*
 * harness/mc: every interleaving of the real impl/ code, up to a preemption
 * bound.  Threads are real pthreads, but only the one the scheduler picks
 * runs: every atomic access, lock operation (env seam, tdxmm_sched_hook)
 * and SEAMCALL (simulator call hook) is a scheduling point, and every
 * access impl/ makes, plain ones included, goes through the happens-before
 * race detector of race.c (a data race fails the schedule).  Stateless
 * depth-first search over the decisions, each schedule re-executed from a
 * fresh world (CHESS-style).  During it: no two PAMT.ADD/REMOVE/DEMOTE in
 * flight at once (INV-33, R7).  After it: no lockdep report (INV-13), no
 * WARN or BUG, no deadlock, and the results and the final state must be
 * those of some sequential order of the model that respects each thread's
 * program order (linearizability: a store over another thread's freeze,
 * INV-02, or a lost install, INV-10, leaves a state no order explains),
 * with every state checker of the oracle (INV-03, INV-10, INV-11, INV-14,
 * INV-17, INV-18, INV-19, INV-30, INV-31, INV-32, INV-34, INV-35, INV-40).
 *
 *   mc [--scenario NAME] [--preemptions P] [--list] [--replay NAME:SCHEDULE]
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "cli.h"
#include "evidence.h"
#include "oracle.h"
#include "race.h"
#include "kvm.h"
#include "tdx_module.h"

#define MAXT		3
#define MAXOPS		2
#define MAXPOINTS	20000
#define MAX_RETRIES	16	/* re-faults of one vCPU after RET_PF_RETRY */

struct scenario {
	const char *name;
	const char *setup[4];		/* run first, alone, on vCPU 0 */
	const char *ops[MAXT][MAXOPS];	/* each thread's program */
	const char *what;
};

static const struct scenario scenarios[] = {
	/* first: cheap, and --first reaches them before the long DPAMT ones */
	{ "GMEM-fault-meets-to-shared", { NULL },
	  { { "gfault4k:1" }, { "to-shared:1" } },
	  "a private fault and the conversion of its page to shared (GMEM-18)" },
	{ "GMEM-2m-fault-meets-to-shared", { NULL },
	  { { "gfault2m:0" }, { "to-shared:1" } },
	  "a 2M private fault and the conversion of one of its pages (GMEM-18, SPEC 0.4.5)" },
	{ "GMEM-fault-meets-to-private", { "to-shared:1" },
	  { { "gfault4k:1" }, { "to-private:1" } },
	  "a fault on a shared page while it becomes private (GMEM-18)" },
	{ "GMEM-to-shared-meets-split", { "gfault2m:0" },
	  { { "split:0" }, { "to-shared:1" } },
	  "a split of a 2M leaf and the conversion of one of its pages (GMEM-06, SPEC 0.4.5)" },
	{ "GMEM-2m-fault-meets-crossing-to-shared", { NULL },
	  { { "gfault2m:512" }, { "to-shared:511+2" } },
	  "a 2M fault on the tail block of a conversion that crosses two blocks (GMEM-18)" },
	{ "R2-two-faults-same-gfn", { NULL },
	  { { "map4k:0" }, { "map4k:0" } },
	  "two vCPUs link the same tables and map the same gfn (R2, frozen SPTEs)" },
	{ "R2-three-faults-neighbours", { NULL },
	  { { "map4k:0" }, { "map4k:1" }, { "map4k:512" } },
	  "three vCPUs map neighbouring gfns through shared tables (R2)" },
	{ "R2-3x2-faults", { NULL },
	  { { "map4k:0", "map4k:1" }, { "map4k:1", "map4k:511" },
	    { "map4k:511", "map4k:0" } },
	  "3 threads x 2 faults on the gfns of one table" },
	{ "R2-fault-meets-zap", { "map4k:0" },
	  { { "zap:0", "map4k:0" }, { "map4k:1" } },
	  "a zap (write lock) between faults (read lock)" },
	{ "R4-R5-pamt-3x2-one-region", { NULL },
	  { { "pamt-get:1", "pamt-put:1" }, { "pamt-get:2", "pamt-put:2" },
	    { "pamt-get:3", "pamt-put:3" } },
	  "get/put of three pages of one region, through every 0->1 and 1->0 window (R4, R5)" },
	{ "R7-demote-vs-pamt-add", { "map2m:0" },
	  { { "split:0" }, { "pamt-get:1" } },
	  "DEMOTE (split) racing a PAMT.ADD of another region (R7)" },
	{ "R7-map-vs-split", { "map2m:0", "map4k:512" },
	  { { "split:0" }, { "pamt-get:2", "pamt-put:2" } },
	  "DEMOTE racing a get/put pair that adds and removes a pair" },
	{ "R12-split-meets-split", { "map2m:0", "map2m:512" },
	  { { "split:0" }, { "split:512" } },
	  "two splits fill and use the per-VM split caches (SPEC 0.4.3, R12)" },
	{ "R12-partial-zap-meets-split", { "map2m:0", "map2m:512" },
	  { { "zap:1" }, { "split:512" } },
	  "a zap that splits a 2M leaf it covers in part, beside a split (SPEC 0.4.5)" },
	{ "R7-fault-meets-split", { "map2m:0" },
	  { { "split:0" }, { "map4k:512" } },
	  "a split (write lock, DEMOTE) and a fault that links tables" },
	{ "R4-control-pages-meet-get-put", { NULL },
	  { { "ctrl-alloc", "ctrl-free" }, { "pamt-get:1", "pamt-put:1" } },
	  "control-page alloc/free (their PAMT refs) beside get/put of another page" },
};
#define NR_SCENARIOS ((int)(sizeof(scenarios) / sizeof(scenarios[0])))

static const struct bmc_cfg cfg = { .root_level = 4, .faults = BMC_FAULTS_NONE };

/* ---- the scheduler ---- */

static struct {
	int n;				/* threads */
	int cur;			/* the one running */
	bool done[MAXT], blocked[MAXT];
	bool yielded[MAXT];		/* re-faulting: runs only if nobody else can */
	sem_t go[MAXT], main_go;
	int inflight[MAXT];		/* a DPAMT SEAMCALL between its call and the next point */
	/* decisions of this execution */
	int npoints;
	u8 order[MAXPOINTS][MAXT];	/* enabled threads, current first */
	u8 nen[MAXPOINTS];
	u8 chosen[MAXPOINTS];		/* index into order[] */
	u8 pre[MAXPOINTS];		/* preemptions before this point */
	bool selfen[MAXPOINTS];		/* the running thread could go on */
	int preemptions;
	/* the prefix to follow (thread ids) */
	u8 prefix[MAXPOINTS];
	int nprefix;
	const char *violation;
	char why[512];
} S;

static int bound = 2;

static void fail(const char *inv, const char *fmt, const char *detail)
{
	if (S.violation)
		return;
	S.violation = inv;
	snprintf(S.why, sizeof(S.why), fmt, detail);
}

static void report(void);
static void print_schedule(void);

/* A schedule that cannot be finished (threads stuck): report, stop. */
static void fatal(const char *inv, const char *why)
{
	fail(inv, "%s", why);
	report();
	fflush(stdout);
	_exit(1);
}

/* Pick the next thread at a scheduling point of @self (-1: none runs). */
static int decide(int self)
{
	int k = S.npoints, n = 0, pick;
	bool self_en = self >= 0 && !S.done[self] && !S.blocked[self];

	if (k == MAXPOINTS)
		fatal("LIVELOCK", "more than MAXPOINTS scheduling points");
	for (int pass = 0; pass < 2 && !n; pass++) {
		/* first those not re-faulting; they only if nobody else can */
		self_en = self >= 0 && !S.done[self] && !S.blocked[self] &&
			  S.yielded[self] == pass;
		if (self_en)
			S.order[k][n++] = self;
		for (int t = 0; t < S.n; t++)
			if (t != self && !S.done[t] && !S.blocked[t] &&
			    S.yielded[t] == pass)
				S.order[k][n++] = t;
	}
	if (!n) {
		for (int t = 0; t < S.n; t++)
			if (!S.done[t])
				fatal("DEADLOCK", "every live thread is blocked");
		return -1;
	}
	pick = 0;
	if (k < S.nprefix) {
		while (pick < n && S.order[k][pick] != S.prefix[k])
			pick++;
		if (pick == n) {
			fail("NONDETERMINISM", "%s", "a replayed decision is not enabled");
			pick = 0;
		}
	}
	S.nen[k] = n;
	S.chosen[k] = pick;
	S.pre[k] = S.preemptions;
	S.selfen[k] = self_en;
	if (self_en && pick)
		S.preemptions++;
	S.npoints++;
	S.yielded[S.order[k][pick]] = false;
	return S.order[k][pick];
}

static void switch_from(int self)
{
	int next = decide(self);

	if (next == self)
		return;
	if (next < 0) {
		race_tid = -1;
		sem_post(&S.main_go);
	} else {
		S.cur = next;
		race_tid = next;
		sem_post(&S.go[next]);
	}
	if (self >= 0 && !S.done[self])
		sem_wait(&S.go[self]);
}

static bool dpamt_call(int sc)
{
	return sc == SC_PHYMEM_PAMT_ADD || sc == SC_PHYMEM_PAMT_REMOVE ||
	       sc == SC_MEM_PAGE_DEMOTE;
}

static void sched_hook(enum tdxmm_sched_ev ev, const void *obj)
{
	int self = S.cur;

	S.inflight[self] = -1;
	if (ev == TDXMM_SCHED_UNLOCK) {
		for (int t = 0; t < S.n; t++)
			S.blocked[t] = false;
		return;
	}
	if (ev == TDXMM_SCHED_BLOCKED && obj)
		S.blocked[self] = true;
	else if (ev == TDXMM_SCHED_BLOCKED)
		S.yielded[self] = true;
	switch_from(self);
}

/*
 * SEAMCALLs: a point before the call; a DPAMT call (PAMT.ADD/REMOVE,
 * DEMOTE) has a second one while the module executes it, and stays "in
 * flight" until its caller's next point.  Two in flight at once is what
 * pamt_lock must prevent (INV-33; R7: the real module answers BUSY).
 */
static void call_hook(enum tdx_seamcall sc)
{
	int self = S.cur;

	S.inflight[self] = -1;
	switch_from(self);
	if (!dpamt_call(sc))
		return;
	tdxmm_evidence(33);
	for (int t = 0; t < S.n; t++)
		if (t != self && S.inflight[t] >= 0)
			fail("INV-33", "%s while another DPAMT SEAMCALL is in flight (R7)",
			     oracle_sc_name(sc));
	S.inflight[self] = sc;
	switch_from(self);
}

/*
 * Synchronisation the env seam performs, for the race detector; and RCU:
 * synchronize_rcu() waits until no other thread is in a read-side section.
 */
static int rcu_in[MAXT];

static void sync_hook(enum tdxmm_sync_ev ev, const void *obj, unsigned long arg)
{
	int self = S.cur;

	if (self < 0)
		return;
	switch (ev) {
	case TDXMM_SYNC_ACQUIRE:
		race_acquire(obj, arg == TDXMM_HELD_READ);
		break;
	case TDXMM_SYNC_RELEASE:
		race_release(obj, arg == TDXMM_HELD_READ);
		break;
	case TDXMM_SYNC_RCU_LOCK:
		rcu_in[self] = arg;
		break;
	case TDXMM_SYNC_RCU_UNLOCK:		/* the outermost section ends */
		rcu_in[self] = 0;
		race_rcu_unlock();
		for (int t = 0; t < S.n; t++)
			S.blocked[t] = false;
		break;
	case TDXMM_SYNC_RCU_SYNC:
		for (int t = 0; t < S.n; t++) {
			if (t != self && rcu_in[t]) {
				sched_hook(TDXMM_SCHED_BLOCKED, rcu_in);
				t = -1;		/* look again */
			}
		}
		race_rcu_sync();
		break;
	case TDXMM_SYNC_ALLOC:
		race_alloc(obj, arg);
		break;
	case TDXMM_SYNC_FREE:
		race_free(obj, arg);
		break;
	}
}

/* ---- one execution ---- */

struct thr {
	int id;
	const struct scenario *sc;
	int ops[MAXOPS], nops;
	int ret[MAXOPS];
};

static struct thr thr[MAXT];

static void *thread_main(void *arg)
{
	struct thr *t = arg;

	sem_wait(&S.go[t->id]);
	for (int i = 0; i < t->nops; i++) {
		int r, tries = 0;

		/* a vCPU whose fault lost a race faults again (B7) */
		while ((r = oracle_run(t->ops[i], t->id)) == RET_PF_RETRY &&
		       oracle_op_is_fault(t->ops[i]) && ++tries < MAX_RETRIES)
			sched_hook(TDXMM_SCHED_BLOCKED, NULL);
		t->ret[i] = r;
	}
	S.done[t->id] = true;
	switch_from(t->id);
	return NULL;
}

static void on_bug(const char *file, int line)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "BUG() at %s:%d", file, line);
	fatal("BUG", buf);
}

static int op_id(const char *name)
{
	int op = oracle_op_by_name(name);

	if (op < 0) {
		fprintf(stderr, "mc: unknown operation %s\n", name);
		exit(2);
	}
	return op;
}

/* SEAMCALLs that met a resource held by another call in flight (BUSY). */
static unsigned long contentions, contended_schedules;

/* Does some program-order-respecting sequential order explain it all? */
static struct td_model m0;

static bool explain(int *next, int left, char *why, int len)
{
	struct td_model save;

	if (!left) {
		const char *inv = oracle_check_model_state(why, len);

		return !inv;
	}
	oracle_model_get(&save);
	for (int t = 0; t < S.n; t++) {
		if (next[t] == thr[t].nops)
			continue;
		if (oracle_model_step(thr[t].ops[next[t]], thr[t].ret[next[t]])) {
			next[t]++;
			if (explain(next, left - 1, why, len))
				return true;
			next[t]--;
		}
		oracle_model_set(&save);
	}
	return false;
}

static void execute(const struct scenario *sc)
{
	pthread_t pt[MAXT];
	unsigned long warns;
	int left = 0, next[MAXT] = { 0 };
	char why[256] = "no order gives the same results";

	S.violation = NULL;
	S.npoints = S.preemptions = 0;
	if (oracle_reset(&cfg)) {
		fprintf(stderr, "mc: set-up failed: %s\n", oracle_reset_why);
		exit(2);
	}
	tdxmm_bug_hook = on_bug;
	for (int i = 0; i < 4 && sc->setup[i]; i++) {
		int op = op_id(sc->setup[i]);

		if (!oracle_model_step(op, oracle_run(op, 0))) {
			fail("SETUP", "set-up step %s disagrees with the model",
			     sc->setup[i]);
			return;
		}
	}
	oracle_model_get(&m0);
	oracle_begin_concurrent();
	warns = tdxmm_env_stats.warns;

	for (S.n = 0; S.n < MAXT && sc->ops[S.n][0]; S.n++) {
		struct thr *t = &thr[S.n];

		t->id = S.n;
		t->sc = sc;
		t->nops = 0;
		for (int i = 0; i < MAXOPS && sc->ops[S.n][i]; i++)
			t->ops[t->nops++] = op_id(sc->ops[S.n][i]);
		left += t->nops;
		S.done[S.n] = S.blocked[S.n] = S.yielded[S.n] = false;
		S.inflight[S.n] = -1;
		rcu_in[S.n] = 0;
		sem_init(&S.go[S.n], 0, 0);
	}
	sem_init(&S.main_go, 0, 0);
	for (int t = 0; t < S.n; t++)
		pthread_create(&pt[t], NULL, thread_main, &thr[t]);
	tdxsim_set_call_hook(call_hook);
	tdxmm_sched_hook = sched_hook;
	tdxmm_sync_hook = sync_hook;
	race_begin(S.n);
	S.cur = -1;
	switch_from(-1);		/* point 0: who starts */
	sem_wait(&S.main_go);
	race_end();
	tdxmm_sync_hook = NULL;
	tdxmm_sched_hook = NULL;
	tdxsim_set_call_hook(NULL);
	for (int t = 0; t < S.n; t++) {
		pthread_join(pt[t], NULL);
		sem_destroy(&S.go[t]);
	}
	sem_destroy(&S.main_go);
	contentions += tdxsim_contentions();
	contended_schedules += tdxsim_contentions() > 0;
	if (S.violation)
		return;
	if (race_found()) {
		fail("DATA-RACE", "%s", race_found());
		return;
	}
	if (oracle_lockdep()) {
		fail(oracle_lockdep_inv(), "%s", oracle_lockdep());
		return;
	}
	if (tdxmm_env_stats.warns != warns) {
		fail("WARN", "WARN: %s", tdxmm_last_warn);
		return;
	}
	oracle_model_set(&m0);
	/* a store over another's freeze leaves a state no order explains */
	tdxmm_evidence(2);
	if (!explain(next, left, why, sizeof(why)))
		fail("LINEARIZABILITY", "%s", why);
}

/* The next prefix: the deepest point with an untried choice in bound. */
static bool backtrack(void)
{
	for (int k = S.npoints - 1; k >= 0; k--) {
		int alt = S.chosen[k] + 1;

		if (alt >= S.nen[k])
			continue;
		/* order[k][0] is the running thread if it could go on */
		if (S.selfen[k] && S.pre[k] + 1 > bound)
			continue;
		for (int i = 0; i < k; i++)
			S.prefix[i] = S.order[i][S.chosen[i]];
		S.prefix[k] = S.order[k][alt];
		S.nprefix = k + 1;
		return true;
	}
	return false;
}

static double now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

static void print_schedule(void)
{
	printf("mc:   schedule (thread per decision): ");
	for (int k = 0; k < S.npoints; k++)
		printf("%d", S.order[k][S.chosen[k]]);
	printf("\n");
}

static const struct scenario *cur_sc;
static long cur_n;

static void report(void)
{
	printf("mc: %-28s VIOLATION of %s after %ld schedules: %s\n",
	       cur_sc->name, S.violation, cur_n, S.why);
	for (int t = 0; t < S.n; t++) {
		printf("mc:   thread %d:", t);
		for (int i = 0; i < thr[t].nops; i++)
			printf(" %s%s", oracle_op_name(thr[t].ops[i]),
			       S.done[t] ? "" : "(running)");
		if (S.done[t])
			for (int i = 0; i < thr[t].nops; i++)
				printf(" [%d]", thr[t].ret[i]);
		printf("\n");
	}
	print_schedule();
	race_print("mc:");
	printf("mc:   rerun: build/mc/mc --replay %s:", cur_sc->name);
	for (int k = 0; k < S.npoints; k++)
		printf("%d", S.order[k][S.chosen[k]]);
	printf("\n");
}

static int explore(const struct scenario *sc, long *total)
{
	long n = 0;
	double t0 = now();
	int maxpts = 0;

	S.nprefix = 0;
	cur_sc = sc;
	do {
		cur_n = ++n;
		execute(sc);
		maxpts = S.npoints > maxpts ? S.npoints : maxpts;
		if (S.violation) {
			report();
			*total += n;
			return 1;
		}
	} while (backtrack());
	*total += n;
	/* a bound no execution's points can reach: every schedule was run */
	printf("mc: %-28s %7ld schedules, %4d points max, %6.1f s, %7.0f schedules/s: ok%s\n",
	       sc->name, n, maxpts, now() - t0, n / (now() - t0 + 1e-9),
	       bound >= maxpts ? " (every schedule: the bound exceeds the points)" : "");
	fflush(stdout);
	return 0;
}

/* Re-run one schedule (as a violation report prints it); bad input: 2. */
static int replay(const char *arg)
{
	const char *colon = strchr(arg, ':');
	const struct scenario *sc = NULL;
	int nthreads = 0;

	if (!colon) {
		fprintf(stderr, "mc: --replay wants NAME:SCHEDULE, not '%s'\n", arg);
		return 2;
	}
	for (int i = 0; i < NR_SCENARIOS && !sc; i++)
		if (!strncmp(scenarios[i].name, arg, colon - arg) &&
		    !scenarios[i].name[colon - arg])
			sc = &scenarios[i];
	if (!sc) {
		fprintf(stderr, "mc: no scenario '%.*s' (mc --list names them)\n",
			(int)(colon - arg), arg);
		return 2;
	}
	while (nthreads < MAXT && sc->ops[nthreads][0])
		nthreads++;
	S.nprefix = 0;
	for (const char *p = colon + 1; *p; p++) {
		if (*p < '0' || *p >= '0' + nthreads || S.nprefix == MAXPOINTS) {
			fprintf(stderr, "mc: schedule position %d: '%c' is not a thread of %s (0..%d)\n",
				S.nprefix + 1, *p, sc->name, nthreads - 1);
			return 2;
		}
		S.prefix[S.nprefix++] = *p - '0';
	}
	if (!S.nprefix) {
		fprintf(stderr, "mc: --replay %s: empty schedule\n", sc->name);
		return 2;
	}
	cur_sc = sc;
	execute(sc);
	if (S.violation && !strcmp(S.violation, "NONDETERMINISM")) {
		fprintf(stderr, "mc: the schedule does not fit %s: %s\n", sc->name, S.why);
		return 2;
	}
	if (S.npoints < S.nprefix) {
		fprintf(stderr, "mc: the schedule has %d decisions, the execution only %d\n",
			S.nprefix, S.npoints);
		return 2;
	}
	for (int t = 0; t < S.n; t++) {
		printf("mc: thread %d:", t);
		for (int k = 0; k < thr[t].nops; k++)
			printf(" %s -> %d", oracle_op_name(thr[t].ops[k]),
			       thr[t].ret[k]);
		printf("\n");
	}
	if (S.violation) {
		printf("mc: VIOLATION of %s: %s\n", S.violation, S.why);
		race_print("mc:");
		return 1;
	}
	printf("mc: replayed %d decisions: no violation\n", S.npoints);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: mc [--scenario NAME] [--preemptions P] [--first] [--list] [--replay NAME:SCHEDULE]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scenario", required_argument, NULL, 's' },
		{ "preemptions", required_argument, NULL, 'p' },
		{ "replay", required_argument, NULL, 'r' },
		{ "first", no_argument, NULL, 'f' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *only = NULL, *replay_arg = NULL;
	bool first = false;	/* stop at the first violation */
	long total = 0;
	int rc = 0, c, ran = 0;
	double t0 = now();

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			only = optarg;
			break;
		case 'p':
			bound = cli_number("mc", "--preemptions", optarg, 0, 1000);
			if (bound < 0)
				return 2;
			break;
		case 'r':
			replay_arg = optarg;
			break;
		case 'f':
			first = true;
			break;
		case 'l':
			for (int k = 0; k < NR_SCENARIOS; k++)
				printf("%-28s %s\n", scenarios[k].name,
				       scenarios[k].what);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "mc: unknown option or missing argument: %s\n",
				argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "mc: unexpected argument: %s\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (only) {
		int k = 0;

		while (k < NR_SCENARIOS && strcmp(only, scenarios[k].name))
			k++;
		if (k == NR_SCENARIOS) {
			fprintf(stderr, "mc: no scenario '%s' (mc --list names them)\n",
				only);
			return 2;
		}
	}
	if (oracle_select_ops("map4k:0,map4k:1,map4k:511,map4k:512,map2m:0,map2m:512,"
			      "zap:0,zap:1,split:0,split:512,ctrl-alloc,ctrl-free,"
			      "pamt-get:1,pamt-put:1,pamt-get:2,pamt-put:2,pamt-get:3,pamt-put:3,"
			      "gfault4k:0,gfault4k:1,gfault4k:512,gfault2m:0,"
			      "gfault2m:512,to-shared:1,to-private:1,to-shared:511+2"))
		return 2;
	if (replay_arg)
		return replay(replay_arg);
	printf("mc: preemption bound %d; every atomic access, lock operation and SEAMCALL is a scheduling point; every access of impl/ is race-checked\n",
	       bound);
	for (int i = 0; i < NR_SCENARIOS && !(rc && first); i++) {
		if (only && strcmp(only, scenarios[i].name))
			continue;
		rc |= explore(&scenarios[i], &total);
		ran++;
	}
	printf("mc: race detector: %llu plain accesses, %llu atomic operations, %llu lock/RCU synchronisations checked with happens-before (at most %d shadow pages and %d sync objects in one execution)\n",
	       race_stats.accesses - race_stats.atomics, race_stats.atomics,
	       race_stats.syncs, race_stats.max_pages, race_stats.max_syncs);
	printf("mc: module contention: %lu SEAMCALL(s) met a resource held by a call in flight and returned BUSY, in %lu schedule(s)\n",
	       contentions, contended_schedules);
	printf("mc: evidence (checks evaluated):");
	for (int n = 1; n < TDXMM_NR_INV; n++)
		if (tdxmm_inv_evaluated[n])
			printf(" INV-%02d=%llu", n,
			       (unsigned long long)tdxmm_inv_evaluated[n]);
	for (int n = 1; n < TDXMM_NR_GMEM; n++)
		if (tdxmm_gmem_evaluated[n])
			printf(" GMEM-%02d=%llu", n,
			       (unsigned long long)tdxmm_gmem_evaluated[n]);
	printf("\n");
	printf("mc: %d scenario(s), %ld schedules in %.1f s, %s\n", ran, total,
	       now() - t0, rc ? "VIOLATION" : "no violation");
	return rc;
}
