// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suggest.h"
#include "tp_format.h"
#include "trace_format.h"
#include "tracefs.h"
#include "tracepoints.h"

#define FORMAT_MAX 65536 /* the kernel's largest format file is ~6 KiB */
#define TP_FILTER_ALL_SUFFIX "@all"

/* Every SYSTEM:EVENT under tracefs, sorted. */
struct tp_names {
	char **v;
	int n;
};

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_name(struct tp_names *t, const char *sys, const char *event)
{
	char **v = realloc(t->v, (t->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	t->v = v;
	if (asprintf(&t->v[t->n], "%s:%s", sys, event) < 0)
		return -ENOMEM;
	t->n++;
	return 0;
}

static void names_free(struct tp_names *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
}

static int list_events(const char *root, const char *sys, struct tp_names *t)
{
	char path[512];
	struct dirent *de;
	DIR *d;
	int err = 0;

	snprintf(path, sizeof(path), "%s/events/%s", root, sys);
	d = opendir(path);
	if (!d)
		return 0; /* a file (enable, header_page...): not a system */
	while (!err && (de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		err = add_name(t, sys, de->d_name);
	}
	closedir(d);
	return err;
}

/* The tracefs root, with an error on stderr when there is none. */
static const char *root_or_complain(void)
{
	const char *root = tracefs_dir();

	if (!root)
		fprintf(stderr, "record: tracefs not found and cannot be mounted "
				"(mount -t tracefs nodev /sys/kernel/tracing)\n");
	return root;
}

static int tp_names_read(const char *root, struct tp_names *t)
{
	char path[512];
	struct dirent *de;
	DIR *d;
	int err = 0;

	*t = (struct tp_names){ 0 };
	snprintf(path, sizeof(path), "%s/events", root);
	d = opendir(path);
	if (!d)
		return -errno;
	while (!err && (de = readdir(d)))
		if (de->d_name[0] != '.' && de->d_type == DT_DIR)
			err = list_events(root, de->d_name, t);
	closedir(d);
	if (!err)
		qsort(t->v, t->n, sizeof(*t->v), by_str);
	return err;
}

/* The format file of SYS:EVENT, NUL-terminated, or NULL with errno set. */
static char *read_format(const char *root, const char *sys, const char *event)
{
	char path[512], *buf;
	ssize_t n, len = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/events/%s/%s/format", root, sys, event);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(FORMAT_MAX);
	while (buf && (n = read(fd, buf + len, FORMAT_MAX - 1 - len)) > 0)
		len += n;
	close(fd);
	if (buf)
		buf[len] = 0;
	return buf;
}

/* "record: no tracepoint matches 'X' on this kernel (closest: a, b, c)..." */
static void complain_unknown(const char *spec, const struct tp_names *t)
{
	struct suggest sg;
	char list[512];

	suggest_init(&sg, spec);
	for (int i = 0; i < t->n; i++)
		suggest_add(&sg, t->v[i]);
	suggest_list(&sg, list, sizeof(list));
	fprintf(stderr, "record: no tracepoint matches '%s' on this kernel", spec);
	fprintf(stderr, "%s%s%s; record -l lists them\n", *list ? " (closest: " : "", list,
		*list ? ")" : "");
}

/* A field filter that does not fit a format: said, a usage error. */
#define E_FILTER EDOM

/*
 * Fill S's BPF description from its format, and compile X (NULL: no
 * filter) for it. 0, -EINVAL with WHY set, or -E_FILTER after a message.
 */
static int describe(struct tp_sel *s, const struct tpff_expr *x, const char **why)
{
	struct tp_format *f = malloc(sizeof(*f));
	char msg[TPFF_ERR_MAX];
	int err = -EINVAL;

	*why = "cannot parse its format";
	if (!f || tpf_parse(s->format, f))
		goto out;
	*why = "its fixed part is larger than the copy bound";
	if (f->fixed_size > TP_DATA_MAX)
		goto out;
	s->at.id = f->id;
	s->at.fixed_size = f->fixed_size;
	s->at.nloc = 0;
	for (int i = 0; i < f->nfields; i++) {
		const struct tpf_field *fl = &f->fields[i];

		if (!(fl->flags & (TPF_F_DATA_LOC | TPF_F_REL_LOC)))
			continue;
		*why = "too many __data_loc fields";
		if (s->at.nloc == TP_LOC_MAX)
			goto out;
		s->at.loc_off[s->at.nloc++] =
			fl->offset | (fl->flags & TPF_F_REL_LOC ? TP_LOC_REL : 0);
	}
	err = 0;
	if (x && x->n) {
		err = -ENOMEM;
		if (!(s->ff = malloc(sizeof(*s->ff))))
			goto out;
		err = tpff_compile(x, f, s->ff, msg, sizeof(msg)) ? -E_FILTER : 0;
		if (err)
			fprintf(stderr, "record: filter of %s:%s: %s\n", s->sys, s->event, msg);
		s->at.nterms = s->ff->nterms;
	}
out:
	free(f);
	return err;
}

static void sel_free(struct tp_sel *s)
{
	free(s->format);
	free(s->ff);
}

/* The same field filter, or none on both. */
static bool same_filter(const struct tp_sel *a, const struct tp_sel *b)
{
	return a->ff && b->ff ? !strcmp(a->ff->text, b->ff->text) : !a->ff && !b->ff;
}

static int add_sel(struct tp_set *set, const char *root, const char *name, uint8_t mode,
		   const struct tpff_expr *x, const char **why)
{
	const char *colon = strchr(name, ':');
	struct tp_sel *s, *v, *dup = NULL;
	int err;

	v = realloc(set->v, (set->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	set->v = v;
	s = &set->v[set->n];
	memset(s, 0, sizeof(*s));
	snprintf(s->sys, sizeof(s->sys), "%.*s", (int)(colon - name), name);
	snprintf(s->event, sizeof(s->event), "%s", colon + 1);
	for (int i = 0; i < set->n && !dup; i++)
		if (!strcmp(set->v[i].sys, s->sys) && !strcmp(set->v[i].event, s->event))
			dup = &set->v[i];
	if (dup && !dup->ff && !x)
		return 0; /* named twice */
	s->at.mode = mode;
	s->format = dup ? strdup(dup->format) : read_format(root, s->sys, s->event);
	*why = "its format is unreadable";
	if (!s->format)
		return -EINVAL;
	err = describe(s, x, why);
	if (!err && dup && !same_filter(s, dup)) {
		fprintf(stderr, "record: %s:%s selected twice, with different filters\n", s->sys,
			s->event);
		err = -E_FILTER;
	}
	if (err || dup) {
		sel_free(s);
		return err;
	}
	set->n++;
	return 0;
}

/*
 * SPEC's field filter, after the first '/', parsed into X (X->n = 0: none).
 * Cuts SPEC to the name. 0, or TP_RESOLVE_USAGE after a message.
 */
static int split_filter(char *spec, struct tpff_expr *x)
{
	char *slash = strchr(spec, '/'), msg[TPFF_ERR_MAX];
	size_t span;

	memset(x, 0, sizeof(*x));
	if (!slash)
		return 0;
	span = tpff_span(slash);
	*slash = 0;
	if (!span) {
		fprintf(stderr, "record: filter of %s: no closing '/'\n", spec);
		return TP_RESOLVE_USAGE;
	}
	if (slash[span]) {
		fprintf(stderr, "record: filter of %s: '%s' after its closing '/'\n", spec,
			slash + span);
		return TP_RESOLVE_USAGE;
	}
	slash[span - 1] = 0;
	if (tpff_parse(slash + 1, x, msg, sizeof(msg))) {
		fprintf(stderr, "record: filter of %s: %s\n", spec, msg);
		return TP_RESOLVE_USAGE;
	}
	return 0;
}

/* One spec: its matches, or an error. */
static int resolve_one(struct tp_set *set, const char *root, const struct tp_names *t,
		       const char *spec_in)
{
	size_t len, sl = strlen(TP_FILTER_ALL_SUFFIX);
	uint8_t mode = TPF_CURRENT;
	struct tpff_expr x;
	char *spec;
	bool glob;
	int matched = 0, err;

	spec = strdup(spec_in);
	if (!spec) {
		fprintf(stderr, "record: out of memory\n");
		return -1;
	}
	err = split_filter(spec, &x);
	len = strlen(spec);
	if (!err && len > sl && !strcmp(spec + len - sl, TP_FILTER_ALL_SUFFIX)) {
		spec[len - sl] = 0;
		mode = TPF_ALL;
	}
	glob = strpbrk(spec, "*?[") != NULL;
	for (int i = 0; i < t->n && !err; i++) {
		const char *why;

		if (fnmatch(spec, t->v[i], 0))
			continue;
		matched++;
		err = add_sel(set, root, t->v[i], mode, x.n ? &x : NULL, &why);
		if (err == -ENOMEM) {
			fprintf(stderr, "record: out of memory\n");
		} else if (err == -E_FILTER) {
			err = TP_RESOLVE_USAGE; /* said */
		} else if (err && !glob) {
			fprintf(stderr, "record: tracepoint %s unavailable: %s\n", t->v[i], why);
		} else if (err) { /* a glob takes what is available; -l says why not */
			fprintf(stderr, "record: skipping %s: %s\n", t->v[i], why);
			err = 0;
		}
	}
	if (!err && !matched) {
		complain_unknown(spec, t);
		err = -1;
	}
	free(spec);
	return err == TP_RESOLVE_USAGE ? err : err ? -1 : 0;
}

int tp_resolve(struct tp_set *set, const char *const *specs, int nspecs)
{
	struct tp_names t;
	const char *root;
	int err = 0;

	*set = (struct tp_set){ 0 };
	if (!nspecs)
		return 0;
	root = root_or_complain();
	if (!root)
		return -1;
	if (tp_names_read(root, &t)) {
		fprintf(stderr, "record: reading %s/events: %s\n", root, strerror(errno));
		return -1;
	}
	for (int i = 0; i < nspecs && !err; i++)
		err = resolve_one(set, root, &t, specs[i]);
	names_free(&t);
	if (!err && set->n > TP_MAX) {
		fprintf(stderr, "record: %d tracepoints selected, at most %d\n", set->n, TP_MAX);
		err = -1;
	}
	if (err)
		tp_set_free(set);
	return err;
}

void tp_set_free(struct tp_set *set)
{
	for (int i = 0; i < set->n; i++)
		sel_free(&set->v[i]);
	free(set->v);
	*set = (struct tp_set){ 0 };
}

static const char *const kind_sql[] = { "INTEGER", "INTEGER", "TEXT", "BLOB" };

static void print_fields(const char *format)
{
	struct tp_format *f = malloc(sizeof(*f));

	if (f && !tpf_parse(format, f))
		for (int i = 0; i < f->nfields; i++) {
			const struct tpf_field *fl = &f->fields[i];

			if (fl->flags & TPF_F_COMMON)
				continue;
			printf("    %-24s %-28s offset %u, size %u, %s%s\n", fl->name, fl->type,
			       fl->offset, fl->size, kind_sql[fl->kind],
			       fl->kind == TPF_UINT ? " (unsigned)" : "");
		}
	free(f);
}

/* The tracepoint a hand-built group rests on: it is available if that is. */
static const char *const group_tp[GRP_MAX] = {
	[GRP_SYSCALLS] = "raw_syscalls/sys_enter",
	[GRP_FILES] = "raw_syscalls/sys_enter",
	[GRP_PROCESS] = "sched/sched_process_exec",
	[GRP_TRACEPOINTS] = "",
};

static const char *avail_of(const char *root, const char *sys_event)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/events/%s/format", root, sys_event);
	return access(path, R_OK) ? "unavailable" : "available";
}

int tp_list(const char *glob, bool verbose)
{
	const char *root = root_or_complain();
	struct tp_names t;
	int shown = 0;

	if (!root)
		return 1;
	for (int g = 0; g < GRP_MAX; g++)
		if (!glob || !fnmatch(glob, bf_group_names[g], 0)) {
			printf("%-40s group       %s\n", bf_group_names[g], avail_of(root, group_tp[g]));
			shown++;
		}
	if (tp_names_read(root, &t)) {
		fprintf(stderr, "record: reading %s/events: %s\n", root, strerror(errno));
		return 1;
	}
	for (int i = 0; i < t.n; i++) {
		struct tp_sel s = { 0 };
		const char *why = NULL, *colon = strchr(t.v[i], ':');

		if (glob && fnmatch(glob, t.v[i], 0))
			continue;
		snprintf(s.sys, sizeof(s.sys), "%.*s", (int)(colon - t.v[i]), t.v[i]);
		s.format = read_format(root, s.sys, colon + 1);
		if (!s.format)
			why = "its format is unreadable";
		else if (!describe(&s, NULL, &why))
			why = NULL;
		printf("%-40s tracepoint  %s%s\n", t.v[i], why ? "unavailable: " : "available",
		       why ? why : "");
		if (verbose && s.format)
			print_fields(s.format);
		free(s.format);
		shown++;
	}
	names_free(&t);
	if (!shown) {
		fprintf(stderr, "record: nothing matches '%s'\n", glob);
		return 1;
	}
	return 0;
}
