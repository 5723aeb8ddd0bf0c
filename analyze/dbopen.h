/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Getting a database to query: import a trace into a file (atomically,
 * through a temporary name), or reuse TRACE.db when it was made from the
 * same trace (size, mtime) by an analyzer with the same schema version.
 */
#ifndef AN_DBOPEN_H
#define AN_DBOPEN_H

#include <sqlite3.h>

#include "common.h"
#include "importer.h"

/*
 * Configure SQLite for this process before its first use: one thread, no
 * memory statistics (each allocation would take a global mutex).
 */
void db_init(void);

/* db_import_file() could not create the database file */
#define DB_ECREATE -2

/* Import TRACE into DBPATH, replacing it. Returns 0, -1 or DB_ECREATE. */
int db_import_file(const char *trace, const char *dbpath, struct im_stats *st,
		   struct an_err *e);

/*
 * Open PATH for queries, read-only: an analyzer database, or a trace via
 * its TRACE.db (imported or refreshed as needed; in memory if the
 * directory is not writable). Returns 0 or -1 with E set.
 */
int db_open_input(const char *path, sqlite3 **dbp, struct an_err *e);

/* Print the trace's salvage and drop warnings (from meta) to stderr. */
void db_warn(sqlite3 *db, const char *path);

#endif /* AN_DBOPEN_H */
