// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "embedded.h"
#include "import_int.h"

/* The schema file run after the load: indexes are cheaper built once. */
#define SCHEMA_POST_LOAD "90-indexes"

int im_exec(sqlite3 *db, const char *sql, const char *what, struct an_err *e)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	an_errf(e, "%s: %s", what, msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return -1;
}

int isch_run(sqlite3 *db, int post_load, struct an_err *e)
{
	unsigned i;

	for (i = 0; i < embed_schema_count; i++) {
		const struct embed_file *f = &embed_schema[i];

		if ((strcmp(f->name, SCHEMA_POST_LOAD) == 0) != post_load)
			continue;
		if (im_exec(db, f->text, f->name, e))
			return -1;
	}
	return 0;
}

int isch_setup(sqlite3 *db, struct an_err *e)
{
	/*
	 * Nothing to recover from: a failed import is thrown away. Large
	 * pages: fewer b-tree pages to fill, balance and write per row.
	 */
	return im_exec(db,
		       "PRAGMA page_size = 65536; PRAGMA journal_mode = OFF;"
		       "PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;"
		       "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; BEGIN",
		       "setup", e) ?:
	       isch_run(db, 0, e);
}
