// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_id.h"
#include "dbfile.h"
#include "dbopen.h"
#include "embedded.h"
#include "fingerprint.h"

#define SQLITE_MAGIC "SQLite format 3"

void db_init(void)
{
	/* fails only once SQLite is in use: then it keeps its defaults */
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int import_into(sqlite3 *db, const char *trace, struct im_stats *st, struct an_err *e)
{
	struct tr_reader *r;
	int ret;

	if (tr_open(&r, trace, e))
		return -1;
	ret = im_import(db, r, trace, st, e);
	tr_close(r);
	return ret;
}

static int open_db(const char *path, int flags, sqlite3 **dbp, struct an_err *e)
{
	/* one connection, one thread: SQLite's mutexes are pure overhead */
	if (sqlite3_open_v2(path, dbp, flags | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK)
		return 0;
	an_errf(e, "%s: %s", path, *dbp ? sqlite3_errmsg(*dbp) : "out of memory");
	sqlite3_close(*dbp);
	*dbp = NULL;
	return -1;
}

/*
 * Mark the database ours (dbfile.h) and tie it to the trace as it was
 * before the import (fingerprint.h).
 */
static int put_fingerprint(sqlite3 *db, char fp[2][FP_LEN], struct an_err *e)
{
	static const char *const keys[2] = { FP_KEY_STAT, FP_KEY_CONTENT };
	sqlite3_stmt *st;
	int i, rc = SQLITE_OK;

	if (im_exec(db, "PRAGMA application_id = " DF_XSTR(DF_APPLICATION_ID), "meta", e))
		return -1;
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta VALUES (?, ?)", -1, &st, NULL))
		return an_errf(e, "meta: %s", sqlite3_errmsg(db));
	for (i = 0; i < 2 && rc == SQLITE_OK; i++) {
		sqlite3_bind_text(st, 1, keys[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, fp[i], -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_reset(st) : SQLITE_ERROR;
	}
	if (rc != SQLITE_OK)
		an_errf(e, "meta: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : -1;
}

int db_import_file(const char *trace, const char *dbpath, struct im_stats *st,
		   struct an_err *e)
{
	char fp[2][FP_LEN];
	struct df_tmp tmp;
	sqlite3 *db = NULL;
	int ret = -1;

	if (df_check_target(dbpath, trace, e))
		return DB_ECREATE;
	/* taken before the import: a change during it shows as another identity */
	if (fp_stat(trace, fp[0], e) || fp_content(trace, fp[1], e))
		return -1;
	/* built under a private name, then renamed: never a half-made DB */
	if (df_tmp_create(&tmp, dbpath, e))
		return DB_ECREATE;
	if (open_db(tmp.path, SQLITE_OPEN_READWRITE, &db, e) || import_into(db, trace, st, e) ||
	    put_fingerprint(db, fp, e))
		goto out;
	if (sqlite3_close(db) != SQLITE_OK) {
		an_errf(e, "%s: %s", tmp.path, sqlite3_errmsg(db));
		goto out;
	}
	db = NULL;
	if (df_tmp_commit(&tmp, dbpath, e))
		goto out;
	ret = 0;
out:
	sqlite3_close(db);
	df_tmp_release(&tmp); /* after SQLite's close: it holds the lock that says "alive" */
	return ret;
}

static int64_t meta_int(sqlite3 *db, const char *key, int64_t dflt)
{
	sqlite3_stmt *st;
	int64_t v = dflt;

	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL))
		return dflt;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Is meta KEY exactly VALUE? */
static int meta_is(sqlite3 *db, const char *key, const char *value)
{
	sqlite3_stmt *st;
	int same = 0;

	if (sqlite3_prepare_v2(db, "SELECT value = ? FROM meta WHERE key = ?", -1, &st, NULL))
		return 0;
	sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	same = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return same;
}

static int user_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL))
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int db_damaged(sqlite3 *db)
{
	int rc = sqlite3_errcode(db);

	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

enum db_state { DB_STALE, DB_FRESH, DB_BROKEN };

/* Is DBPATH an import of TRACE (as it is now) by this analyzer build? */
static enum db_state db_state(const char *trace, const char *dbpath)
{
	enum db_state state;
	char fp[FP_LEN];
	sqlite3 *db = NULL;
	int fresh;

	if (!df_is_ours(dbpath) || open_db(dbpath, SQLITE_OPEN_READONLY, &db, NULL))
		return DB_STALE;
	fresh = user_version(db) == EMBED_SCHEMA_VERSION &&
		meta_is(db, "analyzer_build", AN_BUILD_ID) && !fp_stat(trace, fp, NULL) &&
		(meta_is(db, FP_KEY_STAT, fp) ||
		 (!fp_content(trace, fp, NULL) && meta_is(db, FP_KEY_CONTENT, fp)));
	state = fresh ? DB_FRESH : db_damaged(db) ? DB_BROKEN : DB_STALE;
	sqlite3_close(db);
	return state;
}

static int sniff(const char *path, char *buf, size_t len, struct an_err *e)
{
	int fd = df_open_regular(path, e);
	ssize_t n;

	if (fd < 0)
		return -1;
	memset(buf, 0, len);
	n = read(fd, buf, len);
	close(fd);
	if (n < 0)
		return an_errf(e, "%s", strerror(errno));
	return 0;
}

/* Open the database of trace PATH, imported again unless fresh (FORCE: anyway). */
static int open_trace(const char *path, int force, sqlite3 **dbp, struct an_err *e)
{
	enum db_state state;
	struct an_err ie;
	char *dbpath;
	int ret = 0;

	if (asprintf(&dbpath, "%s.db", path) < 0)
		return an_errf(e, "out of memory");
	state = force ? DB_BROKEN : db_state(path, dbpath);
	if (state == DB_BROKEN)
		fprintf(stderr, "analyze: %s is damaged; importing %s again\n", dbpath, path);
	if (state != DB_FRESH)
		ret = db_import_file(path, dbpath, NULL, &ie);
	else
		df_make_private(dbpath);
	if (!ret) {
		ret = open_db(dbpath, SQLITE_OPEN_READONLY, dbp, e);
	} else if (ret != DB_ECREATE) {
		an_errf(e, "%s", ie.msg);
	} else {
		/* a read-only directory or a file not ours must not stop the analysis */
		fprintf(stderr, "analyze: %s; importing into memory\n", ie.msg);
		ret = open_db(":memory:", SQLITE_OPEN_READWRITE, dbp, e);
		if (!ret && import_into(*dbp, path, NULL, e)) {
			sqlite3_close(*dbp);
			*dbp = NULL;
			ret = -1;
		}
	}
	free(dbpath);
	return ret;
}

int db_open_input(const char *path, sqlite3 **dbp, struct an_err *e)
{
	char head[16];

	*dbp = NULL;
	if (sniff(path, head, sizeof(head), e))
		return -1;
	if (!memcmp(head, SQLITE_MAGIC, sizeof(SQLITE_MAGIC))) {
		if (open_db(path, SQLITE_OPEN_READONLY, dbp, e))
			return -1;
		if (user_version(*dbp) != EMBED_SCHEMA_VERSION) {
			sqlite3_close(*dbp);
			*dbp = NULL;
			return an_errf(e, "database schema version differs from this analyzer's (%d); "
					  "import the trace again",
				       EMBED_SCHEMA_VERSION);
		}
		return 0;
	}
	if (memcmp(head, BF_MAGIC, sizeof(BF_MAGIC) - 1))
		return an_errf(e, "not a bpfrec trace or analyzer database");
	return open_trace(path, 0, dbp, e);
}

int db_reopen_damaged(const char *path, sqlite3 **dbp, struct an_err *e)
{
	char head[16];

	if (sniff(path, head, sizeof(head), e))
		return -1;
	if (memcmp(head, BF_MAGIC, sizeof(BF_MAGIC) - 1))
		return an_errf(e, "the database is damaged: import its trace again");
	sqlite3_close(*dbp);
	*dbp = NULL;
	return open_trace(path, 1, dbp, e);
}

#define WARN_WINDOWS 5 /* loss windows named in the warning; all are in drop_windows */

/* When the records were lost: the first windows, merged across CPUs per group. */
static void warn_windows(sqlite3 *db, const char *path)
{
	int64_t t0 = meta_int(db, BF_KEY_START_TS, 0), shown = 0, total = 0;
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "SELECT grp, cpu, start_ts, end_ts, count FROM drop_windows "
				   "ORDER BY start_ts, cpu", -1, &st, NULL))
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (total++ >= WARN_WINDOWS)
			continue;
		fprintf(stderr,
			"analyze: warning: %s: %" PRId64 " %s events lost on cpu %d between "
			"%.3f s and %.3f s\n",
			path, (int64_t)sqlite3_column_int64(st, 4), sqlite3_column_text(st, 0),
			sqlite3_column_int(st, 1), (sqlite3_column_int64(st, 2) - t0) / 1e9,
			(sqlite3_column_int64(st, 3) - t0) / 1e9);
		shown++;
	}
	sqlite3_finalize(st);
	if (total > shown)
		fprintf(stderr, "analyze: warning: %s: and %" PRId64 " more loss windows "
			"(table drop_windows)\n", path, total - shown);
}

void db_warn(sqlite3 *db, const char *path)
{
	sqlite3_stmt *st;
	int64_t drops = meta_int(db, BF_KEY_DROPS, 0);

	if (!sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'salvage_warning'", -1,
				&st, NULL)) {
		if (sqlite3_step(st) == SQLITE_ROW)
			fprintf(stderr, "analyze: warning: %s: %s\n", path,
				(const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	if (drops > 0)
		fprintf(stderr,
			"analyze: warning: %s: %" PRId64 " events were dropped while "
			"recording; results are incomplete\n",
			path, drops);
	if (drops > 0)
		warn_windows(db, path);
}
