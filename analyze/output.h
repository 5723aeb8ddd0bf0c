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

/* "table", "csv", "json" -> *F; -1 for anything else. */
int out_parse_format(const char *name, enum out_format *f);

/*
 * Print every row of ST to FP, without the columns whose bit is set in
 * HIDE (column 0: bit 0). Returns 0 or -1 with E set (SQL error).
 */
int out_write(sqlite3_stmt *st, enum out_format f, uint64_t hide, FILE *fp, struct an_err *e);

#endif /* AN_OUTPUT_H */
