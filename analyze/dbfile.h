/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The files the analyzer reads and writes, and nothing else: inputs are
 * regular files (a FIFO or a device would block or never end); a database
 * is written only where nothing is, or over a database this analyzer made,
 * never over a symlink, another file or the trace itself; it is built as
 * DB.tmpPID, mode 0600 (it holds the trace's command lines and paths;
 * one reused is made 0600 too),
 * locked while it is written, removed on SIGINT/SIGTERM/SIGHUP, and the
 * ones of imports that died are removed by the next import there.
 */
#ifndef AN_DBFILE_H
#define AN_DBFILE_H

#include "common.h"

/* PRAGMA application_id of our databases: "BPFR" (0x42504652) */
#define DF_APPLICATION_ID 1112557138
#define DF_STR(x) #x
#define DF_XSTR(x) DF_STR(x)

/* Open PATH read-only if it is a regular file; the fd, or -1 with E set. */
int df_open_regular(const char *path, struct an_err *e);

/* Is PATH a database this analyzer made (any version, maybe damaged)? */
int df_is_ours(const char *path);

/*
 * May a database be written at DBPATH (importing TRACE)? 0 when nothing is
 * there or a database of ours, else -1 with the reason in E.
 */
int df_check_target(const char *dbpath, const char *trace, struct an_err *e);

/*
 * DBPATH, a database of ours about to be reused, may be group- or
 * world-readable (older analyzers made it 0644): make it 0600, through
 * the open file (a file swapped in meanwhile is not changed by name). Only
 * a regular file of our own user: another user's (root reusing it) is
 * theirs to set. A failure is a warning on stderr: the reuse goes on.
 */
void df_make_private(const char *dbpath);

/* The temporary file a database is built in. */
struct df_tmp {
	char *path;
	int fd; /* holds the flock that tells a live import from a dead one */
};

/*
 * Create DBPATH.tmpPID (0600, exclusive), after removing the temporary
 * files of dead imports next to it. Returns 0 or -1 with E set.
 */
int df_tmp_create(struct df_tmp *t, const char *dbpath, struct an_err *e);

/* Rename the temporary file to DBPATH. Returns 0 or -1 with E set. */
int df_tmp_commit(struct df_tmp *t, const char *dbpath, struct an_err *e);

/* Remove the temporary file unless committed, and release T. */
void df_tmp_release(struct df_tmp *t);

#endif /* AN_DBFILE_H */
