// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hostile traces with valid CRCs: what a damaged or forged file may say
 * that a recorder never writes.
 *
 * Repeated metadata: a second META block names the syscalls again, one of
 * them differently, while an fd opened by a named call is still open (its
 * row points at that name). The first name of a number is kept, the
 * conflict is warned about, nothing is freed under the open fd (run under
 * ASan or valgrind: scripts/test-sanitize.sh). The rules: record/FORMAT.md,
 * "Recorder metadata".
 */
#include <stdio.h>
#include <stdlib.h>

#include "tracegen.h"

enum { NR_READ = 0, NR_WRITE = 1, NR_CLOSE = 3, NR_OPENAT = 257 };

#define AT_FDCWD_ ((uint64_t)-100)
#define MS(n) (1000000000ull + (uint64_t)(n)*1000000)

static const struct tg_name names[] = {
	{ NR_READ, "read" },
	{ NR_CLOSE, "close" },
	{ NR_OPENAT, "openat" },
};

/* the same table again, one name changed, one number added */
static const struct tg_name names_again[] = {
	{ NR_READ, "read" },
	{ NR_CLOSE, "dup" },
	{ NR_OPENAT, "openat" },
	{ NR_WRITE, "write" },
};

static void write_repeated_meta(const char *path)
{
	struct bf_writer *w = tg_open(path, 3);

	tg_kv(w, BF_BLK_META, BF_KEY_START_TS, "1000000000");
	TG_SYSCALL_NAMES(w, names);
	tg_proc(w, 100, 1, MS(-500), "sh", "/bin/sh", "sh", "/home/u");
	tg_thread(w, 100, 101, MS(-400), "worker");
	tg_fd(w, 100, 0, 0, "/dev/null");
	tg_syscall(w, MS(1), 1000, 100, 100, NR_OPENAT, 3, AT_FDCWD_, 0, 0, "a.txt");
	TG_SYSCALL_NAMES(w, names_again);
	tg_proc(w, 100, 1, MS(-500), "sh", "/bin/sh", "sh", "/home/u");
	tg_thread(w, 100, 101, MS(-400), "worker2");
	tg_fd(w, 100, 0, 0, "/dev/zero");
	tg_syscall(w, MS(2), 1000, 100, 100, NR_WRITE, 5, 3, 0, 5, NULL);
	tg_syscall(w, MS(3), 1000, 100, 100, NR_READ, 2, 0, 0, 2, NULL);
	tg_syscall(w, MS(4), 1000, 100, 100, NR_CLOSE, 0, 3, 0, 0, NULL);
	tg_kv(w, BF_BLK_STOP, BF_KEY_DURATION, "5000000");
	tg_close(w);
}

static void test_repeated_meta(void)
{
	struct im_stats st;
	sqlite3 *db = tg_import(write_repeated_meta, &st);
	char *got;

	CHECK(st.syscalls == 4);
	/* the second snapshot of pid 100 (same start) is the same process */
	CHECK(st.processes == 1);
	got = tg_query(db, "SELECT tid, pid, proc_id, comm FROM threads ORDER BY tid");
	CHECK_STR(got, "100|100|1|sh\n101|100|1|worker2");
	free(got);
	got = tg_query(db, "SELECT nr, name FROM syscall_names ORDER BY nr");
	CHECK_STR(got, "0|read\n1|write\n3|close\n257|openat");
	free(got);
	/* the second snapshot of fd 0 ends the first as reused */
	got = tg_query(db, "SELECT fd, path, how, reads, bytes_read, writes, bytes_written,"
			   " closed_how FROM fds ORDER BY id");
	CHECK_STR(got, "0|/dev/null|snapshot|0|0|0|0|reused\n"
		       "3|/home/u/a.txt|openat|0|0|1|5|close\n"
		       "0|/dev/zero|snapshot|1|2|0|0|NULL");
	free(got);
	got = tg_query(db, "SELECT value FROM meta WHERE key = 'salvage_warning'");
	CHECK_STR(got, "syscall 3 named 'close', then 'dup': kept the first "
		       "(1 conflicting syscall name ignored)");
	free(got);
	sqlite3_close(db);
}

int main(void)
{
	test_repeated_meta();
	printf("hostile: ok\n");
	return 0;
}
