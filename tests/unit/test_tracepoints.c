// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generic tracepoints decode by the layout the trace carries (META_TP),
 * not this host's: the same values laid out two ways (fields moved, one
 * added) read the same; signedness follows the C type over the format's
 * flag (int sig is flagged unsigned); char arrays and __data_loc strings are text; unsigned 64-bit
 * values keep their bits; the print fmt's name tables reach
 * tracepoint_symbols.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tp_format.h"
#include "tracegen.h"

#define ID 900

/* The layout of this kernel, more or less. */
static const char fmt_a[] =
	"name: thing\nID: 900\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:int sig;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:char comm[16];\toffset:12;\tsize:16;\tsigned:0;\n"
	"\tfield:__data_loc char[] path;\toffset:28;\tsize:4;\tsigned:0;\n"
	"\tfield:void * addr;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\tfield:int dfd;\toffset:40;\tsize:8;\tsigned:0;\n"
	"\tfield:__u8 saddr[4];\toffset:48;\tsize:4;\tsigned:0;\n\n"
	"print fmt: \"sig=%d state=%s flags=%s\", REC->sig, "
	"__print_symbolic(REC->sig, { 1, \"ONE\" }, { 0x2, \"TWO\" }, { (1 << 2), \"EXPR\" }), "
	"__print_flags(REC->dfd & (1 | 2), \"|\", { 0x01, \"R\" }, { 0x02UL, \"W\" })\n";

/* The same event on another kernel: every field moved, one added. */
static const char fmt_b[] =
	"name: thing\nID: 900\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:void * addr;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:__data_loc char[] path;\toffset:24;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned int extra;\toffset:28;\tsize:4;\tsigned:0;\n"
	"\tfield:__u8 saddr[4];\toffset:32;\tsize:4;\tsigned:0;\n"
	"\tfield:char comm[16];\toffset:36;\tsize:16;\tsigned:0;\n"
	"\tfield:int sig;\toffset:52;\tsize:4;\tsigned:0;\n\n"
	"print fmt: \"sig=%d\", REC->sig\n";

static const uint64_t addr = 0xffff888812345678ull;
static const char path[] = "/tmp/x y";

static void put(uint8_t *e, size_t off, const void *v, size_t n)
{
	memcpy(e + off, v, n);
}

/* One entry in the layout of FMT (A or B): the same values either way. */
static uint16_t entry(uint8_t *e, int b)
{
	int32_t sig = -5, extra = 7;
	/* AT_FDCWD in 8 bytes flagged unsigned, as syscall tracepoints keep an
	 * int: zero-extended (it reads -100 by its C type, not 4294967196) */
	uint64_t dfd = (uint32_t)-100;
	uint8_t saddr[4] = { 127, 0, 0, 1 };
	size_t fixed = b ? 56 : 52, plen = sizeof(path);
	uint32_t loc = (uint32_t)(plen << 16 | fixed);

	memset(e, 0, 128);
	put(e, b ? 52 : 8, &sig, 4);
	put(e, b ? 36 : 12, "hello", 6);
	put(e, b ? 24 : 28, &loc, 4);
	put(e, b ? 8 : 32, &addr, 8);
	put(e, b ? 16 : 40, &dfd, 8);
	put(e, b ? 32 : 48, saddr, 4);
	if (b)
		put(e, 28, &extra, 4);
	put(e, fixed, path, plen);
	return (uint16_t)(fixed + plen);
}

static void write_layout(const char *tpath, int b)
{
	struct bf_writer *w = tg_open(tpath, 1);
	uint8_t e[128];
	uint16_t len = entry(e, b);

	tg_tp_meta(w, ID, "demo", "thing", b ? fmt_b : fmt_a);
	tg_tp(w, 1000, 10, 11, ID, e, len);
	tg_tp(w, 2000, 10, 12, ID, e, len);
	tg_tp(w, 3000, 10, 12, ID + 1, e, len); /* no META_TP: left out, counted */
	/* a __data_loc pointing past the record is cut, not read beyond it */
	tg_tp(w, 4000, 10, 13, ID, e, (uint16_t)(len - 3));
	tg_close(w);
}

static void write_a(const char *p)
{
	write_layout(p, 0);
}

static void write_b(const char *p)
{
	write_layout(p, 1);
}

static void rows_are(sqlite3 *db, const char *sql, const char *want)
{
	char *got = tg_query(db, sql);

	CHECK_STR(got, want);
	free(got);
}

static const char *const same_rows =
	"1000|10|11|-5|hello|/tmp/x y|ffff888812345678|-100|7F000001\n"
	"2000|10|12|-5|hello|/tmp/x y|ffff888812345678|-100|7F000001\n"
	"4000|10|13|-5|hello|/tmp/x|ffff888812345678|-100|7F000001";
static const char *const query =
	"SELECT common_ts, common_tgid, common_tid, sig, comm, path, printf('%x', addr), "
	"dfd, hex(saddr) FROM tp_demo_thing ORDER BY common_ts";

static void test_layouts(void)
{
	struct im_stats st;
	sqlite3 *a = tg_import(write_a, &st), *b;

	CHECK(st.tp_events == 3 && st.tp_undescribed == 1);
	rows_are(a, query, same_rows);
	rows_are(a, "SELECT addr < 0, typeof(path), typeof(saddr) FROM tp_demo_thing LIMIT 1",
		 "1|text|blob");
	rows_are(a, "SELECT system, event, table_name, count, lost FROM tracepoints",
		 "demo|thing|tp_demo_thing|3|0");
	rows_are(a, "SELECT value FROM meta WHERE key = 'tracepoint_events_undescribed'", "1");
	rows_are(a, "SELECT group_concat(field || ':' || sql_type, ' ') FROM tracepoint_fields "
		    "WHERE sql_type IS NOT NULL",
		 "sig:INTEGER comm:TEXT path:TEXT addr:INTEGER unsigned dfd:INTEGER "
		 "saddr:BLOB");
	/* the (1 << 2) entry is an expression: left out, not guessed */
	rows_are(a, "SELECT field, value, name, kind FROM tracepoint_symbols ORDER BY rowid",
		 "sig|1|ONE|symbolic\nsig|2|TWO|symbolic\ndfd|1|R|flags\ndfd|2|W|flags");
	b = tg_import(write_b, &st);
	rows_are(b, query, same_rows);
	rows_are(b, "SELECT DISTINCT extra FROM tp_demo_thing", "7");
	rows_are(b, "SELECT count(*) FROM tracepoint_symbols", "0");
	sqlite3_close(a);
	sqlite3_close(b);
}

/* sched_switch's print fmt as this kernel gives it: prev_state's flag names. */
static int collect(void *ctx, const char *field, int64_t value, const char *name,
		   size_t name_len, int is_flags)
{
	char *out = ctx;

	snprintf(out + strlen(out), 512 - strlen(out), "%s%s=%lld:%.*s%s", *out ? " " : "",
		 field, (long long)value, (int)name_len, name, is_flags ? "" : "!");
	return 0;
}

static void test_kernel_print_fmt(void)
{
	static const char pf[] =
		"\"prev_state=%s%s\", (REC->prev_state & ((((0x00000000 | 0x00000001) + 1) << 1) - 1)) ? "
		"__print_flags(REC->prev_state & ((((0x00000000 | 0x00000001 | 0x00000002) + 1) << 1) - 1), "
		"\"|\", { 0x00000001, \"S\" }, { 0x00000002, \"D\" }, { 0x00000080, \"I\" }) : \"R\", "
		"__print_symbolic(REC->newstate, { 1, \"TCP_ESTABLISHED\" }, { 12, \"TCP_NEW_SYN_RECV\" })";
	char out[512] = "";

	CHECK(tpf_symbols(pf, collect, out) == 0);
	CHECK_STR(out, "prev_state=1:S prev_state=2:D prev_state=128:I "
		       "newstate=1:TCP_ESTABLISHED! newstate=12:TCP_NEW_SYN_RECV!");
}

int main(void)
{
	test_layouts();
	test_kernel_print_fmt();
	printf("tracepoints: ok\n");
	return 0;
}
