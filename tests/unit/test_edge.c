// SPDX-License-Identifier: GPL-2.0-only
/*
 * Edge cases at the boundaries of the analyzer's rules, checked by whole
 * report outputs against golden files (golden/edge-*.txt), so that one
 * wrong row fails: 1-byte and 0-byte I/O; return values -1, -4095 (errors),
 * -4096 and a kernel address (not errors); failed and successful execs;
 * dup2(fd, fd), dup3(fd, fd) and dup2 onto an open fd.
 *
 * A shell (pid 100, from the /proc snapshot) does the I/O and the dups,
 * then forks 200, which fails to exec twice, execs true and exits.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tracegen.h"

/* x86_64 numbers, but all the analyzer sees is this trace's table */
enum { NR_READ = 0, NR_WRITE = 1, NR_BRK = 12, NR_DUP2 = 33, NR_EXECVE = 59,
       NR_EXIT_GROUP = 231, NR_OPENAT = 257, NR_DUP3 = 292, NR_EXECVEAT = 322 };

#define AT_FDCWD_ ((uint64_t)-100)
#define START 1000000000ull
#define MS(n) (START + (uint64_t)(n)*1000000)
#define US 1000

/* A kernel address: negative as a return value, yet not an error */
#define KADDR ((int64_t)0xffffffffff600000ull)

static const struct tg_name names[] = {
	{ NR_READ, "read" },	     { NR_WRITE, "write" },	  { NR_BRK, "brk" },
	{ NR_DUP2, "dup2" },	     { NR_EXECVE, "execve" },	  { NR_EXIT_GROUP, "exit_group" },
	{ NR_OPENAT, "openat" },     { NR_DUP3, "dup3" },	  { NR_EXECVEAT, "execveat" },
};

static void write_trace(const char *path)
{
	struct bf_writer *w = tg_open(path, 3);

	tg_kv(w, BF_BLK_META, BF_KEY_START_TS, "1000000000");
	TG_SYSCALL_NAMES(w, names);
	tg_proc_tty(w, 100, MS(-500), "sh", "/bin/sh");

	/* I/O: 1 byte each way, end of file, a write failing with -1 */
	tg_syscall(w, MS(1), 1 * US, 100, 100, NR_READ, 1, 0, 0, 1, NULL);
	tg_syscall(w, MS(2), 1 * US, 100, 100, NR_WRITE, 1, 1, 0, 1, NULL);
	tg_syscall(w, MS(3), 1 * US, 100, 100, NR_READ, 0, 0, 0, 1, NULL);
	tg_syscall(w, MS(4), 1 * US, 100, 100, NR_WRITE, -1, 1, 0, 1, NULL);
	tg_syscall(w, MS(5), 1 * US, 100, 100, NR_READ, 2, 0, 0, 2, NULL);

	/* errors at both ends of -errno, and two negative non-errors */
	tg_syscall(w, MS(6), 2 * US, 100, 100, NR_OPENAT, -1, AT_FDCWD_, 0, 0, "/etc/shadow");
	tg_syscall(w, MS(7), 2 * US, 100, 100, NR_OPENAT, -4095, AT_FDCWD_, 0, 0, "max-errno");
	tg_syscall(w, MS(8), 2 * US, 100, 100, NR_OPENAT, 3, AT_FDCWD_, 0, 0, "a.txt");
	tg_syscall(w, MS(9), 1 * US, 100, 100, NR_BRK, -4096, 0, 0, 0, NULL);
	tg_syscall(w, MS(10), 1 * US, 100, 100, NR_BRK, KADDR, 0, 0, 0, NULL);

	/* dups: onto itself (nothing changes), dup3 onto itself (EINVAL),
	 * a bad fd (EBADF), then onto the open stdout */
	tg_syscall(w, MS(11), 1 * US, 100, 100, NR_DUP2, 3, 3, 3, 0, NULL);
	tg_syscall(w, MS(12), 1 * US, 100, 100, NR_DUP3, -22, 3, 3, 0, NULL);
	tg_syscall(w, MS(13), 1 * US, 100, 100, NR_DUP2, -9, 7, 8, 0, NULL);
	tg_syscall(w, MS(14), 1 * US, 100, 100, NR_DUP2, 1, 3, 1, 0, NULL);
	tg_syscall(w, MS(15), 1 * US, 100, 100, NR_WRITE, 1, 1, 0, 1, NULL);
	tg_syscall(w, MS(16), 1 * US, 100, 100, NR_READ, 1, 3, 0, 1, NULL);

	/* execs: two failures (-2, -1), a success (ret 0, after its event, as
	 * the recorder emits a call at its exit), a failed execveat */
	tg_fork(w, MS(20), 100, 200, "sh", 0);
	tg_syscall(w, MS(21), 5 * US, 200, 200, NR_EXECVE, -2, 0, 0, 0, "/nope");
	tg_syscall(w, MS(22), 5 * US, 200, 200, NR_EXECVE, -1, 0, 0, 0, "/noperm");
	tg_exec(w, MS(23) + 50 * US, 200, "/bin/true", "true\0-x", 8, "true");
	tg_syscall(w, MS(23), 100 * US, 200, 200, NR_EXECVE, 0, 0, 0, 0, "/bin/true");
	tg_syscall(w, MS(24), 5 * US, 200, 200, NR_EXECVEAT, -13, 3, 0, 0, "rel");
	tg_syscall(w, MS(25), 0, 200, 200, NR_EXIT_GROUP, 0, 0, 0, 0, NULL);
	tg_exit(w, MS(26), 200, 200, 0, MS(20), "true");

	tg_kv(w, BF_BLK_STOP, BF_KEY_DURATION, "30000000");
	tg_close(w);
}

/* The rows of SQL under a line naming its columns, like a report. */
static void check_rows(sqlite3 *db, const char *columns, const char *sql, const char *golden)
{
	char *rows = tg_query(db, sql), *got;

	CHECK(asprintf(&got, "%s\n%s\n", columns, rows) > 0);
	CHECK_GOLDEN(got, golden);
	free(rows);
	free(got);
}

int main(void)
{
	struct im_stats st;
	sqlite3 *db;

	db = tg_import(write_trace, &st);
	CHECK(st.syscalls == 21 && st.processes == 2);
	CHECK_GOLDEN_REPORT(db, "top-syscalls", "golden/edge-top-syscalls.txt");
	CHECK_GOLDEN_REPORT(db, "files", "golden/edge-files.txt");
	CHECK_GOLDEN_REPORT(db, "opensnoop", "golden/edge-opensnoop.txt");
	CHECK_GOLDEN_REPORT(db, "execsnoop", "golden/edge-execsnoop.txt");
	CHECK_GOLDEN_REPORT(db, "leaks", "golden/edge-leaks.txt");
	check_rows(db, "id|pid|fd|path|how|src_id|cloexec|reads|bytes_read|writes|bytes_written"
		   "|opened_ms|closed_how|closed_ms",
		   "SELECT id, pid, fd, path, how, src_id, cloexec, reads, bytes_read, writes,"
		   " bytes_written, (opened_ts - 1000000000) / 1000000, closed_how,"
		   " (closed_ts - 1000000000) / 1000000 FROM fds ORDER BY id",
		   "golden/edge-fds.txt");
	check_rows(db, "syscall|pid|comm|calls|errors|lat_calls|lat_sum_ns",
		   "SELECT n.name, s.pid, s.comm, s.calls, s.errors, s.lat_calls, s.lat_sum_ns"
		   " FROM syscall_stats s JOIN syscall_names n USING (nr)"
		   " ORDER BY s.pid, n.name, s.comm",
		   "golden/edge-syscall-stats.txt");
	sqlite3_close(db);
	printf("edge: ok\n");
	return 0;
}
