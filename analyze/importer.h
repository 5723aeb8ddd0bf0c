/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Importer: decodes a trace in one pass, in file order, into the SQLite
 * schema (the files in schema/). Rows go through prepared statements reused for
 * the whole import inside one transaction; syscalls and fds rows in runs of
 * multi-row INSERTs. Processes and fds are reconstructed on the way
 * (proctrack, fdtrack), and the per-syscall summaries and per-fd I/O the
 * reports read are counted in memory and written at the end, so the
 * largest table needs no index.
 */
#ifndef AN_IMPORTER_H
#define AN_IMPORTER_H

#include <sqlite3.h>
#include <stdint.h>

#include "common.h"
#include "trace_reader.h"

struct im_stats {
	uint64_t records;
	uint64_t syscalls;
	uint64_t process_events;
	uint64_t fds;
	uint64_t processes;
	uint64_t threads;
	uint64_t drops;
	uint64_t tp_events; /* generic tracepoint rows */
	uint64_t tp_undescribed; /* tracepoint events without their META_TP: left out */
	uint64_t tp_bad_formats; /* META_TP formats that do not parse: left out */
};

/*
 * Import the trace behind R into DB, which must be empty. TRACE_PATH is
 * recorded in meta. A salvaged trace imports fine: the reason is stored
 * as meta salvage_warning. Returns 0 or -1 with E set.
 */
int im_import(sqlite3 *db, struct tr_reader *r, const char *trace_path, struct im_stats *st,
	      struct an_err *e);

/* Run one embedded schema file's SQL; -1 with E set on error. */
int im_exec(sqlite3 *db, const char *sql, const char *what, struct an_err *e);

#endif /* AN_IMPORTER_H */
