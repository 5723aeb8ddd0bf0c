// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "fdtrack.h"
#include "importer.h"
#include "proctrack.h"

/* The schema file run after the load: indexes are cheaper built once. */
#define SCHEMA_POST_LOAD "90-indexes"

enum stmt_id {
	S_META,
	S_SYSCALL_NAME,
	S_PROBE,
	S_DROP,
	S_PROCESS,
	S_THREAD,
	S_PROC_EVENT,
	S_SYSCALL,
	S_FD,
	S_MAX,
};

static const char *const stmt_sql[S_MAX] = {
	[S_META] = "INSERT OR REPLACE INTO meta VALUES (?, ?)",
	[S_SYSCALL_NAME] = "INSERT OR REPLACE INTO syscall_names VALUES (?, ?)",
	[S_PROBE] = "INSERT INTO probes VALUES (?, ?, ?, ?, ?)",
	[S_DROP] = "INSERT INTO drops VALUES (?, ?, ?)",
	[S_PROCESS] = "INSERT INTO processes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_THREAD] = "INSERT INTO threads VALUES (?, ?, ?, ?, ?, ?, ?)",
	[S_PROC_EVENT] = "INSERT INTO process_events VALUES "
			 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_SYSCALL] = "INSERT INTO syscalls VALUES "
		      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_FD] = "INSERT INTO fds VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
};

static const char *const group_names[GRP_MAX] = {
	[GRP_SYSCALLS] = "syscalls",
	[GRP_PROCESS] = "process",
	[GRP_FILES] = "files",
};

struct importer {
	sqlite3 *db;
	sqlite3_stmt *st[S_MAX];
	struct pt_tracker *pt;
	struct ft_tracker *ft;
	struct im_stats stats;
	struct an_err *e;
	int64_t next_event_id;
	uint64_t first_ts;
	int have_start_ts;
	uint64_t start_ts; /* from meta: the snapshot's time */
	uint64_t drops_sum;
	char args[BPFREC_ARGS_MAX + 1];
};

int im_exec(sqlite3 *db, const char *sql, const char *what, struct an_err *e)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	an_errf(e, "%s: %s", what, msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return -1;
}

static int db_fail(struct importer *im, const char *what)
{
	return an_errf(im->e, "database: %s: %s", what, sqlite3_errmsg(im->db));
}

/* Step a fully bound insert and make it ready for the next row. */
static int step(struct importer *im, enum stmt_id id)
{
	sqlite3_stmt *s = im->st[id];
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(im, stmt_sql[id]);
	return 0;
}

/* Binding helpers; column numbers are 1-based like SQLite's. */
static void b_int(sqlite3_stmt *s, int col, int64_t v)
{
	sqlite3_bind_int64(s, col, v);
}

/* 0 stands for "unknown" in the trackers' ids and timestamps */
static void b_int_or_null(sqlite3_stmt *s, int col, int64_t v)
{
	if (v)
		sqlite3_bind_int64(s, col, v);
	else
		sqlite3_bind_null(s, col);
}

/* Text valid until the statement steps (the record buffer outlives it). */
static void b_text(sqlite3_stmt *s, int col, const char *v)
{
	if (v)
		sqlite3_bind_text(s, col, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, col);
}

static void b_text_n(sqlite3_stmt *s, int col, const char *v, size_t len)
{
	sqlite3_bind_text(s, col, v, (int)len, SQLITE_STATIC);
}

static void b_comm(sqlite3_stmt *s, int col, const char *comm)
{
	b_text_n(s, col, comm, strnlen(comm, BPFREC_COMM_LEN));
}

static int put_meta(struct importer *im, const char *key, const char *value)
{
	b_text(im->st[S_META], 1, key);
	b_text(im->st[S_META], 2, value);
	return step(im, S_META);
}

static int put_meta_u64(struct importer *im, const char *key, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	sqlite3_bind_text(im->st[S_META], 2, buf, -1, SQLITE_TRANSIENT);
	b_text(im->st[S_META], 1, key);
	return step(im, S_META);
}

static int emit_proc(void *ctx, const struct pt_proc *p)
{
	struct importer *im = ctx;
	sqlite3_stmt *s = im->st[S_PROCESS];
	int sig = p->exit_code & 0x7f;

	b_int(s, 1, p->id);
	b_int(s, 2, p->pid);
	b_int_or_null(s, 3, p->ppid);
	b_int_or_null(s, 4, p->parent_id);
	if (p->has_uid)
		b_int(s, 5, p->uid);
	else
		sqlite3_bind_null(s, 5);
	b_text(s, 6, p->comm);
	b_text(s, 7, p->exe);
	b_text(s, 8, p->cmdline);
	b_int_or_null(s, 9, (int64_t)p->start_ts);
	if (p->exited) {
		b_int(s, 10, (int64_t)p->exit_ts);
		if (sig) {
			sqlite3_bind_null(s, 11);
			b_int(s, 12, sig);
		} else {
			b_int(s, 11, (p->exit_code >> 8) & 0xff);
			sqlite3_bind_null(s, 12);
		}
		b_int(s, 13, !!(p->exit_code & 0x80));
	} else {
		sqlite3_bind_null(s, 10);
		sqlite3_bind_null(s, 11);
		sqlite3_bind_null(s, 12);
		sqlite3_bind_null(s, 13);
	}
	b_int(s, 14, p->execs);
	b_text(s, 15, p->source);
	im->stats.processes++;
	return step(im, S_PROCESS);
}

static int emit_thread(void *ctx, const struct pt_thread *t)
{
	struct importer *im = ctx;
	sqlite3_stmt *s = im->st[S_THREAD];

	b_int(s, 1, t->id);
	b_int(s, 2, t->tid);
	b_int(s, 3, t->pid);
	b_int(s, 4, t->proc_id);
	b_text(s, 5, t->comm);
	b_int_or_null(s, 6, (int64_t)t->start_ts);
	if (t->exited)
		b_int(s, 7, (int64_t)t->exit_ts);
	else
		sqlite3_bind_null(s, 7);
	im->stats.threads++;
	return step(im, S_THREAD);
}

static int emit_fd(void *ctx, const struct ft_fd_row *r)
{
	struct importer *im = ctx;
	sqlite3_stmt *s = im->st[S_FD];

	b_int(s, 1, r->id);
	b_int_or_null(s, 2, r->proc_id);
	b_int(s, 3, r->pid);
	b_int(s, 4, r->fd);
	b_text(s, 5, r->path);
	b_text(s, 6, r->how);
	b_int(s, 7, (int64_t)r->opened_ts);
	if (r->closed) {
		b_int(s, 8, (int64_t)r->closed_ts);
		b_text(s, 11, r->closed_how);
	} else {
		sqlite3_bind_null(s, 8);
		sqlite3_bind_null(s, 11);
	}
	b_int_or_null(s, 9, r->open_syscall_id);
	b_int_or_null(s, 10, r->close_syscall_id);
	b_int(s, 12, r->cloexec);
	b_int_or_null(s, 13, r->src_id);
	im->stats.fds++;
	return step(im, S_FD);
}

/* Trackers return -ENOMEM, or -1 when an emit callback already set E. */
static int tracker_fail(struct importer *im, int ret)
{
	return ret == -ENOMEM ? an_errf(im->e, "out of memory") : -1;
}

static int64_t proc_id_of(struct importer *im, const struct ev_hdr *h)
{
	struct pt_proc *p = pt_lookup(im->pt, h->pid, h->tid);

	return p ? p->id : -1;
}

static int on_syscall(struct importer *im, const struct ev_syscall *ev)
{
	sqlite3_stmt *s = im->st[S_SYSCALL];
	const char *tail = tr_syscall_tail(ev);
	int64_t id = (int64_t)++im->stats.syscalls, proc_id = proc_id_of(im, &ev->h), fd_id;
	int i, ret;

	if (proc_id < 0)
		return an_errf(im->e, "out of memory");
	ret = ft_syscall(im->ft, ev, proc_id, id, &fd_id);
	if (ret)
		return tracker_fail(im, ret);
	b_int(s, 1, id);
	b_int(s, 2, (int64_t)ev->h.ts);
	if (ev->exit_ts) {
		b_int(s, 3, (int64_t)ev->exit_ts);
		b_int(s, 4, (int64_t)(ev->exit_ts - ev->h.ts));
	} else {
		sqlite3_bind_null(s, 3);
		sqlite3_bind_null(s, 4);
	}
	b_int(s, 5, ev->h.pid);
	b_int(s, 6, ev->h.tid);
	b_int(s, 7, proc_id);
	b_int(s, 8, ev->h.cpu);
	b_int(s, 9, ev->nr);
	for (i = 0; i < 6; i++)
		b_int(s, 10 + i, (int64_t)ev->args[i]);
	b_int(s, 16, ev->ret);
	if (ev->tail_kind == TAIL_PATHS) {
		size_t len = strlen(tail);

		b_text_n(s, 17, tail, len);
		/* the reader checked that a second string, if any, is terminated */
		if (len + 1 < ev->tail_len)
			b_text(s, 18, tail + len + 1);
		else
			sqlite3_bind_null(s, 18);
	} else {
		sqlite3_bind_null(s, 17);
		sqlite3_bind_null(s, 18);
	}
	b_int_or_null(s, 19, fd_id);
	return step(im, S_SYSCALL);
}

/* Bind the columns every process_events row has; the rest are NULL. */
static sqlite3_stmt *event_row(struct importer *im, const struct ev_hdr *h, const char *type,
			       int64_t proc_id)
{
	sqlite3_stmt *s = im->st[S_PROC_EVENT];
	int i;

	for (i = 8; i <= 19; i++)
		sqlite3_bind_null(s, i);
	b_int(s, 1, ++im->next_event_id);
	b_int(s, 2, (int64_t)h->ts);
	b_int(s, 3, h->cpu);
	b_text(s, 4, type);
	b_int(s, 5, h->pid);
	b_int(s, 6, h->tid);
	b_int_or_null(s, 7, proc_id);
	b_int(s, 20, !!(h->flags & EVF_SYNTHETIC));
	im->stats.process_events++;
	return s;
}

static int on_fork(struct importer *im, const struct ev_fork *ev)
{
	int64_t proc_id = proc_id_of(im, &ev->h);
	sqlite3_stmt *s;
	struct pt_proc *child;
	int reused, ret;

	s = event_row(im, &ev->h, ev->h.type == EV_FORK ? "fork" : "newtask", proc_id);
	b_int(s, 8, ev->child_pid);
	b_int(s, 9, ev->child_tid);
	b_int(s, 10, (int64_t)ev->clone_flags);
	b_comm(s, 13, ev->comm);
	if (step(im, S_PROC_EVENT))
		return -1;
	ret = pt_fork(im->pt, ev, &child, &reused);
	if (!ret && reused)
		ret = ft_exit(im->ft, ev->child_pid, ev->h.ts, "pid-reuse");
	/* a synthetic fork may name a process whose fds the snapshot has */
	if (!ret && child && !ft_has_fds(im->ft, child->pid))
		ret = ft_fork(im->ft, ev->h.pid, child->pid, child->id, ev->h.ts);
	return ret ? tracker_fail(im, ret) : 0;
}

static int on_exec(struct importer *im, const struct ev_exec *ev)
{
	const char *filename = (const char *)(ev + 1), *args = filename + ev->filename_len;
	size_t i, n = ev->args_len;
	sqlite3_stmt *s;

	int ret = pt_exec(im->pt, ev);

	if (!ret)
		ret = ft_exec(im->ft, ev->h.pid, ev->h.ts);
	if (ret)
		return tracker_fail(im, ret);
	s = event_row(im, &ev->h, "exec", proc_id_of(im, &ev->h));
	b_text(s, 11, filename);
	/* argv: NUL-separated, maybe cut short, shown joined by spaces */
	while (n && !args[n - 1])
		n--;
	memcpy(im->args, args, n);
	for (i = 0; i < n; i++)
		if (!im->args[i])
			im->args[i] = ' ';
	b_text_n(s, 12, im->args, n);
	b_comm(s, 13, ev->comm);
	return step(im, S_PROC_EVENT);
}

static int on_task_exit(struct importer *im, const struct ev_exit *ev)
{
	sqlite3_stmt *s = event_row(im, &ev->h, "exit", proc_id_of(im, &ev->h));
	int sig = ev->exit_code & 0x7f, gone, ret = 0;

	b_comm(s, 13, ev->comm);
	b_int(s, 15, ev->exit_code);
	if (sig)
		b_int(s, 17, sig);
	else
		b_int(s, 16, (ev->exit_code >> 8) & 0xff);
	b_int(s, 18, ev->group_dead);
	b_int(s, 19, (int64_t)ev->start_ts);
	if (step(im, S_PROC_EVENT))
		return -1;
	if (ev->group_dead)
		ret = ft_exit(im->ft, ev->h.pid, ev->h.ts, "exit");
	if (!ret)
		ret = pt_exit(im->pt, ev, &gone);
	return ret ? tracker_fail(im, ret) : 0;
}

static int on_rename(struct importer *im, const struct ev_rename *ev)
{
	sqlite3_stmt *s = event_row(im, &ev->h, "rename", proc_id_of(im, &ev->h));

	b_comm(s, 13, ev->newcomm);
	b_comm(s, 14, ev->oldcomm);
	if (step(im, S_PROC_EVENT))
		return -1;
	return pt_rename(im->pt, ev) ? tracker_fail(im, -ENOMEM) : 0;
}

static int on_free(struct importer *im, const struct ev_hdr *h)
{
	/* a reaped task must not resurrect its process: look up, never create */
	struct pt_proc *p = pt_find(im->pt, h->pid);

	event_row(im, h, "free", p ? p->id : 0);
	return step(im, S_PROC_EVENT);
}

static const char *group_name(uint32_t grp)
{
	return grp < GRP_MAX ? group_names[grp] : "unknown";
}

static int on_meta(struct importer *im, const struct ev_hdr *h)
{
	switch (h->type) {
	case META_KV: {
		const struct meta_kv *kv = (const void *)h;
		const char *value = kv->strs + strlen(kv->strs) + 1;

		if (!strcmp(kv->strs, BF_KEY_START_TS)) {
			im->have_start_ts = 1;
			im->start_ts = strtoull(value, NULL, 10);
		}
		return put_meta(im, kv->strs, value);
	}
	case META_SYSCALL: {
		const struct meta_syscall *ms = (const void *)h;

		if (ft_set_syscall_name(im->ft, ms->nr, ms->name))
			return an_errf(im->e, "out of memory");
		b_int(im->st[S_SYSCALL_NAME], 1, ms->nr);
		b_text(im->st[S_SYSCALL_NAME], 2, ms->name);
		return step(im, S_SYSCALL_NAME);
	}
	case META_PROC: {
		int ret = pt_snapshot(im->pt, (const void *)h);

		return ret ? tracker_fail(im, ret) : 0;
	}
	case META_FD: {
		const struct meta_fd *mf = (const void *)h;
		int64_t proc_id = proc_id_of(im, h);
		int ret;

		if (proc_id < 0)
			return tracker_fail(im, -ENOMEM);
		/* an fd of the snapshot was open when recording started */
		ret = ft_snapshot_fd(im->ft, h->pid, proc_id, mf->fd, mf->flags, mf->path,
				     h->ts ? h->ts : im->start_ts);
		return ret ? tracker_fail(im, ret) : 0;
	}
	case META_PROBE: {
		static const char *const status[] = { "attached", "fallback", "failed", "skipped" };
		const struct meta_probe *mp = (const void *)h;
		const char *name = mp->strs, *attach = name + strlen(name) + 1;
		sqlite3_stmt *s = im->st[S_PROBE];

		b_text(s, 1, group_name(mp->group));
		b_text(s, 2, name);
		b_text(s, 3, attach);
		b_text(s, 4, mp->status < AN_ARRAY_SIZE(status) ? status[mp->status] : "unknown");
		b_text(s, 5, attach + strlen(attach) + 1);
		return step(im, S_PROBE);
	}
	case META_DROPS: {
		const struct meta_drops *md = (const void *)h;
		sqlite3_stmt *s = im->st[S_DROP];

		b_int(s, 1, h->cpu);
		b_text(s, 2, group_name(md->group));
		b_int(s, 3, (int64_t)md->count);
		im->drops_sum += md->count;
		return step(im, S_DROP);
	}
	}
	return 0;
}

static int on_record(void *ctx, int kind, const struct ev_hdr *h)
{
	struct importer *im = ctx;

	(void)kind;
	im->stats.records++;
	if (h->type >= META_KV)
		return on_meta(im, h);
	if (!im->first_ts)
		im->first_ts = h->ts;
	switch (h->type) {
	case EV_SYSCALL:
		return on_syscall(im, (const void *)h);
	case EV_FORK:
	case EV_NEWTASK:
		return on_fork(im, (const void *)h);
	case EV_EXEC:
		return on_exec(im, (const void *)h);
	case EV_EXIT:
		return on_task_exit(im, (const void *)h);
	case EV_RENAME:
		return on_rename(im, (const void *)h);
	case EV_FREE:
		return on_free(im, h);
	}
	return 0; /* a newer recorder's event type: skip it */
}

static int run_schema(sqlite3 *db, int post_load, struct an_err *e)
{
	unsigned i;

	for (i = 0; i < embed_schema_count; i++) {
		const struct embed_file *f = &embed_schema[i];

		if ((strcmp(f->name, SCHEMA_POST_LOAD) == 0) != post_load)
			continue;
		if (im_exec(db, f->text, f->name, e))
			return -1;
	}
	return 0;
}

/* Meta rows describing the import itself. */
static int put_import_meta(struct importer *im, struct tr_reader *r, const char *trace_path)
{
	const struct tr_info *ti = tr_get_info(r);
	char buf[32];
	sqlite3_stmt *q;
	uint64_t drops = im->drops_sum;
	int rc;

	/* the STOP block's total wins if it counted more than the per-CPU rows */
	rc = sqlite3_prepare_v2(im->db, "SELECT value FROM meta WHERE key = '" BF_KEY_DROPS "'",
				-1, &q, NULL);
	if (rc != SQLITE_OK)
		return db_fail(im, "meta");
	if (sqlite3_step(q) == SQLITE_ROW && (uint64_t)sqlite3_column_int64(q, 0) > drops)
		drops = (uint64_t)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	im->stats.drops = drops;
	snprintf(buf, sizeof(buf), "%" PRId64, ti->mtime_ns);
	if (put_meta(im, "trace_path", trace_path) ||
	    put_meta_u64(im, "trace_size", ti->file_size) || put_meta(im, "trace_mtime_ns", buf) ||
	    put_meta_u64(im, "trace_blocks", ti->blocks) ||
	    put_meta_u64(im, "trace_records", ti->records) ||
	    put_meta_u64(im, "trace_has_stop", (uint64_t)ti->has_stop) ||
	    put_meta_u64(im, BF_KEY_DROPS, drops))
		return -1;
	if (!im->have_start_ts && put_meta_u64(im, BF_KEY_START_TS, im->first_ts))
		return -1;
	if (tr_warning(r) && put_meta(im, "salvage_warning", tr_warning(r)))
		return -1;
	return 0;
}

int im_import(sqlite3 *db, struct tr_reader *r, const char *trace_path, struct im_stats *st,
	      struct an_err *e)
{
	struct pt_emit pe = { emit_proc, emit_thread, NULL };
	struct importer im = { .db = db, .e = e };
	int ret = -1, i;

	pe.ctx = &im;
	if (im_exec(db,
		    "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
		    "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; BEGIN",
		    "setup", e) ||
	    run_schema(db, 0, e))
		return -1;
	if (pt_new(&im.pt, &pe) || ft_new(&im.ft, emit_fd, &im)) {
		an_errf(e, "out of memory");
		goto out;
	}
	for (i = 0; i < S_MAX; i++) {
		if (sqlite3_prepare_v3(db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &im.st[i],
				       NULL) != SQLITE_OK) {
			db_fail(&im, stmt_sql[i]);
			goto out;
		}
	}
	ret = tr_read(r, on_record, &im, e);
	if (ret)
		goto out;
	ret = -1;
	if (ft_finish(im.ft) || pt_finish(im.pt))
		goto out; /* only the emit callbacks fail here, and they set E */
	if (put_import_meta(&im, r, trace_path) || run_schema(db, 1, e) ||
	    im_exec(db, "COMMIT", "commit", e))
		goto out;
	if (st)
		*st = im.stats;
	ret = 0;
out:
	for (i = 0; i < S_MAX; i++)
		sqlite3_finalize(im.st[i]);
	ft_free(im.ft);
	pt_free(im.pt);
	if (ret && sqlite3_get_autocommit(db) == 0)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return ret ? -1 : 0;
}
