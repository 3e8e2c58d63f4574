/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One JSON Lines record of a tdxmm trace (docs/TRACE-FORMAT.md): a flat
 * object whose values are strings, integers, booleans, or arrays of
 * strings and integers.  Strict: anything else is an error with a column.
 */
#ifndef TDXMM_CONFORM_JSONL_H
#define TDXMM_CONFORM_JSONL_H

#include <stdbool.h>
#include <stdint.h>

#define JSONL_MAX_MEMBERS	24
#define JSONL_MAX_ARRAY		4

enum jsonl_type { J_STR, J_INT, J_BOOL, J_ARRAY };

struct jsonl_member {
	char key[32];
	enum jsonl_type type;
	char str[96];			/* J_STR, and J_INT's digits */
	bool b;
	int narr;
	char arr[JSONL_MAX_ARRAY][40];	/* each element's text */
	bool arr_str[JSONL_MAX_ARRAY];
	bool used;			/* read by the decoder */
};

struct jsonl_obj {
	int n;
	struct jsonl_member m[JSONL_MAX_MEMBERS];
};

/* 0, or -1 with a message in @err. */
int jsonl_parse(const char *line, struct jsonl_obj *o, char *err, int len);
struct jsonl_member *jsonl_get(struct jsonl_obj *o, const char *key);
/*
 * A u64 written as a JSON integer or as a "0x..." / decimal string.
 * 0 found, 1 absent, -1 malformed (message in @err).
 */
int jsonl_u64(struct jsonl_obj *o, const char *key, uint64_t *v, char *err,
	      int len);
int jsonl_int(struct jsonl_obj *o, const char *key, long long *v, char *err,
	      int len);
int jsonl_bool(struct jsonl_obj *o, const char *key, bool *v, char *err,
	       int len);
int jsonl_str(struct jsonl_obj *o, const char *key, const char **v, char *err,
	      int len);
/* An array of @n u64s (integers or strings). */
int jsonl_u64s(struct jsonl_obj *o, const char *key, uint64_t *v, int n,
	       char *err, int len);
/* The first member the decoder did not read, or NULL. */
const char *jsonl_unused(struct jsonl_obj *o);

#endif
