// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tracegen.h"

void tg_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
	exit(1);
}

void tg_check_str(const char *file, int line, const char *got, const char *want)
{
	if (got && !strcmp(got, want))
		return;
	fprintf(stderr, "%s:%d: mismatch\n--- want:\n%s\n--- got:\n%s\n", file, line, want,
		got ? got : "(null)");
	exit(1);
}

void tg_check_golden(const char *file, int line, const char *got, const char *path)
{
	char *want = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "r");
	int found = f != NULL;

	if (found) {
		if (getdelim(&want, &cap, '\0', f) < 0) {
			free(want);
			want = NULL; /* an empty file */
		}
		fclose(f);
	}
	if (getenv("UPDATE_GOLDEN")) {
		/* comparing the file with itself would prove nothing: say what changed */
		printf("%s %s\n", found && !strcmp(got, want ? want : "") ? "unchanged" : "updated",
		       path);
		f = fopen(path, "w");
		CHECK(f && fputs(got, f) >= 0 && fclose(f) == 0);
		free(want);
		return;
	}
	if (!found) {
		fprintf(stderr, "%s:%d: cannot read %s (UPDATE_GOLDEN=1 writes it)\n", file, line,
			path);
		exit(1);
	}
	if (strcmp(got, want ? want : "")) {
		fprintf(stderr, "%s:%d: differs from %s (UPDATE_GOLDEN=1 rewrites it)\n", file,
			line, path);
		tg_check_str(file, line, got, want ? want : "");
	}
	free(want);
}

void tg_check_golden_report(const char *file, int line, sqlite3 *db, const char *name,
			    const char *path)
{
	struct rp_params all = { 0 };
	char *got = tg_report(db, name, &all, OUT_TABLE);

	tg_check_golden(file, line, got, path);
	free(got);
}

/* Records are built here; 8-byte aligned like the recorder's. */
static union {
	struct ev_hdr h;
	char bytes[8192]; /* room for a META_TP's format text */
} rec;

static void *rec_start(uint16_t type, size_t fixed, uint32_t pid, uint32_t tid, uint64_t ts)
{
	memset(&rec, 0, sizeof(rec));
	rec.h.type = type;
	rec.h.size = (uint16_t)fixed;
	rec.h.pid = pid;
	rec.h.tid = tid;
	rec.h.ts = ts;
	return &rec;
}

/* Append LEN bytes to the record's tail. */
static void rec_tail(const void *data, size_t len)
{
	CHECK(rec.h.size + len + 8 <= sizeof(rec));
	memcpy(rec.bytes + rec.h.size, data, len);
	rec.h.size = (uint16_t)(rec.h.size + len);
}

static void rec_str(const char *s)
{
	rec_tail(s, strlen(s) + 1);
}

static void rec_put(struct bf_writer *w, int kind)
{
	rec.h.size = (uint16_t)bf_align8(rec.h.size);
	CHECK(bf_writer_append(w, kind, &rec) == 0);
}

struct bf_writer *tg_open(const char *path, int level)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	struct bf_writer *w;

	CHECK(fd >= 0 && bf_writer_fdopen(&w, fd, level) == 0);
	return w;
}

void tg_close(struct bf_writer *w)
{
	CHECK(bf_writer_close(w) == 0);
}

void tg_kv(struct bf_writer *w, int kind, const char *key, const char *value)
{
	rec_start(META_KV, sizeof(struct meta_kv), 0, 0, 0);
	rec_str(key);
	rec_str(value);
	rec_put(w, kind);
}

void tg_syscall_name(struct bf_writer *w, int32_t nr, const char *name)
{
	struct meta_syscall *m = rec_start(META_SYSCALL, sizeof(*m), 0, 0, 0);

	m->nr = nr;
	rec_str(name);
	rec_put(w, BF_BLK_META);
}

void tg_syscall_names(struct bf_writer *w, const struct tg_name *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tg_syscall_name(w, names[i].nr, names[i].name);
}

struct bf_writer *tg_start(const char *path, const struct tg_name *names, size_t n)
{
	struct bf_writer *w = tg_open(path, 3);

	tg_kv(w, BF_BLK_META, BF_KEY_START_TS, "1000000000");
	tg_syscall_names(w, names, n);
	return w;
}

void tg_proc(struct bf_writer *w, uint32_t pid, uint32_t ppid, uint64_t ts, const char *comm,
	     const char *exe, const char *cmdline, const char *cwd)
{
	struct meta_proc *m = rec_start(META_PROC, sizeof(*m), pid, pid, ts);

	m->ppid = ppid;
	m->uid = 1000;
	strncpy(m->comm, comm, sizeof(m->comm));
	rec_str(exe);
	rec_str(cmdline);
	if (cwd) /* NULL: the layout of recorders that did not write it */
		rec_str(cwd);
	rec_put(w, BF_BLK_META);
}

void tg_snap_thread(struct bf_writer *w, uint32_t pid, uint32_t tid, uint64_t ts,
		    const char *comm)
{
	struct meta_thread *m = rec_start(META_THREAD, sizeof(*m), pid, tid, ts);

	strncpy(m->comm, comm, sizeof(m->comm));
	rec_put(w, BF_BLK_META);
}

void tg_fd(struct bf_writer *w, uint32_t pid, int32_t fd, uint32_t flags, const char *path)
{
	struct meta_fd *m = rec_start(META_FD, sizeof(*m), pid, pid, 0);

	m->fd = fd;
	m->flags = flags;
	rec_str(path);
	rec_put(w, BF_BLK_META);
}

void tg_proc_tty(struct bf_writer *w, uint32_t pid, uint64_t ts, const char *comm,
		 const char *exe)
{
	int32_t fd;

	tg_proc(w, pid, 1, ts, comm, exe, comm, "/home/u");
	for (fd = 0; fd <= 2; fd++)
		tg_fd(w, pid, fd, 2 /* O_RDWR */, "/dev/pts/0");
}

void tg_drops(struct bf_writer *w, uint16_t cpu, uint32_t group, uint64_t count)
{
	struct meta_drops *m = rec_start(META_DROPS, sizeof(*m), 0, 0, 0);

	m->h.cpu = cpu;
	m->group = group;
	m->count = count;
	rec_put(w, BF_BLK_STOP);
}

static struct ev_syscall *syscall_start(uint64_t ts, uint64_t dur, uint32_t pid, uint32_t tid,
					int32_t nr, int64_t ret)
{
	struct ev_syscall *ev = rec_start(EV_SYSCALL, sizeof(*ev), pid, tid, ts);

	ev->h.cpu = 1;
	ev->exit_ts = dur ? ts + dur : 0;
	ev->ret = ret;
	ev->nr = nr;
	ev->nargs = 6;
	return ev;
}

void tg_syscall(struct bf_writer *w, uint64_t ts, uint64_t dur, uint32_t pid, uint32_t tid,
		int32_t nr, int64_t ret, uint64_t a0, uint64_t a1, uint64_t a2, const char *path)
{
	struct ev_syscall *ev = syscall_start(ts, dur, pid, tid, nr, ret);

	ev->args[0] = a0;
	ev->args[1] = a1;
	ev->args[2] = a2;
	if (path) {
		ev->tail_kind = TAIL_PATHS;
		ev->tail_len = (uint16_t)(strlen(path) + 1);
		rec_str(path);
	}
	rec_put(w, BF_BLK_EVENTS);
}

void tg_syscall_tail(struct bf_writer *w, uint64_t ts, uint64_t dur, uint32_t pid, uint32_t tid,
		     int32_t nr, int64_t ret, uint64_t a0, uint8_t kind, const void *tail,
		     uint16_t len)
{
	struct ev_syscall *ev = syscall_start(ts, dur, pid, tid, nr, ret);

	ev->args[0] = a0;
	ev->tail_kind = kind;
	ev->tail_len = len;
	rec_tail(tail, len);
	rec_put(w, BF_BLK_EVENTS);
}

void tg_syscall_pair(struct bf_writer *w, uint64_t ts, uint32_t pid, int32_t nr, uint64_t flags,
		     int32_t fd0, int32_t fd1)
{
	struct ev_syscall *ev = syscall_start(ts, 1000, pid, pid, nr, 0);
	int32_t fds[2] = { fd0, fd1 };

	ev->args[1] = flags;
	ev->tail_kind = TAIL_FDPAIR;
	ev->tail_len = sizeof(fds);
	rec_tail(fds, sizeof(fds));
	rec_put(w, BF_BLK_EVENTS);
}

void tg_fork(struct bf_writer *w, uint64_t ts, uint32_t pid, uint32_t child, const char *comm,
	     uint16_t flags)
{
	struct ev_fork *ev = rec_start(EV_FORK, sizeof(*ev), pid, pid, ts);

	ev->h.flags = flags;
	ev->child_pid = child;
	ev->child_tid = child;
	strncpy(ev->comm, comm, sizeof(ev->comm));
	rec_put(w, BF_BLK_EVENTS);
}

void tg_new_thread(struct bf_writer *w, uint64_t ts, uint32_t pid, uint32_t tid, const char *comm)
{
	struct ev_fork *ev = rec_start(EV_FORK, sizeof(*ev), pid, pid, ts);

	ev->child_pid = pid;
	ev->child_tid = tid;
	strncpy(ev->comm, comm, sizeof(ev->comm));
	rec_put(w, BF_BLK_EVENTS);
}

void tg_rename(struct bf_writer *w, uint64_t ts, uint32_t pid, uint32_t tid, const char *oldcomm,
	       const char *newcomm)
{
	struct ev_rename *ev = rec_start(EV_RENAME, sizeof(*ev), pid, tid, ts);

	strncpy(ev->oldcomm, oldcomm, sizeof(ev->oldcomm));
	strncpy(ev->newcomm, newcomm, sizeof(ev->newcomm));
	rec_put(w, BF_BLK_EVENTS);
}

void tg_exec(struct bf_writer *w, uint64_t ts, uint32_t pid, const char *filename,
	     const char *args, uint16_t args_len, const char *comm)
{
	struct ev_exec *ev = rec_start(EV_EXEC, sizeof(*ev), pid, pid, ts);

	ev->old_tid = pid;
	ev->filename_len = (uint16_t)(strlen(filename) + 1);
	ev->args_len = args_len;
	strncpy(ev->comm, comm, sizeof(ev->comm));
	rec_str(filename);
	rec_tail(args, args_len);
	rec_put(w, BF_BLK_EVENTS);
}

void tg_tp_meta(struct bf_writer *w, uint32_t id, const char *sys, const char *event,
		const char *format)
{
	struct meta_tp *m = rec_start(META_TP, sizeof(*m), 0, 0, 0);

	m->id = id;
	rec_str(sys);
	rec_str(event);
	rec_str(format);
	rec_put(w, BF_BLK_META);
}

void tg_tp(struct bf_writer *w, uint64_t ts, uint32_t pid, uint32_t tid, uint32_t id,
	   const void *data, uint16_t len)
{
	struct ev_tp *ev = rec_start(EV_TP, sizeof(*ev), pid, tid, ts);

	ev->id = id;
	ev->len = len;
	rec_tail(data, len);
	rec_put(w, BF_BLK_EVENTS);
}

void tg_exit(struct bf_writer *w, uint64_t ts, uint32_t pid, uint32_t tid, int32_t code,
	     uint64_t start_ts, const char *comm)
{
	struct ev_exit *ev = rec_start(EV_EXIT, sizeof(*ev), pid, tid, ts);

	ev->exit_code = code;
	ev->group_dead = 1;
	ev->start_ts = start_ts;
	strncpy(ev->comm, comm, sizeof(ev->comm));
	rec_put(w, BF_BLK_EVENTS);
}

void tg_keep_or_unlink(const char *path)
{
	const char *dir = getenv("TG_KEEP_DIR");
	static int n;
	char keep[4096];

	if (dir) {
		snprintf(keep, sizeof(keep), "%s/%s-%d.bpfrec", dir, program_invocation_short_name,
			 ++n);
		CHECK(rename(path, keep) == 0);
		return;
	}
	unlink(path);
}

sqlite3 *tg_import(void (*write_trace)(const char *path), struct im_stats *st)
{
	char path[] = "/tmp/bpfrec-unit.XXXXXX";
	int fd = mkstemp(path);
	struct tr_reader *r;
	struct an_err e;
	sqlite3 *db;

	CHECK(fd >= 0);
	close(fd);
	write_trace(path);
	CHECK(tr_open(&r, path, &e) == 0);
	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	if (im_import(db, r, path, st, &e)) {
		fprintf(stderr, "import: %s\n", e.msg);
		exit(1);
	}
	tr_close(r);
	tg_keep_or_unlink(path);
	return db;
}

char *tg_query(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i, n = 0;

	CHECK(f && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		fputs(n++ ? "\n" : "", f);
		for (i = 0; i < sqlite3_column_count(st); i++) {
			const char *t = (const char *)sqlite3_column_text(st, i);

			fprintf(f, "%s%s", i ? "|" : "", t ? t : "NULL");
		}
	}
	sqlite3_finalize(st);
	fclose(f);
	return buf;
}

char *tg_report(sqlite3 *db, const char *name, const struct rp_params *p,
		enum out_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct an_err e;

	CHECK(f);
	if (rp_run(db, name, p, fmt, f, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		CHECK(0);
	}
	fclose(f);
	return buf;
}
