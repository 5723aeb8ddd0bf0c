// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "embedded.h"
#include "report.h"

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

/* A query that takes :timestamp shows its "time" column only when asked. */
static uint64_t hidden_columns(sqlite3_stmt *st, const struct rp_params *p)
{
	uint64_t hide = 0;
	int i;

	if ((p && p->timestamp) || !sqlite3_bind_parameter_index(st, ":timestamp"))
		return 0;
	for (i = 0; i < sqlite3_column_count(st) && i < 64; i++)
		if (!strcmp(sqlite3_column_name(st, i), "time"))
			hide |= 1ull << i;
	return hide;
}

int rp_run_sql(sqlite3 *db, const char *sql, const struct rp_params *p, enum out_format f,
	       FILE *fp, struct an_err *e)
{
	const char *tail = sql;
	int ran = 0;

	while (*tail) {
		sqlite3_stmt *st = NULL;
		int ret;

		if (sqlite3_prepare_v2(db, tail, -1, &st, &tail) != SQLITE_OK)
			return an_errf(e, "SQL error: %s", sqlite3_errmsg(db));
		if (!st)
			break; /* only comments or blanks left */
		bind_params(st, p);
		if (sqlite3_column_count(st)) {
			if (ran++)
				fputc('\n', fp);
			ret = out_write(st, f, hidden_columns(st, p), fp, e);
		} else {
			ret = sqlite3_step(st) == SQLITE_DONE ?
				      0 :
				      an_errf(e, "SQL error: %s", sqlite3_errmsg(db));
		}
		sqlite3_finalize(st);
		if (ret)
			return -1;
	}
	return 0;
}

int rp_run(sqlite3 *db, const char *name, const struct rp_params *p, enum out_format f,
	   FILE *fp, struct an_err *e)
{
	const char *sql = rp_find(name);
	struct an_err re;

	if (!sql)
		return an_errf(e, "no report '%s' (see 'analyze reports')", name);
	if (rp_run_sql(db, sql, p, f, fp, &re))
		return an_errf(e, "report %s: %s", name, re.msg);
	return 0;
}
