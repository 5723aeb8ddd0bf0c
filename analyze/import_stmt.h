/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The importer's single-row statements: one prepared INSERT per table fed
 * row by row, reused for the whole import, and the binding helpers every
 * import_*.c file uses.
 */
#ifndef AN_IMPORT_STMT_H
#define AN_IMPORT_STMT_H

#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "common.h"
#include "bpfrec.h"

enum ist_id {
	IST_META,
	IST_SYSCALL_NAME,
	IST_PROBE,
	IST_DROP,
	IST_DROP_WINDOW,
	IST_PROCESS,
	IST_THREAD,
	IST_THREAD_NAME,
	IST_PROC_EVENT,
	IST_STAT,
	IST_HIST,
	IST_SYSCALL_ARGV,
	IST_SYSCALL_SOCK,
	IST_TP,
	IST_TP_FIELD,
	IST_TP_SYMBOL,
	IST_TP_COUNT,
	IST_MAX,
};

struct importer;

/* Prepare every statement of enum ist_id; -1 with im->e set. */
int ist_prepare(struct importer *im);
void ist_finalize(struct importer *im);

/* Step statement ID, fully bound, and make it ready for the next row. */
int ist_step(struct importer *im, enum ist_id id);
/* The same for any statement S; WHAT names it in errors. */
int ist_step_stmt(sqlite3 *db, struct an_err *e, sqlite3_stmt *s, const char *what);
/* Report DB's last error while doing WHAT; returns -1. */
int ist_fail(sqlite3 *db, struct an_err *e, const char *what);

/* Binding helpers; column numbers are 1-based like SQLite's. */
static inline void ib_int(sqlite3_stmt *s, int col, int64_t v)
{
	sqlite3_bind_int64(s, col, v);
}

/* 0 stands for "unknown" in the trackers' ids and timestamps */
static inline void ib_int_or_null(sqlite3_stmt *s, int col, int64_t v)
{
	if (v)
		sqlite3_bind_int64(s, col, v);
	else
		sqlite3_bind_null(s, col);
}

/* Text valid until the statement steps (the record buffer outlives it). */
static inline void ib_text(sqlite3_stmt *s, int col, const char *v)
{
	if (v)
		sqlite3_bind_text(s, col, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, col);
}

static inline void ib_text_n(sqlite3_stmt *s, int col, const char *v, size_t len)
{
	sqlite3_bind_text(s, col, v, (int)len, SQLITE_STATIC);
}

static inline void ib_comm(sqlite3_stmt *s, int col, const char *comm)
{
	ib_text_n(s, col, comm, strnlen(comm, BPFREC_COMM_LEN));
}

#endif /* AN_IMPORT_STMT_H */
