/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Result formatting: steps a prepared statement to completion and prints
 * its rows as an aligned table, RFC 4180 CSV or a JSON array of objects.
 */
#ifndef AN_OUTPUT_H
#define AN_OUTPUT_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

#include "common.h"

enum out_format {
	OUT_TABLE,
	OUT_CSV,
	OUT_JSON,
};

/* Whether a column is printed (a report's @hide directives, report.c). */
enum out_col {
	OUT_COL_SHOW,
	OUT_COL_HIDE,
	OUT_COL_HIDE_NULL, /* hidden when NULL in every row; table only */
};

/* "table", "csv", "json" -> *F; -1 for anything else. */
int out_parse_format(const char *name, enum out_format *f);
const char *out_format_name(enum out_format f);

/*
 * Print every row of ST to FP, the columns SHOW (one enum out_col per
 * column, NULL: all) lets through. Returns 0 or -1 with E set (SQL error).
 */
int out_write(sqlite3_stmt *st, enum out_format f, const uint8_t *show, FILE *fp,
	      struct an_err *e);

#endif /* AN_OUTPUT_H */
