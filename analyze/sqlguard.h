/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SQL that only reads. The statements of `analyze sql` and of the reports
 * may not create or change any file, whatever the connection allows (an
 * in-memory database is writable, and VACUUM INTO or ATTACH write files
 * even beside a read-only one). While a guard is on, SQLite's authorizer
 * lets through reading only: SELECT, reading columns, recursive CTEs,
 * SQLite's built-in functions but load_extension(), and the read forms of
 * a list of introspection pragmas, also table-valued (pragma_table_info).
 * Writes, to temporary tables too (they
 * may live in files), ATTACH, DETACH, transactions, schema changes and
 * setting pragmas are refused. A statement that passes the authorizer yet
 * would write (VACUUM, which it never asks about) is refused after
 * preparing, by sqlite3_stmt_readonly(). The connection also loses
 * extension loading, triggers and ATTACH (SQLITE_LIMIT_ATTACHED 0), and is
 * made defensive, for good.
 */
#ifndef AN_SQLGUARD_H
#define AN_SQLGUARD_H

#include <sqlite3.h>
#include <stddef.h>

#include "common.h"

struct sg_guard {
	char **funcs; /* the built-in functions allowed, sorted (case-insensitive) */
	size_t nfuncs;
	char denied[128]; /* what the authorizer refused for the current statement */
	const char *sql; /* the current statement */
};

/* Put a guard G on DB. Returns 0 or -1 with E set. */
int sg_begin(sqlite3 *db, struct sg_guard *g, struct an_err *e);

/*
 * Prepare the first statement of SQL under G, as sqlite3_prepare_v2 does
 * (*ST NULL: only blanks or comments). Returns 0, or -1 with E set to one
 * line: the SQL error, or what was refused and why.
 */
int sg_prepare(struct sg_guard *g, sqlite3 *db, const char *sql, sqlite3_stmt **st,
	       const char **tail, struct an_err *e);

/*
 * After the statement failed while running, with E set: when G refused
 * something it asked for then (a table-valued pragma), say that in E.
 */
void sg_explain(struct sg_guard *g, struct an_err *e);

/* Take the guard off DB (its other settings stay) and free it. */
void sg_end(sqlite3 *db, struct sg_guard *g);

#endif /* AN_SQLGUARD_H */
