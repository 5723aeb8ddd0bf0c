/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Importer internals, shared by the import_*.c files: the importer's
 * state and what each file offers the others. One file per job:
 *
 *   importer.c        im_import(): setup, dispatch by record type, teardown
 *   import_schema.c   schema steps: setup pragmas, the schema files before and after the load
 *   import_stmt.c     the single-row statements and binding helpers
 *   import_run.c      the multi-row insert engine (syscall_rows, fds)
 *   import_stats.c    syscall statistics (syscall_stats, syscall_hist)
 *   import_syscall.c  syscall records -> syscall_rows, I/O classes
 *   import_sock.c     their socket tails -> syscall_socks
 *   import_fds.c      fdtrack's rows -> fds
 *   import_proc.c     process events -> process_events, processes, threads, thread_names
 *   import_tp.c       generic tracepoints -> tp_<system>_<event>, tracepoints...
 *   import_meta.c     recorder metadata -> meta, syscall_names, probes, drops; trackers' snapshot
 */
#ifndef AN_IMPORT_INT_H
#define AN_IMPORT_INT_H

#include <sqlite3.h>
#include <stdint.h>

#include "fdtrack.h"
#include "hashmap.h"
#include "import_run.h"
#include "import_stats.h"
#include "import_stmt.h"
#include "importer.h"
#include "proctrack.h"
#include "syscall_info.h"

/* Syscall numbers at or above this have no I/O class (no real table is this big). */
#define ISYS_NR_LIMIT 65536

/* A syscall_rows row waiting in the current run; ids are implicit (rowid order). */
struct isys_row {
	unsigned shape;
	int64_t ts, exit_ts, pid, tid, proc_id, cpu, nr, ret, fd_id;
	int64_t args[6];
	int path_len;
	const char *path2;
	char path[TR_SYSCALL_TAIL_MAX + 1]; /* copied: the reader reuses its buffer */
};

/* A fds row waiting in its run: the tracker frees the path once emitted. */
struct ifd_row {
	struct ft_fd_row row; /* row.path points to path, or is NULL */
	char path[BPFREC_PATH_MAX + 64];
};

/* An fd_io row waiting in its run: one fd's I/O under one name. */
struct ifd_io_row {
	int64_t fd_id;
	struct ft_io io; /* io.next unused */
};

struct importer {
	sqlite3 *db;
	sqlite3_stmt *st[IST_MAX];
	struct pt_tracker *pt;
	struct ft_tracker *ft;
	struct im_stats stats;
	struct an_err *e;
	int64_t next_event_id;
	uint64_t first_ts;
	int have_start_ts;
	uint64_t start_ts; /* from meta: the snapshot's time */
	uint64_t drops_sum;
	/* META_SYSCALL renaming a known number (a damaged trace): how many, the first */
	uint64_t name_conflicts;
	char name_conflict[128];
	char args[BPFREC_ARGS_MAX + 1];
	struct hm exec_names; /* tid -> filename of its exec event, until its execve row */
	/* rows waiting to be inserted together */
	struct irun sc_run, fd_run, fd_io_run;
	struct isys_row sc_rows[IRUN_MAX];
	struct ifd_row fd_rows[IRUN_MAX];
	struct ifd_io_row fd_io_rows[IRUN_MAX];
	/* per (process, syscall) summaries */
	struct hm sc_stats;
	struct istat *last_stat; /* calls come in bursts of one process */
	/* bpf/syscalls.def's line by syscall nr, from the trace's names; NULL: none */
	const struct sysc_info **sysc_by_nr;
	/* generic tracepoints by kernel id (struct itp, import_tp.c) */
	struct hm tps;
	struct itp *last_tp; /* events come in runs of one tracepoint */
};

/* One handler per record type of bpf/records.def: a missing one fails the link. */
#define EV(num, id, group, name, st, ...) int im_on_##name(struct importer *im, const struct st *ev);
#define META(num, id, name, st, ...) int im_on_##name(struct importer *im, const struct st *ev);
#include "records.def"

/* importer.c */
/* Trackers return -ENOMEM, or -1 when an emit callback already set E. */
int im_tracker_fail(struct importer *im, int ret);
/* The processes.id of H's process (created if new), -1: out of memory. */
int64_t im_proc_id(struct importer *im, const struct ev_hdr *h);

/* import_schema.c: pragmas, BEGIN and the schema before the load; -1 with E set */
int isch_setup(sqlite3 *db, struct an_err *e);
/* The schema files run before (POST_LOAD 0) or after the load (1: indexes). */
int isch_run(sqlite3 *db, int post_load, struct an_err *e);

/* import_syscall.c */
extern const struct irun_ops isys_ops;
int isys_init(struct importer *im);
void isys_fini(struct importer *im);
/* The syscalls.def line of syscall NR in this trace, NULL: none. */
const struct sysc_info *isys_info(const struct importer *im, int64_t nr);
/* Remember FILENAME, of TID's exec event, for its execve row if that lost its path. */
int isys_exec_name(struct importer *im, uint32_t tid, const char *filename);

/* import_sock.c: the syscall_socks row of call ID (a TAIL_SOCK or TAIL_SOCKADDR; INFO may be NULL) */
int isock_put(struct importer *im, int64_t id, const struct ev_syscall *ev,
	      const struct sysc_info *info);

/* import_fds.c */
extern const struct irun_ops ifd_ops, ifd_io_ops;
int ifd_emit(void *ctx, const struct ft_fd_row *r);

/* import_proc.c: the trackers' processes and threads rows */
/* argv (N bytes, NUL-separated, maybe cut) joined by spaces in im->args; its length */
size_t iproc_join_args(struct importer *im, const char *args, size_t n);
int iproc_emit_proc(void *ctx, const struct pt_proc *p);
int iproc_emit_thread(void *ctx, const struct pt_thread *t);
int iproc_emit_name(void *ctx, const struct pt_name *n);

/* import_tp.c: the tracepoints rows' counts, at the end; freeing */
int itp_finish(struct importer *im);
void itp_fini(struct importer *im);

/* import_meta.c */
int imeta_put(struct importer *im, const char *key, const char *value);
int imeta_put_u64(struct importer *im, const char *key, uint64_t v);
/* Meta rows describing the import itself. */
int imeta_put_import(struct importer *im, struct tr_reader *r, const char *trace_path);

#endif /* AN_IMPORT_INT_H */
