/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Process and thread tracker: builds the process table from the /proc
 * snapshot, fork, exec, rename and exit events. Each incarnation of a pid
 * gets its own id, so a reused pid never merges two processes. Rows are
 * handed to the emit callbacks when the process or thread ends, or at
 * pt_finish(); so is each name a thread had, with the time it held it.
 */
#ifndef AN_PROCTRACK_H
#define AN_PROCTRACK_H

#include <stdint.h>

#include "trace_format.h"

struct pt_tracker;

struct pt_proc {
	int64_t id;
	uint32_t pid;
	uint32_t ppid;
	int64_t parent_id; /* 0: unknown */
	uint32_t uid;
	int has_uid;
	char comm[BPFREC_COMM_LEN + 1];
	char *exe; /* NULL: unknown */
	char *cmdline;
	uint64_t start_ts; /* 0: unknown */
	uint64_t exit_ts; /* 0: did not exit during the trace */
	int exited;
	int32_t exit_code; /* raw task->exit_code when exited */
	const char *source; /* "snapshot", "fork", "trace" (first seen mid-trace) */
	int execs;
};

struct pt_thread {
	int64_t id;
	uint32_t tid;
	uint32_t pid;
	int64_t proc_id;
	char comm[BPFREC_COMM_LEN + 1];
	uint64_t start_ts;
	uint64_t exit_ts;
	int exited;
	uint64_t name_ts; /* since when comm is its name; 0: before the trace saw it */
};

/* A name thread TID had from START_TS (0: since before its first event) to END_TS (0: the end). */
struct pt_name {
	uint32_t tid;
	uint32_t pid;
	int64_t proc_id;
	const char *comm; /* "": unknown */
	uint64_t start_ts, end_ts;
};

struct pt_emit {
	int (*proc)(void *ctx, const struct pt_proc *p);
	int (*thread)(void *ctx, const struct pt_thread *t);
	int (*name)(void *ctx, const struct pt_name *n);
	void *ctx;
};

int pt_new(struct pt_tracker **tp, const struct pt_emit *emit);
void pt_free(struct pt_tracker *t);

int pt_snapshot(struct pt_tracker *t, const struct meta_proc *mp);
/* A non-leader thread alive at start (after its process's META_PROC). */
int pt_snapshot_thread(struct pt_tracker *t, const struct meta_thread *mt);

/* The live process of PID (thread TID), created when first seen. NULL: ENOMEM. */
struct pt_proc *pt_lookup(struct pt_tracker *t, uint32_t pid, uint32_t tid);
/* The live process of PID if any, without creating one. */
struct pt_proc *pt_find(struct pt_tracker *t, uint32_t pid);

/*
 * Fork or new task. *CHILD gets the child's process when the event made a
 * new process (fds to inherit), NULL for a thread or a duplicate report.
 * *REUSED_PID is set when a live process of that pid was retired unseen.
 */
int pt_fork(struct pt_tracker *t, const struct ev_fork *ev, struct pt_proc **child,
	    int *reused_pid);
int pt_exec(struct pt_tracker *t, const struct ev_exec *ev);
int pt_rename(struct pt_tracker *t, const struct ev_rename *ev);
/* *GONE is set when the process ended (group_dead): its row is emitted. */
int pt_exit(struct pt_tracker *t, const struct ev_exit *ev, int *gone);

/*
 * The name the thread of the last pt_lookup() has now, at the time of the
 * event being imported ("": unknown, as without the process group).
 */
const char *pt_last_comm(const struct pt_tracker *t);

int pt_finish(struct pt_tracker *t);

#endif /* AN_PROCTRACK_H */
