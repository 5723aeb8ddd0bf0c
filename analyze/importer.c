// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_id.h"
#include "embedded.h"
#include "fdtrack.h"
#include "hashmap.h"
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
	S_STAT,
	S_HIST,
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
			 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_STAT] = "INSERT INTO syscall_stats VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[S_HIST] = "INSERT INTO syscall_hist VALUES (?, ?, ?, ?, ?)",
};

/*
 * Syscall rows are nearly all of a trace, and SQLite's cost per row grows
 * with every bound parameter (~15 ns) and every statement step (~150 ns,
 * about ten parameters). So rows are inserted in runs of up to RUN_MAX,
 * as few multi-row INSERTs as possible (1, 2, 4, ... RUN_MAX rows each),
 * naming only the columns some row of the run has a value for: the others
 * default to NULL without a bind. A shape is such a set of columns; the
 * statements of each (shape, row count) are prepared when first needed.
 */
enum {
	SH_NARGS = 0x07, /* a0 .. a(n-1) */
	SH_EXIT = 0x08, /* dur_ns */
	SH_PATH = 0x10,
	SH_PATH2 = 0x20,
	SH_FD = 0x40, /* fd_id */
	SH_MAX = 0x80,
};

#define RUN_LOG 5
#define RUN_MAX (1u << RUN_LOG)
/* Widen a run's shape while that costs fewer NULL binds than this. */
#define RUN_WIDEN_MAX 12

/* A syscalls row waiting in the current run; ids are implicit (rowid order). */
struct sc_row {
	unsigned shape;
	int64_t ts, exit_ts, pid, tid, proc_id, cpu, nr, ret, fd_id;
	int64_t args[6];
	int path_len;
	const char *path2;
	char path[TR_SYSCALL_TAIL_MAX + 1]; /* copied: the reader reuses its buffer */
};

/* A fds row waiting in its run: the tracker frees the path once emitted. */
struct fd_rec {
	struct ft_fd_row row; /* row.path points to path, or is NULL */
	char path[BPFREC_PATH_MAX + 64];
};

/* How to insert one table's rows in runs. */
struct run_ops {
	const char *what; /* for errors */
	size_t row_size;
	unsigned (*columns)(unsigned shape); /* columns in a row of SHAPE */
	/* "INSERT INTO t (c, ...)" for SHAPE, in the order bind() binds */
	void (*head)(FILE *f, unsigned shape);
	/* bind ROW for SHAPE from parameter COL on; returns the next one */
	int (*bind)(sqlite3_stmt *s, int col, const void *row, unsigned shape);
};

struct run {
	const struct run_ops *ops;
	void *rows; /* RUN_MAX rows of ops->row_size */
	unsigned len, shape;
	sqlite3_stmt *st[SH_MAX][RUN_LOG + 1]; /* by shape and log2 of the row count */
};

struct importer;
static void *run_add(struct importer *im, struct run *ru, unsigned shape);
static int flush_run(struct importer *im, struct run *ru);

/*
 * Latency histogram buckets of syscall_hist: k = 0 holds 0..1 us, k >= 1
 * holds 2^k .. 2^(k+1) - 1 us.
 */
#define HIST_BUCKETS 46

/* The syscall_stats and syscall_hist rows of one (process, syscall). */
struct sc_stat {
	uint64_t key; /* proc_id << 32 | nr */
	int64_t proc_id;
	uint32_t pid;
	int32_t nr;
	uint64_t calls, errors, lat_calls;
	uint64_t lat_sum; /* unsigned: hostile traces may overflow it, harmlessly */
	int64_t lat_max;
	uint64_t hist[HIST_BUCKETS];
};

/* Syscall numbers at or above this have no I/O class (no real table is this big). */
#define IM_NR_LIMIT 65536

/* Syscall classes the fds I/O columns count, from the syscall_classes table. */
struct io_class {
	char *name;
	enum ft_io io;
};

struct importer;

/* One handler per record type of bpf/records.def: a missing one fails the link. */
#define EV(num, id, group, name, st, ...) \
	static int im_on_##name(struct importer *im, const struct st *ev);
#define META(num, id, name, st, ...) static int im_on_##name(struct importer *im, const struct st *ev);
#include "records.def"

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
	/* rows waiting to be inserted together */
	struct run sc_run, fd_run;
	struct sc_row sc_rows[RUN_MAX];
	struct fd_rec fd_rows[RUN_MAX];
	/* per (process, syscall) summaries */
	struct hm sc_stats;
	struct sc_stat *last_stat; /* calls come in bursts of one process */
	/* I/O class by syscall nr (enum ft_io), from the trace's names */
	uint8_t *io_by_nr;
	struct io_class *io_classes;
	size_t n_io_classes;
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
static int step_stmt(struct importer *im, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(im, what);
	return 0;
}

static int step(struct importer *im, enum stmt_id id)
{
	return step_stmt(im, im->st[id], stmt_sql[id]);
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
	struct fd_rec *f = run_add(im, &im->fd_run, 0);
	size_t len = r->path ? strlen(r->path) : 0;

	if (!f)
		return -1;
	f->row = *r;
	im->stats.fds++;
	if (len < sizeof(f->path)) {
		memcpy(f->path, r->path ? r->path : "", len + 1);
		f->row.path = r->path ? f->path : NULL;
		return 0;
	}
	/* a longer path (from the /proc snapshot) is valid until we return */
	return flush_run(im, &im->fd_run);
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

static unsigned syscall_columns(unsigned shape)
{
	return 7 + (shape & SH_NARGS) + !!(shape & SH_EXIT) + !!(shape & SH_PATH) +
	       !!(shape & SH_PATH2) + !!(shape & SH_FD);
}

static void syscall_head(FILE *f, unsigned shape)
{
	static const char *const args[] = { "a0", "a1", "a2", "a3", "a4", "a5" };
	unsigned i;

	fputs("INSERT INTO syscall_rows (nr, ts, pid, proc_id, ret, tid, cpu", f);
	if (shape & SH_EXIT)
		fputs(", dur_ns", f);
	for (i = 0; i < (shape & SH_NARGS); i++)
		fprintf(f, ", %s", args[i]);
	if (shape & SH_PATH)
		fputs(", path", f);
	if (shape & SH_PATH2)
		fputs(", path2", f);
	if (shape & SH_FD)
		fputs(", fd_id", f);
	fputc(')', f);
}

/* NULL where the row (of a narrower shape than the run's) has no value */
static int bind_syscall(sqlite3_stmt *s, int col, const void *row, unsigned shape)
{
	const struct sc_row *r = row;
	unsigned i;

	b_int(s, col++, r->nr);
	b_int(s, col++, r->ts);
	b_int(s, col++, r->pid);
	b_int(s, col++, r->proc_id);
	b_int(s, col++, r->ret);
	b_int(s, col++, r->tid);
	b_int(s, col++, r->cpu);
	if (shape & SH_EXIT) {
		/* a zero duration is a value: not b_int_or_null() */
		if (r->shape & SH_EXIT)
			b_int(s, col++, (int64_t)((uint64_t)r->exit_ts - (uint64_t)r->ts));
		else
			sqlite3_bind_null(s, col++);
	}
	for (i = 0; i < (shape & SH_NARGS); i++, col++) {
		if (i < (r->shape & SH_NARGS))
			b_int(s, col, r->args[i]);
		else
			sqlite3_bind_null(s, col);
	}
	if (shape & SH_PATH) {
		if (r->shape & SH_PATH)
			b_text_n(s, col++, r->path, (size_t)r->path_len);
		else
			sqlite3_bind_null(s, col++);
	}
	if (shape & SH_PATH2)
		b_text(s, col++, r->shape & SH_PATH2 ? r->path2 : NULL);
	if (shape & SH_FD)
		b_int_or_null(s, col++, r->fd_id);
	return col;
}

static const struct run_ops syscall_ops = {
	.what = "insert into syscall_rows",
	.row_size = sizeof(struct sc_row),
	.columns = syscall_columns,
	.head = syscall_head,
	.bind = bind_syscall,
};

static unsigned fd_columns(unsigned shape)
{
	(void)shape;
	return 17;
}

static void fd_head(FILE *f, unsigned shape)
{
	(void)shape;
	fputs("INSERT INTO fds", f);
}

static int bind_fd(sqlite3_stmt *s, int col, const void *row, unsigned shape)
{
	const struct ft_fd_row *r = &((const struct fd_rec *)row)->row;

	(void)shape;
	b_int(s, col, r->id);
	b_int_or_null(s, col + 1, r->proc_id);
	b_int(s, col + 2, r->pid);
	b_int(s, col + 3, r->fd);
	b_text(s, col + 4, r->path);
	b_text(s, col + 5, r->how);
	b_int(s, col + 6, (int64_t)r->opened_ts);
	if (r->closed) {
		b_int(s, col + 7, (int64_t)r->closed_ts);
		b_text(s, col + 10, r->closed_how);
	} else {
		sqlite3_bind_null(s, col + 7);
		sqlite3_bind_null(s, col + 10);
	}
	b_int_or_null(s, col + 8, r->open_syscall_id);
	b_int_or_null(s, col + 9, r->close_syscall_id);
	b_int(s, col + 11, r->cloexec);
	b_int_or_null(s, col + 12, r->src_id);
	b_int(s, col + 13, (int64_t)r->reads);
	b_int(s, col + 14, (int64_t)r->bytes_read);
	b_int(s, col + 15, (int64_t)r->writes);
	b_int(s, col + 16, (int64_t)r->bytes_written);
	return col + 17;
}

static const struct run_ops fd_ops = {
	.what = "insert into fds",
	.row_size = sizeof(struct fd_rec),
	.columns = fd_columns,
	.head = fd_head,
	.bind = bind_fd,
};

/* "HEAD VALUES (?, ...), ..." for N rows of SHAPE. */
static char *run_sql(const struct run_ops *ops, unsigned shape, unsigned n)
{
	unsigned i, ncol = ops->columns(shape);
	size_t len = 0;
	char *sql = NULL;
	FILE *f = open_memstream(&sql, &len);

	if (!f)
		return NULL;
	ops->head(f, shape);
	fputs(" VALUES ", f);
	for (i = 0; i < n * ncol; i++)
		fputs(i % ncol ? ", ?" : i ? "), (?" : "(?", f);
	fputc(')', f);
	if (fclose(f)) {
		free(sql);
		return NULL;
	}
	return sql;
}

/* The statement inserting 2^LG rows of the run's shape. */
static sqlite3_stmt *run_stmt(struct importer *im, struct run *ru, unsigned lg)
{
	sqlite3_stmt **sp = &ru->st[ru->shape][lg];
	char *sql;
	int rc;

	if (*sp)
		return *sp;
	sql = run_sql(ru->ops, ru->shape, 1u << lg);
	if (!sql) {
		an_errf(im->e, "out of memory");
		return NULL;
	}
	rc = sqlite3_prepare_v3(im->db, sql, -1, SQLITE_PREPARE_PERSISTENT, sp, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		db_fail(im, ru->ops->what);
		return NULL;
	}
	return *sp;
}

/* Insert the rows of the run, in order. */
static int flush_run(struct importer *im, struct run *ru)
{
	const char *row = ru->rows;
	unsigned left = ru->len;

	ru->len = 0;
	while (left) {
		unsigned lg = 31 - (unsigned)__builtin_clz(left), n = 1u << lg, i;
		sqlite3_stmt *s = run_stmt(im, ru, lg);
		int col = 1;

		if (!s)
			return -1;
		for (i = 0; i < n; i++, row += ru->ops->row_size)
			col = ru->ops->bind(s, col, row, ru->shape);
		if (step_stmt(im, s, ru->ops->what))
			return -1;
		left -= n;
	}
	return 0;
}

/* The smallest shape holding the columns of shapes A and B. */
static unsigned shape_union(unsigned a, unsigned b)
{
	unsigned nargs = (a & SH_NARGS) > (b & SH_NARGS) ? a & SH_NARGS : b & SH_NARGS;

	return ((a | b) & ~SH_NARGS) | nargs;
}

/* Make room in the run for a row of SHAPE; returns the row. */
static void *run_add(struct importer *im, struct run *ru, unsigned shape)
{
	unsigned wide = shape_union(ru->shape, shape);

	if (ru->len == RUN_MAX ||
	    (ru->len &&
	     (ru->ops->columns(wide) - ru->ops->columns(ru->shape)) * ru->len > RUN_WIDEN_MAX)) {
		if (flush_run(im, ru))
			return NULL;
	}
	ru->shape = ru->len ? wide : shape;
	return (char *)ru->rows + ru->len++ * ru->ops->row_size;
}

static void run_init(struct run *ru, const struct run_ops *ops, void *rows)
{
	ru->ops = ops;
	ru->rows = rows;
}

static void run_fini(struct run *ru)
{
	unsigned i, j;

	for (i = 0; i < SH_MAX; i++)
		for (j = 0; j <= RUN_LOG; j++)
			sqlite3_finalize(ru->st[i][j]);
}

/* The histogram bucket of a latency of US microseconds, -1: none. */
static int hist_bucket(int64_t us)
{
	int k;

	if (us < 0)
		return -1;
	if (us <= 1)
		return 0;
	k = 63 - __builtin_clzll((uint64_t)us);
	return k < HIST_BUCKETS ? k : -1;
}

/* Count EV in the summaries of (PROC_ID, nr). */
static int count_syscall(struct importer *im, const struct ev_syscall *ev, int64_t proc_id)
{
	uint64_t key = (uint64_t)proc_id << 32 | (uint32_t)ev->nr;
	struct sc_stat *st = im->last_stat;

	if (!st || st->key != key) {
		st = hm_get(&im->sc_stats, key);
		if (!st) {
			st = calloc(1, sizeof(*st));
			if (!st || hm_put(&im->sc_stats, key, st)) {
				free(st);
				return an_errf(im->e, "out of memory");
			}
			st->key = key;
			st->proc_id = proc_id;
			st->pid = ev->h.pid;
			st->nr = ev->nr;
		}
		im->last_stat = st;
	}
	st->calls++;
	st->errors += ev->ret < 0 && ev->ret > -4096;
	if (ev->exit_ts) {
		int64_t dur = (int64_t)(ev->exit_ts - ev->h.ts);
		int k = hist_bucket(dur / 1000);

		if (!st->lat_calls || dur > st->lat_max)
			st->lat_max = dur;
		st->lat_sum += (uint64_t)dur;
		st->lat_calls++;
		if (k >= 0)
			st->hist[k]++;
	}
	return 0;
}

static int im_on_syscall(struct importer *im, const struct ev_syscall *ev)
{
	const char *tail = tr_syscall_tail(ev);
	int64_t id = (int64_t)++im->stats.syscalls, proc_id = proc_id_of(im, &ev->h), fd_id;
	enum ft_io io = FT_IO_NONE;
	unsigned shape = ev->nargs;
	size_t path_len = 0;
	struct sc_row *r;
	int i, ret;

	if (proc_id < 0)
		return an_errf(im->e, "out of memory");
	if (ev->nr >= 0 && ev->nr < IM_NR_LIMIT)
		io = (enum ft_io)im->io_by_nr[ev->nr];
	ret = ft_syscall(im->ft, ev, proc_id, id, io, &fd_id);
	if (ret)
		return tracker_fail(im, ret);
	if (count_syscall(im, ev, proc_id))
		return -1;
	if (ev->exit_ts)
		shape |= SH_EXIT;
	if (fd_id)
		shape |= SH_FD;
	if (ev->tail_kind == TAIL_PATHS) {
		path_len = strlen(tail);
		/* the reader checked that a second string, if any, is terminated */
		shape |= path_len + 1 < ev->tail_len ? SH_PATH | SH_PATH2 : SH_PATH;
	}
	r = run_add(im, &im->sc_run, shape);
	if (!r)
		return -1;
	r->shape = shape;
	r->ts = (int64_t)ev->h.ts;
	r->exit_ts = (int64_t)ev->exit_ts;
	r->pid = ev->h.pid;
	r->tid = ev->h.tid;
	r->proc_id = proc_id;
	r->cpu = ev->h.cpu;
	r->nr = ev->nr;
	r->ret = ev->ret;
	r->fd_id = fd_id;
	for (i = 0; i < ev->nargs; i++)
		r->args[i] = (int64_t)ev->args[i];
	if (shape & SH_PATH) {
		memcpy(r->path, tail, ev->tail_len);
		r->path_len = (int)path_len;
		r->path2 = r->path + path_len + 1;
	}
	return 0;
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
	im->stats.process_events++;
	return s;
}

static int im_on_fork(struct importer *im, const struct ev_fork *ev)
{
	int64_t proc_id = proc_id_of(im, &ev->h);
	sqlite3_stmt *s;
	struct pt_proc *child;
	int reused, ret;

	s = event_row(im, &ev->h, bf_rec_desc(ev->h.type)->name, proc_id);
	b_int(s, 8, ev->child_pid);
	b_int(s, 9, ev->child_tid);
	b_int(s, 10, (int64_t)ev->clone_flags);
	b_comm(s, 13, ev->comm);
	if (step(im, S_PROC_EVENT))
		return -1;
	ret = pt_fork(im->pt, ev, &child, &reused);
	if (!ret && reused)
		ret = ft_exit(im->ft, ev->child_pid, ev->h.ts, "pid-reuse");
	if (!ret && child)
		ret = ft_fork(im->ft, ev->h.pid, child->pid, child->id, ev->h.ts);
	return ret ? tracker_fail(im, ret) : 0;
}

/* fork and task_newtask: the same layout and handling */
static int im_on_newtask(struct importer *im, const struct ev_fork *ev)
{
	return im_on_fork(im, ev);
}

static int im_on_exec(struct importer *im, const struct ev_exec *ev)
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

static int im_on_exit(struct importer *im, const struct ev_exit *ev)
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

static int im_on_rename(struct importer *im, const struct ev_rename *ev)
{
	sqlite3_stmt *s = event_row(im, &ev->h, "rename", proc_id_of(im, &ev->h));

	b_comm(s, 13, ev->newcomm);
	b_comm(s, 14, ev->oldcomm);
	if (step(im, S_PROC_EVENT))
		return -1;
	return pt_rename(im->pt, ev) ? tracker_fail(im, -ENOMEM) : 0;
}

static int im_on_free(struct importer *im, const struct ev_free *ev)
{
	/* a reaped task must not resurrect its process: look up, never create */
	struct pt_proc *p = pt_find(im->pt, ev->h.pid);

	event_row(im, &ev->h, "free", p ? p->id : 0);
	return step(im, S_PROC_EVENT);
}

static enum ft_io io_class_of(const struct importer *im, const char *name)
{
	size_t i;

	for (i = 0; i < im->n_io_classes; i++)
		if (!strcmp(im->io_classes[i].name, name))
			return im->io_classes[i].io;
	return FT_IO_NONE;
}

/* Learn the read and write classes from syscall_classes (just created). */
static int load_io_classes(struct importer *im)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(im->db,
			       "SELECT name, class = 'write' FROM syscall_classes"
			       " WHERE class IN ('read', 'write')",
			       -1, &q, NULL) != SQLITE_OK)
		return db_fail(im, "syscall_classes");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct io_class *nc = realloc(im->io_classes, (im->n_io_classes + 1) * sizeof(*nc));
		char *name = strdup((const char *)sqlite3_column_text(q, 0));

		if (!nc || !name) {
			if (nc)
				im->io_classes = nc;
			free(name);
			sqlite3_finalize(q);
			return an_errf(im->e, "out of memory");
		}
		im->io_classes = nc;
		nc[im->n_io_classes].name = name;
		nc[im->n_io_classes++].io = sqlite3_column_int(q, 1) ? FT_IO_WRITE : FT_IO_READ;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(im, "syscall_classes");
}

static int stat_cmp(const void *a, const void *b)
{
	const struct sc_stat *x = *(const struct sc_stat *const *)a;
	const struct sc_stat *y = *(const struct sc_stat *const *)b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* Write syscall_stats and syscall_hist, ordered by process and nr. */
static int put_stats(struct importer *im)
{
	struct sc_stat **v = malloc((im->sc_stats.len + 1) * sizeof(*v));
	sqlite3_stmt *s = im->st[S_STAT], *h = im->st[S_HIST];
	size_t i = 0, n = 0;
	uint64_t key;
	void *val;
	int k, ret = 0;

	if (!v)
		return an_errf(im->e, "out of memory");
	while (hm_next(&im->sc_stats, &i, &key, &val))
		v[n++] = val;
	qsort(v, n, sizeof(*v), stat_cmp);
	for (i = 0; i < n && !ret; i++) {
		const struct sc_stat *st = v[i];

		b_int(s, 1, st->proc_id);
		b_int(s, 2, st->pid);
		b_int(s, 3, st->nr);
		b_int(s, 4, (int64_t)st->calls);
		b_int(s, 5, (int64_t)st->errors);
		b_int(s, 6, (int64_t)st->lat_calls);
		if (st->lat_calls) {
			b_int(s, 7, (int64_t)st->lat_sum);
			b_int(s, 8, st->lat_max);
		} else {
			sqlite3_bind_null(s, 7);
			sqlite3_bind_null(s, 8);
		}
		ret = step(im, S_STAT);
		for (k = 0; k < HIST_BUCKETS && !ret; k++) {
			if (!st->hist[k])
				continue;
			b_int(h, 1, st->proc_id);
			b_int(h, 2, st->pid);
			b_int(h, 3, st->nr);
			b_int(h, 4, k);
			b_int(h, 5, (int64_t)st->hist[k]);
			ret = step(im, S_HIST);
		}
	}
	free(v);
	return ret;
}

static const char *group_name(uint32_t grp)
{
	return grp < GRP_MAX ? bf_group_names[grp] : "unknown";
}

static int im_on_meta_kv(struct importer *im, const struct meta_kv *kv)
{
	const char *value = kv->strs + strlen(kv->strs) + 1;

	if (!strcmp(kv->strs, BF_KEY_START_TS)) {
		im->have_start_ts = 1;
		im->start_ts = strtoull(value, NULL, 10);
	}
	return put_meta(im, kv->strs, value);
}

static int im_on_meta_syscall(struct importer *im, const struct meta_syscall *ms)
{
	if (ft_set_syscall_name(im->ft, ms->nr, ms->name))
		return an_errf(im->e, "out of memory");
	if (ms->nr >= 0 && ms->nr < IM_NR_LIMIT)
		im->io_by_nr[ms->nr] = (uint8_t)io_class_of(im, ms->name);
	b_int(im->st[S_SYSCALL_NAME], 1, ms->nr);
	b_text(im->st[S_SYSCALL_NAME], 2, ms->name);
	return step(im, S_SYSCALL_NAME);
}

static int im_on_meta_proc(struct importer *im, const struct meta_proc *mp)
{
	const char *cwd = tr_str(&mp->h, sizeof(*mp), 2); /* exe, cmdline, cwd */
	int ret;

	ret = pt_snapshot(im->pt, mp) ?: ft_snapshot_cwd(im->ft, mp->h.pid, cwd);
	return ret ? tracker_fail(im, ret) : 0;
}

static int im_on_meta_thread(struct importer *im, const struct meta_thread *mt)
{
	int ret = pt_snapshot_thread(im->pt, mt);

	return ret ? tracker_fail(im, ret) : 0;
}

static int im_on_meta_fd(struct importer *im, const struct meta_fd *mf)
{
	int64_t proc_id = proc_id_of(im, &mf->h);
	int ret;

	if (proc_id < 0)
		return tracker_fail(im, -ENOMEM);
	/* an fd of the snapshot was open when recording started */
	ret = ft_snapshot_fd(im->ft, mf->h.pid, proc_id, mf->fd, mf->flags, mf->path,
			     mf->h.ts ? mf->h.ts : im->start_ts);
	return ret ? tracker_fail(im, ret) : 0;
}

static int im_on_meta_probe(struct importer *im, const struct meta_probe *mp)
{
	static const char *const status[] = { "attached", "fallback", "failed", "skipped" };
	const char *name = mp->strs, *attach = name + strlen(name) + 1;
	sqlite3_stmt *s = im->st[S_PROBE];

	b_text(s, 1, group_name(mp->group));
	b_text(s, 2, name);
	b_text(s, 3, attach);
	b_text(s, 4, mp->status < AN_ARRAY_SIZE(status) ? status[mp->status] : "unknown");
	b_text(s, 5, attach + strlen(attach) + 1);
	return step(im, S_PROBE);
}

static int im_on_meta_drops(struct importer *im, const struct meta_drops *md)
{
	sqlite3_stmt *s = im->st[S_DROP];

	b_int(s, 1, md->h.cpu);
	b_text(s, 2, group_name(md->group));
	b_int(s, 3, (int64_t)md->count);
	im->drops_sum += md->count;
	return step(im, S_DROP);
}

static int on_record(void *ctx, int kind, const struct ev_hdr *h)
{
	struct importer *im = ctx;

	(void)kind;
	im->stats.records++;
	if (h->type < BF_EV_TYPE_END && !im->first_ts)
		im->first_ts = h->ts;
	switch (h->type) {
#define EV(num, id, group, name, st, ...) \
	case id:                          \
		return im_on_##name(im, (const struct st *)h);
#define META(num, id, name, st, ...) \
	case id:                     \
		return im_on_##name(im, (const struct st *)h);
#include "records.def"
	}
	return 0; /* not reached: the reader hands out the types of records.def only */
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
	    put_meta(im, "analyzer_build", AN_BUILD_ID) ||
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
	int ret = -1;
	size_t i;

	pe.ctx = &im;
	hm_init(&im.sc_stats);
	run_init(&im.sc_run, &syscall_ops, im.sc_rows);
	run_init(&im.fd_run, &fd_ops, im.fd_rows);
	/*
	 * Nothing to recover from: a failed import is thrown away. Large
	 * pages: fewer b-tree pages to fill, balance and write per row.
	 */
	if (im_exec(db,
		    "PRAGMA page_size = 65536; PRAGMA journal_mode = OFF;"
		    "PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;"
		    "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; BEGIN",
		    "setup", e) ||
	    run_schema(db, 0, e))
		return -1;
	im.io_by_nr = calloc(IM_NR_LIMIT, sizeof(*im.io_by_nr));
	if (!im.io_by_nr || pt_new(&im.pt, &pe) || ft_new(&im.ft, emit_fd, &im)) {
		an_errf(e, "out of memory");
		goto out;
	}
	if (load_io_classes(&im))
		goto out;
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
	if (flush_run(&im, &im.sc_run) || put_stats(&im))
		goto out;
	if (ft_finish(im.ft) || pt_finish(im.pt) || flush_run(&im, &im.fd_run))
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
	run_fini(&im.sc_run);
	run_fini(&im.fd_run);
	hm_fini_free(&im.sc_stats, free);
	for (i = 0; i < im.n_io_classes; i++)
		free(im.io_classes[i].name);
	free(im.io_classes);
	free(im.io_by_nr);
	ft_free(im.ft);
	pt_free(im.pt);
	if (ret && sqlite3_get_autocommit(db) == 0)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return ret ? -1 : 0;
}
