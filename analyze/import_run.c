// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>

#include "import_run.h"
#include "import_stmt.h"

/* Widen a run's shape while that costs fewer NULL binds than this. */
#define IRUN_WIDEN_MAX 12

static unsigned columns(const struct irun_ops *ops, unsigned shape)
{
	return ops->columns ? ops->columns(shape) : ops->ncols;
}

/* "HEAD VALUES (?, ...), ..." for N rows of SHAPE. */
static char *run_sql(const struct irun_ops *ops, unsigned shape, unsigned n)
{
	unsigned i, ncol = columns(ops, shape);
	size_t len = 0;
	char *sql = NULL;
	FILE *f = open_memstream(&sql, &len);

	if (!f)
		return NULL;
	if (ops->head)
		ops->head(f, shape);
	else
		fprintf(f, "INSERT INTO %s", ops->table);
	fputs(" VALUES ", f);
	for (i = 0; i < n * ncol; i++)
		fputs(i % ncol ? ", ?" : i ? "), (?" : "(?", f);
	fputc(')', f);
	if (fclose(f)) {
		free(sql);
		return NULL;
	}
	return sql;
}

/* The statement inserting 2^LG rows of the run's shape. */
static sqlite3_stmt *run_stmt(struct irun *ru, unsigned lg)
{
	sqlite3_stmt **sp = &ru->st[ru->shape][lg];
	char *sql;
	int rc;

	if (*sp)
		return *sp;
	sql = run_sql(ru->ops, ru->shape, 1u << lg);
	if (!sql) {
		an_errf(ru->e, "out of memory");
		return NULL;
	}
	rc = sqlite3_prepare_v3(ru->db, sql, -1, SQLITE_PREPARE_PERSISTENT, sp, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		ist_fail(ru->db, ru->e, ru->ops->what);
		return NULL;
	}
	return *sp;
}

int irun_flush(struct irun *ru)
{
	const char *row = ru->rows;
	unsigned left = ru->len;

	ru->len = 0;
	while (left) {
		unsigned lg = 31 - (unsigned)__builtin_clz(left), n = 1u << lg, i;
		sqlite3_stmt *s = run_stmt(ru, lg);
		int col = 1;

		if (!s)
			return -1;
		for (i = 0; i < n; i++, row += ru->ops->row_size)
			col = ru->ops->bind(s, col, row, ru->shape);
		if (ist_step_stmt(ru->db, ru->e, s, ru->ops->what))
			return -1;
		left -= n;
	}
	return 0;
}

/* The smallest shape holding the columns of shapes A and B. */
static unsigned shape_union(unsigned a, unsigned b)
{
	unsigned nargs = (a & IRUN_NARGS) > (b & IRUN_NARGS) ? a & IRUN_NARGS : b & IRUN_NARGS;

	return ((a | b) & ~IRUN_NARGS) | nargs;
}

void *irun_add(struct irun *ru, unsigned shape)
{
	unsigned wide = shape_union(ru->shape, shape);

	if (ru->len == IRUN_MAX ||
	    (ru->len &&
	     (columns(ru->ops, wide) - columns(ru->ops, ru->shape)) * ru->len > IRUN_WIDEN_MAX)) {
		if (irun_flush(ru))
			return NULL;
	}
	ru->shape = ru->len ? wide : shape;
	return (char *)ru->rows + ru->len++ * ru->ops->row_size;
}

void irun_init(struct irun *ru, const struct irun_ops *ops, void *rows, sqlite3 *db,
	       struct an_err *e)
{
	ru->db = db;
	ru->e = e;
	ru->ops = ops;
	ru->rows = rows;
}

void irun_fini(struct irun *ru)
{
	unsigned i, j;

	for (i = 0; i < IRUN_SHAPES; i++)
		for (j = 0; j <= IRUN_LOG; j++)
			sqlite3_finalize(ru->st[i][j]);
}
