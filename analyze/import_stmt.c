// SPDX-License-Identifier: GPL-2.0-only
#include "import_int.h"

static const char *const stmt_sql[IST_MAX] = {
	[IST_META] = "INSERT OR REPLACE INTO meta VALUES (?, ?)",
	[IST_SYSCALL_NAME] = "INSERT OR IGNORE INTO syscall_names VALUES (?, ?)",
	[IST_PROBE] = "INSERT INTO probes VALUES (?, ?, ?, ?, ?)",
	[IST_DROP] = "INSERT INTO drops VALUES (?, ?, ?)",
	[IST_DROP_WINDOW] = "INSERT INTO drop_windows VALUES (?, ?, ?, ?, ?)",
	[IST_PROCESS] = "INSERT INTO processes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[IST_THREAD] = "INSERT INTO threads VALUES (?, ?, ?, ?, ?, ?, ?)",
	[IST_THREAD_NAME] = "INSERT INTO thread_names VALUES (?, ?, ?, ?, ?, ?)",
	[IST_PROC_EVENT] = "INSERT INTO process_events VALUES "
			 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[IST_STAT] = "INSERT INTO syscall_stats VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[IST_HIST] = "INSERT INTO syscall_hist VALUES (?, ?, ?, ?, ?, ?)",
	[IST_SYSCALL_ARGV] = "INSERT INTO syscall_argv VALUES (?, ?)",
	[IST_SYSCALL_SOCK] = "INSERT INTO syscall_socks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[IST_TP] = "INSERT INTO tracepoints (id, system, event, table_name, filter, field_filter, "
		   "print_fmt) VALUES (?, ?, ?, ?, ?, ?, ?)",
	[IST_TP_FIELD] = "INSERT INTO tracepoint_fields VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[IST_TP_SYMBOL] = "INSERT INTO tracepoint_symbols VALUES (?, ?, ?, ?, ?)",
	[IST_TP_COUNT] = "UPDATE tracepoints SET count = ?, lost = ?, truncated = ? WHERE id = ?",
};

int ist_fail(sqlite3 *db, struct an_err *e, const char *what)
{
	return an_errf(e, "database: %s: %s", what, sqlite3_errmsg(db));
}

int ist_step_stmt(sqlite3 *db, struct an_err *e, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return ist_fail(db, e, what);
	return 0;
}

int ist_step(struct importer *im, enum ist_id id)
{
	return ist_step_stmt(im->db, im->e, im->st[id], stmt_sql[id]);
}

int ist_prepare(struct importer *im)
{
	size_t i;

	for (i = 0; i < IST_MAX; i++)
		if (sqlite3_prepare_v3(im->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &im->st[i],
				       NULL) != SQLITE_OK)
			return ist_fail(im->db, im->e, stmt_sql[i]);
	return 0;
}

void ist_finalize(struct importer *im)
{
	size_t i;

	for (i = 0; i < IST_MAX; i++)
		sqlite3_finalize(im->st[i]);
}
