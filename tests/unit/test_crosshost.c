// SPDX-License-Identifier: GPL-2.0-only
/*
 * A trace recorded on another architecture analyzes here: every syscall
 * name comes from the trace's own table. The numbers below are arm64's;
 * on x86_64 63 is uname and 0 is read, so any lookup on the analyzing
 * host's table would give wrong names and break the fd join.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "importer.h"
#include "report.h"
#include "tracegen.h"

enum { A64_IO_SETUP = 0, A64_OPENAT = 56, A64_CLOSE = 57, A64_READ = 63, A64_WRITE = 64,
       A64_EXIT_GROUP = 94 };

#define AT_FDCWD_ ((uint64_t)-100)
#define MS(n) (1000000000ull + (uint64_t)(n)*1000000)

static void write_trace(const char *path)
{
	struct bf_writer *w = tg_open(path, 3);

	tg_kv(w, BF_BLK_META, BF_KEY_START_TS, "1000000000");
	tg_kv(w, BF_BLK_META, BF_KEY_MACHINE, "aarch64");
	tg_syscall_name(w, A64_IO_SETUP, "io_setup");
	tg_syscall_name(w, A64_OPENAT, "openat");
	tg_syscall_name(w, A64_CLOSE, "close");
	tg_syscall_name(w, A64_READ, "read");
	tg_syscall_name(w, A64_WRITE, "write");
	tg_syscall_name(w, A64_EXIT_GROUP, "exit_group");
	tg_proc(w, 100, 1, MS(-5), "app", "/usr/bin/app", "app", "/srv");
	tg_fd(w, 100, 1, 2, "/dev/null");

	tg_syscall(w, MS(1), 1000, 100, 100, A64_OPENAT, 3, AT_FDCWD_, 0, 0, "/data/log");
	tg_syscall(w, MS(2), 1000, 100, 100, A64_READ, 100, 3, 0, 100, NULL);
	tg_syscall(w, MS(3), 1000, 100, 100, A64_READ, 100, 3, 0, 100, NULL);
	tg_syscall(w, MS(4), 1000, 100, 100, A64_WRITE, 7, 1, 0, 7, NULL);
	tg_syscall(w, MS(5), 1000, 100, 100, A64_CLOSE, 0, 3, 0, 0, NULL);
	tg_syscall(w, MS(6), 0, 100, 100, A64_EXIT_GROUP, 0, 0, 0, 0, NULL);
	tg_exit(w, MS(7), 100, 100, 0, MS(-5), "app");
	tg_close(w);
}

int main(void)
{
	struct rp_params all = { 0 };
	struct im_stats st;
	sqlite3 *db;
	char *got;

	db = tg_import(write_trace, &st);
	CHECK(st.syscalls == 6);

	got = tg_query(db, "SELECT name, count(*) FROM syscalls_named GROUP BY name ORDER BY min(ts)");
	CHECK_STR(got, "openat|1\nread|2\nwrite|1\nclose|1\nexit_group|1");
	free(got);
	got = tg_report(db, "files", &all, OUT_CSV);
	CHECK_STR(got, "pid,comm,path,opens,reads,bytes_read,writes,bytes_written\n"
		       "100,app,/data/log,1,2,200,0,0\n"
		       "100,app,/dev/null,0,0,0,1,7\n");
	free(got);
	got = tg_query(db, "SELECT how, closed_how FROM fds WHERE path = '/data/log'");
	CHECK_STR(got, "openat|close");
	free(got);
	sqlite3_close(db);
	printf("crosshost: ok\n");
	return 0;
}
