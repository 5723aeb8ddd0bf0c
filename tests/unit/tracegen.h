/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Synthetic traces for unit tests: one helper per record type, written
 * through the real trace writer (record/trace_writer.c).
 */
#ifndef TRACEGEN_H
#define TRACEGEN_H

#include <stdint.h>

#include <sqlite3.h>

#include "importer.h"
#include "report.h"
#include "trace_format.h"
#include "trace_writer.h"

/* Abort the test with a message when COND is false. */
#define CHECK(cond)                                                                        \
	do {                                                                               \
		if (!(cond))                                                               \
			tg_fail(__FILE__, __LINE__, #cond);                                \
	} while (0)

__attribute__((noreturn)) void tg_fail(const char *file, int line, const char *what);

/* Compare two strings; on a difference print both and fail. */
#define CHECK_STR(got, want) tg_check_str(__FILE__, __LINE__, (got), (want))
void tg_check_str(const char *file, int line, const char *got, const char *want);

/*
 * Compare a whole output with the golden file PATH (relative to the test's
 * workdir); with UPDATE_GOLDEN set, rewrite the file instead.
 */
#define CHECK_GOLDEN(got, path) tg_check_golden(__FILE__, __LINE__, (got), (path))
void tg_check_golden(const char *file, int line, const char *got, const char *path);

/* The same for report NAME over the whole trace, in the table format. */
#define CHECK_GOLDEN_REPORT(db, name, path)                                               \
	tg_check_golden_report(__FILE__, __LINE__, (db), (name), (path))
void tg_check_golden_report(const char *file, int line, sqlite3 *db, const char *name,
			    const char *path);

struct bf_writer *tg_open(const char *path, int level);
void tg_close(struct bf_writer *w);

/* tg_open() at level 3, then start_ts 1 s and the syscall table NAMES (an array) */
#define TG_START(path, names) tg_start((path), (names), sizeof(names) / sizeof((names)[0]))
struct tg_name;
struct bf_writer *tg_start(const char *path, const struct tg_name *names, size_t n);

void tg_kv(struct bf_writer *w, int kind, const char *key, const char *value);
void tg_syscall_name(struct bf_writer *w, int32_t nr, const char *name);
struct tg_name {
	int32_t nr;
	const char *name;
};
/* tg_syscall_name() for each entry of the array NAMES */
#define TG_SYSCALL_NAMES(w, names)                                                         \
	tg_syscall_names((w), (names), sizeof(names) / sizeof((names)[0]))
void tg_syscall_names(struct bf_writer *w, const struct tg_name *names, size_t n);
void tg_proc(struct bf_writer *w, uint32_t pid, uint32_t ppid, uint64_t ts, const char *comm,
	     const char *exe, const char *cmdline, const char *cwd);
/* A thread (not the leader) alive at start: META_THREAD */
void tg_snap_thread(struct bf_writer *w, uint32_t pid, uint32_t tid, uint64_t ts,
		    const char *comm);
void tg_fd(struct bf_writer *w, uint32_t pid, int32_t fd, uint32_t flags, const char *path);
/* Process PID (COMM, running EXE, child of 1, cwd /home/u) with fds 0-2 on /dev/pts/0 */
void tg_proc_tty(struct bf_writer *w, uint32_t pid, uint64_t ts, const char *comm,
		 const char *exe);
void tg_drops(struct bf_writer *w, uint16_t cpu, uint32_t group, uint64_t count);

/* A completed syscall taking DUR ns (0: never returned); PATH may be NULL. */
void tg_syscall(struct bf_writer *w, uint64_t ts, uint64_t dur, uint32_t pid, uint32_t tid,
		int32_t nr, int64_t ret, uint64_t a0, uint64_t a1, uint64_t a2, const char *path);
/* The same with a tail of KIND: LEN bytes of TAIL */
void tg_syscall_tail(struct bf_writer *w, uint64_t ts, uint64_t dur, uint32_t pid, uint32_t tid,
		     int32_t nr, int64_t ret, uint64_t a0, uint8_t kind, const void *tail,
		     uint16_t len);
/* pipe/pipe2/socketpair: FD0, FD1 in an fd pair tail */
void tg_syscall_pair(struct bf_writer *w, uint64_t ts, uint32_t pid, int32_t nr, uint64_t flags,
		     int32_t fd0, int32_t fd1);
void tg_fork(struct bf_writer *w, uint64_t ts, uint32_t pid, uint32_t child, const char *comm,
	     uint16_t flags);
/* A new thread TID of process PID, made by its leader, named COMM */
void tg_new_thread(struct bf_writer *w, uint64_t ts, uint32_t pid, uint32_t tid, const char *comm);
/* Thread TID renamed from OLDCOMM to NEWCOMM (prctl PR_SET_NAME) */
void tg_rename(struct bf_writer *w, uint64_t ts, uint32_t pid, uint32_t tid, const char *oldcomm,
	       const char *newcomm);
/* ARGS: NUL-separated argv of ARGS_LEN bytes */
void tg_exec(struct bf_writer *w, uint64_t ts, uint32_t pid, const char *filename,
	     const char *args, uint16_t args_len, const char *comm);
void tg_exit(struct bf_writer *w, uint64_t ts, uint32_t pid, uint32_t tid, int32_t code,
	     uint64_t start_ts, const char *comm);

/* A tracepoint's META_TP with its tracefs FORMAT text, and one of its events. */
void tg_tp_meta(struct bf_writer *w, uint32_t id, const char *sys, const char *event,
		const char *format);
void tg_tp(struct bf_writer *w, uint64_t ts, uint32_t pid, uint32_t tid, uint32_t id,
	   const void *data, uint16_t len);
/*
 * Remove the trace PATH, or with TG_KEEP_DIR=DIR keep it as
 * DIR/<program>-<n>.bpfrec: this is how the fuzzer's seed corpus
 * (tests/fuzz/corpus/) is made.
 */
void tg_keep_or_unlink(const char *path);

/*
 * Write a trace with WRITE_TRACE into a temporary file, import it into a
 * new in-memory database and remove the file (exits on error).
 */
sqlite3 *tg_import(void (*write_trace)(const char *path), struct im_stats *st);

/* The rows of SQL as "a|b|c" lines, NULL as NULL; the caller frees. */
char *tg_query(sqlite3 *db, const char *sql);

/* The output of report NAME in FMT; the caller frees. */
char *tg_report(sqlite3 *db, const char *name, const struct rp_params *p,
		enum out_format fmt);

#endif /* TRACEGEN_H */
