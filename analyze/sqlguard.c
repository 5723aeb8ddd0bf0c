// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqlguard.h"

/* Pragmas that only report; ARG: may take an argument (a table, a count), not a new value. */
static const struct {
	const char *name;
	int arg;
} read_pragmas[] = {
	{ "application_id", 0 }, { "collation_list", 0 }, { "compile_options", 0 },
	{ "data_version", 0 },	 { "database_list", 0 },  { "encoding", 0 },
	{ "foreign_key_check", 1 }, { "foreign_key_list", 1 }, { "freelist_count", 0 },
	{ "function_list", 0 },	 { "index_info", 1 },	  { "index_list", 1 },
	{ "index_xinfo", 1 },	 { "integrity_check", 1 }, { "module_list", 0 },
	{ "page_count", 0 },	 { "page_size", 0 },	  { "pragma_list", 0 },
	{ "quick_check", 1 },	 { "schema_version", 0 }, { "table_info", 1 },
	{ "table_list", 1 },	 { "table_xinfo", 1 },	  { "user_version", 0 },
};

/* The authorizer's action codes, for the message. */
static const char *const actions[] = {
	"COPY", "CREATE INDEX", "CREATE TABLE", "CREATE TEMP INDEX", "CREATE TEMP TABLE",
	"CREATE TEMP TRIGGER", "CREATE TEMP VIEW", "CREATE TRIGGER", "CREATE VIEW", "DELETE",
	"DROP INDEX", "DROP TABLE", "DROP TEMP INDEX", "DROP TEMP TABLE", "DROP TEMP TRIGGER",
	"DROP TEMP VIEW", "DROP TRIGGER", "DROP VIEW", "INSERT", "PRAGMA", "READ", "SELECT",
	"TRANSACTION", "UPDATE", "ATTACH", "DETACH", "ALTER TABLE", "REINDEX", "ANALYZE",
	"CREATE VIRTUAL TABLE", "DROP VIRTUAL TABLE", "FUNCTION", "SAVEPOINT", "RECURSIVE",
};

static int cmp_name(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

static int pragma_reads(const char *name, const char *arg)
{
	size_t i;

	for (i = 0; i < AN_ARRAY_SIZE(read_pragmas); i++)
		if (!strcasecmp(name, read_pragmas[i].name))
			return !arg || read_pragmas[i].arg;
	return 0;
}

static int deny(struct sg_guard *g, const char *what, const char *a, const char *b)
{
	snprintf(g->denied, sizeof(g->denied), "%s%s%.48s%s%.48s", what, a ? " " : "", a ? a : "",
		 b ? (a ? " = " : " ") : "", b ? b : "");
	return SQLITE_DENY;
}

static int authorize(void *ctx, int action, const char *a1, const char *a2, const char *db,
		     const char *view)
{
	struct sg_guard *g = ctx;

	(void)db;
	(void)view;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_FUNCTION:
		if (bsearch(&a2, g->funcs, g->nfuncs, sizeof(*g->funcs), cmp_name))
			return SQLITE_OK;
		return deny(g, "function", a2, NULL);
	case SQLITE_PRAGMA:
		return pragma_reads(a1, a2) ? SQLITE_OK : deny(g, "PRAGMA", a1, a2);
	}
	/* A1: the table, index, view, trigger, file or transaction it is about */
	if (action >= 0 && (size_t)action < AN_ARRAY_SIZE(actions))
		return deny(g, actions[action], a1, NULL);
	return deny(g, "action", NULL, NULL);
}

/* SQLite's own functions, load_extension() excepted, into G's allow-list. */
static int load_builtins(sqlite3 *db, struct sg_guard *g, struct an_err *e)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT DISTINCT name FROM pragma_function_list"
				   " WHERE builtin AND name <> 'load_extension'"
				   " ORDER BY name COLLATE NOCASE", -1, &st, NULL) != SQLITE_OK)
		return an_errf(e, "SQL error: %s", sqlite3_errmsg(db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *name = strdup((const char *)sqlite3_column_text(st, 0));

		if (g->nfuncs == cap) {
			char **nf = realloc(g->funcs, (cap = cap ? 2 * cap : 256) * sizeof(*nf));

			if (!nf) {
				free(name);
				break;
			}
			g->funcs = nf;
		}
		if (!name)
			break;
		g->funcs[g->nfuncs++] = name;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return an_errf(e, "out of memory");
	/* the same order as cmp_name() */
	qsort(g->funcs, g->nfuncs, sizeof(*g->funcs), cmp_name);
	return 0;
}

/* Table-valued functions that only read, besides the read pragmas'. */
static const char *const read_tables[] = { "json_each", "json_tree" };

/* Prepare (never run) SQL: connects the tables it names. One SQLite lacks
 * is refused later, as before. */
static void connect_table(sqlite3 *db, const char *fmt, const char *name)
{
	sqlite3_stmt *st;
	char sql[64];

	snprintf(sql, sizeof(sql), fmt, name);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK)
		sqlite3_finalize(st);
}

/*
 * Connect the table-valued forms of the read pragmas (pragma_table_info)
 * and read_tables before the guard is on: connecting one, SQLite asks the
 * authorizer to UPDATE sqlite_master (for a statement it never runs),
 * which the guard refuses, as it does for every other pragma's. Once
 * connected, each pragma asks for its PRAGMA as it runs, which the guard
 * checks as above.
 */
static void connect_read_tables(sqlite3 *db)
{
	size_t i;

	for (i = 0; i < AN_ARRAY_SIZE(read_pragmas); i++)
		connect_table(db, "SELECT * FROM pragma_%s", read_pragmas[i].name);
	for (i = 0; i < AN_ARRAY_SIZE(read_tables); i++)
		connect_table(db, "SELECT * FROM %s", read_tables[i]);
}

int sg_begin(sqlite3 *db, struct sg_guard *g, struct an_err *e)
{
	memset(g, 0, sizeof(*g));
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	sqlite3_enable_load_extension(db, 0);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	if (load_builtins(db, g, e)) {
		sg_end(db, g);
		return -1;
	}
	connect_read_tables(db);
	sqlite3_set_authorizer(db, authorize, g);
	return 0;
}

/* Say in E that the statement SQL was refused: its first word, then what for. */
static int refused(struct sg_guard *g, const char *sql, struct an_err *e)
{
	size_t n = 0;

	while (isspace((unsigned char)*sql))
		sql++;
	while (isalpha((unsigned char)sql[n]) && n < 32)
		n++;
	return an_errf(e, "SQL error: %.*s refused, analyze only reads: %s", (int)n, sql,
		       g->denied[0] ? g->denied : "it writes");
}

int sg_prepare(struct sg_guard *g, sqlite3 *db, const char *sql, sqlite3_stmt **st,
	       const char **tail, struct an_err *e)
{
	int rc;

	g->denied[0] = 0;
	g->sql = sql;
	rc = sqlite3_prepare_v2(db, sql, -1, st, tail);
	if (g->denied[0] || (rc == SQLITE_OK && *st && !sqlite3_stmt_readonly(*st))) {
		sqlite3_finalize(*st);
		*st = NULL;
		return refused(g, sql, e);
	}
	if (rc != SQLITE_OK)
		return an_errf(e, "SQL error: %s", sqlite3_errmsg(db));
	return 0;
}

void sg_explain(struct sg_guard *g, struct an_err *e)
{
	if (g->denied[0])
		refused(g, g->sql, e);
}

void sg_end(sqlite3 *db, struct sg_guard *g)
{
	size_t i;

	sqlite3_set_authorizer(db, NULL, NULL);
	for (i = 0; i < g->nfuncs; i++)
		free(g->funcs[i]);
	free(g->funcs);
	g->funcs = NULL;
	g->nfuncs = 0;
}
