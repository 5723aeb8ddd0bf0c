// SPDX-License-Identifier: GPL-2.0-only
/*
 * The descriptor table (bpf/records.def, bpf/groups.def) against its
 * consumers: every record type is checked by the reader and reaches its
 * import handler, types the table lacks are skipped (in the defined
 * ranges) or rejected (outside them), and every group has a name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace_reader.h"
#include "tracegen.h"

/* Every type of records.def, with its struct's size and whether it has a check. */
static const struct {
	unsigned type;
	const char *id;
	size_t struct_size;
	int checked; /* the reader checks its variable fields */
} types[] = {
#define EV(num, id, group, name, st, min_size, nstrs, nopt, check) \
	{ id, #id, sizeof(struct st), strcmp(#check, "none") != 0 },
#define META(num, id, name, st, min_size, nstrs, nopt, check) \
	{ id, #id, sizeof(struct st), strcmp(#check, "none") != 0 },
#include "records.def"
};

#define NTYPES (sizeof(types) / sizeof(types[0]))

static union {
	struct ev_hdr h;
	char bytes[1024];
} rec;

/*
 * The smallest valid record of TYPE: the fixed part zeroed, then its
 * strings ("s0", "s1", ...). A type whose reader check wants more needs
 * its fields set here.
 */
static const struct ev_hdr *sample(unsigned type)
{
	const struct bf_rec_desc *d = bf_rec_desc(type);
	size_t size = d->min_size;
	int i;

	memset(&rec, 0, sizeof(rec));
	rec.h.type = (uint16_t)type;
	rec.h.pid = rec.h.tid = 100;
	rec.h.ts = 1000 + type;
	for (i = 0; i < d->nstrs + d->nopt; i++)
		size += (size_t)sprintf(rec.bytes + size, "s%d", i) + 1;
	if (type == EV_EXEC) {
		struct ev_exec *x = (void *)&rec;

		x->filename_len = (uint16_t)(sprintf(rec.bytes + size, "/bin/sh") + 1);
		size += x->filename_len;
	}
	rec.h.size = (uint16_t)bf_align8((uint32_t)size);
	return &rec.h;
}

/* Each entry: its type's descriptor, a size its struct allows, a valid sample. */
static void test_table(void)
{
	struct an_err e;
	size_t i;

	CHECK(NTYPES > 0);
	for (i = 0; i < NTYPES; i++) {
		const struct bf_rec_desc *d = bf_rec_desc(types[i].type);

		CHECK(d && d->name[0]);
		/* a fixed part shorter than the struct: its tail needs a reader check */
		CHECK(d->min_size <= types[i].struct_size);
		CHECK(d->min_size == types[i].struct_size || types[i].checked);
		CHECK(tr_check_record(sample(types[i].type), &e) == 0);
		/* one byte short of the fixed part */
		rec.h.size = (uint16_t)(d->min_size - 1);
		CHECK(tr_check_record(&rec.h, &e) == -1 && strstr(e.msg, "below its layout"));
		if (d->nstrs) {
			sample(types[i].type);
			memset(rec.bytes + d->min_size, 'x', rec.h.size - d->min_size);
			CHECK(tr_check_record(&rec.h, &e) == -1 &&
			      strstr(e.msg, "unterminated string"));
		}
	}
	/* the number of table entries is the number of named types */
	for (i = 0; i < BF_TYPE_END; i++) {
		size_t j;

		if (!bf_rec_desc((uint32_t)i))
			continue;
		for (j = 0; j < NTYPES && types[j].type != i; j++)
			;
		CHECK(j < NTYPES);
	}
	for (i = 0; i < GRP_MAX; i++) {
		size_t j;

		CHECK(bf_group_names[i] && bf_group_labels[i]);
		CHECK(bf_group_parent[i] < (int)i); /* a subset follows its parent */
		for (j = 0; j < i; j++)
			CHECK(strcmp(bf_group_names[i], bf_group_names[j]));
	}
}

/* Outside the defined ranges a type is an error; inside, one to skip. */
static void test_unknown_types(void)
{
	static const unsigned bad[] = { 0, BF_TYPE_END, 200, 65535 };
	static const unsigned skip[] = { 50, BF_EV_TYPE_END - 1, 100, BF_TYPE_END - 1 };
	struct an_err e;
	size_t i;

	for (i = 0; i < AN_ARRAY_SIZE(bad); i++) {
		rec.h.type = (uint16_t)bad[i];
		rec.h.size = sizeof(rec.h);
		CHECK(tr_check_record(&rec.h, &e) == -1 && strstr(e.msg, "outside the defined"));
	}
	for (i = 0; i < AN_ARRAY_SIZE(skip); i++) {
		CHECK(!bf_rec_desc(skip[i]));
		rec.h.type = (uint16_t)skip[i];
		rec.h.size = sizeof(rec.h);
		CHECK(tr_check_record(&rec.h, &e) == 1);
	}
}

/* Counts of the records tr_read() hands out, by type. */
static int count(void *ctx, int kind, const struct ev_hdr *h)
{
	unsigned *n = ctx;

	(void)kind;
	n[h->type]++;
	return 0;
}

static int kind_of(unsigned type)
{
	if (type == META_DROPS)
		return BF_BLK_STOP;
	return type < BF_EV_TYPE_END ? BF_BLK_EVENTS : BF_BLK_META;
}

/* One sample of every type; with UNKNOWN, two of types the table lacks too. */
static void write_all(const char *path, int unknown)
{
	struct bf_writer *w = tg_open(path, 0);
	size_t i;

	for (i = 0; i < NTYPES; i++) {
		if (unknown && i == 1) {
			memset(&rec, 0, sizeof(rec));
			rec.h.size = 32;
			rec.h.type = 50;
			CHECK(bf_writer_append(w, BF_BLK_EVENTS, &rec) == 0);
			rec.h.type = 100;
			CHECK(bf_writer_append(w, BF_BLK_EVENTS, &rec) == 0);
		}
		CHECK(bf_writer_append(w, kind_of(types[i].type), sample(types[i].type)) == 0);
	}
	tg_close(w);
}

static void write_all_known(const char *path)
{
	write_all(path, 0);
}

static void test_read_skips(void)
{
	char path[] = "/tmp/test_records.XXXXXX";
	unsigned n[BF_TYPE_END] = { 0 };
	struct tr_reader *r;
	struct an_err e;
	size_t i;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	close(fd);
	write_all(path, 1);
	CHECK(tr_open(&r, path, &e) == 0);
	CHECK(tr_read(r, count, n, &e) == 0);
	CHECK(tr_get_info(r)->records == NTYPES + 2);
	CHECK(tr_get_info(r)->skipped_records == 2);
	CHECK(n[50] == 0 && n[100] == 0);
	for (i = 0; i < NTYPES; i++)
		CHECK(n[types[i].type] == 1);
	CHECK(tr_warning(r) && strstr(tr_warning(r), "skipped 2 records of types this "
							  "analyzer does not know"));
	tr_close(r);
	unlink(path);
}

/* SQL's rows, one a line, must be WANT. */
static void rows_are(sqlite3 *db, const char *sql, const char *want)
{
	char *got = tg_query(db, sql);

	CHECK_STR(got, want);
	free(got);
}

/* Every type reaches its handler: process events come out under the table's names. */
static void test_import_all(void)
{
	struct im_stats st;
	sqlite3 *db = tg_import(write_all_known, &st);
	char want[256] = "";
	size_t i;

	CHECK(st.records == NTYPES);
	for (i = 0; i < NTYPES; i++)
		if (bf_rec_descs[types[i].type].group == GRP_PROCESS)
			snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s%s",
				 want[0] ? "\n" : "", bf_rec_descs[types[i].type].name);
	rows_are(db, "SELECT type FROM process_events ORDER BY id", want);
	rows_are(db, "SELECT count(*) FROM syscall_rows", "1");
	rows_are(db, "SELECT key, value FROM meta WHERE key = 's0'", "s0|s1");
	rows_are(db, "SELECT nr, name FROM syscall_names", "0|s0");
	sqlite3_close(db);
}

int main(void)
{
	test_table();
	test_unknown_types();
	test_read_skips();
	test_import_all();
	printf("records: ok\n");
	return 0;
}
