// SPDX-License-Identifier: GPL-2.0-only
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

int out_parse_format(const char *name, enum out_format *f)
{
	static const char *const names[] = { "table", "csv", "json" };
	unsigned i;

	for (i = 0; i < AN_ARRAY_SIZE(names); i++) {
		if (!strcmp(name, names[i])) {
			*f = (enum out_format)i;
			return 0;
		}
	}
	return -1;
}

static int step_fail(sqlite3_stmt *st, struct an_err *e)
{
	return an_errf(e, "%s", sqlite3_errmsg(sqlite3_db_handle(st)));
}

/* ---- table: rows are buffered to size the columns ---- */

struct cell {
	char *text; /* NULL for SQL NULL */
	unsigned width; /* display width: UTF-8 code points */
	int numeric;
	int decimals; /* of a REAL shown in plain notation, else -1 */
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
 * Show the REALs of column I with as many decimals as the longest one, so
 * they line up (0.0168 next to 0.015695 becomes 0.016800).
 */
static void align_decimals(struct cell *cells, size_t nrows, int ncol, int i, unsigned *w)
{
	int dec = 0;
	size_t r;

	for (r = 0; r < nrows; r++) {
		struct cell *c = &cells[r * (size_t)ncol + (size_t)i];

		if (c->decimals > dec)
			dec = c->decimals;
	}
	for (r = 0; r < nrows; r++) {
		struct cell *c = &cells[r * (size_t)ncol + (size_t)i];
		char *t;

		if (c->decimals < 0 || c->decimals == dec ||
		    asprintf(&t, "%.*f", dec, strtod(c->text, NULL)) < 0)
			continue;
		free(c->text);
		c->text = t;
		c->width = (unsigned)strlen(t);
		if (c->width > w[i])
			w[i] = c->width;
	}
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

static unsigned utf8_width(const char *s)
{
	unsigned n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void pad(FILE *fp, unsigned n)
{
	while (n--)
		fputc(' ', fp);
}

static void print_row(FILE *fp, const struct cell *c, const unsigned *w, int ncol)
{
	int i, last = ncol - 1;

	/* no trailing blanks: stop after the last non-empty cell */
	while (last > 0 && !(c[last].text && *c[last].text))
		last--;
	for (i = 0; i <= last; i++) {
		const char *t = c[i].text ? c[i].text : "";
		unsigned fill = w[i] - c[i].width;

		if (i)
			fputs("  ", fp);
		if (c[i].numeric)
			pad(fp, fill);
		fputs(t, fp);
		if (!c[i].numeric && i < last)
			pad(fp, fill);
	}
	fputc('\n', fp);
}

static int write_table(sqlite3_stmt *st, FILE *fp, struct an_err *e)
{
	int ncol = sqlite3_column_count(st), i, rc, ret = -1;
	struct cell *cells = NULL;
	size_t nrows = 0, cap = 0, r;
	unsigned *w = calloc((size_t)ncol, sizeof(*w));
	struct cell *hdr = calloc((size_t)ncol, sizeof(*hdr));

	if (!w || !hdr) {
		an_errf(e, "out of memory");
		goto out;
	}
	for (i = 0; i < ncol; i++) {
		hdr[i].text = (char *)sqlite3_column_name(st, i);
		hdr[i].width = utf8_width(hdr[i].text);
		w[i] = hdr[i].width;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (nrows == cap) {
			struct cell *nc;

			cap = cap ? cap * 2 : 64;
			nc = realloc(cells, cap * (size_t)ncol * sizeof(*nc));
			if (!nc) {
				an_errf(e, "out of memory");
				goto out;
			}
			cells = nc;
		}
		for (i = 0; i < ncol; i++) {
			struct cell *c = &cells[nrows * (size_t)ncol + (size_t)i];
			const char *t = (const char *)sqlite3_column_text(st, i);
			int type = sqlite3_column_type(st, i);

			/* SQLite writes small REALs as 5.1e-05: people read 0.000051 */
			if (type == SQLITE_FLOAT && t && strchr(t, 'e'))
				c->text = fixed_point(sqlite3_column_double(st, i));
			else
				c->text = t ? strdup(t) : NULL;
			t = c->text;
			c->width = t ? utf8_width(t) : 0;
			c->numeric = type == SQLITE_INTEGER || type == SQLITE_FLOAT;
			c->decimals = type == SQLITE_FLOAT && t ? decimals_of(t) : -1;
			if (c->width > w[i])
				w[i] = c->width;
		}
		nrows++;
	}
	if (rc != SQLITE_DONE) {
		step_fail(st, e);
		goto out;
	}
	/* a column holding only numbers is right-aligned, its header too */
	for (i = 0; i < ncol; i++) {
		align_decimals(cells, nrows, ncol, i, w);
		hdr[i].numeric = nrows > 0;
		for (r = 0; r < nrows; r++) {
			struct cell *c = &cells[r * (size_t)ncol + (size_t)i];

			if (c->text && !c->numeric)
				hdr[i].numeric = 0;
		}
	}
	print_row(fp, hdr, w, ncol);
	for (i = 0; i < ncol; i++) {
		if (i)
			fputs("  ", fp);
		for (unsigned k = 0; k < w[i]; k++)
			fputc('-', fp);
	}
	fputc('\n', fp);
	for (r = 0; r < nrows; r++)
		print_row(fp, &cells[r * (size_t)ncol], w, ncol);
	ret = 0;
out:
	for (r = 0; r < nrows * (size_t)ncol; r++)
		free(cells[r].text);
	free(cells);
	free(w);
	free(hdr);
	return ret;
}

/* ---- csv: RFC 4180 quoting, but \n line ends for shell tools ---- */

static void csv_field(FILE *fp, const char *s)
{
	size_t n = strlen(s);

	if (!strpbrk(s, ",\"\r\n") && !(n && (s[0] == ' ' || s[n - 1] == ' '))) {
		fputs(s, fp);
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

static int write_csv(sqlite3_stmt *st, FILE *fp, struct an_err *e)
{
	int ncol = sqlite3_column_count(st), i, rc;

	for (i = 0; i < ncol; i++) {
		if (i)
			fputc(',', fp);
		csv_field(fp, sqlite3_column_name(st, i));
	}
	fputs("\n", fp);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < ncol; i++) {
			const char *t = (const char *)sqlite3_column_text(st, i);

			if (i)
				fputc(',', fp);
			if (t)
				csv_field(fp, t);
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

static int write_json(sqlite3_stmt *st, FILE *fp, struct an_err *e)
{
	int ncol = sqlite3_column_count(st), i, rc, first = 1;

	fputc('[', fp);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fputs(first ? "\n  {" : ",\n  {", fp);
		first = 0;
		for (i = 0; i < ncol; i++) {
			if (i)
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

int out_write(sqlite3_stmt *st, enum out_format f, FILE *fp, struct an_err *e)
{
	switch (f) {
	case OUT_CSV:
		return write_csv(st, fp, e);
	case OUT_JSON:
		return write_json(st, fp, e);
	default:
		return write_table(st, fp, e);
	}
}
