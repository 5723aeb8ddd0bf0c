// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tp_format.h"

/* C types whose signedness the format's "signed:" flag sometimes gets wrong. */
static const char *const signed_types[] = {
	"char", "short", "int", "long", "s8", "s16", "s32", "s64", "__s8", "__s16", "__s32",
	"__s64", "int8_t", "int16_t", "int32_t", "int64_t", "ssize_t", "loff_t", "off_t",
	"pid_t", "time64_t", "ktime_t", "clockid_t", "tid_t",
};
static const char *const unsigned_types[] = {
	"u8",	    "u16",	"u32",	    "u64",    "__u8",	 "__u16",  "__u32", "__u64",
	"uint8_t",  "uint16_t", "uint32_t", "uint64_t", "size_t", "bool",   "_Bool", "dev_t",
	"uid_t",    "gid_t",	"ino_t",    "umode_t", "gfp_t",	 "sector_t", "uint",
	"__be16",   "__be32",	"__be64",   "__le16", "__le32",	 "__le64", "unsigned",
};

static bool in_list(const char *word, size_t n, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(list[i]) == n && !strncmp(word, list[i], n))
			return true;
	return false;
}

#define IN(word, n, list) in_list(word, n, list, sizeof(list) / sizeof(list[0]))

/* 1 signed, 0 unsigned, -1 the C type does not say. */
static int type_signedness(const char *type)
{
	const char *w = type;
	size_t n;

	if (strchr(type, '*'))
		return 0; /* pointers: kernel addresses */
	if (!strncmp(w, "const ", 6))
		w += 6;
	if (strstr(w, "unsigned"))
		return 0;
	if (strstr(w, "signed"))
		return 1;
	n = strcspn(w, " [");
	if (IN(w, n, signed_types))
		return 1;
	if (IN(w, n, unsigned_types))
		return 0;
	return -1;
}

/* Bytes of an integer of C type TYPE, 0 if the name does not say. */
static int type_width(const char *type)
{
	static const char *const w4[] = { "int", "s32", "u32", "__s32", "__u32", "int32_t",
					   "uint32_t", "pid_t", "uid_t", "gid_t", "clockid_t",
					   "unsigned", "uint" };
	static const char *const w2[] = { "short", "s16", "u16", "__s16", "__u16", "int16_t",
					   "uint16_t" };
	static const char *const w1[] = { "char", "s8", "u8", "__s8", "__u8", "int8_t",
					   "uint8_t", "bool", "_Bool" };
	const char *w = type;
	size_t n;

	if (!strncmp(w, "const ", 6))
		w += 6;
	if (!strncmp(w, "unsigned ", 9))
		w += 9;
	else if (!strncmp(w, "signed ", 7))
		w += 7;
	n = strcspn(w, " [");
	return IN(w, n, w4) ? 4 : IN(w, n, w2) ? 2 : IN(w, n, w1) ? 1 : 0;
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
