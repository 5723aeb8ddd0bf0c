// SPDX-License-Identifier: GPL-2.0-only
/*
 * Traced strings reach the table format escaped: a file named with a
 * screen-clearing escape sequence, a newline that would forge a row, a
 * tab, DEL, a C1 CSI, bytes that are not UTF-8, bidi controls that would
 * reorder a name (Trojan Source), line and paragraph separators that would
 * break a row, and a backslash; valid UTF-8 stays as it
 * is and the columns line up on the escaped form (analyze/term_escape.h).
 * CSV keeps the bytes (RFC 4180 quoting).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "term_escape.h"
#include "tracegen.h"

enum { NR_EXECVE = 59, NR_OPENAT = 257 };

#define AT_FDCWD_ ((uint64_t)-100)
#define MS(n) (1000000000ull + (uint64_t)(n)*1000000)

static const struct tg_name names[] = {
	{ NR_EXECVE, "execve" },
	{ NR_OPENAT, "openat" },
};

static void write_trace(const char *path)
{
	struct bf_writer *w = TG_START(path, names);

	tg_proc(w, 100, 1, MS(-500), "e\x1b[2Jvil", "/bin/sh", "sh", "/");
	tg_syscall(w, MS(1), 1000, 100, 100, NR_OPENAT, 3, AT_FDCWD_, 0, 0, "/a\x1b[2J");
	tg_syscall(w, MS(2), 1000, 100, 100, NR_OPENAT, 4, AT_FDCWD_, 0, 0,
		   "/b\n 0.003  100  100  sh  5  0x0  /forged");
	tg_syscall(w, MS(3), 1000, 100, 100, NR_OPENAT, 5, AT_FDCWD_, 0, 0, "/c\td\x7f");
	tg_syscall(w, MS(4), 1000, 100, 100, NR_OPENAT, 6, AT_FDCWD_, 0, 0,
		   "/d\xff\xfe\xc3(\xc2\x9b" "31m");
	tg_syscall(w, MS(5), 1000, 100, 100, NR_OPENAT, 7, AT_FDCWD_, 0, 0, "/é✓\\n");
	tg_fork(w, MS(6), 100, 200, "e\x1b[2Jvil", 0);
	tg_exec(w, MS(7), 200, "/bin/\r\x01x", "x\0-\x1b]0;title\x07", 14, "t\tab");
	tg_syscall(w, MS(7) - 1000, 2000, 200, 200, NR_EXECVE, 0, 0, 0, 0, "/bin/\r\x01x");
	/* "a<RLO>gpj.exe" would show as "aexe.jpg" */
	tg_proc(w, 300, 1, MS(-500), "a\u202egpj.exe", "/bin/sh", "sh", "/");
	tg_syscall(w, MS(8), 1000, 300, 300, NR_OPENAT, 3, AT_FDCWD_, 0, 0,
		   "/x\u202egnp.sh\u202c");
	/* U+2028/U+2029 may break the row as a newline would */
	tg_syscall(w, MS(9), 1000, 300, 300, NR_OPENAT, 4, AT_FDCWD_, 0, 0,
		   "/l\u2028 0.010  300  300  sh  5\u2029/p");
	tg_kv(w, BF_BLK_STOP, BF_KEY_DURATION, "10000000");
	tg_close(w);
}

static char *run_sql(sqlite3 *db, const char *sql, enum out_format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct an_err e;

	CHECK(fp && rp_run_sql(db, sql, NULL, f, fp, &e) == 0);
	fclose(fp);
	return buf;
}

/* Each bidi control and line or paragraph separator is escaped, their
 * neighbours in the code space are not. */
static void check_bidi(void)
{
	static const char *const bidi[] = { "\u061c", "\u200e", "\u200f", "\u202a",
					    "\u202b", "\u202c", "\u202d", "\u202e",
					    "\u2066", "\u2067", "\u2068", "\u2069",
					    "\u2028", "\u2029" };
	static const char *const kept[] = { "\u061b", "\u061d", "\u200d", "\u2010", "\u2027",
					    "\u202f", "\u2065", "\u206a" };
	char buf[3 * TE_MAX_GROWTH + 1], want[sizeof(buf)];
	unsigned width, i;
	size_t n;

	for (i = 0; i < sizeof(bidi) / sizeof(bidi[0]); i++) {
		const unsigned char *b = (const unsigned char *)bidi[i];

		CHECK(te_needed(bidi[i], strlen(bidi[i])));
		n = te_escape(buf, bidi[i], strlen(bidi[i]), &width);
		buf[n] = 0;
		if (b[2])
			snprintf(want, sizeof(want), "\\x%02x\\x%02x\\x%02x", b[0], b[1], b[2]);
		else
			snprintf(want, sizeof(want), "\\x%02x\\x%02x", b[0], b[1]);
		CHECK_STR(buf, want);
		CHECK(width == strlen(want));
	}
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		CHECK(!te_needed(kept[i], strlen(kept[i])));
		n = te_escape(buf, kept[i], strlen(kept[i]), &width);
		buf[n] = 0;
		CHECK_STR(buf, kept[i]);
		CHECK(width == 1);
	}
}

int main(void)
{
	sqlite3 *db = tg_import(write_trace, NULL);
	char *got;

	CHECK_GOLDEN_REPORT(db, "opensnoop", "golden/escape-opensnoop.txt");
	CHECK_GOLDEN_REPORT(db, "execsnoop", "golden/escape-execsnoop.txt");
	/* column names too; a blob's bytes; NULL stays empty */
	got = run_sql(db, "SELECT 'a' AS \"new\nline\", x'00ff41' AS b, NULL AS n", OUT_TABLE);
	CHECK_STR(got, "new\\nline  b          n\n"
		       "---------  ---------  -\n"
		       "a          \\x00\\xffA\n");
	free(got);
	/* csv is not the terminal's: the bytes, quoted */
	got = run_sql(db, "SELECT path FROM fds WHERE fd = 4 AND pid = 100", OUT_CSV);
	CHECK_STR(got, "path\n\"/b\n 0.003  100  100  sh  5  0x0  /forged\"\n");
	free(got);
	sqlite3_close(db);
	check_bidi();
	printf("escape: ok\n");
	return 0;
}
