// SPDX-License-Identifier: GPL-2.0-only
/*
 * Error accounting (golden/errors-*.txt): which returns are errors and
 * what they are named. -errno of the generic ABI and the kernel-internal
 * codes (ERESTARTSYS 512 ... ERESTART_RESTARTBLOCK 516, as a pselect6 or
 * read interrupted by a signal returns them) are errors with a name;
 * rt_sigreturn's restored register (-4) and brk's break never are; mmap
 * is an error in -4095..-1 (ENOMEM) and an address elsewhere, even below
 * zero.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tracegen.h"

/* x86_64 numbers, but all the analyzer sees is this trace's table */
enum { NR_READ = 0, NR_MMAP = 9, NR_BRK = 12, NR_RT_SIGRETURN = 15, NR_MREMAP = 25,
       NR_PSELECT6 = 270 };

#define START 1000000000ull
#define MS(n) (START + (uint64_t)(n)*1000000)
#define US 1000

static const struct tg_name names[] = {
	{ NR_READ, "read" },	 { NR_MMAP, "mmap" },	  { NR_BRK, "brk" },
	{ NR_RT_SIGRETURN, "rt_sigreturn" }, { NR_MREMAP, "mremap" }, { NR_PSELECT6, "pselect6" },
};

static void call(struct bf_writer *w, int n, int32_t nr, int64_t ret)
{
	tg_syscall(w, MS(n), 1 * US, 100, 100, nr, ret, 0, 0, 0, NULL);
}

static void write_trace(const char *path)
{
	struct bf_writer *w = tg_open(path, 3);

	tg_kv(w, BF_BLK_META, BF_KEY_START_TS, "1000000000");
	TG_SYSCALL_NAMES(w, names);
	tg_proc(w, 100, 1, MS(-500), "srv", "/bin/srv", "srv", "/");
	call(w, 1, NR_PSELECT6, -514); /* ERESTARTNOHAND: a signal came */
	call(w, 2, NR_RT_SIGRETURN, -4); /* the handler returns: EINTR restored */
	call(w, 3, NR_PSELECT6, -4); /* EINTR, as the caller sees it */
	call(w, 4, NR_PSELECT6, 1);
	call(w, 5, NR_READ, -512); /* ERESTARTSYS */
	call(w, 6, NR_READ, -516); /* ERESTART_RESTARTBLOCK */
	call(w, 7, NR_READ, -133); /* EHWPOISON, the last generic errno */
	call(w, 8, NR_READ, -531); /* ENOGRACE, the last kernel-internal one */
	call(w, 9, NR_READ, -600); /* unnamed: shown as a number */
	call(w, 10, NR_RT_SIGRETURN, -4095); /* any register value */
	call(w, 11, NR_MMAP, -12); /* ENOMEM */
	call(w, 12, NR_MMAP, 0x7f0000000000ll);
	call(w, 13, NR_MMAP, -4096); /* an address in the top pages */
	call(w, 14, NR_MREMAP, -14); /* EFAULT */
	call(w, 15, NR_BRK, -12); /* the break, not -ENOMEM */
	tg_kv(w, BF_BLK_STOP, BF_KEY_DURATION, "20000000");
	tg_close(w);
}

int main(void)
{
	sqlite3 *db = tg_import(write_trace, NULL);
	char *rows, *got;

	CHECK_GOLDEN_REPORT(db, "top-syscalls", "golden/errors-top-syscalls.txt");
	rows = tg_query(db, "SELECT name, ret, coalesce(errno, '-'), coalesce(errno_name, '-')"
			    " FROM syscalls_named ORDER BY ts");
	CHECK(asprintf(&got, "name|ret|errno|errno_name\n%s\n", rows) > 0);
	CHECK_GOLDEN(got, "golden/errors-named.txt");
	free(rows);
	free(got);
	sqlite3_close(db);
	printf("errors: ok\n");
	return 0;
}
