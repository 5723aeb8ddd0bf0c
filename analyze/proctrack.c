// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "proctrack.h"

struct pt_tracker {
	struct hm procs; /* pid -> live struct pt_proc */
	struct hm threads; /* tid -> live struct pt_thread */
	int64_t next_proc_id;
	int64_t next_thread_id;
	struct pt_emit emit;
	/* one-entry caches: events come in bursts from one thread */
	struct pt_proc *last_proc;
	struct pt_thread *last_thread;
};

int pt_new(struct pt_tracker **tp, const struct pt_emit *emit)
{
	struct pt_tracker *t = calloc(1, sizeof(*t));

	*tp = t;
	if (!t)
		return -ENOMEM;
	hm_init(&t->procs);
	hm_init(&t->threads);
	t->emit = *emit;
	return 0;
}

static void proc_free(void *v)
{
	struct pt_proc *p = v;

	free(p->exe);
	free(p->cmdline);
	free(p);
}

void pt_free(struct pt_tracker *t)
{
	if (!t)
		return;
	hm_fini_free(&t->procs, proc_free);
	hm_fini_free(&t->threads, free);
	free(t);
}

static void set_comm(char *dst, const char *src)
{
	/* kernel comm fields are not always NUL-terminated */
	size_t n = strnlen(src, BPFREC_COMM_LEN);

	memcpy(dst, src, n);
	dst[n] = 0;
}

static int set_str(char **dst, const char *src, size_t len)
{
	char *s = malloc(len + 1);

	if (!s)
		return -ENOMEM;
	memcpy(s, src, len);
	s[len] = 0;
	free(*dst);
	*dst = s;
	return 0;
}

static int proc_retire(struct pt_tracker *t, struct pt_proc *p)
{
	int ret;

	hm_del(&t->procs, p->pid);
	if (t->last_proc == p)
		t->last_proc = NULL;
	ret = t->emit.proc(t->emit.ctx, p);
	proc_free(p);
	return ret;
}

/* Emit the name TH has held since th->name_ts, up to END_TS (0: the end of the trace). */
static int name_end(struct pt_tracker *t, const struct pt_thread *th, uint64_t end_ts)
{
	struct pt_name n = { th->tid, th->pid, th->proc_id, th->comm, th->name_ts, end_ts };

	return t->emit.name(t->emit.ctx, &n);
}

/* TH is named COMM from TS on: its previous name, if another, ends there. */
static int thread_rename(struct pt_tracker *t, struct pt_thread *th, const char *comm,
			 uint64_t ts)
{
	char now[BPFREC_COMM_LEN + 1];
	int ret;

	set_comm(now, comm);
	if (!strcmp(now, th->comm))
		return 0;
	ret = name_end(t, th, ts);
	memcpy(th->comm, now, sizeof(now));
	th->name_ts = ts;
	return ret;
}

static int thread_retire(struct pt_tracker *t, struct pt_thread *th)
{
	int ret;

	hm_del(&t->threads, th->tid);
	if (t->last_thread == th)
		t->last_thread = NULL;
	ret = name_end(t, th, th->exited ? th->exit_ts : 0) ?: t->emit.thread(t->emit.ctx, th);
	free(th);
	return ret;
}

static struct pt_proc *proc_new(struct pt_tracker *t, uint32_t pid, const char *source)
{
	struct pt_proc *old = hm_get(&t->procs, pid), *p;

	/* a live process of that pid whose exit we never saw: retire it */
	if (old && proc_retire(t, old))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->id = ++t->next_proc_id;
	p->pid = pid;
	p->source = source;
	if (hm_put(&t->procs, pid, p)) {
		free(p);
		return NULL;
	}
	return p;
}

static struct pt_thread *thread_new(struct pt_tracker *t, uint32_t tid, struct pt_proc *p,
				    uint64_t start_ts)
{
	struct pt_thread *old = hm_get(&t->threads, tid), *th;

	if (old && thread_retire(t, old))
		return NULL;
	th = calloc(1, sizeof(*th));
	if (!th)
		return NULL;
	th->id = ++t->next_thread_id;
	th->tid = tid;
	th->pid = p->pid;
	th->proc_id = p->id;
	th->start_ts = start_ts;
	th->name_ts = start_ts;
	memcpy(th->comm, p->comm, sizeof(th->comm));
	if (hm_put(&t->threads, tid, th)) {
		free(th);
		return NULL;
	}
	return th;
}

int pt_snapshot(struct pt_tracker *t, const struct meta_proc *mp)
{
	struct pt_proc *p = hm_get(&t->procs, mp->h.pid);
	const char *exe = mp->strs, *cmdline = exe + strlen(exe) + 1;
	struct pt_thread *th;

	/*
	 * A META_FD may have made it already: upgrade rather than replace. A
	 * repeated snapshot of it (same start) is the same process too.
	 */
	if (!p || (strcmp(p->source, "trace") &&
		   (strcmp(p->source, "snapshot") || p->start_ts != mp->h.ts))) {
		p = proc_new(t, mp->h.pid, "snapshot");
		if (!p)
			return -ENOMEM;
	}
	struct pt_proc *parent = hm_get(&t->procs, mp->ppid);

	p->source = "snapshot";
	p->ppid = mp->ppid;
	/* /proc lists pids in ascending order: parents usually come first */
	if (parent)
		p->parent_id = parent->id;
	p->uid = mp->uid;
	p->has_uid = 1;
	p->start_ts = mp->h.ts;
	set_comm(p->comm, mp->comm);
	if ((*exe && set_str(&p->exe, exe, strlen(exe))) ||
	    (*cmdline && set_str(&p->cmdline, cmdline, strlen(cmdline))))
		return -ENOMEM;
	th = hm_get(&t->threads, mp->h.pid);
	if (!th) {
		th = thread_new(t, mp->h.pid, p, mp->h.ts);
		if (!th)
			return -ENOMEM;
		th->name_ts = 0; /* named so before the snapshot: events may precede it */
	}
	return 0;
}

int pt_snapshot_thread(struct pt_tracker *t, const struct meta_thread *mt)
{
	struct pt_proc *p = hm_get(&t->procs, mt->h.pid);
	struct pt_thread *th;

	if (!p)
		return 0; /* its process was not in the snapshot: learn it from events */
	th = hm_get(&t->threads, mt->h.tid);
	/* a repeated snapshot of the thread (same process, same start) updates it */
	if (!th || th->proc_id != p->id || th->start_ts != mt->h.ts)
		th = thread_new(t, mt->h.tid, p, mt->h.ts);
	if (!th)
		return -ENOMEM;
	th->name_ts = 0;
	set_comm(th->comm, mt->comm);
	return 0;
}

struct pt_proc *pt_find(struct pt_tracker *t, uint32_t pid)
{
	if (t->last_proc && t->last_proc->pid == pid)
		return t->last_proc;
	return hm_get(&t->procs, pid);
}

struct pt_proc *pt_lookup(struct pt_tracker *t, uint32_t pid, uint32_t tid)
{
	struct pt_proc *p = pt_find(t, pid);
	struct pt_thread *th;

	if (!p) {
		p = proc_new(t, pid, "trace");
		if (!p)
			return NULL;
	}
	t->last_proc = p;
	th = t->last_thread;
	if (!th || th->tid != tid)
		th = hm_get(&t->threads, tid);
	if (!th || th->proc_id != p->id) {
		/* first sight of a thread is not its start: only a leader's is known */
		th = thread_new(t, tid, p, tid == pid ? p->start_ts : 0);
		if (!th)
			return NULL;
	}
	t->last_thread = th;
	return p;
}

const char *pt_last_comm(const struct pt_tracker *t)
{
	return t->last_thread ? t->last_thread->comm : "";
}

int pt_fork(struct pt_tracker *t, const struct ev_fork *ev, struct pt_proc **child,
	    int *reused_pid)
{
	struct pt_proc *parent = pt_lookup(t, ev->h.pid, ev->h.tid), *p;
	struct pt_thread *th;

	*child = NULL;
	*reused_pid = 0;
	if (!parent)
		return -ENOMEM;
	if (ev->child_pid == ev->h.pid) {
		/* a new thread in the same process */
		th = hm_get(&t->threads, ev->child_tid);
		if (th && th->proc_id == parent->id && !th->exited)
			return 0; /* fork and newtask both report it */
		th = thread_new(t, ev->child_tid, parent, ev->h.ts);
		if (!th)
			return -ENOMEM;
		set_comm(th->comm, ev->comm);
		return 0;
	}
	p = hm_get(&t->procs, ev->child_pid);
	if (p && !strcmp(p->source, "fork") && p->parent_id == parent->id)
		return 0; /* fork and newtask both report it */
	*reused_pid = p != NULL;
	p = proc_new(t, ev->child_pid, "fork");
	if (!p)
		return -ENOMEM;
	p->ppid = ev->h.pid;
	p->parent_id = parent->id;
	p->start_ts = ev->h.ts;
	p->uid = parent->uid;
	p->has_uid = parent->has_uid;
	set_comm(p->comm, ev->comm);
	if ((parent->exe && set_str(&p->exe, parent->exe, strlen(parent->exe))) ||
	    (parent->cmdline && set_str(&p->cmdline, parent->cmdline, strlen(parent->cmdline))))
		return -ENOMEM;
	if (!thread_new(t, ev->child_tid, p, ev->h.ts))
		return -ENOMEM;
	*child = p;
	return 0;
}

int pt_exec(struct pt_tracker *t, const struct ev_exec *ev)
{
	struct pt_proc *p = pt_lookup(t, ev->h.pid, ev->h.tid);
	const char *filename = (const char *)(ev + 1), *args = filename + ev->filename_len;
	struct pt_thread *old;
	size_t i, n = ev->args_len;
	char *cmd;

	if (!p)
		return -ENOMEM;
	/* a non-leader thread that execs takes over the leader's tid */
	if (ev->old_tid != ev->h.tid) {
		old = hm_get(&t->threads, ev->old_tid);
		if (old) {
			old->exited = 1;
			old->exit_ts = ev->h.ts;
			if (thread_retire(t, old))
				return -1;
		}
	}
	set_comm(p->comm, ev->comm);
	/* pt_lookup made it the thread of ev->h.tid */
	if (thread_rename(t, t->last_thread, ev->comm, ev->h.ts))
		return -1;
	p->execs++;
	if (set_str(&p->exe, filename, strlen(filename)))
		return -ENOMEM;
	/* argv is NUL-separated and maybe cut short: join with spaces */
	while (n && !args[n - 1])
		n--;
	if (set_str(&p->cmdline, args, n))
		return -ENOMEM;
	for (cmd = p->cmdline, i = 0; i < n; i++)
		if (!cmd[i])
			cmd[i] = ' ';
	return 0;
}

int pt_rename(struct pt_tracker *t, const struct ev_rename *ev)
{
	struct pt_proc *p = pt_lookup(t, ev->h.pid, ev->h.tid);
	struct pt_thread *th = hm_get(&t->threads, ev->h.tid);

	if (!p)
		return -ENOMEM;
	if (th && thread_rename(t, th, ev->newcomm, ev->h.ts))
		return -1;
	if (ev->h.tid == ev->h.pid)
		set_comm(p->comm, ev->newcomm);
	return 0;
}

int pt_exit(struct pt_tracker *t, const struct ev_exit *ev, int *gone)
{
	struct pt_proc *p = pt_lookup(t, ev->h.pid, ev->h.tid);
	struct pt_thread *th = hm_get(&t->threads, ev->h.tid);

	*gone = 0;
	if (!p)
		return -ENOMEM;
	if (th) {
		th->exited = 1;
		th->exit_ts = ev->h.ts;
		if (!th->start_ts)
			th->start_ts = ev->start_ts;
		if (thread_retire(t, th))
			return -1;
	}
	if (!ev->group_dead)
		return 0;
	/* the leader's start time is the process's */
	if (ev->h.tid == ev->h.pid || !p->start_ts)
		p->start_ts = ev->start_ts;
	if (ev->h.tid == ev->h.pid)
		set_comm(p->comm, ev->comm);
	p->exited = 1;
	p->exit_ts = ev->h.ts;
	p->exit_code = ev->exit_code;
	*gone = 1;
	return proc_retire(t, p);
}

int pt_finish(struct pt_tracker *t)
{
	size_t i = 0;
	uint64_t key;
	void *val;
	int ret;

	while (hm_next(&t->procs, &i, &key, &val)) {
		ret = t->emit.proc(t->emit.ctx, val);
		if (ret)
			return ret;
	}
	for (i = 0; hm_next(&t->threads, &i, &key, &val);) {
		ret = name_end(t, val, 0) ?: t->emit.thread(t->emit.ctx, val);
		if (ret)
			return ret;
	}
	return 0;
}
