// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>

#include "errno_names.h"
#include "import_int.h"
#include "syscall_info.h"

static unsigned syscall_columns(unsigned shape)
{
	return 7 + (shape & IRUN_NARGS) + !!(shape & IRUN_EXIT) + !!(shape & IRUN_PATH) +
	       !!(shape & IRUN_PATH2) + !!(shape & IRUN_FD);
}

static void syscall_head(FILE *f, unsigned shape)
{
	static const char *const args[] = { "a0", "a1", "a2", "a3", "a4", "a5" };
	unsigned i;

	fputs("INSERT INTO syscall_rows (nr, ts, pid, proc_id, ret, tid, cpu", f);
	if (shape & IRUN_EXIT)
		fputs(", dur_ns", f);
	for (i = 0; i < (shape & IRUN_NARGS); i++)
		fprintf(f, ", %s", args[i]);
	if (shape & IRUN_PATH)
		fputs(", path", f);
	if (shape & IRUN_PATH2)
		fputs(", path2", f);
	if (shape & IRUN_FD)
		fputs(", fd_id", f);
	fputc(')', f);
}

/* NULL where the row (of a narrower shape than the run's) has no value */
static int bind_syscall(sqlite3_stmt *s, int col, const void *row, unsigned shape)
{
	const struct isys_row *r = row;
	unsigned i;

	ib_int(s, col++, r->nr);
	ib_int(s, col++, r->ts);
	ib_int(s, col++, r->pid);
	ib_int(s, col++, r->proc_id);
	ib_int(s, col++, r->ret);
	ib_int(s, col++, r->tid);
	ib_int(s, col++, r->cpu);
	if (shape & IRUN_EXIT) {
		/* a zero duration is a value: not ib_int_or_null() */
		if (r->shape & IRUN_EXIT)
			ib_int(s, col++, (int64_t)((uint64_t)r->exit_ts - (uint64_t)r->ts));
		else
			sqlite3_bind_null(s, col++);
	}
	for (i = 0; i < (shape & IRUN_NARGS); i++, col++) {
		if (i < (r->shape & IRUN_NARGS))
			ib_int(s, col, r->args[i]);
		else
			sqlite3_bind_null(s, col);
	}
	if (shape & IRUN_PATH) {
		if (r->shape & IRUN_PATH)
			ib_text_n(s, col++, r->path, (size_t)r->path_len);
		else
			sqlite3_bind_null(s, col++);
	}
	if (shape & IRUN_PATH2)
		ib_text(s, col++, r->shape & IRUN_PATH2 ? r->path2 : NULL);
	if (shape & IRUN_FD)
		ib_int_or_null(s, col++, r->fd_id);
	return col;
}

const struct irun_ops isys_ops = {
	.what = "insert into syscall_rows",
	.row_size = sizeof(struct isys_row),
	.columns = syscall_columns,
	.head = syscall_head,
	.bind = bind_syscall,
};

const struct sysc_info *isys_info(const struct importer *im, int64_t nr)
{
	return nr >= 0 && nr < ISYS_NR_LIMIT ? im->sysc_by_nr[nr] : NULL;
}

/* Run the INSERT SQL once per row that ROW (index I, columns into Q) binds. */
static int put_rows(struct importer *im, const char *sql, unsigned int n,
		    int (*row)(sqlite3_stmt *q, unsigned int i))
{
	int rc = SQLITE_DONE;
	sqlite3_stmt *q;
	unsigned int i;

	if (sqlite3_prepare_v2(im->db, sql, -1, &q, NULL) != SQLITE_OK)
		return ist_fail(im->db, im->e, sql);
	for (i = 0; i < n && rc == SQLITE_DONE; i++) {
		if (!row(q, i))
			continue;
		rc = sqlite3_step(q);
		sqlite3_reset(q);
	}
	if (rc != SQLITE_DONE)
		ist_fail(im->db, im->e, sql);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* syscall_classes rows, from bpf/syscalls.def */
static int class_row(sqlite3_stmt *q, unsigned int i)
{
	const char *class = sysc_class(&sysc_table[i]);

	ib_text(q, 1, sysc_table[i].name);
	ib_text(q, 2, class);
	return class != NULL;
}

/* syscall_returns rows, from bpf/syscalls.def */
static int return_row(sqlite3_stmt *q, unsigned int i)
{
	uint8_t ret = sysc_table[i].ret;

	ib_text(q, 1, sysc_table[i].name);
	ib_text(q, 2, ret == SC_RET_ADDR ? "address" : "value");
	return ret != SC_RET_ERRNO;
}

static int errno_row(sqlite3_stmt *q, unsigned int i)
{
	ib_int(q, 1, errno_names[i].num);
	ib_text(q, 2, errno_names[i].name);
	return 1;
}

/* The tables the reports join with, from bpfrec's own knowledge. */
static int put_syscall_tables(struct importer *im)
{
	return put_rows(im, "INSERT INTO syscall_classes VALUES (?, ?)", sysc_count, class_row) ?:
	       put_rows(im, "INSERT INTO syscall_returns VALUES (?, ?)", sysc_count,
			return_row) ?:
	       put_rows(im, "INSERT INTO errno_names VALUES (?, ?)", errno_names_count,
			errno_row);
}

int isys_init(struct importer *im)
{
	hm_init(&im->exec_names);
	im->sysc_by_nr = calloc(ISYS_NR_LIMIT, sizeof(*im->sysc_by_nr));
	if (!im->sysc_by_nr)
		return an_errf(im->e, "out of memory");
	return put_syscall_tables(im);
}

void isys_fini(struct importer *im)
{
	free(im->sysc_by_nr);
	hm_fini_free(&im->exec_names, free);
}

int isys_exec_name(struct importer *im, uint32_t tid, const char *filename)
{
	char *s = strdup(filename);

	free(hm_del(&im->exec_names, tid));
	if (!s || hm_put(&im->exec_names, tid, s)) {
		free(s);
		return an_errf(im->e, "out of memory");
	}
	return 0;
}

/* A failed exec's argv (TAIL_EXEC: after the filename) in syscall_argv. */
static int put_argv(struct importer *im, int64_t id, const struct ev_syscall *ev,
		    size_t path_len)
{
	sqlite3_stmt *s = im->st[IST_SYSCALL_ARGV];
	const char *argv = tr_syscall_tail(ev) + path_len + 1;

	if (ev->tail_len <= path_len + 1)
		return 0; /* none read (--no-args) */
	ib_int(s, 1, id);
	ib_text_n(s, 2, im->args, iproc_join_args(im, argv, ev->tail_len - path_len - 1));
	return ist_step(im, IST_SYSCALL_ARGV);
}

int im_on_syscall(struct importer *im, const struct ev_syscall *ev)
{
	const char *tail = tr_syscall_tail(ev);
	int64_t id = (int64_t)++im->stats.syscalls, proc_id = im_proc_id(im, &ev->h), fd_id;
	unsigned shape = ev->nargs;
	size_t path_len = 0;
	const struct sysc_info *info;
	char *exec_name;
	struct isys_row *r;
	int i, ret;

	if (proc_id < 0)
		return an_errf(im->e, "out of memory");
	ret = ft_syscall(im->ft, ev, proc_id, id, pt_last_comm(im->pt), &fd_id);
	if (ret)
		return im_tracker_fail(im, ret);
	if (istat_count(im, ev, proc_id, pt_last_comm(im->pt)))
		return -1;
	if (ev->exit_ts)
		shape |= IRUN_EXIT;
	if (fd_id)
		shape |= IRUN_FD;
	if (ev->tail_kind == TAIL_PATHS || ev->tail_kind == TAIL_EXEC) {
		path_len = strlen(tail);
		/* a path the probes could not read is NULL, not "" */
		if (!(ev->h.flags & EVF_PATH_LOST))
			shape |= IRUN_PATH;
		/* the reader checked that a second string, if any, is terminated */
		if (ev->tail_kind == TAIL_PATHS && path_len + 1 < ev->tail_len &&
		    !(ev->h.flags & EVF_PATH2_LOST))
			shape |= IRUN_PATH2;
	}
	/* an exec that worked: its filename is the exec event's */
	info = isys_info(im, ev->nr);
	exec_name = info && info->op == SC_OP_EXEC ? hm_del(&im->exec_names, ev->h.tid) : NULL;
	if (exec_name && ev->ret == 0 && !(shape & IRUN_PATH)) {
		path_len = strnlen(exec_name, BPFREC_PATH_MAX - 1);
		tail = exec_name;
		shape |= IRUN_PATH;
	}
	if (ev->tail_kind == TAIL_EXEC && put_argv(im, id, ev, path_len))
		return -1;
	if ((ev->tail_kind == TAIL_SOCK || ev->tail_kind == TAIL_SOCKADDR) &&
	    isock_put(im, id, ev, info))
		return -1;
	r = irun_add(&im->sc_run, shape);
	if (!r) {
		free(exec_name);
		return -1;
	}
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
	if (shape & (IRUN_PATH | IRUN_PATH2)) {
		memcpy(r->path, tail, exec_name ? path_len + 1 : ev->tail_len);
		r->path_len = (int)path_len;
		r->path2 = r->path + path_len + 1;
	}
	free(exec_name);
	return 0;
}
