// SPDX-License-Identifier: GPL-2.0-only
/*
 * The trace format's layouts against their documentation and their
 * version. Three views must agree:
 *   - the C structs (offsetof/sizeof of every field) and the record types
 *     of bpf/records.def, each of which FORMAT.md must document,
 *   - the tables of record/FORMAT.md (a heading naming `struct X`, then
 *     rows "| offset | size | field | meaning |"),
 *   - tests/unit/layout/vN.txt for N = BF_VERSION, the committed listing
 *     of that version: a layout change without a version bump fails here.
 * Usage: test_layout FORMAT.md LAYOUT_DIR
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_format.h"

struct field {
	const char *st;
	const char *name;
	size_t off;
	size_t size; /* 0: variable tail (a flexible array member) */
};

#define F(s, f) { #s, #f, offsetof(struct s, f), sizeof(((struct s *)0)->f) }
#define TAIL(s, f) { #s, #f, offsetof(struct s, f), 0 }

/* Every field of every on-disk struct, in order. */
static const struct field fields[] = {
	F(bf_file_hdr, magic), F(bf_file_hdr, version), F(bf_file_hdr, hdr_size),
	F(bf_file_hdr, flags), F(bf_file_hdr, created_ns),

	F(bf_block_hdr, magic), F(bf_block_hdr, kind), F(bf_block_hdr, codec),
	F(bf_block_hdr, reserved), F(bf_block_hdr, raw_len), F(bf_block_hdr, stored_len),
	F(bf_block_hdr, nrecords), F(bf_block_hdr, crc32),

	F(ev_hdr, type), F(ev_hdr, size), F(ev_hdr, cpu), F(ev_hdr, flags), F(ev_hdr, pid),
	F(ev_hdr, tid), F(ev_hdr, ts),

	F(ev_syscall, h), F(ev_syscall, exit_ts), F(ev_syscall, ret), F(ev_syscall, nr),
	F(ev_syscall, nargs), F(ev_syscall, tail_kind), F(ev_syscall, tail_len),
	F(ev_syscall, args),

	F(ev_fdpair, fds), F(ev_fdpair, ino),

	F(ev_sock, ino), F(ev_sock, family), F(ev_sock, type), F(ev_sock, protocol),
	F(ev_sock, lport), F(ev_sock, rport), F(ev_sock, pad), F(ev_sock, laddr),
	F(ev_sock, raddr),

	F(ev_exec, h), F(ev_exec, old_tid), F(ev_exec, filename_len), F(ev_exec, args_len),
	F(ev_exec, comm),

	F(ev_fork, h), F(ev_fork, child_pid), F(ev_fork, child_tid), F(ev_fork, clone_flags),
	F(ev_fork, comm),

	F(ev_exit, h), F(ev_exit, exit_code), F(ev_exit, group_dead), F(ev_exit, start_ts),
	F(ev_exit, comm),

	F(ev_free, h),

	F(ev_rename, h), F(ev_rename, oldcomm), F(ev_rename, newcomm),

	F(meta_kv, h), TAIL(meta_kv, strs),

	F(meta_syscall, h), F(meta_syscall, nr), F(meta_syscall, nargs), TAIL(meta_syscall, name),

	F(meta_proc, h), F(meta_proc, ppid), F(meta_proc, uid), F(meta_proc, comm),
	TAIL(meta_proc, strs),

	F(meta_thread, h), F(meta_thread, comm),

	F(meta_fd, h), F(meta_fd, fd), F(meta_fd, flags), F(meta_fd, pos), TAIL(meta_fd, path),

	F(meta_probe, h), F(meta_probe, status), F(meta_probe, group), TAIL(meta_probe, strs),

	F(meta_drops, h), F(meta_drops, group), F(meta_drops, pad), F(meta_drops, count),
	F(ev_tp, h), F(ev_tp, id), F(ev_tp, len), F(ev_tp, pad),
	F(meta_tp, h), F(meta_tp, id), F(meta_tp, mode), TAIL(meta_tp, strs),
	F(meta_tp_drops, h), F(meta_tp_drops, id), F(meta_tp_drops, pad),
	F(meta_tp_drops, count),

	F(meta_drop_window, h), F(meta_drop_window, group), F(meta_drop_window, pad),
	F(meta_drop_window, start_ts), F(meta_drop_window, count),
};

struct st_size {
	const char *st;
	size_t size;
};

#define S(s) { #s, sizeof(struct s) },
#define EV(num, id, group, name, st, ...) S(st)
#define META(num, id, name, st, ...) S(st)

/* The block and record headers, then the struct of every record type. */
static const struct st_size sizes[] = {
	S(bf_file_hdr) S(bf_block_hdr) S(ev_hdr) S(ev_fdpair) S(ev_sock)
#include "records.def"
};

struct rec_type {
	const char *name;
	unsigned type;
	const char *st;
};

#define EV(num, id, group, name, st, ...) { #id, id, #st },
#define META(num, id, name, st, ...) { #id, id, #st },

/* Every record type of bpf/records.def and the struct it is laid out as. */
static const struct rec_type types[] = {
#include "records.def"
};

struct constant {
	const char *name;
	long long value;
};

#define C(c) { #c, (long long)(c) }

/* Constants whose value is part of the format. */
static const struct constant constants[] = {
	C(BF_BLOCK_MAGIC), C(BF_BLK_META),	C(BF_BLK_EVENTS),   C(BF_BLK_STOP),
	C(BF_CODEC_NONE),  C(BF_CODEC_ZSTD),	C(EV_SYSCALL_FIXED), C(TAIL_NONE),
	C(TAIL_PATHS),	   C(TAIL_FDPAIR),	C(BPFREC_COMM_LEN),  C(BPFREC_PATH_MAX),
	C(BPFREC_ARGS_MAX), C(PROBE_ATTACHED), C(PROBE_FALLBACK),  C(PROBE_FAILED),
	C(PROBE_SKIPPED),  C(TAIL_SOCK),	C(TAIL_EXEC),	     C(EVF_PATH_LOST),
	C(EVF_PATH2_LOST), C(EVF_TP_TRUNC), C(TP_DATA_MAX), C(TPF_CURRENT), C(TPF_ALL),
	C(TAIL_SOCKADDR), C(BPFREC_SOCKADDR_MAX),
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void addf(char **buf, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failures++;
}

/* Append to a growing string. */
static void addf(char **buf, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	*buf = realloc(*buf, *len + (size_t)n + 1);
	if (!*buf)
		abort();
	va_start(ap, fmt);
	vsnprintf(*buf + *len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	*len += (size_t)n;
}

/* Structs in name order: the listing does not depend on records.def's order. */
static int by_name(const void *a, const void *b)
{
	return strcmp(sizes[*(const size_t *)a].st, sizes[*(const size_t *)b].st);
}

/*
 * The listing of the C layouts: "struct NAME SIZE", its fields
 * "  FIELD OFFSET SIZE|var", then "type NAME NUMBER STRUCT" and "const NAME
 * VALUE" lines. The
 * fields of a struct must tile it exactly (padding is a named field), so
 * a field added to a struct but not to this file shows up as a gap.
 */
static char *c_listing(void)
{
	char *buf = NULL;
	size_t len = 0, i, j, k, order[ARRAY_SIZE(sizes)];

	for (k = 0; k < ARRAY_SIZE(sizes); k++)
		order[k] = k;

	addf(&buf, &len, "# bpfrec trace format version %u: struct SIZE, FIELD OFFSET SIZE\n",
	     BF_VERSION);
	qsort(order, ARRAY_SIZE(sizes), sizeof(order[0]), by_name);
	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		size_t next = 0;

		i = order[k];
		if (k && !strcmp(sizes[i].st, sizes[order[k - 1]].st))
			continue; /* one struct for two types (fork, newtask) */

		addf(&buf, &len, "struct %s %zu\n", sizes[i].st, sizes[i].size);
		for (j = 0; j < ARRAY_SIZE(fields); j++) {
			const struct field *f = &fields[j];

			if (strcmp(f->st, sizes[i].st))
				continue;
			if (f->off != next)
				fail("struct %s: gap or overlap before offset %zu", f->st, next);
			next = f->off + f->size;
			if (f->size)
				addf(&buf, &len, "  %s %zu %zu\n", f->name, f->off, f->size);
			else
				addf(&buf, &len, "  %s %zu var\n", f->name, f->off);
		}
		if (next != sizes[i].size)
			fail("struct %s: fields do not cover the struct", sizes[i].st);
	}
	/* types in number order, whatever the order of records.def */
	for (i = 0, k = 0; k < ARRAY_SIZE(types); i++)
		for (j = 0; j < ARRAY_SIZE(types); j++)
			if (types[j].type == i && ++k)
				addf(&buf, &len, "type %s %u %s\n", types[j].name, types[j].type,
				     types[j].st);
	for (i = 0; i < ARRAY_SIZE(constants); i++)
		addf(&buf, &len, "const %s %lld\n", constants[i].name, constants[i].value);
	return buf;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	char line[4096];

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f))
		addf(&buf, &len, "%s", line);
	fclose(f);
	return buf ? buf : strdup("");
}

/* Trim blanks at both ends of [s, e), in place; returns the start. */
static char *trim(char *s, char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'))
		e--;
	*e = 0;
	return s;
}

/* Split a table row "| a | b | c | d |" into up to 4 trimmed cells. */
static int cells(char *line, char *out[4])
{
	int n = 0;
	char *p = strchr(line, '|');

	while (p && n < 4) {
		char *q = strchr(p + 1, '|');

		if (!q)
			break;
		out[n++] = trim(p + 1, q);
		p = q;
	}
	return n;
}

/*
 * The listing of the documented layouts, in the same form as c_listing()
 * minus what FORMAT.md does not state (the struct sizes come from the
 * last field; types are compared separately).
 */
static void check_doc(const char *doc_path)
{
	char *doc = read_file(doc_path), *line, *save = NULL;
	char cur[64] = "";
	unsigned version = 0;
	size_t i, nrows = 0;
	int seen[ARRAY_SIZE(fields)] = { 0 };
	int types_seen[ARRAY_SIZE(types)] = { 0 };

	if (!doc) {
		fail("cannot read %s", doc_path);
		return;
	}
	for (line = strtok_r(doc, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c[4], *bt;

		if (!strncmp(line, "# ", 2) && strstr(line, "(version "))
			version = (unsigned)atoi(strstr(line, "(version ") + 9);
		if (!strncmp(line, "#", 1)) {
			cur[0] = 0;
			bt = strstr(line, "`struct ");
			if (bt && sscanf(bt, "`struct %63[a-z_0-9]`", cur) != 1)
				cur[0] = 0;
			/* "(type 1, EV_SYSCALL)" or "(types 3 EV_FORK and 6 EV_NEWTASK)" */
			for (i = 0; cur[0] && i < ARRAY_SIZE(types); i++) {
				char want[96], want2[96];

				snprintf(want, sizeof(want), "%u, %s)", types[i].type, types[i].name);
				snprintf(want2, sizeof(want2), "%u %s", types[i].type, types[i].name);
				if (!strcmp(types[i].st, cur) &&
				    (strstr(line, want) || strstr(line, want2)))
					types_seen[i] = 1;
			}
			continue;
		}
		if (!cur[0] || line[0] != '|' || cells(line, c) < 3)
			continue;
		if (!strcmp(c[0], "offset") || c[0][0] == '-' || c[0][0] == ':')
			continue;
		for (i = 0; i < ARRAY_SIZE(fields); i++) {
			const struct field *f = &fields[i];
			char off[32], size[32];

			if (strcmp(f->st, cur) || strcmp(f->name, c[2]))
				continue;
			snprintf(off, sizeof(off), "%zu", f->off);
			if (f->size)
				snprintf(size, sizeof(size), "%zu", f->size);
			else
				strcpy(size, "var");
			if (strcmp(off, c[0]) || strcmp(size, c[1]))
				fail("FORMAT.md struct %s field %s: documented at %s size %s, the "
				     "code has %s size %s",
				     cur, c[2], c[0], c[1], off, size);
			seen[i] = 1;
			nrows++;
			break;
		}
		if (i == ARRAY_SIZE(fields))
			fail("FORMAT.md documents a field %s of struct %s that the code lacks", c[2],
			     cur);
	}
	for (i = 0; i < ARRAY_SIZE(fields); i++)
		if (!seen[i])
			fail("FORMAT.md lacks field %s of struct %s", fields[i].name, fields[i].st);
	for (i = 0; i < ARRAY_SIZE(types); i++)
		if (!types_seen[i])
			fail("FORMAT.md: no heading names %s with its struct %s", types[i].name,
			     types[i].st);
	if (version != BF_VERSION)
		fail("FORMAT.md describes version %u, the code writes %u", version, BF_VERSION);
	printf("FORMAT.md: %zu field rows checked\n", nrows);
	free(doc);
}

/*
 * The next item of a listing at *P: a struct with its field lines, or one
 * type or const line. Returns its length, 0 at the end.
 */
static size_t next_item(const char **p)
{
	const char *s = *p, *e;

	while (*s == '#' || *s == '\n')
		s += strcspn(s, "\n") + (s[strcspn(s, "\n")] != 0);
	*p = s;
	if (!*s)
		return 0;
	e = s + strcspn(s, "\n");
	while (*e == '\n' && e[1] == ' ') /* a struct's field lines */
		e += 1 + strcspn(e + 1, "\n");
	return (size_t)(e - s);
}

/*
 * Is every item of the committed listing WANT still in GOT, to the byte?
 * New record types and their structs may be added without a version bump
 * (FORMAT.md's policy); changed or removed ones may not.
 */
static int items_kept(const char *want, const char *got)
{
	const char *w = want;
	size_t n;
	int ok = 1;

	while ((n = next_item(&w))) {
		const char *g = got;
		size_t m;
		int found = 0;

		while (!found && (m = next_item(&g))) {
			found = m == n && !memcmp(g, w, n);
			g += m;
		}
		if (!found) {
			printf("FAIL changed or gone since the committed version: %.*s\n", (int)n, w);
			ok = 0;
		}
		w += n;
	}
	return ok;
}

int main(int argc, char **argv)
{
	char path[4096], *want, *got;

	if (argc != 3) {
		fprintf(stderr, "usage: test_layout FORMAT.md LAYOUT_DIR\n");
		return 2;
	}
	got = c_listing();
	check_doc(argv[1]);
	snprintf(path, sizeof(path), "%s/v%u.txt", argv[2], BF_VERSION);
	want = read_file(path);
	if (!want)
		fail("no committed layout of version %u (%s); the current one is:\n%s", BF_VERSION,
		     path, got);
	else if (!items_kept(want, got))
		fail("the layouts differ from %s, the committed ones of version %u: a layout "
		     "change needs a new BF_VERSION (see FORMAT.md). Now:\n%s",
		     path, BF_VERSION, got);
	printf("%s\n", failures ? "FAILED" : "ok: C, FORMAT.md and the versioned layout agree");
	free(want);
	free(got);
	return failures ? 1 : 0;
}
