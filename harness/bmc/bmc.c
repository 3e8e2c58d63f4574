// SPDX-License-Identifier: GPL-2.0
/*
 * harness/bmc: every sequence of operations of the bounded universe up to
 * depth k, each SEAMCALL of each step also failing with each status it can
 * return (oracle_faults), breadth-first with state hashing, on the real
 * impl/ against model/td_model.c (oracle.c).  States are restored by
 * replay from a fresh world (see README/docs: the measured cost per replayed
 * step against fork() is printed with --cost).  Workers are processes (-j);
 * --shard i/n keeps the i-th of n disjoint sets of first steps.
 *
 *   bmc [--root 3|4|5] [--depth K] [--faults none|classes|all] [-j N]
 *       [--shard i/n] [--json FILE] [--trace-out FILE] [--cost]
 *   bmc --replay FILE [--jsonl TRACE]   (TRACE: docs/TRACE-FORMAT.md)
 *   bmc --merge FILE...
 */
#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "evidence.h"
#include "oracle.h"
#include "tdx_module.h"

struct node {
	u32 parent;		/* index in the previous level */
	struct bmc_choice c;
};

struct rec {			/* one transition, from a worker */
	u32 parent;
	u32 ord;		/* the child's rank among its parent's */
	struct bmc_choice c;
	u64 hash;
	u8 terminal, violation;
};

static struct bmc_cfg cfg = {
	.root_level = 4, .faults = BMC_FAULTS_ALL, .strict_faults = true,
};
static int depth = 6, jobs = 1, shard_i, shard_n = 1;
static const char *json_out, *trace_out = "build/bmc/violation.trace";
static const char *ops_arg;	/* --ops as given; NULL: the whole universe */
static const char *tmpdir = "build/bmc/tmp";

static struct node *level[64];
static u32 nlevel[64];

static double now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

/* ---- visited set: open addressing over 64-bit state hashes ---- */
static u64 *vis;
static u64 vis_cap, vis_n;

static bool visit(u64 h)
{
	if (!h)
		h = 1;
	if ((vis_n + 1) * 2 > vis_cap) {
		u64 *old = vis, oc = vis_cap;

		vis_cap = oc ? oc * 2 : 1 << 16;
		vis = calloc(vis_cap, sizeof(u64));
		if (!vis) {
			perror("bmc: visited set");
			exit(2);
		}
		vis_n = 0;
		for (u64 i = 0; i < oc; i++)
			if (old[i])
				visit(old[i]);
		free(old);
	}
	for (u64 i = h & (vis_cap - 1);; i = (i + 1) & (vis_cap - 1)) {
		if (vis[i] == h)
			return false;
		if (!vis[i]) {
			vis[i] = h;
			vis_n++;
			return true;
		}
	}
}

/* ---- replay ---- */

static int path_of(int d, u32 idx, struct bmc_choice *seq)
{
	for (int k = d; k > 0; k--) {
		seq[k - 1] = level[k][idx].c;
		idx = level[k][idx].parent;
	}
	return d;
}

static void restore(const struct bmc_choice *seq, int n)
{
	if (oracle_reset(&cfg)) {
		/* deterministic: the first set-up already failed (search()) */
		fprintf(stderr, "bmc: set-up failed: %s\n", oracle_reset_why);
		exit(2);
	}
	for (int i = 0; i < n; i++)
		oracle_replay_step(&seq[i]);
}

static void write_trace(const char *path, const struct bmc_choice *seq, int n,
			const struct bmc_result *r)
{
	FILE *f = fopen(path, "w");
	char buf[128];

	if (!f) {
		perror(path);
		return;
	}
	fprintf(f, "# tdxmm bmc trace: replay with harness/bmc --replay %s\n", path);
	fprintf(f, "# violation: %s: %s\n", r->inv, r->why);
	fprintf(f, "root %d\n", cfg.root_level);
	if (ops_arg)	/* a universe of its own (guest_memfd ops are not default) */
		fprintf(f, "ops %s\n", ops_arg);
	for (int i = 0; i < n; i++) {
		oracle_format(&seq[i], buf, sizeof(buf));
		fprintf(f, "step %s\n", buf);
	}
	fclose(f);
}

/* A planted bug may crash the checker: that is a violation too, with a trace. */
static struct rec cur_rec;
static int viol_fd = -1;

static void put_violation(const struct rec *rec, const struct bmc_result *r)
{
	if (write(viol_fd, rec, sizeof(*rec)) != sizeof(*rec) ||
	    write(viol_fd, r, sizeof(*r)) != sizeof(*r))
		_exit(2);
}

static void on_crash(int sig)
{
	static struct bmc_result r;
	static const char msg[] = "the step crashed the checker: signal ";

	memcpy(r.why, msg, sizeof(msg));
	r.why[sizeof(msg) - 1] = '0' + sig / 10;
	r.why[sizeof(msg)] = '0' + sig % 10;
	r.inv = "CRASH";
	r.terminal = 1;
	cur_rec.violation = 1;
	put_violation(&cur_rec, &r);
	_exit(3);
}

/* Expand every node of level @d with index % jobs == @wk into @out. */
static void expand(int d, int wk, FILE *out)
{
	static struct bmc_choice seq[64];
	static struct bmc_choice faults[4096];
	int nops = oracle_nr_ops();

	for (u32 i = wk; i < nlevel[d]; i += jobs) {
		u32 ord = 0;

		path_of(d, i, seq);
		for (int op = 0; op < nops; op++) {
			struct bmc_choice c = { .op = op };
			struct bmc_result r;
			int nf = 0;

			for (int f = -1; f < 0 || f < nf; f++) {
				struct rec rec;

				if (f >= 0)
					c = faults[f];
				restore(seq, d);
				seq[d] = c;
				cur_rec = (struct rec){ .parent = i, .ord = ord,
							.c = c };
				oracle_step(&c, &r);
				if (f < 0)
					nf = oracle_faults(&cfg, op, r.calls,
							   faults, 4096);
				rec = (struct rec){ .parent = i, .ord = ord++,
					.c = c, .terminal = r.terminal,
					.violation = !!r.inv };
				rec.hash = r.inv ? 0 : oracle_hash();
				fwrite(&rec, sizeof(rec), 1, out);
				if (r.inv)
					put_violation(&rec, &r);
			}
		}
	}
}

static int rec_cmp(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	return x->ord < y->ord ? -1 : x->ord > y->ord;
}

static FILE *open_tmp(int d, int wk, const char *kind, const char *mode)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s-%d-%d", tmpdir, kind, d, wk);
	return fopen(path, mode);
}

static void *slurp(FILE *f, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 20;
			buf = realloc(buf, cap);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	*len = n;
	return buf;
}

struct summary {
	u64 transitions, distinct, expanded, violations;
	int depth;
	bool fixpoint;
	double secs;
	double per_depth_secs[64];
	u64 per_depth_new[64], per_depth_trans[64];
};

static u64 evidence[TDXMM_NR_INV];	/* summed over the workers */
static u64 gmem_evidence[TDXMM_NR_GMEM];

static void print_json(const struct summary *s, const char *first)
{
	FILE *f = json_out ? fopen(json_out, "w") : NULL;
	int k = 0;

	if (!f)
		return;
	fprintf(f, "{\"root\": %d, \"faults\": \"%s\", \"shard\": \"%d/%d\", \"jobs\": %d,\n",
		cfg.root_level, cfg.faults == BMC_FAULTS_ALL ? "all" :
		cfg.faults == BMC_FAULTS_CLASSES ? "classes" : "none",
		shard_i, shard_n, jobs);
	fprintf(f, " \"depth\": %d, \"transitions\": %llu, \"distinct\": %llu, \"expanded\": %llu,\n",
		s->depth, (unsigned long long)s->transitions,
		(unsigned long long)s->distinct, (unsigned long long)s->expanded);
	fprintf(f, " \"seconds\": %.2f, \"violations\": %llu, \"first_violation\": \"%s\",\n",
		s->secs, (unsigned long long)s->violations, first ? first : "");
	fprintf(f, " \"fixpoint\": %s, \"operations\": %d, \"ops\": \"%s\",\n",
		s->fixpoint ? "true" : "false", oracle_nr_ops(),
		ops_arg ? ops_arg : "");
	/* how often each invariant's check ran, all workers together */
	fprintf(f, " \"evidence\": {");
	for (int n = 1; n < TDXMM_NR_INV; n++)
		if (evidence[n])
			fprintf(f, "%s\"INV-%02d\": %llu", k++ ? ", " : "", n,
				(unsigned long long)evidence[n]);
	for (int n = 1; n < TDXMM_NR_GMEM; n++)
		if (gmem_evidence[n])
			fprintf(f, "%s\"GMEM-%02d\": %llu", k++ ? ", " : "", n,
				(unsigned long long)gmem_evidence[n]);
	fprintf(f, "},\n");
	fprintf(f, " \"per_depth\": [");
	for (int d = 1; d <= s->depth; d++)
		fprintf(f, "%s{\"depth\": %d, \"new\": %llu, \"transitions\": %llu, \"seconds\": %.2f}",
			d > 1 ? ", " : "", d,
			(unsigned long long)s->per_depth_new[d],
			(unsigned long long)s->per_depth_trans[d],
			s->per_depth_secs[d]);
	fprintf(f, "]}\n");
	fclose(f);
}

static int search(void)
{
	struct summary s = { 0 };
	double t0 = now();
	char first[512] = "";

	if (system("mkdir -p build/bmc/tmp") != 0)
		return 2;
	level[0] = calloc(1, sizeof(struct node));
	nlevel[0] = 1;
	if (oracle_reset(&cfg)) {
		printf("bmc: VIOLATION of SETUP at depth 0: the universe's set-up fails: %s\n",
		       oracle_reset_why);
		return 1;
	}
	{
		struct bmc_result r0;

		oracle_check_initial(&r0);
		if (r0.inv) {
			printf("bmc: VIOLATION of %s at depth 0 (the fresh TD): %s\n",
			       r0.inv, r0.why);
			return 1;
		}
	}
	visit(oracle_hash());
	s.distinct = 1;
	printf("bmc: root level %d, %d operations, faults %s, depth %d, %d job(s), shard %d/%d\n",
	       cfg.root_level, oracle_nr_ops(),
	       cfg.faults == BMC_FAULTS_ALL ? "all statuses" :
	       cfg.faults == BMC_FAULTS_CLASSES ? "BUSY + one other per call" :
	       "none", depth, jobs, shard_i, shard_n);
	printf("bmc: %5s %10s %12s %10s %9s %8s\n", "depth", "frontier",
	       "transitions", "new", "states/s", "seconds");
	for (int d = 0; d < depth && nlevel[d]; d++) {
		double td = now();
		struct rec *recs;
		size_t len, nrec = 0, cap = 0;
		u64 nviol = 0;
		int best = -1;
		struct rec best_rec = { 0 };
		struct bmc_result best_r = { 0 };

		for (int wk = 0; wk < jobs; wk++) {
			pid_t pid = fork();

			if (pid == 0) {
				FILE *out = open_tmp(d, wk, "rec", "wb");
				FILE *viol = open_tmp(d, wk, "viol", "wb");

				if (!out || !viol)
					_exit(2);
				viol_fd = fileno(viol);
				signal(SIGSEGV, on_crash);
				signal(SIGBUS, on_crash);
				signal(SIGABRT, on_crash);
				signal(SIGFPE, on_crash);
				expand(d, wk, out);
				fclose(out);
				fclose(viol);
				out = open_tmp(d, wk, "ev", "wb");
				if (!out || fwrite(tdxmm_inv_evaluated,
						   sizeof(tdxmm_inv_evaluated), 1, out) != 1 ||
				    fwrite(tdxmm_gmem_evaluated,
					   sizeof(tdxmm_gmem_evaluated), 1, out) != 1)
					_exit(2);
				fclose(out);
				_exit(0);
			}
			if (pid < 0) {
				perror("bmc: fork");
				return 2;
			}
		}
		for (int wk = 0; wk < jobs; wk++) {
			int st;

			/* 3: a step crashed, recorded as a violation */
			if (wait(&st) < 0 || !WIFEXITED(st) ||
			    (WEXITSTATUS(st) && WEXITSTATUS(st) != 3)) {
				fprintf(stderr, "bmc: a worker died (status 0x%x)\n", st);
				return 2;
			}
		}
		recs = NULL;
		for (int wk = 0; wk < jobs; wk++) {
			FILE *f = open_tmp(d, wk, "rec", "rb");
			struct rec *part = slurp(f, &len);

			fclose(f);
			if (nrec + len / sizeof(struct rec) > cap) {
				cap = (nrec + len / sizeof(struct rec)) * 2;
				recs = realloc(recs, cap * sizeof(struct rec));
			}
			memcpy(recs + nrec, part, len);
			nrec += len / sizeof(struct rec);
			free(part);

			f = open_tmp(d, wk, "ev", "rb");
			{
				u64 ev[TDXMM_NR_INV], gev[TDXMM_NR_GMEM];

				if (!f || fread(ev, sizeof(ev), 1, f) != 1 ||
				    fread(gev, sizeof(gev), 1, f) != 1) {
					fprintf(stderr, "bmc: worker %d left no evidence counts\n", wk);
					return 2;
				}
				for (int n = 0; n < TDXMM_NR_INV; n++)
					evidence[n] += ev[n] - tdxmm_inv_evaluated[n];
				for (int n = 0; n < TDXMM_NR_GMEM; n++)
					gmem_evidence[n] += gev[n] - tdxmm_gmem_evaluated[n];
				fclose(f);
			}
			f = open_tmp(d, wk, "viol", "rb");
			for (;;) {
				struct rec vr;
				struct bmc_result r;

				if (fread(&vr, sizeof(vr), 1, f) != 1 ||
				    fread(&r, sizeof(r), 1, f) != 1)
					break;
				nviol++;
				if (best < 0 || rec_cmp(&vr, &best_rec) < 0) {
					best = 1;
					best_rec = vr;
					best_r = r;
				}
			}
			fclose(f);
		}
		qsort(recs, nrec, sizeof(*recs), rec_cmp);
		level[d + 1] = malloc((nrec + 1) * sizeof(struct node));
		nlevel[d + 1] = 0;
		for (size_t k = 0; k < nrec; k++) {
			struct rec *r = &recs[k];

			if (d == 0 && (int)(r->ord % shard_n) != shard_i)
				continue;
			s.transitions++;
			s.per_depth_trans[d + 1]++;
			if (r->violation || !visit(r->hash))
				continue;
			s.distinct++;
			s.per_depth_new[d + 1]++;
			if (!r->terminal)
				level[d + 1][nlevel[d + 1]++] =
					(struct node){ r->parent, r->c };
		}
		free(recs);
		s.expanded += nlevel[d];
		s.depth = d + 1;
		s.per_depth_secs[d + 1] = now() - td;
		printf("bmc: %5d %10u %12llu %10llu %9.0f %8.1f\n", d + 1,
		       nlevel[d], (unsigned long long)s.per_depth_trans[d + 1],
		       (unsigned long long)s.per_depth_new[d + 1],
		       s.per_depth_trans[d + 1] / (s.per_depth_secs[d + 1] + 1e-9),
		       s.per_depth_secs[d + 1]);
		fflush(stdout);
		if (best >= 0) {
			static struct bmc_choice seq[64];
			char buf[128];

			s.violations = nviol;
			path_of(d, best_rec.parent, seq);
			seq[d] = best_rec.c;
			printf("\nbmc: VIOLATION of %s at depth %d (%llu violating transitions at this depth)\n",
			       best_r.inv, d + 1, (unsigned long long)nviol);
			printf("bmc: %s\n", best_r.why);
			printf("bmc: shortest failing sequence:\n");
			for (int i = 0; i <= d; i++) {
				oracle_format(&seq[i], buf, sizeof(buf));
				printf("bmc:   #%d  %s\n", i + 1, buf);
			}
			write_trace(trace_out, seq, d + 1, &best_r);
			printf("bmc: written to %s; rerun: harness/bmc --replay %s\n",
			       trace_out, trace_out);
			snprintf(first, sizeof(first), "%s: %s", best_r.inv, best_r.why);
			break;
		}
	}
	s.secs = now() - t0;
	s.fixpoint = !s.violations && s.depth < depth && !nlevel[s.depth];
	if (s.fixpoint)
		printf("bmc: fixpoint: no new state after depth %d: every state of this universe reachable with every fault is explored (states as oracle_hash() tells them apart)\n",
		       s.depth);
	printf("bmc: depth %d, %llu transitions, %llu distinct states, %llu expanded, %.1f s, %.0f transitions/s, %s\n",
	       s.depth, (unsigned long long)s.transitions,
	       (unsigned long long)s.distinct, (unsigned long long)s.expanded,
	       s.secs, s.transitions / (s.secs + 1e-9),
	       s.violations ? "VIOLATION" : "no violation");
	for (int n = 0; n < TDXMM_NR_INV; n++)	/* and this process's own */
		evidence[n] += tdxmm_inv_evaluated[n];
	for (int n = 0; n < TDXMM_NR_GMEM; n++)
		gmem_evidence[n] += tdxmm_gmem_evaluated[n];
	print_json(&s, first);
	return s.violations ? 1 : 0;
}

/* Restore cost: one replayed step vs. a fork() snapshot, measured here. */
static void cost(void)
{
	struct bmc_choice seq[6] = {
		{ .op = (u8)oracle_op_by_name("map4k:0") },
		{ .op = (u8)oracle_op_by_name("map2m:512") },
		{ .op = (u8)oracle_op_by_name("map4k:262144") },
		{ .op = (u8)oracle_op_by_name("pamt-get:0") },
		{ .op = (u8)oracle_op_by_name("split:512") },
		{ .op = (u8)oracle_op_by_name("zap:1") },
	};
	int n = 200;
	double t0 = now(), t_reset, t_replay, t_fork;

	for (int i = 0; i < n; i++)
		restore(seq, 0);
	t_reset = (now() - t0) / n;
	t0 = now();
	for (int i = 0; i < n; i++)
		restore(seq, 6);
	t_replay = ((now() - t0) / n - t_reset) / 6;
	t0 = now();
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
	}
	t_fork = (now() - t0) / n;
	printf("bmc: restore cost: fresh world %.1f us, replayed step %.1f us, fork()+exit+wait %.1f us\n",
	       t_reset * 1e6, t_replay * 1e6, t_fork * 1e6);
	printf("bmc: a depth-8 restore by replay costs %.0f us, %.1fx a fork() snapshot\n",
	       (t_reset + 8 * t_replay) * 1e6, (t_reset + 8 * t_replay) / t_fork);
}

static int merge(int argc, char **argv)
{
	u64 trans = 0, dist = 0, viol = 0;
	double secs = 0;
	int dmin = 1 << 30, n = 0;

	for (int i = 0; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");
		char buf[4096];
		size_t len;
		unsigned long long t, d, v;
		double sc;
		int dep;
		char *p;

		if (!f) {
			perror(argv[i]);
			return 2;
		}
		len = fread(buf, 1, sizeof(buf) - 1, f);
		buf[len] = 0;
		fclose(f);
		p = strstr(buf, "\"depth\":");
		if (!p || sscanf(p, "\"depth\": %d, \"transitions\": %llu, \"distinct\": %llu",
				 &dep, &t, &d) != 3 ||
		    !(p = strstr(buf, "\"seconds\":")) ||
		    sscanf(p, "\"seconds\": %lf, \"violations\": %llu", &sc, &v) != 2) {
			fprintf(stderr, "bmc: %s: not a bmc summary\n", argv[i]);
			return 2;
		}
		trans += t;
		dist += d;
		viol += v;
		secs = sc > secs ? sc : secs;
		dmin = dep < dmin ? dep : dmin;
		n++;
	}
	printf("bmc: %d shard(s) merged: depth %d, %llu transitions, %llu states (sum over shards; a state reached in two shards counts twice), slowest shard %.1f s, %llu violation(s)\n",
	       n, dmin, (unsigned long long)trans, (unsigned long long)dist,
	       secs, (unsigned long long)viol);
	return viol ? 1 : 0;
}

/* Replay a violation trace; @jsonl: also write its docs/TRACE-FORMAT.md trace. */
static int replay_one(const char *path, const char *jsonl)
{
	struct bmc_result r;
	int n;

	if (jsonl && tdxmm_trace_open(jsonl, "tdxmm-user bmc --replay")) {
		perror(jsonl);
		return 2;
	}
	n = oracle_replay_file(path, stdout, &r);
	tdxmm_trace_close();
	if (n < 0) {
		fprintf(stderr, "bmc: cannot replay %s\n", path);
		return 2;
	}
	printf("bmc: replayed %d step(s): %s\n", n,
	       r.inv ? "VIOLATION" : "no violation");
	return r.inv ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: bmc [--root 3|4|5] [--depth K] [--faults none|classes|all] [-j N]\n"
		"           [--shard i/n] [--json FILE] [--trace-out FILE] [--cost]\n"
		"           [--ops NAME,NAME...]\n"
		"       bmc --replay FILE [--jsonl TRACE.jsonl]\n       bmc --merge SUMMARY.json...\n");
	exit(2);
}

/* A whole decimal number in [lo, hi], or a named error and exit 2. */
static int number(const char *opt, const char *arg, int lo, int hi)
{
	int v = cli_number("bmc", opt, arg, lo, hi);

	if (v < 0)
		exit(2);
	return v;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "replay", required_argument, NULL, 'R' },
		{ "jsonl", required_argument, NULL, 'L' },
		{ "merge", no_argument, NULL, 'M' },
		{ "root", required_argument, NULL, 'r' },
		{ "depth", required_argument, NULL, 'd' },
		{ "faults", required_argument, NULL, 'f' },
		{ "shard", required_argument, NULL, 's' },
		{ "json", required_argument, NULL, 'J' },
		{ "trace-out", required_argument, NULL, 't' },
		{ "ops", required_argument, NULL, 'o' },
		{ "cost", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *replay = NULL, *jsonl = NULL;
	bool do_cost = false;
	int c;

	/* each worker is a process of one thread */
	tdxsim_set_single_threaded(true);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+j:", opts, NULL)) != -1) {
		switch (c) {
		case 'R':
			replay = optarg;
			break;
		case 'L':
			jsonl = optarg;
			break;
		case 'M':
			if (optind >= argc) {
				fprintf(stderr, "bmc: --merge wants at least one summary file\n");
				return 2;
			}
			return merge(argc - optind, argv + optind);
		case 'r':
			cfg.root_level = number("--root", optarg, 3, 5);
			break;
		case 'd':
			depth = number("--depth", optarg, 1, 60);
			break;
		case 'j':
			jobs = number("-j", optarg, 1, 64);
			break;
		case 'f':
			if (!strcmp(optarg, "none"))
				cfg.faults = BMC_FAULTS_NONE;
			else if (!strcmp(optarg, "classes"))
				cfg.faults = BMC_FAULTS_CLASSES;
			else if (!strcmp(optarg, "all"))
				cfg.faults = BMC_FAULTS_ALL;
			else {
				fprintf(stderr, "bmc: --faults is none, classes or all, not '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 's': {
			char tail;

			if (sscanf(optarg, "%d/%d%c", &shard_i, &shard_n, &tail) != 2 ||
			    shard_n < 1 || shard_i < 0 || shard_i >= shard_n) {
				fprintf(stderr, "bmc: --shard wants i/n with 0 <= i < n, not '%s'\n",
					optarg);
				return 2;
			}
			break;
		}
		case 'J':
			json_out = optarg;
			break;
		case 't':
			trace_out = optarg;
			break;
		case 'o':
			ops_arg = optarg;
			if (oracle_select_ops(optarg)) {
				fprintf(stderr, "bmc: unknown operation in %s\n", optarg);
				return 2;
			}
			break;
		case 'c':
			do_cost = true;
			break;
		case 'h':
			usage();
			break;
		default:
			fprintf(stderr, "bmc: unknown option or missing argument: %s\n",
				argv[optind - 1]);
			usage();
		}
	}
	if (optind < argc) {
		fprintf(stderr, replay ? "bmc: --replay takes one file, not also %s\n" :
			"bmc: unexpected argument: %s\n", argv[optind]);
		if (replay)
			return 2;
		usage();
	}
	if (jsonl && !replay) {
		fprintf(stderr, "bmc: --jsonl writes the trace of a --replay\n");
		return 2;
	}
	if (replay)
		return replay_one(replay, jsonl);
	if (do_cost) {
		cost();
		return 0;
	}
	return search();
}
