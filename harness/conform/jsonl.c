// SPDX-License-Identifier: GPL-2.0
/* The strict flat-JSON reader of tdxmm traces (jsonl.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"

struct cur {
	const char *s, *p;
	char *err;
	int len;
};

static int fail(struct cur *c, const char *what)
{
	snprintf(c->err, c->len, "column %d: %s", (int)(c->p - c->s) + 1, what);
	return -1;
}

static void ws(struct cur *c)
{
	while (*c->p == ' ' || *c->p == '\t' || *c->p == '\r')
		c->p++;
}

/* A string into @out (escapes \" \\ \/ \n \t; others refused). */
static int string(struct cur *c, char *out, int max)
{
	int n = 0;

	if (*c->p != '"')
		return fail(c, "expected a string");
	c->p++;
	for (;;) {
		char ch = *c->p;

		if (!ch || ch == '\n')
			return fail(c, "unterminated string");
		c->p++;
		if (ch == '"')
			break;
		if ((unsigned char)ch < 0x20)
			return fail(c, "control character in a string");
		if (ch == '\\') {
			ch = *c->p++;
			switch (ch) {
			case '"': case '\\': case '/': break;
			case 'n': ch = '\n'; break;
			case 't': ch = '\t'; break;
			default:
				c->p--;
				return fail(c, "unsupported escape in a string");
			}
		}
		if (n == max - 1)
			return fail(c, "string too long");
		out[n++] = ch;
	}
	out[n] = 0;
	return 0;
}

static int integer(struct cur *c, char *out, int max)
{
	int n = 0;

	if (*c->p == '-')
		out[n++] = *c->p++;
	if (*c->p < '0' || *c->p > '9')
		return fail(c, "expected a value");
	while (*c->p >= '0' && *c->p <= '9') {
		if (n == max - 1)
			return fail(c, "number too long");
		out[n++] = *c->p++;
	}
	if (*c->p == '.' || *c->p == 'e' || *c->p == 'E')
		return fail(c, "not an integer");
	out[n] = 0;
	return 0;
}

/* One array element: a string or an integer. */
static int scalar(struct cur *c, char *out, int max, bool *is_str)
{
	*is_str = *c->p == '"';
	return *is_str ? string(c, out, max) : integer(c, out, max);
}

int jsonl_parse(const char *line, struct jsonl_obj *o, char *err, int len)
{
	struct cur c = { line, line, err, len };

	o->n = 0;
	ws(&c);
	if (*c.p != '{')
		return fail(&c, "a record is a JSON object: expected '{'");
	c.p++;
	ws(&c);
	if (*c.p == '}')
		return fail(&c, "empty record");
	for (;;) {
		struct jsonl_member *m;

		ws(&c);
		if (o->n == JSONL_MAX_MEMBERS)
			return fail(&c, "too many members");
		m = &o->m[o->n];
		memset(m, 0, sizeof(*m));
		if (string(&c, m->key, sizeof(m->key)))
			return -1;
		for (int i = 0; i < o->n; i++)
			if (!strcmp(o->m[i].key, m->key))
				return fail(&c, "duplicate member");
		ws(&c);
		if (*c.p != ':')
			return fail(&c, "expected ':'");
		c.p++;
		ws(&c);
		if (*c.p == '"') {
			m->type = J_STR;
			if (string(&c, m->str, sizeof(m->str)))
				return -1;
		} else if (!strncmp(c.p, "true", 4) || !strncmp(c.p, "false", 5)) {
			m->type = J_BOOL;
			m->b = *c.p == 't';
			c.p += m->b ? 4 : 5;
		} else if (*c.p == '[') {
			m->type = J_ARRAY;
			c.p++;
			ws(&c);
			while (*c.p != ']') {
				if (m->narr == JSONL_MAX_ARRAY)
					return fail(&c, "array too long");
				if (scalar(&c, m->arr[m->narr], sizeof(m->arr[0]),
					   &m->arr_str[m->narr]))
					return -1;
				m->narr++;
				ws(&c);
				if (*c.p == ',') {
					c.p++;
					ws(&c);
				} else if (*c.p != ']') {
					return fail(&c, "expected ',' or ']'");
				}
			}
			c.p++;
		} else {
			m->type = J_INT;
			if (integer(&c, m->str, sizeof(m->str)))
				return -1;
		}
		o->n++;
		ws(&c);
		if (*c.p == ',') {
			c.p++;
			continue;
		}
		if (*c.p == '}')
			break;
		return fail(&c, "expected ',' or '}'");
	}
	c.p++;
	ws(&c);
	if (*c.p && *c.p != '\n')
		return fail(&c, "text after the record");
	return 0;
}

struct jsonl_member *jsonl_get(struct jsonl_obj *o, const char *key)
{
	for (int i = 0; i < o->n; i++)
		if (!strcmp(o->m[i].key, key)) {
			o->m[i].used = true;
			return &o->m[i];
		}
	return NULL;
}

/* "0x..." or decimal, or a JSON integer: the whole text, within u64. */
static int text_u64(const char *t, uint64_t *v)
{
	char *end;
	int base = 10;

	if (!*t || *t == '-' || *t == '+' || *t == ' ')
		return -1;
	if (t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
		base = 16;
		if (!t[2])
			return -1;
	}
	errno = 0;
	*v = strtoull(t, &end, base);
	return errno || *end ? -1 : 0;
}

int jsonl_u64(struct jsonl_obj *o, const char *key, uint64_t *v, char *err,
	      int len)
{
	struct jsonl_member *m = jsonl_get(o, key);

	if (!m)
		return 1;
	if ((m->type != J_STR && m->type != J_INT) || text_u64(m->str, v)) {
		snprintf(err, len, "member '%s': not an unsigned 64-bit number", key);
		return -1;
	}
	return 0;
}

int jsonl_int(struct jsonl_obj *o, const char *key, long long *v, char *err,
	      int len)
{
	struct jsonl_member *m = jsonl_get(o, key);
	char *end;

	if (!m)
		return 1;
	errno = 0;
	if (m->type == J_INT)
		*v = strtoll(m->str, &end, 10);
	if (m->type != J_INT || errno || *end) {
		snprintf(err, len, "member '%s': not an integer", key);
		return -1;
	}
	return 0;
}

int jsonl_bool(struct jsonl_obj *o, const char *key, bool *v, char *err,
	       int len)
{
	struct jsonl_member *m = jsonl_get(o, key);

	if (!m)
		return 1;
	if (m->type != J_BOOL) {
		snprintf(err, len, "member '%s': not true or false", key);
		return -1;
	}
	*v = m->b;
	return 0;
}

int jsonl_str(struct jsonl_obj *o, const char *key, const char **v, char *err,
	      int len)
{
	struct jsonl_member *m = jsonl_get(o, key);

	if (!m)
		return 1;
	if (m->type != J_STR) {
		snprintf(err, len, "member '%s': not a string", key);
		return -1;
	}
	*v = m->str;
	return 0;
}

int jsonl_u64s(struct jsonl_obj *o, const char *key, uint64_t *v, int n,
	       char *err, int len)
{
	struct jsonl_member *m = jsonl_get(o, key);

	if (!m)
		return 1;
	if (m->type != J_ARRAY || m->narr != n) {
		snprintf(err, len, "member '%s': not an array of %d numbers", key, n);
		return -1;
	}
	for (int i = 0; i < n; i++)
		if (text_u64(m->arr[i], &v[i])) {
			snprintf(err, len, "member '%s'[%d]: not an unsigned 64-bit number",
				 key, i);
			return -1;
		}
	return 0;
}

const char *jsonl_unused(struct jsonl_obj *o)
{
	for (int i = 0; i < o->n; i++)
		if (!o->m[i].used)
			return o->m[i].key;
	return NULL;
}
