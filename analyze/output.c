// SPDX-License-Identifier: GPL-2.0-only
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "term_escape.h"

static const char *const format_names[] = { "table", "csv", "json" };

const char *out_format_name(enum out_format f)
{
	return format_names[f];
}

int out_parse_format(const char *name, enum out_format *f)
{
	const char *const *names = format_names;
	unsigned i;

	for (i = 0; i < AN_ARRAY_SIZE(format_names); i++) {
		if (!strcmp(name, names[i])) {
			*f = (enum out_format)i;
			return 0;
		}
	}
	return -1;
}

/*
 * Column I as text (*LEN bytes; NULL for SQL NULL). Integers are written
 * here into BUF: SQLite would convert them in an allocated buffer, per cell.
 */
#define INT_TEXT 24 /* "-9223372036854775808" and a NUL */

static const char *col_text(sqlite3_stmt *st, int i, int type, char buf[INT_TEXT], size_t *len)
{
	const char *t;

	if (type == SQLITE_INTEGER) {
		int64_t v = sqlite3_column_int64(st, i);
		uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
		char *p = buf + INT_TEXT - 1;

		*p = 0;
		do
			*--p = (char)('0' + u % 10);
		while (u /= 10);
		if (v < 0)
			*--p = '-';
		*len = (size_t)(buf + INT_TEXT - 1 - p);
		return p;
	}
	t = (const char *)sqlite3_column_text(st, i);
	*len = (size_t)sqlite3_column_bytes(st, i);
	return t;
}

static int step_fail(sqlite3_stmt *st, struct an_err *e)
{
	return an_errf(e, "%s", sqlite3_errmsg(sqlite3_db_handle(st)));
}

/* ---- table: rows are buffered to size the columns ---- */

/*
 * A report may have a million rows: cell texts live in one growing arena
 * (no allocation per cell) and are referred to by offset until it stops
 * moving.
 */
struct arena {
	char *buf;
	size_t len, cap;
};

/* Room for N bytes and a NUL at the end of A; -1 when out of memory. */
static int arena_reserve(struct arena *a, size_t n)
{
	size_t ncap = a->cap ? a->cap : 65536;
	char *nb;

	if (a->cap - a->len >= n + 1)
		return 0;
	while (ncap - a->len < n + 1)
		ncap *= 2;
	nb = realloc(a->buf, ncap);
	if (!nb)
		return -1;
	a->buf = nb;
	a->cap = ncap;
	return 0;
}

/* Copy S (N bytes) and a NUL into A; returns its offset or SIZE_MAX. */
static size_t arena_add(struct arena *a, const char *s, size_t n)
{
	size_t off = a->len;

	if (arena_reserve(a, n))
		return SIZE_MAX;
	memcpy(a->buf + off, s, n);
	a->buf[off + n] = 0;
	a->len += n + 1;
	return off;
}

#define NO_TEXT SIZE_MAX /* SQL NULL */

struct cell {
	size_t off; /* arena offset of the text, NO_TEXT for NULL */
	unsigned len; /* bytes of text */
	unsigned width; /* display width: UTF-8 code points, zeros included */
	uint8_t zeros; /* '0's shown after the text to line up decimals */
	uint8_t numeric;
	int8_t decimals; /* of a REAL shown in plain notation, else -1 */
};

/* Per column, gathered row by row: the cells are not walked by column. */
struct column {
	unsigned width;
	int decimals; /* the most of any REAL in plain notation */
	int numeric; /* no text that is not a number */
	int values; /* some row is not NULL */
	int hidden; /* not printed (enum out_col) */
};

/* Digits after the point in SQLite's rendering of a REAL; -1: exponent. */
static int decimals_of(const char *t)
{
	const char *dot = strchr(t, '.');

	if (strpbrk(t, "eEnN"))
		return -1;
	return dot ? (int)strlen(dot + 1) : 0;
}

/*
 * Show the REALs of a column with as many decimals as the longest one, so
 * they line up (0.0168 next to 0.015695 becomes 0.016800). Appending zeros
 * gives what printf("%.*f") of the value would while the result has at
 * most 15 significant digits (a double's text round trip); longer ones are
 * printed again.
 */
static int align_decimals(struct arena *a, struct cell *c, struct column *col)
{
	const char *t = a->buf + c->off;
	int add = col->decimals - c->decimals;
	char *nt;
	int n;

	if (c->decimals > 0 && c->len - (t[0] == '-') + (unsigned)add <= 16 && add < 64) {
		c->zeros = (uint8_t)add;
	} else {
		n = asprintf(&nt, "%.*f", col->decimals, strtod(t, NULL));
		if (n < 0)
			return -1;
		c->off = arena_add(a, nt, (size_t)n);
		free(nt);
		if (c->off == NO_TEXT)
			return -1;
		c->len = (unsigned)n;
	}
	c->width = c->len + c->zeros;
	if (c->width > col->width)
		col->width = c->width;
	return 0;
}

/* %f with trailing zeros dropped, for REALs SQLite prints in e-notation. */
static char *fixed_point(double d)
{
	char *t, *end;

	if (asprintf(&t, "%.9f", d) < 0)
		return NULL;
	end = t + strlen(t) - 1;
	while (end > t && *end == '0' && end[-1] != '.')
		*end-- = 0;
	return t;
}

static unsigned utf8_width(const char *s, size_t n)
{
	unsigned w = 0;
	size_t i;

	for (i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

/*
 * Copy the text S (N bytes) into A as the table shows it: control
 * characters and bytes that are not UTF-8 escaped (term_escape.h). Sets
 * the offset, length and width of C; -1 when out of memory.
 */
static int arena_add_shown(struct arena *a, const char *s, size_t n, struct cell *c)
{
	size_t off = a->len;

	if (!te_needed(s, n)) {
		c->off = arena_add(a, s, n);
		c->len = (unsigned)n;
		c->width = utf8_width(s, n);
		return c->off == NO_TEXT ? -1 : 0;
	}
	if (arena_reserve(a, TE_MAX_GROWTH * n))
		return -1;
	c->off = off;
	c->len = (unsigned)te_escape(a->buf + off, s, n, &c->width);
	a->buf[off + c->len] = 0;
	a->len += c->len + 1;
	return 0;
}

/*
 * The table is printed by this thread alone: a million rows of cells need
 * not take the stream lock each.
 */

/* N copies of the character of RUN (64 of them) */
static void repeat(FILE *fp, const char *run, unsigned n)
{
	while (n) {
		unsigned k = n < 64 ? n : 64;

		fwrite_unlocked(run, 1, k, fp);
		n -= k;
	}
}

static const char spaces[] = "                                                                ";
static const char zeros[] = "0000000000000000000000000000000000000000000000000000000000000000";
static const char dashes[] = "----------------------------------------------------------------";

static void print_row(FILE *fp, const char *base, const struct cell *c, const struct column *cols,
		      int ncol)
{
	int i, last = ncol - 1, shown = 0;

	/* no trailing blanks: stop after the last non-empty cell */
	while (last > 0 && (cols[last].hidden || !(c[last].off != NO_TEXT && c[last].len)))
		last--;
	for (i = 0; i <= last; i++) {
		unsigned fill = cols[i].width - c[i].width;

		if (cols[i].hidden)
			continue;
		if (shown++)
			fwrite_unlocked("  ", 1, 2, fp);
		if (c[i].numeric)
			repeat(fp, spaces, fill);
		if (c[i].off != NO_TEXT)
			fwrite_unlocked(base + c[i].off, 1, c[i].len, fp);
		repeat(fp, zeros, c[i].zeros);
		if (!c[i].numeric && i < last)
			repeat(fp, spaces, fill);
	}
	fputc_unlocked('\n', fp);
}

/* Buffer one result row into CELLS[0..ncol-1]; -1 when out of memory. */
static int collect_row(sqlite3_stmt *st, struct arena *a, struct cell *cells, struct column *cols,
		       int ncol)
{
	int i;

	for (i = 0; i < ncol; i++) {
		struct cell *c = &cells[i];
		struct column *col = &cols[i];
		int type = sqlite3_column_type(st, i);
		char buf[INT_TEXT], *fp = NULL;
		size_t n;
		const char *t = col_text(st, i, type, buf, &n);

		memset(c, 0, sizeof(*c));
		/* SQLite writes small REALs as 5.1e-05: people read 0.000051 */
		if (type == SQLITE_FLOAT && t && strchr(t, 'e')) {
			fp = fixed_point(sqlite3_column_double(st, i));
			if (!fp)
				return -1;
			t = fp;
			n = strlen(fp);
		}
		c->numeric = type == SQLITE_INTEGER || type == SQLITE_FLOAT;
		c->off = NO_TEXT;
		if (c->numeric) {
			c->off = arena_add(a, t, n);
			c->len = (unsigned)n;
			c->width = (unsigned)n; /* digits, signs, points: ASCII */
		}
		free(fp);
		if (c->numeric ? c->off == NO_TEXT : t && arena_add_shown(a, t, n, c))
			return -1;
		c->decimals = type == SQLITE_FLOAT && t ? (int8_t)decimals_of(a->buf + c->off) : -1;
		if (c->width > col->width)
			col->width = c->width;
		if (c->decimals > col->decimals)
			col->decimals = c->decimals;
		if (t && !c->numeric)
			col->numeric = 0;
		col->values |= t != NULL;
	}
	return 0;
}

static int write_table(sqlite3_stmt *st, const uint8_t *show, FILE *fp, struct an_err *e)
{
	int ncol = sqlite3_column_count(st), i, rc, ret = -1, shown = 0;
	struct arena a = { 0 };
	struct cell *cells = NULL;
	size_t nrows = 0, cap = 0, r;
	struct column *cols = calloc((size_t)ncol, sizeof(*cols));
	struct cell *hdr = calloc((size_t)ncol, sizeof(*hdr));

	if (!cols || !hdr)
		goto oom;
	for (i = 0; i < ncol; i++) {
		const char *name = sqlite3_column_name(st, i);

		if (arena_add_shown(&a, name, strlen(name), &hdr[i]))
			goto oom;
		cols[i].width = hdr[i].width;
		cols[i].numeric = 1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (nrows == cap) {
			struct cell *nc;

			cap = cap ? cap * 2 : 64;
			nc = realloc(cells, cap * (size_t)ncol * sizeof(*nc));
			if (!nc)
				goto oom;
			cells = nc;
		}
		if (collect_row(st, &a, &cells[nrows * (size_t)ncol], cols, ncol))
			goto oom;
		nrows++;
	}
	if (rc != SQLITE_DONE) {
		step_fail(st, e);
		goto out;
	}
	for (r = 0; r < nrows * (size_t)ncol; r++) {
		struct cell *c = &cells[r];
		struct column *col = &cols[r % (size_t)ncol];

		if (c->decimals >= 0 && c->decimals < col->decimals && align_decimals(&a, c, col))
			goto oom;
	}
	/* a column holding only numbers is right-aligned, its header too */
	for (i = 0; i < ncol; i++) {
		hdr[i].numeric = nrows > 0 && cols[i].numeric;
		cols[i].hidden = show && (show[i] == OUT_COL_HIDE ||
					  (show[i] == OUT_COL_HIDE_NULL && !cols[i].values));
	}
	print_row(fp, a.buf, hdr, cols, ncol);
	for (i = 0; i < ncol; i++) {
		if (cols[i].hidden)
			continue;
		if (shown++)
			fwrite("  ", 1, 2, fp);
		repeat(fp, dashes, cols[i].width);
	}
	fputc('\n', fp);
	for (r = 0; r < nrows; r++)
		print_row(fp, a.buf, &cells[r * (size_t)ncol], cols, ncol);
	ret = 0;
	goto out;
oom:
	an_errf(e, "out of memory");
out:
	free(a.buf);
	free(cells);
	free(cols);
	free(hdr);
	return ret;
}

/* ---- csv: RFC 4180 quoting, but \n line ends for shell tools ---- */

static void csv_field(FILE *fp, const char *s, size_t n)
{
	if (!strpbrk(s, ",\"\r\n") && !(n && (s[0] == ' ' || s[n - 1] == ' '))) {
		fwrite(s, 1, n, fp);
		return;
	}
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

/* Is column I of a csv or json row hidden by SHOW (NULL: none is)? */
static int hidden(const uint8_t *show, int i)
{
	return show && show[i] == OUT_COL_HIDE;
}

static int write_csv(sqlite3_stmt *st, const uint8_t *show, FILE *fp, struct an_err *e)
{
	int ncol = sqlite3_column_count(st), i, rc, n = 0;

	for (i = 0; i < ncol; i++) {
		if (hidden(show, i))
			continue;
		if (n++)
			fputc(',', fp);
		csv_field(fp, sqlite3_column_name(st, i), strlen(sqlite3_column_name(st, i)));
	}
	fputs("\n", fp);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0, n = 0; i < ncol; i++) {
			char buf[INT_TEXT];
			size_t len;
			const char *t;

			if (hidden(show, i))
				continue;
			t = col_text(st, i, sqlite3_column_type(st, i), buf, &len);
			if (n++)
				fputc(',', fp);
			if (t)
				csv_field(fp, t, len);
		}
		fputs("\n", fp);
	}
	return rc == SQLITE_DONE ? 0 : step_fail(st, e);
}

/* ---- json ---- */

/* Length of the valid UTF-8 sequence at S, 0 if invalid. */
static int utf8_len(const unsigned char *s)
{
	int n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* reject overlong forms, surrogates and out of range code points */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

static void json_string(FILE *fp, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', fp);
	while (*s) {
		int n;

		switch (*s) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		default:
			if (*s < 0x20) {
				fprintf(fp, "\\u%04x", *s);
				break;
			}
			n = utf8_len(s);
			if (!n) {
				/* paths are bytes, JSON is UTF-8 */
				fputs("\\ufffd", fp);
				break;
			}
			fwrite(s, 1, (size_t)n, fp);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', fp);
}

static void json_value(FILE *fp, sqlite3_stmt *st, int i)
{
	double d;

	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		fputs("null", fp);
		break;
	case SQLITE_INTEGER:
		fprintf(fp, "%lld", (long long)sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT:
		d = sqlite3_column_double(st, i);
		if (isfinite(d))
			fprintf(fp, "%.15g", d);
		else
			fputs("null", fp);
		break;
	default:
		json_string(fp, (const char *)sqlite3_column_text(st, i));
	}
}

static int write_json(sqlite3_stmt *st, const uint8_t *show, FILE *fp, struct an_err *e)
{
	int ncol = sqlite3_column_count(st), i, rc, first = 1, n;

	fputc('[', fp);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fputs(first ? "\n  {" : ",\n  {", fp);
		first = 0;
		for (i = 0, n = 0; i < ncol; i++) {
			if (hidden(show, i))
				continue;
			if (n++)
				fputs(", ", fp);
			json_string(fp, sqlite3_column_name(st, i));
			fputs(": ", fp);
			json_value(fp, st, i);
		}
		fputc('}', fp);
	}
	fputs(first ? "]\n" : "\n]\n", fp);
	return rc == SQLITE_DONE ? 0 : step_fail(st, e);
}

int out_write(sqlite3_stmt *st, enum out_format f, const uint8_t *show, FILE *fp,
	      struct an_err *e)
{
	switch (f) {
	case OUT_CSV:
		return write_csv(st, show, fp, e);
	case OUT_JSON:
		return write_json(st, show, fp, e);
	default:
		return write_table(st, show, fp, e);
	}
}
