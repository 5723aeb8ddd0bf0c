/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * File descriptor tracker: replays fd-changing syscalls, forks, execs and
 * exits in file order and reports each fd lifetime (open .. close) once it
 * ends. Syscall semantics (bpf/syscalls.def) are chosen by NAME from the
 * trace's own syscall table, so traces from other architectures or kernels
 * replay correctly.
 * fd tables are per process (tgid): threads share one. Relative paths are
 * resolved against the process's working directory (snapshot, chdir,
 * fchdir, inherited at fork) or the dirfd of an *at call, lexically: ".."
 * and "." are folded, symlinks are not followed.
 */
#ifndef AN_FDTRACK_H
#define AN_FDTRACK_H

#include <stdint.h>

#include "bpfrec.h"

struct ft_tracker;

/*
 * The I/O through one fd under one name of the calling threads: the bytes a
 * process moved before and after it exec'd or was renamed belong to
 * different names.
 */
struct ft_io {
	struct ft_io *next;
	char comm[BPFREC_COMM_LEN + 1]; /* "": unknown */
	int opened; /* a call under this name made the fd (open, dup, socket, pipe, ...) */
	uint64_t reads, bytes_read, writes, bytes_written;
};

/* One fd lifetime, handed to the emit callback when it ends. */
struct ft_fd_row {
	int64_t id; /* unique, assigned at open */
	int64_t proc_id; /* processes row of the owner */
	uint32_t pid;
	int32_t fd;
	const char *path; /* may be NULL when unknown */
	const char *how; /* opening syscall name, "snapshot" or "inherited" */
	uint64_t opened_ts;
	int64_t open_syscall_id; /* 0: none */
	int64_t src_id; /* fds row this one was copied from (dup, fork); 0: none */
	int cloexec;
	int closed; /* 0: still open at the end of the trace */
	uint64_t closed_ts;
	const char *closed_how; /* closing syscall name, "exec-cloexec", "exit", ... */
	int64_t close_syscall_id; /* 0: none */
	/* I/O through this fd, counted here so reports need not scan syscalls */
	uint64_t reads, bytes_read, writes, bytes_written;
	/* the same per name, latest first; valid during the emit callback only */
	const struct ft_io *io;
};

typedef int (*ft_emit_fn)(void *ctx, const struct ft_fd_row *row);

int ft_new(struct ft_tracker **tp, ft_emit_fn emit, void *ctx);
/* Free the tracker; rows still open are dropped (call ft_finish first). */
void ft_free(struct ft_tracker *t);

/*
 * Learn the trace's name for syscall NR. A number keeps its first name:
 * the same name again is a no-op, another one -EEXIST (a damaged trace).
 */
int ft_set_syscall_name(struct ft_tracker *t, int32_t nr, const char *name);
/* The name of syscall NR, NULL: none. */
const char *ft_syscall_name(const struct ft_tracker *t, int32_t nr);

/* The working directory of PID at trace start (/proc snapshot). */
int ft_snapshot_cwd(struct ft_tracker *t, uint32_t pid, const char *cwd);

/* An fd open at trace start (/proc snapshot). */
int ft_snapshot_fd(struct ft_tracker *t, uint32_t pid, int64_t proc_id, int32_t fd,
		   uint32_t flags, const char *path, uint64_t ts);

/*
 * Replay one completed syscall SYSCALL_ID of process PROC_ID, made by a
 * thread named COMM ("": unknown). *FD_ID gets the fd the call's fd
 * argument resolved to (before the call took effect), or 0 when it has
 * none or it is unknown. A call with an I/O class (syscalls.def io, io2)
 * counts in the reads or writes of the fds it moves data through, and its
 * positive return in their bytes, in total and under COMM.
 */
int ft_syscall(struct ft_tracker *t, const struct ev_syscall *ev, int64_t proc_id,
	       int64_t syscall_id, const char *comm, int64_t *fd_id);

/* A new process CHILD_PID forked from PARENT_PID inherits its open fds. */
int ft_fork(struct ft_tracker *t, uint32_t parent_pid, uint32_t child_pid,
	    int64_t child_proc_id, uint64_t ts);
/* A successful exec closes the O_CLOEXEC fds. */
int ft_exec(struct ft_tracker *t, uint32_t pid, uint64_t ts);
/* The process is gone: close everything (HOW: "exit", "pid-reuse"). */
int ft_exit(struct ft_tracker *t, uint32_t pid, uint64_t ts, const char *how);
/* Emit the fds still open at the end of the trace. */
int ft_finish(struct ft_tracker *t);

#endif /* AN_FDTRACK_H */
