// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"
#include "tp_field_filter.h"

/* By enum tp_op, up to TPO_AND: what EXPR writes. */
static const char *const op_text[] = { "==", "!=", "<", "<=", ">", ">=", "&" };
#define NOPS (sizeof(op_text) / sizeof(op_text[0]))

size_t tpff_span(const char *s)
{
	bool quoted = false;

	for (size_t i = 1; s[i]; i++) {
		if (quoted && s[i] == '\\' && s[i + 1])
			i++;
		else if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && s[i] == '/')
			return i + 1;
	}
	return 0;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

enum tok_kind { TOK_END, TOK_IDENT, TOK_WORD, TOK_STR, TOK_OP, TOK_AND, TOK_OR };

struct tok {
	enum tok_kind kind;
	int op; /* TOK_OP: enum tp_op */
	char text[TPFF_VAL_MAX]; /* as written (a string: its bytes) */
};

struct lex {
	const char *p;
	char *err;
	size_t errlen;
};

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* A string's bytes, after the opening quote; \ takes the next byte as is. */
static int lex_string(struct lex *l, struct tok *t)
{
	size_t n = 0;

	for (;;) {
		char c = *l->p++;

		if (c == '\\' && *l->p)
			c = *l->p++;
		else if (c == '"')
			break;
		else if (!c)
			return fail(l->err, l->errlen, "unterminated string");
		if (n == TPFF_VAL_MAX - 1)
			return fail(l->err, l->errlen, "string \"%.*s...\" is too long", 20, t->text);
		t->text[n++] = c;
	}
	t->text[n] = 0;
	t->kind = TOK_STR;
	return 0;
}

static int lex(struct lex *l, struct tok *t)
{
	const char *s;
	size_t n;

	while (isspace((unsigned char)*l->p))
		l->p++;
	s = l->p;
	memset(t, 0, sizeof(*t));
	if (!*s) {
		t->kind = TOK_END;
		snprintf(t->text, sizeof(t->text), "the end");
		return 0;
	}
	if (*s == '"') {
		l->p++;
		return lex_string(l, t);
	}
	if (ident_char(*s) || *s == '-') {
		for (n = 1; ident_char(s[n]); n++)
			;
		if (n >= sizeof(t->text))
			return fail(l->err, l->errlen, "'%.20s...' is too long", s);
		memcpy(t->text, s, n);
		t->kind = isalpha((unsigned char)*s) || *s == '_' ? TOK_IDENT : TOK_WORD;
		l->p += n;
		return 0;
	}
	if (!strncmp(s, "&&", 2) || !strncmp(s, "||", 2)) {
		t->kind = *s == '&' ? TOK_AND : TOK_OR;
		memcpy(t->text, s, 2);
		l->p += 2;
		return 0;
	}
	/* the longest operator first: "<=" before "<" */
	for (int len = 2; len >= 1; len--)
		for (size_t op = 0; op < NOPS; op++)
			if (strlen(op_text[op]) == (size_t)len && !strncmp(s, op_text[op], len)) {
				t->kind = TOK_OP;
				t->op = op;
				memcpy(t->text, s, len);
				l->p += len;
				return 0;
			}
	if (*s == '=')
		return fail(l->err, l->errlen, "'=' at '%s': compare with '=='", s);
	return fail(l->err, l->errlen, "unexpected '%c' at '%s'", *s, s);
}

/* FIELD OP VALUE into T. */
static int parse_term(struct lex *l, struct tpff_term *t)
{
	struct tok k;

	if (lex(l, &k))
		return -1;
	if (k.kind != TOK_IDENT)
		return fail(l->err, l->errlen, "expected a field name, not %s%s%s",
			    k.kind == TOK_END ? "" : "'", k.text, k.kind == TOK_END ? "" : "'");
	snprintf(t->field, sizeof(t->field), "%s", k.text);
	if (lex(l, &k))
		return -1;
	if (k.kind != TOK_OP)
		return fail(l->err, l->errlen,
			    "expected a comparison after '%s' (==, !=, <, <=, >, >=, &)", t->field);
	t->op = k.op;
	if (lex(l, &k))
		return -1;
	if (k.kind != TOK_WORD && k.kind != TOK_STR && k.kind != TOK_IDENT)
		return fail(l->err, l->errlen, "expected a number or a \"string\" after '%s %s'",
			    t->field, op_text[t->op]);
	/* an identifier is a bad number, said once the field's type is known */
	t->is_str = k.kind == TOK_STR;
	memcpy(t->val, k.text, sizeof(t->val));
	return 0;
}

int tpff_parse(const char *expr, struct tpff_expr *x, char *err, size_t errlen)
{
	struct lex l = { expr, err, errlen };
	struct tok k;

	memset(x, 0, sizeof(*x));
	if (!expr[strspn(expr, " \t\n")])
		return fail(err, errlen, "empty filter");
	for (bool is_or = false;; is_or = k.kind == TOK_OR) {
		struct tpff_term *t = &x->t[x->n];

		if (x->n == TP_TERMS_MAX)
			return fail(err, errlen, "more than %d comparisons", TP_TERMS_MAX);
		if (parse_term(&l, t))
			return -1;
		t->is_or = is_or;
		x->n++;
		if (lex(&l, &k))
			return -1;
		if (k.kind == TOK_END)
			return 0;
		if (k.kind != TOK_AND && k.kind != TOK_OR)
			return fail(err, errlen, "expected && or || after '%s %s %s%s%s', not '%s'",
				    t->field, op_text[t->op], t->is_str ? "\"" : "", t->val,
				    t->is_str ? "\"" : "", k.text);
	}
}

/* "unknown field 'X' (closest: a, b, c)": the event's own fields only. */
static int unknown_field(const char *name, const struct tp_format *f, char *err, size_t errlen)
{
	struct suggest sg;
	char list[256];

	suggest_init(&sg, name);
	for (int i = 0; i < f->nfields; i++)
		if (!(f->fields[i].flags & TPF_F_COMMON))
			suggest_add(&sg, f->fields[i].name);
	suggest_list(&sg, list, sizeof(list));
	return fail(err, errlen, "unknown field '%s'%s%s%s", name, *list ? " (closest: " : "",
		    list, *list ? ")" : "");
}

/* The constant of T for the integer field FL, checked against its range. */
static int int_const(const struct tpff_term *t, const struct tpf_field *fl, uint64_t *v,
		     char *err, size_t errlen)
{
	const char *s = t->val, *digits = s + (*s == '-');
	int bits = (fl->width ? fl->width : fl->size) * 8;
	int hex = digits[0] == '0' && (digits[1] | 32) == 'x';
	bool sgn = fl->kind == TPF_INT && t->op != TPO_AND;
	uint64_t umax = bits == 64 ? UINT64_MAX : (1ull << bits) - 1, mag;
	char *end;

	/* no octal: 010 is ten, as it reads */
	errno = 0;
	mag = strtoull(digits + 2 * hex, &end, hex ? 16 : 10);
	if (end == digits + 2 * hex || *end || !isxdigit((unsigned char)digits[2 * hex]))
		return fail(err, errlen, "field '%s': '%s' is not a number", t->field, s);
	if (errno == ERANGE || (s != digits && (!sgn || mag > umax / 2 + 1)) ||
	    (s == digits && mag > (sgn ? umax / 2 : umax))) {
		if (t->op == TPO_AND)
			return fail(err, errlen, "field '%s': mask %s out of range for %s (0..%" PRIu64 ")",
				    t->field, s, fl->type, umax);
		if (sgn)
			return fail(err, errlen,
				    "field '%s': %s out of range for %s (%" PRId64 "..%" PRIu64 ")",
				    t->field, s, fl->type, -(int64_t)(umax / 2) - 1, umax / 2);
		return fail(err, errlen, "field '%s': %s out of range for %s (0..%" PRIu64 ")",
			    t->field, s, fl->type, umax);
	}
	*v = s != digits ? -mag : mag;
	return 0;
}

static int compile_term(const struct tpff_term *t, const struct tp_format *f, struct tp_term *out,
			char *err, size_t errlen)
{
	const struct tpf_field *fl = NULL;
	size_t len, cmp;
	uint64_t v = 0;

	for (int i = 0; i < f->nfields && !fl; i++)
		if (!strcmp(f->fields[i].name, t->field))
			fl = &f->fields[i];
	if (!fl)
		return unknown_field(t->field, f, err, errlen);
	if ((fl->flags & TPF_F_COMMON) || fl->offset < 8) /* the BPF program cannot read them */
		return fail(err, errlen,
			    "field '%s' is a common field: select tasks with -p, -c or -- COMMAND",
			    t->field);
	memset(out, 0, sizeof(*out));
	out->off = fl->offset;
	out->flags = t->is_or ? TPT_OR : 0;
	if (fl->kind == TPF_INT || fl->kind == TPF_UINT) {
		if (t->is_str)
			return fail(err, errlen, "field '%s' is %s: compare it with a number, not \"%s\"",
				    t->field, fl->type, t->val);
		out->op = t->op;
		out->size = fl->width ? fl->width : fl->size; /* an int in 8 bytes: its low 4 */
		if (fl->kind == TPF_INT)
			out->flags |= TPT_SIGNED;
		if (int_const(t, fl, &v, err, errlen))
			return -1;
		out->val = v;
		return 0;
	}
	if (fl->kind != TPF_TEXT || !(fl->flags & TPF_F_ARRAY) || !fl->size)
		return fail(err, errlen,
			    "field '%s' is %s: filters compare integer and char[N] fields only", t->field,
			    fl->type);
	if (!t->is_str || (t->op != TPO_EQ && t->op != TPO_NE))
		return fail(err, errlen, "field '%s' is %s: compare it with == or != and a \"string\"",
			    t->field, fl->type);
	len = strlen(t->val);
	if (len > fl->size)
		return fail(err, errlen, "field '%s': \"%s\" is longer than %s", t->field, t->val,
			    fl->type);
	/* up to the string's NUL, or the whole field when the string fills it */
	cmp = len < fl->size ? len + 1 : len;
	if (cmp > TP_STR_MAX)
		return fail(err, errlen, "field '%s': \"%s\" is longer than %d bytes, the most compared",
			    t->field, t->val, TP_STR_MAX - 1);
	out->op = t->op == TPO_EQ ? TPO_STR_EQ : TPO_STR_NE;
	out->size = cmp;
	memcpy(out->str, t->val, len);
	return 0;
}

/* The canonical text of term T (compiled as C) at the end of BUF. */
static void put_term(char *buf, size_t cap, const struct tpff_term *t, const struct tp_term *c,
		     int first)
{
	size_t n = strlen(buf);

	n += snprintf(buf + n, cap - n, "%s%s %s ", first ? "" : t->is_or ? " || " : " && ",
		      t->field, op_text[t->op]);
	if (n >= cap)
		return;
	if (t->is_str) {
		n += snprintf(buf + n, cap - n, "\"");
		for (const char *s = t->val; *s && n + 3 < cap; s++) {
			if (*s == '"' || *s == '\\')
				buf[n++] = '\\';
			buf[n++] = *s;
		}
		buf[n] = 0;
		snprintf(buf + n, cap - n, "\"");
	} else if (c->op == TPO_AND) {
		snprintf(buf + n, cap - n, "0x%" PRIx64, (uint64_t)c->val);
	} else if (c->flags & TPT_SIGNED) {
		snprintf(buf + n, cap - n, "%" PRId64, (int64_t)c->val);
	} else {
		snprintf(buf + n, cap - n, "%" PRIu64, (uint64_t)c->val);
	}
}

int tpff_compile(const struct tpff_expr *x, const struct tp_format *f, struct tp_field_filter *out,
		 char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < x->n; i++) {
		if (compile_term(&x->t[i], f, &out->terms.t[i], err, errlen))
			return -1;
		put_term(out->text, sizeof(out->text), &x->t[i], &out->terms.t[i], !i);
	}
	out->nterms = x->n;
	return 0;
}
