/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Getting a database to query: import a trace into a file (atomically,
 * through a temporary name: dbfile.h), or reuse TRACE.db when it was made
 * from the same trace (fingerprint.h) by the same analyzer build. A
 * damaged TRACE.db is imported again, with a notice.
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

/* db_import_file() could not create the database file, or may not replace it */
#define DB_ECREATE -2

/*
 * Import TRACE into DBPATH, replacing it if it is a database of ours
 * (dbfile.h). Returns 0, -1 or DB_ECREATE.
 */
int db_import_file(const char *trace, const char *dbpath, struct im_stats *st,
		   struct an_err *e);

/*
 * Open PATH for queries, read-only: an analyzer database, or a trace via
 * its TRACE.db (imported or refreshed as needed; in memory if the
 * directory is not writable). Returns 0 or -1 with E set.
 */
int db_open_input(const char *path, sqlite3 **dbp, struct an_err *e);

/* Did the last call on DB fail because the database file is damaged? */
int db_damaged(sqlite3 *db);

/*
 * *DBP, opened by db_open_input(PATH), turned out damaged: when PATH is a
 * trace, import it again (with a notice) and open the new database in
 * *DBP. Returns 0, or -1 with E set (also when PATH is itself a database).
 */
int db_reopen_damaged(const char *path, sqlite3 **dbp, struct an_err *e);

/* Print the trace's salvage and drop warnings (from meta) to stderr. */
void db_warn(sqlite3 *db, const char *path);

#endif /* AN_DBOPEN_H */
