// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * process group: exec, fork, new task, exit, free, rename. The fork and
 * free handlers also keep the traced map in step (follow children), so they
 * are loaded whatever groups are selected.
 */
#include "common.bpf.h"

#define EXEC_TAIL_MAX (BPFREC_PATH_MAX + BPFREC_ARGS_MAX)

static __always_inline __u64 task_pid_tgid(struct task_struct *t)
{
	return ((__u64)BPF_CORE_READ(t, tgid) << 32) | (__u32)BPF_CORE_READ(t, pid);
}

static __always_inline bool want_task(struct task_struct *t)
{
	char comm[BPFREC_COMM_LEN];

	if (!want_tgid(BPF_CORE_READ(t, tgid)))
		return false;
	if (filter_comm) {
		BPF_CORE_READ_STR_INTO(&comm, t, comm);
		if (!comm_matches(comm))
			return false;
	}
	return true;
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(sched_process_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	unsigned long start, end, off, len;
	__u32 tgid = pid_tgid >> 32;
	struct ev_exec *e;
	char *tail;
	__u8 one = 1;
	long n;

	/* Like perf's enable_on_exec: the launched command is recorded from
	 * its exec on, not while it still runs the recorder's code. */
	if (launch_tgid && tgid == launch_tgid)
		bpf_map_update_elem(&traced, &tgid, &one, BPF_ANY);
	if (!group_on(GRP_PROCESS) || !want_current(pid_tgid))
		return 0;
	e = rec_reserve(sizeof(*e) + EXEC_TAIL_MAX, GRP_PROCESS);
	if (!e)
		return 0;
	fill_hdr(&e->h, EV_EXEC, 0, pid_tgid, bpf_ktime_get_ns());
	e->old_tid = old_pid;
	bpf_get_current_comm(e->comm, sizeof(e->comm));

	tail = (char *)(e + 1);
	n = bpf_probe_read_kernel_str(tail, BPFREC_PATH_MAX,
				      BPF_CORE_READ(bprm, filename));
	if (n <= 0) {
		tail[0] = 0;
		n = 1;
	}
	off = n > BPFREC_PATH_MAX ? BPFREC_PATH_MAX : n;
	e->filename_len = off;

	/* argv of the new image, from its freshly set up stack */
	start = BPF_CORE_READ(p, mm, arg_start);
	end = BPF_CORE_READ(p, mm, arg_end);
	len = end > start && !no_args ? end - start : 0;
	if (len > BPFREC_ARGS_MAX)
		len = BPFREC_ARGS_MAX;
	if (bpf_probe_read_user(tail + off, len, (void *)start))
		len = 0;
	e->args_len = len;
	e->h.size = (sizeof(*e) + off + len + 7) & ~7;
	rec_submit(e);
	return 0;
}

static __always_inline void emit_fork(__u16 type, struct task_struct *child,
				      __u64 clone_flags)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct ev_fork *e = rec_reserve(sizeof(*e), GRP_PROCESS);

	if (!e)
		return;
	fill_hdr(&e->h, type, sizeof(*e), pid_tgid, bpf_ktime_get_ns());
	e->child_pid = BPF_CORE_READ(child, tgid);
	e->child_tid = BPF_CORE_READ(child, pid);
	e->clone_flags = clone_flags;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	rec_submit(e);
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(sched_process_fork, struct task_struct *parent,
	     struct task_struct *child)
{
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	__u8 one = 1;

	if (follow_children && filter_traced && ctgid != ptgid &&
	    bpf_map_lookup_elem(&traced, &ptgid))
		bpf_map_update_elem(&traced, &ctgid, &one, BPF_ANY);
	if (group_on(GRP_PROCESS) && want_current(bpf_get_current_pid_tgid()))
		emit_fork(EV_FORK, child, 0);
	return 0;
}

SEC("raw_tp/task_newtask")
int BPF_PROG(task_newtask, struct task_struct *task, __u64 clone_flags)
{
	if (group_on(GRP_PROCESS) && want_current(bpf_get_current_pid_tgid()))
		emit_fork(EV_NEWTASK, task, clone_flags);
	return 0;
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *p)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct ev_exit *e;

	if (!group_on(GRP_PROCESS) || !want_current(pid_tgid))
		return 0;
	e = rec_reserve(sizeof(*e), GRP_PROCESS);
	if (!e)
		return 0;
	fill_hdr(&e->h, EV_EXIT, sizeof(*e), pid_tgid, bpf_ktime_get_ns());
	e->exit_code = BPF_CORE_READ(p, exit_code);
	/* signal->live already dropped for this thread: 0 means last one.
	 * Read instead of the group_dead argument, which old kernels lack. */
	e->group_dead = BPF_CORE_READ(p, signal, live.counter) == 0;
	e->start_ts = BPF_CORE_READ(p, start_time);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	rec_submit(e);
	return 0;
}

SEC("raw_tp/sched_process_free")
int BPF_PROG(sched_process_free, struct task_struct *p)
{
	__u64 pid_tgid = task_pid_tgid(p);
	__u32 tgid = pid_tgid >> 32;
	struct ev_free *e;

	if (group_on(GRP_PROCESS) && want_task(p)) {
		e = rec_reserve(sizeof(*e), GRP_PROCESS);
		if (e) {
			fill_hdr(&e->h, EV_FREE, sizeof(*e), pid_tgid,
				 bpf_ktime_get_ns());
			rec_submit(e);
		}
	}
	/* The leader is freed last: the process is gone for good. */
	if (filter_traced && tgid == (__u32)pid_tgid)
		bpf_map_delete_elem(&traced, &tgid);
	return 0;
}

SEC("raw_tp/task_rename")
int BPF_PROG(task_rename, struct task_struct *task, const char *comm)
{
	struct ev_rename *e;

	if (!group_on(GRP_PROCESS) || !want_task(task))
		return 0;
	e = rec_reserve(sizeof(*e), GRP_PROCESS);
	if (!e)
		return 0;
	fill_hdr(&e->h, EV_RENAME, sizeof(*e), task_pid_tgid(task),
		 bpf_ktime_get_ns());
	BPF_CORE_READ_STR_INTO(&e->oldcomm, task, comm);
	bpf_probe_read_kernel_str(e->newcomm, sizeof(e->newcomm), comm);
	rec_submit(e);
	return 0;
}
