/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reports: the canned queries embedded from queries/<name>.sql, and the
 * runner shared with ad-hoc SQL: bind :pid and :comm (NULL when not
 * given) and :timestamp (0 or 1), step, format.
 */
#ifndef AN_REPORT_H
#define AN_REPORT_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

#include "common.h"
#include "output.h"

struct rp_params {
	int has_pid;
	int64_t pid;
	const char *comm; /* NULL: any */
	int timestamp; /* :timestamp, 1: show the wall-clock "time" column */
};

/* The report's SQL text, or NULL if there is no report NAME. */
const char *rp_find(const char *name);

/* Print "name  description" for every report. */
void rp_list(FILE *fp);

/*
 * Run SQL (one or more statements), printing every result set. Reading
 * only: a statement that would write anything is refused (sqlguard.h).
 */
int rp_run_sql(sqlite3 *db, const char *sql, const struct rp_params *p, enum out_format f,
	       FILE *fp, struct an_err *e);

/*
 * Whether report NAME reads tracepoints (a "-- @needs" line): its comm
 * columns are the events' own, names at the time in any trace.
 */
int rp_over_tracepoints(const char *name);

/* Run report NAME. */
int rp_run(sqlite3 *db, const char *name, const struct rp_params *p, enum out_format f,
	   FILE *fp, struct an_err *e);

#endif /* AN_REPORT_H */
