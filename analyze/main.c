// SPDX-License-Identifier: GPL-2.0-only
/*
 * analyze: offline analysis of bpfrec traces with SQL.
 * Subcommands: import, report, reports, sql, info. Results go to stdout,
 * diagnostics to stderr; a bad command line exits 2, a failure 1.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dbopen.h"
#include "embedded.h"
#include "info.h"
#include "report.h"

#define EXIT_USAGE 2

struct cmd {
	const char *name;
	const char *usage;
	int (*run)(int argc, char **argv);
};

static const struct cmd *cur; /* for usage errors */

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "analyze: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cur)
		fprintf(stderr, "; usage: analyze %s%s%s\n", cur->name, *cur->usage ? " " : "",
			cur->usage);
	else
		fprintf(stderr, "; see 'analyze --help'\n");
	return EXIT_USAGE;
}

/* Report a failure on FILE once, as "analyze: FILE: reason". */
static int fail(const char *file, const struct an_err *e)
{
	if (file)
		fprintf(stderr, "analyze: %s: %s\n", file, e->msg);
	else
		fprintf(stderr, "analyze: %s\n", e->msg);
	return EXIT_FAILURE;
}

struct opts {
	const char *output;
	enum out_format format;
	struct rp_params params;
	char *pos[3];
	int npos;
};

enum { OPT_FORMAT = 'f', OPT_PID = 'p', OPT_COMM = 'c', OPT_OUTPUT = 'o', OPT_TIMESTAMP = 'T' };

/* Parse the options ALLOWED (getopt letters) plus positionals (NPOS of them). */
static int parse(int argc, char **argv, const char *allowed, int npos, struct opts *o)
{
	static const struct option longs[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "pid", required_argument, NULL, OPT_PID },
		{ "comm", required_argument, NULL, OPT_COMM },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "timestamp", no_argument, NULL, OPT_TIMESTAMP },
		{ 0 },
	};
	char shorts[16];
	int c, i;

	memset(o, 0, sizeof(*o));
	o->format = OUT_TABLE;
	/* leading ':' reports a missing value apart; opterr off: one message, ours */
	snprintf(shorts, sizeof(shorts), ":%s", "f:p:c:o:T");
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		char *end;

		if (c == '?')
			return usage_error("unknown option '%s'", argv[optind - 1]);
		if (c == ':')
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		if (!strchr(allowed, c)) {
			const struct option *l = longs;

			while (l->name && l->val != c)
				l++;
			return usage_error("option '--%s' does not apply here", l->name);
		}
		switch (c) {
		case OPT_FORMAT:
			if (out_parse_format(optarg, &o->format))
				return usage_error("unknown format '%s' (table, csv, json)", optarg);
			break;
		case OPT_PID:
			errno = 0;
			o->params.pid = strtoll(optarg, &end, 10);
			if (errno || end == optarg || *end || o->params.pid < 0)
				return usage_error("bad pid '%s'", optarg);
			o->params.has_pid = 1;
			break;
		case OPT_COMM:
			o->params.comm = optarg;
			break;
		case OPT_OUTPUT:
			o->output = optarg;
			break;
		case OPT_TIMESTAMP:
			o->params.timestamp = 1;
			break;
		}
	}
	for (i = optind; i < argc; i++) {
		if (o->npos == npos)
			return usage_error("unexpected argument '%s'", argv[i]);
		o->pos[o->npos++] = argv[i];
	}
	if (o->npos < npos)
		return usage_error("missing argument");
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmd_import(int argc, char **argv)
{
	struct im_stats st;
	struct an_err e;
	struct opts o;
	char *dbpath = NULL;
	double t0, dt;
	int ret;

	ret = parse(argc, argv, "o", 1, &o);
	if (ret)
		return ret;
	if (!o.output && asprintf(&dbpath, "%s.db", o.pos[0]) < 0)
		return fail(NULL, &(struct an_err){ "out of memory" });
	t0 = now_s();
	ret = db_import_file(o.pos[0], o.output ? o.output : dbpath, &st, &e);
	dt = now_s() - t0;
	if (!ret) {
		sqlite3 *db;

		fprintf(stderr,
			"analyze: imported %" PRIu64 " records (%" PRIu64 " syscalls, %" PRIu64
			" process events, %" PRIu64 " processes, %" PRIu64 " fds) into %s "
			"in %.2f s (%.0f records/s)\n",
			st.records, st.syscalls, st.process_events, st.processes, st.fds,
			o.output ? o.output : dbpath, dt, dt > 0 ? (double)st.records / dt : 0.0);
		if (!sqlite3_open_v2(o.output ? o.output : dbpath, &db, SQLITE_OPEN_READONLY, NULL))
			db_warn(db, o.pos[0]);
		sqlite3_close(db);
	}
	free(dbpath);
	return ret ? fail(o.pos[0], &e) : 0;
}

/* Open TRACE|DB for queries, printing its warnings once. */
static int open_input(const char *path, sqlite3 **db)
{
	struct an_err e;

	if (db_open_input(path, db, &e))
		return fail(path, &e);
	db_warn(*db, path);
	return 0;
}

/*
 * --comm matches the name a thread had at each call, known from the exec
 * and rename events: without them (no process group) it is the last known
 * name, which the user must be told.
 */
static void warn_comm(sqlite3 *db, const char *path)
{
	sqlite3_stmt *st;

	/* record -- CMD follows children with exec and fork even without the group */
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM probes WHERE name IN"
				   " ('sched_process_exec', 'task_rename')"
				   " AND status IN ('attached', 'fallback')", -1, &st, NULL))
		return;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) < 2)
		fprintf(stderr, "analyze: %s: recorded without the process group: --comm matches "
				"each process's last known name, not the name at each event\n",
			path);
	sqlite3_finalize(st);
}

/*
 * Query output held back (up to HELD_BUF bytes) until it is flushed to
 * stdout: while nothing went out, a query that found its database damaged
 * can run again on a new import without printing anything twice.
 */
#define HELD_BUF (1 << 16)

struct held {
	FILE *fp;
	int flushed;
	int discard;
};

static ssize_t held_write(void *cookie, const char *buf, size_t len)
{
	struct held *h = cookie;

	if (h->discard)
		return (ssize_t)len;
	h->flushed = 1;
	return fwrite(buf, 1, len, stdout) == len ? (ssize_t)len : -1;
}

static FILE *held_open(struct held *h)
{
	memset(h, 0, sizeof(*h));
	h->fp = fopencookie(h, "w", (cookie_io_functions_t){ .write = held_write });
	if (!h->fp || setvbuf(h->fp, NULL, _IOFBF, HELD_BUF)) {
		if (h->fp)
			fclose(h->fp);
		h->fp = stdout; /* unheld */
		h->flushed = 1;
	}
	return h->fp;
}

/* Flush, or DISCARD what is held; returns whether anything reached stdout. */
static int held_close(struct held *h, int discard)
{
	h->discard = discard;
	if (h->fp != stdout)
		fclose(h->fp);
	return h->flushed;
}

static int query(sqlite3 *db, const char *report, const char *sql, const struct opts *o,
		 FILE *fp, struct an_err *e)
{
	return report ? rp_run(db, report, &o->params, o->format, fp, e) :
			rp_run_sql(db, sql, &o->params, o->format, fp, e);
}

/* Open INPUT (a trace or a database), run REPORT or else SQL on it. */
static int run_query(const char *input, const char *report, const char *sql,
		     const struct opts *o)
{
	struct an_err e, de;
	struct held out;
	sqlite3 *db;
	int ret = open_input(input, &db), failed;

	if (ret)
		return ret;
	if (o->params.comm && !(report && rp_over_tracepoints(report)))
		warn_comm(db, input);
	failed = query(db, report, sql, o, held_open(&out), &e);
	if (!failed || !db_damaged(db)) {
		held_close(&out, 0);
	} else if (db_reopen_damaged(input, &db, &de)) {
		struct an_err qe = e;

		held_close(&out, 0);
		an_errf(&e, "%.200s (%.200s)", qe.msg, de.msg);
	} else if (!held_close(&out, 1)) {
		/* nothing printed yet: all of it from the new import */
		failed = query(db, report, sql, o, stdout, &e);
	}
	if (failed)
		ret = fail(report ? input : NULL, &e);
	sqlite3_close(db);
	return ret;
}

static int cmd_report(int argc, char **argv)
{
	struct opts o;
	int ret = parse(argc, argv, "fpcT", 2, &o);

	if (ret)
		return ret;
	if (!rp_find(o.pos[0]))
		return usage_error("no report '%s' (see 'analyze reports')", o.pos[0]);
	return run_query(o.pos[1], o.pos[0], NULL, &o);
}

static int cmd_reports(int argc, char **argv)
{
	struct opts o;
	int ret = parse(argc, argv, "", 0, &o);

	if (!ret)
		rp_list(stdout);
	return ret;
}

static int cmd_sql(int argc, char **argv)
{
	struct opts o;
	int ret = parse(argc, argv, "fpcT", 2, &o);

	return ret ?: run_query(o.pos[0], NULL, o.pos[1], &o);
}

static int cmd_info(int argc, char **argv)
{
	struct an_err e;
	struct opts o;
	int ret = parse(argc, argv, "", 1, &o);

	if (ret)
		return ret;
	return info_print(o.pos[0], stdout, &e) ? fail(o.pos[0], &e) : 0;
}

static const struct cmd cmds[] = {
	{ "import", "TRACE [-o DB]", cmd_import },
	{ "report",
	  "NAME TRACE|DB [--format table|csv|json] [--pid PID] [--comm COMM] [-T|--timestamp]",
	  cmd_report },
	{ "reports", "", cmd_reports },
	{ "sql",
	  "TRACE|DB \"SELECT ...\" [--format table|csv|json] [--pid PID] [--comm COMM] "
	  "[-T|--timestamp]",
	  cmd_sql },
	{ "info", "TRACE", cmd_info },
};

static void help(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage:\n");
	for (i = 0; i < AN_ARRAY_SIZE(cmds); i++)
		fprintf(fp, "  analyze %s%s%s\n", cmds[i].name, *cmds[i].usage ? " " : "",
			cmds[i].usage);
	fprintf(fp, "\nA TRACE given where a database is expected is imported into TRACE.db\n"
		    "(reused while the trace is unchanged). --pid and --comm bind the\n"
		    "report parameters :pid and :comm; -T/--timestamp sets :timestamp and\n"
		    "shows the wall-clock time column (UTC) of execsnoop, exitsnoop,\n"
		    "opensnoop, biosnoop, tcpconnect and tcpaccept. Schema version %d.\n",
		EMBED_SCHEMA_VERSION);
}

int main(int argc, char **argv)
{
	size_t i;

	db_init();
	if (argc < 2)
		return usage_error("missing command");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		help(stdout);
		return 0;
	}
	for (i = 0; i < AN_ARRAY_SIZE(cmds); i++) {
		if (!strcmp(argv[1], cmds[i].name)) {
			cur = &cmds[i];
			return cmds[i].run(argc - 1, argv + 1);
		}
	}
	return usage_error("unknown command '%s'", argv[1]);
}
