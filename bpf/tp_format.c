// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tp_format.h"

/*
 * Integer C types by name: their signedness, which the format's "signed:"
 * flag sometimes gets wrong, and their width where a field may be wider
 * than its type (syscall tracepoints keep an int in 8 bytes); width 0:
 * the field's size.
 */
static const struct int_type {
	const char *name;
	bool is_signed;
	uint8_t width;
} int_types[] = {
	{ "char", 1, 1 },      { "short", 1, 2 },     { "int", 1, 4 },	   { "long", 1, 0 },
	{ "s8", 1, 1 },	       { "s16", 1, 2 },	      { "s32", 1, 4 },	   { "s64", 1, 0 },
	{ "__s8", 1, 1 },      { "__s16", 1, 2 },     { "__s32", 1, 4 },   { "__s64", 1, 0 },
	{ "int8_t", 1, 1 },    { "int16_t", 1, 2 },   { "int32_t", 1, 4 }, { "int64_t", 1, 0 },
	{ "ssize_t", 1, 0 },   { "loff_t", 1, 0 },    { "off_t", 1, 0 },   { "pid_t", 1, 4 },
	{ "time64_t", 1, 0 },  { "ktime_t", 1, 0 },   { "clockid_t", 1, 4 }, { "tid_t", 1, 0 },
	{ "u8", 0, 1 },	       { "u16", 0, 2 },	      { "u32", 0, 4 },	   { "u64", 0, 0 },
	{ "__u8", 0, 1 },      { "__u16", 0, 2 },     { "__u32", 0, 4 },   { "__u64", 0, 0 },
	{ "uint8_t", 0, 1 },   { "uint16_t", 0, 2 },  { "uint32_t", 0, 4 }, { "uint64_t", 0, 0 },
	{ "size_t", 0, 0 },    { "bool", 0, 1 },      { "_Bool", 0, 1 },   { "dev_t", 0, 0 },
	{ "uid_t", 0, 4 },     { "gid_t", 0, 4 },     { "ino_t", 0, 0 },   { "umode_t", 0, 0 },
	{ "gfp_t", 0, 0 },     { "sector_t", 0, 0 },  { "uint", 0, 4 },	   { "__be16", 0, 0 },
	{ "__be32", 0, 0 },    { "__be64", 0, 0 },    { "__le16", 0, 0 },  { "__le32", 0, 0 },
	{ "__le64", 0, 0 },    { "unsigned", 0, 4 },
};

/* The entry for the N-byte type name at WORD, or NULL. */
static const struct int_type *int_type(const char *word, size_t n)
{
	for (size_t i = 0; i < sizeof(int_types) / sizeof(int_types[0]); i++)
		if (strlen(int_types[i].name) == n && !strncmp(word, int_types[i].name, n))
			return &int_types[i];
	return NULL;
}

/* 1 signed, 0 unsigned, -1 the C type does not say. */
static int type_signedness(const char *type)
{
	const struct int_type *t;
	const char *w = type;

	if (strchr(type, '*'))
		return 0; /* pointers: kernel addresses */
	if (!strncmp(w, "const ", 6))
		w += 6;
	if (strstr(w, "unsigned"))
		return 0;
	if (strstr(w, "signed"))
		return 1;
	t = int_type(w, strcspn(w, " ["));
	return t ? t->is_signed : -1;
}

/* Bytes of an integer of C type TYPE, 0 if the name does not say. */
static int type_width(const char *type)
{
	const struct int_type *t;
	const char *w = type;

	if (!strncmp(w, "const ", 6))
		w += 6;
	if (!strncmp(w, "unsigned ", 9))
		w += 9;
	else if (!strncmp(w, "signed ", 7))
		w += 7;
	t = int_type(w, strcspn(w, " ["));
	return t ? t->width : 0;
}

/* The type of an array's elements is plain char: text. */
static bool char_elems(const char *type)
{
	if (!strncmp(type, "const ", 6))
		type += 6;
	return !strncmp(type, "char[", 5) || !strncmp(type, "char ", 5);
}

static void classify(struct tpf_field *f)
{
	int s = type_signedness(f->type);

	if (!strncmp(f->name, "common_", 7))
		f->flags |= TPF_F_COMMON;
	if (!strncmp(f->type, "__data_loc ", 11) || !strncmp(f->type, "__rel_loc ", 10)) {
		const char *elem = strchr(f->type, ' ') + 1;

		f->flags |= f->type[2] == 'd' ? TPF_F_DATA_LOC : TPF_F_REL_LOC;
		f->kind = char_elems(elem) ? TPF_TEXT : TPF_BLOB;
	} else if (f->flags & TPF_F_ARRAY) {
		f->kind = char_elems(f->type) ? TPF_TEXT : TPF_BLOB;
	} else if (f->size == 1 || f->size == 2 || f->size == 4 || f->size == 8) {
		int w = type_width(f->type);

		f->kind = (s < 0 ? f->signed_flag : s) ? TPF_INT : TPF_UINT;
		f->width = w && w < f->size ? w : f->size;
	} else {
		f->kind = TPF_BLOB;
	}
}

/* "TYPE NAME[N]" (DECL, LEN bytes) into F's type, name, array_len. */
static int parse_decl(const char *decl, size_t len, struct tpf_field *f)
{
	const char *end = decl + len, *name_end, *name;
	char suffix[24] = "";

	while (end > decl && isspace((unsigned char)end[-1]))
		end--;
	name_end = end;
	if (end > decl && end[-1] == ']') {
		const char *open = memchr(decl, '[', end - decl);

		if (!open || (size_t)(end - open) >= sizeof(suffix))
			return -EINVAL;
		memcpy(suffix, open, end - open);
		suffix[end - open] = 0;
		f->flags |= TPF_F_ARRAY;
		f->array_len = strtoul(open + 1, NULL, 0);
		name_end = open;
	}
	name = name_end;
	while (name > decl && (isalnum((unsigned char)name[-1]) || name[-1] == '_'))
		name--;
	if (name == name_end || (size_t)(name_end - name) >= TPF_NAME_MAX)
		return -EINVAL;
	memcpy(f->name, name, name_end - name);
	f->name[name_end - name] = 0;
	while (name > decl && isspace((unsigned char)name[-1]))
		name--;
	if ((size_t)(name - decl) + strlen(suffix) >= TPF_TYPE_MAX || name == decl)
		return -EINVAL;
	snprintf(f->type, TPF_TYPE_MAX, "%.*s%s", (int)(name - decl), decl, suffix);
	return 0;
}

/* "\tfield:DECL;\toffset:N;\tsize:N;\tsigned:N;" */
static int parse_field(const char *line, struct tpf_field *f)
{
	const char *decl = line + strlen("field:"), *semi = strchr(decl, ';');
	unsigned off, size, sgn;

	memset(f, 0, sizeof(*f));
	if (!semi || sscanf(semi, "; offset:%u; size:%u; signed:%u", &off, &size, &sgn) != 3 ||
	    off > 0xffff || size > 0xffff)
		return -EINVAL;
	if (parse_decl(decl, semi - decl, f))
		return -EINVAL;
	f->offset = off;
	f->size = size;
	f->signed_flag = !!sgn;
	classify(f);
	return 0;
}

int tpf_parse(const char *text, struct tp_format *f)
{
	const char *line = text;

	memset(f, 0, sizeof(*f));
	f->print_fmt = "";
	while (*line) {
		const char *eol = strchrnul(line, '\n'), *s = line;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!strncmp(s, "name: ", 6)) {
			snprintf(f->name, sizeof(f->name), "%.*s", (int)(eol - s - 6), s + 6);
		} else if (!strncmp(s, "ID: ", 4)) {
			f->id = strtoul(s + 4, NULL, 10);
		} else if (!strncmp(s, "field:", 6)) {
			struct tpf_field *fl = &f->fields[f->nfields];

			if (f->nfields == TPF_MAX_FIELDS || parse_field(s, fl))
				return -EINVAL;
			if ((uint32_t)fl->offset + fl->size > f->fixed_size)
				f->fixed_size = fl->offset + fl->size;
			f->nfields++;
		} else if (!strncmp(s, "print fmt: ", 11)) {
			f->print_fmt = s + 11; /* the last part of the file */
			break;
		}
		line = *eol ? eol + 1 : eol;
	}
	return f->nfields ? 0 : -EINVAL;
}

int64_t tpf_int(const struct tpf_field *f, const uint8_t *data, size_t len)
{
	unsigned w = f->width ? f->width : f->size; /* an int kept in 8 bytes: its low 4 */
	uint64_t u = 0;

	if ((size_t)f->offset + f->size > len || f->size > 8)
		return 0;
	memcpy(&u, data + f->offset, w); /* little-endian: checked at read */
	if (f->kind == TPF_INT && w < 8 && (u >> (w * 8 - 1)) & 1)
		u |= ~0ull << (w * 8);
	return (int64_t)u;
}

const uint8_t *tpf_bytes(const struct tpf_field *f, const uint8_t *data, size_t len,
			 size_t *n)
{
	size_t off = f->offset, sz = f->size;

	*n = 0;
	if (f->flags & (TPF_F_DATA_LOC | TPF_F_REL_LOC)) {
		uint32_t loc;

		if (f->size != 4 || off + 4 > len)
			return NULL;
		memcpy(&loc, data + off, 4);
		sz = loc >> 16;
		off = (loc & 0xffff) + (f->flags & TPF_F_REL_LOC ? off + 4 : 0);
	}
	if (off >= len)
		return NULL;
	if (sz > len - off)
		sz = len - off; /* cut by the recorder's bound */
	if (f->kind == TPF_TEXT)
		sz = strnlen((const char *)data + off, sz);
	*n = sz;
	return data + off;
}

/* Past the argument starting at S: up to the ',' or ')' at depth 0. */
static const char *skip_arg(const char *s)
{
	int depth = 0;

	for (; *s; s++) {
		if (*s == '"') {
			for (s++; *s && *s != '"'; s++)
				if (*s == '\\' && s[1])
					s++;
			if (!*s)
				return s;
		} else if (*s == '(' || *s == '{') {
			depth++;
		} else if ((*s == ')' || *s == '}') && depth-- == 0) {
			return s;
		} else if (*s == ',' && depth == 0) {
			return s;
		}
	}
	return s;
}

/* The field a REC->field expression in [S, END) reads, into BUF. */
static bool rec_field(const char *s, const char *end, char *buf, size_t cap)
{
	const char *p = strstr(s, "REC->");
	size_t n;

	if (!p || p >= end)
		return false;
	p += 5;
	n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
	if (!n || n >= cap)
		return false;
	memcpy(buf, p, n);
	buf[n] = 0;
	return true;
}

/* A numeric literal filling [S, END) (blanks and U/L suffixes aside) into *V. */
static bool literal(const char *s, const char *end, long long *v)
{
	char *p;

	*v = strtoll(s, &p, 0);
	if (p == s)
		return false;
	while (p < end && strchr("uUlL \t\n", *p))
		p++;
	return p == end;
}

/* The { value, "name" } entries from S on, until the call's ')'. */
static int sym_entries(const char *s, const char *field, int is_flags, tpf_sym_fn fn,
		       void *ctx)
{
	for (;;) {
		const char *comma, *q, *qe, *close;
		long long v;
		int ret;

		while (*s == ',' || isspace((unsigned char)*s))
			s++;
		if (*s != '{')
			return 0;
		comma = skip_arg(s + 1);
		if (*comma != ',')
			return 0;
		q = comma + 1 + strspn(comma + 1, " \t");
		close = skip_arg(comma + 1);
		if (*close != '}')
			return 0;
		qe = *q == '"' ? strchr(q + 1, '"') : NULL;
		/* an entry whose value is an expression is left out */
		if (qe && qe < close && literal(s + 1, comma, &v)) {
			ret = fn(ctx, field, v, q + 1, qe - q - 1, is_flags);
			if (ret)
				return ret;
		}
		s = close + 1;
	}
}

int tpf_symbols(const char *print_fmt, tpf_sym_fn fn, void *ctx)
{
	static const char *const calls[] = { "__print_symbolic(", "__print_flags(",
					     "__print_symbolic_u64(", "__print_flags_u64(" };
	const char *s = print_fmt;

	while ((s = strstr(s, "__print_"))) {
		const char *arg = NULL, *end;
		char field[TPF_NAME_MAX];
		int is_flags = 0, ret;

		for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
			if (!strncmp(s, calls[i], strlen(calls[i]))) {
				arg = s + strlen(calls[i]);
				is_flags = strstr(calls[i], "flags") != NULL;
			}
		s += strlen("__print_");
		if (!arg)
			continue;
		end = skip_arg(arg);
		if (*end != ',' || !rec_field(arg, end, field, sizeof(field)))
			continue;
		if (is_flags) /* the delimiter string */
			end = skip_arg(end + 1);
		if (*end != ',')
			continue;
		ret = sym_entries(end + 1, field, is_flags, fn, ctx);
		if (ret)
			return ret;
	}
	return 0;
}
