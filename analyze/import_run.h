/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Multi-row insert engine. Syscall rows are nearly all of a trace, and
 * SQLite's cost per row grows with every bound parameter (~15 ns) and
 * every statement step (~150 ns, about ten parameters). So rows are
 * inserted in runs of up to IRUN_MAX, as few multi-row INSERTs as possible
 * (1, 2, 4, ... IRUN_MAX rows each), naming only the columns some row of
 * the run has a value for: the others default to NULL without a bind. A
 * shape is such a set of columns; the statements of each (shape, row
 * count) are prepared when first needed.
 */
#ifndef AN_IMPORT_RUN_H
#define AN_IMPORT_RUN_H

#include <sqlite3.h>
#include <stdio.h>

#include "common.h"

/* Shape bits (the syscall_rows columns; fds rows have one shape, 0). */
enum {
	IRUN_NARGS = 0x07, /* a count, not a set: a0 .. a(n-1) */
	IRUN_EXIT = 0x08, /* dur_ns */
	IRUN_PATH = 0x10,
	IRUN_PATH2 = 0x20,
	IRUN_FD = 0x40, /* fd_id */
	IRUN_SHAPES = 0x80,
};

#define IRUN_LOG 5
#define IRUN_MAX (1u << IRUN_LOG)

/*
 * How to insert one table's rows in runs. A table whose rows all bind
 * every column (one shape) gives TABLE and NCOLS instead of the two
 * callbacks.
 */
struct irun_ops {
	const char *what; /* for errors */
	size_t row_size;
	unsigned (*columns)(unsigned shape); /* columns in a row of SHAPE */
	/* "INSERT INTO t (c, ...)" for SHAPE, in the order bind() binds */
	void (*head)(FILE *f, unsigned shape);
	const char *table; /* without callbacks: "INSERT INTO table" */
	unsigned ncols; /* and its every column */
	/* bind ROW for SHAPE from parameter COL on; returns the next one */
	int (*bind)(sqlite3_stmt *s, int col, const void *row, unsigned shape);
};

struct irun {
	const struct irun_ops *ops;
	void *rows; /* IRUN_MAX rows of ops->row_size */
	unsigned len, shape;
	sqlite3 *db;
	struct an_err *e;
	sqlite3_stmt *st[IRUN_SHAPES][IRUN_LOG + 1]; /* by shape and log2 of the row count */
};

/* ROWS: room for IRUN_MAX rows of OPS->row_size. */
void irun_init(struct irun *ru, const struct irun_ops *ops, void *rows, sqlite3 *db,
	       struct an_err *e);
/* Make room in the run for a row of SHAPE; returns the row, NULL with E set. */
void *irun_add(struct irun *ru, unsigned shape);
/* Insert the rows of the run, in order; -1 with E set. */
int irun_flush(struct irun *ru);
void irun_fini(struct irun *ru);

#endif /* AN_IMPORT_RUN_H */
