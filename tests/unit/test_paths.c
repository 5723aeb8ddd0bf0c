// SPDX-License-Identifier: GPL-2.0-only
/*
 * Relative paths become absolute in fds: against the working directory
 * from the snapshot, after chdir and fchdir, inherited at fork, and
 * against the dirfd of openat. "." and ".." fold; absolute paths stay.
 * A snapshot process without a cwd (older recorders) keeps them relative.
 */
#include <stdlib.h>
#include <unistd.h>

#include "report.h"
#include "tracegen.h"

enum { NR_OPEN = 2, NR_CLOSE = 3, NR_CHDIR = 80, NR_FCHDIR = 81, NR_OPENAT = 257 };

#define AT_FDCWD_ ((uint64_t)-100)
#define O_DIRECTORY_ 0200000
#define MS(n) (1000000000ull + (uint64_t)(n)*1000000)

static void write_trace(const char *path)
{
	struct bf_writer *w = tg_open(path, 0);

	tg_kv(w, BF_BLK_META, BF_KEY_START_TS, "1000000000");
	tg_syscall_name(w, NR_OPEN, "open");
	tg_syscall_name(w, NR_CLOSE, "close");
	tg_syscall_name(w, NR_CHDIR, "chdir");
	tg_syscall_name(w, NR_FCHDIR, "fchdir");
	tg_syscall_name(w, NR_OPENAT, "openat");
	tg_proc(w, 100, 1, MS(-5), "app", "/usr/bin/app", "app", "/srv/www");
	tg_proc(w, 101, 1, MS(-5), "ktask", "", "", "");
	tg_proc(w, 102, 1, MS(-5), "old", "/bin/old", "old -x", NULL);

	tg_syscall(w, MS(1), 1000, 100, 100, NR_OPEN, 3, 0, 0, 0, "./a/../b.txt");
	tg_syscall(w, MS(2), 1000, 100, 100, NR_OPENAT, 4, AT_FDCWD_, 0, 0, "/etc//hosts");
	tg_syscall(w, MS(3), 1000, 100, 100, NR_OPENAT, 5, AT_FDCWD_, 0, O_DIRECTORY_, "/var/log");
	tg_syscall(w, MS(4), 1000, 100, 100, NR_OPENAT, 6, 5, 0, 0, "syslog");
	tg_syscall(w, MS(5), 1000, 100, 100, NR_CHDIR, 0, 0, 0, 0, "../tmp");
	tg_syscall(w, MS(6), 1000, 100, 100, NR_OPEN, 7, 0, 0, 0, "c.txt");
	tg_syscall(w, MS(7), 1000, 100, 100, NR_CHDIR, -2, 0, 0, 0, "nowhere");
	tg_syscall(w, MS(8), 1000, 100, 100, NR_OPEN, 8, 0, 0, 0, "d.txt");
	tg_fork(w, MS(9), 100, 200, "app", 0);
	tg_syscall(w, MS(10), 1000, 200, 200, NR_OPEN, 9, 0, 0, 0, "../../e.txt");
	tg_syscall(w, MS(11), 1000, 100, 100, NR_FCHDIR, 0, 5, 0, 0, NULL);
	tg_syscall(w, MS(12), 1000, 100, 100, NR_OPEN, 10, 0, 0, 0, "f.txt");
	tg_syscall(w, MS(13), 1000, 101, 101, NR_OPEN, 3, 0, 0, 0, "unknown.txt");
	tg_syscall(w, MS(14), 1000, 102, 102, NR_OPEN, 3, 0, 0, 0, "no-cwd.txt");
	tg_close(w);
}

int main(void)
{
	struct im_stats st;
	char *got;
	sqlite3 *db;

	db = tg_import(write_trace, &st);
	got = tg_query(db, "SELECT pid, fd, path FROM fds WHERE how != 'inherited' ORDER BY id");
	CHECK_STR(got, "100|3|/srv/www/b.txt\n"
		       "100|4|/etc/hosts\n"
		       "100|5|/var/log\n"
		       "100|6|/var/log/syslog\n"
		       "100|7|/srv/tmp/c.txt\n"
		       "100|8|/srv/tmp/d.txt\n"
		       "200|9|/e.txt\n"
		       "100|10|/var/log/f.txt\n"
		       "101|3|unknown.txt\n"
		       "102|3|no-cwd.txt");
	free(got);
	sqlite3_close(db);
	printf("paths: ok\n");
	return 0;
}
