// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>

#include "import_int.h"

int iproc_emit_proc(void *ctx, const struct pt_proc *p)
{
	struct importer *im = ctx;
	sqlite3_stmt *s = im->st[IST_PROCESS];
	int sig = p->exit_code & 0x7f;

	ib_int(s, 1, p->id);
	ib_int(s, 2, p->pid);
	ib_int_or_null(s, 3, p->ppid);
	ib_int_or_null(s, 4, p->parent_id);
	if (p->has_uid)
		ib_int(s, 5, p->uid);
	else
		sqlite3_bind_null(s, 5);
	ib_text(s, 6, p->comm);
	ib_text(s, 7, p->exe);
	ib_text(s, 8, p->cmdline);
	ib_int_or_null(s, 9, (int64_t)p->start_ts);
	if (p->exited) {
		ib_int(s, 10, (int64_t)p->exit_ts);
		if (sig) {
			sqlite3_bind_null(s, 11);
			ib_int(s, 12, sig);
		} else {
			ib_int(s, 11, (p->exit_code >> 8) & 0xff);
			sqlite3_bind_null(s, 12);
		}
		ib_int(s, 13, !!(p->exit_code & 0x80));
	} else {
		sqlite3_bind_null(s, 10);
		sqlite3_bind_null(s, 11);
		sqlite3_bind_null(s, 12);
		sqlite3_bind_null(s, 13);
	}
	ib_int(s, 14, p->execs);
	ib_text(s, 15, p->source);
	im->stats.processes++;
	return ist_step(im, IST_PROCESS);
}

int iproc_emit_thread(void *ctx, const struct pt_thread *t)
{
	struct importer *im = ctx;
	sqlite3_stmt *s = im->st[IST_THREAD];

	ib_int(s, 1, t->id);
	ib_int(s, 2, t->tid);
	ib_int(s, 3, t->pid);
	ib_int(s, 4, t->proc_id);
	ib_text(s, 5, t->comm);
	ib_int_or_null(s, 6, (int64_t)t->start_ts);
	if (t->exited)
		ib_int(s, 7, (int64_t)t->exit_ts);
	else
		sqlite3_bind_null(s, 7);
	im->stats.threads++;
	return ist_step(im, IST_THREAD);
}

int iproc_emit_name(void *ctx, const struct pt_name *n)
{
	struct importer *im = ctx;
	sqlite3_stmt *s = im->st[IST_THREAD_NAME];

	ib_int(s, 1, n->tid);
	ib_int(s, 2, n->pid);
	ib_int(s, 3, n->proc_id);
	ib_text(s, 4, *n->comm ? n->comm : NULL);
	ib_int(s, 5, (int64_t)n->start_ts);
	ib_int_or_null(s, 6, (int64_t)n->end_ts);
	return ist_step(im, IST_THREAD_NAME);
}

/*
 * Bind the columns every process_events row has, its type the record's
 * name in bpf/records.def; the rest are NULL.
 */
static sqlite3_stmt *event_row(struct importer *im, const struct ev_hdr *h, int64_t proc_id)
{
	sqlite3_stmt *s = im->st[IST_PROC_EVENT];
	int i;

	for (i = 8; i <= 19; i++)
		sqlite3_bind_null(s, i);
	ib_int(s, 1, ++im->next_event_id);
	ib_int(s, 2, (int64_t)h->ts);
	ib_int(s, 3, h->cpu);
	ib_text(s, 4, bf_rec_descs[h->type].name);
	ib_int(s, 5, h->pid);
	ib_int(s, 6, h->tid);
	ib_int_or_null(s, 7, proc_id);
	im->stats.process_events++;
	return s;
}

int im_on_fork(struct importer *im, const struct ev_fork *ev)
{
	int64_t proc_id = im_proc_id(im, &ev->h);
	sqlite3_stmt *s;
	struct pt_proc *child;
	int reused, ret;

	s = event_row(im, &ev->h, proc_id);
	ib_int(s, 8, ev->child_pid);
	ib_int(s, 9, ev->child_tid);
	ib_int(s, 10, (int64_t)ev->clone_flags);
	ib_comm(s, 13, ev->comm);
	if (ist_step(im, IST_PROC_EVENT))
		return -1;
	ret = pt_fork(im->pt, ev, &child, &reused);
	if (!ret && reused)
		ret = ft_exit(im->ft, ev->child_pid, ev->h.ts, "pid-reuse");
	if (!ret && child)
		ret = ft_fork(im->ft, ev->h.pid, child->pid, child->id, ev->h.ts);
	return ret ? im_tracker_fail(im, ret) : 0;
}

/* fork and task_newtask: the same layout and handling */
int im_on_newtask(struct importer *im, const struct ev_fork *ev)
{
	return im_on_fork(im, ev);
}

size_t iproc_join_args(struct importer *im, const char *args, size_t n)
{
	size_t i;

	/* argv: NUL-separated, maybe cut short, shown joined by spaces */
	while (n && !args[n - 1])
		n--;
	if (n > BPFREC_ARGS_MAX)
		n = BPFREC_ARGS_MAX;
	memcpy(im->args, args, n);
	for (i = 0; i < n; i++)
		if (!im->args[i])
			im->args[i] = ' ';
	return n;
}

int im_on_exec(struct importer *im, const struct ev_exec *ev)
{
	const char *filename = (const char *)(ev + 1), *args = filename + ev->filename_len;
	sqlite3_stmt *s;

	int ret = pt_exec(im->pt, ev);

	if (!ret)
		ret = ft_exec(im->ft, ev->h.pid, ev->h.ts);
	if (ret)
		return im_tracker_fail(im, ret);
	ret = isys_exec_name(im, ev->h.tid, filename);
	if (ret)
		return ret;
	s = event_row(im, &ev->h, im_proc_id(im, &ev->h));
	ib_text(s, 11, filename);
	ib_text_n(s, 12, im->args, iproc_join_args(im, args, ev->args_len));
	ib_comm(s, 13, ev->comm);
	return ist_step(im, IST_PROC_EVENT);
}

int im_on_exit(struct importer *im, const struct ev_exit *ev)
{
	sqlite3_stmt *s = event_row(im, &ev->h, im_proc_id(im, &ev->h));
	int sig = ev->exit_code & 0x7f, gone, ret = 0;

	ib_comm(s, 13, ev->comm);
	ib_int(s, 15, ev->exit_code);
	if (sig)
		ib_int(s, 17, sig);
	else
		ib_int(s, 16, (ev->exit_code >> 8) & 0xff);
	ib_int(s, 18, ev->group_dead);
	ib_int(s, 19, (int64_t)ev->start_ts);
	if (ist_step(im, IST_PROC_EVENT))
		return -1;
	if (ev->group_dead)
		ret = ft_exit(im->ft, ev->h.pid, ev->h.ts, "exit");
	if (!ret)
		ret = pt_exit(im->pt, ev, &gone);
	return ret ? im_tracker_fail(im, ret) : 0;
}

int im_on_rename(struct importer *im, const struct ev_rename *ev)
{
	sqlite3_stmt *s = event_row(im, &ev->h, im_proc_id(im, &ev->h));
	int ret;

	ib_comm(s, 13, ev->newcomm);
	ib_comm(s, 14, ev->oldcomm);
	if (ist_step(im, IST_PROC_EVENT))
		return -1;
	ret = pt_rename(im->pt, ev);
	return ret ? im_tracker_fail(im, ret) : 0;
}

int im_on_free(struct importer *im, const struct ev_free *ev)
{
	/* a reaped task must not resurrect its process: look up, never create */
	struct pt_proc *p = pt_find(im->pt, ev->h.pid);

	event_row(im, &ev->h, p ? p->id : 0);
	return ist_step(im, IST_PROC_EVENT);
}
