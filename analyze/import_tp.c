// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generic tracepoints: each META_TP makes a table tp_<system>_<event> laid
 * out by the format the trace carries (not this host's), rows in
 * tracepoints, tracepoint_fields and tracepoint_symbols; each ev_tp
 * becomes a row of its tracepoint's table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"
#include "tp_format.h"

#define ITP_HDR_COLS 4 /* common_ts, common_cpu, common_tgid, common_tid */

/* One recorded tracepoint. */
struct itp {
	uint32_t id;
	char *format; /* fmt points into it */
	struct tp_format fmt;
	char name[160]; /* system:event */
	sqlite3_stmt *ins;
	uint64_t count, lost, truncated;
};

static void itp_free(void *v)
{
	struct itp *t = v;

	sqlite3_finalize(t->ins);
	free(t->format);
	free(t);
}

void itp_fini(struct importer *im)
{
	hm_fini_free(&im->tps, itp_free);
}

static const char *const kind_sql[] = { "INTEGER", "INTEGER", "TEXT", "BLOB" };

/* SQL identifier characters only: tp_<system>_<event>. */
static void table_name(char *buf, size_t cap, const char *sys, const char *event)
{
	size_t n = (size_t)snprintf(buf, cap, "tp_%s_%s", sys, event);

	for (size_t i = 0; i < n && i < cap; i++)
		if (!(buf[i] == '_' || (buf[i] >= 'a' && buf[i] <= 'z') ||
		      (buf[i] >= 'A' && buf[i] <= 'Z') || (buf[i] >= '0' && buf[i] <= '9')))
			buf[i] = '_';
}

static int exec_sql(struct importer *im, const char *sql)
{
	return im_exec(im->db, sql, "tracepoint table", im->e);
}

/* CREATE TABLE and its INSERT, one column per field but the common ones. */
static int make_table(struct importer *im, struct itp *t, const char *table)
{
	char *create = sqlite3_mprintf("CREATE TABLE \"%w\" (common_ts INTEGER, common_cpu INTEGER, "
				       "common_tgid INTEGER, common_tid INTEGER",
				       table);
	char *ins = sqlite3_mprintf("INSERT INTO \"%w\" VALUES (?, ?, ?, ?", table);
	int ret;

	for (int i = 0; i < t->fmt.nfields && create && ins; i++) {
		const struct tpf_field *f = &t->fmt.fields[i];
		char *c, *s;

		if (f->flags & TPF_F_COMMON)
			continue;
		c = sqlite3_mprintf("%z, \"%w\" %s", create, f->name, kind_sql[f->kind]);
		s = sqlite3_mprintf("%z, ?", ins);
		create = c;
		ins = s;
	}
	create = create ? sqlite3_mprintf("%z)", create) : NULL;
	ins = ins ? sqlite3_mprintf("%z)", ins) : NULL;
	if (!create || !ins)
		ret = an_errf(im->e, "out of memory");
	else if (exec_sql(im, create))
		ret = -1;
	else if (sqlite3_prepare_v3(im->db, ins, -1, SQLITE_PREPARE_PERSISTENT, &t->ins, NULL))
		ret = ist_fail(im->db, im->e, ins);
	else
		ret = 0;
	sqlite3_free(create);
	sqlite3_free(ins);
	return ret;
}

static int table_exists(struct importer *im, const char *table)
{
	sqlite3_stmt *q;
	int found;

	if (sqlite3_prepare_v2(im->db, "SELECT 1 FROM sqlite_master WHERE name = ?", -1, &q, NULL))
		return ist_fail(im->db, im->e, "sqlite_master");
	sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
	found = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	return found;
}

static int put_fields(struct importer *im, const struct itp *t)
{
	sqlite3_stmt *s = im->st[IST_TP_FIELD];

	for (int i = 0; i < t->fmt.nfields; i++) {
		const struct tpf_field *f = &t->fmt.fields[i];

		ib_int(s, 1, t->id);
		ib_text(s, 2, t->name);
		ib_int(s, 3, i);
		ib_text(s, 4, f->name);
		ib_text(s, 5, f->type);
		ib_int(s, 6, f->offset);
		ib_int(s, 7, f->size);
		ib_int(s, 8, f->signed_flag);
		ib_int(s, 9, (f->flags & TPF_F_ARRAY) ? f->array_len : -1);
		ib_int(s, 10, !!(f->flags & (TPF_F_DATA_LOC | TPF_F_REL_LOC)));
		if (f->flags & TPF_F_COMMON)
			sqlite3_bind_null(s, 11);
		else
			ib_text(s, 11, f->kind == TPF_UINT ? "INTEGER unsigned" : kind_sql[f->kind]);
		if (ist_step(im, IST_TP_FIELD))
			return -1;
	}
	return 0;
}

struct sym_ctx {
	struct importer *im;
	const char *tp;
};

static int put_symbol(void *ctx, const char *field, int64_t value, const char *name,
		      size_t name_len, int is_flags)
{
	struct sym_ctx *c = ctx;
	sqlite3_stmt *s = c->im->st[IST_TP_SYMBOL];

	ib_text(s, 1, c->tp);
	ib_text(s, 2, field);
	ib_int(s, 3, value);
	ib_text_n(s, 4, name, name_len);
	ib_text(s, 5, is_flags ? "flags" : "symbolic");
	return ist_step(c->im, IST_TP_SYMBOL);
}

int im_on_meta_tp(struct importer *im, const struct meta_tp *m)
{
	const char *sys = m->strs, *event = tr_str(&m->h, sizeof(*m), 1);
	const char *format = tr_str(&m->h, sizeof(*m), 2);
	const char *filter = tr_str(&m->h, sizeof(*m), 3); /* "": none, or an older trace */
	struct sym_ctx sc = { im, NULL };
	sqlite3_stmt *s = im->st[IST_TP];
	char table[192];
	struct itp *t;
	int ret;

	if (hm_get(&im->tps, m->id))
		return 0; /* described twice: the first one holds */
	t = calloc(1, sizeof(*t));
	if (!t || !(t->format = strdup(format)))
		goto nomem;
	/* A format this parser cannot read: its events are left out, counted. */
	if (tpf_parse(t->format, &t->fmt)) {
		im->stats.tp_bad_formats++;
		itp_free(t);
		return 0;
	}
	if (hm_put(&im->tps, m->id, t))
		goto nomem;
	t->id = m->id;
	snprintf(t->name, sizeof(t->name), "%s:%s", sys, event);
	table_name(table, sizeof(table), sys, event);
	ret = table_exists(im, table);
	if (ret > 0) /* two names that sanitize alike */
		snprintf(table + strlen(table), sizeof(table) - strlen(table), "_%u", m->id);
	if (ret < 0 || make_table(im, t, table) || put_fields(im, t))
		return -1;
	ib_int(s, 1, m->id);
	ib_text(s, 2, sys);
	ib_text(s, 3, event);
	ib_text(s, 4, table);
	ib_text(s, 5, m->mode == TPF_ALL ? "all" : "current");
	if (*filter)
		ib_text(s, 6, filter);
	else
		sqlite3_bind_null(s, 6);
	ib_text(s, 7, t->fmt.print_fmt);
	if (ist_step(im, IST_TP))
		return -1;
	sc.tp = t->name;
	return tpf_symbols(t->fmt.print_fmt, put_symbol, &sc);
nomem:
	if (t)
		itp_free(t);
	return an_errf(im->e, "out of memory");
}

int im_on_meta_tp_drops(struct importer *im, const struct meta_tp_drops *m)
{
	struct itp *t = hm_get(&im->tps, m->id);

	if (t)
		t->lost += m->count;
	return 0;
}

int im_on_tp(struct importer *im, const struct ev_tp *ev)
{
	struct itp *t = im->last_tp && im->last_tp->id == ev->id ? im->last_tp :
								     hm_get(&im->tps, ev->id);
	const uint8_t *data = (const uint8_t *)(ev + 1);
	sqlite3_stmt *s;
	int col = ITP_HDR_COLS;

	if (!t) {
		im->stats.tp_undescribed++;
		return 0;
	}
	im->last_tp = t;
	s = t->ins;
	ib_int(s, 1, ev->h.ts);
	ib_int(s, 2, ev->h.cpu);
	ib_int(s, 3, ev->h.pid);
	ib_int(s, 4, ev->h.tid);
	for (int i = 0; i < t->fmt.nfields; i++) {
		const struct tpf_field *f = &t->fmt.fields[i];
		const uint8_t *p;
		size_t n;

		if (f->flags & TPF_F_COMMON)
			continue;
		col++;
		if (f->kind == TPF_INT || f->kind == TPF_UINT) {
			sqlite3_bind_int64(s, col, tpf_int(f, data, ev->len));
			continue;
		}
		p = tpf_bytes(f, data, ev->len, &n);
		if (!p)
			sqlite3_bind_null(s, col);
		else if (f->kind == TPF_TEXT)
			sqlite3_bind_text(s, col, (const char *)p, (int)n, SQLITE_STATIC);
		else
			sqlite3_bind_blob(s, col, p, (int)n, SQLITE_STATIC);
	}
	t->count++;
	im->stats.tp_events++;
	t->truncated += !!(ev->h.flags & EVF_TP_TRUNC);
	return ist_step_stmt(im->db, im->e, s, t->name);
}

int itp_finish(struct importer *im)
{
	sqlite3_stmt *s = im->st[IST_TP_COUNT];
	uint64_t key;
	size_t pos = 0;
	void *v;

	while (hm_next(&im->tps, &pos, &key, &v)) {
		const struct itp *t = v;

		ib_int(s, 1, (int64_t)t->count);
		ib_int(s, 2, (int64_t)t->lost);
		ib_int(s, 3, (int64_t)t->truncated);
		ib_int(s, 4, t->id);
		if (ist_step(im, IST_TP_COUNT))
			return -1;
	}
	if (im->stats.tp_undescribed &&
	    imeta_put_u64(im, "tracepoint_events_undescribed", im->stats.tp_undescribed))
		return -1;
	if (im->stats.tp_bad_formats &&
	    imeta_put_u64(im, "tracepoint_formats_unreadable", im->stats.tp_bad_formats))
		return -1;
	return 0;
}
