// SPDX-License-Identifier: GPL-2.0-only
/*
 * Importer, process and fd tracking, and reports on a synthetic trace
 * whose every row is known: a shell (pid 100, from the /proc snapshot)
 * opens, dups and pipes, forks a child that execs cat, which reads,
 * writes, leaks an fd and exits with 3; a second child is killed by
 * SIGKILL; pid 200 is later reused by a third child.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "importer.h"
#include "report.h"
#include "tracegen.h"

/* x86_64 numbers, but all the analyzer sees is this trace's table */
enum { NR_READ = 0, NR_WRITE = 1, NR_CLOSE = 3, NR_DUP2 = 33, NR_FCNTL = 72,
       NR_EXIT_GROUP = 231, NR_OPENAT = 257, NR_PIPE2 = 293, NR_CLOSE_RANGE = 436 };

#define O_WRONLY_ 01
#define O_CLOEXEC_ 0x80000
#define AT_FDCWD_ ((uint64_t)-100)
#define START 1000000000ull
#define MS(n) (START + (uint64_t)(n)*1000000)

static void write_trace(const char *path)
{
	struct bf_writer *w = tg_open(path, 3);
	static const struct tg_name names[] = {
		{ NR_READ, "read" },	   { NR_WRITE, "write" },   { NR_CLOSE, "close" },
		{ NR_DUP2, "dup2" },	   { NR_FCNTL, "fcntl" },   { NR_EXIT_GROUP, "exit_group" },
		{ NR_OPENAT, "openat" },   { NR_PIPE2, "pipe2" },   { NR_CLOSE_RANGE, "close_range" },
	};

	tg_kv(w, BF_BLK_META, BF_KEY_START_TS, "1000000000");
	tg_kv(w, BF_BLK_META, BF_KEY_REALTIME_OFFSET, "1700000000000000000");
	TG_SYSCALL_NAMES(w, names);
	tg_proc(w, 100, 1, MS(-500), "bash", "/bin/bash", "bash -i", "/home/u");
	tg_fd(w, 100, 0, 2, "/dev/pts/0");
	tg_fd(w, 100, 1, 2, "/dev/pts/0");
	tg_fd(w, 100, 2, 2, "/dev/pts/0");
	tg_fd(w, 100, 10, O_CLOEXEC_, "/etc/bash.cfg");

	/* the shell: read stdin, open a and b, dup a over stdout, pipe */
	tg_syscall(w, MS(10), 2000, 100, 100, NR_READ, 5, 0, 0, 100, NULL);
	tg_syscall(w, MS(11), 3000, 100, 100, NR_OPENAT, 3, AT_FDCWD_, 0, 0, "/tmp/a.txt");
	tg_syscall(w, MS(12), 1000, 100, 100, NR_READ, 100, 3, 0, 100, NULL);
	tg_syscall(w, MS(13), 1000, 100, 100, NR_READ, 0, 3, 0, 100, NULL);
	tg_syscall(w, MS(14), 5000, 100, 100, NR_OPENAT, 4, AT_FDCWD_, 0,
		   O_WRONLY_ | O_CLOEXEC_, "/tmp/b.txt");
	tg_syscall(w, MS(15), 1000, 100, 100, NR_DUP2, 1, 3, 1, 0, NULL);
	tg_syscall(w, MS(16), 4000, 100, 100, NR_WRITE, 50, 4, 0, 50, NULL);
	tg_syscall(w, MS(17), 1000, 100, 100, NR_WRITE, 7, 1, 0, 7, NULL);
	tg_syscall_pair(w, MS(18), 100, NR_PIPE2, O_CLOEXEC_, 5, 6);
	tg_syscall(w, MS(19), 1000, 100, 100, NR_FCNTL, 0, 5, 2 /* F_SETFD */, 0, NULL);

	/* child 200 execs cat (closing cloexec fds 4, 6, 10), leaks fd 7 */
	tg_fork(w, MS(20), 100, 200, "bash", 0);
	tg_exec(w, MS(21), 200, "/bin/cat", "cat\0/tmp/a.txt", 15, "cat");
	tg_syscall(w, MS(22), 2000, 200, 200, NR_READ, 20, 3, 0, 20, NULL);
	tg_syscall(w, MS(23), 2000, 200, 200, NR_WRITE, 20, 1, 0, 20, NULL);
	tg_syscall(w, MS(24), 1000, 200, 200, NR_OPENAT, -2, AT_FDCWD_, 0, 0, "/missing");
	tg_syscall(w, MS(25), 1000, 200, 200, NR_OPENAT, 7, AT_FDCWD_, 0, 0, "/tmp/leak");
	tg_syscall(w, MS(26), 0, 200, 200, NR_EXIT_GROUP, 0, 3, 0, 0, NULL);
	tg_exit(w, MS(27), 200, 200, 3 << 8, MS(20), "cat");

	/* child 300 is killed; the shell closes a, then everything from 4 up */
	tg_fork(w, MS(30), 100, 300, "bash", 0);
	tg_exit(w, MS(31), 300, 300, 9, MS(30), "bash");
	tg_syscall(w, MS(32), 1000, 100, 100, NR_CLOSE, 0, 3, 0, 0, NULL);
	tg_syscall(w, MS(33), 1000, 100, 100, NR_CLOSE, -9, 99, 0, 0, NULL);
	tg_syscall(w, MS(34), 1000, 100, 100, NR_CLOSE_RANGE, 0, 4, 0xffffffff, 0, NULL);

	/* pid 200 again: a new process, not the old cat */
	tg_fork(w, MS(40), 100, 200, "bash", 0);
	tg_syscall(w, MS(41), 1000, 200, 200, NR_WRITE, 3, 2, 0, 3, NULL);

	tg_kv(w, BF_BLK_STOP, BF_KEY_DURATION, "50000000");
	tg_drops(w, 1, GRP_SYSCALLS, 4);
	tg_close(w);
}

#define CHECK_ROWS(db, sql, want)                                                          \
	do {                                                                               \
		char *got_ = tg_query(db, sql);                                                \
		CHECK_STR(got_, want);                                                     \
		free(got_);                                                                \
	} while (0)

static void check_processes(sqlite3 *db)
{
	CHECK_ROWS(db,
		   "SELECT id, pid, ppid, parent_id, comm, exe, cmdline, start_ts - 1000000000,"
		   " exit_ts - 1000000000, exit_code, exit_signal, source FROM processes ORDER BY id",
		   "1|100|1|NULL|bash|/bin/bash|bash -i|-500000000|NULL|NULL|NULL|snapshot\n"
		   "2|200|100|1|cat|/bin/cat|cat /tmp/a.txt|20000000|27000000|3|NULL|fork\n"
		   "3|300|100|1|bash|/bin/bash|bash -i|30000000|31000000|NULL|9|fork\n"
		   "4|200|100|1|bash|/bin/bash|bash -i|40000000|NULL|NULL|NULL|fork");
	CHECK_ROWS(db, "SELECT type, pid, child_pid, filename, args, exit_status, exit_signal"
		       " FROM process_events ORDER BY id",
		   "fork|100|200|NULL|NULL|NULL|NULL\n"
		   "exec|200|NULL|/bin/cat|cat /tmp/a.txt|NULL|NULL\n"
		   "exit|200|NULL|NULL|NULL|3|NULL\n"
		   "fork|100|300|NULL|NULL|NULL|NULL\n"
		   "exit|300|NULL|NULL|NULL|NULL|9\n"
		   "fork|100|200|NULL|NULL|NULL|NULL");
}

static void check_fds(sqlite3 *db)
{
	/* the shell: snapshot fds, its own opens, dup2 over stdout, the pipe */
	CHECK_ROWS(db,
		   "SELECT fd, path, how, cloexec, closed_how, (opened_ts - 1000000000) / 1000000,"
		   " (closed_ts - 1000000000) / 1000000 FROM fds WHERE proc_id = 1 ORDER BY id",
		   "0|/dev/pts/0|snapshot|0|NULL|0|NULL\n"
		   "1|/dev/pts/0|snapshot|0|dup2|0|15\n"
		   "2|/dev/pts/0|snapshot|0|NULL|0|NULL\n"
		   "10|/etc/bash.cfg|snapshot|1|close_range|0|34\n"
		   "3|/tmp/a.txt|openat|0|close|11|32\n"
		   "4|/tmp/b.txt|openat|1|close_range|14|34\n"
		   "1|/tmp/a.txt|dup2|0|NULL|15|NULL\n"
		   "5|pipe:[r]|pipe2|0|close_range|18|34\n"
		   "6|pipe:[w]|pipe2|1|close_range|18|34");
	/* cat: inherited all, exec closed the cloexec ones, exit the rest */
	CHECK_ROWS(db,
		   "SELECT fd, path, how, closed_how, (closed_ts - 1000000000) / 1000000"
		   " FROM fds WHERE proc_id = 2 ORDER BY fd",
		   "0|/dev/pts/0|inherited|exit|27\n"
		   "1|/tmp/a.txt|inherited|exit|27\n"
		   "2|/dev/pts/0|inherited|exit|27\n"
		   "3|/tmp/a.txt|inherited|exit|27\n"
		   "4|/tmp/b.txt|inherited|exec-cloexec|21\n"
		   "5|pipe:[r]|inherited|exit|27\n"
		   "6|pipe:[w]|inherited|exec-cloexec|21\n"
		   "7|/tmp/leak|openat|exit|27\n"
		   "10|/etc/bash.cfg|inherited|exec-cloexec|21");
	/* the reused pid 200 inherited what the shell held at 40 ms */
	CHECK_ROWS(db, "SELECT group_concat(fd || '=' || path, ' ') FROM"
		       " (SELECT fd, path FROM fds WHERE proc_id = 4 ORDER BY fd)",
		   "0=/dev/pts/0 1=/tmp/a.txt 2=/dev/pts/0");
	/* each fd-using call resolved to the row open at that time */
	CHECK_ROWS(db,
		   "SELECT (s.ts - 1000000000) / 1000000, n.name, s.a0, f.how, f.path, f.proc_id"
		   " FROM syscalls s JOIN syscall_names n USING (nr)"
		   " LEFT JOIN fds f ON f.id = s.fd_id WHERE n.name IN ('read', 'write', 'close')"
		   " ORDER BY s.id",
		   "10|read|0|snapshot|/dev/pts/0|1\n"
		   "12|read|3|openat|/tmp/a.txt|1\n"
		   "13|read|3|openat|/tmp/a.txt|1\n"
		   "16|write|4|openat|/tmp/b.txt|1\n"
		   "17|write|1|dup2|/tmp/a.txt|1\n"
		   "22|read|3|inherited|/tmp/a.txt|2\n"
		   "23|write|1|inherited|/tmp/a.txt|2\n"
		   "32|close|3|openat|/tmp/a.txt|1\n"
		   "33|close|99|NULL|NULL|NULL\n"
		   "41|write|2|inherited|/dev/pts/0|4");
}

static void check_meta(sqlite3 *db)
{
	CHECK_ROWS(db,
		   "SELECT key, value FROM meta WHERE key IN ('drops_total', 'duration_ns',"
		   " 'trace_has_stop', 'trace_blocks', 'salvage_warning') ORDER BY key",
		   "drops_total|4\nduration_ns|50000000\ntrace_blocks|3\ntrace_has_stop|1");
	CHECK_ROWS(db, "SELECT cpu, grp, count FROM drops", "1|syscalls|4");
	CHECK_ROWS(db, "SELECT count(*), sum(exit_ts IS NULL), max(dur_ns) FROM syscalls",
		   "19|1|5000");
}

/* The counts the importer sums on the way, which the reports read. */
static void check_summaries(sqlite3 *db)
{
	CHECK_ROWS(db,
		   "SELECT n.name, s.pid, s.calls, s.errors, s.lat_calls, s.lat_sum_ns, s.lat_max_ns"
		   " FROM syscall_stats s JOIN syscall_names n USING (nr) WHERE s.proc_id = 2"
		   " ORDER BY n.name",
		   "exit_group|200|1|0|0|NULL|NULL\n"
		   "openat|200|2|1|2|2000|1000\n"
		   "read|200|1|0|1|2000|2000\n"
		   "write|200|1|0|1|2000|2000");
	/* the shell's opens took 3 and 5 us: buckets 2..3 and 4..7 */
	CHECK_ROWS(db,
		   "SELECT h.bucket, h.calls FROM syscall_hist h JOIN syscall_names n USING (nr)"
		   " WHERE h.proc_id = 1 AND n.name = 'openat' ORDER BY h.bucket",
		   "1|1\n2|1");
	/* I/O per fd row: the dup2 copy of a.txt took the write to fd 1 */
	CHECK_ROWS(db,
		   "SELECT fd, how, reads, bytes_read, writes, bytes_written FROM fds"
		   " WHERE proc_id = 1 AND path = '/tmp/a.txt' ORDER BY id",
		   "3|openat|2|100|0|0\n1|dup2|0|0|1|7");
	/* the syscalls view derives exit_ts from the stored dur_ns */
	CHECK_ROWS(db,
		   "SELECT a0, a2, exit_ts - ts, dur_ns FROM syscalls"
		   " WHERE (ts - 1000000000) / 1000000 = 12",
		   "3|100|1000|1000");
}

static void check_reports(sqlite3 *db)
{
	struct rp_params all = { 0 }, shell = { 1, 100, NULL }, cat = { 0, 0, "cat" };
	char *got;

	got = tg_report(db, "files", &shell, OUT_CSV);
	CHECK_STR(got, "pid,comm,path,opens,reads,bytes_read,writes,bytes_written\n"
		       "100,bash,/tmp/a.txt,1,2,100,1,7\n"
		       "100,bash,/tmp/b.txt,1,0,0,1,50\n"
		       "100,bash,/dev/pts/0,0,1,5,0,0\n");
	free(got);
	got = tg_report(db, "files", &cat, OUT_CSV);
	CHECK_STR(got, "pid,comm,path,opens,reads,bytes_read,writes,bytes_written\n"
		       "200,cat,/tmp/a.txt,0,1,20,1,20\n"
		       "200,cat,/tmp/leak,1,0,0,0,0\n");
	free(got);
	got = tg_report(db, "top-syscalls", &cat, OUT_JSON);
	CHECK_STR(got, "[\n"
		       "  {\"syscall\": \"openat\", \"pid\": 200, \"comm\": \"cat\", \"count\": 2,"
		       " \"errors\": 1, \"total_us\": 2, \"avg_us\": 1, \"max_us\": 1},\n"
		       "  {\"syscall\": \"exit_group\", \"pid\": 200, \"comm\": \"cat\", \"count\": 1,"
		       " \"errors\": 0, \"total_us\": null, \"avg_us\": null, \"max_us\": null},\n"
		       "  {\"syscall\": \"read\", \"pid\": 200, \"comm\": \"cat\", \"count\": 1,"
		       " \"errors\": 0, \"total_us\": 2, \"avg_us\": 2, \"max_us\": 2},\n"
		       "  {\"syscall\": \"write\", \"pid\": 200, \"comm\": \"cat\", \"count\": 1,"
		       " \"errors\": 0, \"total_us\": 2, \"avg_us\": 2, \"max_us\": 2}\n"
		       "]\n");
	free(got);
	got = tg_report(db, "exitsnoop", &all, OUT_CSV);
	/* numbers as numbers: the exit text is the table's */
	CHECK_STR(got, "time_s,comm,pid,ppid,tid,age_s,exit_code,signal\n"
		       "0.027,cat,200,100,200,0.007,3,\n"
		       "0.031,bash,300,100,300,0.001,,9\n");
	free(got);
	got = tg_report(db, "exitsnoop", &all, OUT_JSON);
	CHECK_GOLDEN(got, "golden/exitsnoop.json");
	free(got);
	/* the shell ends with fewer fds than it started with (close_range) */
	got = tg_report(db, "leaks", &all, OUT_CSV);
	CHECK_STR(got, "pid,comm,fds_start,fds_end,growth,how,pattern,fds,first_s,last_s,example\n");
	free(got);
	/* cat's leaked fd 7; not its inherited fds, nor the dup2 onto stdout */
	got = tg_report(db, "leaks-at-exit", &all, OUT_CSV);
	CHECK_STR(got, "comm,how,pattern,processes,fds,pid,example\n"
		       "cat,openat,/tmp/*,1,1,200,/tmp/leak\n");
	free(got);
}

/* A directive naming a column the query lacks fails, in any format. */
static void check_bad_directive(sqlite3 *db)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct an_err e;

	CHECK(f && rp_run_sql(db, "-- @hide csv: nope\nSELECT 1 AS yes", NULL, OUT_TABLE, f, &e));
	fclose(f);
	CHECK_STR(e.msg, "directive '-- @hide csv: nope': no column 'nope'");
	free(out);
}

/* With --comm, the table shows pid and comm (left out without). */
static void check_top_comm(sqlite3 *db)
{
	struct rp_params cat = { 0, 0, "cat" };
	char *got = tg_report(db, "top-syscalls", &cat, OUT_TABLE);

	CHECK_GOLDEN(got, "golden/top-syscalls-comm.txt");
	free(got);
}

int main(void)
{
	struct im_stats st;
	sqlite3 *db;

	db = tg_import(write_trace, &st);
	CHECK(st.syscalls == 19 && st.processes == 4 && st.fds == 29 && st.drops == 4);
	check_meta(db);
	check_processes(db);
	check_fds(db);
	check_summaries(db);
	check_reports(db);
	/* the table format (UPDATE_GOLDEN=1 rewrites the files) */
	CHECK_GOLDEN_REPORT(db, "top-syscalls", "golden/top-syscalls.txt");
	CHECK_GOLDEN_REPORT(db, "syscall-latency", "golden/syscall-latency.txt");
	CHECK_GOLDEN_REPORT(db, "exitsnoop", "golden/exitsnoop.txt");
	check_top_comm(db);
	check_bad_directive(db);
	sqlite3_close(db);
	printf("import: ok\n");
	return 0;
}
