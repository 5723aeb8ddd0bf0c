// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "report.h"
#include "sqlguard.h"

const char *rp_find(const char *name)
{
	unsigned i;

	for (i = 0; i < embed_queries_count; i++)
		if (!strcmp(embed_queries[i].name, name))
			return embed_queries[i].text;
	return NULL;
}

void rp_list(FILE *fp)
{
	unsigned i;

	for (i = 0; i < embed_queries_count; i++) {
		const struct embed_file *q = &embed_queries[i];
		/* first line: "-- <name>: <description>" */
		const char *d = strstr(q->text, ": "), *eol = strchr(q->text, '\n');

		if (!d || (eol && d > eol))
			d = "";
		else
			d += 2;
		fprintf(fp, "%-16s %.*s\n", q->name, (int)(eol ? eol - d : (long)strlen(d)), d);
	}
}

static void bind_params(sqlite3_stmt *st, const struct rp_params *p)
{
	int i = sqlite3_bind_parameter_index(st, ":pid");

	if (i) {
		if (p && p->has_pid)
			sqlite3_bind_int64(st, i, p->pid);
		else
			sqlite3_bind_null(st, i);
	}
	i = sqlite3_bind_parameter_index(st, ":comm");
	if (i) {
		if (p && p->comm)
			sqlite3_bind_text(st, i, p->comm, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, i);
	}
	i = sqlite3_bind_parameter_index(st, ":timestamp");
	if (i)
		sqlite3_bind_int(st, i, p && p->timestamp);
}

/* A query that takes :timestamp shows its "time" column only when asked (-T). */
static void hide_time(sqlite3_stmt *st, const struct rp_params *p, uint8_t *show)
{
	int i;

	if ((p && p->timestamp) || !sqlite3_bind_parameter_index(st, ":timestamp"))
		return;
	for (i = 0; i < sqlite3_column_count(st); i++)
		if (!strcmp(sqlite3_column_name(st, i), "time"))
			show[i] = OUT_COL_HIDE;
}

#define HIDE "-- @hide"
#define HIDE_NULL "-null"
#define SEPARATORS " ,\t"

/* The next word of P..END (separated by spaces or commas), NULL: none. */
static const char *next_word(const char **p, const char *end, size_t *len)
{
	const char *w = *p;

	while (w < end && strchr(SEPARATORS, *w))
		w++;
	*len = 0;
	while (w + *len < end && !strchr(SEPARATORS, w[*len]))
		(*len)++;
	*p = w + *len;
	return *len ? w : NULL;
}

static int has_word(const char *p, const char *end, const char *word)
{
	const char *w;
	size_t len;

	while ((w = next_word(&p, end, &len)))
		if (len == strlen(word) && !strncmp(w, word, len))
			return 1;
	return 0;
}

/*
 * SHOW[i] for each column of ST in format F, from the directives of SQL,
 * lines of its own:
 *   -- @hide FORMATS: COLUMNS       not printed in those formats
 *   -- @hide-null table: COLUMNS    not printed when NULL in every row
 * A directive naming a column that ST lacks is an error: a typo would
 * otherwise go unseen in the formats it does not apply to.
 */
static int col_modes(const char *sql, sqlite3_stmt *st, enum out_format f, uint8_t *show,
		     struct an_err *e)
{
	int ncol = sqlite3_column_count(st), i;
	const char *line;

	for (line = sql; (line = strstr(line, HIDE)); line++) {
		const char *p = line + strlen(HIDE), *eol = strchrnul(p, '\n'), *colon, *w;
		int if_null = !strncmp(p, HIDE_NULL, strlen(HIDE_NULL)), applies;
		size_t len;

		if (line != sql && line[-1] != '\n')
			continue;
		p += if_null ? strlen(HIDE_NULL) : 0;
		colon = memchr(p, ':', (size_t)(eol - p));
		if (*p != ' ' || !colon)
			return an_errf(e, "bad directive '%.*s'", (int)(eol - line), line);
		applies = has_word(p, colon, out_format_name(f));
		for (p = colon + 1; (w = next_word(&p, eol, &len));) {
			for (i = 0; i < ncol; i++) {
				const char *name = sqlite3_column_name(st, i);

				if (strlen(name) == len && !strncmp(name, w, len))
					break;
			}
			if (i == ncol)
				return an_errf(e, "directive '%.*s': no column '%.*s'",
					       (int)(eol - line), line, (int)len, w);
			if (applies)
				show[i] = if_null ? OUT_COL_HIDE_NULL : OUT_COL_HIDE;
		}
	}
	return 0;
}

/* Print the rows of ST, its columns as SQL's directives and P say. */
static int print_result(const char *sql, sqlite3_stmt *st, const struct rp_params *p,
			enum out_format f, FILE *fp, struct an_err *e)
{
	uint8_t *show = calloc((size_t)sqlite3_column_count(st) + 1, 1);
	int ret;

	if (!show)
		return an_errf(e, "out of memory");
	hide_time(st, p, show);
	ret = col_modes(sql, st, f, show, e) ?: out_write(st, f, show, fp, e);
	free(show);
	return ret;
}

int rp_run_sql(sqlite3 *db, const char *sql, const struct rp_params *p, enum out_format f,
	       FILE *fp, struct an_err *e)
{
	const char *tail = sql;
	struct sg_guard g;
	int ran = 0, ret = 0;

	if (sg_begin(db, &g, e))
		return -1;
	while (*tail && !ret) {
		sqlite3_stmt *st = NULL;

		ret = sg_prepare(&g, db, tail, &st, &tail, e);
		if (ret || !st)
			break; /* refused, or only comments or blanks left */
		bind_params(st, p);
		if (sqlite3_column_count(st)) {
			if (ran++)
				fputc('\n', fp);
			ret = print_result(sql, st, p, f, fp, e);
		} else {
			ret = sqlite3_step(st) == SQLITE_DONE ?
				      0 :
				      an_errf(e, "SQL error: %s", sqlite3_errmsg(db));
		}
		sqlite3_finalize(st);
		if (ret)
			sg_explain(&g, e);
	}
	sg_end(db, &g);
	return ret ? -1 : 0;
}

#define NEEDS "-- @needs "
#define ALL_SUFFIX "@all"

/*
 * How tracepoint SYS:EVENT (LEN bytes at TP) was recorded: 1 in every
 * task's context (NAME@all, or any NAME with -a: the same filter), 0 in
 * the traced tasks' only, -1 not at all.
 */
static int tp_recorded(sqlite3 *db, const char *tp, size_t len)
{
	const char *colon = memchr(tp, ':', len);
	sqlite3_stmt *st;
	int ret = -1;

	if (!colon || sqlite3_prepare_v2(db, "SELECT filter = 'all' OR (SELECT value = 'all'"
					     " FROM meta WHERE key = 'target') FROM tracepoints"
					     " WHERE system = ? AND event = ?",
					 -1, &st, NULL))
		return -1;
	sqlite3_bind_text(st, 1, tp, (int)(colon - tp), SQLITE_STATIC);
	sqlite3_bind_text(st, 2, colon + 1, (int)(len - (size_t)(colon + 1 - tp)), SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		ret = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return ret;
}

/*
 * A report over tracepoints names them on a line of its own, as record -e
 * takes them:
 *   -- @needs block:block_rq_issue@all, block:block_rq_complete@all
 * On a trace without one of them it fails with one line saying what to
 * record, not with SQL's "no such table". Those recorded without the @all
 * they ask for (their events in interrupts and other tasks' context
 * missing) are named in a warning on stderr.
 */
static int check_needs(sqlite3 *db, const char *name, const char *sql, struct an_err *e)
{
	const char *line = strstr(sql, "\n" NEEDS), *p, *eol, *w;
	char spec[256] = "", partial[256] = "";
	size_t len;

	if (!line)
		return 0;
	p = line + 1 + strlen(NEEDS);
	eol = strchrnul(p, '\n');
	while ((w = next_word(&p, eol, &len)))
		snprintf(spec + strlen(spec), sizeof(spec) - strlen(spec), "%s%.*s",
			 *spec ? "," : "", (int)len, w);
	for (p = line + 1 + strlen(NEEDS); (w = next_word(&p, eol, &len));) {
		int all = len > strlen(ALL_SUFFIX) &&
			  !strncmp(w + len - strlen(ALL_SUFFIX), ALL_SUFFIX, strlen(ALL_SUFFIX));
		size_t tplen = all ? len - strlen(ALL_SUFFIX) : len;
		int how = tp_recorded(db, w, tplen);

		if (how < 0)
			return an_errf(e, "%.*s was not recorded: record with -e %s", (int)tplen,
				       w, spec);
		if (all && !how)
			snprintf(partial + strlen(partial), sizeof(partial) - strlen(partial),
				 "%s%.*s", *partial ? ", " : "", (int)tplen, w);
	}
	if (*partial)
		fprintf(stderr,
			"analyze: warning: report %s: recorded without @all: %s; their events in "
			"interrupts and other tasks are missing (record with -e %s)\n",
			name, partial, spec);
	return 0;
}

int rp_over_tracepoints(const char *name)
{
	const char *sql = rp_find(name);

	return sql && strstr(sql, "\n" NEEDS);
}

int rp_run(sqlite3 *db, const char *name, const struct rp_params *p, enum out_format f,
	   FILE *fp, struct an_err *e)
{
	const char *sql = rp_find(name);
	struct an_err re;

	if (!sql)
		return an_errf(e, "no report '%s' (see 'analyze reports')", name);
	if (check_needs(db, name, sql, &re) || rp_run_sql(db, sql, p, f, fp, &re))
		return an_errf(e, "report %s: %s", name, re.msg);
	return 0;
}
