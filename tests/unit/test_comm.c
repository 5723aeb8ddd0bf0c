// SPDX-License-Identifier: GPL-2.0-only
/*
 * --comm and the comm columns: the name a thread had at the time of each
 * event, not its process's last name (issue 8, item 5). Whole report
 * outputs against golden files (golden/comm-*.txt), with and without
 * --comm, so that one call under the wrong name fails.
 *
 * pid 100, "sh" in the /proc snapshot, opens and reads a.txt, is renamed
 * "server" (prctl PR_SET_NAME), reads it again and writes b.txt. Its new
 * thread 101 takes the name "server", reads a.txt, is renamed "worker",
 * reads it again and opens w.txt. pid 100 forks 200 ("server"), which
 * opens c.txt, fails to exec /nope, execs cat, reads the inherited a.txt,
 * opens d.txt and exits with c.txt and d.txt open. pid 100 is alive at
 * the end.
 *
 * Bytes read from a.txt, by name: sh 10, server 20 + 30 (thread 101
 * before its rename), worker 40, cat 7: each count is distinct, so a row
 * credited to another name shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracegen.h"

enum { NR_READ = 0, NR_WRITE = 1, NR_EXECVE = 59, NR_EXIT_GROUP = 231, NR_OPENAT = 257 };

#define AT_FDCWD_ ((uint64_t)-100)
#define START 1000000000ull
#define MS(n) (START + (uint64_t)(n)*1000000)
#define US 1000

static const struct tg_name names[] = {
	{ NR_READ, "read" },	   { NR_WRITE, "write" },	{ NR_EXECVE, "execve" },
	{ NR_EXIT_GROUP, "exit_group" }, { NR_OPENAT, "openat" },
};

static void open_at(struct bf_writer *w, uint64_t ts, uint32_t pid, uint32_t tid, int fd,
		    const char *path)
{
	tg_syscall(w, ts, 2 * US, pid, tid, NR_OPENAT, fd, AT_FDCWD_, 0, 0, path);
}

static void io(struct bf_writer *w, uint64_t ts, uint32_t pid, uint32_t tid, int nr, int fd,
	       int bytes)
{
	tg_syscall(w, ts, 1 * US, pid, tid, nr, bytes, (uint64_t)fd, 0, (uint64_t)bytes, NULL);
}

static void write_trace(const char *path)
{
	struct bf_writer *w = tg_open(path, 3);

	tg_kv(w, BF_BLK_META, BF_KEY_START_TS, "1000000000");
	TG_SYSCALL_NAMES(w, names);
	tg_proc_tty(w, 100, MS(-500), "sh", "/bin/sh");

	open_at(w, MS(1), 100, 100, 3, "a.txt");
	io(w, MS(2), 100, 100, NR_READ, 3, 10);
	tg_rename(w, MS(3), 100, 100, "sh", "server");
	io(w, MS(4), 100, 100, NR_READ, 3, 20);
	open_at(w, MS(5), 100, 100, 4, "b.txt");
	io(w, MS(6), 100, 100, NR_WRITE, 4, 5);

	/* a thread takes its creator's name, then one of its own */
	tg_new_thread(w, MS(7), 100, 101, "server");
	io(w, MS(8), 100, 101, NR_READ, 3, 30);
	tg_rename(w, MS(9), 100, 101, "server", "worker");
	io(w, MS(10), 100, 101, NR_READ, 3, 40);
	open_at(w, MS(11), 100, 101, 5, "w.txt");

	/* a child named as its parent, then as the program it execs */
	tg_fork(w, MS(12), 100, 200, "server", 0);
	open_at(w, MS(13), 200, 200, 6, "c.txt");
	tg_syscall(w, MS(14), 5 * US, 200, 200, NR_EXECVE, -2, 0, 0, 0, "/nope");
	tg_exec(w, MS(15) + 50 * US, 200, "/bin/cat", "cat\0d.txt", 10, "cat");
	tg_syscall(w, MS(15), 100 * US, 200, 200, NR_EXECVE, 0, 0, 0, 0, "/bin/cat");
	io(w, MS(16), 200, 200, NR_READ, 3, 7);
	open_at(w, MS(17), 200, 200, 7, "d.txt");
	tg_syscall(w, MS(18), 0, 200, 200, NR_EXIT_GROUP, 0, 0, 0, 0, NULL);
	tg_exit(w, MS(19), 200, 200, 0, MS(12), "cat");

	tg_kv(w, BF_BLK_STOP, BF_KEY_DURATION, "30000000");
	tg_close(w);
}

/* Report NAME with --comm COMM (NULL: none) against the golden file PATH. */
static void check_report(sqlite3 *db, const char *name, const char *comm, const char *path)
{
	struct rp_params p = { 0, 0, comm, 0 };
	char *got = tg_report(db, name, &p, OUT_TABLE);

	CHECK_GOLDEN(got, path);
	free(got);
}

/* opensnoop --comm COMM: the comm column of its rows, joined by spaces, is WANT. */
static void check_opens(sqlite3 *db, const char *comm, const char *want)
{
	struct rp_params p = { 0, 0, comm, 0 };
	char *csv = tg_report(db, "opensnoop", &p, OUT_CSV), *got = calloc(1, strlen(csv) + 1);
	const char *line = strchr(csv, '\n');

	CHECK(line && got);
	/* time_s,pid,tid,comm,... */
	while (line && line[1]) {
		const char *c = line + 1;
		int i;

		for (i = 0; i < 3; i++)
			c = strchr(c, ',') + 1;
		strncat(got, c, strcspn(c, ",\n") + 1);
		got[strlen(got) - 1] = ' ';
		line = strchr(c, '\n');
	}
	CHECK_STR(got, want);
	free(csv);
	free(got);
}

int main(void)
{
	struct im_stats st;
	sqlite3 *db;
	char *got;

	db = tg_import(write_trace, &st);
	CHECK(st.syscalls == 14 && st.processes == 2);
	/* ms since trace start; a name held since before the trace starts at 0 */
	got = tg_query(db, "SELECT tid, pid, proc_id, comm,"
			   " CASE WHEN start_ts THEN (start_ts - 1000000000) / 1000000 END,"
			   " (end_ts - 1000000000) / 1000000 FROM thread_names"
			   " ORDER BY proc_id, tid, start_ts");
	CHECK_GOLDEN(got, "golden/comm-thread-names.txt");
	free(got);
	check_report(db, "opensnoop", NULL, "golden/comm-opensnoop.txt");
	check_report(db, "files", NULL, "golden/comm-files.txt");
	check_report(db, "files", "server", "golden/comm-files-server.txt");
	check_report(db, "execsnoop", NULL, "golden/comm-execsnoop.txt");
	check_report(db, "exitsnoop", NULL, "golden/comm-exitsnoop.txt");
	check_report(db, "leaks-at-exit", NULL, "golden/comm-leaks-at-exit.txt");
	check_report(db, "leaks", NULL, "golden/comm-leaks.txt");
	check_report(db, "top-syscalls", "worker", "golden/comm-top-syscalls-worker.txt");

	/* --comm selects exactly the opens made under each name */
	check_opens(db, "sh", "sh ");
	check_opens(db, "server", "server server ");
	check_opens(db, "worker", "worker ");
	check_opens(db, "cat", "cat ");
	/* the exit is cat's, under the name it exited with */
	check_report(db, "exitsnoop", "server", "golden/comm-empty-exitsnoop.txt");
	sqlite3_close(db);
	printf("comm: ok\n");
	return 0;
}
