// SPDX-License-Identifier: GPL-2.0-only
/*
 * The wall-clock column of execsnoop, exitsnoop and opensnoop (analyze
 * report NAME -T): from the trace's realtime offset, UTC, milliseconds
 * truncated like BCC's (never rounded up into the next second), across
 * midnight; shown only when asked for, in every format.
 *
 * The trace starts (monotonic 1 s) at 2026-11-25 23:59:59.000 UTC
 * (date -u -d @1795651199). A shell (pid 100) opens a file at +0.9999996 s
 * (23:59:59.999, not rounded up), forks 200 at +1 s, which fails an exec
 * at +1.0005 s (00:00:00.000), execs true at +1.001999 s (00:00:00.001) and
 * exits at +86401.2345678 s (00:00:00.234 two days later); the expected
 * times are those of `date -u -d @1795651199.9999996 +%T.%3N` and so on.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tracegen.h"

enum { NR_EXECVE = 59, NR_OPENAT = 257, NR_EXIT_GROUP = 231 };

#define START 1000000000ull
#define WALL_AT_START "1795651198000000000" /* ns to add to START's ts: 23:59:59 UTC */
#define NS(n) (START + (uint64_t)(n))

static const struct tg_name names[] = {
	{ NR_EXECVE, "execve" },
	{ NR_OPENAT, "openat" },
	{ NR_EXIT_GROUP, "exit_group" },
};

static void write_trace(const char *path)
{
	struct bf_writer *w = tg_open(path, 3);

	tg_kv(w, BF_BLK_META, BF_KEY_START_TS, "1000000000");
	tg_kv(w, BF_BLK_META, BF_KEY_REALTIME_OFFSET, WALL_AT_START);
	TG_SYSCALL_NAMES(w, names);
	tg_proc(w, 100, 1, NS(-500000000), "sh", "/bin/sh", "sh", "/");
	tg_syscall(w, NS(999999600), 1000, 100, 100, NR_OPENAT, 3, (uint64_t)-100, 0, 0, "/etc/hosts");
	tg_fork(w, NS(1000000000), 100, 200, "sh", 0);
	tg_syscall(w, NS(1000500000), 5000, 200, 200, NR_EXECVE, -2, 0, 0, 0, "/nope");
	tg_exec(w, NS(1001999000), 200, "/bin/true", "true", 5, "true");
	tg_exit(w, NS(86401234567800ull), 200, 200, 0, NS(1000000000), "true");
	tg_kv(w, BF_BLK_STOP, BF_KEY_DURATION, "86402000000000");
	tg_close(w);
}

static void check_report(sqlite3 *db, const char *name, const struct rp_params *p,
			 enum out_format f, const char *golden)
{
	char *got = tg_report(db, name, p, f);

	CHECK_GOLDEN(got, golden);
	free(got);
}

/* SQL run as `analyze sql` does, as CSV (kept until the next call) */
static const char *sql_csv(sqlite3 *db, const char *sql, const struct rp_params *p)
{
	static char *buf;
	size_t len = 0;
	FILE *f;
	struct an_err e;

	free(buf);
	f = open_memstream(&buf, &len);
	CHECK(f);
	CHECK(rp_run_sql(db, sql, p, OUT_CSV, f, &e) == 0);
	fclose(f);
	return buf;
}

int main(void)
{
	struct rp_params plain = { 0 }, wall = { .timestamp = 1 };
	struct im_stats st;
	sqlite3 *db = tg_import(write_trace, &st);
	char *got;

	CHECK(st.syscalls == 2 && st.processes == 2);
	check_report(db, "execsnoop", &wall, OUT_TABLE, "golden/timestamp-execsnoop.txt");
	check_report(db, "exitsnoop", &wall, OUT_TABLE, "golden/timestamp-exitsnoop.txt");
	check_report(db, "opensnoop", &wall, OUT_TABLE, "golden/timestamp-opensnoop.txt");
	check_report(db, "execsnoop", &wall, OUT_JSON, "golden/timestamp-execsnoop.json");

	/* without -T: no time column at all, in any format */
	got = tg_report(db, "opensnoop", &plain, OUT_CSV);
	CHECK_STR(got, "time_s,pid,tid,comm,fd,err,flags,path\n"
		       "1.0,100,100,sh,3,,0x0,/etc/hosts\n");
	free(got);
	got = tg_report(db, "exitsnoop", &plain, OUT_CSV);
	CHECK_STR(got, "time_s,comm,pid,ppid,tid,age_s,exit_code,signal\n"
		       "86401.234568,true,200,100,200,86400.234568,0,\n");
	free(got);
	/* ad-hoc SQL: a column named time is hidden only by a query that takes
	 * :timestamp (a user's own "time" stays) */
	CHECK_STR(sql_csv(db, "SELECT 1 AS time, 2 AS b", &plain), "time,b\n1,2\n");
	CHECK_STR(sql_csv(db, "SELECT 1 AS time, :timestamp AS b", &plain), "b\n0\n");
	CHECK_STR(sql_csv(db, "SELECT 1 AS time, :timestamp AS b", &wall), "time,b\n1,1\n");
	sqlite3_close(db);
	printf("timestamp: ok\n");
	return 0;
}
